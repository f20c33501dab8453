"""Unit 12's logic: care plans true to the shop, the segment explorer, the 会员档案 card, the KPI
dashboard, the keys and cards that rest on the shop data, and the two views driven like a student."""
from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course_lib.content.rubric import score_reply
from course_lib.shop import rfm
from course_lib.shop.care_plans import CARE_PLANS
from course_lib.shop.crm import customer_card, explore, parse_splits, revisit_list, segment_name, valid_orders
from course_lib.shop.dashboard import (
    agent_month_view,
    edited_scheme,
    kpi_targets,
    parse_agent,
    parse_month,
    shop_month_metrics,
    team_table,
)
from course_lib.shop.datasets import load_dataset
from course_lib.shop.performance import DEFAULT_SCHEME, score_sheet
from course_lib.shop.tables import KPIDataError

SHOP_FACTS = {"times": ["16:00"], "durations": ["2～3天"], "gifts": ["皮具护理套装"],
              "guarantees": ["运费险", "七天无理由退货"], "discount": False, "official": False, "stock_short": False}


# ----------------------------------------------------------------------------- care plans

def test_every_segment_has_a_plan_and_the_table_column_is_its_summary():
    assert set(CARE_PLANS) == set(rfm.SEGMENTS.values())
    assert rfm.SEGMENT_ACTIONS["重要挽留客户"] == CARE_PLANS["重要挽留客户"].summary
    assert rfm.SEGMENT_ACTIONS["重要挽留客户"].startswith("挽留：重点回访")


@pytest.mark.parametrize("segment", list(CARE_PLANS))
def test_a_plan_offers_nothing_the_shop_does_not_have(segment):
    plan = CARE_PLANS[segment]
    offers = "".join(plan.actions) + plan.example
    assert not any(word in offers for word in ("优惠券", "折扣", "红包", "复购券", "返现", "微信", "短信"))
    checked = score_reply(plan.example, facts=SHOP_FACTS)
    assert [i.passed for i in checked.items if i.id == "facts"] == [True], checked.to_text()
    assert any("私自给折扣" in a for a in plan.avoid)


# ----------------------------------------------------------------------------- the explorer

SEG = pd.DataFrame({"顾客编号": ["C1", "C2", "C3", "C4"], "R": [5, 120, 130, 90], "F": [3, 1, 2, 1],
                    "M": [800.0, 60.0, 700.0, 900.0],
                    "客户类型": ["重要价值客户", "一般挽留客户", "重要挽留客户", "重要挽留客户"]})


def test_explore_counts_and_sorts_one_segment():
    view = explore(SEG, " 重要 挽留 ")
    assert (view.count, view.share, view.means) == (2, 0.5, (110.0, 1.5, 800.0))
    assert view.members["顾客编号"].tolist() == ["C4", "C3"]
    assert view.to_text().startswith("重要挽留客户（R低 F低 M高）：2人，占50.0%；平均R 110天、F 1.5次、M 800元")
    empty = explore(SEG, "一般保持")
    assert empty.count == 0 and math.isnan(empty.means[0]) and empty.to_text().startswith("一般保持客户（R低 F高 M低）：0人\n")


def test_the_revisit_list_puts_the_biggest_spenders_first():
    table = revisit_list(SEG)
    assert table["顾客编号"].tolist() == ["C4", "C3"] and table["渠道"].iloc[0].startswith("千牛消息为主")


@pytest.mark.parametrize("typed, expected", [
    (("", None, "中位数"), {"r_split": None, "f_split": None, "m_split": None}),
    (("90天", "２次", "297.5元"), {"r_split": 90.0, "f_split": 2.0, "m_split": 297.5}),
    ((60, 3.5, " 500 "), {"r_split": 60.0, "f_split": 3.5, "m_split": 500.0}),
])
def test_split_values_typed_by_a_student(typed, expected):
    assert parse_splits(*typed) == expected


@pytest.mark.parametrize("typed, message", [(("九十",), "不是数字"), (("-5",), "不小于0"), ((True,), "应是一个数字"),
                                            (("nan",), "不小于0")])
