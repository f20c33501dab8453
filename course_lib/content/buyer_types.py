"""买家类型识别器（第08单元）: buyer types, short chats to classify, and the judge of a pick.

The content is data: ``data/buyer_types/<unit>.yaml`` holds the types (key, name, family,
cues, strategy, avoid), the family titles and the cases (a short chat, the one most
striking type, why).  :func:`load_buyer_kit` reads and validates it (every problem a
Chinese :class:`BuyerTypeError` naming the file and the type or case);
:func:`parse_pick` reads what a student picked or typed (a name, a name without 型, a
key or a list number; full-width characters and stray punctuation are fine);
:func:`check_pick` judges it and :class:`Run` keeps the first pick of each case.
No widgets here: ``course_lib.views.buyers`` only shows what these return.

>>> data = {"families": {"decide": "看他怎么做决定"}, "types": [
...     {"key": "rational", "name": "理智型", "family": "decide", "cues": "问得具体",
...      "strategy": "用事实回答。", "avoid": "夸大。"},
...     {"key": "impulsive", "name": "冲动型", "family": "decide", "cues": "决定快",
...      "strategy": "回复要快。", "avoid": "拖沓。"}],
...   "cases": [{"id": "c01", "chat": [["顾客", "哪个能放14寸电脑？"]], "answer": "rational", "why": "问得具体。"}]}
>>> kit = kit_from_data(data)
>>> parse_pick("理智", kit.types), parse_pick("２", kit.types)
('rational', 'impulsive')
>>> result = check_pick(kit.cases[0], "冲动型", kit.types)
>>> result.correct, result.answer_name
(False, '理智型')
>>> print(strategy_text(kit.type("rational")))
【理智型】识别线索：问得具体
接待策略：用事实回答。
注意避免：夸大。
"""
from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from .loading import ContentError, read_content

SENDERS = ("顾客", "客服")
_STRIP = " \t\r\n　。．.，,、！!？?“”\"'‘’「」【】()（）"


class BuyerTypeError(ContentError):
    """Bad content or a pick that names no type; the message is Chinese."""


@dataclass(frozen=True)
class BuyerType:
    key: str
    name: str
    family: str
    cues: str
    strategy: str
    avoid: str


@dataclass(frozen=True)
class Case:
    id: str
    chat: tuple[tuple[str, str], ...]
    answer: str
    why: str

    def to_text(self) -> str:
        """The chat as plain lines (the widget's text fallback)."""
        return "\n".join(f"{who}：{text}" for who, text in self.chat)


@dataclass(frozen=True)
class Kit:
    """The validated types and cases of one unit."""

    title: str
    types: tuple[BuyerType, ...]
    cases: tuple[Case, ...]
    families: dict = field(default_factory=dict, compare=False)

    def type(self, key: str) -> BuyerType:
        for t in self.types:
            if t.key == key:
                return t
        raise BuyerTypeError(f"没有这个买家类型：「{key}」。")

    def case(self, case_id: str) -> Case:
        for c in self.cases:
            if c.id == case_id:
                return c
        raise BuyerTypeError(f"没有编号为「{case_id}」的案例。")

    def menu(self) -> list[str]:
        """The choices as the widget lists them: “1. 理智型” …"""
        return [f"{n}. {t.name}" for n, t in enumerate(self.types, 1)]


@dataclass(frozen=True)
class PickResult:
    """The verdict on one pick: data first, then text."""

    case_id: str
    correct: bool
    picked: str
    picked_name: str
    answer: str
    answer_name: str
    message: str
    strategy: str

    def to_text(self) -> str:
        return f"{self.message}\n{self.strategy}"


def _text(raw: dict, key: str, where: str) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        raise BuyerTypeError(f"{where}：缺少 {key}（文字）。")
    return value.strip()


def _types(types_raw: Any, families: dict) -> tuple[BuyerType, ...]:
    if not isinstance(types_raw, list) or len(types_raw) < 2:
        raise BuyerTypeError("至少需要两个买家类型（types）。")
    types = []
    for n, t in enumerate(types_raw, 1):
        where = f"第{n}个买家类型"
        if not isinstance(t, dict):
            raise BuyerTypeError(f"{where}应是一个字典。")
        bt = BuyerType(*(_text(t, k, where) for k in ("key", "name", "family", "cues", "strategy", "avoid")))
        if families and bt.family not in families:
            raise BuyerTypeError(f"{where}（{bt.name}）：family「{bt.family}」没有在 families 中写标题。")
        types.append(bt)
    for attr, label in (("key", "key"), ("name", "名称")):
        values = [getattr(t, attr) for t in types]
        dupes = sorted({v for v in values if values.count(v) > 1})
        if dupes:
            raise BuyerTypeError(f"买家类型的{label}重复：{'、'.join(dupes)}。")
    return tuple(types)


def _case(c: Any, n: int, keys: set[str]) -> Case:
    where = f"第{n}个案例"
    if not isinstance(c, dict):
        raise BuyerTypeError(f"{where}应是一个字典。")
    where = f"案例{_text(c, 'id', where)}"
    chat = c.get("chat")
    if not isinstance(chat, list) or not chat:
        raise BuyerTypeError(f"{where}：chat 至少要有一条消息。")
    lines = []
    for line in chat:
        if (not isinstance(line, (list, tuple)) or len(line) != 2 or line[0] not in SENDERS
                or not isinstance(line[1], str) or not line[1].strip()):
            raise BuyerTypeError(f"{where}：每条消息应写成 [顾客, 文字] 或 [客服, 文字]。")
        lines.append((line[0], line[1].strip()))
    if not any(who == "顾客" for who, _ in lines):
        raise BuyerTypeError(f"{where}：至少要有一条顾客的消息。")
    answer = _text(c, "answer", where)
    if answer not in keys:
        raise BuyerTypeError(f"{where}：answer「{answer}」不是已有的买家类型。")
    return Case(str(c["id"]).strip(), tuple(lines), answer, _text(c, "why", where))


