"""The warm grading process: import everything once, then fork one confined child per submission.

Started by :mod:`.pool` — inside bubblewrap on Linux (``COURSE_ISOLATION=full``), as a
plain process elsewhere (``weak``).  It sees only the student edition (no keys) and the
interpreter.  Protocol, one JSON object per line:

* it writes ``{"ready": true, "seconds": …}`` once pandas, matplotlib, ipywidgets, IPython
  and ``course_lib`` are imported;
* it reads a job ``{"cells": [[n, source], …], "cell_timeout": s, "timeout": s,
  "limits": {…}, "max_bytes": n}`` and answers ``{"records": […], "exit": code,
  "timed_out": bool, "truncated": bool}``.

Each job runs in a fresh child (:func:`course_lib.grading.jail.confine` under ``full``
isolation), which reports its answers and per-cell notes through a pipe only the zygote
reads; the child never sees the zygote's own input and output.

The children are not forked from the zygote itself, which reads every job and result and
so holds classmates' answers in its memory (freed memory included).  Right after warming
up, before it reads any job, the zygote forks a *spawner* (:class:`Spawner`): a warm copy
that only ever receives two pipe descriptors per job and forks the child from its own clean
memory; the child then reads its job from the first pipe itself.
"""
from __future__ import annotations

import json
import os
import select
import signal
import socket
import sys
import time

FULL, WEAK = "full", "weak"


def warm_up() -> float:
    """Import what every unit notebook uses, so each fork starts warm; returns the seconds taken."""
    start = time.perf_counter()
    os.environ.setdefault("MPLBACKEND", "Agg")
    _copy_font_cache()
    import IPython.core.interactiveshell  # noqa: F401 - imported once here, used by every child
    import ipywidgets  # noqa: F401
    import matplotlib.pyplot  # noqa: F401
    import pandas  # noqa: F401

    import course_lib
    from course_lib.charts import setup_charts
    from course_lib.files import DataFileError

    from .cellrun import shell

    for name in course_lib.PUBLIC:
        try:
            getattr(course_lib, name)
        except DataFileError:                  # a broken data file (e.g. care_plans.yaml): the notebook reports it
            pass
    setup_charts()
    _load_content()
    _draw_once()
    shell()                                   # the shell every child inherits, with no user code run yet
    return time.perf_counter() - start


def _load_content() -> None:
    """Parse every question bank, exercise file and scenario once (their loaders cache them)."""
    from course_lib.content.banks import load_bank, load_exercises
    from course_lib.content.rubric import default_rules
    from course_lib.content.scenarios import load_scenario
    from course_lib.settings import data_dir

    default_rules()
    for folder, load in (("questions", load_bank), ("exercises", load_exercises), ("scenarios", load_scenario)):
        for path in sorted((data_dir() / folder).glob("*")):
            if path.suffix in (".yaml", ".dat"):
                try:
                    load(path.stem)
                except ValueError:                 # a broken file is the notebook's problem, reported there
                    pass


def _draw_once() -> None:
    """Render a small chart with Chinese text, so fonts are loaded before any fork."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(2, 1))
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    axes.bar(["甲", "乙"], [1, 2])
    axes.set_title("预热")
    figure.tight_layout()
    figure.canvas.draw()


def _copy_font_cache() -> None:
    """matplotlib's font list, built once by the grader, so no zygote scans the fonts again."""
    import shutil

    source, target = os.environ.get("COURSE_MPL_CACHE"), os.environ.get("MPLCONFIGDIR")
    if source and target and os.path.isdir(source):
        os.makedirs(target, exist_ok=True)
        for name in os.listdir(source):
            if name.endswith(".json"):
                shutil.copyfile(os.path.join(source, name), os.path.join(target, name))


def _child_environment(box: str, fd: int) -> None:
    own = f"{box}/tmp"                 # confine() makes it when /tmp must stay the zygote's (read-only)
    tmp = own if os.path.isdir(own) else "/tmp" if os.path.isdir("/tmp") else box
    os.environ.update(HOME=box, TMPDIR=tmp, MPLCONFIGDIR=f"{box}/.mpl",
                      IPYTHONDIR=f"{box}/.ipython", COURSE_MODE="collect", COURSE_ANSWERS=f"fd:{fd}",
                      COURSE_PROGRESS=f"{box}/progress.json")


