"""客服 KPI on the chat log: response rounds, 首次响应时间, 平均响应时间, 3分钟人工响应率, 回复率.

Definitions follow 淘宝平台指标口径 (人工平响, DOMAIN.md): a round runs from the buyer's first
message to the agent's first human reply, capped at 600 s; the average counts rounds whose
buyer message was sent 08:00–23:00.  The course standards (10 s first response, 35 s
average) are in :func:`course_lib.standards.standards`.
"""
from __future__ import annotations

import math

import pandas as pd

from .tables import ID, MESSAGE_TABLE, NUMBER, TIME, clean, per_agent, rate

HUMAN = "客服"
BUYER = "顾客"
BOT = "机器人"
CAP_SECONDS = 600            # 每轮响应时间的上限；未回复的轮次按 600 秒计
THREE_MINUTES = 180
AVERAGE_WINDOW = (8 * 3600, 23 * 3600)      # 平均响应时间：顾客消息在 08:00:00（含）到 23:00:00（不含）之间
THREE_MINUTE_WINDOW = (8 * 3600, 24 * 3600)  # 3分钟人工响应率：08:00:00（含）到 24:00（不含）


def _second_of_day(times):
    return (times - times.dt.normalize()).dt.total_seconds()


def _fill_per_session(frame, column: str):
    """``column`` with blanks filled from the first non-blank value in the same 会话编号."""
    first = frame.groupby("会话编号", sort=False)[column].transform("first")
    return frame[column].where(frame[column].notna(), first)


def _messages(messages, extra=()):
    """Clean, sorted chat messages: ids as str/None, times as datetimes, rows without time dropped."""
    schema = {"会话编号": ID, "客服编号": ID, "发送方": ID, "发送时间": TIME} | dict.fromkeys(extra, ID)
    frame = clean(messages, schema, MESSAGE_TABLE, optional={"序号": NUMBER}).rename(columns={"序号": "_seq"})
    if "_seq" not in frame.columns:
        frame["_seq"] = 0.0
    frame = frame[frame["会话编号"].notna() & frame["发送时间"].notna()]
    frame = frame.sort_values(["会话编号", "发送时间", "_seq"], kind="stable")
    frame["客服编号"] = _fill_per_session(frame, "客服编号")
    for column in extra:
        frame[column] = _fill_per_session(frame, column)
    return frame.reset_index(drop=True)


def _rounds(messages):
    """All rounds, uncapped: 会话编号, 客服编号, 轮次, 顾客发送时间, 客服回复时间, 原始秒数, 纯机器人接待."""
    frame = _messages(messages)
    talk = frame[frame["发送方"].isin([BUYER, HUMAN])].copy()
    previous = talk.groupby("会话编号", sort=False)["发送方"].shift()
    is_buyer = talk["发送方"] == BUYER
    starts_round = is_buyer & (previous != BUYER)
    ends_round = ~is_buyer & (previous == BUYER)
    talk["轮次"] = starts_round.astype("int64").groupby(talk["会话编号"], sort=False).cumsum()

    starts = talk.loc[starts_round, ["会话编号", "轮次", "客服编号", "发送时间"]].rename(
        columns={"发送时间": "顾客发送时间"})
    ends = talk.loc[ends_round, ["会话编号", "轮次", "客服编号", "发送时间"]].rename(
        columns={"发送时间": "客服回复时间", "客服编号": "_replier"})
    rounds = starts.merge(ends, on=["会话编号", "轮次"], how="left")
    rounds["客服编号"] = rounds["_replier"].where(rounds["_replier"].notna(), rounds["客服编号"])
    rounds["原始秒数"] = (rounds["客服回复时间"] - rounds["顾客发送时间"]).dt.total_seconds()

    human = set(frame.loc[frame["发送方"] == HUMAN, "会话编号"])
    bot = set(frame.loc[frame["发送方"] == BOT, "会话编号"])
    rounds["纯机器人接待"] = rounds["会话编号"].map(lambda s: s in bot and s not in human).astype(bool)
    columns = ["会话编号", "客服编号", "轮次", "顾客发送时间", "客服回复时间", "原始秒数", "纯机器人接待"]
    rounds = rounds[columns]
    rounds["轮次"] = rounds["轮次"].astype("int64")
    rounds["客服回复时间"] = pd.to_datetime(rounds["客服回复时间"])
    return rounds.sort_values(["会话编号", "轮次"], kind="stable").reset_index(drop=True)


