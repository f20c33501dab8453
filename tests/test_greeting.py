"""The greeting builder of unit 07: hand-scored greetings, the rules file, the widget."""
from __future__ import annotations

import copy

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course_lib import GreetingBuilder, score_greeting
from course_lib.content.greeting import (
    ELEMENTS,
    GreetingError,
    GreetingParts,
    build_greeting,
    count_emojis,
    greeting_rules,
    rules_from_data,
    short_name,
)
from course_lib.content.loading import read_content

RULES = greeting_rules()
FULL = "您好，欢迎光临禾悦优选😊我是客服小雅，本周买任意箱包送一套皮具护理套装，请问有什么可以帮您？"


def failing(result):
    return {i.name for i in result.items if not i.passed}


def test_the_points_add_up_to_100():
    assert sum(RULES.points.values()) == 100 and tuple(RULES.points) == ELEMENTS


def test_a_complete_greeting_scores_100():
    result = score_greeting(FULL, nickname="禾悦-小雅")
    assert result.score == 100 and failing(result) == set() and result.capped_by is None
    assert "要素齐全" in result.suggestion


@pytest.mark.parametrize("text, score, missing", [
    # points: 问候语10 礼貌称呼5 店铺名20 客服昵称20 表情15 主动提供帮助15 活动或服务10 长度5
    ("在", 0, set(ELEMENTS)),                                                        # nothing: 0
    ("您好，欢迎光临禾悦优选！我是客服小雅，请问有什么可以帮您？", 75, {"表情", "活动或服务"}),          # 100−15−10
    ("欢迎光临禾悦优选😊请问有什么可以帮您？", 70, {"客服昵称", "活动或服务"}),                        # 100−20−10
    ("您好😊我是客服小雅，请问有什么可以帮您？", 70, {"店铺名", "活动或服务"}),                        # 100−20−10
    ("您好，欢迎光临禾悦优选，我是客服小雅，请问有什么可以帮您？", 75, {"表情", "活动或服务"}),
    ("您好，欢迎光临禾悦优选😊😊😊我是客服小雅，本周买任意箱包送一套皮具护理套装，请问有什么可以帮您？", 85, {"表情"}),
    ("你好，欢迎光临禾悦优选😊我是客服小雅，请问有什么需要？", 85, {"礼貌称呼", "活动或服务"}),       # 100−5−10
    ("欢迎光临禾悦优选😊我是客服小雅，本周买任意箱包送一套皮具护理套装，每单都送运费险，今天16:00前付款当天发货，"
     "请问有什么可以帮您？有什么需要随时告诉我～", 95, {"长度"}),                                   # 77 characters > 60
])
def test_hand_scored_greetings(text, score, missing):
    result = score_greeting(text)
    assert result.score == score and failing(result) == missing


def test_only_the_agent_s_own_nickname_counts_when_given():
    text = FULL.replace("小雅", "小暖")
    assert score_greeting(text).score == 100
    result = score_greeting(text, nickname="禾悦-小雅")
    assert result.score == 80 and failing(result) == {"客服昵称"} and "我是客服小雅" in result.suggestion


@pytest.mark.parametrize("offer, found", [("全场满200减30，限时包邮", "包邮"), ("再送您一个钱包", "钱包"),
                                          ("官方旗舰店", "旗舰店"), ("库存不多了", "库存不多"), ("今天下单打8折", "8折")])
def test_an_offer_the_shop_does_not_have_caps_at_40(offer, found):
    result = score_greeting(FULL.replace("本周买任意箱包送一套皮具护理套装", offer))
    assert result.score == 40 and result.capped_by == "不写店铺没有的优惠和身份" and found in result.suggestion


def test_the_real_activities_are_not_invented_offers():
    for activity in RULES.activities:
        assert score_greeting(f"您好，欢迎光临禾悦优选😊我是客服小雅，{activity}，请问有什么可以帮您？").score == 100
    assert score_greeting("您好，欢迎光临禾悦优选😊我是客服小雅，本周买箱包送护理套装哦，请问有什么可以帮您？").score == 100


@pytest.mark.parametrize("extra, cap_name, cap", [("加我微信更优惠", "服务禁用语·平台违规类", 40),
                                                   ("销量第一", "服务禁用语·平台违规类", 40),
                                                   ("爱买不买", "服务禁用语·态度类", 30),
                                                   ("赶紧下单吧", "不施压、不逼单", 40)])
def test_banned_words_cap_by_the_reply_rules(extra, cap_name, cap):
    result = score_greeting(FULL.replace("请问有什么可以帮您？", f"{extra}，请问有什么可以帮您？"))
    assert result.score == cap and result.capped_by == cap_name


