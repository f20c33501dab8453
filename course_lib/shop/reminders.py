"""The 催付 (payment reminder) planner of unit 10: plan, check and space out reminders.

The rules are in :mod:`course_lib.shop.timetable` (教材's 表4.1 催付参照时间表, the rest
hours, this course's 30-minute first wait) and :mod:`course_lib.shop.timeouts` (an unpaid
order closes 1 day after 拍下, so a reminder after that is useless).  The 教材 also says
不要使用同一种方法重复催付，并且催付频率不应太高: :func:`check_frequency`.

本课程对催付时间表的解读（拍下时间按 [起, 止) 划分，四段正好覆盖一整天）::

    拍下时间                    催付时间                     窗口（最早 → 最晚）
    06:00–11:00 上午11点前      当天下午15点前               拍下30分钟后 → 当天15:00前
    11:00–15:00 下午15点前      当天发货前                   拍下30分钟后 → 当天发货截止前（禾悦优选16:00）
    15:00–22:00 晚上22点前      第二天中午前（下午上班前）   拍下30分钟后 → 第二天12:00前
    22:00–06:00 00:00以后       第二天12点以后               拍下后遇到的第一个12:00 → 不设上限
    两次以上购买的顾客          拍下商品48小时后             拍下后48小时 → 不设上限

* 第一次催付至少等到拍下30分钟以后：很多顾客拍下后会自己付款，催得太早反而打扰顾客
  （行业做法是拍下后15–30分钟，本课程取30分钟，见 ReminderRules.first_wait）。
* 「00:00以后」指深夜和凌晨下单的“夜猫子”买家：22:00–24:00 和 00:00–06:00 拍下的订单都
  等买家睡醒后的那个中午再催——22:00以后拍下的是次日12:00，凌晨拍下的是当天12:00
  （对熬夜的买家来说就是“第二天”）。06:00以后拍下的算作上午的订单。
* 时间表只给出窗口，还要避开休息时间：09:00以前、12:00–14:00午休、22:00以后
  不催付；节假日再延后1小时（10:00以前、12:00–15:00不催付）。建议时间 = 窗口内第一个
  可以催付的时刻，而且必须早于订单自动关闭时间（拍下后1天）。
* 两次以上购买的顾客“拍下48小时后”晚于自动关闭时间（1天），按平台规则已来不及，
  计划会标明“无法按时间表催付”，并给出补救时间：关闭前最后一段可催付时间的开始。
* 边界时刻归后一段：正好11:00拍下按「下午15点前」，15:00按「晚上22点前」，22:00和00:00
  按「00:00以后」，06:00按「上午11点前」。
* 第二次催付（最多两次）至少隔2小时，并换一种方式（ReminderRules.second_gap）。

>>> from datetime import datetime
>>> plan = plan_reminder(datetime(2024, 5, 6, 7, 30))
>>> plan.row, plan.suggested
('上午11点前 → 当天下午15点前', datetime.datetime(2024, 5, 6, 9, 0))
>>> plan_reminder(datetime(2024, 5, 6, 23, 10)).suggested
datetime.datetime(2024, 5, 7, 14, 0)
>>> check_reminder(datetime(2024, 5, 6, 10, 0), datetime(2024, 5, 6, 12, 30))
['5月6日 12:30是客户休息时间（12:00–14:00是午休时间），催付会打扰客户。']
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from ..text import plain_str, to_halfwidth
from .timeouts import AUTO_CLOSE, auto_close_at
from .timetable import (
    CHANNELS,
    DEFAULT,
    ReminderRules,
    _check_datetime,
    _first_allowed,
    _holidays,
    _last_stretch_start,
    _when,
    rest_reason,
    timetable_row,
)

# ---------------------------------------------------------------- planning

@dataclass(frozen=True)
class ReminderPlan:
    """When to remind the buyer of one order.

    ``earliest``/``latest`` is the timetable window (``latest`` is ``None`` when the
    row sets no deadline); ``suggested`` is the first moment in the window that is not
    a rest hour and is before ``closes_at``.  When there is none, ``feasible`` is
    ``False``, ``suggested`` is ``None`` and ``fallback`` is the best moment left
    (``None`` if none); ``notes`` explain every shift in Chinese.
    """

    placed_at: datetime
    row: str
    earliest: datetime
    latest: datetime | None
    suggested: datetime | None
    closes_at: datetime
    feasible: bool
    fallback: datetime | None = None
    notes: tuple[str, ...] = ()

    def to_text(self) -> str:
        """A short Chinese summary for the notebook.

        >>> print(plan_reminder(datetime(2024, 5, 6, 12, 30)).to_text().splitlines()[0])
        建议催付时间：5月6日 14:00
        """
        head = (f"建议催付时间：{_when(self.suggested)}" if self.suggested is not None
                else "无法按时间表催付" + (f"，补救时间：{_when(self.fallback)}" if self.fallback else ""))
        return "\n".join([head, *("  · " + note for note in self.notes)])


def _span(earliest: datetime, latest: datetime | None) -> str:
    if latest is None:
        return f"{_when(earliest)}以后"
    if latest <= earliest:
        return f"{_when(latest)}以前"
    return f"{_when(earliest)}以后、{_when(latest)}以前"


def plan_reminder(placed_at: datetime, repeat_buyer: bool = False,
                  holidays: Iterable[date] = frozenset(), rules: ReminderRules = DEFAULT) -> ReminderPlan:
    """Plan the reminder of one unpaid order (timetable + rest hours + auto-close).

    >>> plan = plan_reminder(datetime(2024, 5, 6, 12, 30))
    >>> plan.row, plan.latest, plan.suggested
    ('下午15点前 → 当天发货前', datetime.datetime(2024, 5, 6, 16, 0), datetime.datetime(2024, 5, 6, 14, 0))
    >>> plan.notes[1]
    '5月6日 13:00处于休息时间（12:00–14:00是午休时间），顺延到5月6日 14:00。'
    >>> late = plan_reminder(datetime(2024, 5, 6, 10, 0), repeat_buyer=True)
    >>> late.feasible, late.suggested, late.fallback
    (False, None, datetime.datetime(2024, 5, 7, 9, 0))
    """
    placed_at = _check_datetime(placed_at, "拍下时间")
    holidays = _holidays(holidays)
    row = timetable_row(placed_at, repeat_buyer)
    earliest, latest = row.window(placed_at, rules)
    closes = auto_close_at(placed_at)
    limit = closes if latest is None else min(latest, closes)
    suggested = _first_allowed(earliest, limit, holidays, rules)
    notes = [f"按催付时间表「{row.text}」，应在{_span(earliest, latest)}催付。"]
    if repeat_buyer:
        notes.append("两次以上购买的顾客对店铺有信任感，也了解商品，不必着急催付。")
    fallback = None
    if suggested is not None:
        if suggested > earliest:
            notes.append(f"{_when(earliest)}处于休息时间（{rest_reason(earliest, holidays, rules)}），"
                         f"顺延到{_when(suggested)}。")
        shown = suggested
    elif earliest >= closes:
        fallback = _last_stretch_start(placed_at, closes, holidays, rules)
        notes.append(f"但订单拍下{AUTO_CLOSE.days}天未付款会在{_when(closes)}自动关闭，"
                     f"等到{_when(earliest)}就来不及了，无法按时间表催付。")
        notes.append(f"补救：在自动关闭前最后一段可催付时间（{_when(fallback)}起）催付。" if fallback
                     else "补救：订单关闭前已没有可催付的时间。")
        shown = fallback
    else:
        if earliest >= limit:
            notes.append(f"催付窗口在{_when(limit)}就结束了，拍下时已经错过，无法按时间表催付。")
        else:
            notes.append(f"窗口内（{_when(earliest)}–{_when(limit)}）都是休息时间"
                         f"（{rest_reason(earliest, holidays, rules)}），无法按时间表催付。")
        fallback = _first_allowed(earliest, closes, holidays, rules)
        notes.append(f"补救：窗口结束后第一个可催付的时间（{_when(fallback)}）尽快催付。" if fallback
                     else "补救：订单关闭前已没有可催付的时间。")
        shown = fallback
    if shown is not None and shown.date() in holidays:
        start, lunch_start, lunch_end, _ = rules.holiday_hours()
        notes.append(f"{shown.month}月{shown.day}日是节假日，催付比平日延后：{start:%H:%M}以前和"
                     f"{lunch_start:%H:%M}–{lunch_end:%H:%M}不催付。")
    notes.append(f"订单将在{_when(closes)}自动关闭（拍下后{AUTO_CLOSE.days}天未付款）。")
    return ReminderPlan(placed_at, row.text, earliest, latest, suggested, closes,
                        suggested is not None, fallback, tuple(notes))


def check_reminder(placed_at: datetime, reminded_at: datetime, repeat_buyer: bool = False,
                   holidays: Iterable[date] = frozenset(), rules: ReminderRules = DEFAULT) -> list[str]:
    """Chinese problems of reminding at ``reminded_at`` (an empty list means fine).

    >>> placed = datetime(2024, 5, 6, 10, 0)
    >>> check_reminder(placed, datetime(2024, 5, 6, 10, 30))
    []
    >>> check_reminder(placed, datetime(2024, 5, 6, 10, 5))
    ['拍下后至少等30分钟再催付（5月6日 10:30以后），5月6日 10:05太早了：很多顾客会自己付款，催得太早会打扰顾客。']
    >>> check_reminder(placed, datetime(2024, 5, 6, 16, 0))
    ['按催付时间表「上午11点前 → 当天下午15点前」，应在5月6日 15:00以前催付，5月6日 16:00太晚了。']
    """
    placed_at = _check_datetime(placed_at, "拍下时间")
    reminded_at = _check_datetime(reminded_at, "催付时间")
    if reminded_at < placed_at:
        return [f"催付时间（{_when(reminded_at)}）早于拍下时间（{_when(placed_at)}）：订单还没拍下，不能催付。"]
    holidays = _holidays(holidays)
    problems = []
    closes = auto_close_at(placed_at)
    if reminded_at >= closes:
        problems.append(f"订单已在{_when(closes)}自动关闭（拍下后{AUTO_CLOSE.days}天未付款），这时催付已经晚了。")
    reason = rest_reason(reminded_at, holidays, rules)
    if reason:
        problems.append(f"{_when(reminded_at)}是客户休息时间（{reason}），催付会打扰客户。")
    row = timetable_row(placed_at, repeat_buyer)
    earliest, latest = row.window(placed_at, rules)
    first = placed_at + rules.first_wait
    if reminded_at < first and earliest <= first:
        minutes = int(rules.first_wait.total_seconds() // 60)
        problems.append(f"拍下后至少等{minutes}分钟再催付（{_when(first)}以后），{_when(reminded_at)}太早了："
                        "很多顾客会自己付款，催得太早会打扰顾客。")
    elif reminded_at < earliest:
        problems.append(f"按催付时间表「{row.text}」，应在{_when(earliest)}以后催付，{_when(reminded_at)}太早了。")
    elif latest is not None and reminded_at >= latest:
        problems.append(f"按催付时间表「{row.text}」，应在{_when(latest)}以前催付，{_when(reminded_at)}太晚了。")
    return problems


def _fold(text: str) -> str:
    return "".join(to_halfwidth(text).split()).lower()


def check_frequency(reminder_times: Iterable[datetime], methods: Iterable[str],
                    rules: ReminderRules = DEFAULT) -> list[str]:
    """Chinese problems with how often and how one order was reminded (教材).

    Flags more than ``rules.max_reminders`` reminders, two reminders less than
    ``rules.second_gap`` apart and the same method used twice in a row (in time order).

    >>> t = [datetime(2024, 5, 6, 10, 0), datetime(2024, 5, 6, 16, 0)]
    >>> check_frequency(t, ["千牛消息", "短信"])
    []
    >>> check_frequency(t, ["短信", "短信"])
    ['第1次和第2次催付都用了「短信」：不要用同一种方法重复催付，可以换成千牛消息、电话。']
    >>> check_frequency([datetime(2024, 5, 6, 10, 0), datetime(2024, 5, 6, 11, 0)], ["千牛消息", "电话"])
    ['第1次和第2次催付只隔了60分钟：两次催付至少隔2小时，催得太密容易引起客户反感。']
    """
    times = [_check_datetime(t, "催付时间") for t in reminder_times]
    methods = list(methods)
    if len(times) != len(methods):
        raise ValueError(f"催付时间有{len(times)}个，催付方式有{len(methods)}个，两者应一一对应。")
    for method in methods:
        if not isinstance(method, str):
            raise TypeError("催付方式应写成文字，例如 \"短信\"。")
    pairs = sorted(zip(times, (plain_str(m).strip() for m in methods)), key=lambda pair: pair[0])
    problems = []
    if len(pairs) > rules.max_reminders:
        problems.append(f"同一订单催付了{len(pairs)}次，超过{rules.max_reminders}次：催付频率太高，容易引起客户反感。")
    for i in range(1, len(pairs)):
        gap = pairs[i][0] - pairs[i - 1][0]
        if gap < rules.second_gap:
            problems.append(f"第{i}次和第{i + 1}次催付只隔了{int(gap.total_seconds() // 60)}分钟：两次催付至少隔"
                            f"{_hours(rules.second_gap)}，催得太密容易引起客户反感。")
        method = pairs[i][1]
        if _fold(method) == _fold(pairs[i - 1][1]):
            others = [c for c in CHANNELS if _fold(c) != _fold(method)]
            problems.append(f"第{i}次和第{i + 1}次催付都用了「{method}」：不要用同一种方法重复催付，"
                            f"可以换成{'、'.join(others)}。")
    return problems


def _hours(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    return f"{minutes // 60}小时" if minutes % 60 == 0 else f"{minutes}分钟"


def plan_second_reminder(placed_at: datetime, first_at: datetime, holidays: Iterable[date] = frozenset(),
                         rules: ReminderRules = DEFAULT) -> datetime | None:
    """The earliest moment for a second reminder: ``rules.second_gap`` after the first, outside rest hours,
    before the order closes; ``None`` when no such moment is left.

    >>> plan_second_reminder(datetime(2024, 5, 6, 10, 0), datetime(2024, 5, 6, 10, 30))
    datetime.datetime(2024, 5, 6, 14, 0)
    >>> plan_second_reminder(datetime(2024, 5, 6, 10, 0), datetime(2024, 5, 7, 9, 0)) is None
    True
    """
    placed_at = _check_datetime(placed_at, "拍下时间")
    first_at = _check_datetime(first_at, "第一次催付时间")
    return _first_allowed(first_at + rules.second_gap, auto_close_at(placed_at), _holidays(holidays), rules)


_TIME = re.compile(r"^(?:(\d{4})-(\d{1,2})-(\d{1,2})\s*|(今天|当天|明天|次日|第二天)\s*)?(\d{1,2})[:：](\d{2})$")


def parse_reminder_time(text: str, placed: datetime) -> datetime:
    """A reminder time typed as ``"14:30"`` (the day of 拍下), ``"次日09:30"`` or ``"2025-10-03 10:00"``.

    >>> parse_reminder_time("次日９：３０", datetime(2025, 10, 2, 21, 30))
    datetime.datetime(2025, 10, 3, 9, 30)
    """
    match = _TIME.match(to_halfwidth(text).strip())
    if not match:
        raise ValueError("时间请写成“14:30”“次日09:30”或“2025-10-03 10:00”。")
    year, month, day, word, hour, minute = match.groups()
    if year:
        base = date(int(year), int(month), int(day))
    else:
        base = placed.date() + timedelta(days=1 if word in ("明天", "次日", "第二天") else 0)
    if not (0 <= int(hour) <= 23 and 0 <= int(minute) <= 59):
        raise ValueError("小时应在0–23之间，分钟应在0–59之间。")
    return datetime.combine(base, time(int(hour), int(minute)))
