"""The scorer's parts: negation- and question-aware matching, claims against facts, degenerate replies."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from course_lib.content.claims import Facts, clock_times, duration_key, invented_claims
from course_lib.content.degenerate import degenerate_reason, repeated_unit
from course_lib.content.loading import ContentError
from course_lib.content.replytext import counted, find_patterns, find_words, fold_reply
from course_lib.content.rubric import Point, score_reply, spec_from_data
from course_lib.content.rubric_rules import default_rubric, facts_from_data, points_from_data

LEX = default_rubric().lexicon
VOCAB = default_rubric().vocab


def status(words, reply, asks=False):
    return [(h.text, h.blocked) for h in find_words(words, fold_reply(reply), LEX, asks=asks)]


@pytest.mark.parametrize("reply,word,blocked", [
    ("这款不是正品", "正品", "negated"),                 # 不是 right before
    ("我们没有发票", "发票", "negated"),
    ("也不能验货", "验货", "negated"),
    ("我们不支持专柜验货", "专柜验货", "negated"),       # the cue may stand a few characters before
    ("验货不了", "验货", "negated"),                     # 不了 after
    ("是不是正品您收到就知道", "正品", "question"),      # A-not-A
    ("您是问有没有运费险吗？", "运费险", "question"),
    ("是正品，您放心", "正品", ""),
    ("不满意可以七天无理由退货", "七天无理由", ""),       # 不满意 is a condition, not a negation
    ("不锈钢保温杯还没付款", "保温杯", ""),               # 不锈钢 is a material
    ("没关系，都是正品", "正品", ""),                     # a clause boundary ends the cue
    ("不是翻新机，都是正品", "正品", ""),
    ("不仅是正品，还有联保", "正品", ""),
    ("要不您直接问问她本人", "问问她", ""),             # a suggestion, not a negation
    ("不如您先收藏起来，降价会提醒您", "收藏", ""),
    ("要不要我帮您介绍一下这款", "介绍", "question"),   # a question, not a negation
    ("要不是正品，我们也不敢卖", "正品", "negated"),      # 要不是 (if it weren't): still a negation
])
def test_negation_and_question_rules(reply, word, blocked):
    assert status([word], reply) == [(word, blocked)]


def test_both_halves_of_an_a_not_a_question_are_questions():
    assert status(["正品"], "正品不正品的，看评价就知道") == [("正品", "question"), ("正品", "question")]


def test_a_question_counts_when_the_point_asks():
    assert status(["请问您"], "请问您想看哪款？") == [("请问您", "question")]
    assert status(["请问您"], "请问您想看哪款？", asks=True) == [("请问您", "")]


def test_banned_words_respect_negation_and_allowed_phrases():
    hits = find_patterns([r"赶紧付", r"最好的"], fold_reply("不用赶紧付款，最好的办法是先验机"), LEX,
                         allow=[r"最好的(办法|方法)"])
    assert counted(hits) == ()
    assert counted(find_patterns([r"赶紧付"], fold_reply("那您赶紧付吧"), LEX)) == ("赶紧付",)


FACTS = Facts(prices=(359.0,), times=("16:00", "20:40"), durations=("2～3天",), gifts=("皮具护理套装",),
              guarantees=("运费险", "七天无理由退货", "材质检测报告"))


def quotes(reply, facts=FACTS, buyer=""):
    return [(c.kind, c.quote) for c in invented_claims(reply, facts, VOCAB, LEX, buyer)]


@pytest.mark.parametrize("reply,expected", [
    ("今天16:00前付款当天发出，快递一般2～3天送到，本周还送皮具护理套装。", []),
    ("下午4点前付款当天发，两三天到，359元，送护理套装，有运费险和七天无理由。", []),
    ("详情页有材质检测报告，订单今晚20:40前付款都有效。", []),
    ("价格统一，不能改价，也不打折。", []),                               # negated discounts are no claims
    ("22:00前付款今天就发", [("时间", "22:00")]),
    ("晚上10点前付款都能发", [("时间", "10点")]),
    ("再给您便宜10元，309元拿走", [("优惠", "便宜10元"), ("价格", "309元")]),
    # a comparison of two prices is no price cut (the difference is checked like any price: 359 is on the card)
    ("比它便宜10元的没有真皮", [("价格", "10元")]),
    ("虽然贵10元，但是头层牛皮", [("价格", "10元")]),
    ("会员账户给您加了200积分", [("优惠", "加了200积分")]),
    ("今天下单给您打9折", [("优惠", "给您打9折")]),
    ("保温杯买一送一", [("优惠", "买一送一")]),
    ("明天就能到", [("到货时效", "明天就能到")]),
    ("三天内保证送到", [("到货时效", "三天内保证送到")]),
    ("16:00以后付款的第二天发货", []),                                  # an ordinal day is no duration
    ("实在不行给您打8折补偿", [("优惠", "给您打8折")]),                  # “实在不行” is a fallback, not a negation
    ("第二天就能到", [("到货时效", "第二天就能到")]),
    ("周六前肯定能到", [("到货时效", "周六前肯定能到")]),               # a weekday is a delivery date too
    ("周六前到不了也别急", []),
    ("下午就能送到您家", [("到货时效", "下午就能送到")]),                # a part of the day alone names the day too
    ("今天下午就能发出，快递一般2～3天到", []),                            # shipping this afternoon is no delivery date
    ("上午拍下，16:00前付款当天发", []),
    ("支持专柜验货", [("保障", "专柜验货")]),
    ("再送您一个钥匙扣", [("赠品", "再送您一个钥匙扣")]),
    ("我们是官方旗舰店", [("官方身份", "旗舰店")]),
    ("库存不多了", [("库存", "库存不多")]),
    ("这款没有运费险", [("说错", "没有运费险")]),
])
def test_claims_against_the_facts(reply, expected):
    assert quotes(reply) == expected


def test_denying_a_real_gift_is_reported():
    assert quotes("本周不送皮具护理套装了") == [("说错", "不送皮具护理套装")]


def test_the_buyer_s_own_numbers_may_be_echoed():
    assert quotes("您说的别家299元那款，我们这款是头层牛皮", buyer="别家差不多的才299。") == []
    assert quotes("您说的别家299元那款") == [("价格", "299元")]


def test_facts_allow_what_they_list():
    generous = Facts(discount=True, official=True, stock_short=True)
    assert quotes("官方旗舰店，库存不多，打9折", generous) == []


@pytest.mark.parametrize("text,readings", [("16:00", {"16:00"}), ("下午4点", {"16:00"}), ("4点半", {"04:30", "16:30"}),
                                           ("晚上十点前", {"22:00"}), ("中午12点", {"12:00"})])
def test_clock_times(text, readings):
    assert [r for *_, r in clock_times(fold_reply(text))] == [readings]


def test_duration_keys():
    assert duration_key("2～3天") == duration_key("两三天") == duration_key("2到3天") == (2, 3, "天")
    assert duration_key("48小时") == (48, 48, "小时") and duration_key("很快") is None


@pytest.mark.parametrize("reply,kwargs,reason", [
    ("好的好的好的好的", {}, "回复只是在重复「好的」，没有实际内容。"),
    ("😀👍🙏", {}, "回复只有表情或符号，没有文字内容。"),
    ("您好，在吗？你们家的蓝牙耳机是正品吗？", {"buyer": "在吗？你们家的蓝牙耳机是正品吗？"},
     "回复基本是照抄顾客的话（「在吗你们家的蓝牙耳机是正品吗」），没有自己的回答。"),
    ("请写一句开场白，向顾客问好并介绍自己。", {"task": "一位顾客刚刚进店。请写一句开场白，向顾客问好并介绍自己。"},
     "回复基本是照抄题目或任务说明（「请写一句开场白向顾客问好并介绍自己」），没有自己的回答。"),
    ("您好，在的，请问有什么可以帮您？", {"stock": default_rubric().stock_phrases, "made_a_point": False},
     "回复只有问候和客套话，没有回答顾客关心的事。"),
])
def test_degenerate_replies(reply, kwargs, reason):
    assert degenerate_reason(reply, **kwargs) == reason


def test_honest_replies_are_not_degenerate():
    card = "每天16:00前付款当天发货，快递一般2～3天送达"
    assert degenerate_reason("亲，16:00前付款当天发货，快递一般2～3天送达，有问题随时找我～", task=card) == ""
    assert degenerate_reason("哈哈哈，您好，耳机是正品", stock=default_rubric().stock_phrases, made_a_point=False) == ""
    assert repeated_unit("亲亲亲亲") == "亲" and repeated_unit("亲爱的您好") == ""


def test_generic_word_lists_are_rejected():
    with pytest.raises(ContentError, match="泛泛之词"):
        points_from_data([{"name": "回答发货时间", "words": ["今天", "客服", "好的"]}], "u99.e5")
    assert points_from_data([{"name": "回答发货时间", "words": ["今天", "当天发"]}], "u99.e5")[0].words == ("今天", "当天发")


@pytest.mark.parametrize("raw,message", [
    ({"facts": {"prices": "359"}}, "facts.prices 应是列表"),
    ({"facts": {"times": ["下午四点"]}}, "16:00 这样的时刻"),
    ({"facts": {"durations": ["很快"]}}, "2～3天"),
    ({"facts": {"discount": "no"}}, "true 或 false"),
    ({"facts": {"colour": []}}, "未知字段"),
    ({"gates": [{"name": "x", "words": ["正品"], "weight": 2}]}, "未知字段"),
    ({"min_length": 50, "max_length": 20}, "不能大于"),
    ({"buyer": 3}, "应是文字"),
])
def test_bad_rubric_blocks_give_chinese_messages(raw, message):
    with pytest.raises(ContentError, match=message):
        spec_from_data(raw, "u99.e5")


def test_facts_block_parses():
    facts = facts_from_data({"prices": [359, 39.9], "times": ["16:00"], "stock_short": True}, "x")
    assert facts == Facts(prices=(359.0, 39.9), times=("16:00",), stock_short=True)
    assert facts_from_data(None, "x") is None


@given(st.text(max_size=200))
def test_a_reply_without_the_gate_word_never_passes(text):
    result = score_reply(text, gates=[Point("回答是不是正品", ("正品",))], facts=FACTS)
    if "正品" not in fold_reply(text):
        assert result.score <= 40
    assert 0 <= result.score <= 100 and all(i.message for i in result.items)


@given(st.sampled_from("您亲好的在嗯是啊哈"), st.integers(min_value=8, max_value=60))
def test_any_repeated_character_scores_near_zero(char, n):
    assert score_reply(char * n, gates=[Point("致谢", ("谢谢",))]).score <= 5


@given(st.text(alphabet="不是没有正品验货发票吗？，。您好亲赶紧付款便宜10元22:00", max_size=60))
def test_matching_and_claims_never_raise_on_tricky_text(text):
    result = score_reply(text, gates=[Point("正品", ("正品",))], required=[Point("验货", ("验货",))], facts=FACTS,
                         buyer=text[:10], task=text[5:])
    assert 0 <= result.score <= 100 and result.suggestion


def test_validate_warns_about_weak_rubric_blocks(capsys, monkeypatch):
    from course_lib import cli
    from course_lib.content import validate

    spec = spec_from_data({"required": [{"name": "发货", "words": ["今天", "当天发"]}]}, "u99.e5")
    warnings = validate.spec_warnings(spec, "u99.e5")
    assert warnings == ["u99.e5：没有写 gates（顾客的问题），不回答问题的回复也能及格。",
                        "u99.e5：没有写 facts，回复里的价格、时间、赠品、保障不会被核对。",
                        "u99.e5：要点「发货」里的「今天」是泛泛之词，单独出现不算答到，可以删掉。"]
    monkeypatch.setattr(validate, "content_warnings", lambda: warnings[:1])
    assert cli.main(["validate"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines() == ["⚠ " + warnings[0], "✔ 所有内容文件都通过了检查。"]


# general rules added with units 06–07 (each case failed before its rule)
def test_next_day_shipping_is_not_a_delivery_promise():
    """“第二天发出” states the 16:00 cut-off rule; it is not “二天发出”, an invented shipping time."""
    assert quotes("16:00以后付款的订单第二天发出；想今天发的话，16:00前付款就可以") == []
    assert quotes("两天发出") == [("到货时效", "两天发出")]


def test_a_promised_courier_is_a_claim():
    assert quotes("给您免费升级顺丰") == [("保障", "顺丰")]
    assert quotes("可以指定快递") == [("保障", "指定快递")]
    assert quotes("不能指定快递哦") == [] and quotes("能不能指定快递？") == []


@pytest.mark.parametrize("reply,capped_by", [
    ("谢谢您！有问题随时找我，不过要是给差评的话，售后我们就不管了哦。", "不威胁顾客"),
    ("谢谢您！给差评的话以后就不卖给您了。", "不威胁顾客"),
    ("就算给了差评，我们也不会不管您，有问题随时找我。", None),
    ("您好，能寄到的，新疆也是2～3天必到！护理套装随包发，16:00前付款当天发出。", "服务禁用语·过度承诺类"),
    ("谢谢您！有问题随时找我，收到先检查再签收；记得赶紧给个好评，别拖着。", "不施压、不逼单"),
    ("谢谢您！有问题随时找我，满意的话欢迎给个评价，不用急着给好评。", None),
])
def test_threats_and_pressure_about_reviews_and_sure_delivery_are_caught(reply, capped_by):
    assert score_reply(reply, facts=FACTS).capped_by == capped_by


def test_harmless_phrasings_of_a_guarantee_word_are_allowed():
    """“运费险包退货运费” says the insurance pays the return postage; it promises no “包退”."""
    assert quotes("运费险包退货运费") == []
    assert quotes("不满意包退") == [("保障", "包退")]
