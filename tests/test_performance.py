"""客服绩效考核表: the default scheme from DOMAIN.md, band edges, grades and scheme validation."""
from __future__ import annotations

import copy
import math
import re

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from course_lib.shop import performance
from course_lib.shop.performance import DEFAULT_SCHEME, SchemeError, band_points, score_sheet, validate_scheme
from course_lib.shop.tables import KPIDataError

ITEMS = DEFAULT_SCHEME["考核项目"]
COLUMNS = ["销售额目标完成率", "询单转化率", "落实客单价", "回复率", "平均响应秒数", "出勤率"]


def sheet(*rows):
    """A KPI table from (昵称, 完成率, 转化率, 客单价, 回复率, 响应秒数, 出勤率) rows."""
    return pd.DataFrame(rows, columns=["客服昵称", *COLUMNS])


def test_default_scheme_is_the_domain_sheet():
    validate_scheme(DEFAULT_SCHEME)
    assert list(ITEMS) == COLUMNS
    assert [ITEMS[c]["权重"] for c in COLUMNS] == [30, 20, 20, 20, 5, 5]
    assert ITEMS["询单转化率"]["档位"] == [(0.45, 100), (0.40, 80), (0.35, 60)]
    assert ITEMS["回复率"]["档位"] == [(0.98, 100), (0.95, 80), (0.92, 60)]
    assert ITEMS["平均响应秒数"]["档位"] == [(35, 100), (45, 80), (55, 60)]
    assert DEFAULT_SCHEME["等级"] == [(90, "金牌"), (80, "银牌"), (70, "铜牌")]


@pytest.mark.parametrize("item,value,points", [
    ("询单转化率", 0.45, 100), ("询单转化率", 0.4499, 80), ("询单转化率", 0.40, 80), ("询单转化率", 0.35, 60),
    ("询单转化率", 0.3499, 0), ("询单转化率", 0.0, 0),
    ("回复率", 1.0, 100), ("回复率", 0.98, 100), ("回复率", 0.979, 80), ("回复率", 0.95, 80), ("回复率", 0.92, 60),
    ("回复率", 0.919, 0),
    ("平均响应秒数", 0, 100), ("平均响应秒数", 35, 100), ("平均响应秒数", 35.01, 80), ("平均响应秒数", 45, 80),
    ("平均响应秒数", 55, 60), ("平均响应秒数", 55.5, 0), ("平均响应秒数", 600, 0),
    ("销售额目标完成率", 1.2, 100), ("销售额目标完成率", 0.9, 80), ("销售额目标完成率", 0.5, 0),
    ("出勤率", 1.0, 100), ("出勤率", 0.95, 80), ("出勤率", 0.9, 60), ("出勤率", 0.89, 0),
])
def test_band_edges(item, value, points):
    assert band_points(value, ITEMS[item]) == points


@pytest.mark.parametrize("value", [math.nan, None, "abc", float("inf")])
def test_band_points_for_missing_values(value):
    assert band_points(value, ITEMS["回复率"]) == 0


def test_score_sheet_hand_computed():
    kpis = sheet(("小美", 1.05, 0.46, 220.0, 0.99, 30, 1.0),
                 ("小强", 0.92, 0.41, 180.0, 0.96, 50, 0.96),
                 ("小李", 0.50, 0.30, 200.0, 0.90, 70, 0.80))
    out = score_sheet(kpis)
    # team average 客单价 = 200: 1.10 → 100, 0.90 → 60, 1.00 → 80
    assert out["落实客单价得分"].tolist() == [100, 60, 80]
    assert out["询单转化率得分"].tolist() == [100, 80, 0]
    assert out["平均响应秒数得分"].tolist() == [100, 60, 0]
    # 小强: 30×80 + 20×80 + 20×60 + 20×80 + 5×60 + 5×80 = 7500 → 75
    assert out["综合得分"].tolist() == [100.0, 75.0, 16.0]
    assert out["等级"].tolist() == ["金牌", "铜牌", "待提升"]
    assert out["备注"].tolist() == ["", "", ""]
    assert list(out.columns[:7]) == ["客服昵称", *COLUMNS]
    assert "综合得分" not in kpis.columns                 # the input is not changed


def grade_of(score):
    scheme = copy.deepcopy(DEFAULT_SCHEME)
    return performance._grade(score, scheme)


@pytest.mark.parametrize("score,grade", [(100, "金牌"), (90, "金牌"), (89.99, "银牌"), (80, "银牌"),
                                         (79.5, "铜牌"), (70, "铜牌"), (69.99, "待提升"), (0, "待提升")])
