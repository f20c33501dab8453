"""客服月度绩效 (``agent_kpi.csv``): each pre-sale agent's monthly KPIs, computed from the
generated tables with the same KPI functions the students use (:mod:`course_lib.shop.sales`,
:mod:`course_lib.shop.chat`).
"""
from __future__ import annotations

import math

from .datasets import DATASETS, read_table
from .rows import AgentMonth, Table


def _fixed(value):
    """Floats with a fixed number of decimals, so the CSV bytes do not depend on float noise."""
    if isinstance(value, float):
        return "" if math.isnan(value) else f"{value:.4f}".rstrip("0").rstrip(".")
    return value


def agent_kpi_table(tables: dict[str, Table]) -> Table:
    """The 客服月度绩效 table from the generated ``orders``, ``chat_sessions``, ``chat_messages``
    and ``agent_targets`` tables."""
    from . import chat, sales

    def frame(name):
        return read_table(tables[name].to_csv(), DATASETS[name])

    orders, sessions, messages, targets = (frame(n) for n in ("orders", "chat_sessions", "chat_messages",
                                                              "agent_targets"))
    rows = []
    for _, target in targets.iterrows():
        month, agent = target["月份"], target["客服编号"]

        def in_month(table, column, month=month):
            return table[table[column].dt.strftime("%Y-%m") == month]

        m_orders = in_month(orders, "拍下时间")
        m_sessions = in_month(sessions, "开始时间")
        m_sessions = m_sessions[(m_sessions["客服编号"] == agent).fillna(False)]
        m_messages = messages[messages["会话编号"].isin(m_sessions["会话编号"])]
        mine = m_orders[(m_orders["客服编号"] == agent).fillna(False) & m_orders["付款时间"].notna()]
        sales_total = float(mine["订单金额"].sum())
        first = chat.first_response_time(m_messages)
        values = [sales_total, round(sales_total / target["销售额目标"], 4),
                  round(sales.inquiry_conversion(m_sessions, m_orders), 4), round(sales.closed_unit_price(mine), 2),
                  round(chat.reply_rate(m_messages), 4), round(chat.average_response_time(m_messages), 1),
                  round(float(first["首次响应秒数"].mean()), 1), float(target["出勤率"])]
        rows.append(AgentMonth(month, agent, target["昵称"], *map(_fixed, values)))
    return Table("agent_kpi", rows)
