"""The end report of a simulated reception (unit 06), computed with the chat-log KPIs.

A reception simulator turns its log into a message table with the columns of
``chat_messages.csv``; this module computes the report's numbers from that table with the
very functions the chat-log analysis uses (:mod:`course_lib.shop.chat`):
:func:`~course_lib.shop.chat.first_response_time`,
:func:`~course_lib.shop.chat.average_response_time`,
:func:`~course_lib.shop.chat.three_minute_rate` and :func:`~course_lib.shop.chat.reply_rate`,
plus :func:`max_concurrent` (the most sessions open at once).  :func:`agent_kpis` gives the
same numbers for every 客服编号 of any message table, so a student's row and the shop's
agents' rows are computed alike.

>>> import pandas as pd
>>> t = pd.to_datetime
>>> msgs = pd.DataFrame({"会话编号": ["S1", "S1", "S2", "S2"], "顾客编号": ["C1", "C1", "C2", "C2"],
...     "客服编号": ["K"] * 4, "序号": [1, 2, 1, 2], "发送方": ["顾客", "客服", "顾客", "客服"],
...     "发送时间": t(["2025-11-15 10:00:00", "2025-11-15 10:00:08", "2025-11-15 10:00:05", "2025-11-15 10:00:20"])})
>>> report = reception_report(msgs, [{"会话编号": "S1", "顾客": "甲", "平均得分": 10.0, "结果": "下单成功"},
...                                  {"会话编号": "S2", "顾客": "乙", "平均得分": 4.0, "结果": "考虑中"}])
>>> report.per_buyer["首次响应秒数"].tolist(), report.summary["10秒内首次响应占比"], report.summary["最多同时接待"]
([8.0, 15.0], 0.5, 2)
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from ..settings import standards
from .catalogue import AGENTS
from .chat import BUYER, HUMAN, average_response_time, first_response_time, reply_rate, three_minute_rate
from .tables import ID, MESSAGE_TABLE, TIME, clean, fmt_rate

REPORT_COLUMNS = ["顾客", "首次响应秒数", "平均响应秒数", "回复条数", "平均得分", "结果"]
KPI_COLUMNS = ["会话数", "平均首次响应秒数", "10秒内首次响应占比", "平均响应秒数", "3分钟人工响应率", "回复率", "最多同时接待"]
# compared with the shop's agents: not 最多同时接待 (the generated chat log has no peak-hour crowding)
COMPARE_COLUMNS = KPI_COLUMNS[:-1]
YOU = "本次模拟（你）"


def max_concurrent(messages, by_agent: bool = False):
    """The most sessions open at the same moment (a session is open from its first to its last message).

    ``messages`` (聊天消息表) needs 会话编号, 客服编号, 发送时间.  Two sessions that touch
    (one ends in the second the other starts) count as open together.  ``by_agent=True``:
    a Series indexed by 客服编号.  0 without messages.

    >>> t = pd.to_datetime
    >>> msgs = pd.DataFrame({"会话编号": ["S1", "S1", "S2", "S2", "S3"], "客服编号": ["K"] * 5,
    ...     "发送时间": t(["2025-11-15 10:00", "2025-11-15 10:05", "2025-11-15 10:03", "2025-11-15 10:04",
    ...                   "2025-11-15 10:05"])})
    >>> max_concurrent(msgs)
    2
    """
    frame = clean(messages, {"会话编号": ID, "客服编号": ID, "发送时间": TIME}, MESSAGE_TABLE)
    frame = frame[frame["会话编号"].notna() & frame["发送时间"].notna()]
    spans = frame.groupby("会话编号").agg(客服编号=("客服编号", "first"), 开始=("发送时间", "min"),
                                          结束=("发送时间", "max"))

    def peak(group) -> int:
        # +1 at a start, −1 just after an end; at equal times the starts come first
        events = sorted([(s, 0, 1) for s in group["开始"]] + [(e, 1, -1) for e in group["结束"]])
        open_now = best = 0
        for _, _, step in events:
            open_now += step
            best = max(best, open_now)
        return best

    if not by_agent:
        return peak(spans)
    spans = spans[spans["客服编号"].notna()]
    return spans.groupby("客服编号").apply(peak, include_groups=False).astype("int64").rename("最多同时接待")


def agent_kpis(messages) -> pd.DataFrame:
    """One row per 客服编号 (the index) with :data:`KPI_COLUMNS`, all from the chat-log KPI functions.

    10秒内首次响应占比 counts a session never answered by a human as not within 10 s
    (教材 standard; the threshold is ``standards().first_response``).
    """
    first = first_response_time(messages)
    limit = standards().first_response
    first = first.assign(_within=first["首次响应秒数"] <= limit)
    table = first.groupby("客服编号").agg(会话数=("会话编号", "size"), 平均首次响应秒数=("首次响应秒数", "mean"),
                                          **{"10秒内首次响应占比": ("_within", "mean")})
    table = table.join(average_response_time(messages, by_agent=True).set_index("客服编号")["平均响应秒数"])
    table = table.join(three_minute_rate(messages, by_agent=True).set_index("客服编号")["3分钟人工响应率"])
    table = table.join(reply_rate(messages, by_agent=True).set_index("客服编号")["回复率"])
    table = table.join(max_concurrent(messages, by_agent=True))
    table["会话数"] = table["会话数"].astype("int64")
    table["10秒内首次响应占比"] = table["10秒内首次响应占比"].astype("float64")
    return table[KPI_COLUMNS]


def agent_label(agent_id: str) -> str:
    """``"A01"`` → ``"小雅（A01）"``."""
    nick = next((a.nick for a in AGENTS if a.id == agent_id), agent_id)
    return f"{nick.split('-', 1)[-1]}（{agent_id}）"


def _seconds(x) -> str:
    return "—" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.1f}秒"


@dataclass(frozen=True)
class ReceptionReport:
    """The end report: one row per buyer, the session's summary and its message table."""

    per_buyer: pd.DataFrame
    summary: dict
    messages: pd.DataFrame

    def compare(self, shop_kpis: pd.DataFrame, agents=("A01", "A02", "A03")) -> pd.DataFrame:
        """The student's numbers above the shop agents' (``shop_kpis`` = :func:`agent_kpis` of the shop's chat log)."""
        mine = pd.DataFrame([{k: self.summary[k] for k in COMPARE_COLUMNS}], index=[YOU])
        theirs = shop_kpis.reindex(list(agents))[COMPARE_COLUMNS]
        theirs.index = [agent_label(a) for a in agents]
        return pd.concat([mine, theirs])

    def to_text(self) -> str:
        s, first = self.summary, standards().first_response
        lines = [f"接待{s['会话数']}位顾客，最多同时接待{s['最多同时接待']}位。",
                 f"平均首次响应{_seconds(s['平均首次响应秒数'])}，{first:g}秒内首次响应占比{fmt_rate(s['10秒内首次响应占比'])}；"
                 f"平均响应{_seconds(s['平均响应秒数'])}；3分钟人工响应率{fmt_rate(s['3分钟人工响应率'])}；"
                 f"回复率{fmt_rate(s['回复率'])}。"]
        for row in self.per_buyer.itertuples(index=False):
            score = "—" if math.isnan(row.平均得分) else f"{row.平均得分:.1f}/10"
            lines.append(f"· {row.顾客}：首次响应{_seconds(row.首次响应秒数)}，平均响应{_seconds(row.平均响应秒数)}，"
                         f"回复{row.回复条数}条，平均得分{score}，结果：{row.结果}")
        return "\n".join(lines)


