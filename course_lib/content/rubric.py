"""The reply scorer: deterministic, offline and explainable.

:func:`score_reply` composes the checks, each in its own module: degenerate replies
(:mod:`.degenerate`), the buyer's question (``gates``) and the required points matched
with negation and question awareness (:mod:`.replytext`), the general rules and banned
lists of ``data/rubric.yaml`` (:mod:`.rubric_rules`), and claims checked against the
shop's facts (:mod:`.claims`).  Gates and required points share ``scoring.points_share``
(60) of the 100 points, the weighted general rules the rest; a missed gate, a banned
word, pressure, a threat, an invented fact or a degenerate reply caps the total.  Every
outcome carries a Chinese reason quoting what triggered it.

>>> rules = [Rule("greeting", "问候语", "contains_any", ("您好", "欢迎"), when="first_reply",
...               weight=1, pass_msg="有问候语。", fail_msg="缺少问候语。")]
>>> r = score_reply("您好，请问有什么可以帮您？", first_reply=True, rules=rules,
...                 required=[Point("提供帮助", ("帮您", "为您"), asks=True)])
>>> r.score, [item.passed for item in r.items]
(100, [True, True])
>>> score_reply("有的", first_reply=True, rules=rules).score
0
>>> r = score_reply("您好，这款不是原装的，没有发票也不能验货。", gates=[Point("说明是正品", ("原装", "正品"))])
>>> r.score, r.items[0].message.split("。")[:2]
(15, ['没有做到“说明是正品”，这是本题的核心，漏掉它总分最高40分', '「不是原装」是否定的说法，不算答到'])
"""
from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from ..text import char_count, fold_reply
from ..theme import text_colour
from .claims import Facts, invented_claims
from .degenerate import degenerate_reason
from .loading import ContentError
from .replytext import Hit, Lexicon, counted, find_words
from .results import Rendered
from .rubric_rules import (
    Point,
    Rubric,
    Rule,
    avoid_from_data,
    default_rubric,
    default_rules,
    facts_from_data,
    points_from_data,
    rules_from_data,
)

__all__ = ["Point", "ReplySpec", "RubricResult", "Rule", "RuleOutcome", "default_rules", "rules_from_data",
           "score_reply", "spec_from_data"]
_FIRST_SENTENCE = re.compile(r"[。！？!?\n]")


@dataclass(frozen=True)
class RuleOutcome:
    id: str
    name: str
    passed: bool
    message: str
    found: tuple[str, ...] = ()


def mark(passed: bool) -> str:
    return "✔" if passed else "✘"


class ScoreReport(Rendered):
    """A score 0–100 (``score``), checked ``items`` (``name``, ``passed``, ``message``) and one
    ``suggestion``, as text: a heading line, one line per item, the suggestion."""

    heading = "回复得分"

    def label(self, item) -> str:
        return item.name

    def to_text(self) -> str:
        lines = [f"{self.heading}：{self.score}/100"]
        lines += [f"  {mark(i.passed)} {self.label(i)}：{i.message}" for i in self.items]
        lines.append(f"建议：{self.suggestion}")
        return "\n".join(lines)


@dataclass(frozen=True, repr=False)
class RubricResult(ScoreReport):
    """Score 0–100, every check's outcome, one suggestion. Renders as a table."""

    score: int
    items: tuple[RuleOutcome, ...]
    suggestion: str
    capped_by: str | None = None

    @property
    def failed_items(self) -> tuple[RuleOutcome, ...]:
        return tuple(i for i in self.items if not i.passed)

    def to_html(self) -> str:
        rows = "".join(
            f"<tr><td style='{text_colour('ok' if i.passed else 'bad')}'>{mark(i.passed)}</td>"
            f"<td>{html.escape(i.name)}</td><td>{html.escape(i.message)}</td></tr>"
            for i in self.items
        )
        return (
            f"<div class='course-rubric'><b>回复得分：{self.score}/100</b>"
            f"<table><thead><tr><th></th><th>规则</th><th>说明</th></tr></thead><tbody>{rows}</tbody></table>"
            f"<p><b>建议：</b>{html.escape(self.suggestion)}</p></div>"
        )