def test_a_split_that_is_not_a_number_is_explained(typed, message):
    with pytest.raises(KPIDataError, match=message):
        parse_splits(*typed)


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(max_size=20), st.integers(-5, 10**6), st.floats(allow_nan=True), st.none(), st.booleans()))
def test_any_typed_split_is_a_number_a_median_or_a_chinese_message(value):
    try:
        split = parse_splits(value)["r_split"]
    except KPIDataError as error:
        assert "分界值" in str(error)
    else:
        assert split is None or (math.isfinite(split) and split >= 0)
    try:
        assert segment_name(value) in rfm.SEGMENTS.values()
    except KPIDataError as error:
        assert "客户类型有" in str(error)


# ----------------------------------------------------------------------------- shop data: cards and keys

ORDERS = load_dataset("orders")
SEGMENTED = rfm.rfm_segments(rfm.rfm_table(valid_orders(ORDERS), today="2025-12-31"))


def test_the_role_play_customer_s_card_matches_the_data():
    card = customer_card("c0334", load_dataset("customers"), ORDERS, load_dataset("order_items"), load_dataset("reviews"),
                         load_dataset("chat_sessions"), SEGMENTED)
    assert (card.nickname, card.level, card.province, card.registered) == ("木木_9926", "银卡会员", "江苏", "2021年")
    assert (card.paid_orders, card.spent, len(card.talks), len(card.reviews)) == (2, 625.0, 4, 2)
    assert card.segment == "重要挽留客户"
    assert "8月18日　PU配皮托特包×1　129.00元　交易关闭（超时未付款）" in card.to_text()
    row = SEGMENTED.loc[SEGMENTED["顾客编号"] == "C0334"].iloc[0]
    assert (row["R"], row["F"], row["M"]) == (137, 2, 625.0)   # 8月16日 → 12月31日: 15+30+31+30+31 days
    with pytest.raises(KPIDataError, match="顾客表里没有"):
        customer_card("C9999", load_dataset("customers"), ORDERS, load_dataset("order_items"), load_dataset("reviews"))


def test_exercise_4_counts_the_important_customers_to_win_back():
    from course_lib.content.banks import load_exercises

    assert SEGMENTED.attrs["分界值"] == {"R": 45.0, "F": 2.0, "M": 322.9}
    assert load_exercises("u12").get("u12.e4").answer == (SEGMENTED["客户类型"] == "重要挽留客户").sum() == 31


KPIS = load_dataset("agent_kpi")


def test_october_needs_the_whole_team_and_the_inclusive_grade_boundary():
    october = KPIS[KPIS["月份"] == "2025-10"].rename(columns={"昵称": "客服昵称"})
    team = score_sheet(october)
    xiaoya = team[team["客服编号"] == "A01"].iloc[0]
    assert (xiaoya["综合得分"], xiaoya["等级"]) == (80.0, "银牌")              # 30+0+20+20+5+5
    alone = score_sheet(october[october["客服编号"] == "A01"]).iloc[0]
    assert (alone["落实客单价得分"], alone["综合得分"], alone["等级"]) == (80, 76.0, "铜牌")


def test_exercise_3_is_the_what_if_of_a_forty_percent_conversion():
    from course_lib.content.banks import load_exercises

    what_if = KPIS[KPIS["月份"] == "2025-10"].rename(columns={"昵称": "客服昵称"}).copy()
    what_if.loc[what_if["客服编号"] == "A01", "询单转化率"] = 0.40
    row = score_sheet(what_if).set_index("客服编号").loc["A01"]
    assert (row["询单转化率得分"], row["综合得分"], row["等级"]) == (80, 96.0, "金牌")   # 80 + 80 × 20%
    assert load_exercises("u12").get("u12.e3").answer == ("B",)                    # B. 96分，金牌


# ----------------------------------------------------------------------------- the dashboard

def test_targets_are_the_full_mark_bands_and_the_first_response_standard():
    targets = {t.name: (t.direction, t.value) for t in kpi_targets()}
    assert targets == {"销售额目标完成率": ("越高越好", 1.0), "询单转化率": ("越高越好", 0.45), "回复率": ("越高越好", 0.98),
                       "平均响应秒数": ("越低越好", 35.0), "出勤率": ("越高越好", 1.0), "平均首次响应秒数": ("越低越好", 10.0)}


def test_one_agent_and_month_on_the_shop_data():
    view = agent_month_view(KPIS, "禾悦-小杰", "2025年10月")
    assert (view.total, view.grade, view.rank, view.team_size) == (55.0, "待提升", 3, 3)
    assert [m for m, _, _ in view.trend] == ["2025-07", "2025-08", "2025-09", "2025-10", "2025-11", "2025-12"]
    assert view.trend[0][1:] == (87.0, "银牌")
    met = {t.name: t.met(v) for t, v in view.targets}
    assert met["回复率"] and not met["平均首次响应秒数"] and not met["询单转化率"]
    assert team_table(KPIS, "2025-10")["客服编号"].tolist() == ["A01", "A02", "A03"]


