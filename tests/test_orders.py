"""The order state machine of unit 05: legal moves, Chinese messages, whole sequences."""
from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from course_lib.shop.orders import (
    AFTER_REFUND,
    BEFORE_REFUND,
    EVENTS,
    STATES,
    TRANSITIONS,
    OrderStateError,
    legal_events,
    next_state,
    validate_sequence,
)

# The legal moves, written out by hand (independent of TRANSITIONS).
EXPECTED = {
    ("等待买家付款", "付款"): "买家已付款（待发货）",
    ("等待买家付款", "关闭"): "交易关闭",
    ("买家已付款（待发货）", "发货"): "卖家已发货",
    ("买家已付款（待发货）", "申请退款"): "退款中",
    ("卖家已发货", "确认收货"): "交易成功",
    ("卖家已发货", "申请退款"): "退款中",
    ("交易成功", "申请退款"): "退款中",
    ("退款中", "退款完成"): "退款完成后的状态",
    ("退款中", "撤销退款"): "申请退款前的状态",
}
REFUNDABLE = ["买家已付款（待发货）", "卖家已发货", "交易成功"]


def test_states_and_events_are_the_course_words():
    assert STATES == ("等待买家付款", "买家已付款（待发货）", "卖家已发货", "交易成功", "交易关闭", "退款中")
    assert EVENTS == ("拍下", "付款", "发货", "确认收货", "关闭", "申请退款", "退款完成", "撤销退款")


def test_transition_table_is_the_agreed_one():
    table = {(s, e): t for s, moves in TRANSITIONS.items() for e, t in moves.items()}
    assert table == EXPECTED
    assert set(TRANSITIONS) == set(STATES)


def test_transition_table_is_read_only():
    with pytest.raises(TypeError):
        TRANSITIONS["交易关闭"]["付款"] = "交易成功"  # type: ignore[index]


@pytest.mark.parametrize("state,event", list(itertools.product(STATES, EVENTS)))
def test_next_state_agrees_with_the_table(state, event):
    target = EXPECTED.get((state, event))
    if target is None:
        with pytest.raises(OrderStateError):
            next_state(state, event)
    elif target == BEFORE_REFUND:
        for previous in REFUNDABLE:
            assert next_state(state, event, before_refund=previous) == previous
    elif target == AFTER_REFUND:           # a refund before success closes the trade; a 售后 one keeps it
        for previous in REFUNDABLE:
            assert next_state(state, event, before_refund=previous) == (
                "交易成功" if previous == "交易成功" else "交易关闭")
    else:
        assert next_state(state, event) == target


def test_illegal_move_message_names_the_legal_ones():
    with pytest.raises(OrderStateError) as info:
        next_state("卖家已发货", "付款")
    assert str(info.value) == "「卖家已发货」状态下不能「付款」，可以：确认收货、申请退款"
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize("state,event,message", [
    ("等待买家付款", "发货", "「等待买家付款」状态下不能「发货」，可以：付款、关闭"),
    ("买家已付款（待发货）", "关闭", "「买家已付款（待发货）」状态下不能「关闭」，可以：发货、申请退款"),
    ("交易成功", "确认收货", "「交易成功」状态下不能「确认收货」，可以：申请退款"),
    ("退款中", "发货", "「退款中」状态下不能「发货」，可以：退款完成、撤销退款"),
    ("交易关闭", "付款", "「交易关闭」状态下不能「付款」：交易已经结束，不能再进行任何操作"),
    ("退款成功", "撤销退款", "「交易关闭」状态下不能「撤销退款」：交易已经结束，不能再进行任何操作"),   # the old name
    ("卖家已发货", "拍下", "「卖家已发货」状态下不能「拍下」，可以：确认收货、申请退款"),
])
def test_illegal_move_messages(state, event, message):
    with pytest.raises(OrderStateError) as info:
        next_state(state, event)
    assert str(info.value) == message


def test_unknown_names_list_the_valid_ones():
    with pytest.raises(OrderStateError, match="「买单」不是订单事件，可用的事件有：拍下、付款"):
        next_state("等待买家付款", "买单")
    with pytest.raises(OrderStateError, match="「已签收」不是订单状态，订单状态有：等待买家付款"):
        next_state("已签收", "付款")
    with pytest.raises(OrderStateError, match="不是订单事件"):
        next_state("等待买家付款", None)  # type: ignore[arg-type]


def test_cancel_refund_needs_and_checks_the_previous_state():
    with pytest.raises(OrderStateError, match="before_refund.*买家已付款（待发货）、卖家已发货、交易成功"):
        next_state("退款中", "撤销退款")
    with pytest.raises(OrderStateError, match="「等待买家付款」状态下不能申请退款"):
        next_state("退款中", "撤销退款", before_refund="等待买家付款")


def test_forgiving_spellings():
    assert next_state("买家已付款(待发货)", " 发货 ") == "卖家已发货"
    assert next_state("买家已付款", "发货") == "卖家已发货"
    assert next_state(" 等待买家付款", "付款") == "买家已付款（待发货）"


@pytest.mark.parametrize("state,events", [
    ("等待买家付款", ("付款", "关闭")),
    ("买家已付款（待发货）", ("发货", "申请退款")),
    ("卖家已发货", ("确认收货", "申请退款")),
    ("交易成功", ("申请退款",)),
    ("退款中", ("退款完成", "撤销退款")),
    ("退款成功", ()),
    ("交易关闭", ()),
])
def test_legal_events(state, events):
    assert legal_events(state) == events


def test_legal_events_of_an_unknown_state():
    with pytest.raises(OrderStateError, match="不是订单状态"):
        legal_events("发货中")


