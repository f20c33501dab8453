"""Benchmarks (measured, never asserted): import weight of course_lib and notebook execution time.

Run: ``python benchmarks/bench.py``. Prints a small Chinese/English report; numbers go
into closing notes, not into tests (shared machines are noisy).
"""
from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
HEAVY = ("pandas", "matplotlib", "ipywidgets", "IPython", "numpy", "yaml")


def import_cost(repeats: int = 5) -> tuple[float, list[str]]:
    code = ("import sys, time; t = time.perf_counter(); import course_lib; "
            "dt = time.perf_counter() - t; import json; "
            f"print(json.dumps([dt, sorted({{m.split('.')[0] for m in sys.modules}} & set({list(HEAVY)!r}))]))")
    runs = [json.loads(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                      check=True).stdout) for _ in range(repeats)]
    return statistics.median(r[0] for r in runs), runs[0][1]


def notebook_time(path: Path) -> float:
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["COURSE_PROGRESS"] = str(Path(tmp) / "p.json")
        client = NotebookClient(nb, timeout=600, kernel_name="python3",
                                resources={"metadata": {"path": str(path.parent)}})
        start = time.perf_counter()
        client.execute()
        return time.perf_counter() - start


def main() -> None:
    seconds, heavy = import_cost()
    print(f"import course_lib: {seconds * 1000:.1f} ms (median of 5); heavy modules loaded: {heavy or 'none'}")
    for path in sorted((REPO / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        runs = [notebook_time(path) for _ in range(3)]
        print(f"{path.name}: executes in {statistics.median(runs):.2f} s "
              f"(median of 3, incl. kernel start; min {min(runs):.2f} s, max {max(runs):.2f} s)")


if __name__ == "__main__":
    main()
