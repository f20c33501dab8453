"""The multi-buyer reception simulator (unit 06): scripts, the session engine and its report.

The report's numbers are checked against sessions computed by hand (the arithmetic is in
the comments) and against the chat-log KPI functions run on the same message table.
"""
from __future__ import annotations

import copy
import math

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from course_lib import load_dataset
from course_lib.content.claims import invented_claims
from course_lib.content.loading import ContentError
from course_lib.content.reception import ABSENT, LOST, THINKING, UNFINISHED, Reception, ReceptionError
from course_lib.content.reception_script import load_reception, longest_best, reception_from_data
from course_lib.content.rubric_rules import default_rubric
from course_lib.files import read_yaml
from course_lib.settings import data_dir
from course_lib.shop.chat import average_response_time, first_response_time, reply_rate, three_minute_rate
from course_lib.shop.reception_report import agent_kpis, max_concurrent, reception_report

OPTIONS = [{"text": "16:00前付款当天发～", "score": 10, "feedback": "好"},
           {"text": "能", "score": 4, "feedback": "太短"}]


def script(buyers, **extra):
    raw = {"id": "t", "unit": "u06", "title": "测试", "agent": "小杰", "bot_greeting": "自动回复：请稍候",
           "buyers": buyers, **extra}
    return reception_from_data(raw, "t.yaml")


def two_buyers(**extra):
    """甲: a two-message first turn (0 s and 2 s) and a second turn 20 s after the answer; 乙 arrives at 5 s."""
    return script([
        {"key": "b1", "nickname": "甲", "customer_id": "C1", "arrival": 0,
         "turns": [{"messages": ["在吗", "今天能发吗"], "gaps": [2], "patience": 60, "options": OPTIONS},
                   {"delay": 20, "messages": ["几天到"], "options": OPTIONS}]},
        {"key": "b2", "nickname": "乙", "customer_id": "C2", "arrival": 5,
         "turns": [{"messages": ["有货吗"], "options": OPTIONS}]}], **extra)


def one_buyer(patience=30, **extra):
    return script([{"key": "b", "nickname": "丙", "customer_id": "C3",
                    "turns": [{"messages": ["在吗"], "patience": patience, "options": OPTIONS}]}], **extra)


def report_of(sim):
    return reception_report(sim.message_rows(), sim.buyer_rows())


def play_two_buyers():
    sim = Reception(two_buyers())
    sim.quick_reply("b2", at=9)          # 乙: round 1 = 5 → 9 s: 4 s
    sim.choose("b1", 0, at=12)           # 甲: round 1 = 0 → 12 s: 12 s (the robot at 1 s does not count)
    sim.choose("b2", 1, at=30)           # 乙 answered (score 4); a second human message opens no round
    sim.choose("b1", 0, at=50)           # 甲: turn 2 came at 12 + 20 = 32 s; round 2 = 32 → 50 s: 18 s
    return sim


# ------------------------------------------------------------------ a hand-computed session

def test_hand_computed_session_report():
    sim = play_two_buyers()
    assert sim.finished
    report = report_of(sim)
    rows = report.per_buyer.set_index("顾客")
    assert rows.loc["甲", "首次响应秒数"] == 12.0
    assert rows.loc["甲", "平均响应秒数"] == 15.0                 # (12 + 18) ÷ 2
    assert rows.loc["乙", "首次响应秒数"] == 4.0 and rows.loc["乙", "平均响应秒数"] == 4.0
    assert rows["回复条数"].tolist() == [2, 2]                      # the 快捷短语 is a human reply
    assert rows["平均得分"].tolist() == [10.0, 4.0]                  # …but it is not scored
    assert rows["结果"].tolist() == ["下单成功", THINKING]            # 4 < 7
    s = report.summary
    assert s["会话数"] == 2 and s["最多同时接待"] == 2                # 甲 0–50 s and 乙 5–30 s overlap
    assert s["平均首次响应秒数"] == 8.0                               # (12 + 4) ÷ 2
    assert s["10秒内首次响应占比"] == 0.5                             # 乙 only
    assert s["平均响应秒数"] == pytest.approx(34 / 3)                 # (12 + 18 + 4) ÷ 3 rounds
    assert s["3分钟人工响应率"] == 1.0 and s["回复率"] == 1.0
    assert s["平均得分"] == 7.0                                       # (10 + 4) ÷ 2


