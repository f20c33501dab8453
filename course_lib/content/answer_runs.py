"""Did the answer cell of an exercise last run without an error?

A student fixes an answer, makes a new slip (Chinese quotes, a missing quote), runs the answer
cell — it fails — and runs the check cell below: ``check()`` then sees the variable from the
*earlier* run and would report it as the answer.  ``setup()`` tells this module after every cell
that runs (IPython's ``post_run_cell``), so ``check()`` can say that the answer cell failed instead.
Outside IPython (the grader, plain Python) nothing is recorded and nothing changes.

>>> note_run('answer_e7 = “ZZ”', ok=False)
>>> answer_cell_failed("u99.e7")
True
>>> note_run('answer_e7 = "ZZ"', ok=True)
>>> answer_cell_failed("u99.e7")
False
"""
from __future__ import annotations

import re

ASSIGNED = re.compile(r"^[ \t]*(answer_e\d+)[ \t]*=(?!=)", re.M)
_failed: dict[str, bool] = {}            # answer variable → did the last cell that assigns it fail?


def note_run(source: str, ok: bool) -> None:
    """Record one finished cell: its code and whether it ran without an error."""
    for name in set(ASSIGNED.findall(source or "")):
        _failed[name] = not ok


def answer_cell_failed(exercise_id: str) -> bool:
    """True when the last run of the cell assigning this exercise's ``answer_eN`` ended in an error."""
    return isinstance(exercise_id, str) and _failed.get("answer_" + exercise_id.rpartition(".")[2], False)


def forget() -> None:
    """Start again (a new ``setup()``: the kernel may have been restarted)."""
    _failed.clear()