def _run_child(job: dict, fd: int, isolation: str) -> None:
    """In the forked child: confine, then run the cells. Never returns."""
    from .cellrun import report, run_cells

    try:
        devnull = os.open(os.devnull, os.O_RDWR)
        for target in (0, 1, 2):
            os.dup2(devnull, target)
        os.closerange(3, fd)
        os.closerange(fd + 1, 65536)
        if isolation == FULL:
            from .jail import Limits, confine

            confine(Limits(**job["limits"]), deadline=job["timeout"])
            box = "/box"
        else:
            from .weak import confine_weakly

            box = confine_weakly(job)
        _child_environment(box, fd)
        run_cells(job["cells"], fd, job["cell_timeout"], job["output_cap"])
        report(fd, {"done": True})
    except BaseException as error:  # reported to the grader, never raised further
        report(fd, {"cell": -1, "error": type(error).__name__, "where": "setup"})
    os._exit(0)


def _collect(read_fd: int, pid: int, job: dict, isolation: str, wait) -> dict:
    """Read the child's records until it is gone (or the deadline passes); bounded.

    ``wait(pid)`` returns the child's exit code (the spawner, its parent, reports it)."""
    deadline = time.monotonic() + job["timeout"] + 10
    chunks, size, truncated, timed_out = [], 0, False, False
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            timed_out = True
            _kill(pid, isolation)
            break
        ready, _, _ = select.select([read_fd], [], [], min(left, 1.0))
        if not ready:
            continue
        data = os.read(read_fd, 1 << 16)
        if not data:
            break
        if size < job["max_bytes"]:
            chunks.append(data[:job["max_bytes"] - size])
            truncated = truncated or size + len(data) > job["max_bytes"]
            size += len(data)
        else:
            truncated = True
    os.close(read_fd)
    code = wait(pid)
    records = [r for r in (_parse(line) for line in b"".join(chunks).decode("utf-8", "replace").splitlines()) if r]
    return {"records": records, "exit": code, "timed_out": timed_out or code == 128 + signal.SIGKILL,
            "truncated": truncated}


def _wait_child(pid: int) -> int:
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


def _kill(pid: int, isolation: str) -> None:
    try:
        if isolation == FULL:
            os.kill(pid, signal.SIGKILL)          # the guardian; its runner dies with it (parent-death signal)
        else:
            os.killpg(pid, signal.SIGKILL)
    except OSError:
        pass


def _run_inline(job: dict) -> dict:
    """Where there is no ``fork`` (Windows): run the job in this process, which then exits."""
    import threading

    from .cellrun import report, run_cells
    from .weak import confine_weakly

    read_fd, write_fd = os.pipe()
    chunks: list[bytes] = []
    reader = threading.Thread(target=lambda: chunks.extend(iter(lambda: os.read(read_fd, 1 << 16), b"")), daemon=True)
    reader.start()
    try:
        _child_environment(confine_weakly(job), write_fd)
        run_cells(job["cells"], write_fd, job["cell_timeout"], job["output_cap"])
        report(write_fd, {"done": True})
    except BaseException as error:  # reported to the grader, never raised further
        report(write_fd, {"cell": -1, "error": type(error).__name__, "where": "setup"})
    os.close(write_fd)
    reader.join(timeout=10)
    data = b"".join(chunks)[:job["max_bytes"]]
    records = [r for r in (_parse(line) for line in data.decode("utf-8", "replace").splitlines()) if r]
    return {"records": records, "exit": 0, "timed_out": False, "truncated": False}


def _parse(line: str) -> dict | None:
    try:
        record = json.loads(line)
    except (ValueError, RecursionError):         # not JSON, or nested deeper than the parser goes
        return None
    return record if isinstance(record, dict) else None


def child_job(job: dict, isolation: str) -> dict:
    """What the child is given: under ``full`` isolation not the teacher's paths (``deny`` is for ``weak``)."""
    return {k: v for k, v in job.items() if not (isolation == FULL and k == "deny")}


