"""Unit 11's logic: the 过错方 judgement practice, the 中差评 planner, a rubric item's ``avoid``
patterns, the keys that rest on the shop data, and the two views driven like a student."""
from __future__ import annotations

import copy

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course_lib.content.disputes import DEMO, Practice, cases_from_data, judge_action, load_cases, parse_party
from course_lib.content.loading import ContentError
from course_lib.content.review_plans import load_review_plans, plans_from_data, review_choices
from course_lib.content.rubric import spec_from_data
from course_lib.content.rubric_rules import avoid_from_data

CASES = load_cases("u11_disputes")
PLANS = load_review_plans("u11_review_plans")


# ----------------------------------------------------------------------------- the case file

def test_the_case_file_has_eight_cases_with_the_taught_parties():
    assert CASES.party_names == ("店铺", "买家", "快递公司")
    faults = [c.fault for c in CASES.cases]
    assert len(faults) == 8 and faults.count("店铺") == 3 and faults.count("买家") == 3 and faults.count("快递公司") == 2
    assert [c.best_action.key for c in CASES.cases] == ["A", "B", "B", "A", "C", "A", "C", "B"]


def test_the_best_handling_is_the_longest_in_at_most_half_the_cases():
    longest = sum(max(len(a.text) for a in c.actions) == len(c.best_action.text) for c in CASES.cases)
    assert longest == 3


def bad(change):
    raw = copy.deepcopy(DEMO)
    change(raw)
    return raw


@pytest.mark.parametrize("change, message", [
    (lambda r: r["cases"][0].update(fault="平台"), "不是 parties 中的过错方"),
    (lambda r: r["cases"][0]["fault_feedback"].pop("买家"), "各写一条反馈"),
    (lambda r: r["cases"][0]["actions"][1].update(best=True), "恰好有一个 best"),
    (lambda r: r["cases"][0]["actions"][1].update(key="C"), "依次是 A、B、C"),
    (lambda r: r["parties"][1]["aliases"].append("卖家"), "名称或别名有重复"),
    (lambda r: r["cases"][0].update(evidence=[]), "evidence"),
    (lambda r: r.update(kind="scenario"), "kind 应是 disputes"),
    (lambda r: r["cases"].append(copy.deepcopy(r["cases"][0])), "id 有重复"),
])
def test_a_broken_case_file_is_named_in_chinese(change, message):
    with pytest.raises(ContentError, match=message):
        cases_from_data(bad(change), "practice/demo.yaml")


def test_parties_are_read_by_name_alias_or_number():
    assert [parse_party(CASES, a) for a in ("快递", " 顾客 ", "3", "ＳＨＯＰ", "店铺。")] == ["快递公司", "买家", "快递公司", None,
                                                                                  "店铺"]


def test_only_the_first_valid_answer_of_each_step_counts():
    p = Practice(CASES)
    assert not p.answer_action("A").valid                    # the fault comes first
    assert not p.answer_fault("平台").valid and p.step == "fault"
    assert p.answer_fault("买家").correct is False           # case 1: the shop forgot the gift
    assert not p.answer_fault("店铺").valid                  # the second try does not count
    assert p.answer_action("ａ").correct and p.index == 1
    assert p.report().score == 1 and p.report().max_score == 16
    assert p.moves == ["买家", "A"]


def test_a_saved_run_replays_to_the_same_place():
    p = Practice(CASES)
    for fault, action in [("店铺", "A"), ("快递公司", "B"), ("买家", "C")]:
        p.answer_fault(fault)
        p.answer_action(action)
    again = Practice(CASES)
    again.replay(p.moves + ["garbage", None])
    assert (again.index, again.step, again.report().score) == (p.index, p.step, p.report().score) == (3, "fault", 5)
    again.replay("not a list")
    assert again.index == 0 and again.report().score == 0


def test_a_full_correct_run_scores_sixteen():
    p = Practice(CASES)
    for case in CASES.cases:
        p.answer_fault(case.fault)
        p.answer_action(case.best_action.key)
    assert p.finished and p.report().score == 16
    assert not p.answer_fault("店铺").valid
    assert p.report().to_text().splitlines()[1].startswith("✔ 说好的赠品没收到：主要过错方是店铺")


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(st.text(max_size=30), st.none(), st.integers(), st.sampled_from(["店铺", "买家", "A", "b", "3"])),
                max_size=40))
def test_any_student_input_never_raises_and_the_score_stays_in_range(answers):
    p = Practice(CASES)
    for n, answer in enumerate(answers):
        (p.answer_fault if n % 2 == 0 else p.answer_action)(answer)
    r = p.report()
    assert 0 <= r.score <= r.max_score == 16
    assert judge_action(CASES.cases[0], answers[0] if answers else None).message


# ----------------------------------------------------------------------------- the 中差评 planner

