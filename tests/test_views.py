"""Widget views driven from pytest: set values, click, read the feedback."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

pytest.importorskip("ipywidgets")

import ipywidgets as w

from course_lib.progress import ProgressStore
from course_lib.views.base import typed
from course_lib.views.quiz import Quiz
from course_lib.views.roleplay import RolePlay


def test_quiz_feedback_summary_and_restore(tmp_path):
    store = ProgressStore(tmp_path / "p.json")
    quiz = Quiz("u00", store=store)
    first, second, third = quiz.cards
    first.input.value = "B"
    first.submit.click()
    assert "回答正确" in first.feedback.value and "解析" in first.feedback.value
    third.set_answer(["A", "C"])
    third.submit.click()
    assert "回答不正确" in third.feedback.value and "正确答案：" not in third.feedback.value
    assert "已作答2/3题，答对1题" in quiz.summary.value
    # a kernel restart: a new store object reading the same file, a new quiz
    again = Quiz("u00", store=ProgressStore(tmp_path / "p.json"))
    assert again.cards[0].input.value == "B" and "解析：" in again.cards[0].feedback.value
    assert [b.value for b in again.cards[2].boxes] == [True, False, True, False]
    assert "已作答2/3题" in again.summary.value and "回答不正确" in again.cards[2].feedback.value
    assert "再想一想" in again.cards[2].feedback.value and again.cards[2].tries == 1
    assert all(card.status.value == "" for card in again.cards) and again.status.value == ""


def shown(card) -> bool:
    """Whether the card shows the key and the explanation (the 看解析 button is then hidden)."""
    return "解析：" in card.feedback.value and card.reveal.layout.display == "none"


def test_a_wrong_first_try_keeps_the_key_hidden_the_second_shows_it(tmp_path):
    card = Quiz("u00", store=ProgressStore(tmp_path / "p.json")).cards[0]     # single choice, key B
    assert card.reveal.layout.display == "none"                                 # nothing to reveal yet
    card.input.value = "A"
    card.submit.click()
    text = card.feedback.value
    assert "回答不正确" in text and "后面的测验" in text                        # the chosen option's feedback
    assert "正确答案：" not in text and "解析：" not in text and "每个笔记本的第一个代码单元格" not in text
    assert "再想一想" in text and card.reveal.layout.display is None and not shown(card)
    card.input.value = "C"
    card.submit.click()
    assert shown(card) and "正确答案：</b>B" in card.feedback.value and card.tries == 2


def test_a_right_retry_shows_the_explanation_without_the_key_line(tmp_path):
    card = Quiz("u00", store=ProgressStore(tmp_path / "p.json")).cards[0]
    card.input.value = "C"
    card.submit.click()
    card.input.value = "B"
    card.submit.click()
    assert "回答正确" in card.feedback.value and shown(card) and "正确答案：" not in card.feedback.value


def test_the_reveal_button_shows_the_key_and_is_remembered(tmp_path):
    store = ProgressStore(tmp_path / "p.json")
    card = Quiz("u00", store=store).cards[2]                                    # multiple choice, key A B D
    card.set_answer(["C"])
    card.submit.click()
    assert not shown(card)
    card.reveal.click()
    assert shown(card) and "正确答案：</b>ABD" in card.feedback.value and card.tries == 1
    assert store.get("quiz", "u00.q3") == {"answer": ["C"], "status": "wrong", "tries": 1, "revealed": True}
    again = Quiz("u00", store=ProgressStore(tmp_path / "p.json")).cards[2]
    assert shown(again) and again.revealed


def test_an_unanswered_submit_is_not_a_try(tmp_path):
    card = Quiz("u00", store=ProgressStore(tmp_path / "p.json")).cards[2]
    card.submit.click()
    card.submit.click()
    assert card.tries == 0 and "尚未作答" in card.feedback.value and card.reveal.layout.display == "none"
    card.reveal.click()                                                          # not on show: nothing happens
    assert not card.revealed and "解析" not in card.feedback.value


@pytest.mark.parametrize("saved", [{"answer": "A", "tries": "many"}, {"answer": "A", "tries": True},
                                   {"answer": "A", "tries": -3, "revealed": "yes"}])
def test_odd_saved_tries_count_as_one_try(tmp_path, saved):
    store = ProgressStore(tmp_path / "p.json")
    store.put("quiz", "u00.q1", saved)
    card = Quiz("u00", store=store).cards[0]
    assert card.tries == 1 and not card.revealed and not shown(card) and "回答不正确" in card.feedback.value


def test_free_text_reference_waits_like_a_key(tmp_path):
    card = Quiz("u10", group="self", store=ProgressStore(tmp_path / "p.json")).cards
    card = next(c for c in card if c.question.free_text)
    card.set_answer("亲，您好！")
    card.submit.click()
    assert "参考回复" not in card.feedback.value and "再想一想" in card.feedback.value
    card.set_answer("亲，您好！请问有什么可以帮您？")
    card.submit.click()
    assert "参考回复" in card.feedback.value and shown(card)


def test_the_same_answer_again_is_not_a_second_try(tmp_path):
    card = Quiz("u00", store=ProgressStore(tmp_path / "p.json")).cards[0]       # u00.q1: B is right
    card.set_answer("A")
    card.submit.click()
    card.submit.click()                                      # a double click
    assert card.tries == 1 and not shown(card) and "答案和上次一样" in card.feedback.value
    card.set_answer("C")
    card.submit.click()
    assert card.tries == 2 and shown(card)


def test_quiz_unanswered_submit_is_friendly(tmp_path):
    quiz = Quiz("u00", store=ProgressStore(tmp_path / "p.json"))
    quiz.cards[0].submit.click()
    assert "尚未作答" in quiz.cards[0].feedback.value
    assert quiz.score == (0, 3)


def test_quiz_fallback_text_instead_of_widget_repr(tmp_path):
    quiz = Quiz("u00", store=ProgressStore(tmp_path / "p.json"))
    bundle = quiz._repr_mimebundle_()
    assert bundle["text/plain"].startswith("【随堂测验") and "运行本单元格" in bundle["text/plain"]
    assert "application/vnd.jupyter.widget-view+json" in bundle


def test_quiz_restores_nothing_from_a_damaged_entry(tmp_path):
    store = ProgressStore(tmp_path / "p.json")
    store.put("quiz", "u00.q3", {"answer": 12345})
    quiz = Quiz("u00", store=store)
    assert quiz.cards[2].feedback.value == ""


def test_unknown_group_is_an_error(tmp_path):
    with pytest.raises(ValueError, match="没有分组"):
        Quiz("u00", group="nope", store=ProgressStore(tmp_path / "p.json"))


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def test_roleplay_plays_to_the_end_with_timing(tmp_path):
    clock = Clock()
    store = ProgressStore(tmp_path / "p.json")
    rp = RolePlay("u00_demo", store=store, clock=clock)
    assert "开始接待" in rp.chat.value and not rp.option_buttons
    clock.now += 30                              # reading the brief does not count
    rp.start_button.click()
    assert rp.ticker.playing and rp.start_button.layout.display == "none"
    assert "在吗" in rp.chat.value and len(rp.option_buttons) == 3
    clock.now += 4
    rp.option_buttons[1].click()
    assert "本轮得分10/10" in rp.turn_feedback.value and "首次响应用时4.0秒（达标）" in rp.turn_feedback.value
    clock.now += 15
    rp.option_buttons[1].click()                 # a weaker reply, and slow
    assert "用时15.0秒" in rp.turn_feedback.value and "参考回复" in rp.turn_feedback.value
    assert rp.bar.max == 35
    clock.now += 3
    rp.option_buttons[0].click()
    assert rp.reply_box.layout.display is None and not rp.option_buttons
    rp.send.click()                              # empty reply: a hint, nothing lost
    assert "请先输入" in rp.status.value and not rp.dialogue.finished
    rp.text.value = "不客气亲，感谢您的支持，有问题随时联系小暖，欢迎再来！"
    clock.now += 6
    rp.send.click()
    assert rp.dialogue.finished
    assert "实训报告：成交" in rp.report_html.value and "需要改进的" in rp.report_html.value
    assert "首次响应用时4.0秒（达标）" in rp.report_html.value and "平均响应用时7.0秒（达标）" in rp.report_html.value
    assert store.get("roleplay", "u00_demo")["outcome"] == "成交"
    again = RolePlay("u00_demo", store=ProgressStore(tmp_path / "p.json"), clock=clock)
    assert "上次完成" in again.report_html.value
    again.start_button.click()
    again.option_buttons[0].click()
    again.restart_button.click()
    assert again.dialogue.steps == [] and len(again.option_buttons) == 3


def test_roleplay_branch_to_lost_customer(tmp_path):
    rp = RolePlay("u00_demo", store=ProgressStore(tmp_path / "p.json"), clock=Clock())
    rp.start_button.click()
    rp.option_buttons[1].click()
    rp.option_buttons[2].click()
    rp.option_buttons[2].click()                  # 「不知道，要看快递。」
    assert rp.dialogue.finished and "顾客流失" in rp.report_html.value


def test_callback_errors_are_shown_not_raised(tmp_path, monkeypatch):
    rp = RolePlay("u00_demo", store=ProgressStore(tmp_path / "p.json"), clock=Clock())

    def broken(*args, **kwargs):
        raise RuntimeError("模拟故障")

    monkeypatch.setattr(rp.dialogue, "choose", broken)
    rp.start_button.click()
    rp.option_buttons[0].click()
    assert "出了点问题：模拟故障" in rp.status.value
    assert "Traceback" not in rp.status.value


def test_roleplay_shows_the_shop_s_facts_as_a_list(tmp_path):
    rp = RolePlay("u10_reminder", store=ProgressStore(tmp_path / "p.json"))
    card = rp.card.value
    assert card.count("<li>") == len(rp.scenario.card) == 8
    assert "<li>每天16:00前付款当天发货，快递一般2～3天送达（不承诺具体到货日期）</li>" in card
    assert rp.card in rp.widget.children


def test_roleplay_fallback(tmp_path):
    rp = RolePlay("u01_thinkpad", store=ProgressStore(tmp_path / "p.json"))
    assert rp._repr_mimebundle_()["text/plain"] == "【角色扮演】数码店售前接待：ThinkPad E430C：运行本单元格开始角色扮演。"


def test_reminder_planner_plans_and_checks():
    from datetime import datetime

    from course_lib.shop.reminders import parse_reminder_time
    from course_lib.views.planner import ReminderPlanner

    planner = ReminderPlanner()
    assert "建议催付时间" in planner.result.value and "晚上22点前" in planner.result.value
    planner.holiday.value = True
    planner.plan_button.click()
    assert "节假日" in planner.result.value
    planner.proposal.value = "次日08:00"
    planner.check_button.click()
    assert "不合适" in planner.check_result.value
    planner.proposal.value = "下周"
    planner.check_button.click()
    assert "时间请写成" in planner.check_result.value and planner.status.value == ""
    planner.holiday.value = False
    planner.proposal.value = "次日09:30"
    planner.check_button.click()
    assert "符合" in planner.check_result.value
    planner.repeat.value = True
    planner.plan_button.click()
    assert "无法按时间表催付" in planner.result.value
    planner.day.value = None
    planner.plan_button.click()
    assert "请先选择拍下日期" in planner.status.value
    assert planner._repr_mimebundle_()["text/plain"].startswith("【催付计划工具】")
    assert parse_reminder_time("2025-10-03 10:00", datetime(2025, 10, 2, 21, 30)) == datetime(2025, 10, 3, 10, 0)


VIEWS = Path(__file__).resolve().parent.parent / "course_lib" / "views"
TYPED = {"Text", "Textarea", "Combobox"}           # ipywidgets' boxes that send as you type unless told not to
LIVE = {("bargain.py", "discount")}                # the margin calculator's 让价: no button, updates as typed


def _box_calls(tree: ast.Module):
    """(kind, name, call) of every typed box a view makes: ``w.Text(...)`` and the like made
    directly (kind "direct") or through ``typed(w.Text, ...)`` (kind "typed"); ``name`` is the
    attribute or variable it is assigned to ("?" when it is not assigned)."""
    names = {id(node.value): getattr(node.targets[0], "attr", getattr(node.targets[0], "id", "?"))
             for node in ast.walk(tree) if isinstance(node, ast.Assign)}
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        if isinstance(node.func, ast.Attribute) and node.func.attr in TYPED:
            yield "direct", names.get(id(node), "?"), node
        elif getattr(node.func, "id", "") == "typed":
            yield "typed", names.get(id(node), "?"), node


def test_typed_boxes_send_their_value_when_left():
    """A typed box that a button reads sends its value when the student leaves it: every view makes
    its Text/Textarea/Combobox through ``views.base.typed`` (continuous_update=False).

    Sending as you type, ipywidgets holds back a box's later keystrokes until the kernel has answered
    the earlier ones, while a click goes at once: on a busy class server a reply typed and sent at once
    could be scored without its last words.  Leaving the box (the mouse going to the button) sends the
    whole value before the click."""
    direct, through = [], []
    for path in sorted(VIEWS.glob("*.py")):
        if path.name == "base.py":
            continue
        for kind, name, call in _box_calls(ast.parse(path.read_text(encoding="utf-8"))):
            if kind == "direct":
                direct.append((path.name, name))
            else:
                assert call.args and getattr(call.args[0], "attr", "") in TYPED, f"{path.name}: {name}"
                through.append((path.name, name))
    assert set(direct) == LIVE, direct
    assert len(through) >= 17, through                         # the walk finds the boxes it should
    for kind in TYPED:
        assert typed(getattr(w, kind)).continuous_update is False


def test_a_double_click_answers_one_round_only(tmp_path):
    """The second click of a double click lands on the button of the round just answered (or after
    the last round): it must not answer the next round (a student's play-through of unit 05)."""
    rp = RolePlay("u05_address", store=ProgressStore(tmp_path / "p.json"))
    rp.start_button.click()
    first = rp.option_buttons[1]
    first.click()
    first.click()                                             # the same button again: the next round is not answered
    assert len(rp.dialogue.steps) == 1 and rp.dialogue.current is not None
    while rp.dialogue.current is not None and not rp.dialogue.current.is_reply:
        rp.option_buttons[0].click()
    if rp.dialogue.current is not None:
        rp.text.value = "亲，今天16:00前付款当天就能发出，快递一般2～3天，地址和赠品都改好了，我帮您留意物流。"
        rp.send.click()
    assert rp.dialogue.finished
    rp.send.click()                                           # after the end: no 请先输入回复内容
    assert "请先输入回复内容" not in rp.status.value


def test_a_matching_with_a_letter_twice_is_not_a_try(tmp_path):
    """A one-to-one matching says each letter is used once; a letter chosen twice is named, not graded."""
    card = next(c for c in Quiz("u06", store=ProgressStore(tmp_path / "p.json")).cards if c.question.id == "u06.q10")
    assert "每个字母最多用一次" in card.input.children[0].value
    for select in card.entry.selects:
        select.value = "A"
    card.submit.click()
    assert "每个字母最多用一次：编号1和2和3和4都连了「A」" in card.feedback.value and card.tries == 0
    many = next(c for c in Quiz("u10", store=ProgressStore(tmp_path / "q.json")).cards if c.question.id == "u10.q33")
    assert "最多用一次" not in many.input.children[0].value             # 4 items, 3 letters: letters repeat


def test_the_reminder_plan_follows_the_placed_time_without_a_click():
    """A student changed 拍下时间 from 12:30 to 19:50 without 生成 and checked 14:30: the plan above
    still said 12:30 while the check below said 19:50 (unit 10 play-through)."""
    from datetime import datetime

    from course_lib.views.planner import ReminderPlanner

    planner = ReminderPlanner(datetime(2025, 10, 2, 12, 30))
    before = planner.result.value
    planner.proposal.value = "14:30"
    planner.check_button.click()
    assert planner.check_result.value
    planner.hour.value, planner.minute.value = 19, 50
    assert planner.result.value != before and planner.check_result.value == ""
    assert "19:50" in planner.result.value or "20:20" in planner.result.value