def _applies(rule: Rule, first_reply: bool, complaint: bool) -> bool:
    return rule.when == "always" or (rule.when == "first_reply" and first_reply) or (
        rule.when == "complaint" and complaint)


def _check(rule: Rule, text: str, folded: str, lex: Lexicon, min_length: int | None,
           max_length: int | None) -> RuleOutcome:
    if rule.kind in ("contains_any", "first_sentence_any"):
        where = folded if rule.kind == "contains_any" else fold_reply(_FIRST_SENTENCE.split(text.strip(), maxsplit=1)[0][:30])
        found = tuple(w for w in rule.words if fold_reply(w) and fold_reply(w) in where)
        return RuleOutcome(rule.id, rule.name, bool(found), rule.pass_msg if found else rule.fail_msg, found)
    if rule.kind in ("contains_none", "patterns_none"):
        found = counted(rule.hits(folded, lex))
        message = rule.pass_msg if not found else f"出现了「{'」「'.join(found)}」。{rule.fail_msg}"
        return RuleOutcome(rule.id, rule.name, not found, message, found)
    if rule.kind == "length":
        low = rule.min if min_length is None else min_length
        high = rule.max if max_length is None else max_length
        n, limits = char_count(text), f"本题要求{low}～{high}字"
        if low <= n <= high:
            return RuleOutcome(rule.id, rule.name, True, f"{n}字（{limits}），{rule.pass_msg}")
        if n < low:
            return RuleOutcome(rule.id, rule.name, False, f"只有{n}字，太短了（{limits}）。{rule.fail_short or rule.fail_msg}")
        return RuleOutcome(rule.id, rule.name, False, f"有{n}字，太长了（{limits}）。{rule.fail_long or rule.fail_msg}")
    raise ValueError(f"未知的规则类型：{rule.kind}")


def _blocked_note(hits: list[Hit]) -> str:
    blocked = next((h for h in hits if h.blocked), None)
    if blocked is None:
        return ""
    if blocked.blocked == "negated":
        return f"「{blocked.context}」是否定的说法，不算答到。"
    return f"「{blocked.context}」是在提问或反问，没有正面回答。"


def _point(p: Point, folded: str, rb: Rubric, gate: bool) -> RuleOutcome:
    words = [w for w in p.words if fold_reply(w) not in rb.lexicon.generic]
    hits = find_words(words, folded, rb.lexicon, asks=p.asks, courteous=True)
    found = counted(hits)
    prefix, label = ("gate", "核心") if gate else ("point", "要点")
    if found:
        return RuleOutcome(f"{prefix}:{p.name}", f"{label}：{p.name}", True, f"答到了（{'、'.join(found[:3])}）。", found)
    if gate:
        message = f"没有做到“{p.name}”，这是本题的核心，漏掉它总分最高{rb.answer.cap}分。{_blocked_note(hits)}{rb.answer.fail}"
    else:
        message = f"没有答到“{p.name}”这一点。{_blocked_note(hits)}"
    return RuleOutcome(f"{prefix}:{p.name}", f"{label}：{p.name}", False, message)


def _as_point(p: Point | dict) -> Point:
    return p if isinstance(p, Point) else Point(p["name"], tuple(p["words"]), bool(p.get("asks", False)))


