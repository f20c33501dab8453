"""The 催付 planner (unit 10): timetable rows, rest hours, holidays, auto-close, frequency."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from course_lib.shop import reminders
from course_lib.shop.reminders import check_frequency, check_reminder, plan_reminder, plan_second_reminder
from course_lib.shop.timetable import (
    DEFAULT,
    TIMETABLE,
    ReminderRules,
    is_allowed,
    next_allowed,
    rest_reason,
    timetable_row,
)

D = date(2024, 5, 6)            # an ordinary Monday
HOLIDAY = date(2024, 10, 1)


def at(hour, minute=0, day=D, days=0, second=0):
    return datetime.combine(day + timedelta(days=days), time(hour, minute, second))


def oracle_allowed(moment, holidays=frozenset(), rules=DEFAULT):
    """Rest hours recomputed in minutes of the day, independently of the module."""
    def minutes(clock):
        return clock.hour * 60 + clock.minute + clock.second / 60 + clock.microsecond / 60e6
    delay = rules.holiday_delay.total_seconds() / 60 if moment.date() in holidays else 0
    now = minutes(moment.time())
    start, lunch_start = minutes(rules.day_start) + delay, minutes(rules.lunch_start)
    lunch_end, end = minutes(rules.lunch_end) + delay, minutes(rules.day_end)
    return (start <= now < lunch_start) or (max(start, lunch_end) <= now < end)


# ---------------------------------------------------------------- rules and timetable data

def test_default_rules_are_the_course_values():
    assert (DEFAULT.day_start, DEFAULT.lunch_start, DEFAULT.lunch_end, DEFAULT.day_end) == (
        time(9), time(12), time(14), time(22))
    assert DEFAULT.holiday_delay == timedelta(hours=1)
    assert DEFAULT.shipping_cutoff == time(16)                 # the shop's cut-off, from data/standards.yaml
    assert DEFAULT.first_wait == timedelta(minutes=30) and DEFAULT.second_gap == timedelta(hours=2)
    assert DEFAULT.repeat_buyer_delay == timedelta(hours=48)
    assert DEFAULT.max_reminders == 2
    assert DEFAULT.holiday_hours() == (time(10), time(12), time(15), time(22))


@pytest.mark.parametrize("kwargs,error,message", [
    (dict(day_start=time(13)), ValueError, "时间顺序不对"),
    (dict(lunch_end=time(11)), ValueError, "时间顺序不对"),
    (dict(day_end=time(14)), ValueError, "时间顺序不对"),
    (dict(holiday_delay=timedelta(hours=-1)), ValueError, "不小于0"),
    (dict(holiday_delay=timedelta(hours=9)), ValueError, "节假日延后的时间太长"),
    (dict(max_reminders=0), ValueError, "max_reminders"),
    (dict(max_reminders=True), ValueError, "max_reminders"),
    (dict(shipping_cutoff="17:00"), TypeError, "shipping_cutoff"),
])
def test_rules_are_validated(kwargs, error, message):
    with pytest.raises(error, match=message):
        ReminderRules(**kwargs)


def test_timetable_keeps_the_seed_wording():
    assert [row.text for row in TIMETABLE] == [
        "上午11点前 → 当天下午15点前",
        "下午15点前 → 当天发货前",
        "晚上22点前 → 第二天中午前（下午上班前）",
        "00:00以后 → 第二天12点以后",
        "两次以上购买的顾客 → 拍下商品48小时后",
    ]
    assert all(row.rule for row in TIMETABLE)


def test_clock_rows_cover_every_minute_exactly_once():
    for minute in range(24 * 60):
        clock = time(minute // 60, minute % 60)
        assert sum(row.covers(clock) for row in TIMETABLE) == 1, clock
    assert not TIMETABLE[4].covers(time(10))


@pytest.mark.parametrize("clock,row", [
    (time(0, 0), 3), (time(3, 0), 3), (time(5, 59, 59), 3), (time(6, 0), 0), (time(8, 0), 0),
    (time(10, 59, 59), 0), (time(11, 0), 1), (time(13, 0), 1), (time(14, 59), 1), (time(15, 0), 2),
    (time(18, 0), 2), (time(21, 59), 2), (time(22, 0), 3), (time(23, 59), 3),
])
def test_timetable_row_boundaries(clock, row):
    assert timetable_row(datetime.combine(D, clock)) is TIMETABLE[row]


def test_repeat_buyers_use_their_own_row_at_any_time():
    for hour in (0, 10, 13, 18, 23):
        assert timetable_row(at(hour), repeat_buyer=True).text == "两次以上购买的顾客 → 拍下商品48小时后"


# ---------------------------------------------------------------- rest hours

@pytest.mark.parametrize("moment,holiday,reason", [
    (at(0, 0), False, "09:00以前是客户休息时间"),
    (at(8, 59, second=59), False, "09:00以前是客户休息时间"),
    (at(9, 0), False, None),
    (at(11, 59), False, None),
    (at(12, 0), False, "12:00–14:00是午休时间"),
    (at(13, 59), False, "12:00–14:00是午休时间"),
    (at(14, 0), False, None),
    (at(21, 59), False, None),
    (at(22, 0), False, "22:00以后是客户休息时间"),
    (at(23, 30), False, "22:00以后是客户休息时间"),
    (at(9, 30, day=HOLIDAY), True, "节假日10:00以前是客户休息时间"),
    (at(10, 0, day=HOLIDAY), True, None),
    (at(14, 30, day=HOLIDAY), True, "节假日12:00–15:00是午休时间"),
    (at(15, 0, day=HOLIDAY), True, None),
    (at(22, 0, day=HOLIDAY), True, "22:00以后是客户休息时间"),
])
def test_rest_hours(moment, holiday, reason):
    holidays = {HOLIDAY} if holiday else set()
    assert rest_reason(moment, holidays) == reason
    assert is_allowed(moment, holidays) is (reason is None)


def test_a_holiday_only_shifts_its_own_date():
    assert is_allowed(at(9, 30, day=HOLIDAY), holidays={date(2024, 10, 2)})
    assert not is_allowed(at(9, 30, day=HOLIDAY), holidays={datetime(2024, 10, 1, 0, 0)})  # datetimes accepted


def test_holiday_delay_is_a_parameter():
    rules = ReminderRules(holiday_delay=timedelta(hours=2))
    assert not is_allowed(at(10, 30, day=HOLIDAY), {HOLIDAY}, rules)
    assert is_allowed(at(11, 0, day=HOLIDAY), {HOLIDAY}, rules)
    assert rest_reason(at(15, 30, day=HOLIDAY), {HOLIDAY}, rules) == "节假日12:00–16:00是午休时间"


@pytest.mark.parametrize("moment,expected", [
    (at(8, 0), at(9, 0)), (at(10, 0), at(10, 0)), (at(12, 0), at(14, 0)), (at(22, 0), at(9, 0, days=1)),
    (at(23, 59), at(9, 0, days=1)),
])
def test_next_allowed(moment, expected):
    assert next_allowed(moment) == expected


def test_next_allowed_skips_into_a_holiday_morning():
    assert next_allowed(at(22, 30, day=date(2024, 9, 30)), {HOLIDAY}) == at(10, 0, day=HOLIDAY)


# ---------------------------------------------------------------- plans, row by row

@pytest.mark.parametrize("placed,earliest,latest,suggested", [
    # 上午11点前 → 当天下午15点前
    (at(6, 0), at(6, 30), at(15, 0), at(9, 0)),            # 30 minutes after 拍下, then the rest hours
    (at(7, 30), at(8, 0), at(15, 0), at(9, 0)),
    (at(9, 0), at(9, 30), at(15, 0), at(9, 30)),
    (at(10, 59), at(11, 29), at(15, 0), at(11, 29)),
    # 下午15点前 → 当天发货前 (cut-off 17:00)
    (at(11, 0), at(11, 30), at(16, 0), at(11, 30)),          # 「当天发货前」: the shop's 16:00
    (at(12, 30), at(13, 0), at(16, 0), at(14, 0)),
    (at(14, 59), at(15, 29), at(16, 0), at(15, 29)),
    # 晚上22点前 → 第二天中午前
    (at(15, 0), at(15, 30), at(12, 0, days=1), at(15, 30)),
    (at(18, 45), at(19, 15), at(12, 0, days=1), at(19, 15)),
    (at(21, 59), at(22, 29), at(12, 0, days=1), at(9, 0, days=1)),   # 22:29 is a rest hour: next morning
    # 00:00以后 → 第二天12点以后 (the first noon after 拍下, moved out of the lunch rest)
    (at(0, 0), at(12, 0), None, at(14, 0)),
    (at(3, 20), at(12, 0), None, at(14, 0)),
    (at(5, 59), at(12, 0), None, at(14, 0)),
    (at(22, 0), at(12, 0, days=1), None, at(14, 0, days=1)),
    (at(23, 59), at(12, 0, days=1), None, at(14, 0, days=1)),
])
def test_plan_by_timetable_row(placed, earliest, latest, suggested):
    plan = plan_reminder(placed)
    assert (plan.earliest, plan.latest, plan.suggested) == (earliest, latest, suggested)
    assert plan.feasible and plan.fallback is None
    assert plan.closes_at == placed + timedelta(days=1)


def test_plan_notes_explain_the_row_and_the_shift():
    plan = plan_reminder(at(7, 30))
    assert plan.row == "上午11点前 → 当天下午15点前"
    assert plan.notes == (
        "按催付时间表「上午11点前 → 当天下午15点前」，应在5月6日 08:00以后、5月6日 15:00以前催付。",
        "5月6日 08:00处于休息时间（09:00以前是客户休息时间），顺延到5月6日 09:00。",
        "订单将在5月7日 07:30自动关闭（拍下后1天未付款）。",
    )
    assert len(plan_reminder(at(10, 0)).notes) == 2       # 10:30: no shift, no shift note
    assert "建议催付时间：5月6日 09:00" in plan.to_text()


def test_shipping_cutoff_is_a_parameter():
    plan = plan_reminder(at(13, 0), rules=ReminderRules(shipping_cutoff=time(16, 30)))
    assert plan.latest == at(16, 30) and plan.suggested == at(14, 0)


def test_seconds_and_time_zones_are_kept():
    assert plan_reminder(at(10, 15, second=30)).suggested == at(10, 45, second=30)
    beijing = timezone(timedelta(hours=8))
    placed = datetime(2024, 5, 6, 23, 0, tzinfo=beijing)
    plan = plan_reminder(placed)
    assert plan.suggested == datetime(2024, 5, 7, 14, 0, tzinfo=beijing)
    assert plan.suggested.utcoffset() == timedelta(hours=8)


# ---------------------------------------------------------------- holidays

@pytest.mark.parametrize("placed,suggested", [
    (at(8, 0, day=HOLIDAY), at(10, 0, day=HOLIDAY)),        # not before 10:00
    (at(9, 30, day=HOLIDAY), at(10, 0, day=HOLIDAY)),
    (at(10, 30, day=HOLIDAY), at(11, 0, day=HOLIDAY)),
    (at(12, 30, day=HOLIDAY), at(15, 0, day=HOLIDAY)),      # not 14:00–15:00
    (at(14, 0, day=HOLIDAY), at(15, 0, day=HOLIDAY)),
    (at(0, 0, day=HOLIDAY), at(15, 0, day=HOLIDAY)),        # night row, noon → 15:00
    (at(22, 30, day=date(2024, 9, 30)), at(15, 0, day=HOLIDAY)),
    (at(21, 0, day=date(2024, 9, 30)), at(21, 30, day=date(2024, 9, 30))),  # the holiday is tomorrow
])
def test_holiday_plans(placed, suggested):
    plan = plan_reminder(placed, holidays={HOLIDAY})
    assert plan.suggested == suggested
    if suggested.date() == HOLIDAY:
        assert "10月1日是节假日，催付比平日延后：10:00以前和12:00–15:00不催付。" in plan.notes
    else:
        assert not any("节假日" in note for note in plan.notes)


def test_holiday_note_names_the_reason():
    plan = plan_reminder(at(12, 30, day=HOLIDAY), holidays={HOLIDAY})
    assert "10月1日 13:00处于休息时间（节假日12:00–15:00是午休时间），顺延到10月1日 15:00。" in plan.notes


def test_a_normal_day_ignores_other_holidays():
    assert plan_reminder(at(8, 0), holidays={HOLIDAY}).suggested == at(9, 0)


# ---------------------------------------------------------------- repeat buyers and impossible windows

@pytest.mark.parametrize("placed,fallback", [
    (at(10, 0), at(9, 0, days=1)),      # closes 5月7日 10:00: last stretch 09:00–10:00
    (at(9, 30), at(9, 0, days=1)),
    (at(8, 0), at(14, 0)),              # closes 5月7日 08:00: last stretch is 5月6日 14:00–22:00
    (at(23, 0), at(14, 0, days=1)),
    (at(15, 0), at(14, 0, days=1)),
])
def test_repeat_buyers_cannot_wait_48_hours(placed, fallback):
    plan = plan_reminder(placed, repeat_buyer=True)
    assert plan.earliest == placed + timedelta(hours=48) and plan.latest is None
    assert not plan.feasible and plan.suggested is None
    assert plan.fallback == fallback
    assert "两次以上购买的顾客对店铺有信任感，也了解商品，不必着急催付。" in plan.notes
    assert any("自动关闭" in note and "来不及" in note for note in plan.notes)
    assert plan.to_text().startswith("无法按时间表催付，补救时间：")


def test_repeat_buyer_delay_is_a_parameter():
    rules = ReminderRules(repeat_buyer_delay=timedelta(hours=20))
    plan = plan_reminder(at(10, 0), repeat_buyer=True, rules=rules)
    assert plan.earliest == at(6, 0, days=1)
    assert plan.feasible and plan.suggested == at(9, 0, days=1)


def test_window_entirely_inside_the_holiday_lunch_rest():
    rules = ReminderRules(shipping_cutoff=time(15, 0))
    plan = plan_reminder(at(12, 30, day=HOLIDAY), holidays={HOLIDAY}, rules=rules)
    assert (plan.earliest, plan.latest) == (at(13, 0, day=HOLIDAY), at(15, 0, day=HOLIDAY))
    assert not plan.feasible and plan.suggested is None
    assert plan.fallback == at(15, 0, day=HOLIDAY)
    assert any("都是休息时间" in note for note in plan.notes)


def test_window_entirely_inside_the_lunch_rest():
    plan = plan_reminder(at(12, 10), rules=ReminderRules(shipping_cutoff=time(13, 0)))
    assert not plan.feasible and plan.fallback == at(14, 0)


def test_window_already_over_when_placed():
    plan = plan_reminder(at(14, 50), rules=ReminderRules(shipping_cutoff=time(14, 0)))
    assert not plan.feasible and plan.fallback == at(15, 20)      # the 30-minute wait still applies
    assert any("已经错过" in note for note in plan.notes)
    assert plan.notes[0] == "按催付时间表「下午15点前 → 当天发货前」，应在5月6日 14:00以前催付。"


# ---------------------------------------------------------------- checking a given reminder

PLACED = at(10, 0)


@pytest.mark.parametrize("reminded,expected", [
    (at(10, 30), []),
    (at(14, 59), []),
    (at(10, 29), ["拍下后至少等30分钟再催付（5月6日 10:30以后），5月6日 10:29太早了：很多顾客会自己付款，催得太早会打扰顾客。"]),
    (at(9, 59), ["催付时间（5月6日 09:59）早于拍下时间（5月6日 10:00）：订单还没拍下，不能催付。"]),
    (at(12, 30), ["5月6日 12:30是客户休息时间（12:00–14:00是午休时间），催付会打扰客户。"]),
    (at(15, 0), ["按催付时间表「上午11点前 → 当天下午15点前」，应在5月6日 15:00以前催付，5月6日 15:00太晚了。"]),
    (at(22, 30, days=1), [
        "订单已在5月7日 10:00自动关闭（拍下后1天未付款），这时催付已经晚了。",
        "5月7日 22:30是客户休息时间（22:00以后是客户休息时间），催付会打扰客户。",
        "按催付时间表「上午11点前 → 当天下午15点前」，应在5月6日 15:00以前催付，5月7日 22:30太晚了。",
    ]),
])
def test_check_reminder_morning_order(reminded, expected):
    assert check_reminder(PLACED, reminded) == expected


def test_check_reminder_night_order_too_early():
    assert check_reminder(at(23, 0), at(10, 0, days=1)) == [
        "按催付时间表「00:00以后 → 第二天12点以后」，应在5月7日 12:00以后催付，5月7日 10:00太早了。"]
    assert check_reminder(at(23, 0), at(14, 0, days=1)) == []


def test_check_reminder_on_a_holiday_and_for_repeat_buyers():
    assert check_reminder(at(9, 0, day=HOLIDAY), at(14, 30, day=HOLIDAY), holidays={HOLIDAY}) == [
        "10月1日 14:30是客户休息时间（节假日12:00–15:00是午休时间），催付会打扰客户。"]
    problems = check_reminder(PLACED, at(16, 0), repeat_buyer=True)
    assert problems == ["按催付时间表「两次以上购买的顾客 → 拍下商品48小时后」，应在5月8日 10:00以后催付，5月6日 16:00太早了。"]


# ---------------------------------------------------------------- frequency

def test_frequency_fine():
    assert check_frequency([at(10), at(16)], ["千牛消息", "短信"]) == []
    assert check_frequency([], []) == []


def test_frequency_same_method_twice_in_time_order():
    # listed out of order: in time order it is 千牛消息, 千牛消息, 电话
    problems = check_frequency([at(10), at(20), at(15)], ["千牛消息", "电话", "千牛消息 "])
    assert problems == [
        "同一订单催付了3次，超过2次：催付频率太高，容易引起客户反感。",
        "第1次和第2次催付都用了「千牛消息」：不要用同一种方法重复催付，可以换成短信、电话。",
    ]


def test_frequency_three_different_methods_is_still_too_many():
    assert check_frequency([at(10), at(15), at(20)], ["千牛消息", "短信", "电话"]) == [
        "同一订单催付了3次，超过2次：催付频率太高，容易引起客户反感。"]
    assert check_frequency([at(10), at(15), at(20)], ["千牛消息", "短信", "电话"],
                           rules=ReminderRules(max_reminders=3)) == []


def test_frequency_other_method_names_and_mismatches():
    assert check_frequency([at(10), at(14)], ["微信", "微信"]) == [
        "第1次和第2次催付都用了「微信」：不要用同一种方法重复催付，可以换成千牛消息、短信、电话。"]


def test_frequency_two_reminders_need_two_hours_between():
    assert check_frequency([at(10), at(12)], ["千牛消息", "短信"]) == []
    assert check_frequency([at(10), at(11, 59)], ["千牛消息", "短信"]) == [
        "第1次和第2次催付只隔了119分钟：两次催付至少隔2小时，催得太密容易引起客户反感。"]
    assert check_frequency([at(10), at(11)], ["千牛消息", "短信"], rules=ReminderRules(second_gap=timedelta(hours=1))) == []


def test_second_reminder_plan():
    assert plan_second_reminder(at(10), at(10, 30)) == at(14)             # 12:30 is lunch: 14:00
    assert plan_second_reminder(at(19), at(20, 30)) == at(9) + timedelta(days=1)   # 22:30 is night: 09:00
    assert plan_second_reminder(at(8), at(21)) is None                  # next allowed is after the order closes
    with pytest.raises(ValueError, match="催付时间有2个，催付方式有1个"):
        check_frequency([at(10), at(11)], ["短信"])


# ---------------------------------------------------------------- properties

placed_times = st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2030, 12, 31)).map(
    lambda moment: moment.replace(second=0, microsecond=0))
holiday_offsets = st.sets(st.integers(-1, 3), max_size=3)


def _minutes_between(start, end):
    """Minute-aligned moments in [start, end)."""
    moment = start
    if moment.second or moment.microsecond:
        moment = moment.replace(second=0, microsecond=0) + timedelta(minutes=1)
    while moment < end:
        yield moment
        moment += timedelta(minutes=1)


def _check_plan(placed, repeat, holidays, rules):
    plan = plan_reminder(placed, repeat_buyer=repeat, holidays=holidays, rules=rules)
    closes = placed + timedelta(days=1)
    assert plan.closes_at == closes
    limit = closes if plan.latest is None else min(plan.latest, closes)
    if plan.feasible:
        assert placed <= plan.earliest <= plan.suggested < limit
        assert oracle_allowed(plan.suggested, holidays, rules)
        # it is the first allowed minute of the window
        assert not any(oracle_allowed(m, holidays, rules) for m in _minutes_between(plan.earliest, plan.suggested))
        assert check_reminder(placed, plan.suggested, repeat, holidays, rules) == []
    else:
        assert plan.suggested is None
        assert not any(oracle_allowed(m, holidays, rules) for m in _minutes_between(plan.earliest, limit))
        if plan.fallback is not None:
            assert placed <= plan.fallback < closes and oracle_allowed(plan.fallback, holidays, rules)


@given(placed_times, st.booleans(), holiday_offsets)
def test_plan_never_suggests_rest_hours_or_closed_orders(placed, repeat, offsets):
    holidays = {placed.date() + timedelta(days=k) for k in offsets}
    _check_plan(placed, repeat, holidays, DEFAULT)


@st.composite
def rule_sets(draw):
    day_start = draw(st.integers(6 * 60, 10 * 60))
    lunch_start = draw(st.integers(day_start + 1, 13 * 60))
    lunch_end = draw(st.integers(lunch_start, lunch_start + 150))
    day_end = draw(st.integers(max(lunch_end + 1, 19 * 60), 23 * 60 + 59))
    delay = draw(st.integers(0, min(180, day_end - lunch_end - 1)))
    cutoff = draw(st.integers(9 * 60, 20 * 60))
    repeat = draw(st.integers(0, 72 * 60))

    def clock(minutes):
        return time(minutes // 60, minutes % 60)
    return ReminderRules(clock(day_start), clock(lunch_start), clock(lunch_end), clock(day_end),
                         timedelta(minutes=delay), clock(cutoff), timedelta(minutes=repeat))


@given(placed_times, st.booleans(), holiday_offsets, rule_sets())
def test_plan_respects_any_valid_rules(placed, repeat, offsets, rules):
    holidays = {placed.date() + timedelta(days=k) for k in offsets}
    _check_plan(placed, repeat, holidays, rules)


@given(placed_times, st.integers(0, 30 * 60), st.booleans(), holiday_offsets)
def test_check_reminder_flags_exactly_rest_hours_and_closed_orders(placed, minutes_after, repeat, offsets):
    holidays = {placed.date() + timedelta(days=k) for k in offsets}
    reminded = placed + timedelta(minutes=minutes_after)
    problems = check_reminder(placed, reminded, repeat, holidays)
    assert any("休息时间" in p for p in problems) is (not oracle_allowed(reminded, holidays))
    assert any("自动关闭" in p for p in problems) is (reminded >= placed + timedelta(days=1))


def test_before_placing_is_the_only_problem_reported():
    assert len(check_reminder(at(10, 0), at(3, 0))) == 1


@given(st.lists(st.tuples(placed_times, st.sampled_from(["千牛消息", "短信", "电话"])), max_size=6))
def test_frequency_flags_match_a_recount(pairs):
    times = [t for t, _ in pairs]
    methods = [m for _, m in pairs]
    problems = check_frequency(times, methods)
    ordered = [m for _, m in sorted(pairs, key=lambda p: p[0])]
    repeats = sum(a == b for a, b in zip(ordered, ordered[1:]))
    assert sum("不要用同一种方法重复催付" in p for p in problems) == repeats
    times_in_order = sorted(times)
    close = sum(b - a < timedelta(hours=2) for a, b in zip(times_in_order, times_in_order[1:]))
    assert sum("至少隔2小时" in p for p in problems) == close
    assert any("频率太高" in p for p in problems) is (len(pairs) > 2)


# ---------------------------------------------------------------- import discipline

def test_the_module_documents_its_interpretation():
    doc = reminders.__doc__
    for phrase in ("00:00以后", "22:00–06:00", "第二天12点以后", "48小时", "节假日"):
        assert phrase in doc
