"""``ReminderPlanner()``: the 催付参照时间表 as an interactive planner (unit 10).

Pick when the order was placed, whether the buyer is a repeat buyer and whether
it is a holiday; the planner shows the timetable row, the window, the suggested
time and why (:func:`course_lib.shop.reminders.plan_reminder`).  A second box checks a
reminder time the student proposes (:func:`course_lib.shop.reminders.check_reminder`).
"""
from __future__ import annotations

import html
from datetime import date, datetime, time, timedelta

import ipywidgets as w

from ..shop.reminders import check_reminder, parse_reminder_time, plan_reminder
from ..theme import colour, text_colour
from .base import View, guarded, heading, typed


class ReminderPlanner(View):
    fallback = "【催付计划工具】运行本单元格后，选择拍下时间即可看到建议的催付时间。"

    def __init__(self, placed: datetime = datetime(2025, 10, 2, 21, 30)) -> None:
        super().__init__()
        self.day = w.DatePicker(value=placed.date(), description="拍下日期")
        self.hour = w.Dropdown(options=[(f"{h:02d}时", h) for h in range(24)], value=placed.hour,
                               description="拍下时间", layout=w.Layout(width="190px"))
        self.minute = w.Dropdown(options=[(f"{m:02d}分", m) for m in range(0, 60, 5)],
                                 value=placed.minute - placed.minute % 5, layout=w.Layout(width="90px"))
        self.repeat = w.Checkbox(value=False, description="两次以上购买的老顾客", indent=False)
        self.holiday = w.Checkbox(value=False, description="拍下当天和第二天是节假日", indent=False)
        self.plan_button = w.Button(description="生成催付计划", button_style="primary", icon="clock-o")
        self.plan_button.on_click(lambda _: self._plan())
        self.result = w.HTML()
        self.proposal = typed(w.Text, placeholder="例如：14:30、次日09:30、2025-10-03 10:00", description="我打算在",
                              layout=w.Layout(width="420px"))
        self.check_button = w.Button(description="检查这个时间", icon="check")
        self.check_button.on_click(lambda _: self._check())
        self.check_result = w.HTML()
        header = w.HTML(heading("催付计划工具",
                                "依据：教材的催付参照时间表＋客户休息时间＋本课程的“拍下30分钟后再催”＋拍下1天未付款自动关闭。"))
        self.widget = w.VBox([header, w.HBox([self.day, self.hour, self.minute]),
                              w.HBox([self.repeat, self.holiday]), self.plan_button, self.result,
                              w.HBox([self.proposal, self.check_button]), self.check_result, self.status])
        self.widget.add_class("course-planner")
        for box in (self.day, self.hour, self.minute, self.repeat, self.holiday):   # the plan shown is always for
            box.observe(lambda _: self._inputs_changed(), names="value")          # the time in the boxes
        self._plan()

    @guarded
    def _inputs_changed(self) -> None:
        self.check_result.value = ""
        if self.day.value is not None:
            self._plan()

    def placed_at(self) -> datetime:
        if self.day.value is None:
            raise ValueError("请先选择拍下日期。")
        return datetime.combine(self.day.value, time(self.hour.value, self.minute.value))

    def holidays(self) -> set[date]:
        if not self.holiday.value or self.day.value is None:
            return set()
        return {self.day.value, self.day.value + timedelta(days=1)}

    @guarded
    def _plan(self) -> None:
        plan = plan_reminder(self.placed_at(), repeat_buyer=self.repeat.value, holidays=self.holidays())
        tone = "ok" if plan.feasible else "bad"
        lines = plan.to_text().splitlines()
        notes = "".join(f"<li>{html.escape(line.strip().lstrip('·').strip())}</li>" for line in lines[1:])
        self.result.value = (f"<div style='border-left:4px solid {colour(tone)};padding:4px 10px'>"
                             f"<b style='{text_colour(tone)}'>{html.escape(lines[0])}</b>"
                             f"<div>时间表：{html.escape(plan.row)}</div><ul>{notes}</ul></div>")

    @guarded
    def _check(self) -> None:
        if not self.proposal.value.strip():
            self.check_result.value = f"<div style='{text_colour('warn')}'>请先输入你打算催付的时间。</div>"
            return
        try:
            when = parse_reminder_time(self.proposal.value, self.placed_at())
        except ValueError as error:
            self.check_result.value = f"<div style='{text_colour('warn')}'>{html.escape(str(error))}</div>"
            return
        problems = check_reminder(self.placed_at(), when, repeat_buyer=self.repeat.value, holidays=self.holidays())
        if problems:
            items = "".join(f"<li>{html.escape(p)}</li>" for p in problems)
            self.check_result.value = f"<div style='{text_colour('bad')}'><b>这个时间不合适：</b><ul>{items}</ul></div>"
        else:
            self.check_result.value = f"<div style='{text_colour('ok')}'><b>✔ 这个时间符合催付时间表，也避开了休息时间。</b></div>"
