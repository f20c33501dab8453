"""客户关系管理 (unit 12): the RFM segment explorer's logic and the 会员档案 card.

Works on the tables of :mod:`course_lib.shop.rfm` (an RFM table segmented by
:func:`~course_lib.shop.rfm.rfm_segments`) and the shop's datasets.  Student input (split
values typed in a box, a customer id, a segment name) is parsed leniently; anything that
cannot be understood raises :class:`~course_lib.shop.tables.KPIDataError` with a Chinese
message.  The widget is :class:`course_lib.views.crm.RfmExplorer`.

>>> import pandas as pd
>>> seg = pd.DataFrame({"顾客编号": ["C1", "C2", "C3"], "R": [5, 120, 130], "F": [3, 1, 2],
...                     "M": [800.0, 60.0, 700.0], "客户类型": ["重要价值客户", "一般挽留客户", "重要挽留客户"]})
>>> view = explore(seg, "重要挽留")
>>> view.count, round(view.share, 3), view.plan.goal
(1, 0.333, '挽留')
>>> parse_splits("50天", "", "297.5")
{'r_split': 50.0, 'f_split': None, 'm_split': 297.5}
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from ..text import fold_reply, plain_str
from .care_plans import CarePlan, care_plans
from .segments import SEGMENTS
from .tables import KPIDataError, require_columns

SEGMENT_NAMES = tuple(SEGMENTS.values())
LEVELS = {name: key for key, name in SEGMENTS.items()}       # 客户类型 → (R, F, M) 高/低
NEED = ("顾客编号", "R", "F", "M", "客户类型")


def valid_orders(orders):
    """The orders that count as spending in this course's RFM: paid and not refunded."""
    require_columns(orders, ["付款时间", "退款时间"], "订单表")
    return orders[orders["付款时间"].notna() & orders["退款时间"].isna()]


def segment_name(value: object) -> str:
    """The segment a student meant (``"重要挽留"``, spaces ignored).

    >>> segment_name(" 一般 发展 ")
    '一般发展客户'
    """
    if isinstance(value, str):
        folded = fold_reply(plain_str(value)[:40])
        for name in SEGMENT_NAMES:
            if folded in (name, name.removesuffix("客户")):
                return name
    shown = plain_str(value)[:20] if isinstance(value, str) else type(value).__name__
    raise KPIDataError(f"「{shown}」不是客户类型，客户类型有：{'、'.join(SEGMENT_NAMES)}。")


def _split(text: object, name: str) -> float | None:
    if text is None:
        return None
    if isinstance(text, bool) or not isinstance(text, (int, float, str)):
        raise KPIDataError(f"{name}的分界值应是一个数字，或者留空（用中位数）。")
    if isinstance(text, str):
        folded = fold_reply(plain_str(text)[:40]).removesuffix("天").removesuffix("次").removesuffix("元")
        if folded in ("", "中位数", "默认"):
            return None
        try:
            value = float(folded)
        except ValueError:
            raise KPIDataError(f"{name}的分界值「{plain_str(text)[:20]}」不是数字，请写一个数字，或者留空（用中位数）。") from None
    else:
        value = float(text)
    if not math.isfinite(value) or value < 0:
        raise KPIDataError(f"{name}的分界值应是不小于0的数字。")
    return value


def parse_splits(r: object = None, f: object = None, m: object = None) -> dict[str, float | None]:
    """Split values typed by a student (blank → ``None``: the median) as keyword arguments
    of :func:`~course_lib.shop.rfm.rfm_segments`.

    >>> parse_splits(90, "２次", None)
    {'r_split': 90.0, 'f_split': 2.0, 'm_split': None}
    """
    return {"r_split": _split(r, "R"), "f_split": _split(f, "F"), "m_split": _split(m, "M")}


@dataclass(frozen=True)
class SegmentView:
    segment: str
    count: int
    share: float
    means: tuple[float, float, float]     # mean R (days), F (times), M (元)
    members: Any                          # DataFrame: the segment's customers, highest M first
    plan: CarePlan

    def to_text(self) -> str:
        r, f, m = LEVELS[self.segment]
        head = f"{self.segment}（R{r} F{f} M{m}）：{self.count}人"
        if self.count:
            head += (f"，占{self.share * 100:.1f}%；平均R {self.means[0]:.0f}天、F {self.means[1]:.1f}次、"
                     f"M {self.means[2]:.0f}元")
        return head + "\n" + self.plan.to_text()


def _check_segmented(segmented) -> None:
    require_columns(segmented, list(NEED), "RFM分层表（rfm_segments 的结果）")


def explore(segmented, segment: object, top: int = 10) -> SegmentView:
    """Count, share, mean R/F/M and the ``top`` customers (highest M first) of one segment."""
    _check_segmented(segmented)
    name = segment_name(segment)
    if not isinstance(top, int) or isinstance(top, bool) or top < 0:
        raise KPIDataError("top 应是不小于0的整数。")
    part = segmented[segmented["客户类型"] == name]
    members = part.sort_values(["M", "顾客编号"], ascending=[False, True], kind="stable").head(top)
    means = tuple(float(part[c].mean()) for c in "RFM") if len(part) else (math.nan,) * 3
    share = len(part) / len(segmented) if len(segmented) else math.nan
    return SegmentView(name, len(part), share, means, members.reset_index(drop=True), care_plans()[name])


