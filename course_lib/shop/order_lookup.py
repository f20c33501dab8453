"""Finding an order and reading its history (unit 05, 查找订单 and the workbench's timeline).

* :func:`search_orders` — look orders up by 订单编号, 买家昵称 or 手机尾号, the three keys a
  千牛 agent uses (the rules of the automatic mode are in its docstring and taught in the
  notebook before they are asked about);
* :func:`order_events` — the events of one order read from its row of the order table, the
  list :func:`course_lib.shop.orders.validate_sequence` checks;
* :func:`order_history` — those events plus the deadline still running at ``now``, computed
  with unit 04's calculator (:mod:`.timeline`, i.e. the platform rules of :mod:`.timeouts`).

Every function raises ``ValueError`` with a Chinese message for bad input, never anything else.

>>> import pandas as pd
>>> orders = pd.DataFrame({"订单编号": ["O00001", "O00002"], "顾客编号": ["C0001", "C0002"],
...     "拍下时间": pd.to_datetime(["2025-07-01 10:00", "2025-07-02 11:00"]),
...     "订单状态": ["交易成功", "交易关闭"], "订单金额": [129.0, 39.0], "物流方式": ["快递", "快递"]})
>>> customers = pd.DataFrame({"顾客编号": ["C0001", "C0002"], "昵称": ["橙子_4350", "小鱼_9360"],
...     "手机尾号": ["0815", "4350"]})
>>> search_orders(orders, customers, "o2")[["订单编号", "昵称", "匹配方式"]].values.tolist()
[['O00002', '小鱼_9360', '订单编号']]
>>> search_orders(orders, customers, "4350")[["订单编号", "匹配方式"]].values.tolist()
[['O00002', '手机尾号'], ['O00001', '昵称']]
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

import pandas as pd

from ..text import plain_str, to_halfwidth
from .catalogue import END
from .timeline import format_left, format_moment, order_timeline

DATA_END = END
"""The moment the shop data were taken (2025-12-31 23:59:59): the workbench's default “now”."""

SEARCH_MODES = ("自动", "订单编号", "昵称", "手机尾号")
RESULT_COLUMNS = ["订单编号", "昵称", "手机尾号", "订单状态", "拍下时间", "订单金额", "物流方式", "匹配方式"]

_ORDER_ID = re.compile(r"^[Oo]?(\d{1,5})$")


def _clean(text: object, what: str, limit: int = 30) -> str:
    if not isinstance(text, str):
        raise ValueError(f"{what}应写成文字。")
    return "".join(to_halfwidth(plain_str(text)).split())[:limit]


def normalize_order_id(text: object) -> str:
    """``O00012`` from ``o12``, ``12``, ``Ｏ００１２`` …; ``ValueError`` when it cannot be an order number.

    >>> normalize_order_id(" o12 "), normalize_order_id("１５４６")
    ('O00012', 'O01546')
    """
    match = _ORDER_ID.match(_clean(text, "订单编号"))
    if not match or int(match.group(1)) == 0:
        raise ValueError("订单编号写成“O00012”这样：字母O加5位数字（也可以只写数字）。")
    return f"O{int(match.group(1)):05d}"


def _need(frame: object, columns: Iterable[str], name: str) -> pd.DataFrame:
    if not isinstance(frame, pd.DataFrame):
        raise ValueError(f"{name}应是一个表格（DataFrame），例如 load_dataset(\"{name}\")。")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{name}表里缺少这些列：{'、'.join(missing)}。")
    return frame


