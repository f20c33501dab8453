"""客服 KPI on sales and reviews: 询单转化率, 落实客单价, 退款率, 好评率, DSR.

Each function takes the course's shop tables (Chinese column names, listed in its
docstring) and returns a float, or one row per 客服 when ``by_agent=True``.
A rate whose denominator is empty (no inquiries, no paid orders …) is ``math.nan`` —
never a division by zero; :func:`~course_lib.shop.tables.fmt_rate` shows it as ``'—'``.
Missing values in a table (empty ids, ``NaT`` times, ``NaN`` amounts) are skipped as the
docstrings say.  Definitions follow 淘宝平台指标口径 and 某店铺绩效表 (DOMAIN.md); the chat
metrics (response times, 回复率) live in :mod:`course_lib.shop.chat`.

>>> import pandas as pd
>>> reviews = pd.DataFrame({"订单编号": ["D1", "D2", "D3", "D4"],
...                         "评价等级": ["好评", "好评", "中评", "好评"],
...                         "描述相符": [5, 5, 4, 4], "服务态度": [5, 4, 4, 5], "物流服务": [5, 5, 3, 4]})
>>> fmt_rate(good_review_rate(reviews))
'75.0%'
>>> dsr(reviews)
{'描述相符': 4.5, '服务态度': 4.5, '物流服务': 4.25}
>>> fmt_rate(good_review_rate(reviews.iloc[0:0]))
'—'
"""
from __future__ import annotations

import math

import pandas as pd

from .tables import (
    ID,
    NUMBER,
    ORDER_TABLE,
    REVIEW_TABLE,
    SESSION_TABLE,
    TIME,
    KPIDataError,
    clean,
    fmt_rate,
    per_agent,
    rate,
)

PRESALE = "售前咨询"
DSR_ITEMS = ("描述相符", "服务态度", "物流服务")
__all__ = ["inquiry_conversion", "closed_unit_price", "refund_rate", "good_review_rate", "dsr", "fmt_rate"]


def inquiry_conversion(sessions, orders, days: float = 3, by_agent: bool = False):
    """询单转化率 = 询单后下单并付款的顾客数 ÷ 询单顾客数.

    ``sessions`` (聊天会话表) needs 顾客编号, 客服编号, 开始时间, 咨询类型;
    ``orders`` (订单表) needs 顾客编号, 拍下时间, 付款时间.

    * 询单顾客: distinct 顾客编号 with at least one ``咨询类型 == '售前咨询'`` session
      (售后咨询 and 催付 sessions are not inquiries).
    * 成交顾客: an inquiring buyer with an order whose 付款时间 is filled and whose 拍下时间
      lies from the session's 开始时间 up to ``days`` days later (both ends included).
      The session's 是否下单/订单编号 fields are not used: the time window decides.
    * ``by_agent=True``: one row per 客服编号 (columns 客服编号, 询单人数, 成交人数, 询单转化率).
      询单人数 counts the buyers who asked that agent; an order is credited to the agent of
      the **latest** 售前咨询 session that started before it within the window (最后接待
      归属), so a buyer who asked two agents converts for one of them only.  Sessions
      without a 客服编号 are left out of this table.

    Returns ``math.nan`` when nobody asked.

    >>> t = pd.to_datetime
    >>> sessions = pd.DataFrame({
    ...     "会话编号": ["S1", "S2", "S3", "S4", "S5"],
    ...     "顾客编号": ["C1", "C2", "C3", "C4", "C1"],
    ...     "客服编号": ["K1", "K1", "K2", "K2", "K2"],
    ...     "开始时间": t(["2024-05-01 10:00", "2024-05-01 11:00", "2024-05-01 12:00",
    ...                   "2024-05-01 13:00", "2024-05-02 09:00"]),
    ...     "咨询类型": ["售前咨询", "售前咨询", "售前咨询", "售后咨询", "售前咨询"]})
    >>> orders = pd.DataFrame({
    ...     "订单编号": ["D1", "D2", "D3"], "顾客编号": ["C1", "C2", "C3"],
    ...     "拍下时间": t(["2024-05-02 10:00", "2024-05-01 11:30", "2024-05-09 12:00"]),
    ...     "付款时间": t(["2024-05-02 10:05", None, "2024-05-09 12:01"])})
    >>> inquiry_conversion(sessions, orders)   # C1 paid; C2 never paid; C3 paid too late
    0.3333333333333333
    >>> inquiry_conversion(sessions, orders, by_agent=True)["询单转化率"].tolist()
    [0.0, 0.5]
    """
    asked = clean(sessions, {"顾客编号": ID, "客服编号": ID, "开始时间": TIME, "咨询类型": ID}, SESSION_TABLE)
    paid = clean(orders, {"顾客编号": ID, "拍下时间": TIME, "付款时间": TIME}, ORDER_TABLE)
    try:
        window = pd.Timedelta(days=float(days))
    except (TypeError, ValueError):
        raise KPIDataError(f"days 应是天数（数字），现在是「{days}」。") from None
    if not window >= pd.Timedelta(0):
        raise KPIDataError(f"days 应是不小于0的天数，现在是「{days}」。")

    asked = asked[(asked["咨询类型"] == PRESALE) & asked["顾客编号"].notna()]
    if by_agent:
        asked = asked[asked["客服编号"].notna()]

    paid = paid[paid["顾客编号"].notna() & paid["拍下时间"].notna() & paid["付款时间"].notna()]
    paid = paid.reset_index(drop=True).rename_axis("_order").reset_index()

    matched = asked.merge(paid, on="顾客编号", how="inner")
    matched = matched[(matched["拍下时间"] >= matched["开始时间"])
                      & (matched["拍下时间"] <= matched["开始时间"] + window)]

    if not by_agent:
        return rate(matched["顾客编号"].nunique(), asked["顾客编号"].nunique())

    credited = matched.sort_values("开始时间", kind="stable").groupby("_order").tail(1)
    table = pd.DataFrame({
        "询单人数": asked.groupby("客服编号")["顾客编号"].nunique(),
        "成交人数": credited.groupby("客服编号")["顾客编号"].nunique(),
    })
    table = table.fillna(0).astype("int64").rename_axis("客服编号").reset_index()
    table["询单转化率"] = [rate(n, d) for n, d in zip(table["成交人数"], table["询单人数"])]
    return per_agent(table, ["客服编号", "询单人数", "成交人数", "询单转化率"])


