"""Answer normalisation: what students really type, and that nothing makes it raise."""
from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from course_lib.content import answers
from course_lib.content.answers import AnswerFormatError, Unanswered


@pytest.mark.parametrize("typed", ["AC", "ac", "A、C", "C,A", "Ａ，Ｃ", " a c ", "A；C", "答案：AC", "A和C",
                                   "(A)(C)", "【A】【C】", "“A”“C”", "A/C", ["A", "C"], ("c", "a"), {"A", "C"}])
def test_multiple_choice_forms(typed):
    assert answers.parse_choices(typed, "ABCDE", multiple=True) == ("A", "C")


@pytest.mark.parametrize("typed", [..., "", "   ", None, [], "、，"])
def test_unanswered_forms(typed):
    with pytest.raises(Unanswered):
        answers.parse_choices(typed, "ABCD", multiple=True)


@pytest.mark.parametrize("typed,message", [
    ("AF", "无法识别「F」"), (1, "字符串"), ("B C", "只能选一个"), ("x" * 300, "太长"),
])
def test_bad_choice_messages(typed, message):
    with pytest.raises(AnswerFormatError, match=message):
        answers.parse_choices(typed, "ABCD", multiple=False)


@pytest.mark.parametrize("typed,expected", [
    (True, True), (False, False), ("对", True), ("错", False), ("√", True), ("×", False), ("t", True),
    ("Ｆ", False), ("正确", True), ("错误", False), (1, True), (0, False), (" yes ", True),
])
def test_truefalse_forms(typed, expected):
    assert answers.parse_truefalse(typed) is expected


def test_truefalse_rejects_other_numbers_and_words():
    for bad in (2, "也许", 0.5, [True]):
        with pytest.raises(AnswerFormatError):
            answers.parse_truefalse(bad)


@pytest.mark.parametrize("typed", ["CADB", "c a d b", "C→A→D→B", "C>A>D>B", "C-A-D-B", "C、A、D、B", ["C", "A", "D", "B"]])
def test_ordering_forms(typed):
    assert answers.parse_ordering(typed, "ABCD") == ("C", "A", "D", "B")


def test_ordering_reports_missing_and_repeated():
    with pytest.raises(AnswerFormatError, match="A重复了；还缺少D"):
        answers.parse_ordering("CAAB", "ABCD")


@pytest.mark.parametrize("typed", [{"1": "B", "2": "A"}, {1: "b", 2: "a"}, "1-B,2-A", "1B2A", "1：B；2：A",
                                   "１→Ｂ，２→Ａ", {"1": "Ｂ", "2": "A"}])
def test_matching_forms(typed):
    assert answers.parse_matching(typed, ["1", "2"], "AB") == {"1": "B", "2": "A"}


@pytest.mark.parametrize("typed,message", [
    ({"1": "B"}, "编号2没有连线"), ({"1": "B", "3": "A", "2": "A"}, "没有编号「3」"), ({"1": "BA", "2": "A"}, "只能对应一个"),
    ("1-Z 2-A", "无法识别「Z」"), ([("1", "B")], "字典"), ({"1": ..., "2": "A"}, "尚未作答"),
])
def test_matching_messages(typed, message):
    with pytest.raises(AnswerFormatError, match=message):
        answers.parse_matching(typed, ["1", "2"], "AB")


@pytest.mark.parametrize("typed,expected", [
    (13206.2, 13206.2), (48, 48.0), ("13206.2", 13206.2), ("１３２０６．２", 13206.2), ("约13206.2亿元", 13206.2),
    ("7.9%", 7.9), ("1,680", 1680.0), ("1，680万人", 1680.0), (" 2.42 倍", 2.42), ("-3", -3.0), ("1e3", 1000.0),
])
def test_number_forms(typed, expected):
    assert answers.parse_number(typed) == pytest.approx(expected)


@pytest.mark.parametrize("typed,message", [
    (float("nan"), "NaN"), (float("inf"), "NaN"), ("十三", "无法把"), ("1.2.3", "无法把"), (True, "True/False"),
    ([1, 2], "数字"),
])
def test_number_messages(typed, message):
    with pytest.raises(AnswerFormatError, match=message):
        answers.parse_number(typed)


