"""A teacher's score overrides from the review desk (``python -m course_lib review``).

An override belongs to one student's answer to one exercise: the key is (单元, 学号 — or the
file when no 学号 is known, 练习), and it remembers a fingerprint of the answer it was made
for.  When the student later hands in a different answer, the override no longer applies: the
new answer gets its automatic score and ``需要确认.md`` lists the override as 已失效.

Overrides are stored in their own table of the gradebook (:mod:`.store`), never in a result,
so ``--regrade`` and a second grading run keep them; every report reads results through
:func:`apply`.

>>> from course_lib.grading.results import ExerciseResult, SubmissionResult
>>> r = SubmissionResult("a.ipynb", "", student_id="2023", unit="u01").with_exercises(
...     [ExerciseResult("u01.e5", "reply", 4, 1, "wrong", "您好，在的。")], 4)
>>> o = make_override(r, "u01.e5", "3.5", "回答了正品问题，只是没有给出依据")
>>> reviewed = apply([r], [o])[0]
>>> reviewed.total, reviewed.exercise("u01.e5").status, reviewed.exercise("u01.e5").auto_score
(3.5, 'partial', 1.0)
>>> make_override(r, "u01.e5", "5", "")
Traceback (most recent call last):
...
course_lib.grading.overrides.OverrideError: 分数应在0到4之间，现在是5。
"""
from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from dataclasses import dataclass, replace

from .feedback import plain
from .results import SubmissionResult, fmt_number

MAX_COMMENT = 500            # characters of a teacher's comment


class OverrideError(ValueError):
    """An override that cannot be made; ``str(error)`` is a Chinese message."""


@dataclass(frozen=True)
class Override:
    """A teacher's score for one student's answer to one exercise."""

    unit: str
    who: str                  # 学号, or the file when the student has none
    exercise: str
    score: float
    comment: str
    answer_hash: str          # :func:`answer_hash` of the answer it was made for

    @property
    def key(self) -> tuple[str, str, str]:
        return self.unit, self.who, self.exercise


def who(result: SubmissionResult) -> str:
    """Whose result this is, for overrides: the 学号, or the file when there is none."""
    return result.student_id or result.file


def answer_hash(answer: str) -> str:
    """A fingerprint of an answer (line endings and surrounding blanks do not count).

    >>> answer_hash("您好 \\r\\n") == answer_hash("您好\\n")
    True
    """
    text = "\n".join(line.rstrip() for line in (answer or "").replace("\r\n", "\n").split("\n")).strip()
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def parse_score(text: object) -> float:
    """A score as a teacher types it: ``3``, ``3.5``, full-width ``３．５``, ``3分``.

    >>> parse_score("３．５分"), parse_score(2)
    (3.5, 2.0)
    >>> parse_score("三分")
    Traceback (most recent call last):
    ...
    course_lib.grading.overrides.OverrideError: 分数应是数字（例如3或3.5），现在是“三分”。
    """
    if isinstance(text, bool):
        raise OverrideError(f"分数应是数字（例如3或3.5），现在是“{text}”。")
    if isinstance(text, (int, float)):
        value = float(text)
    else:
        raw = unicodedata.normalize("NFKC", str(text)).strip().removesuffix("分").strip()
        shown = plain(str(text)).strip()[:20]
        if not re.fullmatch(r"[+]?(\d+(\.\d*)?|\.\d+)", raw):
            raise OverrideError(f"分数应是数字（例如3或3.5），现在是“{shown}”。" if shown else "请先填写分数。")
        value = float(raw)
    if not math.isfinite(value):
        raise OverrideError("分数应是有限的数字。")
    return value


def make_override(result: SubmissionResult, exercise_id: str, score: object, comment: str) -> Override:
    """The override of ``exercise_id`` in ``result`` (as graded automatically), validated."""
    if not result.graded:
        raise OverrideError(f"{result.file} 没有评分（已拒收），不能复核分数。")
    exercise = result.exercise(exercise_id)
    if exercise is None:
        raise OverrideError(f"{result.file} 里没有练习{exercise_id}。")
    value = parse_score(score)
    if not 0 <= value <= exercise.points:
        raise OverrideError(f"分数应在0到{fmt_number(exercise.points)}之间，现在是{fmt_number(value)}。")
    if not isinstance(comment, str):
        raise OverrideError("意见应是文字。")
    comment = plain(comment).strip()
    if len(comment) > MAX_COMMENT:
        raise OverrideError(f"意见最多{MAX_COMMENT}个字，现在有{len(comment)}个字。")
    return Override(result.unit, who(result), exercise_id, round(value, 2), comment, answer_hash(exercise.answer))


def _status(score: float, points: float) -> str:
    if points > 0 and score >= points:
        return "correct"
    return "partial" if score > 0 else "wrong"


def apply(results, overrides) -> list[SubmissionResult]:
    """``results`` with every override that still fits put in (score, status, total).

    An override fits when its key matches and the answer is the one it was made for; a
    reviewed exercise keeps the automatic score in ``auto_score``.
    """
    by_key = {o.key: o for o in overrides}
    if not by_key:
        return list(results)
    out = []
    for r in results:
        if not r.graded:
            out.append(r)
            continue
        changed, exercises = False, []
        for e in r.exercises:
            o = by_key.get((r.unit, who(r), e.id))
            if o is not None and o.answer_hash == answer_hash(e.answer):
                score = min(o.score, e.points)
                e = replace(e, score=score, status=_status(score, e.points), reviewed=True,
                            auto_score=float(e.score), comment=o.comment)
                changed = True
            exercises.append(e)
        out.append(r.with_exercises(exercises, r.max) if changed else r)
    return out


def stale(results, overrides) -> list[Override]:
    """The overrides whose student's answer has changed since (they no longer apply)."""
    answers = {(r.unit, who(r), e.id): e.answer for r in results if r.graded for e in r.exercises}
    return [o for o in overrides if o.key in answers and answer_hash(answers[o.key]) != o.answer_hash]