def closed_unit_price(orders, by_agent: bool = False):
    """落实客单价 = 客服落实且已付款的销售额 ÷ 该客服的付款顾客数.

    ``orders`` (订单表) needs 顾客编号, 客服编号, 付款时间, 订单金额.  Only orders with a
    付款时间 and a 客服编号 count (静默下单 without an agent are left out); a missing
    订单金额 adds nothing.  Refunds are not subtracted (see :func:`refund_rate`).

    Overall: all credited sales ÷ distinct paying buyers of all agents (a buyer who paid
    two agents counts once, so it is not the mean of the agents' values).
    ``by_agent=True``: columns 客服编号, 落实销售额, 付款人数, 落实客单价.
    ``math.nan`` when there is no paying buyer.

    >>> orders = pd.DataFrame({
    ...     "订单编号": ["D1", "D2", "D3", "D4", "D5"],
    ...     "顾客编号": ["C1", "C1", "C2", "C3", "C4"],
    ...     "客服编号": ["K1", "K1", "K1", "K2", None],
    ...     "付款时间": pd.to_datetime(["2024-05-01", "2024-05-02", "2024-05-02", None, "2024-05-03"]),
    ...     "订单金额": [100.0, 50.0, 90.0, 300.0, 80.0]})
    >>> closed_unit_price(orders)          # (100 + 50 + 90) ÷ 2 buyers; D4 unpaid, D5 silent
    120.0
    >>> closed_unit_price(orders, by_agent=True).values.tolist()
    [['K1', 240.0, 2, 120.0]]
    """
    paid = clean(orders, {"顾客编号": ID, "客服编号": ID, "付款时间": TIME, "订单金额": NUMBER}, ORDER_TABLE)
    paid = paid[paid["付款时间"].notna() & paid["客服编号"].notna() & paid["顾客编号"].notna()]
    if not by_agent:
        return rate(paid["订单金额"].sum(), paid["顾客编号"].nunique())
    table = paid.groupby("客服编号").agg(落实销售额=("订单金额", "sum"), 付款人数=("顾客编号", "nunique"))
    table = table.reset_index()
    table["落实销售额"] = table["落实销售额"].astype("float64")
    table["付款人数"] = table["付款人数"].astype("int64")
    table["落实客单价"] = [rate(s, n) for s, n in zip(table["落实销售额"], table["付款人数"])]
    return per_agent(table, ["客服编号", "落实销售额", "付款人数", "落实客单价"])


def refund_rate(orders) -> float:
    """退款率 = 已付款且有退款时间的订单数 ÷ 已付款订单数.

    ``orders`` (订单表) needs 付款时间, 退款时间.  An unpaid order is in neither count.
    ``math.nan`` when no order is paid.

    >>> orders = pd.DataFrame({
    ...     "付款时间": pd.to_datetime(["2024-05-01", "2024-05-01", "2024-05-02", "2024-05-03", None]),
    ...     "退款时间": pd.to_datetime(["2024-05-04", None, None, None, None])})
    >>> refund_rate(orders)
    0.25
    """
    times = clean(orders, {"付款时间": TIME, "退款时间": TIME}, ORDER_TABLE)
    paid = times["付款时间"].notna()
    refunded = paid & times["退款时间"].notna()
    return rate(int(refunded.sum()), int(paid.sum()))


# ------------------------------------------------------------------------ reviews and DSR

def good_review_rate(reviews) -> float:
    """好评率 = 好评数 ÷ 评价数.

    ``reviews`` (评价表) needs 评价等级 ('好评' | '中评' | '差评').  Rows with a missing or
    other 评价等级 are not reviews and are ignored.  ``math.nan`` for no reviews.

    >>> good_review_rate(pd.DataFrame({"评价等级": ["好评", "差评", None, "好评"]}))
    0.6666666666666666
    """
    grades = clean(reviews, {"评价等级": ID}, REVIEW_TABLE)["评价等级"]
    valid = grades.isin(["好评", "中评", "差评"])
    return rate(int((grades == "好评").sum()), int(valid.sum()))


def dsr(reviews) -> dict[str, float]:
    """店铺动态评分 DSR: the averages of 描述相符, 服务态度, 物流服务, rounded to 2 decimals.

    ``reviews`` (评价表) needs the three score columns (integers 1–5).  Missing scores and
    values outside 1–5 are skipped; an item with no valid score is ``math.nan``.  The
    platform averages over a rolling window (90 days or 6 months, depending on the source):
    filter ``reviews`` by 评价时间 first to reproduce it.

    >>> dsr(pd.DataFrame({"描述相符": [5, 4, None], "服务态度": [5, 5, 4], "物流服务": [3, 9, 4]}))
    {'描述相符': 4.5, '服务态度': 4.67, '物流服务': 3.5}
    """
    table = clean(reviews, dict.fromkeys(DSR_ITEMS, NUMBER), REVIEW_TABLE)
    result = {}
    for item in DSR_ITEMS:
        scores = table[item]
        scores = scores[(scores >= 1) & (scores <= 5)]
        result[item] = round(float(scores.mean()), 2) if len(scores) else math.nan
    return result