def revisit_list(segmented, segments=("重要挽留客户", "重要保持客户"), top: int = 20):
    """Who to call on first: the customers of ``segments``, highest M first, with the plan's channel."""
    _check_segmented(segmented)
    names = [segment_name(s) for s in ([segments] if isinstance(segments, str) else segments)]
    part = segmented[segmented["客户类型"].isin(names)]
    part = part.sort_values(["M", "R", "顾客编号"], ascending=[False, True, True], kind="stable").head(top).copy()
    plans = care_plans()
    part["渠道"] = [plans[s].channel for s in part["客户类型"]]
    part["频率"] = [plans[s].frequency for s in part["客户类型"]]
    return part[["顾客编号", "客户类型", "R", "F", "M", "渠道", "频率"]].reset_index(drop=True)


@dataclass(frozen=True)
class CustomerCard:
    """A 会员档案: who, what they bought, how they were served, their segment and its plan."""

    customer_id: str
    nickname: str
    province: str
    registered: str
    level: str
    orders: tuple[str, ...]          # one line per order: date, goods, amount, state
    spent: float                     # paid and not refunded
    paid_orders: int
    talks: tuple[str, ...]           # one line per chat session
    reviews: tuple[str, ...]
    segment: str | None

    def to_text(self) -> str:
        lines = [f"会员档案：{self.nickname}（{self.customer_id}）　{self.level}　{self.province}　{self.registered}注册",
                 f"购买记录：已付款且没有退款的订单{self.paid_orders}个，共{self.spent:.2f}元", *self.orders,
                 f"服务记录：咨询{len(self.talks)}次", *self.talks, f"评价：{len(self.reviews)}条", *self.reviews]
        if self.segment:
            r, f, m = LEVELS[self.segment]
            lines.append(f"客户类型：{self.segment}（R{r} F{f} M{m}）——关怀目标：{care_plans()[self.segment].goal}")
        return "\n".join(lines)


def _day(value) -> str:
    return f"{value.month}月{value.day}日" if hasattr(value, "month") and value == value else "—"


def customer_card(customer_id: object, customers, orders, items, reviews, sessions=None,
                  segmented=None) -> CustomerCard:
    """The 会员档案 of one customer, gathered from the shop's tables (顾客表、订单表、订单明细、评价表,
    and the 聊天会话表 when given); ``segmented`` adds the customer's RFM segment."""
    require_columns(customers, ["顾客编号", "昵称", "省份", "注册日期", "会员等级"], "顾客表")
    require_columns(orders, ["订单编号", "顾客编号", "拍下时间", "付款时间", "退款时间", "订单状态", "订单金额"], "订单表")
    require_columns(items, ["订单编号", "商品名称", "数量"], "订单明细表")
    require_columns(reviews, ["订单编号", "评价等级", "评价内容"], "评价表")
    if not isinstance(customer_id, str) or not customer_id.strip():
        raise KPIDataError("请写顾客编号，例如“C0334”。")
    cid = fold_reply(plain_str(customer_id)[:20]).upper()
    found = customers[customers["顾客编号"] == cid]
    if found.empty:
        raise KPIDataError(f"顾客表里没有「{plain_str(customer_id)[:20]}」，顾客编号形如C0001。")
    person = found.iloc[0]
    mine = orders[orders["顾客编号"] == cid].sort_values("拍下时间", kind="stable")
    goods = {oid: "、".join(f"{n}×{q}" for n, q in zip(g["商品名称"], g["数量"]))
             for oid, g in items[items["订单编号"].isin(mine["订单编号"])].groupby("订单编号")}
    why = mine["关闭原因"] if "关闭原因" in mine.columns else [None] * len(mine)
    lines = tuple(f"  {_day(t)}　{goods.get(o, '')}　{a:.2f}元　{s}" + (f"（{w}）" if isinstance(w, str) and w else "")
                  for o, t, a, s, w in zip(mine["订单编号"], mine["拍下时间"], mine["订单金额"],
                                           mine["订单状态"].astype(str), why))
    valid = valid_orders(mine)
    talks: tuple[str, ...] = ()
    if sessions is not None:
        require_columns(sessions, ["顾客编号", "开始时间", "咨询类型", "是否下单"], "聊天会话表")
        theirs = sessions[sessions["顾客编号"] == cid].sort_values("开始时间", kind="stable")
        talks = tuple(f"  {_day(t)}　{kind}" + ("　下单了" if kind == "售前咨询" and done is True else
                                               "　没有下单" if kind == "售前咨询" else "")
                      for t, kind, done in zip(theirs["开始时间"], theirs["咨询类型"].astype(str), theirs["是否下单"]))
    said = reviews[reviews["订单编号"].isin(mine["订单编号"])]
    review_lines = tuple(f"  {o}　{g}：{t}" for o, g, t in zip(said["订单编号"], said["评价等级"].astype(str),
                                                          said["评价内容"]))
    segment = None
    if segmented is not None:
        _check_segmented(segmented)
        row = segmented[segmented["顾客编号"] == cid]
        segment = str(row["客户类型"].iloc[0]) if len(row) else None
    registered = person["注册日期"]
    registered = f"{registered.year}年" if hasattr(registered, "year") else str(registered)[:4] + "年"
    return CustomerCard(cid, str(person["昵称"]), str(person["省份"]), registered, str(person["会员等级"]), lines,
                        round(float(valid["订单金额"].sum()), 2), len(valid), talks, review_lines, segment)
