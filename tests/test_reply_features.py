"""Scorer rules for what the pilots' notes said it missed: a 卖点 the product data does not
state (“这款特别防水”), herd pressure in a 催付 (“好多人都在看这款”) and a vague delivery
promise (“很快就到您手上了”); and 特别/区别 are not negations."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course_lib.content.banks import load_exercises
from course_lib.content.claims import Facts, invented_claims
from course_lib.content.loading import ContentError, read_content
from course_lib.content.rubric import score_reply, spec_from_data
from course_lib.content.rubric_rules import default_rubric, facts_from_data, rubric_from_data
from course_lib.content.scenarios import load_scenario
from course_lib.content.validate import spec_warnings
from course_lib.settings import data_dir
from course_lib.shop.datasets import load_dataset
from course_lib.text import fold_reply

from .test_reply_set import target

U03, U03_PASS = target("u03.e5")             # (the reply spec, the pass mark)
GOOD_U03 = ("跟您说实话：150元左右的包没有真皮的，托特包（129元）是PU配皮，好打理，"
            "真皮的是头层牛皮斜挎包，359元，详情页有检测报告。")


def features(text: str, facts: Facts | None = None) -> list[tuple[str, str]]:
    rb = default_rubric()
    return [(c.quote, c.reason) for c in invented_claims(text, facts or Facts(), rb.vocab, rb.lexicon)
            if c.kind == "卖点"]


def every_phrasing():
    return [(name, word) for name, words in default_rubric().vocab.features.items() for word in words]


@pytest.mark.parametrize("name, word", every_phrasing())
def test_every_feature_phrasing_said_positively_is_invented(name, word):
    assert features(f"亲，这款{word}，您放心。") == [(word, f"商品资料里没有“{name}”这个卖点")]


@pytest.mark.parametrize("name, word", every_phrasing())
def test_a_feature_the_product_data_states_may_be_said(name, word):
    assert features(f"亲，这款{word}，您放心。", Facts(features=(name,))) == []


@pytest.mark.parametrize("text", [
    "这款不防水，下雨天记得收进包里",          # negated
    "这款没有降噪功能，通勤够用",
    "请问您需要防水的吗？",                     # a question states nothing
    "下雨天要注意防水，沾水后先用干布吸干",     # care advice, not a claim
    "防水性能一般，不建议淋雨",                 # an honest limitation
    "它防水这方面一般，平时别淋雨",
])
def test_honest_mentions_are_not_feature_claims(text):
    assert features(text) == []


@pytest.mark.parametrize("lead", ["特别", "和别的款区别在于", "两款分别是"])
def test_words_holding_bie_are_not_negations(lead):
    required = [{"name": "说明耐磨", "words": ["耐磨"]}]
    assert score_reply(f"您好，这款{lead}耐磨。", required=required).items[0].passed is True
    assert score_reply("您好，别说耐磨。", required=required).items[0].passed is False


def test_an_invented_feature_fails_a_reply_that_otherwise_scores_full():
    assert U03.score(GOOD_U03).score == 100
    bad = U03.score(GOOD_U03.replace("好打理", "特别防水，下雨天也不怕"))
    assert bad.score == default_rubric().facts.cap < U03_PASS
    assert "「防水」（商品资料里没有“防水”这个卖点）" in bad.suggestion


def test_a_statement_the_item_names_as_wrong_keeps_its_own_reason():
    facts = facts_from_data({"wrong": [{"name": "说保温杯能放微波炉（知识卡：不能放进微波炉）",
                                        "words": ["能放微波炉"]}]}, "测试")
    rb = default_rubric()
    found = invented_claims("这款能放微波炉加热", facts, rb.vocab, rb.lexicon)
    assert [(c.kind, c.quote) for c in found] == [("说错", "能放微波炉")]


def test_feature_lists_are_read_merged_and_checked():
    assert facts_from_data({"features": ["防水"]}, "测试").features == ("防水",)
    assert Facts(features=("防水",)).plus(Facts(features=("降噪", "防水"))).features == ("防水", "降噪")
    with pytest.raises(ContentError, match="facts.features"):
        facts_from_data({"features": "防水"}, "测试")
    spec = spec_from_data({"gates": [{"name": "答", "words": ["防水"]}], "facts": {"features": ["防水功能"]}}, "测试")
    assert spec_warnings(spec, "测试") == ["测试：facts.features 里的「防水功能」不是 rubric.yaml 里 facts.features 的卖点名称，不起作用。"]
    raw = dict(read_content("rubric.yaml"))
    raw["facts"] = {**raw["facts"], "features": ["防水"]}
    with pytest.raises(ContentError, match="features"):
        rubric_from_data(raw)
    raw["facts"] = {k: v for k, v in raw["facts"].items() if k != "features"}
    assert rubric_from_data(raw).vocab.features == {}          # a teacher's older rubric.yaml still loads


def test_the_shop_data_states_none_of_the_features():
    """The vocabulary's comment says the shop's products have none of these 卖点: hold it to that."""
    products = load_dataset("products").drop(columns=["不足", "保养要点"])     # where 避免淋雨/不能放进微波炉 stand
    text = fold_reply("".join(map(str, products.to_numpy().ravel())))
    said = [w for _, w in every_phrasing() if fold_reply(w) in text]
    assert said == []


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="亲这款防水不怕雨降噪纯棉特别注意吗？，。没有很好用", max_size=30))
def test_every_feature_claim_quotes_a_phrasing_said_in_the_reply(text):
    folded = fold_reply(text)
    words = {fold_reply(w) for _, w in every_phrasing()}
    for quote, _ in features(text):
        assert quote in words and quote in folded
    assert features(text, Facts(features=tuple(default_rubric().vocab.features))) == []


# ----------------------------------------------------------------------------- pressure and promises

U10, U10_PASS = target("u10.e5")
GOOD_U10 = ("木木您好，我是禾悦优选的客服小暖～您上午拍下的不锈钢保温杯还没有付款哦。这款杯子现在有现货，"
            "今天16:00前付款当天就能发出，本周下单还送一个杯套。付款时遇到问题可以随时找我！")


@pytest.mark.parametrize("herd", ["好多人都在看这款", "很多顾客正在抢", "大家都在抢这个", "不少买家也在加购", "很多人抢着买"])
def test_herd_pressure_in_a_reminder_fails(herd):
    assert U10.score(GOOD_U10).score == 100
    result = U10.score(GOOD_U10.replace("这款杯子现在有现货", herd))
    assert result.score < U10_PASS and result.capped_by == "不施压、不逼单"


@pytest.mark.parametrize("honest", ["很多顾客在问保温效果", "很多顾客买来送人", "别人家的我不清楚"])
def test_talk_of_other_buyers_without_pressure_passes(honest):
    assert U10.score(GOOD_U10.replace("这款杯子现在有现货", f"这款杯子现在有现货，{honest}")).score == 100


T5, T5_PASS = target("u02_bad_day.t5")
GOOD_T5 = ("抱歉让您着急了。您的订单有运费险，真要退货，退货运费由运费险赔付，不用您出；收到后七天内、"
           "商品和包装完好，都可以无理由退货。今天发出后我马上把单号发给您，物流我也帮您盯着。")


def said_in_t5(said: str):
    """The score of the passing u02_bad_day.t5 reply with ``said`` added before its last clause."""
    return T5.score(GOOD_T5.replace("物流我也帮您盯着", f"{said}，物流我也帮您盯着"))


@pytest.mark.parametrize("promise", ["很快就到您手上了", "马上就能送到", "包裹很快就到", "马上就到"])
def test_a_vague_delivery_promise_is_an_overpromise(promise):
    assert T5.score(GOOD_T5).score == 100
    result = said_in_t5(promise)
    assert result.capped_by == "服务禁用语·过度承诺类" and result.score < T5_PASS


@pytest.mark.parametrize("text, passed", [("您好，退款一般很快就到账，请留意。", True),
                                          ("您好，我马上就到后台帮您查一下。", True),
                                          ("您好，包裹很快就到您手上了，请留意。", False)])
def test_only_a_parcel_arriving_soon_is_a_promise(text, passed):
    outcome = next(i for i in score_reply(text).items if i.id == "forbidden_overpromise")
    assert outcome.passed is passed


# ----------------------------------------------------------------------------- what the notes listed as missed

# (item, rule it fails): the rewordings, each said after the item's reference reply's first clause.
# Stop 18's notes listed the first ones as missed, the re-scored notes of stop 21 the rest.
REWORDED = {
    ("u11.e5", "服务禁用语·态度类"): ["您那边地方偏", "快递慢很正常", "快递公司的问题我们也没办法", "这也不能全怪我们",
                                   "我都说了", "快递那边的事我们也左右不了"],     # 我都说了: the 您都说了 allow keeps it
    ("u02.e5", "服务禁用语·态度类"): ["您也得体谅一下我们"],
    ("u12.e5", "服务禁用语·态度类"): ["不过您也想太多了"],
    ("u11.e5", "服务禁用语·过度承诺类"): ["下次肯定快", "下回会快一些的", "放心，肯定来得及", "这次一定不会让您再等了"],
    ("u07.e5", "不威胁顾客"): ["签收以后就别想退换了"],
    ("u09.e5", "不施压、不逼单"): ["过了今天可就没有赠品了"],
    ("u12.e5", "不施压、不逼单"): ["您错过了可别后悔"],
    ("u10.e5", "不施压、不逼单"): ["这款卖得特别火", "这款非常抢手", "已经提醒您好几次了"],
    ("u11.e5", "不施压、不逼单"): ["跟您说了好几次了"],
    ("u09.e5", "服务禁用语·平台违规类"): ["别家的是仿的", "别家那个质量不行"],   # disparaging other shops
    ("u09.e5", "服务禁用语·态度类"): ["价格就这样，您看着办吧"],               # stop 23's gate review
}


@pytest.mark.parametrize("qid, said, rule", [(qid, f"{said}，", rule) for (qid, rule), said_all in REWORDED.items()
                                             for said in said_all])
def test_reworded_excuses_threats_and_pressure_fail(qid, said, rule):
    q = load_exercises(qid.split(".")[0]).get(qid)
    reference = q.reference
    assert q.reply.score(reference).score >= q.pass_score
    cut = reference.index("，") + 1                      # said after the reference's first clause
    result = q.reply.score(reference[:cut] + said + reference[cut:])
    assert result.score < q.pass_score and result.capped_by == rule


@pytest.mark.parametrize("honest", ["您不会后悔的", "别想太多，有问题随时找我", "这是正常的物流时效",
                                    "这次延误不能怪您，是我们跟进得不够", "以后会快速处理您的问题",
                                    "下次发货会快一些", "这款卖得不算火，但回购的人多",
                                    "您都说了好几次了，真抱歉让您反复说明", "让您问了好几次了，实在抱歉",
                                    "我们家不卖高仿", "别家的我不太清楚，我只能说说我们家的",
                                    "您不用担心来不来得及，我帮您盯着", "我们会尽量不让您再等", "您想得很周到"])
def test_near_misses_stay_allowed(honest):
    failed = {i.name for i in score_reply(f"您好，{honest}。").items if not i.passed}
    assert not failed & {"服务禁用语·态度类", "服务禁用语·过度承诺类", "服务禁用语·平台违规类", "不威胁顾客", "不施压、不逼单"}


# ----------------------------------------------------------------------------- a hedged date is still a date

@pytest.mark.parametrize("guess", ["过两天应该就到了", "明天应该就能到", "后天估计能到", "三天左右应该能到", "明天下午可能到"])
def test_a_hedged_delivery_date_is_still_an_invented_date(guess):
    result = said_in_t5(guess)
    facts = next(i for i in result.items if i.id == "facts")
    assert result.score < T5_PASS and result.capped_by == facts.name
    assert "顾客也会当成承诺" in facts.message and facts.found and all(q in guess for q in facts.found), facts


@pytest.mark.parametrize("honest", ["明天可能到不了，我帮您盯着", "具体几天能到要看快递", "大概要看快递的速度",
                                    "我下午到仓库帮您看一下包装", "我估计下午到后台再核实一次",
                                    "您晚上到家后记得查收短信", "我今天下午到快递网点帮您问问", "今天收到您的反馈",
                                    "退款一般1～3天到账", "明天之前给您回复"])
def test_a_hedge_or_the_agent_going_somewhere_is_not_a_date(honest):
    result = said_in_t5(honest)
    assert result.score == 100, result


@pytest.mark.parametrize("promise", ["您明天就能收到", "您明天就能到手", "包裹明天到您家", "明天就到", "放心，后天前能到",
                                     "后天之前给您送到"])
def test_a_delivery_date_after_a_person_is_still_a_date(promise):
    assert said_in_t5(promise).score < T5_PASS


@pytest.mark.parametrize("said, passed", [("最后送您一句提醒：签收前先验货", True), ("送您一份祝福，生活愉快", True),
                                          ("再送您一个保温杯", False)])
def test_words_and_wishes_are_not_gifts(said, passed):
    assert (said_in_t5(said).score >= T5_PASS) is passed


# ----------------------------------------------------------------------------- sizes (facts.sizes)

B3, B3_PASS = target("u08_budget.t3")
GOOD_B3 = ("理解您，两款各有好处～您每天带电脑的话，双肩包更稳妥：资料写明可放14英寸笔记本；托特包看着更正式，"
           "但资料只写了能放A4文件，没写能放电脑。两款都在预算内，看您更看重哪一点，您来定～")


def said_in_b3(said: str):
    """The score of the passing u08_budget.t3 reply with ``said`` added before its last clause."""
    return B3.score(GOOD_B3.replace("您来定～", f"{said}，您来定～"))


@pytest.mark.parametrize("said", ["双肩包能装下15寸笔记本", "15.6寸的电脑也放得下", "托特包长40厘米", "托特包容量有20升",
                                  "双肩包可以放进16英寸的电脑"])
def test_a_size_the_product_data_does_not_state_is_invented(said):
    assert B3.score(GOOD_B3).score == 100
    result = said_in_b3(said)
    facts = next(i for i in result.items if i.id == "facts")
    assert result.score < B3_PASS and "商品资料里没有这个尺寸" in facts.message, facts


@pytest.mark.parametrize("honest", ["双肩包长42厘米", "托特包长38厘米、宽14厘米", "您的电脑要是15寸的，双肩包就放不下了",
                                    "双肩包不能放15寸的电脑", "14寸的电脑放得下", "保温杯容量500毫升"])
def test_a_size_the_product_data_states_or_the_buyers_own_is_not(honest):
    assert said_in_b3(honest).score == 100


def test_without_sizes_an_item_does_not_check_sizes():
    assert not T5.facts.sizes
    assert said_in_t5("包能放15寸笔记本").score == 100


def test_every_listed_size_is_quoted_from_the_products_data():
    products = load_dataset("products")
    quoted = " ".join(products["规格尺寸"].astype(str)) + " " + " ".join(products["材质说明"].astype(str))
    specs = [q.reply for p in (data_dir() / "exercises").glob("*.yaml") for q in load_exercises(p.stem).questions]
    specs += [t.reply for p in (data_dir() / "scenarios").glob("*.yaml") for t in load_scenario(p.stem).turns.values()]
    sizes = {s for spec in specs if spec and spec.facts for s in spec.facts.sizes}
    assert len(sizes) >= 7 and all(s in quoted for s in sizes), sorted(s for s in sizes if s not in quoted)


def test_a_size_without_a_unit_is_rejected_when_loading():
    with pytest.raises(ContentError, match="facts.sizes"):
        facts_from_data({"sizes": ["很大"]}, "测试")


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=1, max_value=40), st.sampled_from(["寸", "英寸", "吋"]), st.sampled_from(["能放", "可以装下", "放得下"]))
def test_a_stated_size_is_a_claim_exactly_when_outside_the_products_range(n, unit, verb):
    rb = default_rubric()
    facts = Facts(sizes=("适用于11～17英寸笔记本电脑",))
    claims = [c for c in invented_claims(f"您好，这款{verb}{n}{unit}的笔记本。", facts, rb.vocab, rb.lexicon) if c.kind == "尺寸"]
    assert bool(claims) is not (11 <= n <= 17)
