"""The multi-buyer reception session (unit 06): buyers on their own schedules, one agent.

3–5 buyers (a :class:`~course_lib.content.reception_script.ReceptionScript`) write to the
student at the same time.  The student answers a buyer's current question with an option
(scored 0–10) or a free reply (the reply scorer, 0–100 shown as 0–10), or sends the
快捷短语, which tells the buyer someone is there without answering.  A buyer left waiting
``patience`` seconds nudges (“人呢？”), and after as long again leaves.

Time is explicit: every method takes ``at`` = seconds since the session started.  Tests
replay sessions at hand-chosen seconds; the widget passes ``clock() - started``.  The log
becomes rows with the columns of ``chat_messages.csv`` (:meth:`Reception.message_rows`), so
the end report is computed by the shop's KPI functions
(:func:`course_lib.shop.reception_report.reception_report`).  No widgets here.

>>> from course_lib.content.reception_script import reception_from_data
>>> s = reception_from_data({"id": "d", "unit": "u06", "title": "演示", "agent": "小杰", "buyers": [
...     {"key": "b1", "nickname": "木木", "customer_id": "C1", "turns": [{"messages": ["今天能发吗"], "options": [
...         {"text": "16:00前付款当天发～", "score": 10, "feedback": "好"}, {"text": "能", "score": 4, "feedback": "短"}]}]}]},
...     "d.yaml")
>>> sim = Reception(s)
>>> [(row.nickname, row.unread) for row in sim.queue(at=0)]
[('木木', 1)]
>>> step = sim.choose("b1", 0, at=8)
>>> step.score, step.outcome, sim.finished
(10.0, '下单成功', True)
>>> [(r["发送方"], r["发送时间"].second) for r in sim.message_rows()]
[('顾客', 0), ('客服', 8)]
"""
from __future__ import annotations

import heapq
import math
from dataclasses import dataclass, field
from datetime import timedelta

from ..settings import standards
from .loading import ContentError
from .reception_script import BuyerTurn, ReceptionScript

BUYER, HUMAN, BOT = "顾客", "客服", "机器人"       # 发送方, as in chat_messages.csv
AGENT_ID = "学员"                                 # the student's 客服编号 in the message table
GOOD_MEAN = 7.0                                   # mean score (0–10) a buyer needs for the success outcome
BOT_DELAY = 1.0                                   # the auto-reply comes 1 s after a buyer's first message

NOT_ARRIVED, WAITING, REPLIED, DONE, LEFT = "未到达", "等待回复", "已回复", "已结束", "已离开"
LOST, THINKING, UNFINISHED, ABSENT = "流失（等太久离开了）", "考虑中", "未接待完", "没有来"


class ReceptionError(ContentError):
    """An action that is not possible now (``str(error)`` is Chinese)."""


@dataclass(order=True, frozen=True)
class Event:
    time: float
    seq: int
    kind: str = field(compare=False)        # message | bot | nudge | leave
    buyer: str = field(compare=False)
    turn: int = field(compare=False)
    index: int = field(compare=False, default=0)


@dataclass(frozen=True)
class LogEntry:
    time: float                             # seconds since the start
    buyer: str
    sender: str                             # 顾客 | 客服 | 机器人
    text: str
    score: float | None = None              # 0–10 for an answer
    feedback: str = ""


@dataclass
class BuyerState:
    key: str
    status: str = NOT_ARRIVED
    turn: int = 0                           # index of the current turn
    delivered: int = 0                      # messages of the current turn delivered so far
    unread: int = 0                         # buyer messages since the agent's last message
    waiting_since: float | None = None      # the oldest unread buyer message (the timer runs from here)
    answered_once: bool = False             # has a human replied yet (first response done)?
    scores: list = field(default_factory=list)
    outcome: str | None = None


@dataclass(frozen=True)
class QueueRow:
    """One line of the 接待队列."""

    key: str
    nickname: str
    status: str
    unread: int
    waiting: float | None                   # seconds the oldest unread message has waited
    over_standard: bool                     # longer than the first-response (10 s) or average (35 s) standard
    answerable: bool                        # the buyer's question is complete
    kind: str | None                        # "options" | "reply" | None


