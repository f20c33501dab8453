"""The unit-02 practice file as test material: one section of it, with one thing broken."""
from __future__ import annotations

import copy
from collections.abc import Callable

from course_lib.files import read_yaml
from course_lib.settings import data_dir


def broken_u02(section: str, change: Callable[[dict], object]) -> dict:
    """A fresh copy of ``section`` of ``data/practice/u02.yaml`` with ``change`` applied to it."""
    data = copy.deepcopy(read_yaml(data_dir() / "practice" / "u02.yaml", "practice/u02.yaml")[section])
    change(data)
    return data