def score_reply(
    text: str,
    *,
    first_reply: bool = False,
    complaint: bool = False,
    required: Sequence[Point | dict] = (),
    gates: Sequence[Point | dict] = (),
    facts: Facts | dict | None = None,
    buyer: str = "",
    task: str = "",
    min_length: int | None = None,
    max_length: int | None = None,
    rules: Sequence[Rule] | None = None,
) -> RubricResult:
    """Score one reply. Never raises for any ``text`` (non-strings count as empty).

    ``gates``: the buyer's question(s) — missing one caps the score; ``required``: the other
    points; ``facts``: what the reply may claim (``None``: claims are not checked);
    ``buyer``/``task``: the buyer's message and the task text (copying them is degenerate).

    >>> score_reply("", rules=[]).score
    0
    """
    if not isinstance(text, str):
        text = ""
    text = str.__str__(text)[:5000]
    rb = default_rubric()
    rules = rb.rules if rules is None else tuple(rules)
    if isinstance(facts, dict):
        facts = facts_from_data(facts, "score_reply")
    gate_points = tuple(map(_as_point, gates))
    points = tuple(map(_as_point, required))
    folded = fold_reply(text)
    applicable = [r for r in rules if _applies(r, first_reply, complaint)]
    if not folded:
        empty = tuple(RuleOutcome(r.id, r.name, False, "没有回复内容。") for r in applicable) + tuple(
            RuleOutcome(f"point:{p.name}", f"要点：{p.name}", False, "没有回复内容。") for p in gate_points + points)
        return RubricResult(0, empty, "请先写下你的回复。")

    point_outcomes = [_point(p, folded, rb, True) for p in gate_points] + [_point(p, folded, rb, False) for p in points]
    rule_outcomes = [_check(r, text, folded, rb.lexicon, min_length, max_length) for r in applicable]
    caps: list[tuple[int, RuleOutcome]] = [(r.cap, o) for r, o in zip(applicable, rule_outcomes)
                                           if not o.passed and r.cap is not None]
    caps += [(rb.answer.cap, o) for o in point_outcomes[:len(gate_points)] if not o.passed]
    if point_outcomes and rb.answer.off_topic_cap is not None and not any(o.passed for o in point_outcomes):
        off = RuleOutcome("off_topic", rb.answer.name, False, rb.answer.off_topic)
        caps.append((rb.answer.off_topic_cap, off))
    extra: list[RuleOutcome] = []
    answered = point_outcomes[:len(gate_points)] or point_outcomes
    reason = degenerate_reason(text, buyer=buyer, task=task, stock=rb.stock_phrases,
                               made_a_point=not answered or any(o.passed for o in answered))
    if reason:
        extra.append(RuleOutcome("degenerate", rb.degenerate.name, False, reason))
        caps.append((rb.degenerate.cap, extra[-1]))
    if facts is not None:
        claims = invented_claims(text, facts, rb.vocab, rb.lexicon, buyer)
        if claims:
            message = f"编造了店铺没有的承诺或信息：{'；'.join(c.text() for c in claims)}。{rb.facts.fail}"
            extra.append(RuleOutcome("facts", rb.facts.name, False, message, tuple(c.quote for c in claims)))
            caps.append((rb.facts.cap, extra[-1]))
        else:
            extra.append(RuleOutcome("facts", rb.facts.name, True, rb.facts.pass_msg))

    weight = sum(r.weight for r in applicable)
    points_share = (rb.points_share if weight else 100) if point_outcomes else 0
    score = (100 - points_share) * sum(r.weight for r, o in zip(applicable, rule_outcomes) if o.passed) / weight \
        if weight else 0.0
    if point_outcomes:
        score += points_share * sum(o.passed for o in point_outcomes) / len(point_outcomes)
    elif not weight:
        score = 100.0
    capped_by = None
    worst = min(caps, key=lambda c: c[0], default=None)
    if worst is not None and score > worst[0]:
        score, capped_by = worst[0], worst[1].name
    outcomes = tuple(o for o in extra if o.id == "degenerate") + tuple(point_outcomes) + tuple(rule_outcomes) + tuple(
        o for o in extra if o.id == "facts")
    return RubricResult(int(round(score)), outcomes, _suggestion(worst, applicable, rule_outcomes, outcomes, caps),
                        capped_by)


