"""The reply rubric: every rule can pass and fail, caps bite, nothing raises."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from course_lib.content.rubric import Point, default_rules, rules_from_data, score_reply

GOOD_FIRST = "您好，欢迎光临数码小铺，我是客服小雅，请问有什么可以帮您？"


def outcome(result, rule_id):
    return next(i for i in result.items if i.id == rule_id)


def test_good_first_reply_passes_every_rule():
    result = score_reply(GOOD_FIRST, first_reply=True)
    assert result.failed_items == ()
    assert result.score == 100


def test_saying_nothing_wrong_earns_no_points():
    """The 禁用语 rules only cap: a reply that merely avoids them scores nothing for it."""
    result = score_reply("嗯。", first_reply=True)
    assert all(i.passed for i in result.items if i.id.startswith("forbidden"))
    assert result.score == 0


def test_too_short_is_capped():
    result = score_reply("亲，您好，在的！请问有什么可以帮您？", first_reply=True, min_length=30)
    assert not outcome(result, "length").passed and result.score <= 60


def test_bare_reply_fails_greeting_address_and_length():
    result = score_reply("有的", first_reply=True)
    assert not outcome(result, "greeting").passed
    assert not outcome(result, "polite_address").passed
    assert not outcome(result, "length").passed
    assert result.score < 60


def test_greeting_only_required_on_first_reply():
    ids = {i.id for i in score_reply("好的亲，马上为您处理。").items}
    assert "greeting" not in ids and "polite_address" in ids


@pytest.mark.parametrize("rule_id,reply", [
    ("forbidden_attitude", "您好，这个我不知道，您自己看详情页吧。"),
    ("forbidden_overpromise", "您好，我们是绝对正品，百分之百满意。"),
    ("forbidden_platform", "您好亲，加我ＶＸ聊，给您最便宜的价格。"),
    ("forbidden_platform", "您好亲，加我 微 信 聊吧。"),
])
def test_forbidden_words_fail_and_cap_the_score(rule_id, reply):
    result = score_reply(reply, first_reply=True)
    item = outcome(result, rule_id)
    assert not item.passed and item.found
    rule = next(r for r in default_rules() if r.id == rule_id)
    assert result.score <= rule.cap
    assert result.capped_by == rule.name
    assert "出现了" in item.message


def test_apology_must_come_first_when_the_buyer_complains():
    late = score_reply("亲，快递我帮您查一下。给您添麻烦了，非常抱歉。", complaint=True)
    first = score_reply("非常抱歉，让您久等了！亲，快递我马上帮您查。", complaint=True)
    assert not outcome(late, "apology_first").passed
    assert outcome(first, "apology_first").passed
    assert first.score > late.score
    assert "apology_first" not in {i.id for i in score_reply("好的亲，马上帮您查。").items}


def test_required_points_share_half_the_score():
    points = [Point("说明正品", ("正品", "行货")), Point("提供验证方式", ("验货", "序列号"))]
    both = score_reply(GOOD_FIRST + "我们是正品行货，支持验货。", first_reply=True, required=points)
    one = score_reply(GOOD_FIRST + "我们是正品行货。", first_reply=True, required=points)
    assert both.score == 100 and one.score == 75
    missing = outcome(one, "point:提供验证方式")
    assert not missing.passed and "提供验证方式" in missing.message
    assert "提供验证方式" in one.suggestion


def test_length_bounds_can_be_overridden():
    assert not outcome(score_reply("您好亲" * 10, max_length=20), "length").passed
    assert outcome(score_reply("您好亲" * 10, max_length=40), "length").passed


def test_result_renders_as_text_and_html():
    result = score_reply("你好，有的！", first_reply=True)
    assert "回复得分" in repr(result) and "建议" in repr(result)
    assert "<table>" in result._repr_html_() and "✘" in result._repr_html_()


def test_teacher_can_add_a_rule():
    rules = rules_from_data({"rules": [{"id": "thanks", "name": "致谢", "kind": "contains_any", "words": ["谢谢"],
                                        "pass": "有致谢。", "fail": "结尾加一句谢谢。"}]})
    assert score_reply("谢谢亲", rules=rules).score == 100
    assert score_reply("好的", rules=rules).suggestion == "结尾加一句谢谢。"


@pytest.mark.parametrize("data,message", [
    ({}, "rules 列表"), ({"rules": [{"id": "x"}]}, "缺少字段 name"),
    ({"rules": [{"id": "x", "name": "n", "kind": "magic", "pass": "p", "fail": "f"}]}, "kind"),
    ({"rules": [{"id": "x", "name": "n", "kind": "contains_any", "pass": "p", "fail": "f"}]}, "words"),
    ({"rules": [{"id": "x", "name": "n", "kind": "length", "pass": "p", "fail": "f", "when": "sometimes"}]}, "when"),
])
def test_bad_rule_files_give_chinese_messages(data, message):
    with pytest.raises(ValueError, match=message):
        rules_from_data(data)


@given(st.text(max_size=300), st.booleans(), st.booleans())
def test_no_reply_makes_the_rubric_raise(text, first, complaint):
    result = score_reply(text, first_reply=first, complaint=complaint,
                         required=[Point("致谢", ("谢谢",))])
    assert 0 <= result.score <= 100
    assert result.suggestion
    assert all(item.message for item in result.items)


@given(st.one_of(st.none(), st.integers(), st.lists(st.text())))
def test_non_text_scores_zero(value):
    assert score_reply(value).score == 0
