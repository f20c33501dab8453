"""``OrderTimelineCalculator()``: unit 04's order-timeline calculator as a widget.

Pick when the order was placed, paid and shipped (and how), whether it is a campaign order
and how many days the receipt was extended, and the moment “now”; 「计算」 shows the order's
milestones, its state at that moment, the next deadline with the time left and a hint for
the agent (:func:`course_lib.shop.timeline.order_timeline`).  Times are picked with a date
box and hour/minute lists (no free text: no IME or format trouble); impossible input shows
the rule's Chinese message.  Colours are JupyterLab theme variables (light and dark themes).
Tests set ``.value`` on the controls and call ``calc.compute_button.click()``.
"""
from __future__ import annotations

import html
from datetime import datetime, time, timedelta

import ipywidgets as w

from ..shop.catalogue import END
from ..shop.orders import CLOSED, SUCCESS
from ..shop.timeline import CAMPAIGN_CLOSE_CHOICES, DEADLINE, Timeline, format_left, format_moment, order_timeline
from ..shop.timeouts import LOGISTICS_METHODS
from ..theme import colour, text_colour
from .base import View, guarded, heading

MUTED, WARN, ERROR, GOOD = (text_colour(tone) for tone in ("muted", "warn", "bad", "ok"))  # CSS declarations
LINE = colour("border")
EXTEND_CHOICES = 10            # the widget offers 0–10 days of 延长收货 (a course parameter, not a platform rule)


class MomentPicker:
    """A date box and hour/minute lists (every minute can be chosen: boundaries such as 09:59/10:00 matter)."""

    def __init__(self, label: str, value: datetime, key: str) -> None:
        self.day = w.DatePicker(value=value.date(), description=label, layout=w.Layout(width="260px"))
        self.hour = w.Dropdown(options=[(f"{h:02d}时", h) for h in range(24)], value=value.hour,
                               layout=w.Layout(width="80px"))
        self.minute = w.Dropdown(options=[(f"{m:02d}分", m) for m in range(60)], value=value.minute,
                                 layout=w.Layout(width="80px"))
        self.controls = (self.day, self.hour, self.minute)
        for part, control in zip(("day", "hour", "minute"), self.controls):
            control.add_class(f"course-tl-{key}-{part}")        # stable hooks for browser tests

    def value(self, what: str) -> datetime:
        if self.day.value is None:
            raise ValueError(f"请先选择{what}的日期。")
        return datetime.combine(self.day.value, time(self.hour.value, self.minute.value))

    def set(self, moment: datetime) -> None:
        self.day.value, self.hour.value, self.minute.value = moment.date(), moment.hour, moment.minute

    def enable(self, on: bool) -> None:
        for control in self.controls:
            control.disabled = not on


