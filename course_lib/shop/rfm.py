"""RFM 客户分层: recency, frequency and money per buyer, and the 8 classic segments.

R 高/低 means high/low **value**, not a high/low number: a buyer who paid recently
(small R, few days) is R高; a buyer who has not paid for a long time is R低.
F and M are high when the number is large.  A value equal to the split counts as 低.

>>> import pandas as pd
>>> orders = pd.DataFrame({
...     "顾客编号": ["C1", "C1", "C2", "C3", "C3", "C3", "C4"],
...     "付款时间": pd.to_datetime(["2024-06-28", "2024-05-01", "2024-03-01", "2024-06-25",
...                             "2024-06-01", "2024-04-01", None]),
...     "订单金额": [300.0, 200.0, 50.0, 100.0, 100.0, 100.0, 999.0]})
>>> table = rfm_table(orders, today="2024-06-30")
>>> table[["顾客编号", "R", "F", "M"]].values.tolist()
[['C1', 2, 2, 500.0], ['C2', 121, 1, 50.0], ['C3', 5, 3, 300.0]]
>>> rfm_segments(table)["客户类型"].tolist()     # medians: R 5 days, F 2, M 300 元
['重要发展客户', '一般挽留客户', '一般保持客户']
"""
from __future__ import annotations

import math

import pandas as pd

from .care_plans import care_plans
from .segments import HIGH, LOW, SEGMENTS
from .tables import ID, NUMBER, ORDER_TABLE, TIME, KPIDataError, clean, require_columns

# the 8 segments live in .segments (the care plans need them too); rfm is still where users find them
__all__ = ["HIGH", "LOW", "SEGMENTS", "rfm_segments", "rfm_table", "segment_actions", "segment_summary"]


def segment_actions() -> dict[str, str]:
    """建议措施 per segment: the one-line summary of its 关怀计划 (``data/care_plans.yaml``), which
    keeps to the shop's facts (uniform prices: no discounts, coupons or red packets from an agent).

    >>> segment_actions()["重要挽留客户"].startswith("挽留：重点回访")
    True
    """
    plans = care_plans()
    return {name: plans[name].summary for name in SEGMENTS.values()}


def __getattr__(name: str):
    """``SEGMENT_ACTIONS``: :func:`segment_actions`, worked out on use (PEP 562), not at import."""
    if name == "SEGMENT_ACTIONS":
        return segment_actions()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _today(today):
    try:
        stamp = pd.Timestamp(today)
    except (TypeError, ValueError):
        stamp = pd.NaT
    if stamp is pd.NaT or pd.isna(stamp):
        raise KPIDataError(f"today 应是一个日期，例如\"2024-06-30\"，现在是「{today}」。")
    return stamp.normalize()


def rfm_table(orders, today):
    """R, F, M per buyer from the paid orders (订单表 columns 顾客编号, 付款时间, 订单金额).

    * R (最近一次消费距今天数) = calendar days from the date of the buyer's last 付款时间
      to ``today`` (paid today → 0).
    * F (消费频次) = number of paid orders.
    * M (消费金额) = total 订单金额 of the paid orders, 元, rounded to 2 decimals
      (a missing amount adds 0; refunds are not subtracted — filter them out first if
      the exercise asks for it).

    Only orders with a 付款时间 on or before ``today`` count; buyers with no such order do
    not appear.  Columns: 顾客编号, 最近付款时间, R, F, M, sorted by 顾客编号.

    >>> orders = pd.DataFrame({"顾客编号": ["C1", "C1"], "付款时间": ["2024-06-01 20:00", "2024-07-02"],
    ...                        "订单金额": [88.5, 10.0]})
    >>> rfm_table(orders, "2024-06-30").values.tolist()
    [['C1', Timestamp('2024-06-01 20:00:00'), 29, 1, 88.5]]
    """
    paid = clean(orders, {"顾客编号": ID, "付款时间": TIME, "订单金额": NUMBER}, ORDER_TABLE)
    day = _today(today)
    paid["订单金额"] = paid["订单金额"].fillna(0.0)
    paid = paid[paid["顾客编号"].notna() & paid["付款时间"].notna()]
    paid = paid[paid["付款时间"].dt.normalize() <= day]
    table = paid.groupby("顾客编号").agg(最近付款时间=("付款时间", "max"), F=("付款时间", "size"),
                                       M=("订单金额", "sum")).reset_index()
    table["R"] = (day - table["最近付款时间"].dt.normalize()).dt.days.astype("int64")
    table["F"] = table["F"].astype("int64")
    table["M"] = table["M"].astype("float64").round(2)
    return table[["顾客编号", "最近付款时间", "R", "F", "M"]].sort_values("顾客编号").reset_index(drop=True)


