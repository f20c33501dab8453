"""客服 KPI: hand-computed cases for every definition, the edge cases, and properties."""
from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from course_lib.shop import chat as chat_kpi
from course_lib.shop import sales, tables
from course_lib.shop.tables import KPIDataError

DAY = "2024-05-01"
MESSAGE_COLUMNS = ["会话编号", "顾客编号", "客服编号", "序号", "发送方", "发送时间"]


def chat(rows, day=DAY):
    """Messages from (会话编号, 发送方, "HH:MM:SS"[, 顾客编号[, 客服编号]]) tuples; 序号 per session."""
    records, seq = [], {}
    for row in rows:
        session, sender, clock = row[:3]
        buyer = row[3] if len(row) > 3 else "C" + session[1:]
        agent = row[4] if len(row) > 4 else "K1"
        seq[session] = seq.get(session, 0) + 1
        stamp = clock if " " in clock else f"{day} {clock}"
        records.append([session, buyer, agent, seq[session], sender, pd.Timestamp(stamp)])
    return pd.DataFrame(records, columns=MESSAGE_COLUMNS)


def empty_messages():
    return pd.DataFrame({c: pd.Series(dtype="datetime64[ns]" if c == "发送时间" else "object")
                         for c in MESSAGE_COLUMNS})


def is_rate(x):
    return isinstance(x, float) and (math.isnan(x) or 0.0 <= x <= 1.0)


# --------------------------------------------------------------------------- fmt_rate

@pytest.mark.parametrize("value,text", [(0.125, "12.5%"), (0, "0.0%"), (1.0, "100.0%"), (math.nan, "—"),
                                        (None, "—"), (pd.NA, "—"), ("abc", "—"), (float("inf"), "—")])
def test_fmt_rate(value, text):
    assert tables.fmt_rate(value) == text


def test_fmt_rate_digits():
    assert tables.fmt_rate(1 / 3, digits=2) == "33.33%"


# --------------------------------------------------------------------- response rounds

def test_rounds_hand_computed():
    msgs = chat([
        ("S1", "顾客", "09:00:00"), ("S1", "顾客", "09:00:05"),    # round 1 starts at the first message
        ("S1", "机器人", "09:00:01"),                               # bot: ignored
        ("S1", "客服", "09:00:40"), ("S1", "客服", "09:00:50"),    # 40 s; the second reply closes nothing
        ("S1", "顾客", "09:10:00"), ("S1", "客服", "09:25:00"),    # 900 s → capped at 600
        ("S1", "顾客", "09:30:00"),                                 # never answered → 600
    ])
    rounds = chat_kpi.response_times(msgs)
    assert list(rounds.columns) == ["会话编号", "客服编号", "轮次", "顾客发送时间", "客服回复时间", "响应秒数", "计入平均"]
    assert rounds["轮次"].tolist() == [1, 2, 3]
    assert rounds["响应秒数"].tolist() == [40.0, 600.0, 600.0]
    assert rounds["客服回复时间"].isna().tolist() == [False, False, True]
    assert rounds["顾客发送时间"].iloc[0] == pd.Timestamp(f"{DAY} 09:00:00")
    assert chat_kpi.average_response_time(msgs) == pytest.approx((40 + 600 + 600) / 3)
    assert chat_kpi.three_minute_rate(msgs) == pytest.approx(1 / 3)


def test_rounds_ignore_input_order_and_use_seq_for_ties():
    msgs = chat([("S1", "顾客", "10:00:00"), ("S1", "客服", "10:00:00"), ("S1", "顾客", "10:00:30"),
                 ("S1", "客服", "10:00:45")])
    shuffled = msgs.iloc[[3, 1, 2, 0]]
    rounds = chat_kpi.response_times(shuffled)
    assert rounds["响应秒数"].tolist() == [0.0, 15.0]
    # same second, but 序号 says the agent spoke first: one round from 10:00:00 to 10:00:45
    msgs.loc[0, "序号"], msgs.loc[1, "序号"] = 2, 1
    assert chat_kpi.response_times(msgs)["响应秒数"].tolist() == [45.0]


def test_agent_message_before_buyer_opens_no_round():
    msgs = chat([("S1", "客服", "10:00:00"), ("S1", "客服", "10:05:00"),   # 催付 outreach
                 ("S1", "顾客", "11:00:00"), ("S1", "客服", "11:00:20")])
    assert chat_kpi.response_times(msgs)["响应秒数"].tolist() == [20.0]


