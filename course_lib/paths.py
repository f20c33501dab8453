"""Where the course's data lives.

The package is installed from the repository (``pip install -e .``), so the data
folder is the ``data/`` next to ``course_lib/``.  ``COURSE_DATA`` overrides it
(the grader and the student edition use that).
"""
from __future__ import annotations

import os
from pathlib import Path


def data_dir() -> Path:
    """The folder holding datasets, question banks and scenarios."""
    override = os.environ.get("COURSE_DATA")
    if override:
        return Path(override)
    return Path(__file__).resolve().parent.parent / "data"


def repo_dir() -> Path:
    """The repository root (parent of ``course_lib/``)."""
    return Path(__file__).resolve().parent.parent
