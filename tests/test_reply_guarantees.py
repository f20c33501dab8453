"""Guarantees said in other words: a no-reason return of any length but 七天 is invented, a listed
guarantee's own phrasing is not read as a second one (全国保修 is 全国联保), and a longer
phrasing that merely holds a listed word is not allowed by it (终身保修 is not 保修)."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from course_lib.content.claims import Facts, invented_claims
from course_lib.content.rubric_rules import default_rubric

from .test_reply_set import target

SEVEN = Facts(guarantees=("七天无理由退货",))
CN = {1: "一", 2: "两", 3: "三", 5: "五", 10: "十", 15: "十五", 30: "三十"}


def claims(text: str, facts: Facts = SEVEN) -> list[tuple[str, str]]:
    rb = default_rubric()
    return [(c.kind, c.quote) for c in invented_claims(text, facts, rb.vocab, rb.lexicon)]


@given(st.integers(min_value=1, max_value=60), st.sampled_from(["支持{}天无理由退货", "收到后{}天内都能退", "{}天内可以退换"]))
def test_a_no_reason_return_is_seven_days_and_no_other(n, form):
    found = claims(form.format(n))
    assert (found == []) is (n == 7)
    assert all(kind == "保障" for kind, _ in found)


@pytest.mark.parametrize("n", sorted(CN))
def test_the_days_may_be_written_in_chinese(n):
    assert claims(f"支持{CN[n]}天无理由退货") == [("保障", f"{CN[n]}天无理由")]


@pytest.mark.parametrize("honest", ["支持七天无理由退货", "签收后7天内可以退货", "超过7天就不能无理由退货了", "不支持十五天无理由",
                                    "第八天就不能退货了", "退款一般3天到账", "补发后3天内退回旧件就行", "两天内给您退款"])
def test_seven_days_refunds_and_negations_are_not_claims(honest):
    assert claims(honest) == []


def test_a_listed_guarantee_in_other_words_is_not_a_second_guarantee():
    assert claims("耳机享受全国保修", Facts(guarantees=("全国联保",))) == []
    assert claims("耳机享受全国保修") == [("保障", "全国保修")]                  # not listed: still invented


def test_a_longer_promise_is_not_allowed_by_the_word_it_holds():
    assert claims("这台电脑终身保修", Facts(guarantees=("保修",))) == [("保障", "终身保修")]
    assert claims("这台电脑有保修", Facts(guarantees=("保修",))) == []


# item: {what the reply says: the item's 说错 entry that names it}
WRONG_ANSWERS = {
    "u04.e5": {"明天下午付款没问题，只要在后天10点前付款就行": "说明天下午付款也行"},
    "u05_address.t4": {"您这单要明天才能发哦": "说今天发不了", "周六前应该没问题的": "答应周六前能到"},
    "u10_reminder.t5": {"不过现在付款的话今天发不了了": "说今天发不了"},
    "u12_revisit_vip.t5": {"以后有活动我打电话通知您": "打算打电话或发短信", "阿木明天18:00前回复您": "把答复推到明天"},
    "u02_bad_day.t5": {"退货运费主要还是您自己出": "说退货运费要顾客自己出"},
}


@pytest.mark.parametrize("item, said, wrong", [(item, said, wrong) for item, cases in WRONG_ANSWERS.items()
                                                for said, wrong in cases.items()])
def test_a_wrong_answer_to_the_question_is_caught_as_wrong(item, said, wrong):
    spec, pass_mark = target(item)
    result = spec.score(f"您好，{said}，有问题随时找我。")
    facts = next(i for i in result.items if i.name == "没有编造承诺或信息")
    assert not facts.passed and wrong in facts.message
    assert result.score < pass_mark


@pytest.mark.parametrize("item, honest", [
    ("u05_address.t4", "周六前能不能到不好保证，发货后我帮您盯着物流"),
    ("u12_revisit_vip.t5", "以后不给您打电话，也不发短信"),
    ("u02_bad_day.t5", "退货运费不用您自己出，运费险会赔付"),
])
def test_the_same_words_denied_are_not_wrong(item, honest):
    spec, _ = target(item)
    facts = next(i for i in spec.score(f"您好，{honest}。").items if i.name == "没有编造承诺或信息")
    assert facts.passed, facts.message