def test_message_rows_have_the_chat_log_columns_and_order():
    msgs = pd.DataFrame(play_two_buyers().message_rows())
    assert list(msgs.columns) == list(load_dataset("chat_messages").columns)
    b1 = msgs[msgs["会话编号"] == "SIM01"]
    assert b1["发送方"].tolist() == ["顾客", "机器人", "顾客", "客服", "顾客", "客服"]
    assert b1["序号"].tolist() == [1, 2, 3, 4, 5, 6]
    assert [t.second for t in b1["发送时间"]] == [0, 1, 2, 12, 32, 50]
    b2 = msgs[msgs["会话编号"] == "SIM02"]
    assert b2["发送方"].tolist() == ["顾客", "机器人", "客服", "客服"]
    assert set(msgs["客服编号"]) == {"学员"} and b2["顾客编号"].iloc[0] == "C2"
    assert str(b1["发送时间"].iloc[0]) == "2025-11-15 10:00:00"


def agrees_with_the_kpi_functions(sim):
    msgs = pd.DataFrame(sim.message_rows())
    report = report_of(sim)
    s = report.summary
    if msgs.empty or not (msgs["发送方"] == "顾客").any():
        assert s["会话数"] == 0
        return
    first = first_response_time(msgs)
    same = [(s["平均响应秒数"], average_response_time(msgs)), (s["3分钟人工响应率"], three_minute_rate(msgs)),
            (s["回复率"], reply_rate(msgs)), (s["平均首次响应秒数"], first["首次响应秒数"].mean()),
            (s["10秒内首次响应占比"], (first["首次响应秒数"] <= 10).mean()), (s["会话数"], len(first)),
            (s["最多同时接待"], max_concurrent(msgs))]
    for mine, theirs in same:
        assert (math.isnan(mine) and math.isnan(theirs)) or mine == pytest.approx(theirs)
    for row, sid in zip(report.per_buyer.itertuples(index=False), [r["会话编号"] for r in sim.buyer_rows()]):
        own = msgs[msgs["会话编号"] == sid]
        expected = average_response_time(own) if (own["发送方"] == "顾客").any() else math.nan
        assert (math.isnan(row.平均响应秒数) and math.isnan(expected)) or row.平均响应秒数 == expected


def test_the_report_is_the_kpi_functions_on_the_same_events():
    agrees_with_the_kpi_functions(play_two_buyers())


def test_queue_puts_the_longest_waiting_first_and_marks_the_standard():
    sim = Reception(two_buyers())
    rows = sim.queue(at=7)
    assert [(r.key, r.unread, r.waiting) for r in rows] == [("b1", 2, 7.0), ("b2", 1, 2.0)]
    assert not any(r.over_standard for r in rows)
    rows = sim.queue(at=11)                                    # 甲 waited 11 s > 10 s (first response)
    assert rows[0].key == "b1" and rows[0].over_standard and not rows[1].over_standard
    sim.quick_reply("b1", at=11)
    rows = sim.queue(at=11)
    assert [r.key for r in rows] == ["b2", "b1"]               # 甲 has nothing unread now
    assert rows[1].waiting is None and rows[1].answerable and rows[1].kind == "options"
    sim.choose("b1", 0, at=12)
    rows = sim.queue(at=32 + 35)                               # 甲's turn 2 came at 32 s: 35 s is not over 35 s
    assert next(r for r in rows if r.key == "b1").over_standard is False
    assert next(r for r in sim.queue(at=32 + 36) if r.key == "b1").over_standard is True