def search_orders(orders: pd.DataFrame, customers: pd.DataFrame, query: str, by: str = "自动") -> pd.DataFrame:
    """Orders matching ``query``, newest first, with the buyer's 昵称, 手机尾号 and a column 匹配方式.

    ``by`` is one of 自动 / 订单编号 / 昵称 / 手机尾号.  In 自动 mode (spaces and full-width
    characters are ignored first):

    1. the letter O followed by digits, or exactly 5 digits → 订单编号 (exact, ``o12`` = ``O00012``);
    2. exactly 4 digits → 手机尾号 (exact) **and** 昵称 containing those digits (nicknames such
       as 橙子_4350 contain digits);
    3. anything else → 昵称 containing the text (letters compared without case).

    Tails and nicknames are not unique: several buyers can match, so check the result
    before acting on an order.  No match gives an empty table, not an error.  订单状态 and
    物流方式 are plain text in the result (not categories).
    """
    _need(orders, ["订单编号", "顾客编号", "拍下时间", "订单状态", "订单金额", "物流方式"], "orders")
    _need(customers, ["顾客编号", "昵称"], "customers")
    if not isinstance(by, str) or by not in SEARCH_MODES:
        raise ValueError(f"查找方式应是：{'、'.join(SEARCH_MODES)}。")
    text = _clean(query, "查找内容")
    if not text:
        raise ValueError("请输入要查找的内容：订单编号、买家昵称或手机尾号。")
    people = customers[["顾客编号", "昵称"]].assign(
        手机尾号=customers["手机尾号"].astype("string") if "手机尾号" in customers.columns else "")
    buyers = orders.merge(people, on="顾客编号", how="left")
    hits: list[pd.DataFrame] = []

    def by_order() -> None:
        hits.append(buyers[buyers["订单编号"] == normalize_order_id(text)].assign(匹配方式="订单编号"))

    def by_tail() -> None:
        if not re.fullmatch(r"\d{4}", text):
            raise ValueError("手机尾号是手机号的最后4位数字，例如“0815”。")
        if "手机尾号" not in customers.columns:
            raise ValueError("顾客表里没有「手机尾号」这一列，暂时不能按手机尾号查找。")
        hits.append(buyers[buyers["手机尾号"] == text].assign(匹配方式="手机尾号"))

    def by_nickname() -> None:
        names = buyers["昵称"].astype("string").str.casefold()
        hits.append(buyers[names.str.contains(text.casefold(), regex=False, na=False)].assign(匹配方式="昵称"))

    if by == "订单编号":
        by_order()
    elif by == "手机尾号":
        by_tail()
    elif by == "昵称":
        by_nickname()
    elif re.fullmatch(r"[Oo]\d+|\d{5}", text):
        by_order()
    elif re.fullmatch(r"\d{4}", text):
        if "手机尾号" in customers.columns:
            by_tail()
        by_nickname()
    else:
        by_nickname()
    result = pd.concat(hits).drop_duplicates("订单编号", keep="first")
    result = result.sort_values(["拍下时间", "订单编号"], ascending=[False, True])[RESULT_COLUMNS]
    # plain text, not categories: value_counts() then lists only the states this buyer has
    text = {c: result[c].astype("string").astype(object) for c in ("订单状态", "物流方式") if c in result}
    return result.assign(**text).reset_index(drop=True)


# ---------------------------------------------------------------- events and history

@dataclass(frozen=True)
class Event:
    """One event of an order: the event name of the order state machine, when, and a note."""

    event: str                 # 拍下 付款 发货 确认收货 关闭 申请退款 退款完成
    at: datetime
    note: str = ""


def _value(row: Mapping, column: str) -> object:
    try:
        value = row[column]
    except (KeyError, IndexError):
        return None
    if value is None or value is pd.NaT or (not isinstance(value, str) and bool(pd.isna(value))) or value == "":
        return None
    return value


def _moment(row: Mapping, column: str) -> datetime | None:
    value = _value(row, column)
    if value is None:
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, datetime):
        return value
    raise ValueError(f"「{column}」应是时间，现在是「{str(value)[:20]}」。")


def _text(row: Mapping, column: str) -> str:
    value = _value(row, column)
    return "" if value is None else str(value)


