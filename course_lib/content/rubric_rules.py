"""The reply rubric as data: ``data/rubric.yaml`` and each item's ``rubric:`` block, validated.

``rubric.yaml`` holds the general rules (greeting, polite address, 服务禁用语, pressure,
threats, apology, length), the caps for a missed question, invented facts and
degenerate replies, the claim vocabularies and the matcher's cue words.  An exercise or
a scenario turn adds ``gates`` (the buyer's question), ``required`` points and ``facts``.
Every problem is reported as a :class:`ContentError` with a Chinese message.

>>> rules_from_data({"rules": [{"id": "x", "name": "致谢", "kind": "contains_any", "words": ["谢谢"],
...                             "pass": "好。", "fail": "加一句谢谢。"}]})[0].words
('谢谢',)
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..settings import standards
from ..text import fold_reply
from .claims import ClaimVocab, Facts, duration_key, size_ranges
from .loading import ContentError, read_content
from .replytext import Hit, Lexicon, find_patterns, find_words

KINDS = ("contains_any", "contains_none", "patterns_none", "first_sentence_any", "length")
WHENS = ("always", "first_reply", "complaint")
FACT_LISTS = ("prices", "times", "durations", "gifts", "guarantees", "features", "sizes")
FACT_FLAGS = ("discount", "official", "stock_short")


@dataclass(frozen=True)
class Rule:
    """One general rule; ``words`` are matched on the folded reply (regular expressions for patterns_none)."""

    id: str
    name: str
    kind: str
    words: tuple[str, ...] = ()
    when: str = "always"
    weight: float = 10
    pass_msg: str = ""
    fail_msg: str = ""
    cap: int | None = None          # failing caps the total score at this value
    min: int = 0
    max: int = 10_000
    allow: tuple[str, ...] = ()     # harmless phrases (regular expressions) that contain a banned word
    fail_short: str = ""
    fail_long: str = ""
    patterns: tuple[str, ...] = ()  # contains_none: regular expressions banned as well as the words

    def hits(self, folded: str, lex: Lexicon) -> list[Hit]:
        """Where a contains_none / patterns_none rule is broken in the folded reply (negated uses excepted)."""
        if self.kind == "patterns_none":
            return find_patterns(self.words, folded, lex, allow=self.allow)
        return sorted(find_words(self.words, folded, lex, negation_only=True, allow=self.allow)
                      + find_patterns(self.patterns, folded, lex, allow=self.allow), key=lambda h: h.start)


@dataclass(frozen=True)
class Point:
    """A gate or required point: any of ``words`` said positively counts (``asks``: a question counts too)."""

    name: str
    words: tuple[str, ...]
    asks: bool = False


@dataclass(frozen=True)
class Section:
    """A fixed check of the scorer: its name, cap and messages."""

    name: str
    cap: int
    fail: str = ""
    pass_msg: str = ""
    off_topic_cap: int | None = None   # answer section: no gate and no point made at all caps lower still
    off_topic: str = ""


@dataclass(frozen=True)
class Rubric:
    rules: tuple[Rule, ...]
    lexicon: Lexicon
    vocab: ClaimVocab
    points_share: int
    answer: Section
    facts: Section
    degenerate: Section
    stock_phrases: tuple[str, ...]


def _words(raw: object, where: str, what: str = "words") -> tuple[str, ...]:
    if not isinstance(raw, list) or not raw or not all(isinstance(w, str) and w.strip() for w in raw):
        raise ContentError(f"{where}需要非空的 {what} 列表（每项是文字）。")
    return tuple(raw)


def _patterns(raw: object, where: str, what: str) -> tuple[str, ...]:
    patterns = _words(raw, where, what)
    for p in patterns:
        try:
            re.compile(p)
        except re.error as error:
            raise ContentError(f"{where}的 {what} 里「{p}」不是正确的正则表达式（{error}）。") from None
    return patterns


def _cap(raw: object, where: str) -> int:
    if not isinstance(raw, int) or isinstance(raw, bool) or not 0 <= raw <= 100:
        raise ContentError(f"{where}的 cap 应是0–100的整数。")
    return raw


def rules_from_data(data: object) -> tuple[Rule, ...]:
    """The general rules of a parsed ``rubric.yaml``."""
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
        raise ContentError("rubric.yaml 需要一个 rules 列表。")
    rules, seen = [], set()
    for n, raw in enumerate(data["rules"], 1):
        where = f"rubric.yaml 第{n}条规则"
        if not isinstance(raw, dict):
            raise ContentError(f"{where}应是一个字典。")
        for key in ("id", "name", "kind", "pass", "fail"):
            if not isinstance(raw.get(key), str) or not raw[key]:
                raise ContentError(f"{where}缺少字段 {key}。")
        if raw["id"] in seen:
            raise ContentError(f"{where}的 id「{raw['id']}」重复了。")
        seen.add(raw["id"])
        if raw["kind"] not in KINDS:
            raise ContentError(f"{where}的 kind 应是 {'/'.join(KINDS)} 之一。")
        when = raw.get("when", "always")
        if when not in WHENS:
            raise ContentError(f"{where}的 when 应是 {'/'.join(WHENS)} 之一。")
        kind = raw["kind"]
        words: tuple[str, ...] = ()
        patterns: tuple[str, ...] = ()
        if kind == "patterns_none":
            words = _patterns(raw.get("patterns"), where, "patterns")
        elif kind != "length":
            words = _words(raw.get("words"), where)
        if kind == "contains_none" and "patterns" in raw:
            patterns = _patterns(raw["patterns"], where, "patterns")
        allow = _patterns(raw["allow"], where, "allow") if "allow" in raw else ()
        weight = raw.get("weight", 10)
        if not isinstance(weight, (int, float)) or isinstance(weight, bool) or weight < 0:
            raise ContentError(f"{where}的 weight 应是不小于0的数（0表示只封顶、不加分）。")
        cap = _cap(raw["cap"], where) if raw.get("cap") is not None else None
        rules.append(Rule(raw["id"], raw["name"], kind, words, when, float(weight), raw["pass"], raw["fail"], cap,
                          int(raw.get("min", standards().reply_min_chars)), int(raw.get("max", standards().reply_max_chars)),
                          allow, str(raw.get("fail_short", "")), str(raw.get("fail_long", "")), patterns))
    return tuple(rules)


def _section(data: dict, key: str) -> dict:
    raw = data.get(key)
    if not isinstance(raw, dict) or not isinstance(raw.get("name"), str) or not raw["name"]:
        raise ContentError(f"rubric.yaml 需要 {key} 一节（至少写 name 和 cap）。")
    _cap(raw.get("cap"), f"rubric.yaml 的 {key}")
    return raw


def _wrong_rules(raw: object, where: str) -> dict[str, tuple[str, ...]]:
    """``facts.wrong`` of ``rubric.yaml``: a platform rule (what the student is told) → the patterns that contradict it."""
    if not isinstance(raw, dict):
        raise ContentError(f"{where}.wrong 应是“规则说明: [正则表达式, …]”的字典。")
    return {str(name): _patterns(patterns, f"{where}.wrong", str(name)) for name, patterns in raw.items()}


def rubric_from_data(data: object) -> Rubric:
    """The whole parsed ``rubric.yaml``: rules, sections, vocabularies and matching cues."""
    rules = rules_from_data(data)            # also checks that data is a dict
    data = dict(data)  # type: ignore[call-overload]
    answer, facts, degenerate = (_section(data, k) for k in ("answer", "facts", "degenerate"))
    matching = data.get("matching")
    if not isinstance(matching, dict):
        raise ContentError("rubric.yaml 需要 matching 一节（否定词、泛泛之词）。")
    where = "rubric.yaml 的 matching"
    window = matching.get("window", 6)
    if not isinstance(window, int) or not 1 <= window <= 20:
        raise ContentError(f"{where}.window 应是1–20的整数。")
    lexicon = Lexicon(_words(matching.get("negations"), where, "negations"),
                      _words(matching.get("not_negations"), where, "not_negations"),
                      _words(matching.get("resets"), where, "resets"),
                      frozenset(map(fold_reply, _words(matching.get("generic_words"), where, "generic_words"))), window,
                      _words(matching["courtesy"], where, "courtesy") if "courtesy" in matching else (),
                      _words(matching["fillers"], where, "fillers") if "fillers" in matching else (),
                      _words(matching["disowned_after"], where, "disowned_after") if "disowned_after" in matching else ())
    where = "rubric.yaml 的 facts"
    guarantees = facts.get("guarantees")
    if not isinstance(guarantees, dict) or not guarantees:
        raise ContentError(f"{where}.guarantees 应是“名称: [说法, …]”的字典。")
    features = facts.get("features", {})
    if not isinstance(features, dict):
        raise ContentError(f"{where}.features 应是“卖点: [说法, …]”的字典。")
    vocab = ClaimVocab({str(k): _words(v, f"{where}.guarantees.{k}") for k, v in guarantees.items()},
                       {str(k): _words(v, f"{where}.features.{k}") for k, v in features.items()},
                       _words(facts.get("official"), where, "official"),
                       _patterns(facts.get("scarcity"), where, "scarcity"),
                       _patterns(facts.get("discount"), where, "discount"),
                       _patterns(facts.get("allow", []), where, "allow") if facts.get("allow") else (),
                       _wrong_rules(facts.get("wrong", {}), where))
    off_cap = answer.get("off_topic_cap")
    if off_cap is not None:
        _cap(off_cap, "rubric.yaml 的 answer.off_topic_cap")
    share = (data.get("scoring") or {}).get("points_share", 60)
    if not isinstance(share, int) or isinstance(share, bool) or not 0 <= share <= 100:
        raise ContentError("rubric.yaml 的 scoring.points_share 应是0–100的整数。")
    answer_section = Section(answer["name"], answer["cap"], str(answer.get("fail", "")), str(answer.get("pass", "")),
                             off_cap, str(answer.get("off_topic", "")))
    return Rubric(rules, lexicon, vocab, share, answer_section,
                  *(Section(s["name"], s["cap"], str(s.get("fail", "")), str(s.get("pass", "")))
                    for s in (facts, degenerate)),
                  _words(degenerate.get("stock_phrases"), "rubric.yaml 的 degenerate", "stock_phrases"))


@lru_cache(maxsize=1)
def default_rubric() -> Rubric:
    """``data/rubric.yaml`` (read once per process)."""
    return rubric_from_data(read_content("rubric.yaml"))


def default_rules() -> tuple[Rule, ...]:
    """The general rules of ``data/rubric.yaml``."""
    return default_rubric().rules


def points_from_data(raw: object, where: str, key: str = "required") -> tuple[Point, ...]:
    """Points from an item's ``rubric.gates`` or ``rubric.required`` list.

    A word list made only of generic words (今天, 客服, 店铺 …) is rejected: such words match
    almost any reply, so they never count on their own.
    """
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise ContentError(f"{where}：rubric.{key} 应是列表。")
    generic = default_rubric().lexicon.generic
    points = []
    for item in raw:
        if not isinstance(item, dict) or not isinstance(item.get("name"), str) or not isinstance(
                item.get("words"), list) or not item["words"] or not all(isinstance(w, str) and w for w in item["words"]):
            raise ContentError(f"{where}：rubric.{key} 的每一项需要 name 和非空的 words 列表。")
        unknown = set(item) - {"name", "words", "asks"}
        if unknown:
            raise ContentError(f"{where}：rubric.{key}「{item['name']}」里有未知字段 {', '.join(sorted(unknown))}。")
        if all(fold_reply(w) in generic for w in item["words"]):
            raise ContentError(f"{where}：rubric.{key}「{item['name']}」的词语都是泛泛之词（{'、'.join(item['words'])}），"
                               "几乎任何回复都会出现，不能证明答到了这一点。请写只有答到这一点才会说的具体说法。")
        points.append(Point(item["name"], tuple(item["words"]), bool(item.get("asks", False))))
    return tuple(points)


AVOID_KEYS = {"name", "patterns", "fail", "cap", "allow"}


def avoid_from_data(raw: object, where: str) -> tuple[Rule, ...]:
    """An item's ``rubric.avoid`` list: what this reply must not say, beyond the general rules.

    Each entry is ``{name, patterns, fail, cap?, allow?}``; it becomes a ``patterns_none`` rule
    that adds no points and caps the total at ``cap`` (default: the facts cap) when a pattern
    matches (negated mentions and ``allow`` phrases do not count).

    >>> avoid_from_data([{"name": "不泄露顾客信息", "patterns": ["1[3-9][0-9]{9}"], "fail": "别写手机号。"}], "题")[0].cap
    40
    """
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise ContentError(f"{where}：rubric.avoid 应是列表。")
    rules = []
    for item in raw:
        if not isinstance(item, dict) or not isinstance(item.get("name"), str) or not item["name"].strip() \
                or not isinstance(item.get("fail"), str) or not item["fail"].strip():
            raise ContentError(f"{where}：rubric.avoid 的每一项需要 name、patterns 和 fail（违反时给学生的说明）。")
        unknown = set(item) - AVOID_KEYS
        if unknown:
            raise ContentError(f"{where}：rubric.avoid「{item['name']}」里有未知字段 {', '.join(sorted(unknown))}。")
        inner = f"{where}：rubric.avoid「{item['name']}」"
        patterns = _patterns(item.get("patterns"), inner, "patterns")
        allow = _patterns(item["allow"], inner, "allow") if "allow" in item else ()
        cap = _cap(item["cap"], inner) if "cap" in item else default_rubric().facts.cap
        rules.append(Rule(f"avoid:{item['name']}", item["name"], "patterns_none", patterns, "always", 0.0,
                          f"做到了：{item['name']}。", item["fail"], cap, allow=allow))
    return tuple(rules)


def facts_from_data(raw: object, where: str) -> Facts | None:
    """An item's ``facts:`` block (``None`` when absent: then claims are not checked).

    Besides what a reply may claim, ``wrong`` lists statements that contradict the product
    facts or the rules (name + words, like a required point): said positively, each is a
    claim of the kind 说错.  ``features`` names the 卖点 of ``rubric.yaml``'s vocabulary that
    the product data states; any other one said positively is a claim of the kind 卖点.
    ``sizes`` quotes the product data's sizes; when given, a size or capacity the reply states
    that they (or the buyer) do not is a claim of the kind 尺寸.
    """
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise ContentError(f"{where}：facts 应是一个字典。")
    unknown = set(raw) - set(FACT_LISTS) - set(FACT_FLAGS) - {"wrong", "price_of"}
    if unknown:
        raise ContentError(f"{where}：facts 里有未知字段 {', '.join(sorted(unknown))}。")
    lists = {}
    for key in FACT_LISTS:
        value = raw.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, (str, int, float)) and not isinstance(v, bool)
                                                  for v in value):
            raise ContentError(f"{where}：facts.{key} 应是列表。")
        lists[key] = tuple(value)
    try:
        prices = tuple(float(p) for p in lists["prices"])
    except ValueError:
        raise ContentError(f"{where}：facts.prices 应是数字列表，例如 [359, 39]。") from None
    for t in lists["times"]:
        if not re.fullmatch(r"[0-9]{1,2}:[0-9]{2}", str(t)):
            raise ContentError(f"{where}：facts.times 里的「{t}」应写成 16:00 这样的时刻（加引号）。")
    for d in lists["durations"]:
        if duration_key(str(d)) is None:
            raise ContentError(f"{where}：facts.durations 里的「{d}」应写成“2～3天”“48小时”这样的时长。")
    for text in lists["sizes"]:
        if not size_ranges(str(text)):
            raise ContentError(f"{where}：facts.sizes 里的「{text}」要写出带单位的尺寸，例如“可放14英寸笔记本电脑”“容量500毫升”。")
    for key in FACT_FLAGS:
        if not isinstance(raw.get(key, False), bool):
            raise ContentError(f"{where}：facts.{key} 应是 true 或 false。")
    wrong = tuple((p.name, p.words) for p in points_from_data(raw.get("wrong"), where, "facts.wrong"))
    texts = {key: tuple(map(str, lists[key])) for key in FACT_LISTS if key != "prices"}
    price_of = raw.get("price_of", {})
    if not isinstance(price_of, dict) or not all(
            isinstance(n, str) and n and isinstance(p, (int, float)) and not isinstance(p, bool) and float(p) in prices
            for n, p in price_of.items()):
        raise ContentError(f"{where}：facts.price_of 应写成“商品叫法: 价格”，例如 {{保温杯: 89}}，价格要在 facts.prices 里。")
    return Facts(prices=prices, **texts, **{key: bool(raw.get(key, False)) for key in FACT_FLAGS}, wrong=wrong,
                 price_of=tuple((str(n), float(p)) for n, p in price_of.items()))