def test_number_from_pandas_and_numpy():
    pd = pytest.importorskip("pandas")
    import numpy as np

    assert answers.parse_number(np.float64(2.5)) == 2.5
    assert answers.parse_number(np.int64(7)) == 7.0
    with pytest.raises(AnswerFormatError, match="一张表"):
        answers.parse_number(pd.Series([1.0]))


def test_text_limits():
    assert answers.parse_text("  您好  ") == "您好"
    with pytest.raises(AnswerFormatError, match="太长"):
        answers.parse_text("好" * 10_000_000)
    with pytest.raises(AnswerFormatError, match="字符串"):
        answers.parse_text(123)


class Sneaky(str):
    """A str whose comparisons and conversions all lie."""

    def __eq__(self, other):
        return True

    def __hash__(self):
        return 0

    def __str__(self):
        raise RuntimeError("boom")

    def upper(self):
        return "ABCDE"


class Hostile:
    def __eq__(self, other):
        return True

    def __str__(self):
        raise RuntimeError("boom")

    def __float__(self):
        raise RuntimeError("boom")


def test_hostile_objects_are_not_trusted():
    assert answers.parse_choices(Sneaky("b"), "ABCD", multiple=False) == ("B",)
    for parse in (lambda v: answers.parse_choices(v, "ABCD", True), answers.parse_truefalse, answers.parse_number,
                  answers.parse_text, lambda v: answers.parse_ordering(v, "ABC"),
                  lambda v: answers.parse_matching(v, ["1"], "AB")):
        with pytest.raises(AnswerFormatError):
            parse(Hostile())


anything = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text() | st.just(...),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=3) | st.integers(), inner, max_size=4),
    max_leaves=8)


@given(anything)
def test_no_input_makes_a_parser_raise_anything_else(value):
    parsers = (lambda v: answers.parse_choices(v, "ABCDE", True), lambda v: answers.parse_choices(v, "ABCD", False),
               answers.parse_truefalse, answers.parse_number, answers.parse_text,
               lambda v: answers.parse_ordering(v, "ABCD"), lambda v: answers.parse_matching(v, ["1", "2"], "ABC"))
    for parse in parsers:
        try:
            result = parse(value)
        except AnswerFormatError as error:
            assert str(error)            # always a message for the student
        else:
            assert result is not None
            if isinstance(result, float):
                assert math.isfinite(result)


@given(st.text(alphabet="ABCDEabcde ，、,；;ＡＢＣ", max_size=30))
def test_choices_are_sorted_unique_valid_letters(text):
    try:
        chosen = answers.parse_choices(text, "ABCDE", multiple=True)
    except AnswerFormatError:
        return
    assert list(chosen) == sorted(set(chosen)) and set(chosen) <= set("ABCDE")


@given(st.permutations("ABCD"), st.sampled_from(["", " ", "→", "、", ">"]))
def test_any_written_permutation_parses_back(order, sep):
    assert answers.parse_ordering(sep.join(order).lower(), "ABCD") == tuple(order)


def test_length_limits_are_inclusive():
    """The limits come from data/standards.yaml: exactly the limit is accepted, one more is not."""
    from course_lib.settings import standards

    limit, short = standards().reply_limit, standards().answer_limit
    assert answers.parse_text("好" * limit) == "好" * limit
    with pytest.raises(AnswerFormatError, match=f"{limit + 1}个字符"):
        answers.parse_text("好" * (limit + 1))
    padded = "A" + " " * (short - 1)                  # exactly the short-answer limit
    assert answers.parse_choices(padded, "ABCD", multiple=False) == ("A",)
    with pytest.raises(AnswerFormatError, match="太长"):
        answers.parse_choices(padded + " ", "ABCD", multiple=False)


def test_words_in_a_choice_answer_are_shown_as_typed():
    """“无法识别「士、女、是、男、还」” listed the characters sorted and dropped one (play-through)."""
    with pytest.raises(answers.AnswerFormatError, match="无法识别「是男士还是女士送」"):
        answers.parse_choices("是男士还是女士送", "ABCD", multiple=False)
