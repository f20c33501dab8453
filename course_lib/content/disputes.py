"""The 过错方 judgement practice (unit 11): dispute cases as data, judging, a run through them.

A case file ``data/practice/<id>.yaml`` (``kind: disputes``) lists the possible parties
(店铺, 买家, 快递公司 with the rule that identifies each) and the cases: facts, evidence,
the main party at fault, and the ways to handle it (exactly one ``best``).  A student first
names the 主要过错方, then picks the handling; only the first valid answer of each step
counts, like a quiz.  Pure logic: the widget is :class:`course_lib.views.aftersale.FaultJudge`.

>>> practice = Practice(cases_from_data(DEMO, "demo.yaml"))
>>> practice.answer_fault("卖家").correct
True
>>> practice.answer_action("ｂ").correct
False
>>> practice.report().score, practice.report().max_score
(1, 2)
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ..text import fold_reply, plain_str
from .loading import ContentError, ContentFile, read_content

MAX_INPUT = 200          # characters of student input that are looked at


@dataclass(frozen=True)
class Party:
    """A possible 主要过错方, the rule that identifies it, and other names a student may type."""

    name: str
    rule: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Action:
    key: str
    text: str
    feedback: str
    best: bool = False


@dataclass(frozen=True)
class Case:
    """One dispute: what happened, the evidence, the party at fault and the ways to handle it."""

    id: str
    title: str
    facts: str
    evidence: tuple[str, ...]
    fault: str
    fault_feedback: Mapping[str, str]
    actions: tuple[Action, ...]
    explanation: str

    @property
    def best_action(self) -> Action:
        return next(a for a in self.actions if a.best)


@dataclass(frozen=True)
class CaseSet(ContentFile):
    parties: tuple[Party, ...]
    cases: tuple[Case, ...]

    @property
    def party_names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.parties)


@dataclass(frozen=True)
class Verdict:
    """The outcome of one answer; ``valid`` is False for input that is not an answer at all."""

    valid: bool
    correct: bool
    message: str
    feedback: str = ""


# ----------------------------------------------------------------------------- loading

def _text(raw: Mapping, key: str, where: str) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ContentError(f"{where}：缺少 {key}（文字）。")
    return value.strip()


def _fold(text: str) -> str:
    return fold_reply(plain_str(text)[:MAX_INPUT])


def _parties(raw: Any, where: str) -> tuple[Party, ...]:
    if not isinstance(raw, list) or len(raw) < 2:
        raise ContentError(f"{where}：parties 至少要列出两个过错方。")
    parties = []
    for n, p in enumerate(raw, 1):
        if not isinstance(p, Mapping):
            raise ContentError(f"{where}：第{n}个过错方应是一个字典（name、rule、aliases）。")
        aliases = p.get("aliases", [])
        if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
            raise ContentError(f"{where}：过错方「{p.get('name')}」的 aliases 应是文字列表。")
        pw = f"{where} 第{n}个过错方"
        parties.append(Party(_text(p, "name", pw), _text(p, "rule", pw), tuple(a.strip() for a in aliases)))
    folded = [_fold(p.name) for p in parties] + [_fold(a) for p in parties for a in p.aliases]
    if len(set(folded)) != len(folded):
        raise ContentError(f"{where}：过错方的名称或别名有重复。")
    return tuple(parties)


def _case(c: Any, names: tuple[str, ...], where: str) -> Case:
    if not isinstance(c, Mapping):
        raise ContentError(f"{where}：应是一个字典。")
    cid = _text(c, "id", where)
    where = f"{where}（{cid}）"
    fault = _text(c, "fault", where)
    if fault not in names:
        raise ContentError(f"{where}：fault「{fault}」不是 parties 中的过错方（{'、'.join(names)}）。")
    evidence = c.get("evidence")
    if not isinstance(evidence, list) or not evidence or not all(isinstance(e, str) and e.strip() for e in evidence):
        raise ContentError(f"{where}：evidence 应是至少一条证据的文字列表。")
    feedback = c.get("fault_feedback")
    if not isinstance(feedback, Mapping) or set(feedback) != set(names) or not all(
            isinstance(v, str) and v.strip() for v in feedback.values()):
        raise ContentError(f"{where}：fault_feedback 要为每个过错方（{'、'.join(names)}）各写一条反馈。")
    raw_actions = c.get("actions")
    if not isinstance(raw_actions, list) or len(raw_actions) < 2:
        raise ContentError(f"{where}：actions 至少要有两个处理办法。")
    actions = []
    for m, a in enumerate(raw_actions):
        aw = f"{where} 办法{m + 1}"
        if not isinstance(a, Mapping):
            raise ContentError(f"{aw}：应是一个字典（key、text、feedback）。")
        key = _text(a, "key", aw)
        if key != chr(ord("A") + m):
            raise ContentError(f"{aw}：key 应依次是 A、B、C……")
        actions.append(Action(key, _text(a, "text", aw), _text(a, "feedback", aw), a.get("best") is True))
    if sum(a.best for a in actions) != 1:
        raise ContentError(f"{where}：actions 中必须恰好有一个 best: true。")
    return Case(cid, _text(c, "title", where), _text(c, "facts", where), tuple(e.strip() for e in evidence), fault,
                {k: v.strip() for k, v in feedback.items()}, tuple(actions), _text(c, "explanation", where))


def cases_from_data(raw: Any, filename: str) -> CaseSet:
    """Validate a parsed case file; raises :class:`ContentError` naming the file and the case.

    >>> cases_from_data({"kind": "disputes", "id": "x"}, "practice/x.yaml")
    Traceback (most recent call last):
    ...
    course_lib.content.loading.ContentError: practice/x.yaml：缺少 unit（文字）。
    """
    if not isinstance(raw, Mapping):
        raise ContentError(f"{filename}：内容应是一个字典（kind、id、unit、title、parties、cases）。")
    if raw.get("kind") != "disputes":
        raise ContentError(f"{filename}：kind 应是 disputes（过错方判断练习）。")
    ident, unit, title = (_text(raw, k, filename) for k in ("id", "unit", "title"))
    parties = _parties(raw.get("parties"), filename)
    names = tuple(p.name for p in parties)
    raw_cases = raw.get("cases")
    if not isinstance(raw_cases, list) or not raw_cases:
        raise ContentError(f"{filename}：缺少 cases（案例列表）。")
    cases = tuple(_case(c, names, f"{filename} 第{n}个案例") for n, c in enumerate(raw_cases, 1))
    ids = [c.id for c in cases]
    if len(set(ids)) != len(ids):
        raise ContentError(f"{filename}：案例的 id 有重复。")
    return CaseSet(ident, unit, title, parties, cases)


@lru_cache(maxsize=16)
def load_cases(case_set_id: str) -> CaseSet:
    """The case file ``data/practice/<case_set_id>.yaml``."""
    filename = f"practice/{case_set_id}.yaml"
    return cases_from_data(read_content(filename), filename)


# ----------------------------------------------------------------------------- judging

def parse_party(cases: CaseSet, answer: object) -> str | None:
    """The party a student meant (its name, an alias or its number 1…n), or ``None``.

    >>> s = cases_from_data(DEMO, "demo.yaml")
    >>> parse_party(s, " 商家 "), parse_party(s, "2"), parse_party(s, "平台")
    ('店铺', '买家', None)
    """
    if not isinstance(answer, str):
        return None
    folded = _fold(answer).strip("。.!！")
    if folded.isdigit() and 1 <= int(folded) <= len(cases.parties):
        return cases.parties[int(folded) - 1].name
    for party in cases.parties:
        if folded == _fold(party.name) or folded in (_fold(a) for a in party.aliases):
            return party.name
    return None


def judge_fault(cases: CaseSet, case: Case, answer: object) -> Verdict:
    """Judge a 主要过错方 answer for ``case``; never raises.

    >>> s = cases_from_data(DEMO, "demo.yaml")
    >>> judge_fault(s, s.cases[0], "顾客").message, judge_fault(s, s.cases[0], "？？").valid
    ('判断不对。', False)
    """
    party = parse_party(cases, answer)
    if party is None:
        return Verdict(False, False, f"请从{'、'.join(cases.party_names)}中选一个。")
    ok = party == case.fault
    return Verdict(True, ok, "判断正确！" if ok else "判断不对。", case.fault_feedback[party])


def parse_action(case: Case, answer: object) -> Action | None:
    """The handling a student chose by its letter (full-width or lower case too), or ``None``."""
    if not isinstance(answer, str):
        return None
    letter = _fold(answer).upper().strip("。.")
    return next((a for a in case.actions if a.key == letter), None)


def judge_action(case: Case, answer: object) -> Verdict:
    """Judge the chosen handling; never raises.

    >>> s = cases_from_data(DEMO, "demo.yaml")
    >>> judge_action(s.cases[0], "a").correct, judge_action(s.cases[0], "Z").valid
    (True, False)
    """
    chosen = parse_action(case, answer)
    if chosen is None:
        return Verdict(False, False, f"请选一个处理办法：{'、'.join(a.key for a in case.actions)}。")
    return Verdict(True, chosen.best, "选得对！" if chosen.best else "还有更合适的办法。", chosen.feedback)


# ----------------------------------------------------------------------------- a run through the cases

@dataclass
class CaseResult:
    fault: str | None = None
    fault_correct: bool = False
    action: str | None = None
    action_correct: bool = False

    @property
    def points(self) -> int:
        return int(self.fault_correct) + int(self.action_correct)


@dataclass(frozen=True)
class PracticeReport:
    """The end of a practice run: the score out of ``max_score`` and one line per case."""

    title: str
    score: int
    max_score: int
    lines: tuple[str, ...]

    def to_text(self) -> str:
        return "\n".join([f"【{self.title}】得分：{self.score}/{self.max_score}", *self.lines])


@dataclass
class Practice:
    """One student's run: for each case first the fault, then the handling.

    Only the first valid answer of each step counts; input that is not an answer changes
    nothing.  :attr:`moves` lists the valid answers so a view can save and replay them.
    """

    cases: CaseSet
    index: int = 0
    step: str = "fault"                      # "fault" → "action" → the next case
    results: list[CaseResult] = field(default_factory=list)
    moves: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.results = [CaseResult() for _ in self.cases.cases]

    @property
    def finished(self) -> bool:
        return self.index >= len(self.cases.cases)

    @property
    def current(self) -> Case | None:
        return None if self.finished else self.cases.cases[self.index]

    def answer_fault(self, answer: object) -> Verdict:
        case = self.current
        if case is None:
            return Verdict(False, False, "练习已经做完了，可以点「重新开始」再做一遍。")
        if self.step != "fault":
            return Verdict(False, False, "这一步请选择处理办法。")
        verdict = judge_fault(self.cases, case, answer)
        if verdict.valid:
            party = parse_party(self.cases, answer)
            self.results[self.index].fault, self.results[self.index].fault_correct = party, verdict.correct
            self.moves.append(party)
            self.step = "action"
        return verdict

    def answer_action(self, answer: object) -> Verdict:
        case = self.current
        if case is None:
            return Verdict(False, False, "练习已经做完了，可以点「重新开始」再做一遍。")
        if self.step != "action":
            return Verdict(False, False, "请先判断主要过错方。")
        verdict = judge_action(case, answer)
        if verdict.valid:
            key = parse_action(case, answer).key
            self.results[self.index].action, self.results[self.index].action_correct = key, verdict.correct
            self.moves.append(key)
            self.index, self.step = self.index + 1, "fault"
        return verdict

    def replay(self, moves: object) -> None:
        """Restart and apply saved :attr:`moves`; anything unreadable is ignored."""
        self.restart()
        for move in moves if isinstance(moves, list) else []:
            if self.finished:
                break
            (self.answer_fault if self.step == "fault" else self.answer_action)(move)

    def restart(self) -> None:
        self.index, self.step, self.moves = 0, "fault", []
        self.results = [CaseResult() for _ in self.cases.cases]

    def report(self) -> PracticeReport:
        lines = []
        for case, result in zip(self.cases.cases, self.results):
            mark = "✔" if result.points == 2 else ("△" if result.points == 1 else "✘")
            lines.append(f"{mark} {case.title}：主要过错方是{case.fault}；最合适的办法是{case.best_action.key}。"
                         f"{case.explanation}")
        return PracticeReport(self.cases.title, sum(r.points for r in self.results), 2 * len(self.results),
                              tuple(lines))


DEMO = {"kind": "disputes", "id": "demo", "unit": "u11", "title": "演示",
        "parties": [{"name": "店铺", "rule": "发错货", "aliases": ["卖家", "商家"]},
                    {"name": "买家", "rule": "地址填错", "aliases": ["顾客"]}],
        "cases": [{"id": "c1", "title": "发错颜色", "facts": "顾客拍黑色，收到棕色。", "evidence": ["出库记录拿错颜色"],
                   "fault": "店铺", "fault_feedback": {"店铺": "对。", "买家": "不对。"},
                   "actions": [{"key": "A", "text": "致歉并换货", "best": True, "feedback": "好。"},
                               {"key": "B", "text": "让顾客自己负责", "feedback": "不好。"}],
                   "explanation": "仓库拿错了颜色。"}]}