def _suggestion(worst, applicable, rule_outcomes, outcomes, caps=()) -> str:
    if worst is not None:
        broken = [c for c in caps if not c[1].id.startswith(("gate:", "point:", "off_topic", "degenerate", "length"))]
        if not worst[1].id.startswith(("gate:", "point:", "off_topic")) or not broken:
            return worst[1].message
        also = min(broken, key=lambda c: c[0])[1]     # off topic and pushy: say both, the rule broken too
        return f"{worst[1].message}另外，{also.message}"
    failed = [(r.weight, o) for r, o in zip(applicable, rule_outcomes) if not o.passed]
    if failed:
        return max(failed, key=lambda pair: pair[0])[1].message
    missing = [o.name.split("：", 1)[-1] for o in outcomes if not o.passed]
    if missing:
        return f"补充“{'”“'.join(missing)}”，回复会更完整。"
    return "回复很好，礼貌、专业、要点齐全，继续保持！"


@dataclass(frozen=True)
class ReplySpec:
    """How one question or turn scores a reply (from its ``rubric:`` block)."""

    first_reply: bool = False
    complaint: bool = False
    required: tuple[Point, ...] = ()
    min_length: int | None = None
    max_length: int | None = None
    gates: tuple[Point, ...] = ()
    facts: Facts | None = None
    buyer: str = ""
    task: str = ""
    avoid: tuple[Rule, ...] = ()    # this item's own banned patterns (rubric.avoid), on top of the general rules

    def score(self, text: str, rules: Sequence[Rule] | None = None) -> RubricResult:
        if self.avoid:
            rules = (default_rules() if rules is None else tuple(rules)) + self.avoid
        return score_reply(text, first_reply=self.first_reply, complaint=self.complaint, required=self.required,
                           gates=self.gates, facts=self.facts, buyer=self.buyer, task=self.task,
                           min_length=self.min_length, max_length=self.max_length, rules=rules)

    def general_only(self) -> ReplySpec:
        """The checks that need no key: general rules, banned words, pressure, length, repetition."""
        return ReplySpec(self.first_reply, self.complaint, min_length=self.min_length, max_length=self.max_length)

    def with_context(self, buyer: str, task: str, facts: Facts | None) -> ReplySpec:
        """This spec in a scenario: the buyer's message, the task card and the scenario's facts."""
        merged = facts.plus(self.facts) if facts is not None else self.facts
        return replace(self, buyer=self.buyer or buyer, task=self.task or task, facts=merged)


SPEC_KEYS = {"first_reply", "complaint", "required", "gates", "facts", "buyer", "task", "min_length", "max_length",
             "avoid"}


def spec_from_data(raw: object, where: str) -> ReplySpec:
    """A ``rubric:`` block; raises :class:`ContentError` with a Chinese message."""
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise ContentError(f"{where}：rubric 应是一个字典。")
    unknown = set(raw) - SPEC_KEYS
    if unknown:
        raise ContentError(f"{where}：rubric 里有未知字段 {', '.join(sorted(unknown))}。")
    for key in ("min_length", "max_length"):
        if key in raw and (not isinstance(raw[key], int) or isinstance(raw[key], bool) or raw[key] < 0):
            raise ContentError(f"{where}：rubric.{key} 应是非负整数。")
    if raw.get("min_length", 0) > raw.get("max_length", 10_000):
        raise ContentError(f"{where}：rubric.min_length 不能大于 max_length。")
    for key in ("buyer", "task"):
        if not isinstance(raw.get(key, ""), str):
            raise ContentError(f"{where}：rubric.{key} 应是文字。")
    return ReplySpec(bool(raw.get("first_reply", False)), bool(raw.get("complaint", False)),
                     points_from_data(raw.get("required"), where), raw.get("min_length"), raw.get("max_length"),
                     points_from_data(raw.get("gates"), where, "gates"), facts_from_data(raw.get("facts"), where),
                     raw.get("buyer", ""), raw.get("task", ""), avoid_from_data(raw.get("avoid"), where))
