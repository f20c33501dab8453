"""The review desk's logic: one free-text exercise across the class, and a teacher's score saved.

The automatic reply scorer checks what a reply says, but a teacher still reads the replies:
:class:`Desk` lists, for one free-text exercise, every counted student's reply with the
automatic score and its reasons; :meth:`Desk.save` stores the teacher's score and comment as
an override (:mod:`.overrides`) and regenerates every report (成绩表 CSV/.xlsx, feedback,
statistics, ``需要确认.md``) at once.  The page and the local web server that show it are in
:mod:`.review_server`; this module is plain data.
"""
from __future__ import annotations

import os
from dataclasses import asdict, dataclass
from pathlib import Path

from ..content.banks import load_exercises
from ..content.qtypes import TYPES
from ..content.results import STATUS_NAMES
from . import reports
from .overrides import OverrideError, make_override, who
from .results import ExerciseResult, SubmissionResult, exercise_ids, fmt_number, natural_key
from .store import Gradebook

BOOK = "gradebook.sqlite"


class ReviewError(ValueError):
    """The review desk cannot do what was asked; ``str(error)`` is a Chinese message."""


@dataclass(frozen=True)
class DeskItem:
    """One student's answer to the exercise under review: their submission and the exercise's result
    (reviewed or not; ``auto_score`` holds the automatic score once a teacher has reviewed it)."""

    submission: SubmissionResult
    result: ExerciseResult

    @property
    def who(self) -> str:
        return who(self.submission)

    @property
    def auto_score(self) -> float:
        return self.result.auto_score if self.result.reviewed else self.result.score


@dataclass(frozen=True)
class DeskExercise:
    """A free-text exercise of the results, with what the student was asked."""

    id: str
    unit: str
    count: int
    points: float
    buyer: str = ""
    task: str = ""
    reference: str = ""


def _task(unit: str, exercise_id: str) -> tuple[str, str, str]:
    """(buyer's message, task, reference reply) of an exercise from the course's bank."""
    try:
        bank = load_exercises(unit)
    except ValueError:
        return "", "", ""
    q = next((q for q in bank.questions if q.id == exercise_id), None)
    if q is None or q.reply is None:
        return "", "", ""
    return q.reply.buyer, q.reply.task, q.reference or ""


class Desk:
    """The review desk of one results folder (the ``--out`` of ``grade``).

    >>> Desk("没有这个文件夹")
    Traceback (most recent call last):
    ...
    course_lib.grading.review.ReviewError: 没有这个文件夹 里没有评分结果（gradebook.sqlite）。请先用 grade 命令评分，再复核。
    """

    def __init__(self, folder: str | os.PathLike) -> None:
        self.folder = Path(folder)
        if not (self.folder / BOOK).is_file():
            raise ReviewError(f"{folder} 里没有评分结果（{BOOK}）。请先用 grade 命令评分，再复核。")
        self.book = Gradebook(self.folder / BOOK)

    def counted(self) -> list:
        return reports.gather(self.book)[1].counted

    def exercises(self) -> list[DeskExercise]:
        """The free-text exercises graded in this folder, in natural order."""
        counted = self.counted()
        found = []
        for unit in sorted({r.unit for r in counted if r.unit and r.graded}, key=natural_key):
            for exercise_id in exercise_ids(counted, unit):
                answers = [e for r in counted if r.graded and r.unit == unit for e in [r.exercise(exercise_id)] if e]
                kind = next((e.type for e in answers if e.type), "")
                if kind in TYPES and TYPES[kind].free_text:
                    found.append(DeskExercise(exercise_id, unit, len(answers), max(e.points for e in answers),
                                              *_task(unit, exercise_id)))
        return found

    def items(self, exercise_id: str) -> list[DeskItem]:
        """Every counted student's answer to ``exercise_id``, sorted by 学号 (then file)."""
        items = []
        for r in self.counted():
            e = r.exercise(exercise_id) if r.graded else None
            if e is None:
                continue
            items.append(DeskItem(r, e))
        return sorted(items, key=lambda i: (not i.submission.student_id, i.submission.student_id, i.submission.file))

    def _result(self, exercise_id: str, student: str):
        for r in self.counted():
            if who(r) == student and r.graded and r.exercise(exercise_id):
                return r
        raise ReviewError(f"评分结果里没有 {student} 的练习{exercise_id}。")

    def save(self, exercise_id: str, student: str, score: object, comment: str = "") -> DeskItem:
        """Store the teacher's ``score`` and ``comment``, regenerate the reports; the item as it now is."""
        try:
            override = make_override(self._result(exercise_id, student), exercise_id, score, comment)
        except OverrideError as error:
            raise ReviewError(str(error)) from error
        self.book.put_override(override)
        return self._after(exercise_id, student)

    def clear(self, exercise_id: str, student: str) -> DeskItem:
        """Back to the automatic score; the reports are regenerated."""
        r = self._result(exercise_id, student)
        self.book.drop_override(r.unit, student, exercise_id)
        return self._after(exercise_id, student)

    def _after(self, exercise_id: str, student: str) -> DeskItem:
        reports.write_all(self.book, self.folder, None)
        return next(i for i in self.items(exercise_id) if i.who == student)

    def state(self, exercise_id: str | None = None) -> dict:
        """What the page shows: the exercises and the items of one (the first by default), as JSON data."""
        exercises = self.exercises()
        chosen = next((e for e in exercises if e.id == exercise_id), exercises[0] if exercises else None)
        if exercise_id and (chosen is None or chosen.id != exercise_id):
            raise ReviewError(f"评分结果里没有简答练习{exercise_id}。")
        return {"folder": self.folder.name,
                "exercises": [asdict(e) for e in exercises],
                "exercise": chosen.id if chosen else "",
                "items": [item_json(i) for i in self.items(chosen.id)] if chosen else []}

    def close(self) -> None:
        self.book.close()


def item_json(item: DeskItem) -> dict:
    """An item as the page reads it, with the status in Chinese and scores as people write them."""
    r, e = item.submission, item.result
    return {"who": item.who, "student_id": r.student_id, "name": r.name, "file": r.file,
            "answer": e.answer, "status": STATUS_NAMES.get(e.status, e.status), "message": e.message,
            "missing": list(e.missing), "reviewed": e.reviewed, "comment": e.comment,
            **{key + "_text": fmt_number(value) for key, value in
               (("points", e.points), ("score", e.score), ("auto_score", item.auto_score))}}
