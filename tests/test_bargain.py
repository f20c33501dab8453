"""议价 (unit 09): order margins, the task card's concessions, and the three-score end report on
hand-computed dialogues; concessions agree with the reply scorer's facts check.

Costs used in the hand computations (products.csv): 头层牛皮斜挎包 P02 359/168, 皮具护理套装 P05
39/14 (the week's campaign gift with a bag), 手机支架 P10 25/8, 快充数据线 P08 29.9/9.5, PU配皮托特包
P01 129/52, 20000毫安充电宝 P07 129/63.  Tone: a message outside a free-text turn scores by the
general rules only — 礼貌称呼 (weight 15) and 回复长度 10–150 字 (weight 10, cap 55) — with the caps of
banned words (态度类 30), pressure (40) and the facts check (40).
"""
from __future__ import annotations

import copy

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course_lib.content.concessions import bargain_inputs, read_offer, tone
from course_lib.content.dialogue import Dialogue
from course_lib.content.loading import ContentError, read_content
from course_lib.content.rubric_rules import default_rubric
from course_lib.content.scenarios import load_scenario, scenario_from_data
from course_lib.shop.bargain import (
    BargainError,
    Concession,
    bargain_report,
    check_concessions,
    concession_from_data,
    discount_from_quote,
    setup_from_data,
)
from course_lib.shop.catalogue import PRODUCTS
from course_lib.shop.margin import MarginError, items_from_table, order_margin, parse_amount

SCENARIO = load_scenario("u09_bargain")
SETUP = setup_from_data(SCENARIO.bargain)
REFERENCE = SCENARIO.turns["t1"].reference


# ------------------------------------------------------------------ margins, computed by hand

@pytest.mark.parametrize("kwargs, paid, gift_cost, profit, standard", [
    (dict(product="P02"), 359, 14, 177, 177),                                 # 359 − 168 − 14
    (dict(product="P02", extra_gifts=["P10"]), 359, 22, 169, 177),            # + 手机支架 8
    (dict(product="P02", discount=30), 329, 14, 147, 177),                    # a private cut of 30
    (dict(product="P02", discount=60), 299, 14, 117, 177),                    # given in to 299
    (dict(product="P01", extra_gifts=["手机支架"]), 129, 22, 55, 63),          # 129 − 52 − 14 − 8; 129 − 52 − 14
    (dict(product="P07", extra_gifts=["P08"]), 129, 9.5, 56.5, 66),           # no campaign gift: not a bag
    (dict(product="P04", quantity=2, discount="20元"), 318, 14, 160, 180),    # 338 − 20 − 144 − 14; one kit per order
    (dict(product="P05"), 39, 0, 25, 25),                                     # the kit itself gets no kit
])
def test_order_margin_by_hand(kwargs, paid, gift_cost, profit, standard):
    m = order_margin(**kwargs)
    assert (m.paid, m.gift_cost, m.profit, m.standard_profit) == (paid, gift_cost, profit, standard)
    assert m.kept == pytest.approx(profit / standard) and m.rate == pytest.approx(profit / paid)


def test_margin_text_and_dict():
    m = order_margin("P02", extra_gifts=["P10"])
    assert m.to_text().splitlines() == [
        "头层牛皮斜挎包×1：售价359.00元，让价0.00元，实收359.00元",
        "商品成本168.00元；赠品成本22.00元（皮具护理套装14.00元（活动赠品）、手机支架8.00元（加送））",
        "一单毛利169.00元；标准毛利177.00元；毛利保持率95.5%"]
    assert m.as_dict()["毛利保持率"] == 0.9548 and m.as_dict()["毛利率"] == 0.4708     # 169/177, 169/359


def test_the_catalogue_and_the_csv_agree():
    pd = pytest.importorskip("pandas")
    from course_lib.shop.datasets import load_dataset

    table = load_dataset("products")
    assert items_from_table(table) == items_from_table(None)
    assert len(items_from_table(None)) == len(PRODUCTS) == 15
    with pytest.raises(MarginError, match="商品表缺少列：成本"):
        items_from_table(pd.DataFrame({"商品编号": ["P01"]}).assign(商品名称="包", 品类="箱包", 售价=1))