@pytest.mark.parametrize("clock,counted", [("07:59:59", False), ("08:00:00", True), ("12:00:00", True),
                                           ("22:59:59", True), ("23:00:00", False), ("23:59:59", False),
                                           ("00:00:00", False)])
def test_average_window_08_to_23(clock, counted):
    msgs = chat([("S1", "顾客", clock), ("S1", "客服", clock)])
    assert chat_kpi.response_times(msgs)["计入平均"].tolist() == [counted]
    assert chat_kpi.average_response_time(msgs) == (0.0 if counted else pytest.approx(math.nan, nan_ok=True))


@pytest.mark.parametrize("clock,counted", [("07:59:59", False), ("08:00:00", True), ("23:00:00", True),
                                           ("23:59:59", True), ("00:00:00", False)])
def test_three_minute_window_08_to_24(clock, counted):
    msgs = chat([("S1", "顾客", clock), ("S1", "客服", clock)])
    rate = chat_kpi.three_minute_rate(msgs)
    assert (rate == 1.0) if counted else math.isnan(rate)


def test_round_crossing_23_counts_by_buyer_time():
    msgs = chat([("S1", "顾客", "22:59:50"), ("S1", "客服", "23:00:10")])
    assert chat_kpi.average_response_time(msgs) == 20.0


@pytest.mark.parametrize("reply,fast", [("10:03:00", True), ("10:03:01", False), ("10:00:00", True)])
def test_three_minutes_is_inclusive(reply, fast):
    msgs = chat([("S1", "顾客", "10:00:00"), ("S1", "客服", reply)])
    assert chat_kpi.three_minute_rate(msgs) == (1.0 if fast else 0.0)


def test_unanswered_round_is_600_and_never_fast():
    msgs = chat([("S1", "顾客", "10:00:00")])
    rounds = chat_kpi.response_times(msgs)
    assert rounds["响应秒数"].tolist() == [600.0]
    assert pd.isna(rounds["客服回复时间"].iloc[0])
    assert chat_kpi.average_response_time(msgs) == 600.0
    assert chat_kpi.three_minute_rate(msgs) == 0.0


def test_bot_only_session_is_left_out_by_default():
    msgs = chat([("S1", "顾客", "10:00:00"), ("S1", "机器人", "10:00:01"), ("S1", "顾客", "10:01:00"),
                 ("S1", "机器人", "10:01:01"),
                 ("S2", "顾客", "11:00:00"), ("S2", "客服", "11:00:30")])
    assert chat_kpi.response_times(msgs)["会话编号"].tolist() == ["S2"]
    assert chat_kpi.average_response_time(msgs) == 30.0
    included = chat_kpi.response_times(msgs, include_bot_only=True)
    assert included["响应秒数"].tolist() == [600.0, 30.0]
    assert chat_kpi.average_response_time(msgs, include_bot_only=True) == 315.0
    assert chat_kpi.three_minute_rate(msgs, include_bot_only=True) == 0.5


def test_bot_reply_does_not_close_a_round_when_a_human_is_in_the_session():
    msgs = chat([("S1", "顾客", "10:00:00"), ("S1", "客服", "10:00:10"),
                 ("S1", "顾客", "10:05:00"), ("S1", "机器人", "10:05:01")])
    assert chat_kpi.response_times(msgs)["响应秒数"].tolist() == [10.0, 600.0]


def test_only_bot_messages_or_only_agent_messages_give_no_rounds():
    msgs = chat([("S1", "机器人", "10:00:00"), ("S2", "客服", "10:00:00")])
    assert chat_kpi.response_times(msgs).empty
    assert math.isnan(chat_kpi.average_response_time(msgs))
    assert math.isnan(chat_kpi.three_minute_rate(msgs))
    assert chat_kpi.first_response_time(msgs).empty


def test_round_agent_is_the_replier_or_the_session_agent():
    msgs = chat([("S1", "顾客", "10:00:00", "C1", "K1"), ("S1", "客服", "10:00:10", "C1", "K2"),
                 ("S1", "顾客", "10:01:00", "C1", None)])
    assert chat_kpi.response_times(msgs)["客服编号"].tolist() == ["K2", "K1"]


