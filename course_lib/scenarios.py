"""Role-play scenarios: validation and a pure dialogue engine (a state machine).

A scenario is a set of customer turns. An *option* turn offers replies, each with
a score, feedback and the next turn; a *reply* turn takes free text scored by the
reply rubric. Every path from the start reaches an ending (checked on load).

>>> s = scenario_from_data({"id": "demo", "unit": "u00", "title": "演示", "role": "你是客服。",
...     "customer": "顾客", "start": "t1",
...     "turns": {"t1": {"customer": "在吗？", "options": [
...         {"text": "您好，在的！", "score": 10, "best": True, "feedback": "热情。", "next": "bye"},
...         {"text": "在。", "score": 3, "feedback": "太冷淡。", "next": "bye"}]}},
...     "ends": {"bye": {"customer": "好的，谢谢！", "outcome": "成交"}}}, "demo.yaml")
>>> d = Dialogue(s)
>>> d.current.customer
'在吗？'
>>> d.choose(1, elapsed=12.0).score
3
>>> d.finished, d.report().percent, d.report().first_slow
(True, 30, True)
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from .content import ContentError, read_yaml, reply_spec
from .rubric import ReplySpec, RubricResult

FIRST_RESPONSE_STANDARD = 10.0   # seconds (seed 001: 首次响应时间控制在10秒之内)
AVERAGE_RESPONSE_STANDARD = 35.0  # seconds (DOMAIN: 某店铺绩效表，平均响应时间35秒内为满分)
MAX_TURN_SCORE = 10
GOOD_REPLY = 90                   # a free-text reply scoring this (of 100) counts as well done


@dataclass(frozen=True)
class Choice:
    text: str
    score: int
    feedback: str
    next: str
    best: bool = False


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


@dataclass(frozen=True)
class Scenario:
    id: str
    unit: str
    title: str
    role: str
    customer_name: str
    start: str
    turns: dict = field(compare=False)
    ends: dict = field(compare=False)
    agent_name: str = "客服"

    def paths_max(self) -> int:
        """The number of turns on the longest path (for progress display)."""
        @lru_cache(maxsize=None)
        def depth(node: str) -> int:
            if node in self.ends:
                return 0
            turn = self.turns[node]
            nexts = turn_targets(turn)
            return 1 + max(depth(n) for n in nexts)
        return depth(self.start)


def _text(raw: dict, key: str, where: str, required: bool = True) -> str:
    value = raw.get(key, "")
    if not isinstance(value, str) or (required and not value.strip()):
        raise ContentError(f"{where}：缺少 {key}（文字）。")
    return value


def scenario_from_data(raw: Any, filename: str) -> Scenario:
    """Validate a scenario dict; raises :class:`ContentError` naming file and turn."""
    if not isinstance(raw, dict):
        raise ContentError(f"{filename}：文件内容应是一个字典。")
    for key in ("id", "unit", "title", "role", "customer", "start"):
        _text(raw, key, filename)
    turns_raw, ends_raw = raw.get("turns"), raw.get("ends")
    if not isinstance(turns_raw, dict) or not turns_raw:
        raise ContentError(f"{filename}：缺少 turns（回合）。")
    if not isinstance(ends_raw, dict) or not ends_raw:
        raise ContentError(f"{filename}：缺少 ends（结局）。")
    overlap = set(map(str, turns_raw)) & set(map(str, ends_raw))
    if overlap:
        raise ContentError(f"{filename}：回合和结局同名：{'、'.join(sorted(overlap))}。")
    ends = {}
    for eid, e in ends_raw.items():
        where = f"{filename} 结局 {eid}"
        if not isinstance(e, dict):
            raise ContentError(f"{where}：应是一个字典。")
        ends[str(eid)] = Ending(str(eid), _text(e, "customer", where), _text(e, "outcome", where))
    targets = set(map(str, turns_raw)) | set(ends)
    turns = {}
    for tid, t in turns_raw.items():
        tid = str(tid)
        where = f"{filename} 回合 {tid}"
        if not isinstance(t, dict):
            raise ContentError(f"{where}：应是一个字典。")
        customer = _text(t, "customer", where)
        if ("options" in t) == ("reply" in t):
            raise ContentError(f"{where}：需要 options（选项）或 reply（自由回复）二者之一。")
        if "options" in t:
            opts = t["options"]
            if not isinstance(opts, list) or len(opts) < 2:
                raise ContentError(f"{where}：options 至少两个选项。")
            choices = []
            for n, o in enumerate(opts, 1):
                w = f"{where} 选项{n}"
                if not isinstance(o, dict):
                    raise ContentError(f"{w}：应是一个字典。")
                score = o.get("score")
                if not isinstance(score, int) or isinstance(score, bool) or not 0 <= score <= MAX_TURN_SCORE:
                    raise ContentError(f"{w}：score 应是 0–{MAX_TURN_SCORE} 的整数。")
                nxt = str(o.get("next", ""))
                if nxt not in targets:
                    raise ContentError(f"{w}：next「{nxt}」不是已有的回合或结局。")
                choices.append(Choice(_text(o, "text", w), score, _text(o, "feedback", w), nxt, bool(o.get("best"))))
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
                    or str(low.get("next", "")) not in targets)):
                raise ContentError(f"{where}：low 应写成 {{below: 1–100的整数, next: 已有的回合或结局}}。")
            turns[tid] = Turn(tid, customer, reply=reply_spec(r.get("rubric"), where),
                              reference=_text(r, "reference", where), next=nxt,
                              low_below=int(low.get("below", 0)), low_next=str(low.get("next", "")))
    start = str(raw["start"])
    if start not in turns:
        raise ContentError(f"{filename}：start「{start}」不是已有的回合。")
    _check_graph(turns, ends, start, filename)
    return Scenario(str(raw["id"]), str(raw["unit"]), str(raw["title"]), str(raw["role"]),
                    str(raw["customer"]), start, turns, ends, str(raw.get("agent", "客服")))


def turn_targets(turn: Turn) -> list[str]:
    """Where a turn can lead."""
    if turn.options:
        return [o.next for o in turn.options]
    return [turn.next] + ([turn.low_next] if turn.low_next else [])


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
    scenario = scenario_from_data(read_yaml(filename), filename)
    if scenario.id != scenario_id:
        raise ContentError(f"{filename}：id「{scenario.id}」应与文件名一致。")
    return scenario


# ---------------------------------------------------------------- the engine

@dataclass(frozen=True)
class Step:
    """What happened in one turn."""

    turn_id: str
    customer: str
    reply: str
    score: int
    feedback: str
    best_reply: str
    was_best: bool
    elapsed: float | None = None
    rubric: RubricResult | None = None


@dataclass(frozen=True)
class Report:
    """The end report of a dialogue."""

    title: str
    score: int
    max_score: int
    outcome: str
    went_well: tuple[str, ...]
    to_improve: tuple[str, ...]
    transcript: tuple[tuple[str, str], ...]
    first_time: float | None
    average_time: float | None

    @property
    def first_slow(self) -> bool:
        return self.first_time is not None and self.first_time > FIRST_RESPONSE_STANDARD

    @property
    def average_slow(self) -> bool:
        return self.average_time is not None and self.average_time > AVERAGE_RESPONSE_STANDARD

    def timing_text(self) -> str:
        if self.first_time is None:
            return ""
        first = "达标" if not self.first_slow else f"超过{FIRST_RESPONSE_STANDARD:g}秒标准"
        average = "达标" if not self.average_slow else f"超过{AVERAGE_RESPONSE_STANDARD:g}秒参考值"
        return (f"首次响应用时{self.first_time:.1f}秒（{first}）；"
                f"平均响应用时{self.average_time:.1f}秒（{average}）")

    @property
    def percent(self) -> int:
        return round(100 * self.score / self.max_score) if self.max_score else 0

    def to_text(self) -> str:
        lines = [f"【{self.title}】结束：{self.outcome}", f"得分：{self.score}/{self.max_score}（{self.percent}分）"]
        if self.first_time is not None:
            lines.append(self.timing_text())
        lines.append("做得好的：")
        lines += [f"  ✔ {t}" for t in self.went_well] or ["  （暂无）"]
        lines.append("需要改进的：")
        lines += [f"  ✘ {t}" for t in self.to_improve] or ["  （暂无，继续保持！）"]
        lines.append("对话记录：")
        lines += [f"  {who}：{text}" for who, text in self.transcript]
        return "\n".join(lines)


class Dialogue:
    """The state of one play-through. Pure: the caller supplies elapsed times."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.node = scenario.start
        self.steps: list[Step] = []

    @property
    def finished(self) -> bool:
        return self.node in self.scenario.ends

    @property
    def current(self) -> Turn | None:
        return None if self.finished else self.scenario.turns[self.node]

    @property
    def ending(self) -> Ending | None:
        return self.scenario.ends.get(self.node)

    def choose(self, index: int, elapsed: float | None = None) -> Step:
        """Pick option ``index`` (0-based) of the current option turn."""
        turn = self._turn(reply=False)
        if not isinstance(index, int) or not 0 <= index < len(turn.options):
            raise ValueError(f"本回合只有{len(turn.options)}个选项。")
        choice = turn.options[index]
        best = turn.best
        step = Step(turn.id, turn.customer, choice.text, choice.score, choice.feedback,
                    best.text if best else choice.text, choice.best, elapsed)
        return self._advance(step, choice.next)

    def reply(self, text: str, elapsed: float | None = None) -> Step:
        """Answer the current free-text turn; the rubric scores it (0–10)."""
        turn = self._turn(reply=True)
        text = text if isinstance(text, str) else ""
        result = turn.reply.score(text)
        score = round(result.score * MAX_TURN_SCORE / 100)
        step = Step(turn.id, turn.customer, text.strip(), score, result.suggestion, turn.reference,
                    result.score >= GOOD_REPLY, elapsed, result)
        low = turn.low_next and result.score < turn.low_below
        return self._advance(step, turn.low_next if low else turn.next)

    def restart(self) -> None:
        self.node = self.scenario.start
        self.steps = []

    def _turn(self, reply: bool) -> Turn:
        turn = self.current
        if turn is None:
            raise ValueError("对话已经结束。")
        if turn.is_reply != reply:
            raise ValueError("这一回合需要" + ("自由回复。" if turn.is_reply else "选择一个选项。"))
        return turn

    def _advance(self, step: Step, nxt: str) -> Step:
        self.steps.append(step)
        self.node = nxt
        return step

    def report(self) -> Report:
        transcript: list[tuple[str, str]] = []
        well, improve = [], []
        for s in self.steps:
            transcript += [(self.scenario.customer_name, s.customer), (self.scenario.agent_name, s.reply)]
            if s.was_best:
                well.append(f"回应「{_short(s.customer)}」：{s.feedback}")
            else:
                better = f"更好的回复：「{s.best_reply}」" if s.best_reply else ""
                improve.append(f"回应「{_short(s.customer)}」：{s.feedback}{better}")
        if self.ending:
            transcript.append((self.scenario.customer_name, self.ending.customer))
        times = [s.elapsed for s in self.steps if s.elapsed is not None]
        first = self.steps[0].elapsed if self.steps else None
        average = sum(times) / len(times) if times else None
        if first is not None and first > FIRST_RESPONSE_STANDARD:
            improve.insert(0, f"首次响应用了{first:.0f}秒，超过{FIRST_RESPONSE_STANDARD:g}秒的标准。"
                              "可以把欢迎语设成快捷短语，一键发出。")
        if average is not None and average > AVERAGE_RESPONSE_STANDARD:
            improve.append(f"平均响应用了{average:.0f}秒，超过{AVERAGE_RESPONSE_STANDARD:g}秒的参考值"
                           "（某店铺绩效表）。熟悉商品知识、积累常用话术能让回复更快。")
        return Report(
            self.scenario.title, sum(s.score for s in self.steps), MAX_TURN_SCORE * len(self.steps),
            self.ending.outcome if self.ending else "未完成", tuple(well), tuple(improve), tuple(transcript),
            first, average)


def _short(text: str, n: int = 12) -> str:
    return text if len(text) <= n else text[:n] + "…"