def test_a_buyer_still_typing_cannot_be_answered_but_can_get_the_quick_phrase():
    sim = Reception(two_buyers())
    sim.advance(1)
    assert sim.typing("b1") and sim.current("b1") is None
    with pytest.raises(ReceptionError, match="还在输入"):
        sim.choose("b1", 0, at=1)
    sim.quick_reply("b1", at=1.5)                              # round 1: 0 → 1.5 s; the message at 2 s starts round 2
    sim.choose("b1", 0, at=4)
    rounds = report_of(sim).per_buyer.loc[0]
    assert rounds["首次响应秒数"] == 1.5 and rounds["平均响应秒数"] == 1.75   # (1.5 + 2) ÷ 2


def test_the_robot_is_not_a_human_reply():
    sim = Reception(two_buyers())
    sim.advance(3)
    assert sim.queue()[0].unread == 2                          # the auto-reply does not clear unread messages
    sim.finish(at=3)
    report = report_of(sim)
    assert math.isnan(report.per_buyer.loc[0, "首次响应秒数"]) and report.summary["回复率"] == 0.0


def test_no_robot_after_the_agent_already_replied():
    sim = Reception(one_buyer(bot_greeting="请稍候"))
    sim.choose("b", 0, at=0.5)
    assert [e.sender for e in sim.log] == ["顾客", "客服"]


# ------------------------------------------------------------------ waiting, nudging, leaving

def test_an_unanswered_buyer_nudges_then_leaves_and_counts_600_seconds():
    sim = Reception(one_buyer(patience=30, bot_greeting=""))
    sim.finish(at=100)                                          # nudge at 30 s, leaves at 60 s
    assert [(e.time, e.sender, e.text) for e in sim.log] == [(0, "顾客", "在吗"), (30, "顾客", "人呢？还在吗？")]
    report = report_of(sim)
    row = report.per_buyer.iloc[0]
    assert row["结果"] == LOST and row["回复条数"] == 0 and math.isnan(row["平均得分"])
    assert math.isnan(row["首次响应秒数"]) and row["平均响应秒数"] == 600.0   # one unanswered round: 600 s
    s = report.summary
    assert s["10秒内首次响应占比"] == 0.0 and s["回复率"] == 0.0 and s["3分钟人工响应率"] == 0.0


def test_a_buyer_only_the_robot_answered_is_left_out_of_the_average_but_not_of_the_reply_rate():
    """淘宝口径: a reception where only the robot replied (纯机器人接待) has no rounds in 人工平响."""
    sim = Reception(two_buyers())
    sim.choose("b2", 0, at=8)                                  # 乙: 3 s; 甲 only ever gets the robot
    sim.finish(at=20)
    report = report_of(sim)
    assert math.isnan(report.per_buyer.loc[0, "平均响应秒数"]) and report.per_buyer.loc[1, "平均响应秒数"] == 3.0
    assert report.summary["平均响应秒数"] == 3.0 and report.summary["回复率"] == 0.5
    assert report.summary["10秒内首次响应占比"] == 0.5                 # 甲 counts as not within 10 s


def test_a_nudge_after_the_quick_phrase_opens_a_new_round():
    sim = Reception(one_buyer(patience=30))
    sim.quick_reply("b", at=5)                                  # round 1: 5 s
    sim.choose("b", 1, at=40)                                   # the nudge at 30 s: round 2 = 10 s
    row = report_of(sim).per_buyer.iloc[0]
    assert row["首次响应秒数"] == 5.0 and row["平均响应秒数"] == 7.5 and row["结果"] == THINKING


def test_the_time_limit_ends_the_session():
    sim = Reception(one_buyer(patience=100, time_limit=60, bot_greeting=""))
    sim.advance(200)
    assert sim.finished and sim.now == 60
    report = report_of(sim)
    assert report.per_buyer.loc[0, "结果"] == UNFINISHED and report.summary["平均响应秒数"] == 600.0
    with pytest.raises(ReceptionError, match="已经结束"):
        sim.choose("b", 0, at=200)


