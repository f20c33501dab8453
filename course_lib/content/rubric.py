"""An explainable rule engine that scores a customer-service reply.

The general rules (greeting, polite address, the three groups of 服务禁用语,
apology first when the buyer complains, length) are data in ``data/rubric.yaml``;
a question or scenario turn adds its own required points with synonym lists.
The result lists every rule with passed/failed and a message, a 0–100 score and
one suggestion.

>>> rules = [Rule("greeting", "问候语", "contains_any", ("您好", "欢迎"), when="first_reply",
...               weight=1, pass_msg="有问候语。", fail_msg="缺少问候语。")]
>>> r = score_reply("您好，请问有什么可以帮您？", first_reply=True, rules=rules,
...                 required=[Point("提供帮助", ("帮您", "为您"))])
>>> r.score, [item.passed for item in r.items]
(100, [True, True])
>>> score_reply("有的", first_reply=True, rules=rules).score
0
"""
from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from ..settings import standards
from ..text import char_count, fold_reply
from .loading import ContentError, read_content

REQUIRED_SHARE = 50          # of 100 points, shared equally by the required points
KINDS = ("contains_any", "contains_none", "first_sentence_any", "length")
WHENS = ("always", "first_reply", "complaint")
_FIRST_SENTENCE = re.compile(r"[。！？!?\n]")


@dataclass(frozen=True)
class Rule:
    """One general rule; ``words`` are matched on the folded reply (see :func:`fold_reply`)."""

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


@dataclass(frozen=True)
class Point:
    """A required point of one question: any of ``words`` present counts."""

    name: str
    words: tuple[str, ...]


@dataclass(frozen=True)
class RuleOutcome:
    id: str
    name: str
    passed: bool
    message: str
    found: tuple[str, ...] = ()


@dataclass(frozen=True)
class RubricResult:
    """Score 0–100, every rule's outcome, one suggestion. Renders as a table."""

    score: int
    items: tuple[RuleOutcome, ...]
    suggestion: str
    capped_by: str | None = None

    @property
    def failed_items(self) -> tuple[RuleOutcome, ...]:
        return tuple(i for i in self.items if not i.passed)

    def to_text(self) -> str:
        lines = [f"回复得分：{self.score}/100"]
        lines += [f"  {'✔' if i.passed else '✘'} {i.name}：{i.message}" for i in self.items]
        lines.append(f"建议：{self.suggestion}")
        return "\n".join(lines)

    def to_html(self) -> str:
        rows = "".join(
            f"<tr><td style='color:{'#1a7f37' if i.passed else '#cf222e'}'>{'✔' if i.passed else '✘'}</td>"
            f"<td>{html.escape(i.name)}</td><td>{html.escape(i.message)}</td></tr>"
            for i in self.items
        )
        return (
            f"<div class='course-rubric'><b>回复得分：{self.score}/100</b>"
            f"<table><thead><tr><th></th><th>规则</th><th>说明</th></tr></thead><tbody>{rows}</tbody></table>"
            f"<p><b>建议：</b>{html.escape(self.suggestion)}</p></div>"
        )

    def __repr__(self) -> str:
        return self.to_text()

    def _repr_html_(self) -> str:
        return self.to_html()


def _applies(rule: Rule, first_reply: bool, complaint: bool) -> bool:
    return rule.when == "always" or (rule.when == "first_reply" and first_reply) or (
        rule.when == "complaint" and complaint)


def _found(words: Iterable[str], folded: str) -> tuple[str, ...]:
    return tuple(w for w in words if fold_reply(w) and fold_reply(w) in folded)


def _check(rule: Rule, text: str, folded: str, min_length: int | None, max_length: int | None) -> RuleOutcome:
    if rule.kind == "contains_any":
        found = _found(rule.words, folded)
        return RuleOutcome(rule.id, rule.name, bool(found), rule.pass_msg if found else rule.fail_msg, found)
    if rule.kind == "contains_none":
        found = _found(rule.words, folded)
        message = rule.pass_msg if not found else f"出现了「{'」「'.join(found)}」。{rule.fail_msg}"
        return RuleOutcome(rule.id, rule.name, not found, message, found)
    if rule.kind == "first_sentence_any":
        first = _FIRST_SENTENCE.split(text.strip(), maxsplit=1)[0][:30]
        found = _found(rule.words, fold_reply(first))
        return RuleOutcome(rule.id, rule.name, bool(found), rule.pass_msg if found else rule.fail_msg, found)
    if rule.kind == "length":
        low = rule.min if min_length is None else min_length
        high = rule.max if max_length is None else max_length
        n = char_count(text)
        ok = low <= n <= high
        if ok:
            message = f"{n}字，{rule.pass_msg}"
        elif n < low:
            message = f"只有{n}字，太短了（建议{low}–{high}字）。{rule.fail_msg}"
        else:
            message = f"有{n}字，太长了（建议{low}–{high}字）。{rule.fail_msg}"
        return RuleOutcome(rule.id, rule.name, ok, message)
    raise ValueError(f"未知的规则类型：{rule.kind}")


