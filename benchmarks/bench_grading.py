"""Benchmark (measured, not asserted): grade 40 submissions of unit 01 on this machine, and
execute the same 40 one by one with ``jupyter nbconvert --execute`` (what nbgrader does).

Run: ``python benchmarks/bench_grading.py [N]``.
"""
from __future__ import annotations

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


def main(n: int = 40) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        edition, _ = build(tmp / "edition")
        make_class(edition / "notebooks" / "01_intro.ipynb", tmp / "subs", n)
        start = time.perf_counter()
        grader = Grader(tmp / "out", tmp / "subs", progress=False)
        results = grader.run()
        grader.book.close()
        ours = time.perf_counter() - start
        graded = sum(r.graded for r in results)
        print(f"course_lib grade: {n} submissions of unit 01 in {ours:.1f} s "
              f"({grader.workers} workers; {graded} graded)")
        start = time.perf_counter()
        for path in sorted((tmp / "subs").glob("*.ipynb")):
            subprocess.run([sys.executable, "-m", "jupyter", "nbconvert", "--to", "notebook", "--execute",
                            "--output-dir", str(tmp / "nbconvert"), str(path)], check=True, capture_output=True,
                           env={**__import__("os").environ, "PYTHONPATH": str(edition)})
        serial = time.perf_counter() - start
        print(f"nbconvert --execute one by one: {serial:.1f} s (execution only, no grading)")
        print(f"ratio: {serial / ours:.2f}× faster")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 40)