@pytest.mark.parametrize("kwargs, message", [
    (dict(product="P99"), "商品表里没有「P99」"), (dict(product=""), "请写商品编号"),
    (dict(product="P02", discount=-5), "让价应是不小于0的金额"), (dict(product="P02", discount="三十"), "让价「三十」看不懂"),
    (dict(product="P02", discount=400), "让价400元超过了售价359元"), (dict(product="P02", discount=True), "让价应是一个金额"),
    (dict(product="P02", quantity=0), "数量应是1–99的整数"), (dict(product="P02", extra_gifts=["毛巾礼盒"]), "没有「毛巾礼盒」"),
])
def test_bad_input_is_a_chinese_error(kwargs, message):
    with pytest.raises(MarginError, match=message):
        order_margin(**kwargs)


@pytest.mark.parametrize("typed, amount", [("30", 30.0), ("30元", 30.0), ("３０元", 30.0), ("¥30", 30.0),
                                           (" 12.5 ", 12.5), ("10块", 10.0), ("", 0.0), (None, 0.0), (9.999, 10.0)])
def test_parse_amount(typed, amount):
    assert parse_amount(typed) == amount


@given(st.one_of(st.text(max_size=30), st.integers(-10**6, 10**6), st.floats(allow_nan=True), st.none(), st.booleans()))
def test_any_typed_amount_is_a_number_or_a_chinese_error(typed):
    try:
        amount = parse_amount(typed)
    except MarginError as error:
        assert not str(error).isascii()
    else:
        assert amount >= 0


# ------------------------------------------------------------------ the task card's concessions

def test_the_card_of_u09_bargain():
    assert SETUP.product == "P02" and SETUP.standard_gifts == ("P05",)
    assert SETUP.rules.gifts == ("P10", "P08") and SETUP.rules.max_gifts == 1 and not SETUP.rules.discount_allowed
    card = "".join(SCENARIO.card)
    assert "客服不能改价" in card and "每单最多一件" in card and "成本8元" in card and "成本9.5元" in card


def test_a_card_can_never_allow_a_discount_the_facts_forbid():
    with pytest.raises(BargainError, match="不允许降价"):
        setup_from_data({"product": "P02", "rules": {"discount": True}})
    assert setup_from_data({"product": "P02", "rules": {"discount": True}}, discount_allowed=True).rules.discount_allowed
    with pytest.raises(BargainError, match="成本33元，超过了 max_gift_cost 10元"):
        setup_from_data({"product": "P02", "rules": {"gifts": ["P13"], "max_gift_cost": 10}})
    with pytest.raises(MarginError, match="没有「P77」"):
        setup_from_data({"product": "P02", "rules": {"gifts": ["P77"]}})


def test_concessions_add_up_and_breaches_are_named():
    assert concession_from_data({"gift": "P10"}, SETUP) == Concession(0.0, ("P10",))
    assert concession_from_data({"gifts": ["手机支架", "皮具护理套装"]}, SETUP).gifts == ("P10",)   # the kit is the campaign's
    assert concession_from_data({"said": ["便宜20", "改价"]}, SETUP) == Concession(20.0, (), ("便宜20", "改价"))
    # one reply, one price cut said twice (“便宜30元……给您改成329元”): 30, not 60
    assert concession_from_data({"said": ["便宜30元", "改成329"]}, SETUP).discount == 30.0
    assert Concession(30, ("P10",)) + Concession(30) == Concession(60.0, ("P10",))
    assert check_concessions(Concession(0, ("P10",)), SETUP) == []
    assert check_concessions(Concession(30), SETUP) == ["私自让价30元：任务卡规定价格统一，客服不能改价。"]
    assert check_concessions(Concession(0, ("P10", "P08")), SETUP) == ["一共加送了2件小礼品：任务卡规定每单最多加送1件。"]
    assert check_concessions(Concession(0, ("P13",)), SETUP) == ["加送「不锈钢保温杯」：不在任务卡允许加送的小礼品里。"]
    assert check_concessions(Concession(0, (), ("抹零",)), SETUP) == [
        "私自让价（金额没说清）（「抹零」）：任务卡规定价格统一，客服不能改价。"]
    for bad, message in [({"price": 329}, "未知字段 price"), ({"discount": -1}, "discount 应是不小于0"), ("P10", "让步应写成")]:
        with pytest.raises(BargainError, match=message):
            concession_from_data(bad, SETUP)


