"""Platform trade timeouts: when an order closes or is confirmed automatically.

Rule source: 教材 (任务二 了解网购平台的交易规则 · 超时规则), the course standard
for unit 04:

* 等待买家付款: the buyer has not paid 1 day after 拍下 → the trade closes
  automatically (客服应及时催付).
* After the seller marks the order 发货, if the buyer neither confirms receipt nor
  asks for a refund in time, the platform confirms receipt for them: 10 days for
  快递, EMS and goods that need no logistics (无需物流), 30 days for 平邮.

The durations are data (:data:`AUTO_CLOSE`, :data:`AUTO_CONFIRM`) so a teacher can
show them; all functions are pure and raise, with a Chinese message, ``TypeError``
when a time is not a ``datetime`` and ``ValueError`` for impossible input (an unknown
logistics method, times out of order).

>>> from datetime import datetime
>>> auto_close_at(datetime(2024, 5, 1, 10, 30))
datetime.datetime(2024, 5, 2, 10, 30)
>>> auto_confirm_at(datetime(2024, 5, 3, 16, 0), "平邮")
datetime.datetime(2024, 6, 2, 16, 0)
>>> order_deadlines(datetime(2024, 5, 1, 10, 30))
{'自动关闭时间': datetime.datetime(2024, 5, 2, 10, 30), '自动确认收货时间': None}
"""
from __future__ import annotations

from datetime import datetime, timedelta
from types import MappingProxyType

from ..text import plain_str, to_halfwidth

LOGISTICS_METHODS = ("快递", "EMS", "无需物流", "平邮")
"""The logistics methods the timeout rule distinguishes (教材)."""

AUTO_CLOSE = timedelta(days=1)
"""An unpaid order closes this long after 拍下."""

AUTO_CONFIRM = MappingProxyType({
    "快递": timedelta(days=10),
    "EMS": timedelta(days=10),
    "无需物流": timedelta(days=10),
    "平邮": timedelta(days=30),
})
"""Time from 发货 to automatic 确认收货, per logistics method (read-only)."""

_METHOD_ALIASES = {"不需要物流": "无需物流", "无物流": "无需物流", "虚拟商品": "无需物流"}

CLOSE_KEY = "自动关闭时间"
CONFIRM_KEY = "自动确认收货时间"


def _check_datetime(value: object, what: str) -> datetime:
    if not isinstance(value, datetime):
        raise TypeError(f"{what}应是 datetime，例如 datetime(2024, 5, 1, 10, 30)。")
    return value


def normalize_method(method: object) -> str:
    """The canonical logistics method name, or ``ValueError`` listing the valid ones.

    Full-width letters, spaces and case are ignored; 「不需要物流」 means 无需物流.

    >>> normalize_method(" ems "), normalize_method("不需要物流")
    ('EMS', '无需物流')
    >>> normalize_method("顺丰")
    Traceback (most recent call last):
    ...
    ValueError: 未知的物流方式「顺丰」，可选：快递、EMS、无需物流、平邮。
    """
    if not isinstance(method, str):
        raise ValueError(f"物流方式应写成文字，可选：{'、'.join(LOGISTICS_METHODS)}。")
    text = to_halfwidth(plain_str(method)).strip()
    key = text.upper() if text.upper() == "EMS" else _METHOD_ALIASES.get(text, text)
    if key not in AUTO_CONFIRM:
        raise ValueError(f"未知的物流方式「{text[:20]}」，可选：{'、'.join(LOGISTICS_METHODS)}。")
    return key


def auto_close_at(placed_at: datetime) -> datetime:
    """When an order still unpaid closes automatically: 1 day after 拍下.

    >>> auto_close_at(datetime(2024, 12, 31, 23, 0))
    datetime.datetime(2025, 1, 1, 23, 0)
    """
    return _check_datetime(placed_at, "拍下时间") + AUTO_CLOSE


def auto_confirm_at(shipped_at: datetime, method: str) -> datetime:
    """When receipt is confirmed automatically after 发货 (快递/EMS/无需物流 10 days, 平邮 30 days).

    >>> auto_confirm_at(datetime(2024, 5, 3, 16, 0), "快递")
    datetime.datetime(2024, 5, 13, 16, 0)
    >>> auto_confirm_at(datetime(2024, 5, 3, 16, 0), "空运")
    Traceback (most recent call last):
    ...
    ValueError: 未知的物流方式「空运」，可选：快递、EMS、无需物流、平邮。
    """
    shipped_at = _check_datetime(shipped_at, "发货时间")
    return shipped_at + AUTO_CONFIRM[normalize_method(method)]


def _when(moment: datetime) -> str:
    return f"{moment.month}月{moment.day}日 {moment:%H:%M}"


def order_deadlines(placed_at: datetime, paid_at: datetime | None = None,
                    shipped_at: datetime | None = None, method: str | None = None) -> dict:
    """The deadlines that apply to an order now, ``None`` where a rule does not apply.

    ``'自动关闭时间'`` applies while the order is unpaid; ``'自动确认收货时间'`` once it has
    been shipped (``method`` is then required).  Impossible timelines (paying after the
    order closed, shipping before paying …) raise ``ValueError`` with a Chinese message.

    >>> placed = datetime(2024, 5, 1, 10, 30)
    >>> order_deadlines(placed, paid_at=datetime(2024, 5, 1, 11, 0))
    {'自动关闭时间': None, '自动确认收货时间': None}
    >>> order_deadlines(placed, datetime(2024, 5, 1, 11, 0), datetime(2024, 5, 2, 9, 0), "EMS")
    {'自动关闭时间': None, '自动确认收货时间': datetime.datetime(2024, 5, 12, 9, 0)}
    >>> order_deadlines(placed, paid_at=datetime(2024, 5, 2, 11, 0))
    Traceback (most recent call last):
    ...
    ValueError: 付款时间（5月2日 11:00）不早于自动关闭时间（5月2日 10:30）：拍下1天未付款，订单已自动关闭，不能再付款。
    """
    placed_at = _check_datetime(placed_at, "拍下时间")
    closes = auto_close_at(placed_at)
    if method is not None:
        method = normalize_method(method)
    if paid_at is None:
        if shipped_at is not None:
            raise ValueError("订单还没有付款，不能发货：请先填写付款时间。")
        return {CLOSE_KEY: closes, CONFIRM_KEY: None}
    paid_at = _check_datetime(paid_at, "付款时间")
    if paid_at < placed_at:
        raise ValueError(f"付款时间（{_when(paid_at)}）早于拍下时间（{_when(placed_at)}），请检查。")
    if paid_at >= closes:
        raise ValueError(f"付款时间（{_when(paid_at)}）不早于自动关闭时间（{_when(closes)}）："
                         "拍下1天未付款，订单已自动关闭，不能再付款。")
    if shipped_at is None:
        return {CLOSE_KEY: None, CONFIRM_KEY: None}
    shipped_at = _check_datetime(shipped_at, "发货时间")
    if shipped_at < paid_at:
        raise ValueError(f"发货时间（{_when(shipped_at)}）早于付款时间（{_when(paid_at)}），请检查。")
    if method is None:
        raise ValueError(f"订单已发货，请填写物流方式，可选：{'、'.join(LOGISTICS_METHODS)}。")
    return {CLOSE_KEY: None, CONFIRM_KEY: shipped_at + AUTO_CONFIRM[method]}
