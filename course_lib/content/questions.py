"""One model for practice questions and graded exercises: :class:`Question`.

A question is data (from YAML, checked by :func:`question_from_data`) plus its type
(:mod:`course_lib.content.qtypes`), which parses, compares and shows answers.
:meth:`Question.grade` turns any student input into a :class:`~course_lib.content.grades.Grade`
and never raises.

>>> q = question_from_data({"id": "u99.q1", "type": "single", "stem": "选哪个？",
...     "explanation": "因为B对。", "options": [{"key": "A", "text": "甲"},
...     {"key": "B", "text": "乙", "correct": True, "feedback": "对，乙是标准做法。"}]}, "示例")
>>> g = q.grade("ｂ")
>>> g.status, g.fraction, g.feedback
('correct', 1.0, ('对，乙是标准做法。',))
>>> q.grade("AX").status
'invalid'
>>> q.grade(...).message
'尚未作答'
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from . import answers
from .grades import Grade, Option
from .loading import ContentError
from .qtypes import TYPES, QuestionType

if TYPE_CHECKING:
    from .rubric import ReplySpec

TYPE_NAMES = {name: t.title for name, t in TYPES.items()}
TEXT_FIELDS = ("stem", "explanation", "hint", "prompt", "group", "unit", "reference")


@dataclass(frozen=True)
class Question:
    """A practice question or a graded exercise (``points`` > 0)."""

    id: str
    type: str
    stem: str = ""
    explanation: str = ""
    options: tuple[Option, ...] = ()
    items: tuple[Option, ...] = ()          # ordering
    left: tuple[Option, ...] = ()           # matching
    right: tuple[Option, ...] = ()          # matching
    answer: Any = None                      # canonical key; None in the student edition
    tolerance: float = 0.0
    unit: str = ""
    reply: ReplySpec | None = None          # text questions
    pass_score: int = 60
    reference: str = ""
    group: str = ""
    points: float = 0
    hint: str = ""
    prompt: str = ""

    @property
    def kind(self) -> QuestionType:
        """The question's type object."""
        return TYPES[self.type]

    @property
    def free_text(self) -> bool:
        """A free-text reply scored by the reply rubric (not compared with a key)."""
        return self.kind.free_text

    @property
    def type_name(self) -> str:
        return self.kind.title

    @property
    def keys(self) -> str:
        return "".join(o.key for o in self.options)

    def parse(self, raw: object) -> Any:
        """The canonical form of ``raw``; raises :class:`answers.AnswerFormatError`."""
        return self.kind.parse(self, raw)

    def grade(self, raw: object) -> Grade:
        """Grade any input. Without a key (student edition) a well-formed answer is ``recorded``."""
        try:
            value = self.parse(raw)
        except answers.Unanswered as error:
            return Grade("unanswered", 0.0, str(error))
        except answers.AnswerFormatError as error:
            return Grade("invalid", 0.0, str(error))
        if self.free_text:
            result = self.reply.score(value) if self.reply else None
            if result is None:
                return Grade("recorded", 0.0, "已记录。", canonical=value)
            status = "correct" if result.score >= self.pass_score else ("partial" if result.score > 0 else "wrong")
            return Grade(status, result.score / 100, f"回复得分{result.score}/100。", (result.suggestion,),
                         value, result)
        if self.answer is None:
            return Grade("recorded", 0.0, "已记录。", canonical=value)
        return self.kind.compare(self, value)

    def show(self, value: Any) -> str:
        """A canonical answer written back the way a student reads it."""
        return self.kind.show(self, value)

    def key_text(self) -> str:
        """The key as a student would write it (for practice explanations)."""
        return "" if self.answer is None else self.kind.key_text(self)


def question_from_data(raw: Any, where: str, graded: bool = False) -> Question:
    """Validate one question (or exercise) dict and build a :class:`Question`."""
    if not isinstance(raw, dict):
        raise ContentError(f"{where}：每道题应是一个字典。")
    qid = raw.get("id")
    if not isinstance(qid, str) or not qid:
        raise ContentError(f"{where}：缺少 id。")
    where = f"{where}（{qid}）"
    kind = TYPES.get(raw.get("type"))
    if kind is None:
        raise ContentError(f"{where}：type 应是 {'/'.join(TYPES)} 之一。")
    for f in TEXT_FIELDS:
        if f in raw and not isinstance(raw[f], str):
            raise ContentError(f"{where}：{f} 应是文字。")
    if not graded:
        for f in ("stem", "explanation"):
            if not raw.get(f):
                raise ContentError(f"{where}：缺少 {f}。")
    points = raw.get("points", 0)
    if graded and (not isinstance(points, (int, float)) or isinstance(points, bool) or points <= 0):
        raise ContentError(f"{where}：计分练习需要正数 points。")
    fields, answer = kind.fields(raw, where)
    if not graded and answer is None:
        raise ContentError(f"{where}：练习题缺少答案（answer 或 correct）。")
    return Question(id=qid, type=kind.name, points=float(points or 0),
                    answer=None if kind.free_text else answer,
                    **{f: str(raw.get(f, "")) for f in TEXT_FIELDS}, **fields)