def test_average_response_time_by_agent():
    msgs = chat([("S1", "顾客", "09:00:00", "C1", "K1"), ("S1", "客服", "09:00:10", "C1", "K1"),
                 ("S2", "顾客", "10:00:00", "C2", "K1"), ("S2", "客服", "10:00:30", "C2", "K1"),
                 ("S3", "顾客", "23:30:00", "C3", "K2"), ("S3", "客服", "23:30:05", "C3", "K2")])
    table = chat_kpi.average_response_time(msgs, by_agent=True)
    assert table["客服编号"].tolist() == ["K1", "K2"]
    assert table["计入轮次"].tolist() == [2, 0]
    assert table["平均响应秒数"].iloc[0] == 20.0
    assert math.isnan(table["平均响应秒数"].iloc[1])
    assert tables.fmt_rate(table["平均响应秒数"].iloc[1]) == "—"
    fast = chat_kpi.three_minute_rate(msgs, by_agent=True)
    assert fast.values.tolist() == [["K1", 2, 2, 1.0], ["K2", 1, 1, 1.0]]


def test_first_response_time():
    msgs = chat([("S1", "顾客", "07:00:00"), ("S1", "机器人", "07:00:01"), ("S1", "客服", "07:15:00"),
                 ("S1", "顾客", "07:20:00"), ("S1", "客服", "07:20:02"),
                 ("S2", "顾客", "10:00:00"), ("S2", "客服", "10:00:08"),
                 ("S3", "顾客", "10:00:00"), ("S3", "机器人", "10:00:01"),
                 ("S4", "客服", "10:00:00")])
    first = chat_kpi.first_response_time(msgs)
    assert first["会话编号"].tolist() == ["S1", "S2", "S3"]
    # not capped, not windowed; NaN when no human answered
    assert first["首次响应秒数"].tolist()[:2] == [900.0, 8.0]
    assert math.isnan(first["首次响应秒数"].iloc[2])
    assert first["顾客首条时间"].iloc[0] == pd.Timestamp(f"{DAY} 07:00:00")


def test_empty_and_missing_values():
    empty = empty_messages()
    assert chat_kpi.response_times(empty).empty
    assert chat_kpi.first_response_time(empty).empty
    for f in (chat_kpi.average_response_time, chat_kpi.three_minute_rate, chat_kpi.reply_rate):
        assert math.isnan(f(empty))
        assert f(empty, by_agent=True).empty
    msgs = chat([("S1", "顾客", "10:00:00"), ("S1", "客服", "10:00:05")])
    msgs.loc[len(msgs)] = ["S1", "C1", "K1", 3, "顾客", pd.NaT]          # no time: dropped
    msgs.loc[len(msgs)] = [None, "C9", "K1", 1, "顾客", pd.Timestamp(f"{DAY} 10:00:00")]   # no session
    assert chat_kpi.response_times(msgs)["响应秒数"].tolist() == [5.0]


def test_string_typed_tables_with_pd_na():
    msgs = chat([("S1", "顾客", "10:00:00"), ("S1", "客服", "10:00:05"), ("S2", "顾客", "10:00:00", "C2", "")])
    typed = msgs.astype({"会话编号": "string", "顾客编号": "string", "客服编号": "string", "发送方": "string"})
    typed["发送时间"] = typed["发送时间"].dt.strftime("%Y-%m-%d %H:%M:%S")          # times as text
    typed.loc[1, "顾客编号"] = pd.NA
    assert chat_kpi.response_times(typed)["响应秒数"].tolist() == [5.0, 600.0]
    assert chat_kpi.reply_rate(typed) == 0.5
    assert chat_kpi.reply_rate(typed, by_agent=True)["客服编号"].tolist() == ["K1"]


def test_missing_columns_and_wrong_type_give_chinese_errors():
    with pytest.raises(KPIDataError, match="聊天消息表缺少列：发送方"):
        chat_kpi.response_times(empty_messages().drop(columns=["发送方"]))
    with pytest.raises(KPIDataError, match="应是一个 DataFrame"):
        chat_kpi.reply_rate([1, 2, 3])
    with pytest.raises(KPIDataError, match="订单表缺少列：退款时间"):
        sales.refund_rate(pd.DataFrame({"付款时间": []}))


# --------------------------------------------------------------------------- reply rate

