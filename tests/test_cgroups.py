"""One control group per grading worker (course_lib.grading.cgroups): the layouts of cgroup v2 and v1
on a fake root, then the real thing where this machine allows it."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from course_lib.grading.cgroups import WorkerGroup, descendants, group_of


def fake_v2(tmp_path: Path) -> Path:
    (tmp_path / "cgroup.controllers").write_text("cpu memory pids\n", encoding="ascii")
    return tmp_path


def fake_v1(tmp_path: Path) -> Path:
    for controller in ("memory", "cpu", "pids"):
        (tmp_path / controller).mkdir()
    return tmp_path


def test_v2_one_folder_holds_the_memory_limit(tmp_path):
    group = WorkerGroup.create("course-grade-1-0", 5 * 1024 ** 3, root=fake_v2(tmp_path))
    assert not group.missing and group.folders == [tmp_path / "course-grade-1-0"]
    assert (tmp_path / "course-grade-1-0" / "memory.max").read_text(encoding="ascii") == str(5 * 1024 ** 3)


def test_v1_a_folder_per_controller_with_the_limit_in_memory(tmp_path):
    group = WorkerGroup.create("course-grade-1-0", 123, root=fake_v1(tmp_path))
    assert sorted(f.parent.name for f in group.folders) == ["cpu", "memory"]
    assert (tmp_path / "memory" / "course-grade-1-0" / "memory.limit_in_bytes").read_text(encoding="ascii") == "123"
    assert group.add(4242) and (tmp_path / "cpu" / "course-grade-1-0" / "cgroup.procs").read_text(encoding="ascii") == "4242"


def test_groups_left_by_a_killed_grader_are_swept(tmp_path):
    root = fake_v2(tmp_path)
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    (root / f"course-grade-{dead.pid}-0").mkdir()                   # its grader is gone: swept
    (root / f"course-grade-{os.getpid()}-7").mkdir()                # a living grader's: kept
    WorkerGroup.create(f"course-grade-{os.getpid()}-0", 1, root=root)
    assert not (root / f"course-grade-{dead.pid}-0").exists() and (root / f"course-grade-{os.getpid()}-7").exists()


def test_without_control_groups_the_reason_is_given_in_chinese(tmp_path):
    assert "没有Linux控制组" in WorkerGroup.create("x", 1, root=tmp_path / "nothing").missing
    (tmp_path / "cpu").mkdir()
    assert "内存控制器" in WorkerGroup.create("x", 1, root=tmp_path).missing
    assert WorkerGroup.create("x", 1, root=tmp_path / "nothing").add(1) is False


def test_descendants_follow_the_process_tree():
    if not Path("/proc/self/stat").exists():
        pytest.skip("没有/proc（不是Linux）")
    child = subprocess.Popen([sys.executable, "-c", "import subprocess, sys, time\n"
                              "p = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(30)'])\ntime.sleep(30)"])
    try:
        for _ in range(100):
            found = descendants(child.pid)
            if found:
                break
            time.sleep(0.05)
        assert found and child.pid not in found and os.getpid() not in found
        assert child.pid in descendants(os.getpid())
    finally:
        for pid in descendants(child.pid):
            os.kill(pid, 9)
        child.kill()
        child.wait()


def test_a_real_group_holds_a_process_and_goes_away_after_it():
    group = WorkerGroup.create(f"course-grade-test-{os.getpid()}", 512 * 1024 ** 2)
    if group.missing:
        pytest.skip(f"这台机器不能建立控制组：{group.missing}")
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        assert group.add(sleeper.pid)
        assert any(line.endswith(f"course-grade-test-{os.getpid()}") for line in group_of(sleeper.pid))
    finally:
        sleeper.kill()
        sleeper.wait()
        folders = list(group.folders)
        group.remove()
    assert folders and not any(f.exists() for f in folders)
