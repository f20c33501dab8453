"""Shared test setup: a throw-away progress file for every kernel and widget."""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile("course", max_examples=150, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("course")

REPO = Path(__file__).resolve().parent.parent
NOTEBOOKS = REPO / "notebooks"


UTF8_FLAGS = ["-X", "utf8", "-X", "warn_default_encoding"]


def restart_in_utf8_mode(config) -> None:
    """Where Python cannot name a Chinese file (``LC_ALL=C PYTHONUTF8=0``), run the test processes
    in UTF-8 mode, as ``python -m course_lib`` does: this process is restarted, and pytest-xdist's
    workers start that way.  Kernels and every other subprocess keep the C locale.
    ``warn_default_encoding`` with pyproject's ``filterwarnings`` makes an ``open()`` without an
    encoding in course_lib an error, so UTF-8 mode hides no missing ``encoding=``."""
    from course_lib.console import needs_utf8_restart

    if needs_utf8_restart() and "PYTEST_XDIST_WORKER" not in os.environ:
        config.pluginmanager.getplugin("capturemanager").stop_global_capturing()
        sys.stdout.flush()
        os.execv(sys.executable, [sys.executable, *UTF8_FLAGS, *sys.orig_argv[1:]])
    if sys.flags.utf8_mode and getattr(config.option, "tx", None) and sys.platform != "win32":
        worker = "popen//python=" + " ".join([sys.executable, *UTF8_FLAGS])
        config.option.tx = [worker if spec == "popen" else spec for spec in config.option.tx]


def pytest_configure(config):
    restart_in_utf8_mode(config)
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
