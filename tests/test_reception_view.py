"""The ReceptionSimulator widget driven like a student, with a clock the test moves by hand."""
from __future__ import annotations

import math

import pytest

from course_lib import ReceptionSimulator
from course_lib.content.reception import LOST
from course_lib.progress import ProgressStore

REFERENCE = "可以的～收到后商品完好，支持七天无理由退货；下单还送运费险，退货运费由运费险承担，您可以放心。"


class Clock:
    def __init__(self) -> None:
        self.now = 500.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def sim(tmp_path):
    clock = Clock()
    s = ReceptionSimulator("u06_reception", buyers=3, clock=clock, store=ProgressStore(tmp_path / "p.json"))
    s.test_clock = clock
    return s


def at(sim, second: float) -> None:
    sim.test_clock.now = 500.0 + second
    sim.tick()


def answer_best(sim, key: str) -> None:
    sim.queue_buttons[key].click()
    turn = sim.engine.current(key)
    sim.option_buttons[turn.options.index(turn.best)].click()
    assert "本轮得分10/10" in sim.turn_feedback.value


def test_fallback_and_start(sim):
    assert sim._repr_mimebundle_()["text/plain"] == "【多顾客接待模拟】周六上午的咨询小高峰（3位顾客）：运行本单元格开始接待。"
    assert sim.desk.layout.display == "none" and sim.engine is None
    sim.test_clock.now += 40                                   # reading the task card does not count
    sim.start_button.click()
    assert sim.ticker.playing and sim.start_button.layout.display == "none" and sim.desk.layout.display is None
    assert list(sim.queue_buttons) == ["b1"] and "已接待 00:00／10:00" in sim.clock_html.value


def test_a_typing_buyer_shows_no_options_and_a_waiting_one_turns_red(sim):
    sim.start_button.click()
    at(sim, 1)
    sim.queue_buttons["b1"].click()
    assert "顾客正在输入" in sim.prompt_html.value and sim.option_buttons == []
    assert "在吗" in sim.chat_html.value and "自动回复" in sim.chat_html.value
    at(sim, 3)                                                 # the question is complete
    assert len(sim.option_buttons) == 3 and "course-unread" in sim._queue_notes["b1"].value
    at(sim, 11)                                                # 11 s without a first reply: over 10 s
    assert "已等11秒（标准10秒）" in sim._queue_notes["b1"].value
    assert sim.queue_buttons["b1"].button_style == "info"      # selected
    assert sim.queue_buttons["b2"].button_style == "warning"   # 小满 (6 s): unread, not yet over
    at(sim, 17)
    assert sim.queue_buttons["b2"].button_style == "danger"    # 小满 waited 11 s


def test_a_whole_classroom_session_gives_the_hand_computed_report(sim):
    sim.start_button.click()
    at(sim, 4)
    answer_best(sim, "b1")            # 橙子 round 1: 0 → 4 s
    at(sim, 8)
    answer_best(sim, "b2")            # 小满 round 1: 6 → 8 s
    at(sim, 22)
    answer_best(sim, "b1")            # 橙子 turn 2 came at 4 + 12 = 16 s: 6 s
    at(sim, 26)
    answer_best(sim, "b3")            # 大熊 round 1: 20 → 26 s
    at(sim, 36)
    answer_best(sim, "b2")            # 小满 turn 2 at 8 + 15 = 23 s: 13 s
    at(sim, 40)
    answer_best(sim, "b3")            # 大熊 turn 2 at 26 + 10 = 36 s: 4 s
    at(sim, 45)
    answer_best(sim, "b1")            # 橙子 turn 3 at 22 + 15 = 37 s: 8 s — 橙子 is done
    at(sim, 57)
    answer_best(sim, "b3")            # 大熊 turn 3 at 40 + 12 = 52 s: 5 s — done
    at(sim, 58)
    sim.queue_buttons["b2"].click()   # 小满 turn 3 (free reply) at 36 + 15 = 51 s
    assert sim.reply_box.layout.display is None and sim.option_buttons == []
    sim.quick_button.click()          # the 快捷短语 ends the round: 7 s
    assert "快捷短语" in sim.turn_feedback.value and sim.quick_button.disabled
    at(sim, 75)
    sim.send.click()                  # an empty reply: a hint, nothing sent
    assert "请先输入" in sim.status.value and not sim.engine.finished
    sim.text.value = REFERENCE
    sim.send.click()
    assert sim.engine.finished and sim.report is not None and not sim.ticker.playing
    rows = sim.report.per_buyer
    assert rows["首次响应秒数"].tolist() == [4.0, 2.0, 6.0]
    assert rows["平均响应秒数"].tolist() == pytest.approx([6.0, 22 / 3, 5.0])   # (4+6+8)/3, (2+13+7)/3, (6+4+5)/3
    assert rows["回复条数"].tolist() == [3, 4, 3]
    assert rows["平均得分"].tolist() == [10.0, 10.0, 10.0]
    assert rows["结果"].tolist() == ["下单成功", "下单成功", "已加入购物车，对店铺印象不错"]
    s = sim.report.summary
    assert (s["会话数"], s["最多同时接待"], s["平均首次响应秒数"], s["10秒内首次响应占比"]) == (3, 3, 4.0, 1.0)
    assert s["平均响应秒数"] == pytest.approx(55 / 9)           # 4+6+8 + 2+13+7 + 6+4+5 over 9 rounds
    assert s["3分钟人工响应率"] == 1.0 and s["回复率"] == 1.0
    html = sim.report_html.value
    assert "接待报告" in html and "本次模拟（你）" in html and "小雅（A01）" in html and "小杰（A03）" in html
    table = sim.comparison()
    assert list(table.index) == ["本次模拟（你）", "小雅（A01）", "小暖（A02）", "小杰（A03）"]
    assert table.loc["本次模拟（你）", "平均响应秒数"] == pytest.approx(55 / 9)
    messages = sim.messages()
    assert list(messages.columns) == ["会话编号", "顾客编号", "客服编号", "序号", "发送方", "发送时间"]
    assert len(messages) == (4 + 1 + 3) + (3 + 1 + 4) + (4 + 1 + 3)   # per buyer: own messages, the robot, replies


