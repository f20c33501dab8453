"""One Linux control group per grading worker: what one submission and every process it starts
may use *together*.

The resource limits of :mod:`.jail` count per process (4 GB of memory each, so 64 processes
could take 256 GB) and the wall-clock limits of a cell let a submission that keeps both CPUs
busy make a classmate graded at the same time run out of time.  A control group counts a
worker's processes as one: their memory together (``memory.max``) and an equal share of the
CPU against the other workers (each group gets the default weight).  A worker runs one
submission at a time, so its group is that submission's.  (The number of processes is
already counted per worker: each runs as its own user, see :mod:`.pool`.)

Control groups need root (or a delegated subtree) on Linux, which the full sandbox has; both
the unified hierarchy (cgroup v2) and the older per-controller one (v1) are used.  Where
neither can be written the grader goes on without them and says so (:attr:`WorkerGroup.missing`).
Nothing here runs at import time.
"""
from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path("/sys/fs/cgroup")
V1 = ("memory", "cpu")


def _write(path: Path, text: str) -> bool:
    try:
        path.write_text(text, encoding="ascii")
        return True
    except OSError:
        return False


@dataclass
class WorkerGroup:
    """The group folders of one worker (one in v2, one per controller in v1)."""

    folders: list[Path] = field(default_factory=list)
    missing: str = ""

    @classmethod
    def create(cls, name: str, memory_bytes: int, root: Path = ROOT) -> WorkerGroup:
        """A group limited to ``memory_bytes`` in all; ``missing`` says why there is none.

        ``name`` is ``<prefix>-<grader's pid>-<worker>``: groups a killed grader left behind
        (its pid gone, no process left in them) are deleted first."""
        if not os.path.isdir(root) or os.name != "posix":
            return cls(missing="这台电脑没有Linux控制组（cgroup）")
        _sweep(root, name.rsplit("-", 2)[0])
        if (root / "cgroup.controllers").exists():                     # v2: one folder holds every limit
            folder = root / name
            limits = {"memory.max": str(memory_bytes), "memory.swap.max": "0"}
            return cls._make([folder], {folder: limits})
        folders = [root / c / name for c in V1 if (root / c).is_dir()]
        limits = {root / "memory" / name: {"memory.limit_in_bytes": str(memory_bytes)}}
        if not any(f.parent.name == "memory" for f in folders):
            return cls(missing="控制组里没有内存控制器（memory）")
        return cls._make(folders, limits)

    @classmethod
    def _make(cls, folders: list[Path], limits: dict[Path, dict[str, str]]) -> WorkerGroup:
        group = cls()
        for folder in folders:
            try:
                folder.mkdir(exist_ok=True)
            except OSError as error:
                group.remove()
                return cls(missing=f"不能建立控制组（{error.strerror or error}）")
            group.folders.append(folder)
            for key, value in limits.get(folder, {}).items():
                if not _write(folder / key, value) and key != "memory.swap.max":      # no swap: nothing to limit
                    group.remove()
                    return cls(missing=f"不能设置控制组的{key}")
        return group

    def add(self, pid: int) -> bool:
        """Put process ``pid`` (and so everything it starts later) into the group."""
        return bool(self.folders) and all(_write(f / "cgroup.procs", str(pid)) for f in self.folders)

    def remove(self, wait: float = 5.0) -> None:
        """Delete the group once its processes are gone (they are being killed); never raises."""
        deadline = time.monotonic() + wait
        for folder in self.folders:
            while True:
                try:
                    folder.rmdir()
                    break
                except FileNotFoundError:
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        break
                    time.sleep(0.05)
        self.folders = []


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _sweep(root: Path, prefix: str) -> None:
    for parent in (root, *(root / c for c in V1)):
        try:
            entries = list(parent.glob(f"{prefix}-*-*"))
        except OSError:
            continue
        for folder in entries:
            owner = folder.name[len(prefix) + 1:].split("-")[0]
            if owner.isdigit() and not _alive(int(owner)):
                try:
                    folder.rmdir()
                except OSError:
                    pass


def descendants(pid: int) -> list[int]:
    """The processes started by ``pid``, and theirs, as ``/proc`` shows them now."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text(encoding="utf-8", errors="replace")
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def group_of(pid: int) -> list[str]:
    """The control-group lines of ``/proc/<pid>/cgroup`` ('' lines dropped), for tests and reports."""
    try:
        return [line for line in Path(f"/proc/{pid}/cgroup").read_text(encoding="utf-8", errors="replace").splitlines() if line]
    except OSError:
        return []