@pytest.mark.parametrize("quote, amount", [("便宜20", 20.0), ("便宜了30元", 30.0), ("给您打9折", 35.9), ("八折", 71.8),
                                           ("改成329", 30.0), ("299卖您", 60.0), ("抹个零", 9.0), ("优惠券", None)])
def test_discount_words_to_money(quote, amount):
    assert discount_from_quote(quote, 359) == amount


# ------------------------------------------------------------------ the three scores on hand-computed dialogues

def play(*moves):
    d = Dialogue(SCENARIO)
    for move in moves:
        d.choose(move) if isinstance(move, int) else d.reply(move)
    assert d.finished
    return d, bargain_report(**bargain_inputs(d), setup=SETUP)


def test_the_best_path_keeps_the_price_and_gives_one_small_gift():
    # t1 reference → t2 A (加送手机支架) → t3 B (真实的活动) → t4 C (确认订单)
    d, r = play(REFERENCE, 0, 1, 2)
    # 359 − 168 − 14 − 8 = 169; 169 ÷ 177 = 95.5 % → 95; four messages, each polite and 10–150 字 → 100
    assert (r.deal_score, r.margin_score, r.tone_score) == (100, 95, 100) and r.violations == ()
    assert r.margin.profit == 169 and d.report().percent == 100
    assert r.to_text().splitlines()[:3] == ["【议价实训报告】结局：成交", "① 成交：是——100分",
                                            "② 毛利：这一单毛利169.00元，标准毛利177.00元，保住了95.5%——95分"]
    assert r.advice() == ["三项都不错：买家觉得买值了，店铺也有钱赚——这就是教材说的“度”。"]


def test_giving_in_twice_closes_the_deal_but_loses_the_margin():
    # t2 B (改价到329, 30元) → t2b_more A (再便宜30, 299) → end_deal_cheap
    _, r = play(REFERENCE, 1, 0)
    # 359 − 60 − 168 − 14 = 117; 117 ÷ 177 = 66.1 % → 66, capped at 40 by the breach
    assert (r.deal_score, r.margin_score) == (100, 40) and r.margin.profit == 117
    assert r.violations == ("私自让价60元：任务卡规定价格统一，客服不能改价。",)
    # tone: 100 (reference); 40 (“改价”: facts check); 40 (“便宜30”, “赶紧付”) → 180 ÷ 3 = 60
    assert [s for _, s in r.tone_items] == [100, 40, 40] and r.tone_score == 60
    assert any("让出去的太多：毛利只保住了66.1%" in a for a in r.advice())


def test_a_curt_answer_and_a_buyer_who_waits():
    # “亲，不议价哦” (39 < 60 → t2_cool) → t2_cool A (道歉＋加送支架) → t3 C (“有活动再通知您”) → 顾客考虑中
    d, r = play("亲，不议价哦", 0, 2)
    assert d.ending.id == "end_think" and d.steps[0].turn_id == "t1" and d.steps[1].turn_id == "t2_cool"
    # no deal: both first scores 0; tone: 55 (6 字, the length cap) + 100 + 100 → 85
    assert (r.deal_score, r.margin_score, r.tone_score) == (0, 0, 85) and r.violations == ()
    assert "没有成交，这一单没有毛利" in r.to_text() and "一单毛利169.00元" in r.to_text()   # what it would have been


