"""Typed grading results: what the grader found for one exercise and for one submitted file.

Results are data: the grader builds them, the gradebook stores them as JSON
(:meth:`SubmissionResult.to_json` / :meth:`SubmissionResult.from_json`, which validates),
and the reports read them.  A file that cannot be graded is
``SubmissionResult.rejected(file, sha256, reason)``.

>>> r = SubmissionResult.rejected("a.ipynb", "ab", "文件是空的", student_id="2023", name="张三")
>>> r.status, r.graded, r.reason
('rejected', False, '文件是空的')
>>> SubmissionResult.from_json(r.to_json()) == r
True
>>> SubmissionResult.from_json({"file": "a.ipynb", "sha256": "", "status": "done"})
Traceback (most recent call last):
...
course_lib.grading.results.ResultError: 评分结果 a.ipynb 的 status 应是 graded 或 rejected，现在是 'done'。
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, replace
from typing import Any

GRADED, REJECTED = "graded", "rejected"
STATUS_LABELS = {GRADED: "已评分", REJECTED: "已拒收"}


class ResultError(ValueError):
    """A stored result is unusable; ``str(error)`` is a Chinese message."""


@dataclass(frozen=True)
class ExerciseResult:
    """One exercise of a graded submission.

    ``status`` is a :data:`course_lib.content.results.STATUS_NAMES` key; ``answer`` is the
    student's answer as they would write it; ``message`` says what was wrong and ``hint``
    how to improve; ``missing`` lists the reply-rubric points not made (text answers).
    ``reviewed``: a teacher set ``score`` at the review desk (:mod:`.overrides`), with their
    ``comment``; ``auto_score`` keeps what the automatic scorer gave.
    """

    id: str
    type: str = ""
    points: float = 0.0
    score: float = 0.0
    status: str = "unanswered"
    answer: str = ""
    message: str = "尚未作答"
    hint: str = ""
    missing: tuple[str, ...] = ()
    reviewed: bool = False
    auto_score: float = 0.0
    comment: str = ""


@dataclass(frozen=True)
class SubmissionResult:
    """What the grader found for one submitted file."""

    file: str
    sha256: str
    status: str = REJECTED
    student_id: str = ""
    name: str = ""
    unit: str = ""
    reason: str = ""
    notes: tuple[str, ...] = ()
    exercises: tuple[ExerciseResult, ...] = ()
    total: float = 0.0
    max: float = 0.0
    identified: bool = True        # False: the path names no (roster) student
    submitted: str = ""            # the file's modification time, "YYYY-MM-DD HH:MM:SS"

    @classmethod
    def rejected(cls, file: str, sha256: str, reason: str, **known: Any) -> SubmissionResult:
        """A file the grader could not grade, with the reason the teacher and student see."""
        return cls(file, sha256, REJECTED, reason=reason, **known)

    @property
    def graded(self) -> bool:
        return self.status == GRADED

    def exercise(self, exercise_id: str) -> ExerciseResult | None:
        return next((e for e in self.exercises if e.id == exercise_id), None)

    def with_exercises(self, exercises: list[ExerciseResult], maximum: float) -> SubmissionResult:
        """This submission graded: its exercises, the total of their scores and the full marks."""
        return replace(self, status=GRADED, exercises=tuple(exercises),
                       total=round(sum(e.score for e in exercises), 2), max=float(maximum))

    def to_json(self) -> dict:
        data = asdict(self)
        data["notes"] = list(self.notes)
        data["exercises"] = [dict(e, missing=list(e["missing"])) for e in data["exercises"]]
        return data

    @classmethod
    def from_json(cls, data: object) -> SubmissionResult:
        """Validate and build; :class:`ResultError` (Chinese) for anything unusable."""
        if not isinstance(data, dict):
            raise ResultError(f"评分结果应是 dict，现在是 {type(data).__name__}。")
        if not isinstance(data.get("file"), str) or not data["file"]:
            raise ResultError("评分结果缺少 file（提交文件的相对路径）。")
        where = f"评分结果 {data['file']}"
        if not isinstance(data.get("sha256"), str):
            raise ResultError(f"{where} 缺少 sha256。")
        if data.get("status") not in STATUS_LABELS:
            raise ResultError(f"{where} 的 status 应是 graded 或 rejected，现在是 {data.get('status')!r}。")
        for key in ("student_id", "name", "unit", "reason"):
            if not isinstance(data.get(key, ""), str):
                raise ResultError(f"{where} 的 {key} 应是字符串。")
        if not isinstance(data.get("exercises", []), list) or not isinstance(data.get("notes", []), list):
            raise ResultError(f"{where} 的 exercises 和 notes 应是列表。")
        if data["status"] == GRADED and not data.get("unit"):
            raise ResultError(f"{where} 已评分，却没有单元（unit）。")
        if not isinstance(data.get("submitted", ""), str) or not isinstance(data.get("identified", True), bool):
            raise ResultError(f"{where} 的 submitted 应是字符串，identified 应是 true/false。")
        try:
            json.dumps(data, allow_nan=False)
            exercises = tuple(_exercise(e) for e in data.get("exercises", []))
            return cls(data["file"], data["sha256"], data["status"], data.get("student_id") or "",
                       data.get("name") or "", data.get("unit") or "", data.get("reason") or "",
                       tuple(str(n) for n in data.get("notes") or []), exercises,
                       float(data.get("total") or 0), float(data.get("max") or 0),
                       data.get("identified", True), data.get("submitted") or "")
        except (TypeError, ValueError) as error:
            raise ResultError(f"{where} 不能保存为 JSON：{error}") from error


def _exercise(data: object) -> ExerciseResult:
    if not isinstance(data, dict) or not isinstance(data.get("id"), str):
        raise ValueError("每道练习的结果应是带 id 的字典")
    known = {f: data[f] for f in ExerciseResult.__dataclass_fields__ if f in data and data[f] is not None}
    known["missing"] = tuple(known.get("missing", ()))
    for key in ("points", "score", "auto_score"):
        if key in known:
            known[key] = float(known[key])
    return ExerciseResult(**known)


@dataclass
class CollectedAnswers:
    """What a run of one submission produced: answers by exercise id, notes, a violation."""

    answers: dict = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    violation: str = ""


# ----------------------------------------------------------------------------- helpers for reports

def result_order(result: SubmissionResult) -> tuple:
    """Results sorted by (unit, 学号, file)."""
    return (result.unit, result.student_id, result.file)


def natural_key(text: str) -> list:
    """Sort key putting ``u01.e2`` before ``u01.e10``.

    >>> sorted(["u01.e10", "u01.e2", "u01.e1"], key=natural_key)
    ['u01.e1', 'u01.e2', 'u01.e10']
    """
    import re

    return [int(part) if i % 2 else part for i, part in enumerate(re.split(r"(\d+)", text))]


def fmt_number(value: float | None) -> str:
    """A score for people: at most 2 decimals, no trailing zeros; ``''`` for ``None``.

    >>> fmt_number(2.0), fmt_number(7.5), fmt_number(1 / 3), fmt_number(None)
    ('2', '7.5', '0.33', '')
    """
    if value is None:
        return ""
    text = f"{round(float(value), 2) + 0.0:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def graded_in(results, unit: str) -> list[SubmissionResult]:
    """The graded results of ``unit``."""
    return [r for r in results if r.graded and r.unit == unit]


def full_marks(results, unit: str) -> float | None:
    """The 满分 of ``unit`` (``None`` without graded results)."""
    maxima = [r.max for r in graded_in(results, unit)]
    return max(maxima) if maxima else None


def exercise_ids(results, unit: str) -> list[str]:
    """Every exercise id graded in ``unit``, in natural order."""
    ids = {e.id for r in graded_in(results, unit) for e in r.exercises if e.id}
    return sorted(ids, key=natural_key)


def review_note(e) -> str:
    """What a reviewed exercise says in the 成绩表's 备注 and the student's feedback.

    >>> review_note(ExerciseResult("u01.e5", "reply", 4, 3, reviewed=True, auto_score=1))
    '教师复核：练习u01.e5由自动评分的1分改为3分'
    """
    if e.score == e.auto_score:
        return f"教师复核：练习{e.id}确认为{fmt_number(e.score)}分"
    return f"教师复核：练习{e.id}由自动评分的{fmt_number(e.auto_score)}分改为{fmt_number(e.score)}分"