def test_reply_rate_counts_each_buyer_once_per_day():
    msgs = chat([
        ("S1", "顾客", "09:00:00", "C1"), ("S1", "客服", "09:00:30", "C1"),
        ("S2", "顾客", "15:00:00", "C1"),                                        # same buyer, same day
        ("S3", "顾客", "10:00:00", "C2"), ("S3", "机器人", "10:00:01", "C2"),      # only the bot
        ("S4", "顾客", "2024-05-01 23:59:00", "C3"), ("S4", "客服", "2024-05-02 00:01:00", "C3"),
        ("S5", "客服", "2024-05-01 08:00:00", "C4"), ("S5", "顾客", "2024-05-01 08:30:00", "C4"),
        ("S6", "顾客", "2024-05-02 09:00:00", "C1"), ("S6", "客服", "2024-05-02 09:00:09", "C1"),
    ])
    # buyer-days: C1/05-01 yes, C2 no, C3/05-01 no (answer after midnight), C4 no (agent spoke before), C1/05-02 yes
    assert chat_kpi.reply_rate(msgs) == pytest.approx(2 / 5)


def test_reply_rate_fills_blank_buyer_from_session_and_by_agent():
    msgs = chat([("S1", "顾客", "09:00:00", "C1", "K1"), ("S1", "客服", "09:00:30", None, "K1"),
                 ("S2", "顾客", "09:00:00", "C2", "K2"), ("S3", "顾客", "10:00:00", "C3", "K2"),
                 ("S3", "客服", "10:00:01", "C3", "K2")])
    assert chat_kpi.reply_rate(msgs) == pytest.approx(2 / 3)
    table = chat_kpi.reply_rate(msgs, by_agent=True)
    assert table.values.tolist() == [["K1", 1, 1, 1.0], ["K2", 2, 1, 0.5]]


# ------------------------------------------------------------------- inquiry conversion

def sessions_frame(rows):
    """Sessions from (会话编号, 顾客编号, 客服编号, 开始时间, 咨询类型)."""
    frame = pd.DataFrame(rows, columns=["会话编号", "顾客编号", "客服编号", "开始时间", "咨询类型"])
    frame["开始时间"] = pd.to_datetime(frame["开始时间"], format="mixed")
    frame["是否下单"] = False
    frame["订单编号"] = ""
    return frame


def orders_frame(rows):
    """Orders from (订单编号, 顾客编号, 客服编号, 拍下时间, 付款时间, 退款时间, 订单金额)."""
    frame = pd.DataFrame(rows, columns=["订单编号", "顾客编号", "客服编号", "拍下时间", "付款时间", "退款时间", "订单金额"])
    for column in ("拍下时间", "付款时间", "退款时间"):
        frame[column] = pd.to_datetime(frame[column], format="mixed")
    return frame


def test_inquiry_conversion_hand_computed():
    sessions = sessions_frame([
        ("S1", "C1", "K1", "2024-05-01 10:00", "售前咨询"),
        ("S2", "C2", "K1", "2024-05-01 10:00", "售前咨询"),
        ("S3", "C3", "K2", "2024-05-01 10:00", "售前咨询"),
        ("S4", "C4", "K2", "2024-05-01 10:00", "售前咨询"),
        ("S5", "C5", "K2", "2024-05-01 10:00", "售后咨询"),    # not an inquiry
        ("S6", "C6", "K2", "2024-05-01 10:00", "催付"),        # not an inquiry
        ("S7", "C1", "K1", "2024-05-01 11:00", "售前咨询"),    # C1 asked twice: one buyer
    ])
    orders = orders_frame([
        ("D1", "C1", "K1", "2024-05-04 11:00", "2024-05-04 11:01", None, 100.0),   # exactly 3 days after S7
        ("D2", "C2", "K1", "2024-05-04 10:00:01", "2024-05-04 11:00", None, 100.0),  # 3 days + 1 s: too late
        ("D3", "C3", "K2", "2024-05-01 09:59", "2024-05-01 10:30", None, 100.0),   # ordered before asking
        ("D4", "C4", "K2", "2024-05-01 10:00", None, None, 100.0),                 # never paid
        ("D5", "C5", "K2", "2024-05-01 12:00", "2024-05-01 12:00", None, 100.0),
        ("D6", "C6", "K2", "2024-05-01 12:00", "2024-05-01 12:00", None, 100.0),
    ])
    assert sales.inquiry_conversion(sessions, orders) == 0.25
    assert sales.inquiry_conversion(sessions, orders, days=4) == 0.5
    assert sales.inquiry_conversion(sessions, orders, days=0) == 0.0
    table = sales.inquiry_conversion(sessions, orders, by_agent=True)
    assert table.values.tolist() == [["K1", 2, 1, 0.5], ["K2", 2, 0, 0.0]]