def test_a_polite_goodbye_still_loses_the_deal():
    _, r = play(REFERENCE, 3, 1)                    # t2 D (只讲价值) → t2_hold B (“那您去别家看看吧”)
    assert (r.deal_score, r.margin_score, r.tone_score) == (0, 0, 100)
    assert r.advice()[0].startswith("没有成交")


def test_a_gift_promised_in_free_text_counts_and_a_second_one_breaks_the_card():
    text = "理解您，价格统一改不了；您今天拍下，我再加送您一个手机支架。这款是头层牛皮，有检测报告，本周还送护理套装。"
    d, r = play(text, 0, 1, 2)                     # … then t2 A offers another 手机支架
    assert d.steps[0].concession == {"gifts": ["手机支架", "皮具护理套装"]}
    # 359 − 168 − 14 − 8 − 8 = 161; 161 ÷ 177 = 91 %, capped at 40: two gifts where the card allows one
    assert r.margin.profit == 161 and r.margin_score == 40
    assert r.violations == ("一共加送了2件小礼品：任务卡规定每单最多加送1件。",)


def test_a_discount_promised_in_free_text_is_caught_by_both_the_turn_and_the_report():
    text = "理解您～那给您便宜20，339元，您拍下我帮您改价。"
    d, r = play(text, 1, 1, 2)                     # scored ≤ 40 after a price cut → t2_typed_cut; B, then t3 B, t4 C
    first = d.steps[0]
    assert first.rubric.score <= default_rubric().facts.cap and first.turn_id == "t1"
    assert d.steps[1].turn_id == "t2_typed_cut" and first.concession == {"said": ["便宜20", "改价"]}
    # 359 − 20 − 168 − 14 = 157 → 88.7 %, capped at 40 (a rule broken); tone 40 (facts) + 100 × 3 → 85
    assert r.margin.profit == 157 and r.margin_score == 40 and r.tone_score == 85
    assert r.violations == ("私自让价20元（「便宜20」「改价」）：任务卡规定价格统一，客服不能改价。",)


def test_every_path_scores_three_numbers_between_0_and_100():
    def walk(moves):
        d = Dialogue(SCENARIO)
        for m in moves:
            d.choose(m) if isinstance(m, int) else d.reply(m)
        if d.finished:
            r = bargain_report(**bargain_inputs(d), setup=SETUP)
            assert all(0 <= s <= 100 for s in (r.deal_score, r.margin_score, r.tone_score))
            assert r.deal == d.ending.deal and (r.margin_score == 0) >= (not r.deal)
            if r.violations:
                assert r.margin_score <= default_rubric().facts.cap
            return 1
        turn = d.current
        options = [REFERENCE, "亲，不议价哦"] if turn.is_reply else list(range(len(turn.options)))
        return sum(walk(moves + [o]) for o in options)

    assert walk([]) == 35          # 28 paths after the reference reply, 7 after the curt one


# ------------------------------------------------------------------ concessions agree with the facts check

def test_each_option_s_concession_is_what_the_facts_check_reads_in_its_text():
    for turn in SCENARIO.turns.values():
        for option in turn.options:
            offer = read_offer(option.text, SCENARIO.facts)
            declared = concession_from_data(option.concession, SETUP)
            read = concession_from_data(offer, SETUP)
            assert read.gifts == declared.gifts, option.text
            assert bool(read.said) == bool(declared.discount), option.text
            assert read.other == (), option.text


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["理解您", "价格统一改不了", "给您便宜20", "抹个零", "再送您一个手机支架", "加送一份快充数据线",
                                 "再送您一个保温杯", "本周送护理套装", "不能给您便宜", "头层牛皮有检测报告", "您看行吗"]),
                min_size=1, max_size=5), st.sampled_from(["，", "；", "。"]))
