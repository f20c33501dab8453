"""Running a submission's code cells without a Jupyter kernel (inside the confined child).

The cells run in an IPython ``InteractiveShell`` — magics, the last expression's display,
``SystemExit`` and errors behave as in a kernel — with a time limit per cell and output
counted but thrown away (the grader needs the answers, not the outputs).  ``check()`` runs
in collect mode and writes each answer's canonical form to the report descriptor; this
module adds one record per cell (started, error, timeout, huge output) to the same stream:

    {"cell": 3, "start": true}
    {"cell": 3, "error": "ZeroDivisionError"}
    {"id": "u01.e2", "status": "recorded", "answer": ["B", "D", "C", "A"], ...}
"""
from __future__ import annotations

import io
import json
import os
import signal
import sys

WRITE_LIMIT = 1 << 16      # bytes of one record


class CellTimeout(BaseException):
    """Raised in the running code when a cell exceeds its time limit."""


def report(fd: int, record: dict) -> None:
    """Write one JSON line to the report descriptor (never raises)."""
    try:
        os.write(fd, (json.dumps(record, ensure_ascii=False)[:WRITE_LIMIT] + "\n").encode("utf-8"))
    except (OSError, ValueError):
        pass


class CappedSink(io.TextIOBase):
    """A text stream that counts what is written and keeps nothing."""

    def __init__(self, cap: int) -> None:
        self.cap, self.count = cap, 0

    def writable(self) -> bool:
        return True

    def write(self, text) -> int:
        self.count += len(text) if isinstance(text, str) else 0
        return len(text) if isinstance(text, str) else 0

    @property
    def over(self) -> bool:
        return self.count > self.cap


def shell():
    """The IPython shell the cells run in (created once, in the zygote, before any fork)."""
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config

    config = Config()
    config.HistoryManager.enabled = False
    config.InteractiveShell.colors = "NoColor"
    config.InteractiveShell.xmode = "Plain"
    return InteractiveShell.instance(config=config)


def run_cells(cells: list[list], fd: int, cell_timeout: int, output_cap: int) -> None:
    """Run ``[[number, source], …]`` in order, reporting to ``fd``."""
    ipython = shell()
    sink = CappedSink(output_cap)
    sys.stdout = sys.stderr = sink
    ipython.display_pub.publish = lambda data=None, *args, **kwargs: sink.write(str(data)[:output_cap + 1])

    def expired(signum, frame):
        signal.setitimer(signal.ITIMER_REAL, 1.0)      # again each second, if the code swallows it
        raise CellTimeout()

    signal.signal(signal.SIGALRM, expired)
    for number, source in cells:
        report(fd, {"cell": number, "start": True})
        sink.count = 0
        signal.setitimer(signal.ITIMER_REAL, cell_timeout)
        try:
            result = ipython.run_cell(source, store_history=False)
        except CellTimeout:
            result = None
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        error = None if result is None else (result.error_before_exec or result.error_in_exec)
        if result is None or isinstance(error, CellTimeout):
            report(fd, {"cell": number, "timeout": True})
        elif error is not None:
            report(fd, {"cell": number, "error": type(error).__name__})
        if sink.over:
            report(fd, {"cell": number, "huge_output": True})
