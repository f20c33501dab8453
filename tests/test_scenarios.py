"""Role-play scenarios: valid files, every branch ends, the engine scores and reports."""
from __future__ import annotations

import copy

import pytest

from course_lib.content.dialogue import Dialogue
from course_lib.content.loading import ContentError, read_content
from course_lib.content.scenarios import load_scenario, scenario_from_data
from course_lib.settings import data_dir

SCENARIOS = sorted(p.stem for p in (data_dir() / "scenarios").glob("*.yaml"))


def all_paths(scenario):
    """Every sequence of choices from start to an ending (replies answered with a fixed text)."""
    finished = []

    def walk(choices):
        d = Dialogue(scenario)
        for c in choices:
            d.choose(c) if isinstance(c, int) else d.reply(c)
        if d.finished:
            finished.append((choices, d))
            return
        turn = d.current
        if turn.is_reply:
            walk(choices + ["好的亲，感谢您的支持，欢迎随时联系我们！"])
        else:
            for i in range(len(turn.options)):
                walk(choices + [i])

    walk([])
    return finished


@pytest.mark.parametrize("scenario_id", SCENARIOS)
def test_every_branch_reaches_an_ending(scenario_id):
    scenario = load_scenario(scenario_id)
    paths = all_paths(scenario)
    assert paths
    for choices, d in paths:
        report = d.report()
        assert report.outcome in {e.outcome for e in scenario.ends.values()}
        assert report.max_score == 10 * len(choices)
        assert len(report.transcript) == 2 * len(choices) + 1


@pytest.mark.parametrize("scenario_id", SCENARIOS)
def test_best_path_scores_full_marks_on_option_turns(scenario_id):
    scenario = load_scenario(scenario_id)
    d = Dialogue(scenario)
    while not d.finished:
        turn = d.current
        if turn.is_reply:
            d.reply(turn.reference, elapsed=3.0)
        else:
            d.choose(next(i for i, o in enumerate(turn.options) if o.best), elapsed=3.0)
    report = d.report()
    assert report.percent >= 90, report.to_text()
    assert not report.first_slow and not any("超过" in t for t in report.to_improve)


def test_thinkpad_follows_the_seed():
    s = load_scenario("u01_thinkpad")
    first = s.turns[s.start]
    assert "有人" in first.customer
    option_turns = []
    node = s.start
    while node in s.turns and not s.turns[node].is_reply:
        option_turns.append(s.turns[node])
        node = s.turns[node].best.next
    assert len(option_turns) == 5
    assert all(len(t.options) == 2 for t in option_turns)
    assert "E430C" in option_turns[1].customer and "Windows" in option_turns[3].customer


def test_slow_and_poor_turns_are_reported():
    d = Dialogue(load_scenario("u01_thinkpad"))
    d.choose(0, elapsed=25.0)
    report = d.report()
    assert report.first_slow and not report.average_slow
    assert any("更好的回复" in t for t in report.to_improve)
    assert report.to_improve[0].startswith("首次响应用了25秒")
    assert report.outcome == "未完成"


def test_only_the_first_turn_has_the_ten_second_standard():
    d = Dialogue(load_scenario("u01_thinkpad"))
    d.choose(1, elapsed=5.0)
    d.choose(1, elapsed=30.0)
    report = d.report()
    assert not report.first_slow and not report.average_slow
    assert not any("秒" in t for t in report.to_improve)
    d.choose(1, elapsed=90.0)
    assert d.report().average_slow and "超过35秒参考值" in d.report().timing_text()


def test_a_poor_free_text_reply_takes_the_low_branch():
    scenario = load_scenario("u00_demo")
    outcomes = {}
    for reply in ("不客气亲，感谢您的支持，有问题随时联系小暖，欢迎再来！", "嗯"):
        d = Dialogue(scenario)
        while not d.current.is_reply:
            d.choose(next(i for i, o in enumerate(d.current.options) if o.best))
        d.reply(reply)
        outcomes[reply] = d.report().outcome
    turn = next(t for t in scenario.turns.values() if t.is_reply)
    if turn.low_next:
        assert outcomes["嗯"] == scenario.ends[turn.low_next].outcome
    assert outcomes["不客气亲，感谢您的支持，有问题随时联系小暖，欢迎再来！"] == scenario.ends[turn.next].outcome