def test_a_buyer_who_never_came():
    sim = Reception(two_buyers())
    sim.finish(at=3)
    report = report_of(sim)
    assert report.per_buyer["结果"].tolist() == [UNFINISHED, ABSENT] and report.summary["会话数"] == 1


def test_an_empty_session_has_an_empty_report():
    report = reception_report([], Reception(one_buyer()).buyer_rows())
    assert report.summary["会话数"] == 0 and math.isnan(report.summary["平均响应秒数"])


# ------------------------------------------------------------------ wrong actions: Chinese errors

@pytest.mark.parametrize("action, message", [
    (lambda s: s.choose("bx", 0, at=3), "没有这位顾客"),
    (lambda s: s.choose("b1", 5, at=3), "选项序号"),
    (lambda s: s.choose("b1", True, at=3), "选项序号"),
    (lambda s: s.reply("b1", "您好", at=3), "从选项中选"),
    (lambda s: s.reply("b1", 123, at=3), "回复应是文字"),
    (lambda s: s.reply("b1", "   ", at=3), "请先写下"),
    (lambda s: s.choose("b2", 0, at=3), "还没有发来消息"),
    (lambda s: s.quick_reply("b2", at=3), "没有未读消息"),
    (lambda s: s.advance(-1), "时间"),
    (lambda s: s.advance("五秒"), "时间应是"),
    (lambda s: s.advance(float("nan")), "时间应是"),
])
def test_wrong_actions_raise_chinese_errors(action, message):
    with pytest.raises(ReceptionError, match=message):
        action(Reception(two_buyers()))


def test_time_cannot_go_back_and_answered_buyers_cannot_be_answered_again():
    sim = play_two_buyers()
    with pytest.raises(ReceptionError, match="倒退"):
        sim.advance(10)
    sim2 = Reception(two_buyers())
    sim2.choose("b2", 0, at=8)
    with pytest.raises(ReceptionError, match="已经结束"):
        sim2.choose("b2", 0, at=9)
    sim2.choose("b1", 0, at=9)
    with pytest.raises(ReceptionError, match="还没有提出新的问题"):
        sim2.choose("b1", 0, at=10)                              # 甲's turn 2 comes at 29 s


# ------------------------------------------------------------------ scripts

def raw_script() -> dict:
    return copy.deepcopy(read_yaml(data_dir() / "scenarios" / "multi" / "u06_reception.yaml", "u06_reception.yaml"))


@pytest.mark.parametrize("change, message", [
    (lambda r: r.pop("title"), "缺少 title"),
    (lambda r: r.update(buyers=[]), "1～5位顾客"),
    (lambda r: r.update(start="明天上午"), "start"),
    (lambda r: r.update(extra=1), "未知字段"),
    (lambda r: r["buyers"][0]["turns"][0].update(gaps=[3, 4]), "gaps"),
    (lambda r: r["buyers"][0]["turns"][1].update(patience=1), "patience"),
    (lambda r: r["buyers"][0]["turns"][0]["options"][1].update(score=10), "恰好一个"),
    (lambda r: r["buyers"][0]["turns"][0]["options"][1].update(score="十"), "score"),
    (lambda r: r["buyers"][0]["turns"][0].update(delay=5), "不写 delay"),
    (lambda r: r["buyers"][1]["turns"][2]["reply"].pop("reference"), "reference"),
    (lambda r: r["buyers"][1]["turns"][2]["reply"]["rubric"].update(gates="七天"), "gates"),
    (lambda r: r["buyers"][1].update(key="b1"), "重复"),
    (lambda r: r["buyers"][0]["turns"][0].update(reply={"reference": "x"}), "二者之一"),
])
def test_broken_scripts_are_named_in_chinese(change, message):
    raw = raw_script()
    change(raw)
    with pytest.raises(ContentError, match=message):
        reception_from_data(raw, "u06_reception.yaml")


