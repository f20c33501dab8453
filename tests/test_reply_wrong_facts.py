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


SHOP = {"prices": [89], "times": ["16:00", "15:05"], "durations": ["2～3天"], "gifts": ["杯套"],
        "guarantees": ["运费险", "七天无理由退货"]}


@pytest.mark.parametrize("text, rule", [
    ("吊牌拆了也没关系，七天内都能退", "吊牌拆了也能"),
    ("就算用过了，七天内也能无理由退", "用过"),
    ("七天无理由只限没拆封的", "拆开包装就不能"),
    ("拆封了就不能退了哦", "拆开包装就不能"),
    ("收到不满意一个月内都能退", "超过七天"),
    ("我给您备注一下，能比平时早到一天", "更快到货"),
    ("偏远地区也是一样的时效", "偏远地区"),
    ("不管几点付款都是当天发", "任何时间付款"),
    ("开机激活用过几天也照样能退", "用过"),
    ("包包拆了吊牌也可以七天无理由退的", "吊牌拆了也能"),
    ("订单拍下6小时不付款就会自动关闭", "未付款订单自动关闭"),
    ("三天内没付款订单会关闭", "未付款订单自动关闭"),
])
def test_statements_against_the_platform_rules_are_wrong_in_every_shop(text, rule):
    found = claims(text, SHOP)
    assert [kind for kind, *_ in found] == ["说错"] and rule in found[0][2], found


@pytest.mark.parametrize("text", [
    "吊牌拆了就不能无理由退了，收到先别拆吊牌",         # the honest warning
    "拆开包装看看不影响七天无理由退货",
    "用过了、弄脏了就不能无理由退了",
    "七天内商品完好都能退",
    "偏远地区会久一些，一般比2～3天多几天",
    "16:00以后付款的话第二天发",
    "拍下后1天内没有付款，订单会自动关闭",
    "秒杀订单30分钟内不付款就会关闭",
    "24小时不付款订单会自动关闭",
])
def test_the_true_rules_are_not_wrong(text):
    assert claims(text, SHOP) == []


@pytest.mark.parametrize("text, kind", [
    ("这次给您补偿一份小礼品，跟包裹一起寄", "赠品"),
    ("评价满15字带图的话，下次我给您留个小惊喜", "赠品"),
    ("我建议送个杯子之外的小礼物，比如收纳箱", None),      # the buyer's present, not the shop's gift
    ("推荐您送个保温杯，89元", None),
    ("现在15点多，16:00前付款今天就能发", None),             # “15点多” is the hour of the task's 15:05
    ("现在17点多，16:00前付款今天就能发", "时间"),
    ("我给您多放了一个小挂件当赠品", "赠品"),                 # the gift named before 当赠品
    ("杯套当赠品随杯子一起发", None),                       # the shop's real gift
    ("16:00前付款，后天一准能送到", "到货时效"),
    ("为表歉意，我给您备注优先打包", "保障"),                 # a shipping privilege the shop never gave
])
def test_gifts_offered_as_compensation_and_the_current_hour(text, kind):
    assert [k for k, *_ in claims(text, SHOP)] == ([kind] if kind else [])


def test_the_platform_rules_must_be_a_table_of_patterns():
    import copy

    from course_lib.content.loading import read_content
    from course_lib.content.rubric_rules import rubric_from_data
    data = copy.deepcopy(read_content("rubric.yaml"))
    data["facts"]["wrong"] = ["吊牌拆了也没关系"]
    with pytest.raises(ContentError, match="facts.wrong"):
        rubric_from_data(data)
    data["facts"]["wrong"] = {"说错": ["(未闭合"]}
    with pytest.raises(ContentError, match="正确的正则表达式"):
        rubric_from_data(data)


SHELF = {"prices": [89, 79, 39, 25, 64], "price_of": {"保温杯": 89, "香薰蜡烛": 79, "散热架": 39, "手机支架": 25}}


