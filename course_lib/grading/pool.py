"""The grader's side of the zygotes: start them, hand them jobs, restart one that dies.

A :class:`Zygote` is one long-lived process (:mod:`.zygote`) started with the command of
the chosen :class:`~course_lib.grading.sandbox.Isolation`.  :meth:`Zygote.run` sends one
job and waits for its one-line answer; a zygote that crashes, hangs past the deadline or
answers nonsense is killed and started again, and the job is reported as failed — never
as a crash of the grader.  Where there is no ``fork`` (Windows) every job gets a new zygote.
"""
from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import threading
from pathlib import Path

from ..settings import standards
from .cgroups import WorkerGroup, descendants
from .jail import NOBODY
from .sandbox import WEAK, Isolation, zygote_env

READY_TIMEOUT = 180            # seconds a zygote may take to import everything
GROUP_SLACK = 1024 ** 3        # the zygote and its spawner, on top of what one submission may use
ONE_JOB_EACH = not hasattr(os, "fork")


class ZygoteError(RuntimeError):
    """A zygote could not start or answer; ``str(error)`` is a Chinese message."""


class Zygote:
    def __init__(self, isolation: Isolation, edition: Path, scratch: Path, number: int) -> None:
        self.isolation, self.edition, self.scratch, self.number = isolation, edition, scratch, number
        self.process: subprocess.Popen | None = None
        self.lines: queue.Queue = queue.Queue()
        self.ready_seconds = 0.0
        self.group: WorkerGroup | None = None
        self.group_missing = ""           # why this worker has no control group ('' when it has one)
        self.cpu_seconds = 0.0            # CPU used by this zygote's processes so far (all its lives)
        self._cpu_now = 0.0

    # -- life ---------------------------------------------------------------------------
    def start(self) -> None:
        env = None
        if self.isolation.level == WEAK:
            home = self.scratch / f"zygote-{self.number}"
            home.mkdir(parents=True, exist_ok=True)
            env = zygote_env(str(self.edition), str(home / "mpl"), str(self.scratch / "mpl"), WEAK)
            for key in ("SYSTEMROOT", "SYSTEMDRIVE", "WINDIR", "PATH"):   # Windows needs these to start Python
                if key in os.environ:
                    env[key] = os.environ[key]
        self._cpu_now = 0.0
        self.process = subprocess.Popen(self.isolation.command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL, env=env, cwd=str(self.scratch),
                                        start_new_session=(os.name == "posix"))
        if self.isolation.full:
            self._join_group()
        threading.Thread(target=self._read, args=(self.process,), daemon=True).start()
        ready = self._next(READY_TIMEOUT)
        if not ready or not ready.get("ready"):
            self.close()
            raise ZygoteError("评分进程无法启动（导入课程库失败或超时）。请先确认 python -m course_lib validate 能通过。")
        if self.group is not None:
            self._join_group()                   # whatever bubblewrap had started before the first call
        self.ready_seconds = float(ready.get("seconds", 0))

    def _join_group(self) -> None:
        """This worker's control group (:mod:`.cgroups`): the zygote, its spawner and every submission's processes."""
        if self.group is None:
            self.group = WorkerGroup.create(f"course-grade-{os.getpid()}-{self.number}",
                                            standards().memory_limit_bytes + GROUP_SLACK)
            self.group_missing = self.group.missing
        for pid in (self.process.pid, *descendants(self.process.pid)):
            self.group.add(pid)

    def _read(self, process: subprocess.Popen) -> None:
        for line in process.stdout:
            self.lines.put(line)
        self.lines.put(None)

    def _next(self, timeout: float) -> dict | None:
        try:
            line = self.lines.get(timeout=timeout)
        except queue.Empty:
            return None
        if line is None:
            return None
        try:
            answer = json.loads(line.decode("utf-8"))
        except ValueError:
            return None
        return answer if isinstance(answer, dict) else None

    def close(self) -> None:
        process, self.process = self.process, None
        if process is None:
            return
        try:
            if os.name == "posix":
                os.killpg(process.pid, signal.SIGKILL)
            else:
                process.kill()
        except OSError:
            pass
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
        for stream in (process.stdin, process.stdout):
            try:
                stream.close()
            except OSError:
                pass
        self.lines = queue.Queue()
        group, self.group = self.group, None
        if group is not None:
            group.remove()

    # -- work ----------------------------------------------------------------------------
    def run(self, job: dict) -> dict:
        """Run one job; a failure gives ``{"records": [], "failed": reason}`` and a fresh zygote."""
        if self.process is None:
            self.start()
        # a user of its own (nobody, 65533, …): RLIMIT_NPROC counts per user, so a fork bomb in one
        # submission cannot use up the processes of a classmate graded at the same time
        job = {**job, "limits": {**job.get("limits", {}), "uid": NOBODY - self.number}}
        try:
            self.process.stdin.write((json.dumps(job, ensure_ascii=False) + "\n").encode("utf-8"))
            self.process.stdin.flush()
        except OSError:
            self.close()
            return {"records": [], "failed": "评分进程意外退出"}
        answer = self._next(job["timeout"] + 60)
        if answer is None or not isinstance(answer.get("records"), list):
            self.close()
            return {"records": [], "failed": "评分进程没有按时返回结果，已重新启动"}
        if isinstance(answer.get("cpu"), (int, float)):
            self.cpu_seconds += max(0.0, answer["cpu"] - self._cpu_now)
            self._cpu_now = answer["cpu"]
        if ONE_JOB_EACH:
            self.close()
        return answer