def test_an_ignored_buyer_nudges_leaves_and_the_report_says_so(sim):
    sim.start_button.click()
    for second, key in ((4, "b1"), (8, "b2"), (22, "b1"), (36, "b2"), (45, "b1")):
        at(sim, second)
        answer_best(sim, key)
    at(sim, 68)
    sim.queue_buttons["b3"].click()
    assert "再不回我就走了" not in sim.chat_html.value
    at(sim, 69)                                                 # 大熊's second message at 24 s + 45 s patience
    assert "再不回我就走了" in sim.chat_html.value
    at(sim, 114)                                                # another 45 s: he leaves
    assert "等太久，离开了" in sim.chat_html.value
    assert sim.engine.state["b3"].outcome == LOST and not sim.engine.finished   # 小满 still has a question
    sim.finish_button.click()
    row = sim.report.per_buyer.iloc[2]
    assert row["结果"] == LOST and math.isnan(row["首次响应秒数"]) and row["回复条数"] == 0
    assert sim.report.summary["回复率"] == pytest.approx(2 / 3)
    assert sim.report.per_buyer.loc[1, "结果"] == "未接待完"


def test_the_last_report_comes_back_and_restart_clears(sim, tmp_path):
    sim.start_button.click()
    at(sim, 30)
    sim.finish_button.click()
    assert sim.restart_button.layout.display is None and "接待报告" in sim.report_html.value
    again = ReceptionSimulator("u06_reception", buyers=3, store=ProgressStore(tmp_path / "p.json"))
    assert "上次的接待报告" in again.report_html.value and "接待3位顾客" in again.report_html.value
    five = ReceptionSimulator("u06_reception", buyers=5, store=ProgressStore(tmp_path / "p.json"))
    assert five.report_html.value == ""                         # another preset: another report
    sim.restart_button.click()
    assert sim.engine is None and sim.queue_buttons == {} and sim.start_button.layout.display is None
    sim.start_button.click()
    assert sim.engine.now == 0 and list(sim.queue_buttons) == ["b1"]


def test_callback_errors_are_shown_in_chinese(sim, monkeypatch):
    sim.start_button.click()
    at(sim, 4)
    sim.queue_buttons["b1"].click()

    def broken(*args, **kwargs):
        raise RuntimeError("模拟故障")

    monkeypatch.setattr(sim.engine, "choose", broken)
    sim.option_buttons[0].click()
    assert "出了点问题：模拟故障" in sim.status.value and "Traceback" not in sim.status.value
    sim.quick_button.click()                                     # a rule of the session: a friendly line too
    sim.quick_button.click()
    assert "没有未读消息" in sim.status.value


def test_bad_presets_are_refused_in_chinese():
    with pytest.raises(ValueError, match="3、4或5"):
        ReceptionSimulator("u06_reception", buyers=7)


def test_another_buyer_s_message_does_not_redraw_the_open_chat(sim):
    """A redrawn option button is a new widget: a click on the old one would be lost."""
    sim.start_button.click()
    at(sim, 4)
    answer_best(sim, "b1")                                      # 橙子's next message comes at 16 s
    at(sim, 7)
    sim.queue_buttons["b2"].click()
    buttons = list(sim.option_buttons)
    at(sim, 17)
    assert sim.engine.state["b1"].unread == 1                   # 橙子 wrote meanwhile…
    assert sim.option_buttons == buttons and all(b.comm is not None for b in buttons)   # …小满's options stay
    buttons[2].click()
    assert "本轮得分10/10" in sim.turn_feedback.value


def test_a_double_click_answers_one_round_and_shows_no_error(sim):
    """The second click of a double click lands on the button of the round just answered: it must
    not answer (or complain about) the buyer's next round (as in the one-buyer role-play)."""
    sim.start_button.click()
    at(sim, 4)
    sim.queue_buttons["b1"].click()
    turn = sim.engine.current("b1")
    button = sim.option_buttons[turn.options.index(turn.best)]
    button.click()
    at(sim, 30)                                                  # 橙子's next question has arrived
    assert sim.engine.current("b1") is not None
    button.click()                                               # the old button again
    assert sim.engine.state["b1"].turn == 1 and sim.status.value == ""
    for second, key in ((31, "b2"), (32, "b3"), (33, "b1"), (60, "b2"), (61, "b3"), (62, "b1"), (90, "b3")):
        at(sim, second)
        answer_best(sim, key)
    at(sim, 95)
    sim.queue_buttons["b2"].click()
    sim.text.value = REFERENCE
    sim.send.click()
    assert sim.engine.finished
    sim.send.click()                                             # after the end: no 请先输入回复内容
    assert sim.status.value == ""
