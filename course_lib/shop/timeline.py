"""The order-timeline calculator of unit 04: where an order stands and which deadline comes next.

The platform rules themselves live in :mod:`course_lib.shop.timeouts` (教材：超时规则) and are
reused here unchanged: an unpaid order closes **1 day** after 拍下; after 发货 the platform
confirms receipt after **10 days** (快递、EMS、无需物流) or **30 days** (平邮).

This module adds the few pieces the calculator needs on top of those rules:

* **Campaign orders** (some 聚划算/秒杀 items) may close sooner than 1 day, e.g. 15 or 30
  minutes after 拍下: ``close_after`` (between 1 minute and 1 day; default: the platform's 1 day).
* **延长收货时间**: when a parcel is late, the buyer (or the seller, in 千牛) can extend the
  receipt deadline; ``extend_days`` adds whole days to the auto-confirm deadline
  (0 … :data:`MAX_EXTEND_DAYS`; how many days the platform allows is a teacher-editable parameter).
* **Where the order stands at a moment ``now``**: its stage, the next deadline, the time left
  and a one-line hint for the agent (:func:`order_timeline`), plus text helpers for times
  typed by students (:func:`parse_moment`) and for durations (:func:`format_left`).

Everything is pure (no widgets, no clock: ``now`` is always passed in) and raises
``ValueError`` with a Chinese message for impossible input.

>>> t = order_timeline(datetime(2025, 10, 14, 20, 40), now=datetime(2025, 10, 15, 9, 0))
>>> t.stage, format_moment(t.deadline.at), format_left(t.left)
('等待买家付款', '10月15日 20:40', '还剩11小时40分')
>>> t = order_timeline(datetime(2025, 10, 14, 20, 40), datetime(2025, 10, 14, 21, 0),
...                    datetime(2025, 10, 15, 10, 0), "平邮", now=datetime(2025, 11, 10, 9, 0))
>>> t.stage, t.deadline.label, format_moment(t.deadline.at), format_left(t.left)
('卖家已发货', '自动确认收货', '11月14日 10:00', '还剩4天1小时')
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from ..text import plain_str, to_halfwidth
from .orders import CLOSED, PAID, SHIPPED, SUCCESS, WAIT_PAY
from .timeouts import AUTO_CLOSE, AUTO_CONFIRM, normalize_method, order_deadlines

MAX_EXTEND_DAYS = 30
"""Upper bound of ``extend_days`` (a safety limit, not a platform rule; a teacher may change it)."""

CAMPAIGN_CLOSE_CHOICES = (timedelta(minutes=15), timedelta(minutes=30))
"""Closing times the widget offers for campaign orders (SHOP.md: some 聚划算/秒杀 items, 15–30 minutes)."""

HAPPENED = "已发生"
DEADLINE = "期限"


@dataclass(frozen=True)
class Milestone:
    """One point on the timeline: an event that happened or a deadline set by the rules."""

    label: str          # 拍下 / 付款 / 发货 / 自动关闭 / 自动确认收货
    at: datetime
    kind: str           # HAPPENED or DEADLINE
    note: str = ""      # e.g. the logistics method, "活动订单30分钟", "已延长3天"


@dataclass(frozen=True)
class Timeline:
    """Result of :func:`order_timeline`.

    ``milestones`` are in time order.  ``stage`` is the order state at ``now`` (or right after
    the last event when ``now`` is ``None``).  ``deadline`` is the rule that applies at that
    moment (``None`` when none does: waiting for shipment, or the trade has ended) and ``left``
    the time from ``now`` to it (negative once passed; ``None`` without ``now``).
    """

    stage: str
    milestones: tuple[Milestone, ...]
    deadline: Milestone | None
    now: datetime | None
    left: timedelta | None
    advice: str

    def to_text(self) -> str:
        """Plain-text rendering (also the widget's text fallback)."""
        ref = self.milestones[0].at
        lines = ["订单进度（按平台超时规则计算）："]
        for m in self.milestones:
            tag = "（期限）" if m.kind == DEADLINE else ""
            note = f"（{m.note}）" if m.note else ""
            lines.append(f"· {format_moment(m.at, ref)}　{m.label}{note}{tag}")
        when = f"（按{format_moment(self.now, ref)}计算）" if self.now else ""
        lines.append(f"当前状态：{self.stage}{when}")
        if self.deadline is not None:
            left = f"，{format_left(self.left)}" if self.left is not None else ""
            lines.append(f"下一个期限：{format_moment(self.deadline.at, ref)} {self.deadline.label}{left}")
        lines.append(f"客服提示：{self.advice}")
        return "\n".join(lines)


# ---------------------------------------------------------------- text helpers

def format_moment(moment: datetime, ref: datetime | None = None) -> str:
    """``10月15日 20:40``; the year is added when it differs from ``ref``'s year.

    >>> format_moment(datetime(2026, 1, 8, 6, 5), ref=datetime(2025, 12, 29))
    '2026年1月8日 06:05'
    """
    year = f"{moment.year}年" if ref is not None and ref.year != moment.year else ""
    return f"{year}{moment.month}月{moment.day}日 {moment:%H:%M}"


def format_left(delta: timedelta) -> str:
    """A duration as the calculator shows it: ``还剩2天3小时``, ``已过5小时20分``, ``不到1分钟``.

    Seconds are dropped; zero units are left out.

    >>> format_left(timedelta(days=9, hours=23, minutes=59, seconds=59))
    '还剩9天23小时59分'
    >>> format_left(timedelta(hours=-5, minutes=-20)), format_left(timedelta(seconds=30))
    ('已过5小时20分', '不到1分钟')
    """
    if not isinstance(delta, timedelta):
        raise ValueError("时长应是 timedelta，例如 timedelta(hours=3)。")
    past = delta < timedelta(0)
    minutes = int(abs(delta).total_seconds() // 60)
    if minutes == 0:
        return "不到1分钟" if not past else "刚刚过去（不到1分钟）"
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    parts = [f"{days}天" if days else "", f"{hours}小时" if hours else "", f"{mins}分" if mins else ""]
    return ("已过" if past else "还剩") + "".join(parts)


_MOMENT = re.compile(
    r"^(?:(?P<y>\d{4})\s*[-/.年]\s*)?(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?"
    r"\s*(?P<H>\d{1,2})\s*[:：点时]\s*(?P<M>\d{1,2})?\s*分?$")


def parse_moment(text: object, year: int = 2025) -> datetime:
    """A date and time typed by a student: ``2025-10-14 20:40``, ``10月14日 20:40``, ``10/14 8:05``.

    Full-width digits and the Chinese colon are accepted; without a year, ``year`` is used
    (the data period is 2025).  Anything else raises ``ValueError`` with a Chinese example.

    >>> parse_moment("１０月１４日２０：４０")
    datetime.datetime(2025, 10, 14, 20, 40)
    >>> parse_moment("2026-01-08 06:05")
    datetime.datetime(2026, 1, 8, 6, 5)
    >>> parse_moment("明天下午")
    Traceback (most recent call last):
    ...
    ValueError: 时间请写成“2025-10-14 20:40”或“10月14日 20:40”。
    """
    example = "时间请写成“2025-10-14 20:40”或“10月14日 20:40”。"
    if not isinstance(text, str):
        raise ValueError(example)
    match = _MOMENT.match(to_halfwidth(plain_str(text))[:40].strip())
    if not match:
        raise ValueError(example)
    parts = match.groupdict()
    try:
        return datetime(int(parts["y"] or year), int(parts["m"]), int(parts["d"]),
                        int(parts["H"]), int(parts["M"] or 0))
    except ValueError:
        raise ValueError(f"没有这个时间：「{text[:20]}」。{example}") from None


# ---------------------------------------------------------------- the calculator

def _check_close_after(close_after: object) -> timedelta:
    if close_after is None:
        return AUTO_CLOSE
    if not isinstance(close_after, timedelta) or not timedelta(minutes=1) <= close_after <= AUTO_CLOSE:
        raise ValueError("活动订单的付款时限应在1分钟到1天之间，例如 timedelta(minutes=30)。")
    return close_after


def _check_extend(extend_days: object) -> int:
    if isinstance(extend_days, bool) or not isinstance(extend_days, int) or not 0 <= extend_days <= MAX_EXTEND_DAYS:
        raise ValueError(f"延长收货的天数应是0到{MAX_EXTEND_DAYS}之间的整数。")
    return extend_days


def _duration_text(span: timedelta) -> str:
    if span % timedelta(days=1) == timedelta(0):
        return f"{span.days}天"
    if span % timedelta(hours=1) == timedelta(0):
        return f"{int(span.total_seconds() // 3600)}小时"
    return f"{int(span.total_seconds() // 60)}分钟"


def order_timeline(placed_at: datetime, paid_at: datetime | None = None,
                   shipped_at: datetime | None = None, method: str | None = None, *,
                   now: datetime | None = None, close_after: timedelta | None = None,
                   extend_days: int = 0) -> Timeline:
    """Milestones, stage at ``now``, next deadline and a hint for the agent.

    The deadlines come from :func:`.timeouts.order_deadlines` (which also rejects
    impossible timelines); ``close_after`` shortens the payment window of a campaign order and
    ``extend_days`` lengthens the receipt window (延长收货时间).  The buyer confirming receipt
    or asking for a refund stops the auto-confirm clock; the calculator leaves those out
    (unit 05's workbench reads them from the order table, :mod:`.order_lookup`).

    >>> t = order_timeline(datetime(2025, 11, 11, 0, 5), now=datetime(2025, 11, 11, 0, 50),
    ...                    close_after=timedelta(minutes=30))
    >>> t.stage, t.milestones[-1].label, format_moment(t.milestones[-1].at)
    ('交易关闭', '自动关闭', '11月11日 00:35')
    >>> order_timeline(datetime(2025, 10, 1, 9, 0), datetime(2025, 10, 1, 9, 5), now=datetime(2025, 10, 1, 8, 0))
    Traceback (most recent call last):
    ...
    ValueError: 计算时刻（10月1日 08:00）早于付款时间（10月1日 09:05）：请把“现在”设在已经发生的事件之后。
    """
    close_span = _check_close_after(close_after)
    extend = _check_extend(extend_days)
    # The platform rule (1 day) checks the times and gives the confirm deadline.
    standard = order_deadlines(placed_at, paid_at, shipped_at, method)
    closes = placed_at + close_span
    campaign = close_after is not None and close_span != AUTO_CLOSE
    close_note = f"活动订单{_duration_text(close_span)}" if campaign else "拍下1天未付款"
    if paid_at is not None and paid_at >= closes:
        raise ValueError(f"付款时间（{format_moment(paid_at)}）不早于自动关闭时间（{format_moment(closes)}）："
                         f"{close_note}，订单已自动关闭，不能再付款。")

    events = [("拍下", placed_at, "")]
    if paid_at is not None:
        events.append(("付款", paid_at, ""))
    if shipped_at is not None:
        events.append(("发货", shipped_at, normalize_method(method)))
    if now is not None:
        if not isinstance(now, datetime) or (now.tzinfo is None) != (placed_at.tzinfo is None):
            raise ValueError("“现在”应是和拍下时间同一种写法的 datetime，例如 datetime(2025, 10, 15, 9, 0)。")
        label, moment, _ = events[-1]
        if now < moment:
            raise ValueError(f"计算时刻（{format_moment(now)}）早于{label}时间（{format_moment(moment)}）："
                             "请把“现在”设在已经发生的事件之后。")
    milestones = [Milestone(label, at, HAPPENED, note) for label, at, note in events]

    if paid_at is None:
        deadline = Milestone("自动关闭", closes, DEADLINE, close_note)
        if now is not None and now >= closes:
            milestones.append(Milestone("自动关闭", closes, HAPPENED, close_note))
            return Timeline(CLOSED, tuple(milestones), None, now, None,
                            f"订单已在{format_moment(closes, placed_at)}自动关闭，不能再付款；买家还想要的话，请他重新拍下。")
        milestones.append(deadline)
        campaign_text = "（活动订单的付款时限比平时短，催付要更早）" if campaign else ""
        return Timeline(WAIT_PAY, tuple(milestones), deadline, now, _left(deadline, now),
                        f"买家还没付款，订单将在{format_moment(closes, placed_at)}自动关闭{campaign_text}。"
                        "需要催付的话，一定要赶在关闭之前；关闭以后买家只能重新拍下。")
    if shipped_at is None:
        return Timeline(PAID, tuple(milestones), None, now, None,
                        "买家已付款，还没发货，这时没有自动确认收货的期限；发货以后才开始计算。")

    confirm = standard["自动确认收货时间"] + timedelta(days=extend)
    days = AUTO_CONFIRM[normalize_method(method)].days
    note = f"{normalize_method(method)}{days}天" + (f"，已延长{extend}天" if extend else "")
    if now is not None and now >= confirm:
        milestones.append(Milestone("自动确认收货", confirm, HAPPENED, note))
        return Timeline(SUCCESS, tuple(milestones), None, now, None,
                        f"系统已在{format_moment(confirm, placed_at)}自动确认收货，交易成功，货款由支付宝打给卖家。")
    deadline = Milestone("自动确认收货", confirm, DEADLINE, note)
    milestones.append(deadline)
    return Timeline(SHIPPED, tuple(milestones), deadline, now, _left(deadline, now),
                    f"买家没有确认收货、也没有申请退款的，系统将在{format_moment(confirm, placed_at)}自动确认收货。"
                    "买家说还没收到货，先帮他查物流；快到期限还没收到的，可以为买家延长收货时间。")


def _left(deadline: Milestone, now: datetime | None) -> timedelta | None:
    return None if now is None else deadline.at - now
