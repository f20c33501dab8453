"""Role-play scenarios: the data model, validation and loading.

A scenario is a set of customer turns. An *option* turn offers replies, each with
a score, feedback and the next turn; a *reply* turn takes free text scored by the
reply rubric. Every path from the start reaches an ending (checked on load).
``card`` lists the shop's real facts (shown on the task card); ``facts`` says what a
free-text reply may claim, inherited by every reply turn (a turn may add its own).
A bargaining scenario (unit 09) adds ``bargain:`` (the product sold and the task card's
concession rules), a ``concession:`` on the options that give something away and ``deal:``
on every ending; a concession the card does not allow (a price cut where the facts allow no
discount, a gift outside the card) can never be the best option and scores at most what the
reply scorer's facts check leaves an invented promise (40 → 4 of 10).
Playing a scenario is :class:`course_lib.content.dialogue.Dialogue`.

>>> s = load_scenario("u00_demo")
>>> s.unit, s.start in s.turns
('u00', True)
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from .claims import Facts
from .concessions import bargain_from_data, check_option, concession_from_data
from .loading import ContentError, ContentFile, read_content
from .rubric import ReplySpec, spec_from_data
from .rubric_rules import facts_from_data

MAX_TURN_SCORE = 10


@dataclass(frozen=True)
class Choice:
    text: str
    score: int
    feedback: str
    next: str
    best: bool = False
    concession: dict | None = None     # bargaining: what this reply gives away ({gift: P10}, {discount: 30})


@dataclass(frozen=True)
class Turn:
    id: str
    customer: str
    options: tuple[Choice, ...] = ()
    reply: ReplySpec | None = None
    reference: str = ""
    next: str = ""                     # for reply turns
    low_below: int = 0                 # a reply scoring under this goes to ``low_next``
    low_next: str = ""
    low_broke: str = ""                # … or here, when a broken rule (a ban, an invented fact) capped it

    @property
    def is_reply(self) -> bool:
        return self.reply is not None

    @property
    def best(self) -> Choice | None:
        return next((o for o in self.options if o.best), None)


@dataclass(frozen=True)
class Ending:
    id: str
    customer: str
    outcome: str
    deal: bool | None = None           # bargaining: did the buyer pay?


@dataclass(frozen=True)
class Scenario(ContentFile):
    role: str
    customer_name: str
    start: str
    turns: dict = field(compare=False)
    ends: dict = field(compare=False)
    agent_name: str = "客服"
    card: tuple[str, ...] = ()
    facts: Facts | None = None
    bargain: dict | None = field(default=None, compare=False)   # the ``bargain:`` block, checked

    def task_text(self) -> str:
        """The role text and the card, as the student reads them."""
        return "\n".join((self.role, *self.card))


def text_field(raw: dict, key: str, where: str, required: bool = True) -> str:
    """``raw[key]`` as text (required: not blank); else a :class:`ContentError` naming ``where``."""
    value = raw.get(key, "")
    if not isinstance(value, str) or (required and not value.strip()):
        raise ContentError(f"{where}：缺少 {key}（文字）。")
    return value


def scored_options(raw: Any, where: str) -> Iterator[tuple[str, dict, int]]:
    """A turn's options one by one as (where, option, score), each checked as it comes:
    at least two, each a dict with a whole-number ``score`` from 0 to :data:`MAX_TURN_SCORE`."""
    if not isinstance(raw, list) or len(raw) < 2:
        raise ContentError(f"{where}：options 至少两个选项。")
    for n, o in enumerate(raw, 1):
        w = f"{where} 选项{n}"
        if not isinstance(o, dict):
            raise ContentError(f"{w}：应是一个字典。")
        score = o.get("score")
        if isinstance(score, bool) or not isinstance(score, int) or not 0 <= score <= MAX_TURN_SCORE:
            raise ContentError(f"{w}：score 应是 0–{MAX_TURN_SCORE} 的整数。")
        yield w, o, score


def scenario_from_data(raw: Any, filename: str) -> Scenario:
    """Validate a scenario dict; raises :class:`ContentError` naming file and turn."""
    if not isinstance(raw, dict):
        raise ContentError(f"{filename}：文件内容应是一个字典。")
    for key in ("id", "unit", "title", "role", "customer", "start"):
        text_field(raw, key, filename)
    turns_raw, ends_raw = raw.get("turns"), raw.get("ends")
    if not isinstance(turns_raw, dict) or not turns_raw:
        raise ContentError(f"{filename}：缺少 turns（回合）。")
    if not isinstance(ends_raw, dict) or not ends_raw:
        raise ContentError(f"{filename}：缺少 ends（结局）。")
    card = raw.get("card", [])
    if not isinstance(card, list) or not all(isinstance(c, str) and c.strip() for c in card):
        raise ContentError(f"{filename}：card 应是文字列表（任务卡上店铺的真实情况，一条一项）。")
    facts = facts_from_data(raw.get("facts"), filename)
    task = "\n".join((str(raw["role"]), *card))
    overlap = set(map(str, turns_raw)) & set(map(str, ends_raw))
    if overlap:
        raise ContentError(f"{filename}：回合和结局同名：{'、'.join(sorted(overlap))}。")
    block = bargain_from_data(raw["bargain"], facts, filename) if "bargain" in raw else None
    ends = {}
    for eid, e in ends_raw.items():
        where = f"{filename} 结局 {eid}"
        if not isinstance(e, dict):
            raise ContentError(f"{where}：应是一个字典。")
        if (block is not None) != isinstance(e.get("deal"), bool) or (block is None and "deal" in e):
            raise ContentError(f"{where}：" + ("议价情景的每个结局都要写 deal: true 或 false（是否成交）。" if block is not None
                                               else "只有写了 bargain 的议价情景才写 deal。"))
        ends[str(eid)] = Ending(str(eid), text_field(e, "customer", where), text_field(e, "outcome", where), e.get("deal"))
    targets = set(map(str, turns_raw)) | set(ends)
    turns = {}
    for tid, t in turns_raw.items():
        tid = str(tid)
        where = f"{filename} 回合 {tid}"
        if not isinstance(t, dict):
            raise ContentError(f"{where}：应是一个字典。")
        customer = text_field(t, "customer", where)
        if ("options" in t) == ("reply" in t):
            raise ContentError(f"{where}：需要 options（选项）或 reply（自由回复）二者之一。")
        if "options" in t:
            choices = []
            for w, o, score in scored_options(t["options"], where):
                nxt = str(o.get("next", ""))
                if nxt not in targets:
                    raise ContentError(f"{w}：next「{nxt}」不是已有的回合或结局。")
                concession = None
                if "concession" in o:
                    if block is None:
                        raise ContentError(f"{w}：只有写了 bargain 的议价情景才写 concession。")
                    concession, breaks = concession_from_data(o["concession"], block, w)
                    check_option(score, bool(o.get("best")), breaks, w)
                choices.append(Choice(text_field(o, "text", w), score, text_field(o, "feedback", w), nxt, bool(o.get("best")),
                                      concession))
            bests = [c for c in choices if c.best]
            if len(bests) != 1:
                raise ContentError(f"{where}：必须恰好有一个 best: true 的选项。")
            if bests[0].score != max(c.score for c in choices):
                raise ContentError(f"{where}：best 选项的分数应是本回合最高分。")
            turns[tid] = Turn(tid, customer, tuple(choices))
        else:
            r = t["reply"]
            if not isinstance(r, dict):
                raise ContentError(f"{where}：reply 应是一个字典。")
            nxt = str(r.get("next", ""))
            if nxt not in targets:
                raise ContentError(f"{where}：next「{nxt}」不是已有的回合或结局。")
            low = r.get("low") or {}
            if not isinstance(low, dict) or (low and (
                    not isinstance(low.get("below"), int) or not 1 <= low["below"] <= 100
                    or str(low.get("next", "")) not in targets
                    or ("broke" in low and str(low["broke"]) not in targets) or set(low) - {"below", "next", "broke"})):
                raise ContentError(f"{where}：low 应写成 {{below: 1–100的整数, next: 已有的回合或结局}}"
                                   "（可以再加 broke: 违反规则时去的回合或结局）。")
            spec = spec_from_data(r.get("rubric"), where).with_context(customer, task, facts)
            turns[tid] = Turn(tid, customer, reply=spec,
                              reference=text_field(r, "reference", where), next=nxt,
                              low_below=int(low.get("below", 0)), low_next=str(low.get("next", "")),
                              low_broke=str(low.get("broke", "")))
    start = str(raw["start"])
    if start not in turns:
        raise ContentError(f"{filename}：start「{start}」不是已有的回合。")
    _check_graph(turns, ends, start, filename)
    return Scenario(str(raw["id"]), str(raw["unit"]), str(raw["title"]), str(raw["role"]),
                    str(raw["customer"]), start, turns, ends, str(raw.get("agent", "客服")), tuple(card), facts, block)


def longest_best(scenario: Scenario) -> tuple[int, int]:
    """(option turns whose best option is the longest — ties count —, all option turns).

    When the best option is always the longest, “pick the longest” wins every turn.
    """
    option_turns = [t for t in scenario.turns.values() if t.options]
    longest = sum(1 for t in option_turns
                  if len(t.best.text) >= max(len(o.text) for o in t.options if o is not t.best))
    return longest, len(option_turns)


def turn_targets(turn: Turn) -> list[str]:
    """Where a turn can lead."""
    if turn.options:
        return [o.next for o in turn.options]
    return [turn.next] + [t for t in (turn.low_next, turn.low_broke) if t]


def _check_graph(turns: dict, ends: dict, start: str, filename: str) -> None:
    """Every turn reachable from start; no cycles, so every branch reaches an ending."""
    state: dict[str, int] = {}          # 1 = on the current path, 2 = done

    def visit(node: str, path: list[str]) -> None:
        if node in ends or state.get(node) == 2:
            return
        if state.get(node) == 1:
            raise ContentError(f"{filename}：对话出现循环（{' → '.join(path + [node])}），走不到结局。")
        state[node] = 1
        for nxt in turn_targets(turns[node]):
            visit(nxt, path + [node])
        state[node] = 2

    visit(start, [])
    unreachable = sorted(set(turns) - set(state))
    if unreachable:
        raise ContentError(f"{filename}：从 start 走不到这些回合：{'、'.join(unreachable)}。")


@lru_cache(maxsize=64)
def load_scenario(scenario_id: str) -> Scenario:
    """The scenario ``data/scenarios/<scenario_id>.yaml``."""
    filename = f"scenarios/{scenario_id}.yaml"
    scenario = scenario_from_data(read_content(filename), filename)
    if scenario.id != scenario_id:
        raise ContentError(f"{filename}：id「{scenario.id}」应与文件名一致。")
    return scenario
