"""The results of several grading runs read together, for the course gradebook
(:mod:`.coursebook`) and the feedback release (:mod:`.handback`).

Each folder is the ``--out`` of one ``grade`` run (its ``gradebook.sqlite``).  Nothing is
graded again: the stored results are read, identified again by the same rule (with the
roster given here, when there is one), and one result per student and unit is chosen by the
same rule as the unit's 成绩表 (:func:`.identity.resolve`); a student's unit found in two
folders is treated like two files handed in.  The due dates each run remembered are merged.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from .identity import Resolution, Roster, identify, resolve
from .late import Deadlines, LateRule
from .reports import submission_time
from .store import Gradebook, GradebookError

BOOK = "gradebook.sqlite"


class CollectError(ValueError):
    """A results folder is unusable; ``str(error)`` is a Chinese message."""


@dataclass
class Collected:
    """Every stored result (files prefixed with their folder's name), the due dates the runs
    used, the chosen results and what the teacher should check."""

    results: list = field(default_factory=list)
    deadlines: Deadlines = field(default_factory=Deadlines)
    resolution: Resolution = field(default_factory=Resolution)
    problems: list[str] = field(default_factory=list)


def _label(folder: Path, used: set[str]) -> str:
    label, n = folder.resolve().name or "评分结果", 1
    while label in used:
        n += 1
        label = f"{folder.resolve().name}_{n}"
    used.add(label)
    return label


def collect(folders: list[Path], roster: Roster | None = None, deadlines: Deadlines | None = None) -> Collected:
    """Read the gradebooks of ``folders``; ``deadlines`` (from the course settings) override the
    due dates the runs remembered, unit by unit."""
    out, used, preferred, due, rule = Collected(), set(), set(), {}, None
    for folder in folders:
        path = Path(folder) / BOOK
        if not path.is_file():
            raise CollectError(f"{folder} 里没有成绩库 {BOOK}：请给出 grade 命令的 --out 文件夹（先运行 grade 评分）。")
        label = _label(Path(folder), used)
        try:
            with Gradebook(path) as book:
                stored, chosen, remembered = book.results(), book.preferred(), book.meta("deadlines")
        except GradebookError as error:
            raise CollectError(str(error)) from None
        run = Deadlines.from_json(remembered)
        if run is not None:
            for unit, when in run.due.items():
                if unit in due and due[unit] != when:
                    out.problems.append(f"单元{unit}在两次评分中的截止时间不同（{due[unit]:%Y-%m-%d %H:%M}、"
                                        f"{when:%Y-%m-%d %H:%M}），按{label}的{when:%Y-%m-%d %H:%M}计")
                due[unit] = when
            rule = rule or run.rule
        for r in stored:
            if roster is not None:
                who = identify(r.file, roster)
                kept = tuple(n for n in r.notes if "学号" not in n and "姓名" not in n)   # identity notes are redone
                r = replace(r, student_id=who.student_id, name=who.name, identified=who.identified,
                            notes=who.notes + kept)
            out.results.append(replace(r, file=f"{label}/{r.file}"))
        preferred |= {f"{label}/{f}" for f in chosen}
    if deadlines is not None:
        due.update(deadlines.due)
        rule = deadlines.rule
    out.deadlines = Deadlines(due, rule or LateRule(), labelled=True)
    out.resolution = resolve(out.results, roster, frozenset(preferred), submission_time(out.deadlines))
    return out
