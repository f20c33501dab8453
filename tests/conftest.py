"""Shared test setup: a throw-away progress file for every kernel and widget."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile("course", max_examples=150, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("course")

REPO = Path(__file__).resolve().parent.parent
NOTEBOOKS = REPO / "notebooks"


def pytest_configure(config):
    # nbval starts kernels from this process: they inherit a progress file outside the repo,
    # and always run in student mode.
    os.environ["COURSE_PROGRESS"] = str(Path(tempfile.mkdtemp(prefix="course-test-")) / "progress.json")
    os.environ.pop("COURSE_MODE", None)


@pytest.fixture
def store(tmp_path):
    from course_lib.progress import ProgressStore

    return ProgressStore(tmp_path / "progress.json")


@pytest.fixture
def grade_mode(monkeypatch):
    monkeypatch.setenv("COURSE_MODE", "grade")
