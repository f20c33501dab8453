"""表4.1 催付参照时间表 and the customers' rest hours, as data and rules (unit 10).

Rule sources, all course standards:

* 教材, 表4.1 催付参照时间表 — when to remind, by the clock time of 拍下:
  上午11点前 → 当天下午15点前; 下午15点前 → 当天发货前; 晚上22点前 → 第二天中午前
  (下午上班前); 00:00以后 → 第二天12点以后; 两次以上购买的顾客 → 拍下商品48小时后.
* 教材 — rest hours: remind 上午9:00以后、下午14:00以后, later still on holidays,
  so as not to disturb the buyer.
* 本课程 — the first reminder waits at least 30 minutes after 拍下 (time for the buyer to
  pay on their own; industry practice is 15–30 minutes); a second reminder comes at least
  2 hours after the first, by another method.

The timetable is data (:data:`TIMETABLE`); every clock value a teacher may want to
change (rest hours, holiday delay, the shop's shipping cut-off from ``data/standards.yaml``,
the first wait, the repeat-buyer delay, the maximum number of reminders) is a field of
:class:`ReminderRules`.  Planning a reminder
from these rules is :mod:`course_lib.shop.reminders`.

>>> timetable_row(datetime(2024, 5, 6, 7, 30)).text
'上午11点前 → 当天下午15点前'
>>> rest_reason(datetime(2024, 5, 6, 12, 30))
'12:00–14:00是午休时间'
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from ..settings import standards

NIGHT_END = time(6, 0)        # 凌晨拍下的订单算到06:00为止；06:00以后算上午
MORNING_END = time(11, 0)     # 上午11点前
AFTERNOON_END = time(15, 0)   # 下午15点前（也是上午订单的催付截止时间）
EVENING_END = time(22, 0)     # 晚上22点前
NOON = time(12, 0)            # 第二天中午（下午上班前）/ 第二天12点以后

CHANNELS = ("千牛消息", "短信", "电话")
"""Reminder channels named in the 教材 (催付工具), used to suggest an alternative."""


def _add(clock: time, delta: timedelta) -> time:
    seconds = clock.hour * 3600 + clock.minute * 60 + clock.second + delta.total_seconds()
    if not 0 <= seconds < 24 * 3600:
        raise ValueError(f"时间 {clock:%H:%M} 加上 {delta} 超出了一天的范围。")
    seconds = int(seconds)
    return time(seconds // 3600, seconds % 3600 // 60, seconds % 60)


@dataclass(frozen=True)
class ReminderRules:
    """Teacher-editable 催付 rules; the defaults are the seed values.

    Reminders are allowed in ``[day_start, lunch_start)`` and ``[lunch_end, day_end)``;
    on a holiday ``day_start`` and ``lunch_end`` move ``holiday_delay`` later.

    >>> ReminderRules(holiday_delay=timedelta(minutes=30)).holiday_hours()
    (datetime.time(9, 30), datetime.time(12, 0), datetime.time(14, 30), datetime.time(22, 0))
    >>> ReminderRules(day_start=time(13, 0))
    Traceback (most recent call last):
    ...
    ValueError: 催付规则的时间顺序不对：应满足 上班时间 < 午休开始 ≤ 午休结束 < 下班时间。
    """

    day_start: time = time(9, 0)                        # 教材：上午9:00以后
    lunch_start: time = time(12, 0)                     # 午休开始（中午）
    lunch_end: time = time(14, 0)                       # 教材：下午14:00以后
    day_end: time = time(22, 0)                         # 22:00以后不打扰客户
    holiday_delay: timedelta = timedelta(hours=1)       # 教材：节假日进一步延后
    shipping_cutoff: time = field(default_factory=lambda: standards().shipping_cutoff)  # 店铺的发货截止时间
    repeat_buyer_delay: timedelta = timedelta(hours=48)  # 教材：两次以上购买的顾客
    max_reminders: int = 2                              # 同一订单最多催付几次
    first_wait: timedelta = timedelta(minutes=30)       # 本课程：拍下后至少等30分钟，给顾客自己付款的时间
    second_gap: timedelta = timedelta(hours=2)          # 本课程：第二次催付至少隔2小时，并换一种方式

    def __post_init__(self) -> None:
        for name in ("day_start", "lunch_start", "lunch_end", "day_end", "shipping_cutoff"):
            if not isinstance(getattr(self, name), time):
                raise TypeError(f"{name} 应是 time，例如 time(9, 0)。")
        for name in ("holiday_delay", "repeat_buyer_delay", "first_wait", "second_gap"):
            value = getattr(self, name)
            if not isinstance(value, timedelta) or value < timedelta(0):
                raise ValueError(f"{name} 应是不小于0的 timedelta，例如 timedelta(hours=1)。")
        if isinstance(self.max_reminders, bool) or not isinstance(self.max_reminders, int) \
                or self.max_reminders < 1:
            raise ValueError("max_reminders 应是不小于1的整数。")
        if not self.day_start < self.lunch_start <= self.lunch_end < self.day_end:
            raise ValueError("催付规则的时间顺序不对：应满足 上班时间 < 午休开始 ≤ 午休结束 < 下班时间。")
        start, _, end, _ = self.holiday_hours()
        if not (start < self.day_end and end < self.day_end):
            raise ValueError("节假日延后的时间太长：延后后当天已经没有可以催付的时间。")

    def holiday_hours(self) -> tuple[time, time, time, time]:
        """``(day_start, lunch_start, lunch_end, day_end)`` on a holiday.

        >>> DEFAULT.holiday_hours()[0]
        datetime.time(10, 0)
        """
        return (_add(self.day_start, self.holiday_delay), self.lunch_start,
                _add(self.lunch_end, self.holiday_delay), self.day_end)


DEFAULT = ReminderRules()


def _at(moment: datetime, clock: time, days: int = 0) -> datetime:
    """``clock`` on the day of ``moment`` (+ ``days``), keeping its time zone."""
    return datetime.combine(moment.date() + timedelta(days=days), clock, tzinfo=moment.tzinfo)


def _when(moment: datetime) -> str:
    return f"{moment.month}月{moment.day}日 {moment:%H:%M}"


def _check_datetime(value: object, what: str) -> datetime:
    if not isinstance(value, datetime):
        raise TypeError(f"{what}应是 datetime，例如 datetime(2024, 5, 1, 10, 30)。")
    return value


def _holidays(holidays: Iterable[date] | None) -> frozenset[date]:
    out = set()
    for day in holidays or ():
        if isinstance(day, datetime):
            day = day.date()
        if not isinstance(day, date):
            raise TypeError("节假日应是日期，例如 {date(2024, 10, 1)}。")
        out.add(day)
    return frozenset(out)


# ---------------------------------------------------------------- the timetable

def _window_morning(placed: datetime, rules: ReminderRules) -> tuple[datetime, datetime | None]:
    return placed + rules.first_wait, _at(placed, AFTERNOON_END)


def _window_afternoon(placed: datetime, rules: ReminderRules) -> tuple[datetime, datetime | None]:
    return placed + rules.first_wait, _at(placed, rules.shipping_cutoff)


def _window_evening(placed: datetime, rules: ReminderRules) -> tuple[datetime, datetime | None]:
    return placed + rules.first_wait, _at(placed, NOON, days=1)


def _window_night(placed: datetime, rules: ReminderRules) -> tuple[datetime, datetime | None]:
    noon = _at(placed, NOON)
    return max(placed + rules.first_wait, noon if placed < noon else _at(placed, NOON, days=1)), None


def _window_repeat(placed: datetime, rules: ReminderRules) -> tuple[datetime, datetime | None]:
    return placed + max(rules.repeat_buyer_delay, rules.first_wait), None


@dataclass(frozen=True)
class TimetableRow:
    """One row of 表4.1 催付参照时间表, with the clock range of 拍下 it covers.

    ``start``/``end`` bound the 拍下 clock time as ``[start, end)`` (``end < start``
    means the range crosses midnight); both are ``None`` for the repeat-buyer row.
    ``window(placed_at, rules)`` gives ``(earliest, latest or None)``.
    """

    placed: str
    remind: str
    start: time | None
    end: time | None
    rule: str
    window: Callable[[datetime, ReminderRules], tuple[datetime, datetime | None]]

    @property
    def text(self) -> str:
        """The row as the seed prints it: 拍下时间 → 催付时间."""
        return f"{self.placed} → {self.remind}"

    def covers(self, clock: time) -> bool:
        """Whether an order placed at ``clock`` falls in this row (never for the repeat-buyer row).

        >>> TIMETABLE[3].covers(time(23, 0)), TIMETABLE[3].covers(time(6, 0))
        (True, False)
        """
        if self.start is None or self.end is None:
            return False
        if self.start <= self.end:
            return self.start <= clock < self.end
        return clock >= self.start or clock < self.end


TIMETABLE = (
    TimetableRow("上午11点前", "当天下午15点前", NIGHT_END, MORNING_END,
                 "06:00–11:00拍下：拍下30分钟后可以催付，最晚当天15:00以前。", _window_morning),
    TimetableRow("下午15点前", "当天发货前", MORNING_END, AFTERNOON_END,
                 "11:00–15:00拍下：拍下30分钟后可以催付，最晚当天发货截止时间以前"
                 "（「禾悦优选」是16:00，见 ReminderRules.shipping_cutoff）。", _window_afternoon),
    TimetableRow("晚上22点前", "第二天中午前（下午上班前）", AFTERNOON_END, EVENING_END,
                 "15:00–22:00拍下：拍下30分钟后可以催付，最晚第二天12:00以前。", _window_evening),
    TimetableRow("00:00以后", "第二天12点以后", EVENING_END, NIGHT_END,
                 "22:00–次日06:00（深夜、凌晨）拍下：等买家睡醒，拍下后遇到的第一个12:00以后再催付"
                 "（22:00以后拍下是次日12:00，凌晨拍下是当天12:00），不设最晚时间。", _window_night),
    TimetableRow("两次以上购买的顾客", "拍下商品48小时后", None, None,
                 "老顾客信任店铺、了解商品，不必着急：拍下48小时后再催付"
                 "（见 ReminderRules.repeat_buyer_delay）。", _window_repeat),
)
"""表4.1 催付参照时间表 as data; the four clock rows cover the whole day exactly once."""


def timetable_row(placed_at: datetime, repeat_buyer: bool = False) -> TimetableRow:
    """The timetable row that applies to an order placed at ``placed_at``.

    >>> timetable_row(datetime(2024, 5, 6, 11, 0)).text
    '下午15点前 → 当天发货前'
    >>> timetable_row(datetime(2024, 5, 6, 0, 0)).text
    '00:00以后 → 第二天12点以后'
    """
    placed_at = _check_datetime(placed_at, "拍下时间")
    if repeat_buyer:
        return next(row for row in TIMETABLE if row.start is None)
    clock = placed_at.time()
    return next(row for row in TIMETABLE if row.covers(clock))


# ---------------------------------------------------------------- rest hours

def _day_hours(day: date, holidays: frozenset[date], rules: ReminderRules) -> tuple[time, time, time, time]:
    if day in holidays:
        return rules.holiday_hours()
    return rules.day_start, rules.lunch_start, rules.lunch_end, rules.day_end


def _stretches(day: date, tz, holidays: frozenset[date], rules: ReminderRules) -> list[tuple[datetime, datetime]]:
    """The allowed reminder periods ``[start, end)`` of one day."""
    start, lunch_start, lunch_end, end = _day_hours(day, holidays, rules)
    out = []
    for a, b in ((start, lunch_start), (max(start, lunch_end), end)):
        if a < b:
            out.append((datetime.combine(day, a, tzinfo=tz), datetime.combine(day, b, tzinfo=tz)))
    return out


def rest_reason(moment: datetime, holidays: Iterable[date] = frozenset(),
                rules: ReminderRules = DEFAULT) -> str | None:
    """Why ``moment`` is a rest hour (Chinese), or ``None`` if a reminder is allowed then.

    >>> rest_reason(datetime(2024, 5, 6, 8, 59))
    '09:00以前是客户休息时间'
    >>> rest_reason(datetime(2024, 10, 1, 14, 30), holidays={date(2024, 10, 1)})
    '节假日12:00–15:00是午休时间'
    >>> rest_reason(datetime(2024, 5, 6, 14, 0)) is None
    True
    """
    moment = _check_datetime(moment, "时间")
    holidays = _holidays(holidays)
    holiday = moment.date() in holidays
    start, lunch_start, lunch_end, end = _day_hours(moment.date(), holidays, rules)
    prefix = "节假日" if holiday else ""
    clock = moment.time()
    if clock < start and clock < lunch_start:
        return f"{prefix}{start:%H:%M}以前是客户休息时间"
    if lunch_start <= clock < max(start, lunch_end):
        return f"{prefix}{lunch_start:%H:%M}–{max(start, lunch_end):%H:%M}是午休时间"
    if clock >= end:
        return f"{end:%H:%M}以后是客户休息时间"
    return None


def is_allowed(moment: datetime, holidays: Iterable[date] = frozenset(),
               rules: ReminderRules = DEFAULT) -> bool:
    """Whether a reminder at ``moment`` respects the rest hours.

    >>> is_allowed(datetime(2024, 5, 6, 9, 0)), is_allowed(datetime(2024, 5, 6, 22, 0))
    (True, False)
    """
    return rest_reason(moment, holidays, rules) is None


def next_allowed(moment: datetime, holidays: Iterable[date] = frozenset(),
                 rules: ReminderRules = DEFAULT) -> datetime:
    """The first moment at or after ``moment`` when a reminder is allowed.

    >>> next_allowed(datetime(2024, 5, 6, 22, 30))
    datetime.datetime(2024, 5, 7, 9, 0)
    >>> next_allowed(datetime(2024, 5, 6, 22, 30), holidays={date(2024, 5, 7)})
    datetime.datetime(2024, 5, 7, 10, 0)
    """
    moment = _check_datetime(moment, "时间")
    holidays = _holidays(holidays)
    day = moment.date()
    while True:                      # every day has an allowed stretch (checked by ReminderRules)
        for start, end in _stretches(day, moment.tzinfo, holidays, rules):
            if moment < end:
                return max(start, moment)
        day += timedelta(days=1)


def _first_allowed(start: datetime, end: datetime, holidays: frozenset[date],
                   rules: ReminderRules) -> datetime | None:
    if start >= end:
        return None
    found = next_allowed(start, holidays, rules)
    return found if found < end else None


def _last_stretch_start(start: datetime, end: datetime, holidays: frozenset[date],
                        rules: ReminderRules) -> datetime | None:
    """The start of the last allowed period that overlaps ``[start, end)``."""
    day = end.date()
    while day >= start.date():
        for a, b in reversed(_stretches(day, start.tzinfo, holidays, rules)):
            a, b = max(a, start), min(b, end)
            if a < b:
                return a
        day -= timedelta(days=1)
    return None