def test_presets_and_bad_sizes():
    s = load_reception("u06_reception")
    assert [len(s.select(n).buyers) for n in (3, 4, 5)] == [3, 4, 5]
    for bad in (2, 6, "3", True):
        with pytest.raises(ContentError, match="3、4或5"):
            s.select(bad)
    with pytest.raises(ContentError, match="字母、数字"):
        load_reception("../u06_reception")


def test_the_classroom_script_teaches_fairly():
    s = load_reception("u06_reception")
    assert len(s.buyers) == 5 and len({b.customer_id for b in s.buyers}) == 5
    assert not {b.customer_id for b in s.buyers} & set(load_dataset("customers")["顾客编号"])
    for preset in (s.select(3), s):
        longest, turns = longest_best(preset)
        assert longest * 2 <= turns, (longest, turns)       # picking the longest reply does not win
    assert sum(1 for b in s.select(3).buyers for t in b.turns if t.reply is not None) >= 1
    rb = default_rubric()
    for b in s.buyers:
        for t in b.turns:                                     # the best replies state only the card's facts
            said = t.best.text if t.options else t.reference
            assert invented_claims(said, s.facts, rb.vocab, rb.lexicon, t.text) == [], (b.nickname, said)
            if t.reply is not None:
                assert t.reply.score(t.reference).score == 100


def test_best_replies_serve_every_buyer_well():
    s = load_reception("u06_reception")
    sim, at = Reception(s), 0.0
    while not sim.finished:
        at += 1
        for row in sim.queue(at=at):
            turn = sim.current(row.key)
            if turn is not None and not sim.finished:
                if turn.options:
                    sim.choose(row.key, turn.options.index(turn.best), at=at)
                else:
                    sim.reply(row.key, turn.reference, at=at)
    assert [st.outcome for st in sim.state.values()] == [b.success for b in s.buyers]
    assert report_of(sim).summary["10秒内首次响应占比"] == 1.0
    agrees_with_the_kpi_functions(sim)


# ------------------------------------------------------------------ the KPI helpers

def test_max_concurrent_by_hand():
    t = pd.to_datetime
    msgs = pd.DataFrame({"会话编号": ["S1", "S1", "S2", "S2", "S3", "S4"], "客服编号": ["K", "K", "K", "K", "K", "L"],
                         "发送时间": t(["2025-11-15 10:00", "2025-11-15 10:10", "2025-11-15 10:02", "2025-11-15 10:04",
                                       "2025-11-15 10:10", "2025-11-15 10:03"])})
    assert max_concurrent(msgs) == 3                      # 10:03: S1, S2 and L's S4
    assert max_concurrent(msgs, by_agent=True).to_dict() == {"K": 2, "L": 1}   # S3 touches S1 at 10:10
    assert max_concurrent(msgs.iloc[0:0]) == 0


def test_agent_kpis_are_the_chat_functions_per_agent():
    msgs = load_dataset("chat_messages")
    table = agent_kpis(msgs)
    a03 = msgs[msgs["客服编号"] == "A03"]
    first = first_response_time(a03)
    assert table.loc["A03", "会话数"] == len(first)
    assert table.loc["A03", "平均首次响应秒数"] == pytest.approx(first["首次响应秒数"].mean())
    assert table.loc["A03", "10秒内首次响应占比"] == pytest.approx((first["首次响应秒数"] <= 10).mean())
    assert table.loc["A03", "平均响应秒数"] == pytest.approx(average_response_time(a03))
    assert table.loc["A03", "3分钟人工响应率"] == pytest.approx(three_minute_rate(a03))
    assert table.loc["A03", "回复率"] == pytest.approx(reply_rate(a03))


def test_the_report_text():
    text = report_of(play_two_buyers()).to_text()
    assert text.splitlines()[0] == "接待2位顾客，最多同时接待2位。"
    assert "10秒内首次响应占比50.0%" in text and "· 乙：首次响应4.0秒，平均响应4.0秒，回复2条，平均得分4.0/10，结果：考虑中" in text


