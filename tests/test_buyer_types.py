"""买家类型识别器 (unit 08): the content file, reading and judging picks, first-try runs, the view."""
from __future__ import annotations

import copy

import pytest
from hypothesis import given
from hypothesis import strategies as st

from course_lib.content.buyer_types import BuyerTypeError, Run, check_pick, kit_from_data, load_buyer_kit, parse_pick, strategy_text
from course_lib.content.loading import ContentError, read_content
from course_lib.content.validate import validate_all
from course_lib.progress import ProgressStore

RAW = read_content("buyer_types/u08.yaml")
KIT = load_buyer_kit("u08")


def test_the_course_kit_teaches_ten_types_in_three_families():
    assert [t.name for t in KIT.types] == ["理智型", "冲动型", "谨小慎微型", "舆论型", "随意型", "习惯型", "感情型",
                                          "VIP型", "要求多难缠型", "威逼利诱型"]
    assert len(KIT.cases) == 12
    assert {c.answer for c in KIT.cases} == {t.key for t in KIT.types}      # every type is practised
    assert set(KIT.families) == {t.family for t in KIT.types} == {"decide", "relation", "bargain"}
    assert "贪婪型" not in {t.name for t in KIT.types}                     # folded into the seed's two kinds


def test_the_seed_s_two_bargaining_buyers_are_told_apart_by_the_ultimatum():
    demanding, ultimatum = KIT.type("demanding"), KIT.type("ultimatum")
    assert "没有撂下" in demanding.cues and "不行就走" in demanding.cues
    assert "不行我就去别家买了" in ultimatum.cues and "度" in ultimatum.strategy
    assert all("别家" not in text and "不拍" not in text for _, text in KIT.case("c09").chat)
    assert any("不行我就去别家" in text for _, text in KIT.case("c10").chat)


def test_parse_pick_accepts_names_short_names_keys_numbers_and_menu_lines():
    t = KIT.types
    assert [parse_pick(p, t) for p in ("理智型", "理智", " 谨小慎微型。", "ＶＩＰ型", "vip", "10", "１", 9,
                                       "「威逼利诱型」", "3. 谨小慎微型")] == [
        "rational", "rational", "cautious", "vip", "vip", "ultimatum", "rational", "demanding", "ultimatum", "cautious"]


@pytest.mark.parametrize("bad, message", [
    ("", "请先选择一种买家类型。"), ("   ", "请先选择一种买家类型。"), (None, "请先选择一种买家类型。"),
    (True, "请先选择一种买家类型。"), ("0", "编号应在1–10之间，现在是「0」。"), ("11", "编号应在1–10之间，现在是「11」。"),
    (3.0, "请从列表里选择一种买家类型。"), ("贪婪型", "没有认出「贪婪型」是哪种买家类型"), ("型", "没有认出「型」"),
])
def test_parse_pick_rejects_in_chinese(bad, message):
    with pytest.raises(BuyerTypeError, match=message):
        parse_pick(bad, KIT.types)


def test_check_pick_right_and_wrong():
    c10 = KIT.case("c10")
    right = check_pick(c10, "威逼利诱型", KIT.types)
    assert right.correct and right.message.startswith("✔ 判断正确：威逼利诱型。")
    wrong = check_pick(c10, "要求多难缠型", KIT.types)
    assert not wrong.correct and wrong.picked_name == "要求多难缠型"
    assert wrong.message.startswith("✘ 不是要求多难缠型（要求多难缠型的线索是：")
    assert "这段对话最突出的是威逼利诱型" in wrong.message
    assert wrong.strategy == strategy_text(KIT.type("ultimatum"))          # the strategy shown is the answer's
    assert strategy_text(KIT.type("casual")).splitlines()[1].startswith("接待策略：主动营销")


def test_a_run_counts_the_first_try_only():
    run = Run(KIT)
    assert run.summary() == "还没有作答。"
    run.pick("c01", "冲动型")
    run.pick("c01", "理智型")          # right at the second try: does not count
    run.pick("c02", 2)
    assert run.score == (1, 2)
    assert run.summary() == "一共判断了2段对话，第一次就判断对1段（共12段）。"
    with pytest.raises(BuyerTypeError, match="没有编号为「c99」的案例"):
        run.pick("c99", "理智型")


@pytest.mark.parametrize("mutate, message", [
    (lambda d: d["cases"][0].update(answer="greedy"), "案例c01：answer「greedy」不是已有的买家类型。"),
    (lambda d: d["cases"][1].update(id="c01"), "案例编号重复：c01。"),
    (lambda d: d["cases"][0].update(chat=[["店长", "你好"]]), "案例c01：每条消息应写成"),
    (lambda d: d["cases"][0].update(chat=[["客服", "您好"]]), "案例c01：至少要有一条顾客的消息。"),
    (lambda d: d["types"][1].update(name="理智型"), "买家类型的名称重复：理智型。"),
    (lambda d: d["types"][0].pop("strategy"), "第1个买家类型：缺少 strategy"),
    (lambda d: d["types"][0].update(family="other"), "family「other」没有在 families 中写标题"),
    (lambda d: d.update(cases=[]), "至少需要一个案例"),
])
def test_bad_content_is_named(mutate, message):
    data = copy.deepcopy(RAW)
    mutate(data)
    with pytest.raises(BuyerTypeError, match=message):
        kit_from_data(data)