def test_engine_rejects_wrong_moves():
    d = Dialogue(load_scenario("u00_demo"))
    with pytest.raises(ValueError, match="选项"):
        d.choose(9)
    with pytest.raises(ValueError, match="选择一个选项"):
        d.reply("您好")


BASE = read_content("scenarios/u00_demo.yaml")


@pytest.mark.parametrize("change,message", [
    (lambda s: s["turns"]["t1"]["options"][0].update(next="nowhere"), "不是已有的回合"),
    (lambda s: s["turns"]["t4"]["reply"].update(next="t1"), "循环"),
    (lambda s: s["turns"].update(orphan={"customer": "？", "options": s["turns"]["t1"]["options"]}), "走不到"),
    (lambda s: s["turns"]["t1"]["options"][0].update(best=True), "恰好有一个 best"),
    (lambda s: s["turns"]["t1"]["options"][0].update(score=11), "score"),
    (lambda s: s.update(start="t9"), "start"),
    (lambda s: s["turns"]["t4"]["reply"].update(low={"below": 60, "next": "nowhere"}), "low"),
    (lambda s: s["turns"]["t4"]["reply"].update(low={"below": 0, "next": "end_lost"}), "low"),
    (lambda s: s["turns"]["t1"].pop("options"), "options"),
])
def test_validation_catches_broken_scenarios(change, message):
    data = copy.deepcopy(BASE)
    change(data)
    with pytest.raises(ContentError, match=message):
        scenario_from_data(data, "u00_demo.yaml")


# --- choice turns without length bias, cards and facts ---------------------------------------------------------

@pytest.mark.parametrize("scenario_id", SCENARIOS)
def test_the_best_option_is_the_longest_in_at_most_half_the_turns(scenario_id):
    from course_lib.content.scenarios import longest_best

    longest, turns = longest_best(load_scenario(scenario_id))
    assert turns and longest <= turns / 2, f"{longest} of {turns}"


EXPECTED_LONGEST = {"u00_demo": (1, 3), "u01_thinkpad": (3, 6), "u10_reminder": (3, 8)}


def test_length_bias_counts_are_exact():
    """Counted by hand from the option texts (ties would count as longest)."""
    from course_lib.content.scenarios import longest_best

    assert {s: longest_best(load_scenario(s)) for s in EXPECTED_LONGEST} == EXPECTED_LONGEST


def test_validate_warns_when_the_best_option_is_always_the_longest():
    from course_lib.content.validate import content_warnings, scenario_warnings

    data = copy.deepcopy(BASE)
    for turn in data["turns"].values():
        for option in turn.get("options", []):
            option["text"] = option["text"] + "很长的一段话" * 20 if option.get("best") else option["text"][:5]
    warnings = scenario_warnings(scenario_from_data(data, "u00_demo.yaml"))
    assert any("最佳选项都是最长的一条" in w for w in warnings)
    assert content_warnings() == []


@pytest.mark.parametrize("scenario_id", SCENARIOS)
def test_best_options_and_references_claim_only_the_card_s_facts(scenario_id):
    from course_lib.content.claims import Facts, invented_claims
    from course_lib.content.rubric_rules import default_rubric

    scenario = load_scenario(scenario_id)
    rubric = default_rubric()
    assert scenario.card and scenario.facts is not None
    for turn in scenario.turns.values():
        texts = [turn.best.text] if turn.options else [turn.reference]
        facts = turn.reply.facts if turn.reply else scenario.facts
        for text in texts:
            assert invented_claims(text, facts or Facts(), rubric.vocab, rubric.lexicon, turn.customer) == [], text
    assert "专柜验货" not in "".join(t.best.text for t in scenario.turns.values() if t.options)