class OrderTimelineCalculator(View):
    fallback = "【订单时间线计算器】运行本单元格后，填写拍下、付款、发货时间和“现在”，点「计算」即可看到订单的期限。"

    def __init__(self, placed: datetime = datetime(2025, 10, 14, 20, 40), paid: datetime | None = None,
                 shipped: datetime | None = None, method: str = "快递", now: datetime | None = None,
                 campaign: timedelta | None = None, extend_days: int = 0) -> None:
        super().__init__()
        self.placed = MomentPicker("拍下时间", placed, "placed")
        self.campaign = w.Checkbox(value=campaign is not None, description="活动订单（聚划算、秒杀等）", indent=False)
        minutes = [int(c.total_seconds() // 60) for c in CAMPAIGN_CLOSE_CHOICES]
        self.campaign_minutes = w.Dropdown(options=[(f"{m}分钟", m) for m in minutes], description="付款时限",
                                           value=int(campaign.total_seconds() // 60) if campaign in CAMPAIGN_CLOSE_CHOICES
                                           else minutes[-1], layout=w.Layout(width="200px"))
        self.is_paid = w.Checkbox(value=paid is not None, description="已付款", indent=False, layout=w.Layout(width="90px"))
        self.paid = MomentPicker("付款时间", paid or placed + timedelta(minutes=5), "paid")
        self.is_shipped = w.Checkbox(value=shipped is not None, description="已发货", indent=False,
                                     layout=w.Layout(width="90px"))
        self.shipped = MomentPicker("发货时间", shipped or (paid or placed) + timedelta(hours=2), "shipped")
        self.method = w.Dropdown(options=list(LOGISTICS_METHODS), value=method, description="物流方式",
                                 layout=w.Layout(width="200px"))
        self.extend = w.BoundedIntText(value=extend_days, min=0, max=EXTEND_CHOICES,
                                       description=f"延长收货（0–{EXTEND_CHOICES}天，填数字）",
                                       style={"description_width": "initial"}, layout=w.Layout(width="300px"))
        self.now = MomentPicker("现在", now or placed + timedelta(hours=1), "now")
        self.compute_button = w.Button(description="计算", button_style="primary", icon="calculator")
        self.compute_button.on_click(lambda _: self.compute())
        self.end_button = w.Button(description="现在＝数据截止时刻", icon="clock-o", layout=w.Layout(width="auto"))
        self.end_button.on_click(lambda _: self._data_end())
        self.result = w.HTML()
        for name in ("campaign", "campaign_minutes", "is_paid", "is_shipped", "method", "extend", "result"):
            getattr(self, name).add_class(f"course-tl-{name.replace('_', '-')}")
        header = w.HTML(heading("订单时间线计算器", "依据：拍下1天未付款自动关闭（部分活动订单更短）；"
                                "发货后快递、EMS、无需物流10天，平邮30天自动确认收货（可延长收货时间）。"))
        self.widget = w.VBox([
            header, w.HBox(list(self.placed.controls)), w.HBox([self.campaign, self.campaign_minutes]),
            w.HBox([self.is_paid, *self.paid.controls]), w.HBox([self.is_shipped, *self.shipped.controls, self.method]),
            self.extend, w.HBox([*self.now.controls, self.compute_button, self.end_button]), self.result, self.status])
        self.widget.add_class("course-timeline")
        self._sync()
        for control in (*self.placed.controls, self.campaign, self.campaign_minutes, self.is_paid, *self.paid.controls,
                        self.is_shipped, *self.shipped.controls, self.method, self.extend, *self.now.controls):
            control.observe(self._changed, names="value")
        self.compute()

    # -- controls ----------------------------------------------------------------
    def _sync(self) -> None:
        """Shipping needs payment: unticking 已付款 unticks 已发货; unused rows are greyed out."""
        if not self.is_paid.value and self.is_shipped.value:
            self.is_shipped.value = False
        self.campaign_minutes.disabled = not self.campaign.value
        self.paid.enable(self.is_paid.value)
        self.is_shipped.disabled = not self.is_paid.value
        self.shipped.enable(self.is_shipped.value)
        self.method.disabled = self.extend.disabled = not self.is_shipped.value

    @guarded
    def _changed(self, _change=None) -> None:
        self._sync()
        self.result.value = f"<div style='{MUTED}'>参数已修改，请点「计算」。</div>"

    @guarded
    def _data_end(self) -> None:
        self.now.set(END)

    # -- computing ---------------------------------------------------------------
    def timeline(self) -> Timeline:
        """The timeline for the values now in the controls (``ValueError`` for impossible input)."""
        paid = self.paid.value("付款") if self.is_paid.value else None
        shipped = self.shipped.value("发货") if self.is_shipped.value else None
        campaign = timedelta(minutes=self.campaign_minutes.value) if self.campaign.value else None
        return order_timeline(self.placed.value("拍下"), paid, shipped, self.method.value if shipped else None,
                              now=self.now.value("现在"), close_after=campaign,
                              extend_days=self.extend.value if shipped else 0)

    @guarded
    def compute(self) -> None:
        try:
            t = self.timeline()
        except ValueError as error:
            self.result.value = f"<div style='{ERROR}'><b>时间不合理：</b>{html.escape(str(error))}</div>"
            return
        self.result.value = render(t)


def _dot(m, t: Timeline) -> str:
    if m.kind == DEADLINE:
        return f"<span style='{WARN}'>○</span>"
    if m.label == "自动关闭" and t.stage == CLOSED:
        return f"<span style='{ERROR}'>●</span>"
    if m.label == "自动确认收货" and t.stage == SUCCESS:
        return f"<span style='{GOOD}'>●</span>"
    return f"<span style='{MUTED}'>●</span>"


def render(t: Timeline) -> str:
    """The calculator's result as HTML: milestones (with “now” between them), state, deadline, hint."""
    ref = t.milestones[0].at
    rows, now_drawn = [], t.now is None
    for m in t.milestones:
        if not now_drawn and t.now < m.at:
            rows.append(f"<li style='{MUTED};list-style:none'>┈┈ 现在（{format_moment(t.now, ref)}）┈┈</li>")
            now_drawn = True
        note = f"（{html.escape(m.note)}）" if m.note else ""
        tag = f"<span style='{WARN}'>（期限）</span>" if m.kind == DEADLINE else ""
        rows.append(f"<li style='list-style:none'>{_dot(m, t)} {format_moment(m.at, ref)}　"
                    f"{html.escape(m.label)}{note}{tag}</li>")
    if not now_drawn:
        rows.append(f"<li style='{MUTED};list-style:none'>┈┈ 现在（{format_moment(t.now, ref)}）┈┈</li>")
    tone = {CLOSED: "bad", SUCCESS: "ok"}.get(t.stage, "warn" if t.deadline else "muted")
    parts = [f"<div style='border-left:4px solid {colour(tone)};padding:4px 10px'>",
             f"<ul style='margin:4px 0;padding-left:4px'>{''.join(rows)}</ul>",
             f"<div><b>当前状态：<span style='{text_colour(tone)}'>{html.escape(t.stage)}</span></b></div>"]
    if t.deadline is not None and t.left is not None:
        urgent = t.left < timedelta(days=1)
        left = f"<b style='{WARN}'>{format_left(t.left)}</b>" if urgent else format_left(t.left)
        parts.append(f"<div>下一个期限：{format_moment(t.deadline.at, ref)} {html.escape(t.deadline.label)}，{left}</div>")
    parts.append(f"<div>客服提示：{html.escape(t.advice)}</div></div>")
    return "".join(parts)
