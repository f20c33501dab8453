"""Question types: one object per type, holding everything that differs between types.

Each type knows its Chinese name, the fields of its YAML schema (:meth:`QuestionType.fields`),
how to parse what a student typed (:meth:`~QuestionType.parse`), how to compare a parsed
answer with the key (:meth:`~QuestionType.compare`), how to show an answer and the key as a
student writes them, and which kind of input a quiz card draws (``input_kind``, see
:mod:`course_lib.views.inputs`).  Adding a type means adding one class here and listing
it in :data:`TYPES`.

>>> TYPES["ordering"].title, TYPES["ordering"].input_kind
('排序题', 'sequence')
"""
from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from . import answers
from .grades import Grade, Option
from .loading import ContentError

if TYPE_CHECKING:
    from .questions import Question


# ---------------------------------------------------------------- schema helpers

def options_from_data(raw: Any, where: str, name: str, key_style: str) -> tuple[Option, ...]:
    """A list of options (``key`` + ``text`` + ``feedback``), keys A, B, C… or 1, 2, 3…."""
    if not isinstance(raw, list) or len(raw) < 2:
        raise ContentError(f"{where}：{name} 至少需要两项。")
    out = []
    for item in raw:
        if isinstance(item, (str, int)) and not isinstance(item, bool):
            out.append(Option(str(item)))
        elif isinstance(item, dict) and isinstance(item.get("key"), (str, int)):
            for f in ("text", "feedback"):
                if f in item and not isinstance(item[f], str):
                    raise ContentError(f"{where}：{name} 的 {f} 应是文字。")
            out.append(Option(str(item["key"]), item.get("text", ""), item.get("feedback", "")))
        else:
            raise ContentError(f"{where}：{name} 的每一项应是字母或带 key 的字典。")
    keys = [o.key for o in out]
    if len(set(keys)) != len(keys):
        raise ContentError(f"{where}：{name} 的 key 有重复。")
    if key_style == "letter" and keys != [chr(ord("A") + i) for i in range(len(keys))]:
        raise ContentError(f"{where}：{name} 的 key 应依次是 A、B、C……")
    if key_style == "number" and keys != [str(i + 1) for i in range(len(keys))]:
        raise ContentError(f"{where}：{name} 的 key 应依次是 1、2、3……")
    return tuple(out)


def letter_list(raw: Any, valid: str, where: str) -> tuple[str, ...]:
    if isinstance(raw, str):
        raw = list(raw)
    if not isinstance(raw, list) or not all(isinstance(k, str) and k in valid for k in raw):
        raise ContentError(f"{where}：answer 应是 {valid} 中字母的列表。")
    return tuple(raw)


def _keys(options: tuple[Option, ...]) -> str:
    return "".join(o.key for o in options)


RIGHT = "回答正确！"


# ---------------------------------------------------------------- the types

class QuestionType:
    """The base of every type; subclasses override what differs."""

    name = ""
    title = ""
    input_kind = "line"
    free_text = False          # scored by the reply rubric instead of compared with a key
    how_to_write = ""          # how an answer cell writes an answer (the hint of course_lib.content.cell_errors)
    example = ""               # an example answer as Python code, e.g. '"AC"'

    def fields(self, raw: dict, where: str) -> tuple[dict, Any]:
        """(type-specific :class:`Question` fields, the canonical key or ``None``) from YAML."""
        return {}, None

    def parse(self, q: Question, raw: object) -> Any:
        """The canonical form of ``raw``; raises :class:`~course_lib.content.answers.AnswerFormatError`."""
        raise NotImplementedError

    def compare(self, q: Question, value: Any) -> Grade:
        """Grade a parsed answer against ``q.answer`` (which is not ``None``)."""
        ok = value == q.answer
        return Grade("correct" if ok else "wrong", float(ok), RIGHT if ok else "回答不正确。", (), value)

    def show(self, q: Question, value: Any) -> str:
        """A parsed answer written back the way a student reads it."""
        return str(value)

    def key_text(self, q: Question) -> str:
        """The key as a student would write it (for practice explanations)."""
        return self.show(q, q.answer)