def test_grade_edges(score, grade):
    assert grade_of(score) == grade


def test_missing_values_score_zero_and_are_noted():
    kpis = sheet(("小美", 1.0, math.nan, 200.0, None, 30, 1.0), ("小强", 1.0, 0.5, None, 0.99, 30, 1.0))
    out = score_sheet(kpis)
    assert out["询单转化率得分"].tolist() == [0, 100]
    assert out["回复率得分"].tolist() == [0, 100]
    # 小美 is the only 客单价 value: she is the team average (1.00 → 80); 小强 has none
    assert out["落实客单价得分"].tolist() == [80, 0]
    assert out["备注"].tolist() == ["缺少数据：询单转化率、回复率", "缺少数据：落实客单价"]
    assert out["综合得分"].tolist() == [56.0, 80.0]


def test_blank_strings_count_as_missing_and_numbers_as_text_are_read():
    kpis = sheet(("小美", "1.0", "", "200", " ", "30", 1))
    out = score_sheet(kpis)
    assert out["备注"].iloc[0] == "缺少数据：询单转化率、回复率"
    assert out["销售额目标完成率得分"].iloc[0] == 100


def test_team_average_of_zero_gives_no_relative_score():
    out = score_sheet(sheet(("小美", 1.0, 0.5, 0.0, 0.99, 30, 1.0)))
    assert out["落实客单价得分"].iloc[0] == 0
    assert "落实客单价" in out["备注"].iloc[0]


def test_bad_kpi_values_give_chinese_errors():
    with pytest.raises(KPIDataError, match="「小美」的「询单转化率」应是数字，现在是「很高」"):
        score_sheet(sheet(("小美", 1.0, "很高", 200.0, 0.99, 30, 1.0)))
    with pytest.raises(KPIDataError, match="45%写成0.45"):
        score_sheet(sheet(("小美", 1.0, 45, 200.0, 0.99, 30, 1.0)))
    with pytest.raises(KPIDataError, match="绩效数据表缺少列：出勤率"):
        score_sheet(sheet(("小美", 1.0, 0.4, 200.0, 0.99, 30, 1.0)).drop(columns=["出勤率"]))


def test_empty_sheet():
    out = score_sheet(sheet())
    assert out.empty and "综合得分" in out.columns and "等级" in out.columns


def test_an_edited_scheme():
    scheme = copy.deepcopy(DEFAULT_SCHEME)
    scheme["考核项目"]["回复率"]["权重"] = 15
    scheme["考核项目"]["出勤率"]["权重"] = 10
    scheme["等级"] = [(95, "金牌"), (85, "银牌")]
    scheme["未达等级"] = "继续努力"
    out = score_sheet(sheet(("小美", 1.0, 0.5, 200.0, 0.90, 30, 1.0)), scheme)
    # 30×100 + 20×100 + 20×80 + 15×0 + 5×100 + 10×100 = 8100
    assert out["综合得分"].iloc[0] == 81.0
    assert out["等级"].iloc[0] == "继续努力"
    validate_scheme(DEFAULT_SCHEME)
    assert DEFAULT_SCHEME["考核项目"]["回复率"]["权重"] == 20


def test_a_scheme_with_only_two_items():
    scheme = {"考核项目": {"回复率": {"权重": 50, "方向": "越高越好", "档位": [[0.9, 100]]},
                         "平均响应秒数": {"权重": 50, "方向": "越低越好", "档位": [[30, 100], [60, 50]],
                                    "其余得分": 10}},
              "等级": [[60, "合格"]]}
    out = score_sheet(pd.DataFrame({"客服昵称": ["甲", "乙"], "回复率": [0.95, 0.5], "平均响应秒数": [45, 90]}), scheme)
    assert out["综合得分"].tolist() == [75.0, 5.0]
    assert out["等级"].tolist() == ["合格", "待提升"]


def broken(change):
    scheme = copy.deepcopy(DEFAULT_SCHEME)
    change(scheme)
    return scheme


