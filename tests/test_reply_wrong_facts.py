"""Scorer rules added with units 02 and 03: statements that contradict the product facts
(``facts.wrong``), delivery promises with a time of day, and negations such as 避免/切勿."""
from __future__ import annotations

import pytest

from course_lib.content.claims import Facts, invented_claims
from course_lib.content.loading import ContentError
from course_lib.content.rubric import score_reply, spec_from_data
from course_lib.content.rubric_rules import default_rubric, facts_from_data
from course_lib.content.scenarios import load_scenario

CARE = {"prices": [129], "wrong": [{"name": "让PU包暴晒", "words": ["暴晒", "晒太阳"]},
                                   {"name": "说PU包可以机洗", "words": ["可以机洗", "能机洗"]}]}


def claims(text: str, facts: dict = CARE) -> list[tuple[str, str, str]]:
    rb = default_rubric()
    return [(c.kind, c.quote, c.reason) for c in invented_claims(text, facts_from_data(facts, "测试"), rb.vocab, rb.lexicon)]


@pytest.mark.parametrize("text, found", [
    ("用湿布擦擦，放太阳底下暴晒一下，干得快", [("说错", "暴晒", "让PU包暴晒")]),
    ("这款包可以机洗，选轻柔模式", [("说错", "可以机洗", "说PU包可以机洗")]),
    ("不能机洗，也不要暴晒", []),
    ("擦完放通风处阴干，避免暴晒", []),
    ("切勿暴晒，别晒太阳", []),
    ("能机洗吗？", []),                                # a question states nothing
    ("能不能机洗我帮您查一下", []),
])
def test_wrong_statements_are_claims_unless_negated_or_asked(text, found):
    assert claims(text) == found


def test_a_wrong_statement_caps_the_score_like_an_invented_fact():
    gates = [{"name": "怎么清洁", "words": ["湿布"]}]
    good = score_reply("您好，用湿布轻擦，通风处阴干，不要暴晒。", gates=gates, facts=CARE)
    bad = score_reply("您好，用湿布轻擦，再放太阳下暴晒一下就干了。", gates=gates, facts=CARE)
    assert good.score == 100
    assert bad.score == default_rubric().facts.cap == 40 and bad.capped_by == "没有编造承诺或信息"
    assert "「暴晒」（让PU包暴晒）" in bad.suggestion


def test_wrong_lists_are_validated_and_merged():
    with pytest.raises(ContentError, match="泛泛之词"):
        facts_from_data({"wrong": [{"name": "空话", "words": ["好的", "可以"]}]}, "测试")
    with pytest.raises(ContentError, match="facts.wrong"):
        facts_from_data({"wrong": [{"name": "没有词"}]}, "测试")
    merged = Facts(wrong=(("甲", ("暴晒",)),)).plus(Facts(wrong=(("乙", ("机洗",)), ("甲", ("暴晒",)))))
    assert merged.wrong == (("甲", ("暴晒",)), ("乙", ("机洗",)))
    spec = spec_from_data({"facts": CARE}, "测试")
    assert spec.facts.wrong[0] == ("让PU包暴晒", ("暴晒", "晒太阳"))


def test_a_scenario_turn_inherits_the_wrong_statements():
    turn = load_scenario("u03_pu_tote").turns["t4"]
    names = [name for name, _ in turn.reply.facts.wrong]
    assert any("暴晒" in n for n in names) and any("真皮" in n for n in names)
    result = turn.reply.score("亲，不能机洗，不能用汽油擦，湿布擦完放太阳底下暴晒一下就好。")
    assert result.score == 40 and "暴晒" in result.suggestion


@pytest.mark.parametrize("text", ["明天上午就能送到", "后天下午一定到", "明天一早就到"])
def test_a_delivery_day_with_a_time_of_day_is_a_promise(text):
    found = claims(f"亲，{text}。", {"durations": ["2～3天"]})
    assert [kind for kind, *_ in found] == ["到货时效"]


def test_a_negated_care_point_does_not_count_as_said():
    required = [{"name": "说明晒太阳", "words": ["晒太阳"]}]
    assert score_reply("您好，避免晒太阳，放在阴凉处。", required=required).items[0].passed is False
    assert score_reply("您好，可以晒太阳。", required=required).items[0].passed is True
