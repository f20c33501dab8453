"""How many files of one student and unit are run: a bound on what one upload can cost the class.

A student may hand in several files for a unit (a draft, a fix); :func:`.identity.resolve` counts
the latest.  Without a bound one upload could hold thousands of notebooks — a zip of decoys,
each with its own time budget — and hold the whole class's grading up for days.  So at most
``limit`` files per student and unit are run: the latest ones by the same rule that picks the
counted file, plus any file the teacher named with ``--prefer``; the others are listed, unrun,
with the reason.  Files no student can be named for are bounded the same way by the top folder
(or zip) they came in, so fake 学号 and two names in one path do not escape the bound.

>>> from course_lib.grading.submissions import Submission
>>> subs = [Submission(f"20240001_张三/草稿{n}.ipynb", b'{"cells": [], "nbformat": 4}', submitted=f"2025-03-0{n} 08:00:00")
...         for n in range(1, 6)]
>>> skipped = beyond_the_limit(subs, limit=3, unit_of=lambda s: "u01")
>>> sorted(skipped)
['20240001_张三/草稿1.ipynb', '20240001_张三/草稿2.ipynb']
>>> skipped['20240001_张三/草稿1.ipynb'].reason[:20]
'同一单元交了5份，只评提交时间最新的3份'
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import PurePosixPath

from .identity import Roster, identify
from .results import SubmissionResult
from .submissions import Submission, inspect

SKIPPED = "同一单元交了"          # how a skipped file's reason begins (a later run may have to grade it after all)


def beyond_the_limit(subs: Iterable[Submission], limit: int, roster: Roster | None = None,
                     when: Callable[[SubmissionResult], str] = lambda r: r.submitted,
                     preferred: frozenset[str] = frozenset(),
                     unit_of: Callable[[Submission], str] | None = None) -> dict[str, SubmissionResult]:
    """The files not to run (path → their rejection), at most ``limit`` run per student and unit."""
    unit_of = unit_of or (lambda s: inspect(s).unit)
    groups: dict[tuple[str, str], list[tuple[Submission, SubmissionResult]]] = {}
    for sub in subs:
        if sub.unreadable:
            continue
        who = identify(sub.rel, roster)
        unit = unit_of(sub)
        if not unit:
            continue
        known = SubmissionResult(sub.rel, sub.sha256, student_id=who.student_id, name=who.name, unit=unit,
                                 notes=who.notes, submitted=sub.submitted, identified=who.identified)
        # files nobody can be named for are bounded by the top folder they came in (an upload, a subfolder)
        key = who.student_id if who.identified else "\0" + PurePosixPath(sub.rel).parts[0]
        groups.setdefault((key, unit), []).append((sub, known))
    skipped = {}
    for (key, _unit), files in groups.items():
        if len(files) <= limit:
            continue
        latest = sorted(files, key=lambda pair: (when(pair[1]), pair[1].file), reverse=True)
        run = {known.file for _, known in latest[:limit]} | {known.file for _, known in files if known.file in preferred}
        for sub, known in files:
            if known.file in run:
                continue
            if known.identified:
                reason = (f"{SKIPPED}{len(files)}份，只评提交时间最新的{limit}份（计分的是最新的一份），这一份没有运行；"
                          "要改评这一份，用 --prefer 指定它再评一次")
            else:
                reason = (f"{SKIPPED}{len(files)}份认不出是谁的作业（都在「{key[1:]}」里），只评提交时间最新的{limit}份，"
                          "这一份没有运行；请改成带学号的文件名（或给出名单）后再评")
            skipped[sub.rel] = SubmissionResult.rejected(sub.rel, sub.sha256, reason, student_id=known.student_id,
                                                         name=known.name, unit=known.unit, notes=known.notes,
                                                         submitted=sub.submitted, identified=known.identified)
    return skipped
