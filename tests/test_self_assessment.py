"""The self-assessment radar (unit 02): scores by hand, any student input, the practice file,
the chart and the widget driven from pytest."""
from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course_lib.practice.loading import PracticeFileError, assess, load_assessment
from course_lib.practice.self_assessment import AssessmentError, assessment_from_data, radar_summary
from course_lib.progress import ProgressStore

from .practice_data import broken_u02

ANSWERS = [5, 4, 3, 3, 2, 1, 4, 4, 5, 5, 3, 2]


def test_the_file_has_six_dimensions_of_two_statements():
    a = load_assessment("u02")
    assert [d.name for d in a.dimensions] == ["心理素养", "品行素养", "技能素养", "综合素养", "服务态度", "专业知识"]
    assert [n for n, _, _ in a.statements] == [str(k) for k in range(1, 13)]
    assert (a.scale, a.reference) == (5, 3)


def test_scores_by_hand():
    # (5+4)/2, (3+3)/2, (2+1)/2, (4+4)/2, (5+5)/2, (3+2)/2
    s = assess(ANSWERS)
    assert s.values == (4.5, 3.0, 1.5, 4.0, 5.0, 2.5)
    assert s.mean == pytest.approx(20.5 / 6) and s.strongest == ("服务态度",) and s.weakest == ("技能素养",)
    assert s.below_reference == ("技能素养", "专业知识") and len(s.advice) == 2
    assert s.advice[0].startswith("提升「技能素养」") and "打字测速" in s.advice[0]


def test_a_dict_with_text_scores_is_the_same():
    given_ = {str(i + 1): str(v) for i, v in enumerate(ANSWERS)}
    given_["1"] = "５"                                           # a full-width digit
    assert assess(given_).values == assess(ANSWERS).values


def test_all_equal_gives_one_general_advice():
    s = assess([4] * 12)
    assert s.strongest == s.weakest == tuple(d.name for d in load_assessment().dimensions)
    assert s.below_reference == () and "各项得分一样" in s.advice[0]


def test_to_text_draws_half_points():
    text = assess(ANSWERS).to_text().splitlines()
    assert text[2] == "技能素养 ■■■□□□□□□□ 1.5"
    assert text[6].startswith("平均3.42分；最强：服务态度；最需要提升：技能素养")


@pytest.mark.parametrize("answers, message", [
    ([3] * 11, "应给12句话各打一个分，现在有11个分数"),
    ({str(k): 3 for k in range(1, 12)}, "还有第12句没有打分"),
    ({**{str(k): 3 for k in range(1, 13)}, "13": 3}, "没有第13句"),
    ([3] * 11 + [6], "第12句的分数应在1～5之间，现在是6"),
    ([3] * 11 + [2.5], "应是整数"),
    ([3] * 11 + [True], "不是True/False"),
    ([3] * 11 + ["很好"], "不是数字"),
    ([3] * 11 + [float("nan")], "应是1～5的整数"),
    ("555555555555", "列表"),
])
def test_bad_scores_name_the_statement(answers, message):
    with pytest.raises(AssessmentError, match=message):
        assess(answers)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(st.integers(-3, 9), st.floats(allow_nan=True), st.text(max_size=3), st.none(),
                          st.booleans()), min_size=0, max_size=14))
def test_any_answers_are_scored_or_refused_in_chinese(answers):
    try:
        s = assess(answers)
    except AssessmentError as error:
        assert any("\u4e00" <= ch <= "\u9fff" for ch in str(error))
    else:
        assert len(answers) == 12 and all(1 <= v <= 5 for v in s.values)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(1, 5), min_size=12, max_size=12))
def test_each_dimension_is_the_mean_of_its_two_statements(answers):
    s = assess(answers)
    assert list(s.values) == [(answers[2 * k] + answers[2 * k + 1]) / 2 for k in range(6)]
    assert min(s.values) <= s.mean <= max(s.values)
    assert set(s.below_reference) == {n for n, v in zip(s.labels, s.values) if v < 3}
    assert 1 <= len(s.advice) <= 2