@pytest.mark.parametrize("events,final", [
    (["拍下"], "等待买家付款"),
    (["拍下", "关闭"], "交易关闭"),
    (["拍下", "付款", "发货", "确认收货"], "交易成功"),
    (["拍下", "付款", "申请退款", "退款完成"], "交易关闭"),                 # a full refund closes the trade
    (["拍下", "付款", "申请退款", "撤销退款", "发货"], "卖家已发货"),
    (["拍下", "付款", "发货", "申请退款", "撤销退款", "确认收货"], "交易成功"),
    (["拍下", "付款", "发货", "确认收货", "申请退款", "撤销退款"], "交易成功"),
    (["拍下", "付款", "发货", "确认收货", "申请退款", "退款完成"], "交易成功"),   # 售后 after success: still 交易成功
    (["拍下", "付款", "发货", "申请退款", "撤销退款", "申请退款", "退款完成"], "交易关闭"),
    (("拍下", "付款"), "买家已付款（待发货）"),
])
def test_legal_sequences(events, final):
    check = validate_sequence(events)
    assert check.ok and check.error_index is None
    assert check.final_state == final
    assert len(check.states) == len(events)
    assert check.message == f"事件顺序合法，最终状态是「{final}」。"


def test_states_visited_are_recorded_in_order():
    check = validate_sequence(["拍下", "付款", "申请退款", "撤销退款", "发货"])
    assert check.states == ("等待买家付款", "买家已付款（待发货）", "退款中", "买家已付款（待发货）", "卖家已发货")


@pytest.mark.parametrize("events,index,message", [
    ([], 0, "事件列表是空的：订单应从「拍下」开始。"),
    (["付款"], 0, "第1步：订单应从「拍下」开始，第一步不能是「付款」"),
    (["拍下", "拍下"], 1, "第2步：「等待买家付款」状态下不能「拍下」，可以：付款、关闭"),
    (["拍下", "付款", "发货", "付款"], 3, "第4步：「卖家已发货」状态下不能「付款」，可以：确认收货、申请退款"),
    (["拍下", "发货"], 1, "第2步：「等待买家付款」状态下不能「发货」，可以：付款、关闭"),
    (["拍下", "关闭", "付款"], 2, "第3步：「交易关闭」状态下不能「付款」：交易已经结束，不能再进行任何操作"),
    (["拍下", "付款", "申请退款", "退款完成", "撤销退款"], 4,
     "第5步：「交易关闭」状态下不能「撤销退款」：交易已经结束，不能再进行任何操作"),
    (["拍下", "买单"], 1, "第2步：「买单」不是订单事件，可用的事件有：拍下、付款、发货、确认收货、关闭、申请退款、退款完成、撤销退款"),
    (["拍下", 3], 1, "第2步：「3」不是订单事件，可用的事件有：拍下、付款、发货、确认收货、关闭、申请退款、退款完成、撤销退款"),
])
def test_illegal_sequences(events, index, message):
    check = validate_sequence(events)
    assert not check.ok
    assert check.error_index == index
    assert check.message == message
    assert len(check.states) == index


@pytest.mark.parametrize("bad", ["拍下付款", None, 42, {"拍下": 1}, b"xx"])
def test_not_a_list(bad):
    check = validate_sequence(bad)  # type: ignore[arg-type]
    assert not check.ok and check.states == () and "列表" in check.message


def test_cancelled_refund_returns_to_where_it_came_from_each_time():
    events = ["拍下", "付款", "申请退款", "撤销退款", "发货", "申请退款", "撤销退款", "确认收货",
              "申请退款", "撤销退款"]
    check = validate_sequence(events)
    assert check.ok
    assert [s for e, s in zip(events, check.states) if e == "撤销退款"] == ["买家已付款（待发货）", "卖家已发货", "交易成功"]


event_words = st.one_of(st.sampled_from(EVENTS), st.text(max_size=6),
                        st.sampled_from(["", " 付款", "付 款", "(", "买单", "ＥＭＳ"]))


@given(st.lists(event_words, max_size=15))
def test_validate_sequence_never_raises_and_is_consistent(events):
    check = validate_sequence(events)
    assert isinstance(check.message, str) and check.message
    if check.ok:
        assert check.error_index is None and len(check.states) == len(events)
    else:
        assert 0 <= check.error_index < max(len(events), 1)
        assert len(check.states) == check.error_index
        assert check.message.startswith(f"第{check.error_index + 1}步") or not events
        # everything before the error is itself legal (when there is something before it)
        if check.error_index:
            assert validate_sequence(events[:check.error_index]).ok


@given(st.lists(st.integers(0, 10), max_size=20))
def test_random_legal_walks_are_accepted(choices):
    events, state, before = ["拍下"], "等待买家付款", None
    expected = [state]
    for choice in choices:
        options = legal_events(state)
        if not options:
            break
        event = options[choice % len(options)]
        target = TRANSITIONS[state][event]
        if event == "申请退款":
            before = state
        if target == BEFORE_REFUND:
            state = before
        elif target == AFTER_REFUND:
            state = "交易成功" if before == "交易成功" else "交易关闭"
        else:
            state = target
        events.append(event)
        expected.append(state)
    check = validate_sequence(events)
    assert check.ok, check.message
    assert list(check.states) == expected


@given(st.sampled_from(STATES), st.sampled_from(EVENTS))
def test_legal_events_match_next_state(state, event):
    legal = event in legal_events(state)
    try:
        next_state(state, event, before_refund="卖家已发货")
        moved = True
    except OrderStateError:
        moved = False
    assert legal == moved
    assert legal == (event in TRANSITIONS[state])