def test_reply_turns_inherit_the_scenario_s_facts_and_buyer():
    scenario = load_scenario("u10_reminder")
    turn = scenario.turns["t5"]
    assert turn.reply.facts == scenario.facts and turn.reply.buyer == turn.customer
    assert "不能专柜验货" in turn.reply.task and turn.reply.gates[0].name == "回答今天能不能发货"
    data = copy.deepcopy(read_content("scenarios/u10_reminder.yaml"))
    data["turns"]["t5"]["reply"]["rubric"]["facts"] = {"gifts": ["钥匙扣"], "discount": True}
    own = scenario_from_data(data, "u10_reminder.yaml").turns["t5"].reply.facts
    assert own.gifts == ("皮具护理套装", "钥匙扣") and own.discount and own.prices == (359.0,)


def test_an_off_topic_reply_no_longer_closes_the_u10_sale():
    d = Dialogue(load_scenario("u10_reminder"))
    while not d.current.is_reply:
        d.choose(next(i for i, o in enumerate(d.current.options) if o.best))
    step = d.reply("没关系亲，今天天气不错，祝您生活愉快，有问题随时找我！")
    # address, length → 40; points 2 of 4 (理解, 礼貌结束) → 30; 70, capped at 40 by the unanswered question
    assert step.rubric.score == 40 and step.score == 4 and d.report().outcome == "顾客考虑中"


def test_pushing_does_not_close_the_thinkpad_sale():
    d = Dialogue(load_scenario("u01_thinkpad"))
    while not d.current.is_reply:
        d.choose(next(i for i, o in enumerate(d.current.options) if o.best))
    step = d.reply("亲，别考虑了，这款卖得很好，活动今晚就结束，库存也不多了，赶快拍吧！")
    found = {i.id: i.found for i in step.rubric.failed_items}
    assert found["pressure"] == ("别考虑了", "今晚就结束", "赶快拍") and found["facts"] == ("库存也不多",)
    assert step.rubric.score == 15 and d.report().outcome == "顾客考虑中"       # no point made at all: off topic


@pytest.mark.parametrize("change,message", [
    (lambda s: s.update(card="店里有货"), "card 应是文字列表"),
    (lambda s: s.update(facts={"prices": ["贵"]}), "facts.prices"),
    (lambda s: s["turns"]["t4"]["reply"]["rubric"].update(gates=[{"name": "告别", "words": ["好的", "可以"]}]), "泛泛之词"),
])
def test_cards_and_facts_are_validated(change, message):
    data = copy.deepcopy(BASE)
    change(data)
    with pytest.raises(ContentError, match=message):
        scenario_from_data(data, "u00_demo.yaml")


@pytest.mark.parametrize("scenario, turn_moves, text, expected", [
    # a refusal followed by a leak, and an invented red packet: the buyer reacts to the broken rule
    ("u04_offplatform", (1, 1), "抱歉亲，买家信息要保密，不能帮您查。不过悄悄告诉您，她买的是黑色款，地址确实在阳光小区。", "end_broke"),
    ("u04_offplatform", (1, 1), "亲，这个嘛……您再看看吧。", "end_think"),
    ("u11_damaged_gift", (2, 0, 0), "非常抱歉让您久等了！包裹在中转站滞留了，已向快递公司投诉，另外给您发个10元红包补偿一下。",
     "t5_doubt"),
    ("u11_damaged_gift", (2, 0, 0), "嗯嗯，好的。", "t5_cool"),
])
def test_a_low_reply_that_broke_a_rule_meets_a_buyer_who_heard_it(scenario, turn_moves, text, expected):
    d = Dialogue(load_scenario(scenario))
    for move in turn_moves:
        d.choose(move)
    assert d.current.reply is not None, d.node
    d.reply(text)
    assert d.node == expected


def test_low_broke_must_name_a_turn_or_an_ending():
    raw = copy.deepcopy(read_content("scenarios/u04_offplatform.yaml"))
    raw["turns"]["t3"]["reply"]["low"]["broke"] = "nowhere"
    with pytest.raises(ContentError, match="broke"):
        scenario_from_data(raw, "u04_offplatform.yaml")