def test_the_builder_takes_only_the_listed_choices():
    text = build_greeting(GreetingParts("禾悦-小暖", RULES.emojis[1], RULES.activities[2], RULES.salutations[1],
                                        RULES.help_lines[2]))
    assert text == "亲，您好，欢迎光临禾悦优选🌷我是客服小暖，每单都送运费险，有什么需要随时告诉我～"
    for bad in (GreetingParts("禾悦-小王"), GreetingParts("禾悦-小雅", emoji="🔥"),
                GreetingParts("禾悦-小雅", activity="全场五折"), GreetingParts("禾悦-小雅", salutation="喂"),
                GreetingParts("禾悦-小雅", help_line="说吧")):
        with pytest.raises(GreetingError, match="之一"):
            build_greeting(bad)
    with pytest.raises(GreetingError, match="GreetingParts"):
        build_greeting("禾悦-小雅")


def test_bad_input_gives_chinese_errors():
    with pytest.raises(GreetingError, match="文字"):
        score_greeting(None)
    with pytest.raises(GreetingError, match="客服昵称"):
        score_greeting(FULL, nickname="小雅")


@pytest.mark.parametrize("change, message", [
    (lambda r: r["elements"]["表情"].update(points=20), "加起来应是100"),
    (lambda r: r["elements"].pop("长度"), "八项"),
    (lambda r: r["card"].update(activities=[]), "activities"),
    (lambda r: r["elements"]["长度"].update(min=80), "min 不能大于 max"),
    (lambda r: r["choices"].update(emojis="😊"), "choices.emojis"),
    (lambda r: r.pop("caps"), "四节"),
])
def test_a_broken_rules_file_is_named_in_chinese(change, message):
    raw = copy.deepcopy(read_content("greeting.yaml"))
    change(raw)
    with pytest.raises(GreetingError, match=message):
        rules_from_data(raw)


def test_emoji_counting_and_names():
    assert count_emojis("😊😊") == 2 and count_emojis("[微笑][鼓掌]") == 2 and count_emojis("～！？") == 0
    assert count_emojis("👨\u200d👩\u200d👧") == 1 and count_emojis("❤️") == 1
    assert short_name("禾悦-小杰") == "小杰" and short_name("小杰") == "小杰"


def test_text_and_html():
    result = score_greeting("您好")
    assert result.to_text().startswith("欢迎语得分：") and "✘ 店铺名（20分）" in result.to_text()
    assert "<li" in result._repr_html_() and repr(result) == result.to_text()


# ------------------------------------------------------------------ properties

PARTS = st.builds(GreetingParts, st.sampled_from(RULES.nicknames), st.sampled_from(("",) + RULES.emojis),
                  st.sampled_from(("",) + RULES.activities), st.sampled_from(RULES.salutations),
                  st.sampled_from(RULES.help_lines))


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=120))
def test_any_text_scores_between_0_and_100(text):
    result = score_greeting(text)
    assert 0 <= result.score <= 100 and result.suggestion and len(result.items) >= len(ELEMENTS)


@settings(max_examples=100, deadline=None)
@given(PARTS)
def test_every_built_greeting_has_its_elements(p):
    result = score_greeting(build_greeting(p), nickname=p.nickname)
    assert failing(result) == ({"表情"} if not p.emoji else set()) | ({"活动或服务"} if not p.activity else set())
    assert result.score == 100 - (0 if p.emoji else 15) - (0 if p.activity else 10)


@settings(max_examples=60, deadline=None)
@given(PARTS, st.sampled_from(["全场满200减30", "限时秒杀", "再送您一个钱包", "今天下单打8折", "关注送5元券"]))
def test_an_invented_offer_never_raises_the_score(p, offer):
    text = build_greeting(p)
    after = score_greeting(text + offer)
    assert after.score <= min(score_greeting(text).score, 40) and after.capped_by == "不写店铺没有的优惠和身份"


# ------------------------------------------------------------------ the widget

def test_the_builder_builds_scores_and_rescores():
    b = GreetingBuilder()
    assert b._repr_mimebundle_()["text/plain"].startswith("【欢迎语生成器】")
    b.build_button.click()
    assert "欢迎光临禾悦优选！我是客服小暖，请问有什么可以帮您？" in b.preview.value
    assert b.result.score == 75 and "75/100" in b.panel.value
    b.emoji.value = "😊"
    b.activity.value = RULES.activities[0]
    b.build_button.click()
    assert b.result.score == 100 and b.text.value == b.text_value() and "✘" not in b.panel.value
    b.text.value = b.text.value.replace("本周买任意箱包送一套皮具护理套装", "全场满200减30")
    b.score_button.click()
    assert b.result.score == 40 and "满200减" in b.text_panel.value
    b.nickname.value = "禾悦-小雅"                                # the text still says 小暖
    b.text.value = FULL.replace("小雅", "小暖")
    b.score_button.click()
    assert "客服昵称" in {i.name for i in b.result.items if not i.passed}
    b.text.value = "  "
    b.score_button.click()
    assert "请先在框里写" in b.text_panel.value and b.result.score == 0


def test_builder_errors_are_friendly(monkeypatch):
    b = GreetingBuilder(nickname="禾悦-小杰")
    monkeypatch.setattr(b, "text_value", lambda: (_ for _ in ()).throw(RuntimeError("模拟故障")))
    b.build_button.click()
    assert "出了点问题：模拟故障" in b.status.value
    with pytest.raises(ValueError, match="客服昵称"):
        GreetingBuilder(nickname="小王")