@pytest.mark.parametrize("cause", list(PLANS.causes))
def test_each_plan_s_references_pass_and_an_empty_apology_fails(cause):
    plan = PLANS.plan(cause)
    assert PLANS.check_contact(plan.contact_reference, cause).score >= 90
    assert PLANS.check_reply(plan.reply_reference, cause).score >= 90
    assert PLANS.check_reply("非常抱歉给您带来不好的体验，我们非常重视，希望您谅解。", cause).score <= 40
    assert len(plan.steps()) == 5 and plan.steps()[0].startswith("① 找原因")


def failed(result) -> list[str]:
    return [i.name for i in result.failed_items]


def test_a_public_reply_must_not_show_private_data_or_blame_the_buyer():
    good = PLANS.plan("物流慢").reply_reference
    for leak, quoted in [("王女士，", "王女士"), ("手机尾号1234的顾客，", "尾号1234"), ("13812345678的顾客，", "13812345678"),
                         ("文三路88号的顾客，", "路88号")]:
        result = PLANS.check_reply(leak + good, "物流慢")
        assert "不泄露顾客信息" in failed(result) and result.score <= 40
        assert any(quoted in q for i in result.items for q in i.found)
    assert "不指责顾客" in failed(PLANS.check_reply(good + "其实是您自己没看清发货说明。", "物流慢"))
    assert not failed(PLANS.check_reply(good, "物流慢"))


def test_a_contact_message_may_not_ask_for_a_changed_review_but_may_leave_it_to_the_buyer():
    base = "非常抱歉这一单让您等了这么久。包裹在中转站耽误了，已经向快递公司反馈，还有问题随时找我。"
    asks = PLANS.check_contact(base + "麻烦您把差评改成好评。", "物流慢")
    assert "不催顾客改评价" in failed(asks) and asks.score <= 40
    assert not failed(PLANS.check_contact(base + "评价改不改都由您自己决定。", "物流慢"))
    bribe = PLANS.check_contact(base + "给您返5元红包。", "物流慢")
    assert "没有编造承诺或信息" in failed(bribe)


def test_a_suspected_malicious_review_needs_no_apology_but_may_not_be_called_malicious():
    plan = PLANS.plan("恶意评价")
    assert not plan.contact.complaint and not plan.reply.complaint and plan.dsr_item is None
    accused = PLANS.check_reply("这是恶意差评，我们已核对订单记录并向平台提交了相关材料。", "恶意评价")
    assert "不威胁顾客" in failed(accused) and accused.score <= 20


def test_a_review_row_gives_its_plan_and_its_lowest_stars():
    row = {"订单编号": "O1", "评价等级": "差评", "原因分类": "客服态度", "评价内容": "客服回复很敷衍。",
           "描述相符": 2, "服务态度": 1, "物流服务": 2}
    view = PLANS.for_review(row)
    assert view.plan.cause == "客服态度" and view.lowest == ("服务态度",)
    assert PLANS.for_review({**row, "服务态度": 2}).lowest == ("描述相符", "服务态度", "物流服务")
    with pytest.raises(ContentError, match="好评"):
        PLANS.for_review({**row, "评价等级": "好评"})
    with pytest.raises(ContentError, match="不是可以规划的原因"):
        PLANS.plan("价格贵")


def test_the_review_choices_are_the_shop_s_bad_reviews_newest_first():
    from course_lib.shop.datasets import load_dataset

    choices = review_choices(load_dataset("reviews"))
    assert len(choices) == 90 and all(row["评价等级"] in ("中评", "差评") for _, row in choices)
    times = [row["评价时间"] for _, row in choices]
    assert times == sorted(times, reverse=True)
    assert choices[0][0].count("｜") == 3
    with pytest.raises(ContentError, match="缺少这些列"):
        review_choices(load_dataset("orders"))


@pytest.mark.parametrize("change, message", [
    (lambda r: r["causes"][0]["reply"].pop("gates"), "至少要写一条 gates"),
    (lambda r: r["causes"][0].update(dsr_item="价格"), "dsr_item"),
    (lambda r: r["causes"].append(copy.deepcopy(r["causes"][0])), "重复了"),
    (lambda r: r["causes"][0]["contact"].pop("reference"), "reference"),
    (lambda r: r["contact"]["avoid"][0].update(patterns=["(改"]), "正则表达式"),
])
def test_a_broken_plan_file_is_named_in_chinese(change, message):
    from course_lib.content.loading import read_content

    raw = copy.deepcopy(read_content("practice/u11_review_plans.yaml"))
    change(raw)
    with pytest.raises(ContentError, match=message):
        plans_from_data(raw, "practice/x.yaml")


@settings(max_examples=120, deadline=None)
@given(st.one_of(st.text(max_size=300), st.none(), st.integers()), st.sampled_from(list(PLANS.causes)))
def test_any_text_gets_a_score_and_never_an_error(text, cause):
    for result in (PLANS.check_contact(text, cause), PLANS.check_reply(text, cause, review="太慢了")):
        assert 0 <= result.score <= 100 and result.items


# ----------------------------------------------------------------------------- avoid patterns of an item