def response_times(messages, include_bot_only: bool = False):
    """The response rounds of the chat log (淘宝平台指标口径 人工平响).

    ``messages`` (聊天消息表) needs 会话编号, 客服编号, 发送方 ('顾客' | '客服' | '机器人'),
    发送时间; 序号 (optional) orders messages sent in the same second.

    * A round starts at the buyer's first message after the last human reply (or at the
      session's first buyer message) and ends at the next **human** reply (发送方 '客服').
      Later buyer messages in the same round and all 机器人 messages are ignored.
    * 响应秒数 = reply time − buyer time, capped at 600 s; a round never answered by a
      human counts 600 s (客服回复时间 is ``NaT``).
    * 计入平均 is True when the round's buyer message was sent from 08:00:00 (included)
      to 23:00:00 (excluded); only those rounds enter :func:`average_response_time`.
    * A session where only the bot ever replied (纯机器人接待) gives no rounds, unless
      ``include_bot_only=True`` (then its rounds count as unanswered, 600 s).
    * 客服编号 is the replying agent, or the session's agent for an unanswered round.

    Columns: 会话编号, 客服编号, 轮次, 顾客发送时间, 客服回复时间, 响应秒数, 计入平均.

    >>> t = pd.to_datetime
    >>> msgs = pd.DataFrame({
    ...     "会话编号": ["S1"] * 6, "顾客编号": ["C1"] * 6, "客服编号": ["K1"] * 6,
    ...     "序号": [1, 2, 3, 4, 5, 6],
    ...     "发送方": ["顾客", "机器人", "顾客", "客服", "顾客", "顾客"],
    ...     "发送时间": t(["2024-05-01 09:00:00", "2024-05-01 09:00:02", "2024-05-01 09:00:10",
    ...                   "2024-05-01 09:00:30", "2024-05-01 23:00:00", "2024-05-01 23:00:30"])})
    >>> rounds = response_times(msgs)
    >>> rounds["响应秒数"].tolist(), rounds["计入平均"].tolist()
    ([30.0, 600.0], [True, False])
    >>> average_response_time(msgs), three_minute_rate(msgs)
    (30.0, 0.5)
    """
    rounds = _rounds(messages)
    if not include_bot_only:
        rounds = rounds[~rounds["纯机器人接待"]]
    seconds = rounds["原始秒数"].clip(lower=0, upper=CAP_SECONDS).fillna(float(CAP_SECONDS))
    second_of_day = _second_of_day(rounds["顾客发送时间"])
    out = rounds[["会话编号", "客服编号", "轮次", "顾客发送时间", "客服回复时间"]].copy()
    out["响应秒数"] = seconds.astype("float64")
    out["计入平均"] = ((second_of_day >= AVERAGE_WINDOW[0]) & (second_of_day < AVERAGE_WINDOW[1])).astype(bool)
    return out.reset_index(drop=True)


def first_response_time(messages):
    """首次响应时间 per session: from the buyer's first message to the first human reply.

    ``messages`` (聊天消息表) needs 会话编号, 客服编号, 发送方, 发送时间 (序号 optional).
    Not capped and not limited to a time window; bot replies do not count; ``NaN`` seconds
    when no human ever answered.  Sessions in which the buyer sent nothing are left out.
    Columns: 会话编号, 客服编号, 顾客首条时间, 首次回复时间, 首次响应秒数.
    The course standard is 10 seconds (教材).

    >>> t = pd.to_datetime
    >>> msgs = pd.DataFrame({
    ...     "会话编号": ["S1", "S1", "S1", "S2", "S2"], "客服编号": ["K1", "K1", "K1", "K2", "K2"],
    ...     "发送方": ["顾客", "机器人", "客服", "顾客", "机器人"],
    ...     "发送时间": t(["2024-05-01 07:00:00", "2024-05-01 07:00:01", "2024-05-01 07:00:08",
    ...                   "2024-05-01 10:00:00", "2024-05-01 10:00:01"])})
    >>> first_response_time(msgs)["首次响应秒数"].tolist()
    [8.0, nan]
    """
    rounds = _rounds(messages)
    first = rounds[rounds["轮次"] == 1]
    out = pd.DataFrame({
        "会话编号": first["会话编号"],
        "客服编号": first["客服编号"],
        "顾客首条时间": first["顾客发送时间"],
        "首次回复时间": first["客服回复时间"],
        "首次响应秒数": first["原始秒数"].astype("float64"),
    })
    return out.reset_index(drop=True)