class Spawner:
    """The clean warm process children are forked from (see the module docstring).

    Per job it receives, over a socket, the read end of a job pipe and the write end of a
    records pipe, forks the child, answers ``"<pid>"`` and later ``"<exit code> <CPU seconds
    of its children so far>"``; it never reads a job or a record."""

    def __init__(self, sock: socket.socket, pid: int, isolation: str) -> None:
        self.sock, self.pid, self.isolation = sock, pid, isolation
        self.reader = sock.makefile("rb")
        self.children_cpu = 0.0

    @classmethod
    def start(cls, isolation: str) -> Spawner:
        ours, theirs = socket.socketpair()
        pid = os.fork()
        if pid == 0:
            ours.close()
            devnull = os.open(os.devnull, os.O_RDWR)
            for target in (0, 1):                     # not the pool's pipes: only the zygote talks to the pool
                os.dup2(devnull, target)
            _spawn_loop(theirs, isolation)
        theirs.close()
        return cls(ours, pid, isolation)

    def _line(self) -> str:
        line = self.reader.readline()
        if not line:
            raise SystemExit("spawner gone")          # the pool starts a new zygote
        return line.decode("ascii").strip()

    def run(self, job: dict) -> dict:
        job_r, job_w = os.pipe()
        rec_r, rec_w = os.pipe()
        socket.send_fds(self.sock, [b"j"], [job_r, rec_w])
        os.close(job_r)
        os.close(rec_w)
        pid = int(self._line())
        try:
            with os.fdopen(job_w, "wb") as pipe:
                pipe.write(json.dumps(child_job(job, self.isolation), ensure_ascii=False).encode("utf-8"))
        except OSError:                               # the child is gone already: its records say why
            pass

        def wait(_pid: int) -> int:
            code, cpu = self._line().split()
            self.children_cpu = float(cpu)
            return int(code)

        return _collect(rec_r, pid, job, self.isolation, wait)


def _spawn_loop(sock: socket.socket, isolation: str) -> None:
    """In the spawner: fork one child per pair of descriptors received. Never returns."""
    while True:
        try:
            message, fds, _, _ = socket.recv_fds(sock, 1, 2)
        except OSError:
            os._exit(1)
        if not message or len(fds) != 2:
            os._exit(0)
        job_r, rec_w = fds
        pid = os.fork()
        if pid == 0:
            sock.close()
            with os.fdopen(job_r, "rb") as pipe:
                data = pipe.read()
            try:
                job = json.loads(data)
            except (ValueError, RecursionError):
                os._exit(1)
            _run_child(job, rec_w, isolation)
        os.close(job_r)
        os.close(rec_w)
        sock.sendall(f"{pid}\n".encode("ascii"))
        code = _wait_child(pid)
        times = os.times()
        sock.sendall(f"{code} {times.children_user + times.children_system:.3f}\n".encode("ascii"))


def run_job(job: dict, spawner: Spawner | None) -> dict:
    """One job: in a child of the spawner, or in this process where there is no ``fork``."""
    return spawner.run(job) if spawner is not None else _run_inline(job)


def _die_with_parent() -> None:
    """Outside bubblewrap nothing ends a zygote whose grader was killed: watch for it."""
    import threading

    parent = os.getppid()

    def watch():
        while True:
            time.sleep(1)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def main() -> int:
    isolation = os.environ.get("COURSE_ISOLATION", WEAK)
    if isolation != FULL:
        _die_with_parent()
    seconds = warm_up()
    spawner = Spawner.start(isolation) if hasattr(os, "fork") else None    # before any job is read
    out = sys.stdout
    out.write(json.dumps({"ready": True, "seconds": round(seconds, 2)}) + "\n")
    out.flush()
    for line in sys.stdin:
        try:
            job = json.loads(line)
        except (ValueError, RecursionError):
            continue
        result = run_job(job, spawner)
        times = os.times()
        children = spawner.children_cpu if spawner else times.children_user + times.children_system
        result["cpu"] = round(times.user + times.system + children, 3)
        out.write(json.dumps(result, ensure_ascii=False) + "\n")
        out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