def test_inquiry_conversion_credits_the_latest_session():
    sessions = sessions_frame([("S1", "C1", "K1", "2024-05-01 10:00", "售前咨询"),
                               ("S2", "C1", "K2", "2024-05-02 10:00", "售前咨询"),
                               ("S3", "C1", "K3", "2024-05-03 10:00", "售前咨询")])   # after the order
    orders = orders_frame([("D1", "C1", "", "2024-05-02 12:00", "2024-05-02 12:05", None, 50.0)])
    assert sales.inquiry_conversion(sessions, orders) == 1.0
    table = sales.inquiry_conversion(sessions, orders, by_agent=True)
    assert table.values.tolist() == [["K1", 1, 0, 0.0], ["K2", 1, 1, 1.0], ["K3", 1, 0, 0.0]]


def test_inquiry_conversion_without_inquiries_is_nan():
    sessions = sessions_frame([("S1", "C1", "K1", "2024-05-01 10:00", "售后咨询")])
    orders = orders_frame([])
    assert math.isnan(sales.inquiry_conversion(sessions, orders))
    assert sales.inquiry_conversion(sessions, orders, by_agent=True).empty
    assert math.isnan(sales.inquiry_conversion(sessions_frame([]), orders))


def test_inquiry_conversion_missing_values():
    sessions = sessions_frame([("S1", "C1", None, "2024-05-01 10:00", "售前咨询"),
                               ("S2", None, "K1", "2024-05-01 10:00", "售前咨询"),
                               ("S3", "C3", "K1", None, "售前咨询")])
    orders = orders_frame([("D1", "C1", "K1", "2024-05-01 11:00", "2024-05-01 11:00", None, 1.0),
                           ("D3", "C3", "K1", "2024-05-01 11:00", "2024-05-01 11:00", None, 1.0)])
    # C1 converts; C3 asked but the session time is unknown; the buyer-less session is ignored
    assert sales.inquiry_conversion(sessions, orders) == 0.5
    assert sales.inquiry_conversion(sessions, orders, by_agent=True).values.tolist() == [["K1", 1, 0, 0.0]]


@pytest.mark.parametrize("days", [-1, "三天", None])
def test_inquiry_conversion_rejects_bad_days(days):
    with pytest.raises(KPIDataError, match="days"):
        sales.inquiry_conversion(sessions_frame([]), orders_frame([]), days=days)


# ------------------------------------------------------------------ orders and reviews

def test_closed_unit_price_overall_and_by_agent():
    orders = orders_frame([
        ("D1", "C1", "K1", "2024-05-01", "2024-05-01", None, 100.0),
        ("D2", "C1", "K1", "2024-05-02", "2024-05-02", "2024-05-05", 60.0),   # refunded: still paid
        ("D3", "C2", "K1", "2024-05-02", "2024-05-02", None, 80.0),
        ("D4", "C2", "K2", "2024-05-02", "2024-05-02", None, 40.0),
        ("D5", "C3", "K2", "2024-05-02", None, None, 500.0),                  # unpaid
        ("D6", "C4", "", "2024-05-02", "2024-05-02", None, 70.0),             # silent order
        ("D7", "C5", "K2", "2024-05-02", "2024-05-02", None, math.nan),       # amount unknown
    ])
    table = sales.closed_unit_price(orders, by_agent=True)
    assert table.values.tolist() == [["K1", 240.0, 2, 120.0], ["K2", 40.0, 2, 20.0]]
    assert sales.closed_unit_price(orders) == pytest.approx(280 / 3)     # C2 counted once overall


def test_closed_unit_price_without_paid_orders_is_nan():
    orders = orders_frame([("D1", "C1", "K1", "2024-05-01", None, None, 10.0)])
    assert math.isnan(sales.closed_unit_price(orders))
    assert sales.closed_unit_price(orders, by_agent=True).empty