def average_response_time(messages, by_agent: bool = False, include_bot_only: bool = False):
    """平均响应时间 (人工平响) = Σ 每轮响应秒数 ÷ 轮次, over the rounds with 计入平均.

    ``messages`` as in :func:`response_times` (which defines rounds, the 600 s cap and the
    08:00–23:00 window).  ``math.nan`` when no round counts.  ``by_agent=True``: columns
    客服编号, 计入轮次, 平均响应秒数 (an agent whose rounds all fall outside the window
    shows 0 rounds and ``NaN``).

    >>> msgs = pd.DataFrame({
    ...     "会话编号": ["S1", "S1", "S2", "S2"], "客服编号": ["K1", "K1", "K2", "K2"],
    ...     "发送方": ["顾客", "客服", "顾客", "客服"],
    ...     "发送时间": pd.to_datetime(["2024-05-01 08:00:00", "2024-05-01 08:00:20",
    ...                             "2024-05-01 12:00:00", "2024-05-01 12:15:00"])})
    >>> average_response_time(msgs)              # (20 + 600) ÷ 2: the second reply is capped
    310.0
    >>> average_response_time(msgs, by_agent=True)["平均响应秒数"].tolist()
    [20.0, 600.0]
    """
    rounds = response_times(messages, include_bot_only=include_bot_only)
    if not by_agent:
        counted = rounds.loc[rounds["计入平均"], "响应秒数"]
        return float(counted.mean()) if len(counted) else math.nan
    rounds = rounds[rounds["客服编号"].notna()]
    rounds = rounds.assign(_counted=rounds["响应秒数"].where(rounds["计入平均"]))
    table = rounds.groupby("客服编号").agg(计入轮次=("计入平均", "sum"), 平均响应秒数=("_counted", "mean"))
    table = table.reset_index()
    table["计入轮次"] = table["计入轮次"].astype("int64")
    table["平均响应秒数"] = table["平均响应秒数"].astype("float64")
    return per_agent(table, ["客服编号", "计入轮次", "平均响应秒数"])


