"""Benchmark (measured, not asserted): grade N filled unit-01 submissions with this grader and with
``nbgrader autograde`` on the same notebooks, side by side in one run; print wall and CPU time.

Run: ``python benchmarks/bench_grading.py [N] [ROUNDS]`` (default 40 submissions, 1 round).

nbgrader runs from its own virtual environment (``NBGRADER_VENV``, default ``/work/venv-nbgrader``;
create it with ``python3 -m venv DIR && DIR/bin/pip install nbgrader pandas matplotlib ipywidgets
pyyaml openpyxl``).  Without it, sequential ``jupyter nbconvert --execute`` (what nbgrader does per
notebook) is measured instead.  Other load on shared machines moves wall time a lot: compare the
pairs of one round, and the CPU seconds.
"""
from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from course_lib.grading.grader import Grader  # noqa: E402
from course_lib.grading.release import build  # noqa: E402
from tests.classroom import make_class  # noqa: E402

NBGRADER_VENV = Path(os.environ.get("NBGRADER_VENV", "/work/venv-nbgrader"))


def cpu_seconds() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def measure(run) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), cpu_seconds()
    run()
    return time.perf_counter() - wall, cpu_seconds() - cpu


SANDBOX_CPU = [0.0]     # the zygotes' CPU: they die by SIGKILL, so getrusage never sees it


def ours(subs: Path, out: Path) -> None:
    grader = Grader(out, subs, progress=False)
    results = grader.run()
    grader.book.close()
    assert sum(r.graded for r in results) == len(list(subs.glob("*.ipynb")))
    SANDBOX_CPU[0] = grader.cpu_seconds
    print(f"  course_lib: {'full isolation' if grader.isolation.full else 'WEAK isolation'}, {grader.workers} workers")


def nbgrader(subs: Path, course: Path, edition: Path) -> None:
    """``nbgrader autograde`` of the same notebooks in a course folder of its own."""
    python = NBGRADER_VENV / "bin" / "python"
    (course / "source" / "u01").mkdir(parents=True)
    shutil.copy(edition / "notebooks" / "01_intro.ipynb", course / "source" / "u01" / "01_intro.ipynb")
    (course / "nbgrader_config.py").write_text(
        f"c = get_config()\nc.CourseDirectory.root = r'{course}'\nc.ExecutePreprocessor.timeout = 120\n",
        encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(edition), "COURSE_DATA": str(edition / "data"), "MPLBACKEND": "Agg",
           "PATH": f"{NBGRADER_VENV / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}"}
    run = lambda *args: subprocess.run([str(python), "-m", "nbgrader", *args], cwd=course, env=env,  # noqa: E731
                                       check=True, capture_output=True)
    run("db", "assignment", "add", "u01")
    for path in sorted(subs.glob("*.ipynb")):
        student = path.stem.split("_")[0]
        run("db", "student", "add", student)
        target = course / "submitted" / student / "u01"
        target.mkdir(parents=True)
        shutil.copy(path, target / "01_intro.ipynb")
    run("generate_assignment", "u01", "--force")
    run("autograde", "u01", "--force")


def nbconvert(subs: Path, out: Path, edition: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(edition), "COURSE_DATA": str(edition / "data")}
    for path in sorted(subs.glob("*.ipynb")):
        subprocess.run([sys.executable, "-m", "jupyter", "nbconvert", "--to", "notebook", "--execute",
                        "--output-dir", str(out), str(path)], check=True, capture_output=True, env=env)


def main(n: int = 40, rounds: int = 1) -> None:
    have_nbgrader = (NBGRADER_VENV / "bin" / "nbgrader").exists()
    other = "nbgrader autograde" if have_nbgrader else "nbconvert --execute (one by one; nbgrader not installed)"
    print(f"{n} submissions of unit 01 on {os.cpu_count()} cores; {rounds} round(s): course_lib grade vs {other}")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        edition, _ = build(tmp / "edition")
        subs = tmp / "subs"
        make_class(edition / "notebooks" / "01_intro.ipynb", subs, n)
        for r in range(1, rounds + 1):
            ours_wall, ours_cpu = measure(lambda out=tmp / f"out{r}": ours(subs, out))
            ours_cpu += SANDBOX_CPU[0]
            if have_nbgrader:
                their_wall, their_cpu = measure(lambda course=tmp / f"course{r}": nbgrader(subs, course, edition))
            else:
                their_wall, their_cpu = measure(lambda out=tmp / f"nbconvert{r}": nbconvert(subs, out, edition))
            print(f"round {r}: course_lib {ours_wall:.1f} s wall, {ours_cpu:.1f} s CPU | "
                  f"{other.split(' (')[0]} {their_wall:.1f} s wall, {their_cpu:.1f} s CPU | "
                  f"{their_wall / ours_wall:.1f}× faster (wall), {their_cpu / ours_cpu:.1f}× less CPU")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))