def test_refund_rate():
    orders = orders_frame([
        ("D1", "C1", "K1", "2024-05-01", "2024-05-01", "2024-05-03", 1.0),
        ("D2", "C1", "K1", "2024-05-01", "2024-05-01", None, 1.0),
        ("D3", "C1", "K1", "2024-05-01", None, "2024-05-03", 1.0),      # unpaid: in neither count
    ])
    assert sales.refund_rate(orders) == 0.5
    assert math.isnan(sales.refund_rate(orders.iloc[2:]))
    assert math.isnan(sales.refund_rate(orders.iloc[0:0]))


def test_good_review_rate_and_dsr():
    reviews = pd.DataFrame({
        "订单编号": ["D1", "D2", "D3", "D4", "D5"],
        "评价时间": pd.to_datetime(["2024-05-01"] * 5),
        "评价等级": ["好评", "中评", "差评", "好评", "未评"],
        "描述相符": [5, 3, 1, 4, None], "服务态度": [5, 4, 2, 5, 0], "物流服务": [4, 4, 4, 4, 6],
    })
    assert sales.good_review_rate(reviews) == 0.5
    assert sales.dsr(reviews) == {"描述相符": 3.25, "服务态度": 4.0, "物流服务": 4.0}
    one = sales.dsr(reviews.iloc[[0, 1, 3]])
    assert one["描述相符"] == 4.0 and one["服务态度"] == 4.67


def test_reviews_empty():
    empty = pd.DataFrame({c: [] for c in ["评价等级", "描述相符", "服务态度", "物流服务"]})
    assert math.isnan(sales.good_review_rate(empty))
    assert all(math.isnan(v) for v in sales.dsr(empty).values())
    assert list(sales.dsr(empty)) == ["描述相符", "服务态度", "物流服务"]


# ------------------------------------------------------------------------- properties

SENDERS = st.sampled_from(["顾客", "客服", "机器人"])
MESSAGE = st.tuples(st.sampled_from(["S1", "S2", "S3"]), SENDERS, st.integers(0, 2 * 86400))


def random_log(rows):
    base = pd.Timestamp("2024-05-01")
    return pd.DataFrame({
        "会话编号": [r[0] for r in rows],
        "顾客编号": ["C" + r[0][1:] for r in rows],
        "客服编号": ["K" + r[0][1:] for r in rows],
        "序号": list(range(1, len(rows) + 1)),
        "发送方": [r[1] for r in rows],
        "发送时间": [base + pd.Timedelta(seconds=r[2]) for r in rows],
    }, columns=MESSAGE_COLUMNS)


def reference_rounds(log):
    """A plain loop over each session: the definition as written in DOMAIN.md."""
    out = []
    for session, group in log.sort_values(["会话编号", "发送时间", "序号"]).groupby("会话编号"):
        senders = set(group["发送方"])
        if "机器人" in senders and "客服" not in senders:
            continue
        opened = None
        for sender, time in zip(group["发送方"], group["发送时间"]):
            if sender == "顾客" and opened is None:
                opened = time
            elif sender == "客服" and opened is not None:
                out.append((session, opened, min((time - opened).total_seconds(), 600.0)))
                opened = None
        if opened is not None:
            out.append((session, opened, 600.0))
    return out


@given(st.lists(MESSAGE, max_size=25))
def test_rounds_match_the_reference_loop(rows):
    log = random_log(rows)
    rounds = chat_kpi.response_times(log)
    got = list(zip(rounds["会话编号"], rounds["顾客发送时间"], rounds["响应秒数"]))
    assert got == reference_rounds(log)
    assert rounds["响应秒数"].between(0, 600).all()
    assert (rounds["客服回复时间"].isna() <= (rounds["响应秒数"] == 600)).all()


@given(st.lists(MESSAGE, max_size=25))
def test_chat_kpis_are_bounded(rows):
    log = random_log(rows)
    average = chat_kpi.average_response_time(log)
    assert isinstance(average, float) and (math.isnan(average) or 0 <= average <= 600)
    assert is_rate(chat_kpi.three_minute_rate(log))
    assert is_rate(chat_kpi.reply_rate(log))
    for table, column in ((chat_kpi.reply_rate(log, by_agent=True), "回复率"),
                          (chat_kpi.three_minute_rate(log, by_agent=True), "3分钟人工响应率")):
        assert all(is_rate(float(x)) for x in table[column])
    first = chat_kpi.first_response_time(log)["首次响应秒数"]
    assert ((first >= 0) | first.isna()).all()