def order_events(row: Mapping) -> tuple[Event, ...]:
    """The events of one order, in order, read from its row of the order table.

    拍下 always; an order never paid ends with 关闭 when it has a 关闭时间; a paid one goes on
    with 付款, 发货, then 申请退款 (+ 退款完成 once refunded) or 确认收货.
    ``[e.event for e in order_events(row)]`` is the list ``validate_sequence`` checks.

    >>> row = {"拍下时间": datetime(2025, 7, 1, 10), "付款时间": datetime(2025, 7, 1, 10, 5),
    ...        "发货时间": datetime(2025, 7, 1, 15), "物流方式": "快递", "申请退款时间": datetime(2025, 7, 3, 9),
    ...        "退款时间": datetime(2025, 7, 6, 9), "退款原因": "七天无理由退货"}
    >>> [e.event for e in order_events(row)]
    ['拍下', '付款', '发货', '申请退款', '退款完成']
    """
    if not isinstance(row, (Mapping, pd.Series)):
        raise ValueError("请传入订单表的一行，例如 orders.iloc[0]。")
    placed = _moment(row, "拍下时间")
    if placed is None:
        raise ValueError("这一行没有「拍下时间」，不是订单表的一行。")
    events = [Event("拍下", placed)]
    paid = _moment(row, "付款时间")
    if paid is None:
        closed = _moment(row, "关闭时间")
        if closed is not None:
            events.append(Event("关闭", closed, _text(row, "关闭原因") or "拍下1天未付款"))
        return tuple(events)
    events.append(Event("付款", paid))
    shipped = _moment(row, "发货时间")
    if shipped is None:
        return tuple(events)
    events.append(Event("发货", shipped, _text(row, "物流方式")))
    asked, refunded = _moment(row, "申请退款时间"), _moment(row, "退款时间")
    confirmed = _moment(row, "确认收货时间")
    if asked is not None:
        events.append(Event("申请退款", asked, _text(row, "退款原因")))
        if refunded is not None:
            events.append(Event("退款完成", refunded, "全额退款，交易关闭；退款状态：退款成功"))
    elif confirmed is not None:
        how = _text(row, "确认方式")
        events.append(Event("确认收货", confirmed, "系统自动确认收货" if how == "系统自动" else how))
    return tuple(events)


@dataclass(frozen=True)
class HistoryItem:
    """A line of the workbench's timeline: an event (已发生) or a running deadline (期限)."""

    at: datetime
    label: str
    kind: str       # 已发生 or 期限
    note: str = ""

    def to_text(self, ref: datetime | None = None) -> str:
        note = f"（{self.note}）" if self.note else ""
        return f"{format_moment(self.at, ref)}　{self.label}{note}" + ("　← 期限" if self.kind == "期限" else "")


def order_history(row: Mapping, now: datetime = DATA_END) -> tuple[HistoryItem, ...]:
    """The events of the order plus the deadline still running at ``now``.

    An unpaid order that is not closed gets its 自动关闭 deadline; a shipped order with neither
    确认收货 nor a refund request gets its 自动确认收货 deadline (unit 04's calculator); the note
    says how much time is left.  A refund request stops the auto-confirm clock.

    >>> row = {"拍下时间": datetime(2025, 12, 30, 20, 0), "付款时间": datetime(2025, 12, 30, 20, 5),
    ...        "发货时间": datetime(2025, 12, 31, 15, 0), "物流方式": "平邮"}
    >>> order_history(row)[-1].to_text(ref=row["拍下时间"])
    '2026年1月30日 15:00　自动确认收货（平邮30天，还剩29天15小时）　← 期限'
    """
    if not isinstance(now, datetime):
        raise ValueError("“现在”应是 datetime，例如 datetime(2025, 12, 31, 23, 59)。")
    events = order_events(row)
    items = [HistoryItem(e.at, e.event, "已发生", e.note) for e in events]
    names = [e.event for e in events]
    if names[-1] in ("拍下", "发货") and now >= events[-1].at:
        paid = events[1].at if len(events) > 1 else None
        shipped = events[2].at if names[-1] == "发货" else None
        method = events[2].note if names[-1] == "发货" else None
        t = order_timeline(events[0].at, paid, shipped, method, now=now)
        if t.deadline is not None:
            items.append(HistoryItem(t.deadline.at, t.deadline.label, "期限",
                                     f"{t.deadline.note}，{format_left(t.left)}"))
    return tuple(items)