@dataclass(frozen=True)
class Step:
    """What one action did (the feedback shown under the chat)."""

    buyer: str
    text: str
    score: float | None                     # 0–10; None for the 快捷短语
    feedback: str
    outcome: str | None = None              # set when this answer ended the buyer's conversation
    rubric: object | None = None            # the reply scorer's result for a free reply


class Reception:
    """One simulated reception session."""

    def __init__(self, script: ReceptionScript) -> None:
        if not isinstance(script, ReceptionScript):
            raise ReceptionError("Reception 需要一个模拟脚本（load_reception 的结果）。")
        self.script = script
        self.buyers = {b.key: b for b in script.buyers}
        self.state = {b.key: BuyerState(b.key) for b in script.buyers}
        self.log: list[LogEntry] = []
        self.notes: list[tuple[float, str, str]] = []       # (time, buyer, 系统提示): not chat messages
        self.now = 0.0
        self.finished = False
        self.version = 0                                    # grows with every change (views redraw on it)
        self._events: list[Event] = []
        self._seq = 0
        for b in script.buyers:
            self._schedule(b.key, 0, b.arrival)

    # ----------------------------------------------------------------- events
    def _push(self, time: float, kind: str, buyer: str, turn: int, index: int = 0) -> None:
        self._seq += 1
        heapq.heappush(self._events, Event(time, self._seq, kind, buyer, turn, index))

    def _schedule(self, key: str, turn: int, t0: float) -> None:
        t = t0
        for i, gap in enumerate((0.0,) + self.buyers[key].turns[turn].gaps):
            t += gap
            self._push(t, "message", key, turn, i)

    @staticmethod
    def _ended(st: BuyerState) -> bool:
        return st.status in (DONE, LEFT)

    def _apply(self, ev: Event) -> None:
        st, buyer = self.state[ev.buyer], self.buyers[ev.buyer]
        if self._ended(st) or ev.turn != st.turn:
            return                                          # answered or gone: the event is void
        turn = buyer.turns[ev.turn]
        if ev.kind == "message":
            st.status, st.delivered = WAITING, ev.index + 1
            self._buyer_says(st, ev.time, turn.messages[ev.index])
            if ev.turn == 0 and ev.index == 0 and self.script.bot_greeting:
                self._push(ev.time + BOT_DELAY, "bot", ev.buyer, ev.turn)
            if st.delivered == len(turn.messages):
                self._push(ev.time + turn.patience, "nudge", ev.buyer, ev.turn)
        elif ev.kind == "bot":
            if not st.answered_once:                        # an agent who already replied needs no robot
                self.log.append(LogEntry(ev.time, ev.buyer, BOT, self.script.bot_greeting))
        elif ev.kind == "nudge":
            st.status = WAITING
            self._buyer_says(st, ev.time, turn.nudge)
            self._push(ev.time + turn.patience, "leave", ev.buyer, ev.turn)
        elif ev.kind == "leave":
            st.status, st.outcome = LEFT, LOST
            st.unread, st.waiting_since = 0, None
            self.notes.append((ev.time, ev.buyer, f"顾客「{buyer.nickname}」等太久，离开了。"))
        self.version += 1

    def _buyer_says(self, st: BuyerState, time: float, text: str) -> None:
        self.log.append(LogEntry(time, st.key, BUYER, text))
        st.unread += 1
        if st.waiting_since is None:
            st.waiting_since = time

    def advance(self, at: float) -> None:
        """Deliver every buyer event due by ``at`` (seconds since the start), in time order."""
        if isinstance(at, bool) or not isinstance(at, (int, float)) or not math.isfinite(at) or at < 0:
            raise ReceptionError(f"时间应是开始后的秒数（不小于0的数字），现在是「{at}」。")
        if at < self.now - 1e-9:
            raise ReceptionError(f"时间不能倒退：现在是第{self.now:g}秒，不能回到第{at:g}秒。")
        if self.finished:
            return
        end = min(float(at), self.script.time_limit)
        while self._events and self._events[0].time <= end:
            self._apply(heapq.heappop(self._events))
        self.now = max(self.now, end)
        if at >= self.script.time_limit or all(self._ended(st) for st in self.state.values()):
            self._close()

    # ----------------------------------------------------------------- what the agent sees
    def queue(self, at: float | None = None) -> list[QueueRow]:
        """The 接待队列: arrived buyers, those with unread messages first, the longest waiting on top."""
        if at is not None:
            self.advance(at)
        s = standards()
        rows = []
        for b in self.script.buyers:
            st = self.state[b.key]
            if st.status == NOT_ARRIVED:
                continue
            waiting = None if st.waiting_since is None else round(self.now - st.waiting_since, 3)
            limit = s.average_response if st.answered_once else s.first_response
            turn = self.current(b.key)
            rows.append(QueueRow(b.key, b.nickname, st.status, st.unread, waiting,
                                 waiting is not None and waiting > limit, turn is not None,
                                 turn.kind if turn is not None else None))
        rows.sort(key=lambda r: (r.unread == 0, -(r.waiting or 0.0), self.buyers[r.key].arrival))
        return rows

    def current(self, key: str) -> BuyerTurn | None:
        """The buyer's question once all its messages arrived (``None`` while typing, before or after)."""
        st = self._state(key)
        if self.finished or self._ended(st) or st.status != WAITING:
            return None
        turn = self.buyers[key].turns[st.turn]
        return turn if st.delivered == len(turn.messages) else None

    def typing(self, key: str) -> bool:
        """Has the buyer started a question without finishing it (“顾客正在输入……”)?"""
        st = self._state(key)
        return st.status == WAITING and 0 < st.delivered < len(self.buyers[key].turns[st.turn].messages)

    def chat(self, key: str) -> list[LogEntry]:
        """One buyer's conversation so far."""
        self._state(key)
        return [e for e in self.log if e.buyer == key]

    def active(self) -> int:
        """Buyers who have arrived and are not done or gone."""
        return sum(st.status in (WAITING, REPLIED) for st in self.state.values())

    # ----------------------------------------------------------------- actions
    def _state(self, key: str) -> BuyerState:
        if not isinstance(key, str) or key not in self.state:
            raise ReceptionError(f"没有这位顾客：「{key}」。")
        return self.state[key]

    def _ready(self, key: str, at: float, kind: str) -> tuple[BuyerState, BuyerTurn]:
        self.advance(at)
        st, nick = self._state(key), self.buyers[key].nickname
        if st.status == LEFT:
            raise ReceptionError(f"顾客「{nick}」已经离开了。")
        if st.status == DONE:
            raise ReceptionError(f"和顾客「{nick}」的对话已经结束了。")
        if self.finished:
            raise ReceptionError("本次接待已经结束，不能再回复了。")
        if st.status == NOT_ARRIVED:
            raise ReceptionError(f"顾客「{nick}」还没有发来消息。")
        if st.status != WAITING:
            raise ReceptionError(f"顾客「{nick}」还没有提出新的问题。")
        turn = self.buyers[key].turns[st.turn]
        if st.delivered < len(turn.messages):
            raise ReceptionError(f"顾客「{nick}」还在输入，请等他把问题发完再回答（可以先发快捷短语）。")
        if turn.kind != kind:
            raise ReceptionError("这一轮请自己输入回复。" if turn.kind == "reply" else "这一轮请从选项中选一条回复。")
        return st, turn

    def quick_reply(self, key: str, at: float) -> Step:
        """Send the 快捷短语: a human reply that ends the wait without answering the question."""
        self.advance(at)
        st, nick = self._state(key), self.buyers[key].nickname
        if self.finished or self._ended(st):
            raise ReceptionError(f"和顾客「{nick}」的对话已经结束了。")
        if st.unread == 0:
            raise ReceptionError(f"顾客「{nick}」没有未读消息，不需要快捷短语。")
        text = self.script.quick_text
        self._agent_says(st, text, None)
        return Step(key, text, None, "快捷短语让顾客知道你在，这一轮的响应及时了；但问题还没有回答，要尽快跟上。")

    def choose(self, key: str, index: int, at: float) -> Step:
        """Answer the buyer's question with option ``index`` (0 = the first option)."""
        st, turn = self._ready(key, at, "options")
        if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < len(turn.options):
            raise ReceptionError(f"选项序号应是0～{len(turn.options) - 1}的整数，现在是「{index}」。")
        option = turn.options[index]
        return self._answer(st, option.text, float(option.score), option.feedback)

    def reply(self, key: str, text: str, at: float) -> Step:
        """Answer the buyer's question with a free reply (the reply scorer, shown as 0–10)."""
        if not isinstance(text, str):
            raise ReceptionError("回复应是文字。")
        if not text.strip():
            raise ReceptionError("请先写下回复内容，再点「发送」。")
        if len(text) > standards().reply_limit:
            raise ReceptionError(f"回复太长了，请控制在{standards().reply_limit}字以内。")
        st, turn = self._ready(key, at, "reply")
        result = turn.reply.score(text)
        return self._answer(st, text.strip(), result.score / 10, f"回复得分{result.score}/100。{result.suggestion}",
                            result)

    def _agent_says(self, st: BuyerState, text: str, score: float | None, feedback: str = "") -> None:
        self.log.append(LogEntry(self.now, st.key, HUMAN, text, score, feedback))
        st.unread, st.waiting_since, st.answered_once = 0, None, True
        self.version += 1

    def _answer(self, st: BuyerState, text: str, score: float, feedback: str, rubric=None) -> Step:
        buyer = self.buyers[st.key]
        self._agent_says(st, text, score, feedback)
        st.scores.append(score)
        st.turn, st.delivered = st.turn + 1, 0
        outcome = None
        if st.turn < len(buyer.turns):
            st.status = REPLIED
            self._schedule(st.key, st.turn, self.now + buyer.turns[st.turn].delay)
        else:
            st.status = DONE
            st.outcome = outcome = buyer.success if self.mean_score(st.key) >= GOOD_MEAN else THINKING
            self.notes.append((self.now, st.key, f"顾客「{buyer.nickname}」：{outcome}。"))
            if all(self._ended(s) for s in self.state.values()):
                self._close()
        return Step(st.key, text, score, feedback, outcome, rubric)

    # ----------------------------------------------------------------- the end
    def _close(self) -> None:
        if self.finished:
            return
        for st in self.state.values():
            if not self._ended(st):
                st.outcome = ABSENT if st.status == NOT_ARRIVED else UNFINISHED
        self.finished = True
        self.version += 1

    def finish(self, at: float) -> None:
        """End the session at ``at`` (the agent clicks 结束接待)."""
        self.advance(at)
        self._close()

    def mean_score(self, key: str) -> float:
        """The buyer's mean answer score (0–10); NaN before any answer."""
        scores = self._state(key).scores
        return sum(scores) / len(scores) if scores else math.nan

    def message_rows(self) -> list[dict]:
        """The log as chat-log rows: 会话编号, 顾客编号, 客服编号, 序号, 发送方, 发送时间.

        One session per buyer (SIM01, SIM02 … in script order); 序号 counts from 1 in time
        order; 发送时间 = the script's start + the event's second (to the millisecond).
        """
        order = {b.key: n for n, b in enumerate(self.script.buyers, 1)}
        rows, seq = [], {}
        for e in sorted(self.log, key=lambda e: (order[e.buyer], e.time)):      # stable: log order within a second
            seq[e.buyer] = seq.get(e.buyer, 0) + 1
            rows.append({"会话编号": f"SIM{order[e.buyer]:02d}", "顾客编号": self.buyers[e.buyer].customer_id,
                         "客服编号": AGENT_ID, "序号": seq[e.buyer], "发送方": e.sender,
                         "发送时间": self.script.start + timedelta(milliseconds=round(e.time * 1000))})
        return rows

    def buyer_rows(self) -> list[dict]:
        """One row per buyer, in script order: 会话编号, 顾客, 平均得分 (0–10), 结果."""
        return [{"会话编号": f"SIM{n:02d}", "顾客": b.nickname, "平均得分": self.mean_score(b.key),
                 "结果": self.state[b.key].outcome or UNFINISHED} for n, b in enumerate(self.script.buyers, 1)]
