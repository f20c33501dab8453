"""check(): student mode validates form without raising; grade mode fails wrong answers in Chinese."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from course_lib.content.exercises import ExerciseFailed, check, evaluate


def test_student_mode_unanswered_and_recorded():
    assert check("u00.e1", ...).title == "尚未作答"
    recorded = check("u00.e1", "ａ")
    assert recorded.status == "recorded" and "「A」" in recorded.message
    assert "正确" not in recorded.message.replace("格式正确", "")   # never reveals right or wrong


def test_student_mode_never_reveals_the_key():
    right, wrong = check("u00.e2", 48), check("u00.e2", 47)
    assert right.status == wrong.status == "recorded"
    assert right.message.replace("48", "47") == wrong.message


def test_student_mode_format_errors_in_chinese():
    result = check("u00.e1", "AX")
    assert result.status == "invalid" and "无法识别「X」" in result.message
    assert check("u00.e2", "四十八").status == "invalid"


def test_student_mode_text_gets_general_rubric_feedback_only():
    result = check("u00.e3", "在。")
    assert result.status == "recorded"
    assert "格式正确" not in result.message and "自查有" in result.message       # not 格式正确 above a ✘
    good = check("u00.e3", "您好，欢迎光临小窝家居，我是客服小暖，请问有什么可以帮您？")
    assert "格式正确" in good.message and not any(d.startswith("✘") for d in good.details)
    assert any("问候语" in d for d in result.details)
    assert not any("要点" in d and ("✔" in d or "✘" in d) for d in result.details)


def test_student_mode_says_what_it_did_not_check():
    """Issue 11: an off-topic reply passes every general rule, so the check must say the rest is not checked."""
    result = check("u01.e5", "您好，欢迎光临数码小铺，我是客服小雅，今天天气真好，请问您吃饭了吗？")
    marks = [d[0] for d in result.details]
    assert marks[:-1] == ["✔"] * (len(marks) - 1)
    assert result.details[-1].startswith("？ 这里没有检查：有没有回答顾客的问题")
    assert "只查了通用规则" in result.message and "得分" not in result.message


def test_unknown_exercise_is_reported_not_raised():
    assert check("u00.e99", "A").status == "error"
    assert "格式不对" in check(None, "A").message


def test_grade_mode_passes_right_answers(grade_mode):
    assert check("u00.e1", "a").status == "correct"
    assert check("u00.e2", "48课时").score == 1


@pytest.mark.parametrize("exercise_id,answer,fragment", [
    ("u00.e1", "B", "练习 u00.e1 未通过（不正确）"),
    ("u00.e1", ..., "尚未作答"),
    ("u00.e2", float("nan"), "NaN"),
    ("u00.e3", "在。", "u00.e3 未通过"),
])
def test_grade_mode_fails_with_chinese_message(grade_mode, exercise_id, answer, fragment):
    with pytest.raises(ExerciseFailed, match=fragment):
        check(exercise_id, answer)


def test_grade_mode_partial_credit_for_text():
    result = evaluate("u00.e3", "您好，欢迎光临小窝家居，我是客服小暖。", grade=True)
    # general rules (first reply) share 40: 问候语 20 ✔, 礼貌称呼 15 ✔, 主动提供帮助 15 ✘, 长度 10 ✔ (18字)
    #   → 40 × 45/60 = 30; the gate and two points share 60: 询问需要 ✘, 店铺名 ✔, 昵称 ✔ → 40; total 70,
    #   capped at 40 because the gate (asking what the buyer needs) is missed
    assert result.status == "partial"
    assert result.score == round(2 * 0.40, 2) == 0.8
    assert "核心：主动询问顾客需要什么" in result.message


class AlwaysEqual:
    def __eq__(self, other):
        return True

    def __hash__(self):
        return 0


def test_an_object_that_equals_everything_is_not_correct(grade_mode):
    with pytest.raises(ExerciseFailed, match="格式有误"):
        check("u00.e1", AlwaysEqual())
    with pytest.raises(ExerciseFailed):
        check("u00.e2", AlwaysEqual())


def test_a_huge_string_is_rejected_quickly(grade_mode):
    with pytest.raises(ExerciseFailed, match="太长"):
        check("u00.e3", "好" * 10_000_000)


def test_result_renders():
    result = check("u00.e1", "A")
    assert "u00.e1" in result._repr_html_() and "已记录" in str(result)


@given(st.text(max_size=40) | st.integers() | st.floats() | st.none() | st.lists(st.integers(), max_size=3))
def test_student_check_never_raises(value):
    for exercise_id in ("u00.e1", "u00.e2", "u00.e3"):
        assert check(exercise_id, value).status in ("unanswered", "invalid", "recorded")


@pytest.mark.parametrize("value,noted", [(0.888, True), ("0.888", True), (88.8, False), (1, False), (0, False)])
def test_a_percentage_written_as_a_fraction_gets_a_note_without_the_key(value, noted):
    """u07.e4 asks for a percentage; 0.888 is the commonest slip. The note must not depend on the key."""
    result = check("u07.e4", value)
    assert result.status == "recorded" and ("乘以100" in result.message) == noted
    assert "正确" not in result.message.replace("格式正确", "")