def kit_from_data(raw: Any) -> Kit:
    """Validate the YAML content; every error names the type or case.

    >>> try:
    ...     kit_from_data({"types": [], "cases": []})
    ... except BuyerTypeError as error:
    ...     print(error)
    至少需要两个买家类型（types）。
    """
    if not isinstance(raw, dict):
        raise BuyerTypeError("内容应是一个字典（title、families、types、cases）。")
    families = raw.get("families") or {}
    if not isinstance(families, dict) or not all(isinstance(v, str) for v in families.values()):
        raise BuyerTypeError("families 应写成“分组: 标题”的字典。")
    types = _types(raw.get("types"), families)
    cases_raw = raw.get("cases")
    if not isinstance(cases_raw, list) or not cases_raw:
        raise BuyerTypeError("至少需要一个案例（cases）。")
    keys = {t.key for t in types}
    cases = tuple(_case(c, n, keys) for n, c in enumerate(cases_raw, 1))
    ids = [c.id for c in cases]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise BuyerTypeError(f"案例编号重复：{'、'.join(dupes)}。")
    title = raw.get("title", "买家类型识别器")
    return Kit(title if isinstance(title, str) and title.strip() else "买家类型识别器", types, cases, dict(families))


@lru_cache(maxsize=8)
def load_buyer_kit(unit: str) -> Kit:
    """The identifier content ``data/buyer_types/<unit>.yaml``; a broken file raises a Chinese
    :class:`BuyerTypeError` that names it."""
    filename = f"buyer_types/{unit}.yaml"
    raw = read_content(filename)
    try:
        return kit_from_data(raw)
    except BuyerTypeError as error:
        raise BuyerTypeError(f"{filename}：{error}") from None


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip(_STRIP).replace(" ", "").lower()


def parse_pick(pick: Any, types: Sequence[BuyerType]) -> str:
    """The key of the type a student means: a full name (理智型), the name without 型 (理智),
    the key (rational), the list number (1 = the first type) or a menu line (“1. 理智型”).

    >>> ts = [BuyerType("vip", "VIP型", "relation", "", "", ""), BuyerType("casual", "随意型", "decide", "", "", "")]
    >>> parse_pick(" ｖｉｐ型 ", ts), parse_pick("随意", ts), parse_pick(2, ts), parse_pick("2. 随意型", ts)
    ('vip', 'casual', 'casual', 'casual')
    >>> try:
    ...     parse_pick("土豪型", ts)
    ... except BuyerTypeError as error:
    ...     print(error)
    没有认出「土豪型」是哪种买家类型。请从列表里选一种，或输入类型名称（例如“VIP型”）或编号1–2。
    """
    if isinstance(pick, bool) or pick is None:
        raise BuyerTypeError("请先选择一种买家类型。")
    if isinstance(pick, int):
        text = str(pick)
    elif isinstance(pick, str):
        text = str.__str__(pick)[:50]
    else:
        raise BuyerTypeError("请从列表里选择一种买家类型。")
    folded = _fold(text)
    if not folded:
        raise BuyerTypeError("请先选择一种买家类型。")
    if folded.isdigit():
        number = int(folded)
        if 1 <= number <= len(types):
            return types[number - 1].key
        raise BuyerTypeError(f"编号应在1–{len(types)}之间，现在是「{text.strip()}」。")
    for n, t in enumerate(types, 1):
        name = _fold(t.name)
        if folded in (name, name.removesuffix("型"), _fold(t.key), f"{n}.{name}"):
            return t.key
    example = types[0].name if types else ""
    raise BuyerTypeError(f"没有认出「{text.strip()}」是哪种买家类型。请从列表里选一种，"
                         f"或输入类型名称（例如“{example}”）或编号1–{len(types)}。")


def strategy_text(buyer_type: BuyerType) -> str:
    """The three lines shown for one type."""
    return (f"【{buyer_type.name}】识别线索：{buyer_type.cues}\n"
            f"接待策略：{buyer_type.strategy}\n"
            f"注意避免：{buyer_type.avoid}")


def check_pick(case: Case, pick: Any, types: Sequence[BuyerType]) -> PickResult:
    """Judge one pick.  A pick that names no type raises :class:`BuyerTypeError` (Chinese)."""
    by_key = {t.key: t for t in types}
    picked = parse_pick(pick, types)
    answer, chosen = by_key[case.answer], by_key[picked]
    if picked == case.answer:
        message = f"✔ 判断正确：{answer.name}。{case.why}"
    else:
        message = (f"✘ 不是{chosen.name}（{chosen.name}的线索是：{chosen.cues}）。"
                   f"这段对话最突出的是{answer.name}：{case.why}")
    return PickResult(case.id, picked == case.answer, picked, chosen.name, answer.key, answer.name,
                      message, strategy_text(answer))


@dataclass
class Run:
    """One pass through the cases: the first pick of each case counts for the score."""

    kit: Kit
    first_picks: dict = field(default_factory=dict)

    def pick(self, case_id: str, pick: Any) -> PickResult:
        result = check_pick(self.kit.case(case_id), pick, self.kit.types)
        self.first_picks.setdefault(case_id, result.correct)
        return result

    @property
    def score(self) -> tuple[int, int]:
        """(cases right at the first try, cases tried)."""
        return sum(self.first_picks.values()), len(self.first_picks)

    def summary(self) -> str:
        right, tried = self.score
        if not tried:
            return "还没有作答。"
        return f"一共判断了{tried}段对话，第一次就判断对{right}段（共{len(self.kit.cases)}段）。"
