"""Benchmark (measured, not asserted): the review desk on a graded class of N unit-01 submissions.

How long a teacher waits after pressing Ctrl+Enter — saving an override regenerates every report
(成绩表 CSV and .xlsx, feedback, statistics with its chart and the copy hints, 需要确认.md) —
and how long the page's list of one exercise takes to build.

Run: ``python benchmarks/bench_review.py [N]`` (default 40).
"""
from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from course_lib.grading.grader import Grader  # noqa: E402
from course_lib.grading.release import build  # noqa: E402
from course_lib.grading.review import Desk  # noqa: E402
from tests.classroom import make_class  # noqa: E402


def main(n: int = 40) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        edition, _ = build(tmp / "edition")
        make_class(edition / "notebooks" / "01_intro.ipynb", tmp / "subs", n)
        grader = Grader(tmp / "out", tmp / "subs", workers=2, progress=False)
        grader.run()
        grader.book.close()
        desk = Desk(tmp / "out")
        lists, saves = [], []
        for i in range(5):
            start = time.perf_counter()
            items = desk.items("u01.e5")
            lists.append(time.perf_counter() - start)
            item = items[i]
            start = time.perf_counter()
            desk.save("u01.e5", item.who, "3", "基准测试")
            saves.append(time.perf_counter() - start)
        desk.close()
    print(f"review desk, {n} graded unit-01 submissions, 5 tries each:")
    print(f"  list one exercise: median {1000 * statistics.median(lists):.0f} ms (max {1000 * max(lists):.0f} ms)")
    print(f"  save an override and regenerate every report: median {statistics.median(saves):.2f} s "
          f"(max {max(saves):.2f} s)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 40)
