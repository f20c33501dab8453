"""How content files are read: ``data/<relative>`` as YAML, every problem a :class:`ContentError`."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..files import DataFileError, read_yaml
from ..settings import data_dir


class ContentError(DataFileError):
    """A content file is missing or invalid; the message says which file and what is wrong."""


def read_content(relative: str | Path) -> Any:
    """The parsed YAML of ``data/<relative>`` (its encoded ``.dat`` twin in the student edition)."""
    return read_yaml(data_dir() / relative, Path(relative).as_posix(), ContentError)


@dataclass(frozen=True)
class ContentFile:
    """What a content file of a unit names first: its ``id``, its ``unit`` and its ``title``."""

    id: str
    unit: str
    title: str