def reception_report(messages, buyers) -> ReceptionReport:
    """The report of one simulated reception.

    ``messages``: the session's chat rows (a DataFrame or a list of dicts with the columns of
    ``chat_messages.csv``, one 会话编号 per buyer); ``buyers``: one dict per buyer with
    会话编号, 顾客 (nickname), 平均得分 (0–10, NaN when never answered) and 结果.
    Per buyer: 首次响应秒数 (:func:`first_response_time`), 平均响应秒数
    (:func:`average_response_time` of that buyer's messages; a round never answered counts
    600 s), 回复条数 (human messages).  The summary holds :data:`KPI_COLUMNS` for the whole
    session and the mean answer score.
    """
    frame = pd.DataFrame(list(messages)) if not isinstance(messages, pd.DataFrame) else messages.copy()
    if frame.empty:
        frame = pd.DataFrame(columns=["会话编号", "顾客编号", "客服编号", "序号", "发送方", "发送时间"])
    frame["发送时间"] = pd.to_datetime(frame["发送时间"])
    first = first_response_time(frame).set_index("会话编号")["首次响应秒数"] if len(frame) else pd.Series(dtype=float)
    rows = []
    for b in buyers:
        own = frame[frame["会话编号"] == b["会话编号"]]
        rows.append([b["顾客"], float(first.get(b["会话编号"], math.nan)),
                     average_response_time(own) if (own["发送方"] == BUYER).any() else math.nan,
                     int((own["发送方"] == HUMAN).sum()), float(b["平均得分"]), b["结果"]])
    per_buyer = pd.DataFrame(rows, columns=REPORT_COLUMNS)
    kpis = agent_kpis(frame) if (frame["发送方"] == BUYER).any() else pd.DataFrame(columns=KPI_COLUMNS)
    summary = kpis.iloc[0].to_dict() if len(kpis) == 1 else dict.fromkeys(KPI_COLUMNS, math.nan)
    summary["会话数"] = int(summary["会话数"]) if len(kpis) == 1 else 0
    summary["最多同时接待"] = int(summary["最多同时接待"]) if len(kpis) == 1 else 0
    scores = per_buyer["平均得分"].dropna()
    summary["平均得分"] = float(scores.mean()) if len(scores) else math.nan
    return ReceptionReport(per_buyer, summary, frame)
