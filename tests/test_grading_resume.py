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


def descendants(pid: int) -> dict[int, str]:
    """Every live process under ``pid`` (host pids, across the sandbox's namespaces), with its command line."""
    found, todo = {}, [pid]
    while todo:
        parent = todo.pop()
        for task in Path(f"/proc/{parent}/task").glob("*"):
            try:
                children = (task / "children").read_text().split()
            except OSError:
                continue
            for child in map(int, children):
                if child not in found:
                    found[child] = _cmdline(child)
                    todo.append(child)
    return found


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
    except OSError:
        return ""


def leftovers(before: dict[int, str]) -> str:
    """The processes of ``before`` still alive (not zombies) a moment after the grader ended.

    Only this grader's own processes are looked at: other tests may be grading at the same time.
    """
    time.sleep(1.5)
    alive = []
    for pid, command in before.items():
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z" and _cmdline(pid) == command:
            alive.append(f"{pid} {command}")
    return "\n".join(alive)


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
    family = descendants(process.pid)
    assert any("course_lib.grading.zygote" in command for command in family.values()), family
    process.send_signal(how)
    code = process.wait(timeout=60)
    kept = rows(out)
    assert 2 <= len(kept) < 8, (len(kept), code)
    assert code == (130 if how != signal.SIGKILL else -signal.SIGKILL), process.stdout.read().decode(errors="replace")
    assert all(uninterrupted[file] == result for file, result in kept.items())     # what was kept is final
    assert leftovers(family) == ""                                                       # nothing survives the grader
    again = grade(submissions, out)
    assert again.wait(timeout=300) == 0
    assert rows(out) == uninterrupted