# ------------------------------------------------------------------ anything a student may do

ACTIONS = st.lists(st.tuples(st.floats(0, 40, allow_nan=False), st.sampled_from(["b1", "b2", "bx"]),
                             st.sampled_from(["choose", "reply", "quick", "finish"]), st.integers(-1, 3),
                             st.text(max_size=30)), max_size=25)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ACTIONS)
def test_any_sequence_of_actions_keeps_the_report_consistent(actions):
    sim = Reception(two_buyers())
    at = 0.0
    for dt, key, kind, index, text in actions:
        at += dt
        try:
            if kind == "choose":
                sim.choose(key, index, at=at)
            elif kind == "reply":
                sim.reply(key, text, at=at)
            elif kind == "quick":
                sim.quick_reply(key, at=at)
            else:
                sim.finish(at=at)
        except ReceptionError as error:
            assert str(error) and not str(error).isascii()
    rows = sim.message_rows()
    for sid in {r["会话编号"] for r in rows}:
        own = [r for r in rows if r["会话编号"] == sid]
        assert [r["序号"] for r in own] == list(range(1, len(own) + 1))
        assert [r["发送时间"] for r in own] == sorted(r["发送时间"] for r in own)
    agrees_with_the_kpi_functions(sim)


@settings(max_examples=40, deadline=None)
@given(st.text(max_size=200))
def test_any_free_reply_scores_between_0_and_10(text):
    sim = Reception(load_reception("u06_reception").select(3))
    sim.choose("b2", 2, at=7)
    sim.choose("b2", 1, at=30)                  # the free-reply turn arrives at 45 s
    try:
        step = sim.reply("b2", text, at=46)
    except ReceptionError as error:
        assert not text.strip() and "请先写下" in str(error)
        return
    assert 0 <= step.score <= 10 and step.rubric is not None


# ------------------------------------------------------------------ the free-reply turn, judged like tests/replies/
# (小满_0812's third question: 收到要是不喜欢能退吗？ — a turn of a multi-buyer script, so its labelled
#  replies live here, not in tests/replies/, whose items are exercises and scenario turns)
FREE_TURN_REPLIES = [
    ("可以的～收到后商品完好（包装、吊牌齐全），支持七天无理由退货；下单还送运费险，退货运费由运费险承担，您可以放心。", "accept"),
    ("能退，支持七天无理由退货，有运费险。", "accept"),
    ("您放心，包装和吊牌都在的话，7天内无理由退货都可以，退货的运费有运费险帮您出。", "accept"),
    ("可以退的，七天无理由退货，每单都有运费险，退货运费不用您出～", "accept"),
    ("这款是头层牛皮的，详情页有检测报告，质量您放心～", "reject"),
    ("能退的，七天无理由退货，有运费险，不过您要赶紧付款哦，不然就被别人买走了！", "reject"),
    ("能退，七天无理由退货，运费险包来回运费，还支持专柜验货～", "reject"),
    ("不喜欢不能退哦，不支持七天无理由退货，运费险也没有。", "reject"),
    ("肯定不会不喜欢的，绝对满意！七天无理由退货也有，运费险也有。", "reject"),
    ("退货的话您加我微信，我直接给您转账退款，七天无理由，运费险也有。", "reject"),
    ("售后规则详情页都写了，您看一下就知道了。", "reject"),
    ("收到要是不喜欢能退吗？", "reject"),
]


@pytest.mark.parametrize("text, label", FREE_TURN_REPLIES)
def test_the_simulator_s_free_reply_turn_agrees_with_the_teacher(text, label):
    turn = load_reception("u06_reception").buyers[1].turns[2]
    score = turn.reply.score(text).score
    assert (score >= 70) == (label == "accept"), score      # 7 of 10 is the mark for a good outcome (GOOD_MEAN)
    assert label == "accept" or score < 75