class _Choice(QuestionType):
    input_kind = "radio"
    multiple = False

    def fields(self, raw, where):
        options = options_from_data(raw.get("options"), where, "options", "letter")
        answer = None
        if "answer" in raw:
            answer = tuple(sorted(set(letter_list(raw["answer"], _keys(options), where))))
        elif any(isinstance(o, dict) and o.get("correct") for o in raw.get("options") or []):
            answer = tuple(o["key"] for o in raw["options"] if isinstance(o, dict) and o.get("correct"))
        if answer is not None:
            if not self.multiple and len(answer) != 1:
                raise ContentError(f"{where}：单选题必须恰好有一个正确选项。")
            if self.multiple and not answer:
                raise ContentError(f"{where}：多选题至少要有一个正确选项。")
        return {"options": options}, answer

    def parse(self, q, raw):
        return answers.parse_choices(raw, _keys(q.options), multiple=self.multiple)

    def _feedback(self, q, value) -> tuple[str, ...]:
        by_key = {o.key: o for o in q.options}
        return tuple(f"{k}：{by_key[k].feedback}" if self.multiple else by_key[k].feedback
                     for k in value if by_key[k].feedback)

    def compare(self, q, value):
        feedback = self._feedback(q, value)
        if tuple(value) == tuple(q.answer):
            return Grade("correct", 1.0, RIGHT, feedback, value)
        return Grade("wrong", 0.0, "回答不正确。", feedback, value)

    def show(self, q, value):
        return "、".join(value)

    def key_text(self, q):
        return "".join(q.answer)


class Single(_Choice):
    name, title = "single", "单选题"
    how_to_write, example = "答案写成带引号的字母", '"B"'


class Multiple(_Choice):
    name, title, input_kind, multiple = "multiple", "多选题", "checkboxes", True
    how_to_write, example = "答案写成带引号的字母", '"AC"'

    def compare(self, q, value):
        grade = super().compare(q, value)
        if grade.status == "correct":
            return grade
        missed = [k for k in q.answer if k not in value]
        extra = [k for k in value if k not in q.answer]      # counted, never named: the letters would be the key
        parts = ([f"有{len(extra)}个选项不该选"] if extra else []) + ([f"还漏选了{len(missed)}项"] if missed else [])
        return Grade("wrong", 0.0, "回答不正确：" + "，".join(parts) + "。", grade.feedback, value)


class TrueFalse(QuestionType):
    name, title, input_kind = "truefalse", "判断题", "truefalse"
    how_to_write, example = "答案写成 True 或 False（也可以写带引号的“对”“错”）", "True"

    def fields(self, raw, where):
        if "answer" in raw and not isinstance(raw["answer"], bool):
            raise ContentError(f"{where}：判断题的 answer 应是 true 或 false。")
        return {}, raw.get("answer")

    def parse(self, q, raw):
        return answers.parse_truefalse(raw)

    def show(self, q, value):
        return "正确" if value else "错误"


class Ordering(QuestionType):
    name, title, input_kind = "ordering", "排序题", "sequence"
    how_to_write, example = "答案按顺序写成带引号的字母", '"CADB"'

    def fields(self, raw, where):
        items = options_from_data(raw.get("items"), where, "items", "letter")
        answer = None
        if "answer" in raw:
            answer = letter_list(raw["answer"], _keys(items), where)
            if sorted(answer) != sorted(o.key for o in items):
                raise ContentError(f"{where}：排序题的 answer 必须把每个 item 恰好排一次。")
        return {"items": items}, answer

    def parse(self, q, raw):
        return answers.parse_ordering(raw, _keys(q.items))

    def compare(self, q, value):
        if tuple(value) == tuple(q.answer):
            return Grade("correct", 1.0, RIGHT, (), value)
        first = next(i for i, (a, b) in enumerate(zip(value, q.answer)) if a != b)
        return Grade("wrong", 0.0, f"顺序不对：从第{first + 1}步开始就错了。", (), value)

    def show(self, q, value):
        return "→".join(value)

    def key_text(self, q):
        return "".join(q.answer)