def score_reply(
    text: str,
    *,
    first_reply: bool = False,
    complaint: bool = False,
    required: Sequence[Point | dict] = (),
    min_length: int | None = None,
    max_length: int | None = None,
    rules: Sequence[Rule] | None = None,
) -> RubricResult:
    """Score one reply. Never raises for any ``text`` (non-strings count as empty).

    >>> score_reply("", rules=[]).score
    0
    """
    if not isinstance(text, str):
        text = ""
    text = str.__str__(text)[:5000]
    rules = default_rules() if rules is None else tuple(rules)
    points = tuple(p if isinstance(p, Point) else Point(p["name"], tuple(p["words"])) for p in required)
    folded = fold_reply(text)
    if not folded:
        empty = tuple(RuleOutcome(r.id, r.name, False, "没有回复内容。") for r in rules
                      if _applies(r, first_reply, complaint)) + tuple(
            RuleOutcome(f"point:{p.name}", f"要点：{p.name}", False, "没有回复内容。") for p in points)
        return RubricResult(0, empty, "请先写下你的回复。")

    applicable = [r for r in rules if _applies(r, first_reply, complaint)]
    outcomes = [_check(r, text, folded, min_length, max_length) for r in applicable]
    general_share = 100 - REQUIRED_SHARE if points else 100
    total_weight = sum(r.weight for r in applicable)
    if total_weight:
        score = sum(general_share * r.weight / total_weight for r, o in zip(applicable, outcomes) if o.passed)
    else:                        # only cap rules apply: the required points carry the whole score
        score = 0.0
        general_share = 0
    points_share = 100 - general_share if points else 0
    for p in points:
        found = _found(p.words, folded)
        outcomes.append(RuleOutcome(
            f"point:{p.name}", f"要点：{p.name}", bool(found),
            f"答到了（{'、'.join(found[:3])}）。" if found else f"没有答到“{p.name}”这一点。", found))
        if found:
            score += points_share / len(points)
    if not any(r.weight for r in applicable) and not points:
        score = 100
    capped_by = None
    for r, o in zip(applicable, outcomes):
        if not o.passed and r.cap is not None and score > r.cap:
            score, capped_by = r.cap, r.name
    failed = [(r.weight + (100 - (r.cap or 100)), o) for r, o in zip(applicable, outcomes) if not o.passed]
    if capped_by:
        suggestion = next(o.message for r, o in zip(applicable, outcomes) if r.name == capped_by)
    elif failed:
        suggestion = max(failed, key=lambda pair: pair[0])[1].message
    elif any(not o.passed for o in outcomes):
        missing = [o.name.removeprefix("要点：") for o in outcomes if not o.passed]
        suggestion = f"补充“{'”“'.join(missing)}”，回复会更完整。"
    else:
        suggestion = "回复很好，礼貌、专业、要点齐全，继续保持！"
    return RubricResult(int(round(score)), tuple(outcomes), suggestion, capped_by)


def rules_from_data(data: dict) -> tuple[Rule, ...]:
    """Build rules from the parsed ``rubric.yaml``; raises ``ValueError`` with a Chinese message."""
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
        words = raw.get("words", [])
        if raw["kind"] != "length" and (not isinstance(words, list) or not words
                                        or not all(isinstance(w, str) and w for w in words)):
            raise ContentError(f"{where}需要非空的 words 词语列表。")
        weight = raw.get("weight", 10)
        if not isinstance(weight, (int, float)) or isinstance(weight, bool) or weight < 0:
            raise ContentError(f"{where}的 weight 应是不小于0的数（0表示只封顶、不加分）。")
        cap = raw.get("cap")
        if cap is not None and (not isinstance(cap, int) or not 0 <= cap <= 100):
            raise ContentError(f"{where}的 cap 应是0–100的整数。")
        rules.append(Rule(raw["id"], raw["name"], raw["kind"], tuple(words), when, float(weight),
                          raw["pass"], raw["fail"], raw.get("cap"), int(raw.get("min", standards().reply_min_chars)),
                          int(raw.get("max", standards().reply_max_chars))))
    return tuple(rules)


@lru_cache(maxsize=1)
def default_rules() -> tuple[Rule, ...]:
    """The rules in ``data/rubric.yaml`` (read once per process)."""
    return rules_from_data(read_content("rubric.yaml"))


def points_from_data(raw: object, where: str) -> tuple[Point, ...]:
    """Required points from a question's ``rubric.required`` list."""
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise ContentError(f"{where}：rubric.required 应是列表。")
    points = []
    for item in raw:
        if not isinstance(item, dict) or not isinstance(item.get("name"), str) or not isinstance(
                item.get("words"), list) or not item["words"] or not all(isinstance(w, str) and w for w in item["words"]):
            raise ContentError(f"{where}：每个必答要点需要 name 和非空的 words 列表。")
        points.append(Point(item["name"], tuple(item["words"])))
    return tuple(points)


@dataclass(frozen=True)
class ReplySpec:
    """How one question or turn scores a reply (from its ``rubric:`` block)."""

    first_reply: bool = False
    complaint: bool = False
    required: tuple[Point, ...] = ()
    min_length: int | None = None
    max_length: int | None = None

    def score(self, text: str, rules: Sequence[Rule] | None = None) -> RubricResult:
        return score_reply(text, first_reply=self.first_reply, complaint=self.complaint,
                           required=self.required, min_length=self.min_length,
                           max_length=self.max_length, rules=rules)


def spec_from_data(raw: object, where: str) -> ReplySpec:
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise ContentError(f"{where}：rubric 应是一个字典。")
    unknown = set(raw) - {"first_reply", "complaint", "required", "min_length", "max_length"}
    if unknown:
        raise ContentError(f"{where}：rubric 里有未知字段 {', '.join(sorted(unknown))}。")
    for key in ("min_length", "max_length"):
        if key in raw and (not isinstance(raw[key], int) or raw[key] < 0):
            raise ContentError(f"{where}：rubric.{key} 应是非负整数。")
    return ReplySpec(bool(raw.get("first_reply", False)), bool(raw.get("complaint", False)),
                     points_from_data(raw.get("required"), where), raw.get("min_length"), raw.get("max_length"))
