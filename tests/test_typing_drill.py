"""The typing drill (unit 02): scoring by hand-computed cases, properties of any typed text,
the practice file, and the widget driven from pytest with an injected clock."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course_lib.practice.loading import PracticeFileError, load_typing, typing_from_data, validate_practice
from course_lib.practice.typing_drill import TypingInputError, TypingRules, align, han_only, latin_runs, score_typing
from course_lib.progress import ProgressStore
from course_lib.text import to_halfwidth

from .practice_data import broken_u02

PASSAGE = "亲，您好！欢迎光临禾悦优选，我是客服小杰，请问有什么可以帮您？"   # 26 Chinese characters
HAN = han_only(PASSAGE)


def test_the_passage_has_26_characters():
    assert len(HAN) == 26 and HAN.startswith("亲您好欢迎光临")


# ---------------------------------------------------------------- hand-computed cases

def test_a_correct_prefix_in_thirty_seconds():
    r = score_typing(PASSAGE, HAN[:20], seconds=30)          # 20 ÷ 0.5 min = 40.0
    assert (r.correct, r.wrong, r.missing, r.extra, r.attempted) == (20, 0, 0, 0, 20)
    assert r.accuracy == 1.0 and r.speed == 40.0 and r.level == "及格"


def test_the_untyped_rest_of_the_passage_is_not_missing():
    r = score_typing(PASSAGE, "亲您好", seconds=10)
    assert r.missing == 0 and r.attempted == 3 and r.speed == 18.0


def test_one_skipped_character_costs_one_error_not_everything():
    typed = "亲好欢迎光临禾悦优选我是客服小杰请问有什么可以帮您"       # 您 skipped
    r = score_typing(PASSAGE, typed, seconds=60)
    assert (r.correct, r.wrong, r.missing, r.extra) == (25, 0, 1, 0)
    assert r.accuracy == pytest.approx(25 / 26)
    assert sum(a == b for a, b in zip(HAN, typed)) <= 3     # comparing position by position: nearly all wrong


def test_an_extra_character():
    r = score_typing(PASSAGE, "亲您您好欢迎", seconds=12)
    assert (r.correct, r.wrong, r.missing, r.extra) == (5, 0, 0, 1)
    assert r.accuracy == pytest.approx(5 / 6)


def test_a_wrong_character_and_the_marked_line():
    r = score_typing(PASSAGE, "亲您好欢迎光临禾月优选", seconds=15)
    assert (r.correct, r.wrong) == (10, 1)
    assert r.marked() == "亲您好欢迎光临禾[悦→月]优选"


def test_a_wrong_last_character_is_wrong_not_extra():
    r = score_typing("客服要有耐心服务", "客服要有耐性", seconds=12)
    assert (r.correct, r.wrong, r.missing, r.extra, r.attempted) == (5, 1, 0, 0, 6)


def test_punctuation_digits_and_spaces_are_ignored():
    a = score_typing(PASSAGE, "亲您好欢迎光临", seconds=12)
    b = score_typing(PASSAGE, "亲， 您好！\n欢迎光临123。", seconds=12)
    assert (a.correct, a.accuracy, a.speed) == (b.correct, b.accuracy, b.speed) == (7, 1.0, 35.0)


def test_uncommitted_pinyin_is_listed_and_not_counted():
    r = score_typing(PASSAGE, "亲您好huan迎光临ｙｏｕ'xuan", seconds=12)
    assert r.leftovers == ("huan", "you'xuan")
    assert r.typed_han == 6 and (r.correct, r.missing) == (6, 1)     # 欢 never committed: missing
    assert any("拼音" in note for note in r.notes)


def test_level_boundaries():
    text = "客" * 200
    assert score_typing(text, "客" * 60, seconds=60).level == "优秀"
    assert score_typing(text, "客" * 50, seconds=60).level == "可以上岗"
    slow = score_typing(text, "客" * 100, seconds=120.3)          # 100 ÷ 2.005 = 49.875… → 49.9
    assert (slow.speed, slow.level) == (49.9, "及格")
    assert score_typing(text, "客" * 40, seconds=60).level == "及格"
    assert score_typing(text, "客" * 40, seconds=60.2).level == "未达标"   # 39.9


def test_low_accuracy_is_below_whatever_the_speed():
    r = score_typing(PASSAGE, "亲您好欢迎光临禾悦优选我是客服小杰请问有甚么", seconds=20)
    assert (r.correct, r.wrong) == (21, 1) and round(r.accuracy, 3) == 0.955 and r.level == "优秀"   # 63.0
    r2 = score_typing(PASSAGE, "亲您好欢迎光临和悦优选我是客服小节请问有", seconds=20)
    assert (r2.correct, r2.wrong, r2.accuracy, r2.speed, r2.level) == (18, 2, 0.9, 54.0, "未达标")


def test_the_exercise_e3_case():
    """u02.e3: 3 min 20 s, 170 correct, 6 wrong, 2 missing, 4 extra → 170 ÷ 182 = 93.4% → 未达标 although 51 字/分."""
    passage = "".join(chr(0x4E00 + i) for i in range(400))
    typed = list(passage[:178])
    del typed[10:12]                                   # 2 missing
    for k in (20, 30, 40, 50, 60, 70):                 # 6 wrong
        typed[k] = "错"
    for k in (80, 90, 100, 110):                       # 4 extra
        typed.insert(k, "多")
    r = score_typing(passage, "".join(typed), seconds=200)
    assert (r.correct, r.wrong, r.missing, r.extra) == (170, 6, 2, 4)
    assert round(r.accuracy * 100, 1) == 93.4 and r.speed == 51.0 and r.level == "未达标"


def test_a_teacher_can_move_the_lines():
    rules = TypingRules(levels=((30, "合格"),), min_accuracy=0.8)
    r = score_typing(PASSAGE, "亲您好欢迎光临和悦优选", seconds=20, rules=rules)
    assert r.speed == 30.0 and r.accuracy == pytest.approx(10 / 11) and r.level == "合格"


@pytest.mark.parametrize("typed", ["", None, "nihao", "，。！"])
def test_an_empty_box_is_a_result_not_an_error(typed):
    r = score_typing(PASSAGE, typed, seconds=30)
    assert (r.correct, r.accuracy, r.level) == (0, 0.0, "未达标")
    assert any("没有录入汉字" in note for note in r.notes)


def test_a_pasted_passage_is_flagged():
    r = score_typing(PASSAGE * 2, HAN * 2, seconds=10)     # 52 in 10 s = 312 字/分
    assert r.suspicious and any("核实" in note for note in r.notes)


@pytest.mark.parametrize("seconds, message", [
    (5, "太短"), (0, "太短"), (-3, "太短"), (float("nan"), "有效"), (float("inf"), "有效"),
    (True, "数字"), ("60", "数字"), (None, "数字"), (4000, "超过"),
])
def test_bad_times_give_chinese_errors(seconds, message):
    with pytest.raises(TypingInputError, match=message):
        score_typing(PASSAGE, "亲您好", seconds=seconds)


def test_bad_passage_or_box():
    with pytest.raises(TypingInputError, match="没有汉字"):
        score_typing("Hello, 123!", "亲", seconds=30)
    with pytest.raises(TypingInputError, match="文字"):
        score_typing(PASSAGE, 123, seconds=30)
    with pytest.raises(TypingInputError, match="超过"):
        score_typing(PASSAGE, "客" * 1001, seconds=600)


def test_to_text():
    text = score_typing(PASSAGE, "亲您好欢迎光临禾月优选", seconds=75).to_text()
    assert "1分15秒" in text and "正确10个" in text and "错字1个" in text and "等级：未达标" in text


# ---------------------------------------------------------------- properties of student input

CHARS = list(HAN) + list("错字多，。！ abcxyz'12\n") + ["ｎｉ", "𠀀"]
typed_texts = st.lists(st.sampled_from(CHARS), max_size=45).map("".join)


def least_errors(passage: str, typed: str) -> int:
    """Fewest wrong + missing + extra characters over every prefix of the passage (plain edit distance)."""
    row = list(range(len(passage) + 1))
    for i, t in enumerate(typed, 1):
        new = [i]
        for j, p in enumerate(passage, 1):
            new.append(min(row[j - 1] + (p != t), row[j] + 1, new[j - 1] + 1))
        row = new
    return min(row)


@settings(max_examples=150, deadline=None)
@given(typed=st.one_of(st.text(max_size=60), typed_texts), seconds=st.floats(10, 3600))
def test_any_text_gives_a_consistent_result(typed, seconds):
    r = score_typing(PASSAGE, typed, seconds=seconds)
    assert 0.0 <= r.accuracy <= 1.0
    assert r.correct + r.wrong + r.extra == r.typed_han == len(han_only(typed))
    assert r.attempted == r.correct + r.wrong + r.missing <= len(HAN)
    assert 0 <= r.speed <= r.gross_speed + 0.05
    assert r.level in ("优秀", "可以上岗", "及格", "未达标")
    assert "".join(s.typed for s in r.steps) == han_only(typed)
    assert "".join(s.expected for s in r.steps) == HAN[:r.attempted]


@settings(max_examples=150, deadline=None)
@given(typed=typed_texts)
def test_the_alignment_has_the_fewest_errors(typed):
    got = han_only(typed)
    steps = align(HAN, got)
    assert sum(s.kind != "对" for s in steps) == least_errors(HAN, got)


@settings(max_examples=100, deadline=None)
@given(k=st.integers(1, 26), noise=st.lists(st.sampled_from(list("，。！？ abc'123\n")), max_size=10).map("".join))
def test_a_correct_prefix_with_noise_is_perfect(k, noise):
    r = score_typing(PASSAGE, noise + HAN[:k] + noise, seconds=60)
    assert (r.correct, r.accuracy, r.missing, r.wrong, r.extra) == (k, 1.0, 0, 0, 0)


@settings(max_examples=100, deadline=None)
@given(typed=typed_texts, letters=st.lists(st.sampled_from(["ni", "hao", "shi'", "ＸＵ"]), max_size=4))
def test_letters_anywhere_change_nothing_but_the_leftovers(typed, letters):
    """An unfinished IME composition (letters in the box) never changes the counts."""
    plain = score_typing(PASSAGE, typed, seconds=60)
    noisy = score_typing(PASSAGE, "".join(letters) + typed + "".join(letters), seconds=60)
    assert (plain.correct, plain.wrong, plain.missing, plain.extra) == (noisy.correct, noisy.wrong, noisy.missing,
                                                                       noisy.extra)
    added = to_halfwidth("".join(letters))
    assert added in "".join(noisy.leftovers) and "".join(latin_runs(typed)) in "".join(noisy.leftovers)


@settings(max_examples=60, deadline=None)
@given(typed=typed_texts, a=st.floats(10, 600), b=st.floats(10, 600))
def test_more_time_never_means_more_speed(typed, a, b):
    fast, slow = sorted((a, b))
    assert score_typing(PASSAGE, typed, seconds=fast).speed >= score_typing(PASSAGE, typed, seconds=slow).speed


@settings(max_examples=100, deadline=None)
@given(seconds=st.one_of(st.none(), st.text(max_size=5), st.booleans(), st.floats(allow_nan=True), st.integers()))
def test_any_time_is_scored_or_refused_in_chinese(seconds):
    try:
        r = score_typing(PASSAGE, "亲您好", seconds=seconds)
    except TypingInputError as error:
        assert any("\u4e00" <= ch <= "\u9fff" for ch in str(error))
    else:
        assert r.seconds == seconds


# ---------------------------------------------------------------- the practice file

def test_the_practice_file_loads():
    drill = load_typing("u02")
    assert [p.id for p in drill.passages] == ["p1", "p2", "p3"]
    assert all(100 <= p.han_count <= 200 for p in drill.passages)
    assert drill.rules.levels == ((60.0, "优秀"), (50.0, "可以上岗"), (40.0, "及格")) and drill.rules.min_accuracy == 0.95
    assert validate_practice() == []


@pytest.mark.parametrize("change, message", [
    (lambda t: t["passages"][0].update(text="太短了"), "至少要有30个"),
    (lambda t: t["passages"][1].update(id="p1"), "重复"),
    (lambda t: t["passages"][0].pop("title"), "缺少 title"),
    (lambda t: t["rules"].update(levels=[{"speed": 40, "name": "及格"}, {"speed": 60, "name": "优秀"}]), "从高到低"),
    (lambda t: t["rules"].update(min_accuracy=1.5), "不超过1"),
    (lambda t: t["rules"].update(levels="60"), "rules.levels 应是列表"),
    (lambda t: t["rules"].update(levels=[{"speed": 60, "name": "优秀"}, {"speed": 40}]), "rules.levels 第2项应写成"),
    (lambda t: t["rules"].update(colour="红"), "未知字段"),
    (lambda t: t.update(passages=[]), "至少一段"),
])
def test_a_broken_practice_file_names_the_problem(change, message):
    with pytest.raises(PracticeFileError, match=message):
        typing_from_data(broken_u02("typing", change), "practice/u02.yaml")


def test_a_missing_practice_file_is_a_chinese_error(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_DATA", str(tmp_path))
    with pytest.raises(PracticeFileError, match="找不到内容文件 practice/u02.yaml"):
        load_typing("u02")
    (tmp_path / "practice").mkdir()
    (tmp_path / "practice" / "u02.yaml").write_text("unit: u02\ntyping: [", encoding="utf-8")
    assert "格式有误" in validate_practice()[0]


# ---------------------------------------------------------------- the widget, driven from pytest

class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


@pytest.fixture
def drill(tmp_path):
    from course_lib.views.typing_drill import TypingDrill

    clock = Clock()
    view = TypingDrill(store=ProgressStore(tmp_path / "p.json"), clock=clock)
    view.clock_ = clock
    return view


def test_the_box_is_closed_until_start_and_the_passage_hidden(drill):
    passage = load_typing("u02").passages[0]
    assert drill.box.disabled and drill.submit.disabled
    assert passage.text[:10] not in drill.passage.value
    drill.start.click()
    assert not drill.box.disabled and not drill.submit.disabled and drill.choice.disabled
    assert passage.text[:10] in drill.passage.value


def test_hand_in_scores_the_committed_text(drill):
    text = han_only(load_typing("u02").passages[0].text)
    drill.start.click()
    drill.box.value = text[:1] + text[2:20] + "nihao"          # skipped the 2nd character, left pinyin
    drill.clock_.now += 30
    drill.submit.click()
    r = drill.last
    assert (r.correct, r.missing, r.wrong, r.extra, r.leftovers) == (19, 1, 0, 0, ("nihao",))
    assert r.speed == 38.0 and r.level == "未达标"
    html = drill.result.value
    assert html.count("course-typing-missing") == 1 and "nihao" in html and "38.0字/分" in html
    assert drill.box.disabled and drill.again.layout.display is None


def test_too_early_keeps_the_clock_running(drill):
    drill.start.click()
    drill.box.value = "亲您好"
    drill.clock_.now += 4
    drill.submit.click()
    assert "不足10秒" in drill.status.value and drill.last is None and not drill.box.disabled
    drill.clock_.now += 20
    drill.submit.click()
    assert drill.last is not None and drill.last.correct == 3


def test_hand_in_before_start_is_a_hint(drill):
    drill.submit.disabled = False
    drill.submit.click()
    assert "先点“开始”" in drill.status.value and drill.last is None


def test_the_best_result_is_kept_and_shown_again(drill, tmp_path):
    from course_lib.views.typing_drill import TypingDrill

    text = han_only(load_typing("u02").passages[0].text)
    for seconds, n in ((60, 45), (60, 30)):                      # 45 字/分 first, then a slower try
        drill.start.click()
        drill.box.value = text[:n]
        drill.clock_.now += seconds
        drill.submit.click()
        drill.again.click()
    again = TypingDrill(store=ProgressStore(tmp_path / "p.json"), clock=Clock())
    assert "45.0字/分" in again.best.value and "及格" in again.best.value


def test_a_broken_clock_shows_a_chinese_line_not_a_traceback(drill):
    drill.start.click()
    drill.clock = lambda: float("nan")
    drill.submit.click()
    assert "用时不是有效的数字" in drill.status.value