class Matching(QuestionType):
    """Left items (1, 2, 3…) to right letters.  When the right side has at least as many items as the
    left, each letter is used at most once (the rest are distractors); with fewer, a letter may repeat.

    >>> from course_lib.content.questions import question_from_data
    >>> q = question_from_data({"id": "x.q1", "type": "matching", "stem": "连线", "left": ["1", "2"],
    ...                         "right": ["A", "B", "C"], "answer": {"1": "B", "2": "A"}, "explanation": "…"}, "x")
    >>> q.grade({"1": "B", "2": "B"}).message
    '每个字母最多用一次：编号1和2都连了「B」。请再想想哪一项连它。'
    """

    name, title, input_kind = "matching", "连线题", "pairs"
    how_to_write, example = "答案写成字典：大括号里“题号: 字母”，都要加引号", '{"1": "C", "2": "E"}'

    def fields(self, raw, where):
        left = options_from_data(raw.get("left"), where, "left", "number")
        right = options_from_data(raw.get("right"), where, "right", "letter")
        answer = None
        if "answer" in raw:
            key = raw["answer"]
            if not isinstance(key, dict) or sorted(str(k) for k in key) != sorted(o.key for o in left) or not all(
                    isinstance(v, str) and v in _keys(right) for v in key.values()):
                raise ContentError(f"{where}：连线题的 answer 应把 left 的每个编号对应到 right 的一个字母。")
            answer = {o.key: key.get(o.key, key.get(int(o.key))) for o in left}
            if len(right) >= len(left) and len(set(answer.values())) < len(answer):
                raise ContentError(f"{where}：连线题右边的项不比左边少，每个字母最多用一次，answer 里却有字母用了两次"
                                   f"（要一个字母连几项，右边的项应比左边少）。")
        return {"left": left, "right": right}, answer

    def parse(self, q, raw):
        value = answers.parse_matching(raw, [o.key for o in q.left], _keys(q.right))
        if len(q.right) >= len(q.left):           # one to one: a letter twice is not an answer (say which)
            for letter in dict.fromkeys(value.values()):
                twice = [k for k, v in value.items() if v == letter]
                if len(twice) > 1:
                    raise answers.AnswerFormatError(
                        f"每个字母最多用一次：编号{'和'.join(twice)}都连了「{letter}」。请再想想哪一项连它。")
        return value

    def compare(self, q, value):
        right = sum(value[k] == v for k, v in q.answer.items())
        status = "correct" if right == len(q.answer) else ("partial" if right else "wrong")
        message = "全部连对！" if status == "correct" else f"连对了{right}/{len(q.answer)}项。"
        return Grade(status, right / len(q.answer), message, (), value)

    def show(self, q, value):
        return "，".join(f"{k}-{v}" for k, v in value.items())


class Numeric(QuestionType):
    name, title, input_kind = "numeric", "数值题", "line"
    how_to_write, example = "答案写成数字，或者能算出数字的式子", "12.5"

    def fields(self, raw, where):
        answer = None
        if "answer" in raw:
            value = raw["answer"]
            if not isinstance(value, (int, float)) or isinstance(value, bool) or not math.isfinite(value):
                raise ContentError(f"{where}：数值题的 answer 应是数字。")
            answer = float(value)
        tol = raw.get("tolerance", 0)
        if not isinstance(tol, (int, float)) or tol < 0:
            raise ContentError(f"{where}：tolerance 应是非负数。")
        return {"tolerance": float(tol)}, answer

    def parse(self, q, raw):
        return answers.parse_number(raw)

    def compare(self, q, value):
        ok = abs(value - q.answer) <= q.tolerance + 1e-9 * max(1.0, abs(q.answer))
        message = RIGHT if ok else "数值不对，请检查计算过程（注意单位和保留的小数位）。"
        return Grade("correct" if ok else "wrong", float(ok), message, (), value)

    def show(self, q, value):
        return f"{value:g}"

    def key_text(self, q):
        return f"{q.answer:g}{q.unit}"


class Text(QuestionType):
    """A free-text reply, scored by the reply rubric (``rubric:``), never by a key."""

    name, title, input_kind, free_text = "text", "简答题", "textarea", True
    how_to_write, example = "回复写在三引号之间", '"""亲，您好……"""'

    def fields(self, raw, where):
        from .rubric import spec_from_data

        extra: dict = {}
        if "rubric" in raw:
            try:
                extra["reply"] = spec_from_data(raw["rubric"], where)
            except ValueError as error:
                raise ContentError(str(error)) from None
        pass_score = raw.get("pass_score", 60)
        if not isinstance(pass_score, int) or not 0 < pass_score <= 100:
            raise ContentError(f"{where}：pass_score 应是 1–100 的整数。")
        extra["pass_score"] = pass_score
        return extra, ("rubric" if "rubric" in raw else None)

    def parse(self, q, raw):
        return answers.parse_text(raw)

    def show(self, q, value):
        return f"{len(str(value))}字的回复"

    def key_text(self, q):
        return q.reference


TYPES: dict[str, QuestionType] = {t.name: t for t in (Single(), Multiple(), TrueFalse(), Ordering(), Matching(),
                                                       Numeric(), Text())}
"""Every question type by its YAML name, in the order the format guide lists them."""