@pytest.mark.parametrize("change,message", [
    (lambda s: s["考核项目"]["回复率"].update(权重=25), "权重合计应为100（%），现在是105"),
    (lambda s: s["考核项目"]["回复率"].update(权重=-5), "权重应是不小于0的数字"),
    (lambda s: s["考核项目"]["回复率"].update(权重="20%"), "权重应是不小于0的数字"),
    (lambda s: s["考核项目"]["询单转化率"].update(档位=[(0.35, 60), (0.45, 100)]), "从高到低排列"),
    (lambda s: s["考核项目"]["询单转化率"].update(档位=[(0.45, 100), (0.45, 80)]), "从高到低排列"),
    (lambda s: s["考核项目"]["平均响应秒数"].update(档位=[(55, 60), (35, 100)]), "从低到高排列"),
    (lambda s: s["考核项目"]["回复率"].update(档位=[(0.98, 80), (0.95, 100)]), "得分不能更低"),
    (lambda s: s["考核项目"]["回复率"].update(档位=[(0.98, 120)]), "得分应在0–100之间"),
    (lambda s: s["考核项目"]["回复率"].update(档位=[]), "至少有一档"),
    (lambda s: s["考核项目"]["回复率"].update(档位=[(0.98,)]), "应写成 (门槛, 得分)"),
    (lambda s: s["考核项目"]["回复率"].update(方向="越大越好"), "方向应是"),
    (lambda s: s["考核项目"]["回复率"].update(其余得分=90), "其余得分（90）不能高于最低一档"),
    (lambda s: s["考核项目"]["回复率"].update(比较="行业平均"), "比较方式"),
    (lambda s: s["考核项目"]["回复率"].update(上限="一"), "上限应是数字"),
    (lambda s: s.update(等级=[(80, "银牌"), (90, "金牌")]), "等级的最低分应从高到低"),
    (lambda s: s.update(等级=[(120, "金牌")]), "0–100 的最低分"),
    (lambda s: s.update(等级="金牌"), "等级应是"),
    (lambda s: s.update(考核项目={}), "方案应是一个字典"),
    (lambda s: s["考核项目"].update(出勤率=5), "「出勤率」应是一个字典"),
])
def test_validate_scheme_errors(change, message):
    with pytest.raises(SchemeError, match=re.escape(message)):
        validate_scheme(broken(change))
    with pytest.raises(SchemeError, match="考核方案有问题"):
        score_sheet(sheet(("小美", 1.0, 0.5, 200.0, 0.99, 30, 1.0)), broken(change))


def test_validate_scheme_lists_every_problem():
    scheme = broken(lambda s: (s["考核项目"]["回复率"].update(权重=30), s["考核项目"]["出勤率"].update(方向="?")))
    with pytest.raises(SchemeError) as error:
        validate_scheme(scheme)
    assert str(error.value).count("\n· ") == 2


def test_describe_scheme():
    table = performance.describe_scheme()
    assert table["考核项目"].tolist() == COLUMNS
    assert table["权重"].tolist() == ["30%", "20%", "20%", "20%", "5%", "5%"]
    assert table.loc[2, "评分标准"].startswith("与团队平均之比 ≥110%→100分")
    assert table.loc[3, "评分标准"] == "≥98%→100分；≥95%→80分；≥92%→60分；其余→0分"


RATE = st.one_of(st.floats(0, 1), st.just(math.nan))
ROW = st.tuples(st.text(min_size=1, max_size=3), st.one_of(st.floats(0, 3), st.just(math.nan)), RATE,
                st.one_of(st.floats(0, 5000), st.just(math.nan)), RATE,
                st.one_of(st.floats(0, 600), st.just(math.nan)), st.floats(0, 1.2))


@given(st.lists(ROW, max_size=8))
def test_scores_stay_within_0_and_100(rows):
    out = score_sheet(sheet(*rows))
    for column in COLUMNS:
        assert out[f"{column}得分"].isin([0, 60, 80, 100]).all()
    assert out["综合得分"].between(0, 100).all()
    assert out["等级"].isin(["金牌", "银牌", "铜牌", "待提升"]).all()
    for score, grade in zip(out["综合得分"], out["等级"]):
        # the sheet's bands, written out independently of the code: 金牌 90–100, 银牌 80–90, 铜牌 70–80
        expected = "金牌" if score >= 90 else "银牌" if score >= 80 else "铜牌" if score >= 70 else "待提升"
        assert grade == expected


@given(st.floats(0, 1), st.floats(0, 1), st.floats(0, 600), st.floats(0, 600))
def test_better_kpis_never_score_less(a, b, s1, s2):
    low, high = sorted([a, b])
    fast, slow = sorted([s1, s2])
    out = score_sheet(sheet(("甲", 1.0, low, 100.0, low, slow, 1.0), ("乙", 1.0, high, 100.0, high, fast, 1.0)))
    assert out["综合得分"].iloc[1] >= out["综合得分"].iloc[0]
