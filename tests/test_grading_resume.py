"""Nothing lost: the grader killed at any point (SIGTERM, Ctrl-C, SIGKILL) keeps every finished
result, leaves no process behind, and a second run ends with the gradebook an uninterrupted
run makes."""
from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from course_lib.grading.release import build

from .classroom import make_class

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def submissions(tmp_path_factory):
    root = tmp_path_factory.mktemp("resume")
    edition, _ = build(root / "edition")
    nb = edition / "notebooks" / "01_intro.ipynb"
    make_class(nb, root / "subs", 8)
    for path in (root / "subs").glob("*.ipynb"):              # each takes a moment: a window to interrupt
        data = json.loads(path.read_text(encoding="utf-8"))
        for cell in data["cells"]:
            if cell["metadata"].get("course", {}).get("id") == "u01.e1" and cell["metadata"]["course"]["role"] == "answer":
                cell["source"] = "import time\ntime.sleep(1.5)\n" + "".join(cell["source"])
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return root / "subs"


def grade(subs: Path, out: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "course_lib", "grade", str(subs), "--out", str(out), "--workers", "2"],
                            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def rows(out: Path) -> dict[str, str]:
    path = out / "gradebook.sqlite"
    if not path.exists():
        return {}
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
        found = dict(db.execute("SELECT file, result FROM results").fetchall())
        db.close()
        return found
    except sqlite3.Error:
        return {}


def leftovers() -> str:
    time.sleep(1.5)
    nobody = subprocess.run(["ps", "-o", "pid=,args=", "-u", "65534"], capture_output=True, text=True).stdout
    zygotes = subprocess.run(["pgrep", "-af", "course_lib.grading.zygote"], capture_output=True, text=True).stdout
    return (nobody + zygotes).strip()


@pytest.fixture(scope="module")
def uninterrupted(submissions, tmp_path_factory):
    out = tmp_path_factory.mktemp("whole")
    process = grade(submissions, out)
    assert process.wait(timeout=300) == 0, process.stdout.read().decode()
    return rows(out)


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGINT, signal.SIGKILL], ids=["SIGTERM", "Ctrl-C", "SIGKILL"])
def test_a_killed_grader_loses_nothing_and_resumes(submissions, uninterrupted, tmp_path, how):
    assert len(uninterrupted) == 8
    out = tmp_path / "out"
    process = grade(submissions, out)
    deadline = time.monotonic() + 240
    while len(rows(out)) < 2 and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.1)
    process.send_signal(how)
    code = process.wait(timeout=60)
    kept = rows(out)
    assert 2 <= len(kept) < 8, (len(kept), code)
    assert code == (130 if how != signal.SIGKILL else -signal.SIGKILL)
    assert all(uninterrupted[file] == result for file, result in kept.items())     # what was kept is final
    assert leftovers() == ""                                                       # nothing survives the grader
    again = grade(submissions, out)
    assert again.wait(timeout=300) == 0
    assert rows(out) == uninterrupted