def test_a_broken_file_gives_a_chinese_error_naming_it(tmp_path, monkeypatch):
    (tmp_path / "buyer_types").mkdir()
    (tmp_path / "buyer_types" / "u98.yaml").write_text("types: [\n", encoding="utf-8")
    (tmp_path / "buyer_types" / "u97.yaml").write_text("title: 空\ntypes: []\ncases: []\n", encoding="utf-8")
    monkeypatch.setattr("course_lib.content.loading.data_dir", lambda: tmp_path)
    load_buyer_kit.cache_clear()
    try:
        with pytest.raises(ContentError, match="buyer_types/u98.yaml") as broken:
            load_buyer_kit("u98")
        assert "第" in str(broken.value) and "行" in str(broken.value)     # the YAML error names the line
        with pytest.raises(BuyerTypeError, match="buyer_types/u97.yaml：至少需要两个买家类型"):
            load_buyer_kit("u97")
        with pytest.raises(ContentError, match="找不到内容文件 buyer_types/u96.yaml"):
            load_buyer_kit("u96")
    finally:
        load_buyer_kit.cache_clear()


def test_validate_checks_the_kit():
    assert validate_all() == []


# ------------------------------------------------------------------ student input (properties)

@given(st.one_of(st.text(max_size=60), st.integers(), st.none(), st.booleans(), st.floats()))
def test_any_pick_gives_a_verdict_or_a_chinese_error(pick):
    case = KIT.cases[0]
    try:
        result = check_pick(case, pick, KIT.types)
    except BuyerTypeError as error:
        assert str(error) and not str(error).isascii()
    else:
        assert result.correct == (result.picked == case.answer)


@given(st.sampled_from(KIT.types), st.sampled_from(["", " ", "　", "。", "！"]), st.booleans())
def test_every_name_is_recognised_with_noise(buyer_type, noise, drop_suffix):
    name = buyer_type.name.removesuffix("型") if drop_suffix else buyer_type.name
    assert parse_pick(noise + name + noise, KIT.types) == buyer_type.key


# ------------------------------------------------------------------ the view, driven like a student

def test_the_identifier_judges_moves_and_restores(tmp_path):
    pytest.importorskip("ipywidgets")
    from course_lib.views.buyers import BuyerTypeIdentifier

    store = ProgressStore(tmp_path / "p.json")
    ident = BuyerTypeIdentifier("u08", store=store)
    assert "第1/12段" in ident.header.value and "14寸笔记本" in ident.chat.value
    assert ident.next.disabled and ident.previous.disabled
    ident.choice.value = "土豪型"
    ident.confirm.click()
    assert "没有认出「土豪型」" in ident.feedback.value and ident.run.score == (0, 0) and ident.next.disabled
    ident.choice.value = "冲动"
    ident.confirm.click()
    assert "✘ 不是冲动型" in ident.feedback.value and "【理智型】" in ident.strategy.value
    ident.choice.value = "1. 理智型"
    ident.confirm.click()
    assert "✔ 判断正确：理智型" in ident.feedback.value and ident.run.score == (0, 1)
    assert not ident.next.disabled
    ident.next.click()
    assert "第2/12段" in ident.header.value and ident.feedback.value == "" and ident.choice.value == ""
    ident.choice.value = "冲动型"
    ident.confirm.click()
    assert "一共判断了2段对话，第一次就判断对1段（共12段）。" in ident.summary.value
    again = BuyerTypeIdentifier("u08", store=ProgressStore(tmp_path / "p.json"))       # a kernel restart
    assert "第2/12段" in again.header.value and again.run.score == (1, 2)
    again.restart.click()
    assert "第1/12段" in again.header.value and "还没有作答" in again.summary.value
    assert ident.status.value == "" and repr(ident).startswith("【买家类型识别器】12段聊天片段")
    assert "顾客：双肩包和托特包哪个能放14寸笔记本" in ident._repr_mimebundle_()["text/plain"]


def test_every_case_can_be_answered_in_the_view(tmp_path):
    pytest.importorskip("ipywidgets")
    from course_lib.views.buyers import BuyerTypeIdentifier

    ident = BuyerTypeIdentifier("u08", store=ProgressStore(tmp_path / "p.json"))
    for case in KIT.cases:
        ident.choice.value = KIT.type(case.answer).name
        ident.confirm.click()
        assert "✔" in ident.feedback.value, case.id
        if case is not KIT.cases[-1]:
            ident.next.click()
    assert ident.run.score == (12, 12) and ident.next.disabled and "最后一段" in ident.feedback.value
