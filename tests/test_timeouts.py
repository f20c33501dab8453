"""Trade timeouts (seed 002 超时规则): hand-computed deadlines and impossible timelines."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from course_lib.shop import timeouts
from course_lib.shop.timeouts import auto_close_at, auto_confirm_at, normalize_method, order_deadlines

PLACED = datetime(2024, 5, 1, 10, 30)
PAID = datetime(2024, 5, 1, 11, 0)


def test_constants_are_the_seed_values():
    assert timeouts.AUTO_CLOSE == timedelta(days=1)
    assert dict(timeouts.AUTO_CONFIRM) == {"快递": timedelta(days=10), "EMS": timedelta(days=10),
                                          "无需物流": timedelta(days=10), "平邮": timedelta(days=30)}
    assert timeouts.LOGISTICS_METHODS == ("快递", "EMS", "无需物流", "平邮")


def test_confirm_table_is_read_only():
    with pytest.raises(TypeError):
        timeouts.AUTO_CONFIRM["快递"] = timedelta(days=1)  # type: ignore[index]


@pytest.mark.parametrize("placed,closes", [
    (datetime(2024, 5, 1, 10, 30), datetime(2024, 5, 2, 10, 30)),
    (datetime(2024, 1, 31, 23, 59, 59), datetime(2024, 2, 1, 23, 59, 59)),
    (datetime(2024, 2, 28, 8, 0), datetime(2024, 2, 29, 8, 0)),          # leap year
    (datetime(2023, 12, 31, 0, 0), datetime(2024, 1, 1, 0, 0)),
])
def test_auto_close_one_day_after_placing(placed, closes):
    assert auto_close_at(placed) == closes


def test_auto_close_keeps_the_time_zone():
    beijing = timezone(timedelta(hours=8))
    placed = datetime(2024, 5, 1, 10, 30, tzinfo=beijing)
    assert auto_close_at(placed) == datetime(2024, 5, 2, 10, 30, tzinfo=beijing)
    assert auto_close_at(placed).utcoffset() == timedelta(hours=8)


SHIPPED = datetime(2024, 5, 3, 16, 0)
TEN_DAYS_LATER = datetime(2024, 5, 13, 16, 0)
THIRTY_DAYS_LATER = datetime(2024, 6, 2, 16, 0)        # May has 31 days: 3 May + 30 days = 2 June


@pytest.mark.parametrize("method,expected", [
    ("快递", TEN_DAYS_LATER), ("EMS", TEN_DAYS_LATER), ("无需物流", TEN_DAYS_LATER), ("平邮", THIRTY_DAYS_LATER),
    ("ems", TEN_DAYS_LATER), ("ＥＭＳ", TEN_DAYS_LATER), (" 平邮 ", THIRTY_DAYS_LATER), ("不需要物流", TEN_DAYS_LATER),
])
def test_auto_confirm_by_method(method, expected):
    assert auto_confirm_at(SHIPPED, method) == expected


@pytest.mark.parametrize("method", ["顺丰", "", "快递 平邮", None, 10])
def test_unknown_method_lists_the_valid_ones(method):
    with pytest.raises(ValueError) as info:
        auto_confirm_at(datetime(2024, 5, 3, 16, 0), method)
    for name in ("快递", "EMS", "无需物流", "平邮"):
        assert name in str(info.value)


def test_unknown_method_message_is_exact():
    with pytest.raises(ValueError, match="^未知的物流方式「空运」，可选：快递、EMS、无需物流、平邮。$"):
        auto_confirm_at(datetime(2024, 5, 3), "空运")


@pytest.mark.parametrize("bad", ["2024-05-01 10:30", None, datetime(2024, 5, 1).date()])
def test_dates_must_be_datetimes(bad):
    with pytest.raises(TypeError, match="datetime"):
        auto_close_at(bad)
    with pytest.raises(TypeError, match="datetime"):
        auto_confirm_at(bad, "快递")


def test_deadlines_of_an_unpaid_order():
    assert order_deadlines(PLACED) == {"自动关闭时间": datetime(2024, 5, 2, 10, 30), "自动确认收货时间": None}


def test_deadlines_of_a_paid_order_not_shipped():
    assert order_deadlines(PLACED, PAID) == {"自动关闭时间": None, "自动确认收货时间": None}
    # a method without a shipping time changes nothing, but is still checked
    assert order_deadlines(PLACED, PAID, method="平邮") == {"自动关闭时间": None, "自动确认收货时间": None}
    with pytest.raises(ValueError, match="未知的物流方式"):
        order_deadlines(PLACED, PAID, method="马车")


@pytest.mark.parametrize("method,days", [("快递", 10), ("EMS", 10), ("无需物流", 10), ("平邮", 30)])
def test_deadlines_of_a_shipped_order(method, days):
    shipped = datetime(2024, 5, 2, 9, 15)
    result = order_deadlines(PLACED, PAID, shipped, method)
    assert list(result) == ["自动关闭时间", "自动确认收货时间"]
    assert result["自动关闭时间"] is None
    assert result["自动确认收货时间"] == shipped + timedelta(days=days)


@pytest.mark.parametrize("kwargs,message", [
    (dict(paid_at=datetime(2024, 5, 2, 10, 30)), "不早于自动关闭时间（5月2日 10:30）"),   # exactly at closing
    (dict(paid_at=datetime(2024, 5, 3, 9, 0)), "订单已自动关闭，不能再付款"),
    (dict(paid_at=datetime(2024, 5, 1, 10, 0)), "早于拍下时间"),
    (dict(shipped_at=datetime(2024, 5, 2, 9, 0), method="快递"), "还没有付款，不能发货"),
    (dict(paid_at=PAID, shipped_at=datetime(2024, 5, 1, 10, 59), method="快递"), "发货时间（5月1日 10:59）早于付款时间"),
    (dict(paid_at=PAID, shipped_at=datetime(2024, 5, 2, 9, 0)), "请填写物流方式，可选：快递、EMS、无需物流、平邮"),
])
def test_impossible_timelines_explained_in_chinese(kwargs, message):
    with pytest.raises(ValueError, match=message):
        order_deadlines(PLACED, **kwargs)


def test_paying_one_second_before_closing_is_fine():
    assert order_deadlines(PLACED, datetime(2024, 5, 2, 10, 29, 59))["自动关闭时间"] is None


moments = st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2030, 12, 31))


@given(moments, st.sampled_from(timeouts.LOGISTICS_METHODS))
def test_confirm_is_ten_or_thirty_days(shipped, method):
    gap = auto_confirm_at(shipped, method) - shipped
    assert gap == (timedelta(days=30) if method == "平邮" else timedelta(days=10))


@given(moments, st.timedeltas(timedelta(0), timedelta(hours=23, minutes=59)),
       st.timedeltas(timedelta(0), timedelta(days=5)), st.sampled_from(timeouts.LOGISTICS_METHODS))
def test_deadlines_follow_the_timeline(placed, pay_after, ship_after, method):
    paid = placed + pay_after
    shipped = paid + ship_after
    assert order_deadlines(placed)["自动关闭时间"] == placed + timedelta(days=1)
    result = order_deadlines(placed, paid, shipped, method)
    assert result["自动关闭时间"] is None
    assert result["自动确认收货时间"] - shipped in (timedelta(days=10), timedelta(days=30))
    assert result["自动确认收货时间"] > placed + timedelta(days=1)


@pytest.mark.parametrize("alias", ["无物流", "虚拟商品", "不需要物流", " 无需物流 "])
def test_no_logistics_aliases_confirm_after_ten_days(alias):
    shipped = datetime(2024, 5, 2, 9, 0)
    assert normalize_method(alias) == "无需物流"
    assert auto_confirm_at(shipped, alias) == shipped + timedelta(days=10)
