"""Question banks and graded exercises: loading, validation and grading.

Both live as YAML in ``data/questions/`` (practice) and ``data/exercises/``
(graded). One :class:`Question` model serves both; :meth:`Question.grade` turns
any student input into a :class:`Grade` and never raises.

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

import math
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from . import answers
from .paths import data_dir
from .rubric import ReplySpec, RubricResult, spec_from_data

TYPES = ("single", "multiple", "truefalse", "ordering", "matching", "numeric", "text")
TYPE_NAMES = {"single": "单选题", "multiple": "多选题", "truefalse": "判断题", "ordering": "排序题",
              "matching": "连线题", "numeric": "数值题", "text": "简答题"}


class ContentError(ValueError):
    """A content file is missing or invalid; the message says which file and what is wrong."""


def read_yaml(relative: str | Path) -> Any:
    """Parse a YAML file under the data folder, with a Chinese error naming the file."""
    import yaml  # a light import, kept out of ``import course_lib``

    path = data_dir() / relative
    encoded = path.with_suffix(".dat")
    try:
        if not path.exists() and encoded.exists():      # the student edition: practice content encoded
            from .release import decode

            text = decode(encoded.read_bytes())
        else:
            text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ContentError(f"找不到内容文件 {Path(relative).as_posix()}，请检查 data 文件夹是否完整。") from None
    except UnicodeDecodeError:
        raise ContentError(f"内容文件 {Path(relative).as_posix()} 不是 UTF-8 编码，请用 UTF-8 另存。") from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = f"第{mark.line + 1}行" if mark is not None else ""
        raise ContentError(f"内容文件 {Path(relative).as_posix()} {line}格式有误：{error}") from None


@dataclass(frozen=True)
class Option:
    key: str
    text: str = ""
    feedback: str = ""


@dataclass(frozen=True)
class Grade:
    """The outcome of grading one answer.

    ``status`` is ``correct``, ``partial``, ``wrong``, ``invalid`` (bad form) or
    ``unanswered``; ``fraction`` is the share of the points earned (0–1).
    """

    status: str
    fraction: float
    message: str
    feedback: tuple[str, ...] = ()
    canonical: Any = None
    rubric: RubricResult | None = None

    @property
    def answered(self) -> bool:
        return self.status not in ("invalid", "unanswered")


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
    def type_name(self) -> str:
        return TYPE_NAMES[self.type]

    @property
    def keys(self) -> str:
        return "".join(o.key for o in self.options)

    def parse(self, raw: object) -> Any:
        """The canonical form of ``raw``; raises :class:`answers.AnswerFormatError`."""
        t = self.type
        if t in ("single", "multiple"):
            return answers.parse_choices(raw, self.keys, multiple=(t == "multiple"))
        if t == "truefalse":
            return answers.parse_truefalse(raw)
        if t == "ordering":
            return answers.parse_ordering(raw, "".join(o.key for o in self.items))
        if t == "matching":
            return answers.parse_matching(raw, [o.key for o in self.left], "".join(o.key for o in self.right))
        if t == "numeric":
            return answers.parse_number(raw)
        return answers.parse_text(raw)

    def grade(self, raw: object) -> Grade:
        """Grade any input. Without a key (student edition) a well-formed answer is ``recorded``."""
        try:
            value = self.parse(raw)
        except answers.Unanswered as error:
            return Grade("unanswered", 0.0, str(error))
        except answers.AnswerFormatError as error:
            return Grade("invalid", 0.0, str(error))
        if self.type == "text":
            result = self.reply.score(value) if self.reply else None
            if result is None:
                return Grade("recorded", 0.0, "已记录。", canonical=value)
            status = "correct" if result.score >= self.pass_score else ("partial" if result.score > 0 else "wrong")
            return Grade(status, result.score / 100, f"回复得分{result.score}/100。", (result.suggestion,),
                         value, result)
        if self.answer is None:
            return Grade("recorded", 0.0, "已记录。", canonical=value)
        return self._compare(value)

    def _compare(self, value: Any) -> Grade:
        t, key = self.type, self.answer
        feedback: list[str] = []
        if t in ("single", "multiple"):
            by_key = {o.key: o for o in self.options}
            feedback = [f"{k}：{by_key[k].feedback}" if t == "multiple" else by_key[k].feedback
                        for k in value if by_key[k].feedback]
            if tuple(value) == tuple(key):
                return Grade("correct", 1.0, "回答正确！", tuple(feedback), value)
            if t == "multiple":
                missed = [k for k in key if k not in value]
                extra = [k for k in value if k not in key]
                parts = ([f"多选了{'、'.join(extra)}"] if extra else []) + ([f"漏选了{len(missed)}项"] if missed else [])
                return Grade("wrong", 0.0, "回答不正确：" + "，".join(parts) + "。", tuple(feedback), value)
            return Grade("wrong", 0.0, "回答不正确。", tuple(feedback), value)
        if t == "truefalse":
            ok = value == key
            return Grade("correct" if ok else "wrong", float(ok), "回答正确！" if ok else "回答不正确。", (), value)
        if t == "ordering":
            if tuple(value) == tuple(key):
                return Grade("correct", 1.0, "回答正确！", (), value)
            first = next(i for i, (a, b) in enumerate(zip(value, key)) if a != b)
            return Grade("wrong", 0.0, f"顺序不对：从第{first + 1}步开始就错了。", (), value)
        if t == "matching":
            right = sum(value[k] == v for k, v in key.items())
            fraction = right / len(key)
            status = "correct" if right == len(key) else ("partial" if right else "wrong")
            message = "全部连对！" if status == "correct" else f"连对了{right}/{len(key)}项。"
            return Grade(status, fraction, message, (), value)
        # numeric
        ok = abs(value - key) <= self.tolerance + 1e-9 * max(1.0, abs(key))
        message = "回答正确！" if ok else "数值不对，请检查计算过程（注意单位和保留的小数位）。"
        return Grade("correct" if ok else "wrong", float(ok), message, (), value)

    def key_text(self) -> str:
        """The key as a student would write it (for practice explanations)."""
        t, key = self.type, self.answer
        if key is None:
            return ""
        if t in ("single", "multiple", "ordering"):
            return "".join(key)
        if t == "truefalse":
            return "正确" if key else "错误"
        if t == "matching":
            return "，".join(f"{k}-{v}" for k, v in key.items())
        if t == "numeric":
            return f"{key:g}{self.unit}"
        return self.reference


# ---------------------------------------------------------------- validation

def reply_spec(raw: Any, where: str) -> ReplySpec:
    """A question's or turn's ``rubric:`` block, with errors as :class:`ContentError`."""
    try:
        return spec_from_data(raw, where)
    except ValueError as error:
        raise ContentError(str(error)) from None


def _options(raw: Any, where: str, name: str, key_style: str) -> tuple[Option, ...]:
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


def _letter_list(raw: Any, valid: str, where: str) -> tuple[str, ...]:
    if isinstance(raw, str):
        raw = list(raw)
    if not isinstance(raw, list) or not all(isinstance(k, str) and k in valid for k in raw):
        raise ContentError(f"{where}：answer 应是 {valid} 中字母的列表。")
    return tuple(raw)


def question_from_data(raw: Any, where: str, graded: bool = False) -> Question:
    """Validate one question (or exercise) dict and build a :class:`Question`."""
    if not isinstance(raw, dict):
        raise ContentError(f"{where}：每道题应是一个字典。")
    qid = raw.get("id")
    if not isinstance(qid, str) or not qid:
        raise ContentError(f"{where}：缺少 id。")
    where = f"{where}（{qid}）"
    qtype = raw.get("type")
    if qtype not in TYPES:
        raise ContentError(f"{where}：type 应是 {'/'.join(TYPES)} 之一。")
    for f in ("stem", "explanation", "hint", "prompt", "group", "unit", "reference"):
        if f in raw and not isinstance(raw[f], str):
            raise ContentError(f"{where}：{f} 应是文字。")
    if not graded:
        for f in ("stem", "explanation"):
            if not raw.get(f):
                raise ContentError(f"{where}：缺少 {f}。")
    points = raw.get("points", 0)
    if graded and (not isinstance(points, (int, float)) or isinstance(points, bool) or points <= 0):
        raise ContentError(f"{where}：计分练习需要正数 points。")
    has_key = "answer" in raw or any(isinstance(o, dict) and o.get("correct") for o in raw.get("options", []) or [])
    fields: dict[str, Any] = dict(
        id=qid, type=qtype, stem=raw.get("stem", ""), explanation=raw.get("explanation", ""),
        group=str(raw.get("group", "")), points=float(points or 0), hint=raw.get("hint", ""),
        prompt=raw.get("prompt", ""), unit=raw.get("unit", ""), reference=raw.get("reference", ""))
    answer: Any = None
    if qtype in ("single", "multiple"):
        options = _options(raw.get("options"), where, "options", "letter")
        fields["options"] = options
        if "answer" in raw:
            answer = tuple(sorted(set(_letter_list(raw["answer"], "".join(o.key for o in options), where))))
        elif has_key:
            answer = tuple(o["key"] for o in raw["options"] if isinstance(o, dict) and o.get("correct"))
        if answer is not None:
            if qtype == "single" and len(answer) != 1:
                raise ContentError(f"{where}：单选题必须恰好有一个正确选项。")
            if qtype == "multiple" and not answer:
                raise ContentError(f"{where}：多选题至少要有一个正确选项。")
    elif qtype == "truefalse":
        if "answer" in raw:
            if not isinstance(raw["answer"], bool):
                raise ContentError(f"{where}：判断题的 answer 应是 true 或 false。")
            answer = raw["answer"]
    elif qtype == "ordering":
        items = _options(raw.get("items"), where, "items", "letter")
        fields["items"] = items
        if "answer" in raw:
            answer = _letter_list(raw["answer"], "".join(o.key for o in items), where)
            if sorted(answer) != sorted(o.key for o in items):
                raise ContentError(f"{where}：排序题的 answer 必须把每个 item 恰好排一次。")
    elif qtype == "matching":
        left = _options(raw.get("left"), where, "left", "number")
        right = _options(raw.get("right"), where, "right", "letter")
        fields["left"], fields["right"] = left, right
        if "answer" in raw:
            key = raw["answer"]
            if not isinstance(key, dict) or sorted(str(k) for k in key) != sorted(o.key for o in left) or not all(
                    isinstance(v, str) and v in [o.key for o in right] for v in key.values()):
                raise ContentError(f"{where}：连线题的 answer 应把 left 的每个编号对应到 right 的一个字母。")
            answer = {o.key: key.get(o.key, key.get(int(o.key))) for o in left}
    elif qtype == "numeric":
        if "answer" in raw:
            if not isinstance(raw["answer"], (int, float)) or isinstance(raw["answer"], bool) or not math.isfinite(raw["answer"]):
                raise ContentError(f"{where}：数值题的 answer 应是数字。")
            answer = float(raw["answer"])
        tol = raw.get("tolerance", 0)
        if not isinstance(tol, (int, float)) or tol < 0:
            raise ContentError(f"{where}：tolerance 应是非负数。")
        fields["tolerance"] = float(tol)
    else:  # text
        if "rubric" in raw:
            fields["reply"] = reply_spec(raw["rubric"], where)
            answer = "rubric"
        pass_score = raw.get("pass_score", 60)
        if not isinstance(pass_score, int) or not 0 < pass_score <= 100:
            raise ContentError(f"{where}：pass_score 应是 1–100 的整数。")
        fields["pass_score"] = pass_score
    if not graded and answer is None:
        raise ContentError(f"{where}：练习题缺少答案（answer 或 correct）。")
    fields["answer"] = answer if qtype != "text" else None
    return Question(**fields)


@dataclass(frozen=True)
class Bank:
    """The practice questions (or graded exercises) of one unit."""

    unit: str
    title: str
    questions: tuple[Question, ...]
    graded: bool = False
    by_id: dict = field(default_factory=dict, compare=False, repr=False)
    groups: dict = field(default_factory=dict, compare=False)      # group key -> title

    def get(self, question_id: str) -> Question | None:
        return self.by_id.get(question_id)

    def group(self, name: str | None) -> tuple[Question, ...]:
        return self.questions if name is None else tuple(q for q in self.questions if q.group == name)


def bank_from_data(raw: Any, filename: str, graded: bool) -> Bank:
    """Validate a whole bank file; raises :class:`ContentError` naming the file and question."""
    listing = "exercises" if graded else "questions"
    if not isinstance(raw, dict):
        raise ContentError(f"{filename}：文件内容应是一个字典（unit、title、{listing}）。")
    unit = raw.get("unit")
    if not isinstance(unit, str) or not unit:
        raise ContentError(f"{filename}：缺少 unit。")
    items = raw.get(listing)
    if not isinstance(items, list) or not items:
        raise ContentError(f"{filename}：缺少 {listing} 列表。")
    questions = []
    for n, item in enumerate(items, 1):
        q = question_from_data(item, f"{filename} 第{n}题", graded=graded)
        prefix = f"{unit}.{'e' if graded else 'q'}"
        if not q.id.startswith(prefix):
            raise ContentError(f"{filename} 第{n}题：id「{q.id}」应以「{prefix}」开头。")
        questions.append(q)
    ids = [q.id for q in questions]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise ContentError(f"{filename}：题目 id 重复：{'、'.join(dupes)}。")
    groups = raw.get("groups") or {}
    if not isinstance(groups, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in groups.items()):
        raise ContentError(f"{filename}：groups 应写成“分组: 标题”的字典。")
    if groups:
        unknown = sorted({q.group for q in questions} - set(groups))
        if unknown:
            raise ContentError(f"{filename}：这些分组没有在 groups 中写标题：{'、'.join(unknown)}。")
    return Bank(unit, str(raw.get("title", "")), tuple(questions), graded, {q.id: q for q in questions}, groups)


@lru_cache(maxsize=64)
def load_bank(unit: str) -> Bank:
    """The practice bank ``data/questions/<unit>.yaml``."""
    filename = f"questions/{unit}.yaml"
    return bank_from_data(read_yaml(filename), filename, graded=False)


@lru_cache(maxsize=64)
def load_exercises(unit: str) -> Bank:
    """The graded exercises ``data/exercises/<unit>.yaml``."""
    filename = f"exercises/{unit}.yaml"
    return bank_from_data(read_yaml(filename), filename, graded=True)
