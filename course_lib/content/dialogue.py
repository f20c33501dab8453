"""Playing a role-play: a pure dialogue engine (a state machine) and its end report.

The caller supplies the elapsed time of each reply (the view measures it; tests inject
it), so the engine stays deterministic.  The response standards come from
:func:`course_lib.standards.standards` (10 s first response, 35 s average).

>>> from course_lib.content.scenarios import scenario_from_data
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

from dataclasses import dataclass

from ..settings import standards
from .claims import Facts
from .concessions import read_offer
from .rubric import ReplySpec, RubricResult
from .rubric_rules import default_rubric
from .scenarios import MAX_TURN_SCORE, Ending, Scenario, Turn


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
    concession: dict | None = None     # bargaining scenarios: what this reply gave away


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
        return self.first_time is not None and self.first_time > standards().first_response

    @property
    def average_slow(self) -> bool:
        return self.average_time is not None and self.average_time > standards().average_response

    def timing_text(self) -> str:
        if self.first_time is None:
            return ""
        first = "达标" if not self.first_slow else f"超过{standards().first_response:g}秒标准"
        average = "达标" if not self.average_slow else f"超过{standards().average_response:g}秒参考值"
        return (f"首次响应用时{self.first_time:.1f}秒（{first}）；"
                f"平均响应用时{self.average_time:.1f}秒（{average}）")

    @property
    def percent(self) -> int:
        return round(100 * self.score / self.max_score) if self.max_score else 0

    def to_text(self) -> str:
        lines = [f"【{self.title}】结束：{self.outcome}", f"得分：{self.score}/{self.max_score}（折合百分制{self.percent}分）"]
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
                    best.text if best else choice.text, choice.best, elapsed, concession=choice.concession)
        return self._advance(step, choice.next)

    def reply(self, text: str, elapsed: float | None = None) -> Step:
        """Answer the current free-text turn; the rubric scores it (0–10)."""
        turn = self._turn(reply=True)
        text = text if isinstance(text, str) else ""
        result = turn.reply.score(text)
        score = round(result.score * MAX_TURN_SCORE / 100)
        offer = read_offer(text, turn.reply.facts or Facts()) if self.scenario.bargain is not None else None
        step = Step(turn.id, turn.customer, text.strip(), score, result.suggestion, turn.reference,
                    result.score >= standards().good_reply, elapsed, result, offer or None)
        if not (turn.low_next and result.score < turn.low_below):
            return self._advance(step, turn.next)
        if self.scenario.bargain is not None:     # bargaining: the rule at stake is the task card's concessions
            broke = bool(turn.low_broke and offer and (offer.get("said") or offer.get("other")))
        else:
            broke = bool(turn.low_broke) and broke_a_rule(result, turn.reply)
        return self._advance(step, turn.low_broke if broke else turn.low_next)

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
        limits = standards()
        if first is not None and first > limits.first_response:
            improve.insert(0, f"首次响应用了{first:.0f}秒，超过{limits.first_response:g}秒的标准。"
                              "可以把欢迎语设成快捷短语，一键发出。")
        if average is not None and average > limits.average_response:
            improve.append(f"平均响应用了{average:.0f}秒，超过{limits.average_response:g}秒的参考值"
                           "（某店铺绩效表）。熟悉商品知识、积累常用话术能让回复更快。")
        return Report(
            self.scenario.title, sum(s.score for s in self.steps), MAX_TURN_SCORE * len(self.steps),
            self.ending.outcome if self.ending else "未完成", tuple(well), tuple(improve), tuple(transcript),
            first, average)


def broke_a_rule(result: RubricResult, spec: ReplySpec) -> bool:
    """Whether the reply broke a rule — a banned word, pressure, a threat, the item's own ``avoid``
    or an invented fact — rather than only missing points (the buyer reacts to what was said).

    >>> from course_lib.content.rubric import spec_from_data
    >>> spec = spec_from_data({"gates": [{"name": "能不能便宜", "words": ["价格统一"]}], "facts": {"prices": [359]}}, "例")
    >>> broke_a_rule(spec.score("亲，给您便宜30元，329拿走"), spec), broke_a_rule(spec.score("亲，您好"), spec)
    (True, False)
    """
    rubric = default_rubric()
    kinds = ("contains_none", "patterns_none")
    broken = {rubric.facts.name} | {r.name for r in (*rubric.rules, *spec.avoid) if r.kind in kinds}
    return any(not item.passed and item.name in broken for item in result.items)


def _short(text: str, n: int = 12) -> str:
    return text if len(text) <= n else text[:n] + "…"