def test_new_weights_change_the_score_and_a_bad_total_is_refused():
    scheme = edited_scheme({"销售额目标完成率": "20%", "出勤率": 15})
    assert agent_month_view(KPIS, "A03", "2025-10", scheme).total == 60 * 0.2 + 60 * 0.2 + 100 * 0.2 + 100 * 0.15
    assert DEFAULT_SCHEME["考核项目"]["出勤率"]["权重"] == 5
    with pytest.raises(ValueError, match="合计应为100"):
        agent_month_view(KPIS, "A03", "2025-10", edited_scheme({"出勤率": 15}))
    with pytest.raises(KPIDataError, match="不是数字"):
        edited_scheme({"出勤率": "很多"})


def test_the_shop_s_after_sale_results_of_a_month():
    metrics = shop_month_metrics(ORDERS, load_dataset("reviews"), "2025-11")
    paid = ORDERS[ORDERS["付款时间"].dt.strftime("%Y-%m") == "2025-11"]
    assert metrics["退款率"] == paid["退款时间"].notna().sum() / len(paid)
    assert round(metrics["好评率"], 4) == 0.8704
    with pytest.raises(KPIDataError, match="2025-10"):
        shop_month_metrics(ORDERS, load_dataset("reviews"), "十一月")


@settings(max_examples=150, deadline=None)
@given(st.one_of(st.text(max_size=20), st.integers(), st.none()))
def test_any_typed_agent_or_month_is_understood_or_explained(value):
    for parse in (parse_agent, parse_month):
        try:
            assert parse(KPIS, value) in set(KPIS["客服编号"]) | set(KPIS["月份"])
        except KPIDataError as error:
            assert "可以选" in str(error)


# ----------------------------------------------------------------------------- the views, driven like a student

ipywidgets = pytest.importorskip("ipywidgets")


def test_the_explorer_resegments_shows_plans_and_cards():
    from course_lib.views.crm import RfmExplorer

    e = RfmExplorer()
    assert e.segment.value == "重要挽留客户" and "重要挽留客户（31）" in [label for label, _ in e.segment.options]
    e.r_split.value = "九十"
    e.apply_button.click()
    assert "不是数字" in e.splits_html.value and e.status.value == ""
    e.r_split.value = "90"
    e.apply_button.click()
    assert "R 90天" in e.splits_html.value and "重要挽留客户（13）" in [label for label, _ in e.segment.options]
    e.segment.value = "重要价值客户"
    assert "每月不超过2次" in e.summary_html.value
    e.r_split.value = "-5"                               # a bad value after a good one: the segments shown are named
    e.apply_button.click()
    assert "下面仍是上一次的分层结果（R 90天" in e.splits_html.value and "重要挽留客户（13）" in [x for x, _ in e.segment.options]
    e.r_split.value = "90"
    e.customer.value = "c0334"
    e.card_button.click()
    assert "会员档案：木木_9926" in e.card_html.value and "银卡会员" in e.card_html.value
    e.customer.value = ""
    e.card_button.click()
    assert "请写顾客编号" in e.card_html.value
    e.rfm = None                                         # a broken state: the error is shown, never raised
    e.apply_button.click()
    assert "出了点问题" in e.status.value


def test_the_dashboard_switches_agents_and_reweights():
    from course_lib.views.crm import KpiDashboard

    d = KpiDashboard()
    assert "综合得分55分 · 待提升" in d.sheet_html.value and "【团队KPI看板】" in d._repr_mimebundle_()["text/plain"]
    d.agent.value = "A01"
    assert d.view.grade == "银牌" and "✘" in d.targets_html.value
    d.weights["销售额目标完成率"].value = 20
    d.weight_button.click()
    assert "合计应为100" in d.weight_note.value and d.view.total == 80.0
    d.agent.value = "A03"
    d.weights["出勤率"].value = 15
    d.weight_button.click()
    assert "已按新的权重" in d.weight_note.value and d.view.total == 59.0
    d.reset_button.click()
    assert d.view.total == 55.0
    d.month.value = "2025-11"
    assert "好评率87.0%" in d.shop_html.value and d.status.value == ""
