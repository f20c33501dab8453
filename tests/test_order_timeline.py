"""Order-timeline calculator of unit 04 (course_lib.shop.timeline): hand-computed cases and properties."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from course_lib.shop.orders import CLOSED, PAID, SHIPPED, SUCCESS, WAIT_PAY
from course_lib.shop.timeline import DEADLINE, HAPPENED, format_left, format_moment, order_timeline, parse_moment
from course_lib.shop.timeouts import AUTO_CONFIRM, LOGISTICS_METHODS

PLACED = datetime(2025, 10, 14, 20, 40)
PAID_AT = datetime(2025, 10, 15, 9, 30)
SHIPPED_AT = datetime(2025, 10, 15, 16, 0)


# ---------------------------------------------------------------- hand-computed stages

def test_unpaid_order_waits_until_one_day_after_placing():
    t = order_timeline(PLACED, now=datetime(2025, 10, 15, 18, 40))
    assert t.stage == WAIT_PAY
    assert t.deadline.label == "自动关闭" and t.deadline.at == datetime(2025, 10, 15, 20, 40)
    assert t.left == timedelta(hours=2)
    assert "赶在关闭之前" in t.advice


def test_unpaid_order_is_closed_exactly_at_the_deadline():
    t = order_timeline(PLACED, now=datetime(2025, 10, 15, 20, 40))
    assert t.stage == CLOSED and t.deadline is None and t.left is None
    assert [(m.label, m.kind) for m in t.milestones] == [("拍下", HAPPENED), ("自动关闭", HAPPENED)]
    assert "重新拍下" in t.advice


def test_campaign_order_closes_after_thirty_minutes():
    placed = datetime(2025, 11, 11, 0, 5)
    open_ = order_timeline(placed, now=datetime(2025, 11, 11, 0, 20), close_after=timedelta(minutes=30))
    assert open_.stage == WAIT_PAY and open_.deadline.at == datetime(2025, 11, 11, 0, 35)
    assert open_.deadline.note == "活动订单30分钟" and "活动订单" in open_.advice
    assert format_left(open_.left) == "还剩15分"
    closed = order_timeline(placed, now=datetime(2025, 11, 11, 0, 35), close_after=timedelta(minutes=30))
    assert closed.stage == CLOSED


def test_campaign_payment_after_its_close_is_impossible():
    with pytest.raises(ValueError, match="活动订单30分钟，订单已自动关闭"):
        order_timeline(datetime(2025, 11, 11, 0, 5), datetime(2025, 11, 11, 0, 40),
                       close_after=timedelta(minutes=30))


def test_one_day_close_after_is_the_ordinary_rule():
    t = order_timeline(PLACED, close_after=timedelta(days=1))
    assert t.deadline.note == "拍下1天未付款" and "活动订单" not in t.advice


def test_paid_not_shipped_has_no_deadline():
    t = order_timeline(PLACED, PAID_AT, now=datetime(2025, 10, 15, 10, 0))
    assert t.stage == PAID and t.deadline is None and t.left is None
    assert [m.label for m in t.milestones] == ["拍下", "付款"]


@pytest.mark.parametrize("method,confirm", [
    ("快递", datetime(2025, 10, 25, 16, 0)),
    ("EMS", datetime(2025, 10, 25, 16, 0)),
    ("无需物流", datetime(2025, 10, 25, 16, 0)),
    ("平邮", datetime(2025, 11, 14, 16, 0)),
])
def test_shipped_order_auto_confirms_by_method(method, confirm):
    t = order_timeline(PLACED, PAID_AT, SHIPPED_AT, method, now=datetime(2025, 10, 20, 12, 0))
    assert t.stage == SHIPPED and t.deadline.at == confirm and t.deadline.kind == DEADLINE
    assert t.left == confirm - datetime(2025, 10, 20, 12, 0)


def test_extension_moves_the_confirm_deadline():
    t = order_timeline(PLACED, PAID_AT, SHIPPED_AT, "快递", now=datetime(2025, 10, 26, 9, 0), extend_days=3)
    assert t.stage == SHIPPED and t.deadline.at == datetime(2025, 10, 28, 16, 0)
    assert t.deadline.note == "快递10天，已延长3天"


def test_auto_confirmed_order_is_successful():
    t = order_timeline(PLACED, PAID_AT, SHIPPED_AT, "快递", now=datetime(2025, 10, 25, 16, 0))
    assert t.stage == SUCCESS and t.deadline is None
    assert t.milestones[-1].label == "自动确认收货" and t.milestones[-1].kind == HAPPENED


def test_without_now_the_stage_follows_the_last_event():
    assert order_timeline(PLACED).stage == WAIT_PAY
    assert order_timeline(PLACED, PAID_AT, SHIPPED_AT, "平邮").stage == SHIPPED


def test_text_rendering_lists_every_milestone_and_the_year_change():
    t = order_timeline(datetime(2025, 12, 30, 10, 0), datetime(2025, 12, 30, 10, 5),
                       datetime(2025, 12, 30, 15, 0), "快递", now=datetime(2025, 12, 31, 23, 59))
    text = t.to_text()
    assert "12月30日 10:00　拍下" in text and "2026年1月9日 15:00　自动确认收货（快递10天）（期限）" in text
    assert "当前状态：卖家已发货（按12月31日 23:59计算）" in text
    assert "还剩8天15小时1分" in text


# ---------------------------------------------------------------- bad input: Chinese messages

@pytest.mark.parametrize("kwargs,message", [
    (dict(close_after=timedelta(days=2)), "1分钟到1天之间"),
    (dict(close_after=30), "1分钟到1天之间"),
    (dict(extend_days=-1), "0到30之间的整数"),
    (dict(extend_days=True), "0到30之间的整数"),
    (dict(now=datetime(2025, 10, 14, 20, 0)), "早于拍下时间"),
    (dict(now="明天"), "同一种写法"),
])
def test_bad_parameters_are_explained(kwargs, message):
    with pytest.raises(ValueError, match=message):
        order_timeline(PLACED, **kwargs)


def test_impossible_timelines_use_the_platform_rules_messages():
    with pytest.raises(ValueError, match="不能发货"):
        order_timeline(PLACED, None, SHIPPED_AT, "快递")
    with pytest.raises(ValueError, match="未知的物流方式「顺丰」"):
        order_timeline(PLACED, PAID_AT, SHIPPED_AT, "顺丰")
    with pytest.raises(ValueError, match="请填写物流方式"):
        order_timeline(PLACED, PAID_AT, SHIPPED_AT)


@pytest.mark.parametrize("text,expected", [
    ("2025-10-14 20:40", datetime(2025, 10, 14, 20, 40)),
    ("2025/10/14 8:05", datetime(2025, 10, 14, 8, 5)),
    ("10月14日 20:40", datetime(2025, 10, 14, 20, 40)),
    ("10月14日20点", datetime(2025, 10, 14, 20, 0)),
    ("２０２６年１月８日　６：０５", datetime(2026, 1, 8, 6, 5)),
])
def test_parse_moment_accepts_common_ways_of_writing(text, expected):
    assert parse_moment(text) == expected


@pytest.mark.parametrize("text", ["", "明天下午", "2025-02-30 10:00", "10-14 25:00", None, 20251014])
def test_parse_moment_rejects_with_an_example(text):
    with pytest.raises(ValueError, match="2025-10-14 20:40"):
        parse_moment(text)


def test_format_helpers():
    assert format_left(timedelta(0)) == "不到1分钟"
    assert format_left(timedelta(days=1)) == "还剩1天"
    assert format_left(-timedelta(days=2, minutes=1)) == "已过2天1分"
    assert format_moment(datetime(2025, 1, 2, 3, 4)) == "1月2日 03:04"


# ---------------------------------------------------------------- properties

moments = st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2030, 12, 31))


@given(placed=moments, pay=st.integers(0, 24 * 60 - 1), ship=st.integers(0, 60 * 24 * 7),
       method=st.sampled_from(LOGISTICS_METHODS), extend=st.integers(0, 30), later=st.integers(0, 60 * 24 * 60))
def test_shipped_orders_confirm_after_the_rule_plus_extension(placed, pay, ship, method, extend, later):
    paid = placed + timedelta(minutes=pay)
    shipped = paid + timedelta(minutes=ship)
    now = shipped + timedelta(minutes=later)
    t = order_timeline(placed, paid, shipped, method, now=now, extend_days=extend)
    confirm = shipped + AUTO_CONFIRM[method] + timedelta(days=extend)
    assert t.stage == (SUCCESS if now >= confirm else SHIPPED)
    assert [m.at for m in t.milestones] == sorted(m.at for m in t.milestones)
    assert t.milestones[-1].at == confirm
    if t.stage == SHIPPED:
        assert t.left == confirm - now > timedelta(0)


@given(placed=moments, minutes=st.integers(1, 24 * 60), later=st.integers(0, 3 * 24 * 60))
def test_unpaid_orders_close_after_their_window(placed, minutes, later):
    now = placed + timedelta(minutes=later)
    t = order_timeline(placed, now=now, close_after=timedelta(minutes=minutes))
    assert t.stage == (CLOSED if later >= minutes else WAIT_PAY)
    assert t.milestones[-1].at == placed + timedelta(minutes=minutes)


@given(st.text(max_size=60))
def test_parse_moment_never_fails_with_anything_but_a_chinese_value_error(text):
    try:
        result = parse_moment(text)
    except ValueError as error:
        assert "时间" in str(error)
    else:
        assert isinstance(result, datetime)


@given(st.datetimes(min_value=datetime(1000, 1, 1), max_value=datetime(9999, 12, 31)))
def test_parse_moment_round_trips_what_the_notebook_prints(moment):
    moment = moment.replace(second=0, microsecond=0)
    assert parse_moment(moment.strftime("%Y-%m-%d %H:%M")) == moment
    assert parse_moment(f"{moment.month}月{moment.day}日 {moment:%H:%M}", year=moment.year) == moment


@given(st.timedeltas(min_value=timedelta(days=-400), max_value=timedelta(days=400)))
def test_format_left_always_says_before_or_after(delta):
    text = format_left(delta)
    assert text.startswith(("还剩", "已过", "不到", "刚刚"))
    assert ("已过" in text or "刚刚" in text) == (delta <= -timedelta(minutes=1) or -timedelta(minutes=1) < delta < timedelta(0))


# ---------------------------------------------------------------- the widget (driven like a student, no browser)

def test_calculator_widget_cases_of_the_notebook():
    from course_lib.views.timeline import OrderTimelineCalculator

    calc = OrderTimelineCalculator(placed=datetime(2025, 12, 30, 10, 0), now=datetime(2025, 12, 31, 9, 0))
    assert calc._repr_mimebundle_()["text/plain"].startswith("【订单时间线计算器】")
    assert "等待买家付款" in calc.result.value and "12月31日 10:00 自动关闭" in calc.result.value
    assert "还剩1小时" in calc.result.value
    calc.now.hour.value = 10                                   # any change hides the old result
    assert "参数已修改" in calc.result.value
    calc.compute_button.click()
    assert "交易关闭" in calc.result.value and "下一个期限" not in calc.result.value
    calc.placed.set(datetime(2025, 11, 2, 10, 0))
    calc.is_paid.value = True
    calc.paid.set(datetime(2025, 11, 2, 10, 5))
    calc.is_shipped.value = True
    calc.shipped.set(datetime(2025, 11, 2, 15, 0))
    calc.method.value = "平邮"
    calc.now.set(datetime(2025, 11, 28, 9, 0))
    calc.compute_button.click()
    assert "卖家已发货" in calc.result.value and "12月2日 15:00" in calc.result.value and "还剩4天6小时" in calc.result.value
    calc.extend.value = 3
    calc.now.set(datetime(2025, 12, 2, 9, 0))
    calc.compute_button.click()
    assert "12月5日 15:00" in calc.result.value and "还剩3天6小时" in calc.result.value


def test_calculator_widget_explains_impossible_times_and_links_the_boxes():
    from course_lib.views.timeline import OrderTimelineCalculator

    calc = OrderTimelineCalculator(placed=datetime(2025, 11, 2, 10, 0), paid=datetime(2025, 11, 3, 10, 30),
                                   now=datetime(2025, 11, 4, 9, 0))
    assert "不早于自动关闭时间" in calc.result.value and "Traceback" not in calc.result.value
    calc.is_shipped.value = True
    assert calc.shipped.day.disabled is False
    calc.is_paid.value = False                                 # no payment, no shipping
    assert calc.is_shipped.value is False and calc.shipped.day.disabled is True and calc.is_shipped.disabled is True
    calc.placed.day.value = None
    calc.compute_button.click()
    assert "请先选择拍下的日期" in calc.result.value


def test_calculator_widget_campaign_order_and_data_end():
    from course_lib.views.timeline import OrderTimelineCalculator

    calc = OrderTimelineCalculator(placed=datetime(2025, 11, 11, 0, 5), now=datetime(2025, 11, 11, 0, 20),
                                   campaign=timedelta(minutes=30))
    assert calc.campaign_minutes.disabled is False
    assert "还剩15分" in calc.result.value and "活动订单30分钟" in calc.result.value
    calc.end_button.click()
    assert (calc.now.day.value.isoformat(), calc.now.hour.value, calc.now.minute.value) == ("2025-12-31", 23, 59)


def test_calculator_callback_errors_are_shown_not_raised(monkeypatch):
    from course_lib.views import timeline as view

    calc = view.OrderTimelineCalculator()
    monkeypatch.setattr(view, "order_timeline", lambda *a, **k: 1 / 0)
    calc.compute_button.click()
    assert "出了点问题" in calc.status.value