def _split(values, given, name: str) -> float:
    if given is None:
        median = values.median()
        return float(median) if pd.notna(median) else math.nan
    try:
        split = float(given)
    except (TypeError, ValueError):
        raise KPIDataError(f"{name}_split 应是一个数字，现在是「{given}」。") from None
    if not math.isfinite(split):
        raise KPIDataError(f"{name}_split 应是一个有限的数字，现在是「{given}」。")
    return split


def rfm_segments(table, r_split=None, f_split=None, m_split=None):
    """Add R高低, F高低, M高低, 客户类型 and 建议措施 to an RFM table (a new DataFrame).

    ``table`` needs numeric columns R, F, M (as made by :func:`rfm_table`).  Each split
    defaults to the column's median.  The convention:

    * R高 when **R < r_split** (bought recently = high value); otherwise R低;
    * F高 when F > f_split; M高 when M > m_split; otherwise 低;
    * a value equal to the split, or missing, is 低.

    客户类型 is one of the 8 names in :data:`SEGMENTS`, 建议措施 its entry in
    :func:`segment_actions`.  The splits used are kept in ``result.attrs["分界值"]``.

    >>> t = pd.DataFrame({"顾客编号": ["A", "B", "C"], "R": [3, 40, 90], "F": [5, 1, 2], "M": [900.0, 80.0, 600.0]})
    >>> out = rfm_segments(t, r_split=30, f_split=2, m_split=500)
    >>> out[["R高低", "F高低", "M高低", "客户类型"]].values.tolist()
    [['高', '高', '高', '重要价值客户'], ['低', '低', '低', '一般挽留客户'], ['低', '低', '高', '重要挽留客户']]
    >>> rfm_segments(t).attrs["分界值"]
    {'R': 40.0, 'F': 2.0, 'M': 600.0}
    """
    values = clean(table, dict.fromkeys(("R", "F", "M"), NUMBER), "RFM表")
    splits = {
        "R": _split(values["R"], r_split, "r"),
        "F": _split(values["F"], f_split, "f"),
        "M": _split(values["M"], m_split, "m"),
    }
    out = table.copy()
    out["R高低"] = (values["R"] < splits["R"]).map({True: HIGH, False: LOW}).astype(object)
    out["F高低"] = (values["F"] > splits["F"]).map({True: HIGH, False: LOW}).astype(object)
    out["M高低"] = (values["M"] > splits["M"]).map({True: HIGH, False: LOW}).astype(object)
    out["客户类型"] = [SEGMENTS[key] for key in zip(out["R高低"], out["F高低"], out["M高低"])]
    out["客户类型"] = out["客户类型"].astype(object)
    out["建议措施"] = out["客户类型"].map(segment_actions()).astype(object)
    out.attrs["分界值"] = splits
    return out


def segment_summary(segmented):
    """人数 and share of each 客户类型 (all 8 rows, in :data:`SEGMENTS` order) with the action.

    >>> t = pd.DataFrame({"R": [3, 90], "F": [5, 1], "M": [900.0, 80.0]})
    >>> s = segment_summary(rfm_segments(t, r_split=30, f_split=2, m_split=500))
    >>> s.loc[["重要价值客户", "一般挽留客户", "重要保持客户"], "人数"].tolist()
    [1, 1, 0]
    """
    require_columns(segmented, ["客户类型"], "RFM分层表")
    names, actions = list(SEGMENTS.values()), segment_actions()
    counts = segmented["客户类型"].value_counts().reindex(names, fill_value=0).astype("int64")
    total = int(counts.sum())
    out = pd.DataFrame({
        "人数": counts,
        "占比": [c / total if total else math.nan for c in counts],
        "建议措施": [actions[n] for n in names],
    })
    return out.rename_axis("客户类型")
