"""Chat messages of the shop world: one session's rounds, a reminder's messages, longer talks.

Used by :mod:`course_lib.shop.generator`.  Every function takes the random stream it draws
from, so the order of draws is explicit.  A *round* is the buyer's message(s) and the
agent's reply; an agent may miss a round (the agent's ``reply_chance``), and a session's
first message may get the shop robot's auto-reply (not a human reply).
"""
from __future__ import annotations

import random
from datetime import datetime, timedelta

from .catalogue import AGENTS, END, PEAK_DAYS, Agent
from .rows import Message


def seconds(rng: random.Random, mean: float, low: float = 1.0) -> timedelta:
    """A random wait: exponential with ``mean`` seconds, at least ``low``, whole seconds."""
    return timedelta(seconds=round(max(low, rng.expovariate(1 / mean))))


def session_messages(rng: random.Random, sid: str, customer: str, agent: Agent, start: datetime,
                     rounds: int) -> list:
    """The messages of one session of ``rounds`` rounds, beginning at ``start``."""
    rows, t, seq = [], start, 0

    def say(who: str, when: datetime) -> None:
        nonlocal seq
        seq += 1
        rows.append(Message(会话编号=sid, 顾客编号=customer, 客服编号=agent.id, 序号=seq, 发送方=who, 发送时间=when))

    for r in range(rounds):
        for _ in range(rng.choice([1, 1, 2])):
            say("顾客", t)
            t += seconds(rng, 8, 2)
        if r == 0 and rng.random() < 0.35:            # an auto-reply first: not a human reply
            say("机器人", t + timedelta(seconds=1))
        if rng.random() > agent.reply_chance:         # the round is never answered
            t += seconds(rng, 300, 30)
            continue
        busy = 2.2 if t.date() in PEAK_DAYS else 1.0
        answer = t + seconds(rng, agent.reply_seconds * busy * (1.0 if r == 0 else 1.6), 2)
        say("客服", answer)
        t = answer + seconds(rng, 40, 5)
    return rows


def reminder_messages(rng: random.Random, sid: str, customer: str, agent_id: str, when: datetime,
                      paid: datetime | None) -> list:
    """A 千牛 reminder: the agent's message, and the buyer's answer with the agent's reply (always when the
    buyer pays, sometimes otherwise)."""
    rows = [Message(会话编号=sid, 顾客编号=customer, 客服编号=agent_id, 序号=1, 发送方="客服", 发送时间=when)]
    if paid is not None or rng.random() < 0.4:
        reply = when + seconds(rng, 600, 30)
        if paid is not None and reply > paid:
            reply = max(when + timedelta(seconds=30), paid - timedelta(seconds=30))
        rows.append(Message(会话编号=sid, 顾客编号=customer, 客服编号=agent_id, 序号=2, 发送方="顾客", 发送时间=reply))
        rows.append(Message(会话编号=sid, 顾客编号=customer, 客服编号=agent_id, 序号=3, 发送方="客服",
                            发送时间=reply + seconds(rng, 15, 3)))
    return rows


def longer_talks(rng: random.Random, sessions: list, messages: list, placed: dict) -> list:
    """Lengthen a quarter of the pre-sale sessions by more rounds (a full reception has a dozen).

    Only sessions whose last message is the agent's are lengthened, and only by appending, so every
    existing round (and its response time) stays as it was.  One ``rng.random()`` per pre-sale session
    in 会话编号 order keeps the draws stable; an ordered session first gets the agent's message after
    the order (checking the address, reminding to pay), then 4–7 rounds; others 3–5.  No message is
    later than the end of the data.  ``placed`` maps 订单编号 → 拍下时间.
    """
    agents = {a.id: a for a in AGENTS}
    by_session: dict[str, list] = {}
    for row in messages:
        by_session.setdefault(row.会话编号, []).append(row)
    extra = {}
    for session in sorted((s for s in sessions if s.咨询类型 == "售前咨询"), key=lambda s: s.会话编号):
        u = rng.random()
        rows = by_session.get(session.会话编号, [])
        if rows and rows[-1].发送方 == "客服" and u < 0.25:
            extra[session.会话编号] = _more_rounds(rng, session, agents[session.客服编号], rows[-1],
                                                placed.get(session.订单编号))
    result = []
    for sid, rows in by_session.items():
        result += rows + extra.get(sid, [])
    return result


def _more_rounds(rng: random.Random, session, agent: Agent, last, placed: datetime | None) -> list:
    seq, t = last.序号, last.发送时间
    added: list = []

    def say(who: str, when: datetime) -> bool:
        nonlocal seq
        if when > END:
            return False
        seq += 1
        added.append(Message(会话编号=session.会话编号, 顾客编号=session.顾客编号, 客服编号=agent.id, 序号=seq,
                             发送方=who, 发送时间=when))
        return True

    ordered = bool(session.是否下单)
    rounds = rng.randint(4, 7) if ordered else rng.randint(3, 5)
    if ordered:
        t = max(t, placed) + seconds(rng, 30, 5)
        if not say("客服", t):
            return added
    for _ in range(rounds):
        t += seconds(rng, 40, 5)
        if not say("顾客", t):
            break
        if rng.choice([1, 1, 2]) == 2:
            t += seconds(rng, 8, 2)
            if not say("顾客", t):
                break
        if rng.random() <= agent.reply_chance:
            busy = 2.2 if t.date() in PEAK_DAYS else 1.0
            t += seconds(rng, agent.reply_seconds * 1.6 * busy, 2)
            if not say("客服", t):
                break
        else:
            t += seconds(rng, 300, 30)
    return added