def test_a_free_text_discount_always_costs_the_margin_score(parts, sep):
    text = sep.join(parts)
    d = Dialogue(SCENARIO)
    step = d.reply(text)
    flagged = [i for i in step.rubric.items if i.id == "facts" and not i.passed]
    while not d.finished:                              # close the sale with the best options
        d.choose(next(i for i, o in enumerate(d.current.options) if o.best))
    r = bargain_report(**bargain_inputs(d), setup=SETUP)
    offer = step.concession or {}
    if offer.get("said") or offer.get("other"):
        assert flagged, text                           # what the report counts, the facts check caught
        assert r.violations and r.margin_score <= default_rubric().facts.cap
    if not flagged:
        assert not offer.get("said") and not offer.get("other")


@given(st.text(max_size=80))
def test_reading_any_reply_never_fails(text):
    offer = read_offer(text, SCENARIO.facts)
    assert set(offer) <= {"gifts", "said", "other"}
    assert 0 <= tone(text, SCENARIO.facts) <= 100


# ------------------------------------------------------------------ the scenario schema

BASE = read_content("scenarios/u09_bargain.yaml")


@pytest.mark.parametrize("change, message", [
    (lambda s: s["bargain"]["rules"].update(discount=True), "facts 不允许降价"),
    (lambda s: s["turns"]["t2"]["options"][1].update(best=True, score=10), "不能是最佳选项"),
    (lambda s: s["turns"]["t2"]["options"][1].update(score=5), "最多4分"),
    (lambda s: s["turns"]["t2"]["options"][3].update(concession={"gift": "P13"}), "最多4分"),
    (lambda s: s["turns"]["t2"]["options"][0].update(concession={"gift": "手机支架"}), "赠品 应是商品编号"),
    (lambda s: s["turns"]["t2"]["options"][0].update(concession={"discount": -3}), "不小于0"),
    (lambda s: s["ends"]["end_lost"].pop("deal"), "deal"),
    (lambda s: s["bargain"].update(product="头层牛皮斜挎包"), "product 写商品编号"),
    (lambda s: s["bargain"]["rules"].update(limit=1), "bargain.rules"),
])
def test_the_bargain_schema_is_checked(change, message):
    data = copy.deepcopy(BASE)
    change(data)
    with pytest.raises(ContentError, match=message):
        scenario_from_data(data, "u09_bargain.yaml")


def test_a_discount_is_possible_only_where_the_facts_allow_one():
    data = copy.deepcopy(BASE)
    data["facts"]["discount"] = True
    data["bargain"]["rules"]["discount"] = True
    assert scenario_from_data(data, "u09_bargain.yaml").bargain["rules"]["discount"] is True


def test_only_bargaining_scenarios_carry_concessions_and_deals():
    data = copy.deepcopy(read_content("scenarios/u08_budget.yaml"))
    data["turns"]["t1"]["options"][0]["concession"] = {"gift": "P10"}
    with pytest.raises(ContentError, match="只有写了 bargain"):
        scenario_from_data(data, "u08_budget.yaml")
    data = copy.deepcopy(read_content("scenarios/u08_budget.yaml"))
    data["ends"]["end_ok"]["deal"] = True
    with pytest.raises(ContentError, match="只有写了 bargain"):
        scenario_from_data(data, "u08_budget.yaml")


# ------------------------------------------------------------------ the views, driven like a student

def test_the_margin_calculator_recomputes_on_every_change():
    pytest.importorskip("ipywidgets")
    from course_lib.views.bargain import MarginCalculator

    calc = MarginCalculator()
    assert "177.00" in calc.result.value and "100.0%" in calc.result.value and "⚠" not in calc.result.value
    calc.discount.value = "30元"
    assert "147.00" in calc.result.value and "83.1%" in calc.result.value and "⚠" in calc.result.value
    calc.discount.value = ""
    calc.gift_boxes["P10"].value = True
    assert "169.00" in calc.result.value and "95.5%" in calc.result.value and "⚠" not in calc.result.value
    calc.discount.value = "三十"
    assert "看不懂" in calc.status.value and "Traceback" not in calc.status.value
    assert calc.result.layout.opacity == "0.5" and "169.00" in calc.result.value      # the last good result, greyed
    calc.discount.value = "10"
    assert calc.status.value == "" and "159.00" in calc.result.value
    calc.discount.value = ""
    calc.gift_boxes["P10"].value = False
    calc.product.value = "P07"                     # not a bag: no campaign gift, standard 129 − 63 = 66
    assert "66.00" in calc.result.value and "活动赠品" not in calc.result.value
    assert calc.fallback.startswith("【毛利计算器】") and "20000毫安充电宝×1" in repr(calc)