def three_minute_rate(messages, by_agent: bool = False, include_bot_only: bool = False):
    """3分钟人工响应率 = 3分钟（180秒）内有人工回复的轮次 ÷ 全部轮次.

    ``messages`` as in :func:`response_times`.  Only rounds whose buyer message was sent
    from 08:00:00 to 24:00 count (a different window from the average's 08:00–23:00).
    A round answered in exactly 180 s counts as within 3 minutes; an unanswered round does
    not.  ``math.nan`` without rounds.  ``by_agent=True``: columns 客服编号, 轮次,
    3分钟内响应轮次, 3分钟人工响应率.

    >>> msgs = pd.DataFrame({
    ...     "会话编号": ["S1", "S1", "S2", "S2", "S3"], "客服编号": ["K1"] * 5,
    ...     "发送方": ["顾客", "客服", "顾客", "客服", "顾客"],
    ...     "发送时间": pd.to_datetime(["2024-05-01 23:30:00", "2024-05-01 23:33:00",
    ...                             "2024-05-01 10:00:00", "2024-05-01 10:03:01", "2024-05-01 07:59:59"])})
    >>> three_minute_rate(msgs)      # S1 in 180 s, S2 in 181 s; S3 is before 08:00
    0.5
    """
    rounds = response_times(messages, include_bot_only=include_bot_only)
    second_of_day = _second_of_day(rounds["顾客发送时间"])
    rounds = rounds[(second_of_day >= THREE_MINUTE_WINDOW[0]) & (second_of_day < THREE_MINUTE_WINDOW[1])]
    fast = rounds["客服回复时间"].notna() & (rounds["响应秒数"] <= THREE_MINUTES)
    if not by_agent:
        return rate(int(fast.sum()), len(rounds))
    rounds = rounds.assign(_fast=fast)
    rounds = rounds[rounds["客服编号"].notna()]
    table = rounds.groupby("客服编号").agg(轮次=("_fast", "size"), 三分钟=("_fast", "sum")).reset_index()
    table = table.rename(columns={"三分钟": "3分钟内响应轮次"})
    table["轮次"] = table["轮次"].astype("int64")
    table["3分钟内响应轮次"] = table["3分钟内响应轮次"].astype("int64")
    table["3分钟人工响应率"] = [rate(f, n) for f, n in zip(table["3分钟内响应轮次"], table["轮次"])]
    return per_agent(table, ["客服编号", "轮次", "3分钟内响应轮次", "3分钟人工响应率"])


def reply_rate(messages, by_agent: bool = False):
    """回复率 = 被回复的顾客数 ÷ 咨询的顾客数, counted per buyer per calendar day (接待量口径).

    ``messages`` (聊天消息表) needs 会话编号, 顾客编号, 客服编号, 发送方, 发送时间.
    A buyer counts once per day in which they sent a message (咨询); the buyer-day is
    replied to when a human agent (发送方 '客服', not '机器人') sent a message to that buyer
    later that same day (at or after the buyer's first message of the day).  A reply after
    midnight belongs to the next day.  Blank 顾客编号/客服编号 on a message are taken from
    its session.  ``math.nan`` when no buyer wrote.
    ``by_agent=True``: counted per (客服编号, 顾客, day); columns 客服编号, 咨询人数, 回复人数, 回复率.

    >>> msgs = pd.DataFrame({
    ...     "会话编号": ["S1", "S1", "S2", "S2", "S3"], "顾客编号": ["C1", "C1", "C2", "C2", "C1"],
    ...     "客服编号": ["K1"] * 5, "发送方": ["顾客", "客服", "顾客", "机器人", "顾客"],
    ...     "发送时间": pd.to_datetime(["2024-05-01 09:00", "2024-05-01 09:01", "2024-05-01 10:00",
    ...                             "2024-05-01 10:00", "2024-05-01 15:00"])})
    >>> reply_rate(msgs)     # C1 on 05-01 replied (twice asked, counted once); C2 only got the bot
    0.5
    """
    frame = _messages(messages, extra=("顾客编号",))
    frame = frame[frame["顾客编号"].notna()]
    frame = frame.assign(_day=frame["发送时间"].dt.normalize())
    keys = (["客服编号"] if by_agent else []) + ["顾客编号", "_day"]
    if by_agent:
        frame = frame[frame["客服编号"].notna()]
    asked = frame[frame["发送方"] == BUYER].groupby(keys)["发送时间"].min().rename("_asked")
    answered = frame[frame["发送方"] == HUMAN].groupby(keys)["发送时间"].max().rename("_answered")
    days = asked.to_frame().join(answered, how="left")
    days["_replied"] = (days["_answered"] >= days["_asked"]).fillna(False).astype(bool)
    if not by_agent:
        return rate(int(days["_replied"].sum()), len(days))
    table = days.reset_index().groupby("客服编号").agg(咨询人数=("_replied", "size"), 回复人数=("_replied", "sum"))
    table = table.reset_index()
    table["咨询人数"] = table["咨询人数"].astype("int64")
    table["回复人数"] = table["回复人数"].astype("int64")
    table["回复率"] = [rate(r, n) for r, n in zip(table["回复人数"], table["咨询人数"])]
    return per_agent(table, ["客服编号", "咨询人数", "回复人数", "回复率"])