def reference_reply_rate(log):
    days = {}
    for buyer, sender, time in zip(log["顾客编号"], log["发送方"], log["发送时间"]):
        key = (buyer, time.normalize())
        if sender == "顾客":
            days.setdefault(key, [time, False])
            days[key][0] = min(days[key][0], time)
    for buyer, sender, time in zip(log["顾客编号"], log["发送方"], log["发送时间"]):
        key = (buyer, time.normalize())
        if sender == "客服" and key in days and time >= days[key][0]:
            days[key][1] = True
    return sum(v[1] for v in days.values()) / len(days) if days else math.nan


@given(st.lists(MESSAGE, max_size=25))
def test_reply_rate_matches_reference(rows):
    log = random_log(rows)
    got, want = chat_kpi.reply_rate(log), reference_reply_rate(log)
    assert (math.isnan(got) and math.isnan(want)) or got == pytest.approx(want)


SESSION = st.tuples(st.sampled_from(["C1", "C2", "C3", "C4"]), st.sampled_from(["K1", "K2"]),
                    st.integers(0, 10 * 86400), st.sampled_from(["售前咨询", "售后咨询", "催付"]))
ORDER = st.tuples(st.sampled_from(["C1", "C2", "C3", "C4", "C5"]), st.integers(0, 10 * 86400), st.booleans())


@given(st.lists(SESSION, max_size=12), st.lists(ORDER, max_size=12), st.integers(0, 5))
def test_inquiry_conversion_properties(sessions, orders, days):
    base = pd.Timestamp("2024-05-01")
    s = pd.DataFrame({"会话编号": [f"S{i}" for i in range(len(sessions))],
                      "顾客编号": [x[0] for x in sessions], "客服编号": [x[1] for x in sessions],
                      "开始时间": [base + pd.Timedelta(seconds=x[2]) for x in sessions],
                      "咨询类型": [x[3] for x in sessions]})
    o = pd.DataFrame({"订单编号": [f"D{i}" for i in range(len(orders))], "顾客编号": [x[0] for x in orders],
                      "拍下时间": [base + pd.Timedelta(seconds=x[1]) for x in orders],
                      "付款时间": [base + pd.Timedelta(seconds=x[1] + 60) if x[2] else pd.NaT for x in orders]})
    rate = sales.inquiry_conversion(s, o, days=days)
    assert is_rate(rate)
    # reference: buyers with a pre-sale session and a paid order in [start, start + days]
    asked = {x[0] for x in sessions if x[3] == "售前咨询"}
    won = {b for b, _, start, kind in sessions if kind == "售前咨询"
           for buyer, placed, paid in orders if buyer == b and paid and start <= placed <= start + days * 86400}
    assert (math.isnan(rate) and not asked) or rate == pytest.approx(len(won) / len(asked))
    table = sales.inquiry_conversion(s, o, days=days, by_agent=True)
    assert (table["成交人数"] <= table["询单人数"]).all()
    assert table["成交人数"].sum() >= len(won)
    assert (table["成交人数"].sum() == 0) == (len(won) == 0)


def test_reminder_success_ties_break_by_count_then_group_order():
    """成功率 first (high to low); equal rates: more reminders first; still equal: the group order."""
    from course_lib.shop.reminder_log import reminder_success

    log = pd.DataFrame({
        "订单编号": list("ABCDEFGH"),
        "未付款原因": ["有所顾虑", "有所顾虑", "多家比较", "多家比较", "多家比较", "多家比较", "议价不成功", "忘记付款"],
        "是否付款": [True, False, True, True, False, False, True, False],
    })
    table = reminder_success(log)
    # 议价不成功 1/1 = 100%; 多家比较 2/4 and 有所顾虑 1/2 both 50%: 多家比较 has more reminders; 忘记付款 0/1
    assert table.index.tolist() == ["议价不成功", "多家比较", "有所顾虑", "忘记付款"]
    same = pd.DataFrame({"订单编号": ["A", "B"], "未付款原因": ["忘记付款", "多家比较"], "是否付款": [True, True]})
    assert reminder_success(same).index.tolist() == ["多家比较", "忘记付款"]   # the groups' sorted order