@settings(max_examples=40, deadline=None)
@given(st.text(max_size=12))
def test_the_calculator_never_shows_a_traceback(typed):
    pytest.importorskip("ipywidgets")
    from course_lib.views.bargain import MarginCalculator

    calc = MarginCalculator()
    calc.discount.value = typed
    assert "Traceback" not in calc.status.value and "出了点问题" not in calc.status.value
    assert calc.status.value == "" or "让价" in calc.status.value


def test_the_role_play_shows_the_three_scores(tmp_path):
    pytest.importorskip("ipywidgets")
    from course_lib.progress import ProgressStore
    from course_lib.views.roleplay import RolePlay

    rp = RolePlay("u09_bargain", store=ProgressStore(tmp_path / "p.json"), clock=lambda: 0.0)
    rp.start_button.click()
    rp.text.value = REFERENCE
    rp.send.click()
    rp.option_buttons[0].click()                   # t2 A: 加送手机支架
    assert "这一步让出：手机支架（成本8元）" in rp.turn_feedback.value
    rp.option_buttons[1].click()
    rp.option_buttons[2].click()
    report = rp.report_html.value
    assert "三项得分" in report and "保住了95.5%" in report and "违反任务卡：无" in report
    assert [s in report for s in (">100<", ">95<")] == [True, True]
    assert "出了点问题" not in rp.status.value
    plain = RolePlay("u08_budget", store=ProgressStore(tmp_path / "q.json"))
    assert plain.bargain is None


# ------------------------------------------------------------------ three general fixes to the facts check (found here)

@pytest.mark.parametrize("text, invented", [
    ("行吧，329就329，您拍吧", ["329就329"]),                       # agreeing to the buyer's price is a discount
    ("价格统一，329就是统一价吗？不是的", []),                        # a repeated number that is no deal
    ("数据线可以送您一份两根装的，和充电宝一起发出", []),              # the gift named before its verb is the card's gift
    ("再送您一个保温杯，和充电宝一起发出", ["再送您一个保温杯"]),      # … and one the card does not have is still caught
    ("收到不满意七天无理由退货，运费险包退货运费", []),                # 包退货运费 is not the guarantee 包退包换
    ("假的包退，有问题随时问我", ["包退"]),
])
def test_facts_check_general_cases(text, invented):
    """Known limit: a gift the card lacks named only before its verb (“保温杯可以送您一个”) is not caught."""
    from course_lib.content.claims import Facts, invented_claims

    facts = Facts(prices=(359.0, 129.0), gifts=("快充数据线", "手机支架"), guarantees=("七天无理由退货", "运费险"))
    rb = default_rubric()
    assert [c.quote for c in invented_claims(text, facts, rb.vocab, rb.lexicon, "129有点贵啊，别家120的也有")] == invented



def test_the_buyer_answers_what_a_low_reply_did():
    """A low reply that promised a price cut meets a buyer who heard one; a low reply that only
    missed the points meets the impatient one (a play-through found both got the impatient one)."""
    cut, vague = Dialogue(SCENARIO), Dialogue(SCENARIO)
    cut.reply("好的亲，给您便宜30元，您先拍下，我给您改成329元")
    vague.reply("亲，这个嘛，您再看看吧。")
    assert cut.node == "t2_typed_cut" and "一说就能便宜" in cut.current.customer
    assert vague.node == "t2_cool"