def test_avoid_patterns_cap_the_score_unless_negated_and_stay_out_of_the_student_check():
    spec = spec_from_data({"gates": [{"name": "回应", "words": ["中转"]}],
                           "avoid": [{"name": "不写手机号", "patterns": ["手机号是"], "fail": "别写。", "cap": 30}]}, "题")
    assert spec.score("您好，包裹在中转时耽误了，手机号是多少我们不公开。").score == 30
    assert spec.score("您好，包裹在中转时耽误了，我们不会说手机号是多少。").score == 100
    assert spec.general_only().avoid == ()
    assert avoid_from_data(None, "题") == ()
    with pytest.raises(ContentError, match="需要 name、patterns 和 fail"):
        avoid_from_data([{"name": "x", "patterns": ["y"]}], "题")
    with pytest.raises(ContentError, match="未知字段"):
        avoid_from_data([{"name": "x", "patterns": ["y"], "fail": "z", "words": []}], "题")


def test_the_student_edition_of_the_exercise_carries_no_avoid_patterns():
    from course_lib.content.loading import read_content
    from course_lib.grading.release import strip_exercises

    stripped = strip_exercises(read_content("exercises/u11.yaml"))
    e5 = next(e for e in stripped["exercises"] if e["id"] == "u11.e5")
    assert set(e5["rubric"]) == {"first_reply", "complaint", "min_length", "max_length"}


# ----------------------------------------------------------------------------- keys that rest on the shop data

def test_exercise_4_is_the_refund_rate_of_orders_with_a_bag():
    from course_lib.content.banks import load_exercises
    from course_lib.shop.datasets import load_dataset

    orders, items, products = load_dataset("orders"), load_dataset("order_items"), load_dataset("products")
    bags = set(items.loc[items["商品编号"].isin(products.loc[products["品类"] == "箱包", "商品编号"]), "订单编号"])
    paid = [(o in bags, r) for o, p, r in zip(orders["订单编号"], orders["付款时间"].notna(), orders["退款时间"].notna()) if p]
    refunded = sum(r for bag, r in paid if bag)
    total = sum(bag for bag, _ in paid)
    assert (refunded, total) == (39, 476)                       # counted by hand in plain Python
    assert load_exercises("u11").get("u11.e4").answer == round(100 * refunded / total, 1) == 8.2


# ----------------------------------------------------------------------------- the views, driven like a student

ipywidgets = pytest.importorskip("ipywidgets")


def test_the_planner_follows_the_chosen_review_and_checks_both_texts():
    from course_lib.views.aftersale import ReviewPlanner

    p = ReviewPlanner()
    assert "【中差评处理规划工具】" in p._repr_mimebundle_()["text/plain"]
    p.review.value = next(i for i, (_, row) in enumerate(p.choices) if row["原因分类"] == "与描述不符")
    assert p.cause.value == "与描述不符" and "DSR" in p.plan_html.value and "① 找原因" in p.plan_html.value
    p.check_button.click()
    assert "请先写下联系话术" in p.result.value and "请先写下公开解释" in p.result.value
    p.contact.value = "亲，您把差评改成好评，我给您返5元红包。"
    p.reply.value = PLANS.plan("与描述不符").reply_reference
    p.check_button.click()
    text = p.result_text()
    assert "不催顾客改评价" in text and "回复得分：100/100" in text and p.status.value == ""
    p.cause.value = "恶意评价"
    assert "通过平台的渠道申诉" in p.plan_html.value and "你按「恶意评价」来规划" in p.plan_html.value
    p.clear_button.click()
    assert p.contact.value == p.reply.value == p.result.value == ""


def test_the_fault_judge_scores_saves_and_restores(tmp_path):
    from course_lib.progress import ProgressStore
    from course_lib.views.aftersale import FaultJudge

    path = tmp_path / "p.json"
    j = FaultJudge(store=ProgressStore(path))
    assert "案例 1/8" in j.progress.value and j.action_box.layout.display == "none"
    j.fault_button.click()
    assert "请从店铺、买家、快递公司中选一个" in j.feedback.value
    j.party.value = "买家"
    j.fault_button.click()
    assert "判断不对" in j.feedback.value and j.party.disabled and j.action_box.layout.display is None
    j.fault_button.click()                                   # the second click of a double click
    assert "判断不对" in j.feedback.value and "这一步请选择处理办法" not in j.feedback.value
    j.action_button.click()
    assert "请选一个处理办法" in j.feedback.value
    j.action.value = "A"
    j.action_button.click()
    assert "选得对" in j.feedback.value and not j.next_button.disabled
    j.next_button.click()
    assert "案例 2/8" in j.progress.value
    again = FaultJudge(store=ProgressStore(path))          # a kernel restart
    assert "案例 2/8" in again.progress.value and again.practice.report().score == 1
    for case in CASES.cases[1:]:
        again.party.value = case.fault
        again.fault_button.click()
        again.action.value = case.best_action.key
        again.action_button.click()
        again.next_button.click()
    assert "得分：15/16" in again.report_html.value and again.status.value == ""
    again.restart_button.click()
    assert "案例 1/8" in again.progress.value and FaultJudge(store=ProgressStore(path)).practice.moves == []