def test_radar_summary_checks_dimension_scores():
    a = load_assessment()
    with pytest.raises(AssessmentError, match="还没有给这几项打分"):
        radar_summary(a, {"心理素养": 3})
    with pytest.raises(AssessmentError, match="没有「颜值」这一项"):
        radar_summary(a, {**dict.fromkeys([d.name for d in a.dimensions], 3), "颜值": 5})
    assert radar_summary(a, dict.fromkeys([d.name for d in a.dimensions], 3.5)).mean == 3.5


@pytest.mark.parametrize("change, message", [
    (lambda a: a.update(dimensions=a["dimensions"][:2]), "至少要有3项"),
    (lambda a: a["dimensions"][0].update(statements=[]), "至少一句话"),
    (lambda a: a["dimensions"][1].update(name="心理素养"), "不能重复"),
    (lambda a: a.update(reference=9), "reference"),
    (lambda a: a["dimensions"][2].pop("advice"), "缺少 advice"),
])
def test_a_broken_self_assessment_names_the_problem(change, message):
    with pytest.raises(AssessmentError, match=message):
        assessment_from_data(broken_u02("self_assessment", change), "practice/u02.yaml")


def test_a_file_without_the_section_is_a_chinese_error(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_DATA", str(tmp_path))
    (tmp_path / "practice").mkdir()
    (tmp_path / "practice" / "u02.yaml").write_text("unit: u02\n", encoding="utf-8")
    with pytest.raises(PracticeFileError, match="没有 self_assessment 这一节"):
        load_assessment("u02")


# ---------------------------------------------------------------- the chart and the widget

@pytest.fixture
def plt():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as pyplot

    from course_lib.charts import setup_charts

    setup_charts()
    yield pyplot
    pyplot.close("all")


def test_the_radar_chart_starts_at_the_top_and_goes_clockwise(plt):
    from course_lib.charts import radar_chart

    s = assess(ANSWERS)
    radar_chart(s.labels, s.values, title="我的客服素养自评", reference=3, reference_label="参考线：3分")
    ax = plt.gca()
    assert ax.name == "polar" and ax.get_theta_offset() == pytest.approx(math.pi / 2) and ax.get_theta_direction() == -1
    assert [t.get_text() for t in ax.get_xticklabels()] == ["心理素养\n4.5", "品行素养\n3.0", "技能素养\n1.5",
                                                          "综合素养\n4.0", "服务态度\n5.0", "专业知识\n2.5"]
    polygon = ax.lines[0].get_ydata()
    assert list(polygon) == list(s.values) + [s.values[0]]          # closed
    assert list(ax.lines[1].get_ydata()) == [3] * 7 and ax.get_ylim() == (0, 5)
    with pytest.raises(ValueError, match="0～5之间"):
        radar_chart(s.labels, [6, 1, 1, 1, 1, 1], title="错")


def test_the_widget_asks_for_every_statement_then_draws_and_remembers(plt, tmp_path):
    from course_lib.views.self_radar import SelfRadar

    store = ProgressStore(tmp_path / "p.json")
    radar = SelfRadar(store=store)
    assert len(radar.buttons) == 12 and all(b.value is None for b in radar.buttons)
    for button, value in zip(radar.buttons[:10], ANSWERS):
        button.value = str(value)
    radar.draw.click()
    assert "还有第11、12句没有打分" in radar.status.value and radar.summary is None
    radar.buttons[10].value, radar.buttons[11].value = "3", "2"
    radar.draw.click()
    assert radar.status.value == "" and radar.summary.values == (4.5, 3.0, 1.5, 4.0, 5.0, 2.5)
    assert "最需要提升：技能素养" in radar.text.value and plt.gca().name == "polar"
    again = SelfRadar(store=ProgressStore(tmp_path / "p.json"))
    assert [b.value for b in again.buttons] == [str(v) for v in ANSWERS]
    again.clear.click()
    assert all(b.value is None for b in again.buttons) and again.text.value == ""


def test_an_edited_progress_entry_is_ignored(tmp_path):
    from course_lib.views.self_radar import SelfRadar

    store = ProgressStore(tmp_path / "p.json")
    store.put("self_assessment", "u02", {"1": 9, "2": "x"})
    radar = SelfRadar(store=store)
    assert all(b.value is None for b in radar.buttons)