@pytest.mark.parametrize("text, found", [
    ("推荐保温杯，只要79元", [("价格", "79元", "保温杯的价格是89元，不是79元")]),    # the name, a comma, the price
    ("推荐保温杯，另外那个79元", []),                                # other words between: not tied
    ("推荐保温杯只要79元，316不锈钢内胆", [("价格", "79元", "保温杯的价格是89元，不是79元")]),
    ("79元的保温杯很实用", [("价格", "79元", "保温杯的价格是89元，不是79元")]),
    ("散热架：25元，手机支架39元", [("价格", "25元", "散热架的价格是39元，不是25元"),
                                    ("价格", "39元", "手机支架的价格是25元，不是39元")]),
    ("保温杯89元，香薰蜡烛79元", []),
    ("散热架39元加手机支架25元，一共64元", []),                      # a sum is nobody's price
    ("散热架加手机支架一共64元", []),
    ("两个散热架78元", [("价格", "78元", "店铺情况里没有这个价格，可以说的价格：89元、79元、39元、25元、64元")]),
    ("保温杯不是79元，是89元", []),                                 # negated
])
def test_a_price_next_to_a_product_must_be_that_product_s(text, found):
    assert claims(text, SHELF) == found


def test_price_of_is_validated_and_inherited():
    with pytest.raises(ContentError, match="price_of"):
        facts_from_data({"prices": [89], "price_of": {"保温杯": 99}}, "测试")
    with pytest.raises(ContentError, match="price_of"):
        facts_from_data({"prices": [89], "price_of": ["保温杯"]}, "测试")
    turn = load_scenario("u08_budget").turns["t3"]
    assert ("双肩包", 149.0) in turn.reply.facts.price_of
    probe = "您好，双肩包129元，能放14寸电脑，托特包149元更好看，您看更在意哪个？"
    assert "双肩包的价格是149元" in turn.reply.score(probe).suggestion


@pytest.mark.parametrize("text, buyer, found", [
    ("后天一准能到这种话我不敢说，快递一般2～3天", "", []),               # disowned later in the clause
    ("专柜小票、专柜同款这些说法都谈不上", "", []),                        # … across a list's 、
    ("专柜小票都会放在包裹里", "", [("官方身份", "专柜小票")]),
    ("保温杯当礼物送弟弟很实用，89元", "", []),                           # the buyer's present, not a gift offer
    ("别家充电宝120元，我们这款89元", "别家120的也有", []),                # the buyer's other-shop price
    ("保温杯比香薰蜡烛贵10元", "", []),                                   # 89 − 79: a true difference
    ("保温杯比香薰蜡烛贵20元", "", [("价格", "20元")]),
    ("退货运费得您自己出哦", "", [("说错", "退货运费得您自己出")]),
    ("退货运费您先垫付，运费险会赔给您", "", []),
    ("收到后15天内不满意都能无理由退", "", [("保障", "15天内不满意都能无理由")]),
    ("吊牌没拆的话都可以退", "", []),
    ("再过两三个小时没付也不会关闭", "", []),
    ("如果是质量问题，用过也可以退换", "", []),
    ("可以直接送她一只同款保温杯", "", []),                              # the buyer's present to a colleague
    ("香薰蜡烛更便宜10块，不过保温杯更实用", "", []),                     # 89 − 79: a comparison
    ("保温杯可以给您便宜10块", "", [("优惠", "便宜10块")]),               # … but offered, a cut
    ("我不敢跟您打包票周六前一定到", "", []),                            # a long cue ending inside the window
])
def test_todays_claims_and_their_honest_neighbours(text, buyer, found):
    facts = {**SHELF, "guarantees": ["运费险", "七天无理由退货"]}
    rb = default_rubric()
    got = [(c.kind, c.quote) for c in invented_claims(text, facts_from_data(facts, "测试"), rb.vocab, rb.lexicon, buyer)]
    assert got == found
