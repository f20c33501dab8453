"""Question banks and exercises: every file valid, validation catches mistakes, grading per type."""
from __future__ import annotations

import copy

import pytest
from hypothesis import given
from hypothesis import strategies as st

from course_lib.content.banks import bank_from_data, load_bank, load_exercises
from course_lib.content.loading import ContentError
from course_lib.content.questions import question_from_data
from course_lib.content.validate import validate_all
from course_lib.settings import data_dir

UNITS_Q = sorted(p.stem for p in (data_dir() / "questions").glob("*.yaml"))
UNITS_E = sorted(p.stem for p in (data_dir() / "exercises").glob("*.yaml"))

SINGLE = {"id": "u99.q1", "type": "single", "stem": "题干", "explanation": "解析",
          "options": [{"key": "A", "text": "甲"}, {"key": "B", "text": "乙", "correct": True, "feedback": "对"}]}


def test_all_content_is_valid():
    assert validate_all() == []


@pytest.mark.parametrize("unit", UNITS_Q)
def test_practice_banks_have_keys_and_explanations(unit):
    bank = load_bank(unit)
    assert bank.questions
    for q in bank.questions:
        assert q.explanation and q.stem
        assert q.answer is not None or q.reply is not None


@pytest.mark.parametrize("unit", UNITS_E)
def test_exercises_have_points_and_keys(unit):
    for q in load_exercises(unit).questions:
        assert q.points > 0
        assert q.answer is not None or q.reply is not None
        assert q.hint, f"{q.id} needs a hint for wrong answers"


def mutate(**changes):
    data = copy.deepcopy(SINGLE)
    data.update(changes)
    return data


@pytest.mark.parametrize("data,message", [
    (mutate(type="essay"), "type 应是"),
    (mutate(options=[{"key": "A", "text": "甲", "correct": True}, {"key": "B", "text": "乙", "correct": True}]), "恰好有一个"),
    (mutate(options=[{"key": "A"}, {"key": "C", "correct": True}]), "依次是 A、B、C"),
    (mutate(options=[{"key": "A", "correct": True}]), "至少需要两项"),
    (mutate(explanation=""), "缺少 explanation"),
    (mutate(options=[{"key": "A"}, {"key": "B"}]), "缺少答案"),
    ({**SINGLE, "type": "ordering", "items": [{"key": "A"}, {"key": "B"}], "answer": ["A", "A"]}, "恰好排一次"),
    ({**SINGLE, "type": "matching", "left": [{"key": "1"}, {"key": "2"}], "right": [{"key": "A"}, {"key": "B"}],
      "answer": {"1": "A"}}, "对应到"),
    ({**SINGLE, "type": "matching", "left": [{"key": "1"}, {"key": "2"}], "right": [{"key": "A"}, {"key": "B"}],
      "answer": {"1": "A", "2": "A"}}, "每个字母最多用一次"),
    ({**SINGLE, "type": "numeric", "answer": "七"}, "应是数字"),
    ({**SINGLE, "type": "truefalse", "answer": "对"}, "true 或 false"),
    ({**SINGLE, "type": "text", "rubric": {"required": [{"name": "x"}]}}, "words"),
    ({**SINGLE, "type": "text", "rubric": {"colour": 1}}, "未知字段"),
])
def test_validation_names_the_problem(data, message):
    with pytest.raises(ContentError, match=message):
        question_from_data(data, "示例.yaml 第1题")


def test_bank_rejects_duplicate_and_misnamed_ids():
    with pytest.raises(ContentError, match="重复"):
        bank_from_data({"unit": "u99", "questions": [SINGLE, SINGLE]}, "u99.yaml", graded=False)
    with pytest.raises(ContentError, match="应以「u98.q」开头"):
        bank_from_data({"unit": "u98", "questions": [SINGLE]}, "u98.yaml", graded=False)
    with pytest.raises(ContentError, match="points"):
        bank_from_data({"unit": "u99", "exercises": [{"id": "u99.e1", "type": "numeric", "answer": 1}]},
                       "u99.yaml", graded=True)


def test_missing_and_broken_files_give_chinese_errors(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_DATA", str(tmp_path))
    (tmp_path / "questions").mkdir()
    (tmp_path / "questions" / "u77.yaml").write_text("unit: [", encoding="utf-8")
    (tmp_path / "questions" / "u78.yaml").write_bytes("unit: 单元".encode("gbk"))
    with pytest.raises(ContentError, match="找不到内容文件 questions/u76.yaml"):
        load_bank("u76")
    with pytest.raises(ContentError, match="格式有误"):
        load_bank("u77")
    with pytest.raises(ContentError, match="UTF-8"):
        load_bank("u78")


def q(**data):
    return question_from_data({"id": "u99.q1", "stem": "题", "explanation": "解析", **data}, "t")


LETTERS = [{"key": k, "text": k} for k in "ABCD"]


def test_grading_each_type():
    multiple = q(type="multiple", options=LETTERS, answer=["A", "C"])
    assert multiple.grade("ca").status == "correct"
    wrong = multiple.grade("AB")
    assert wrong.status == "wrong" and "有1个选项不该选" in wrong.message and "漏选了1项" in wrong.message
    assert "B" not in wrong.message                       # the wrong letters would give the key away
    assert q(type="truefalse", answer=False).grade("错").status == "correct"
    order = q(type="ordering", items=LETTERS, answer=list("CADB"))
    assert order.grade("CADB").fraction == 1 and "第2步" in order.grade("CDAB").message
    match = q(type="matching", left=[{"key": "1"}, {"key": "2"}], right=LETTERS[:3], answer={"1": "B", "2": "A"})
    assert match.grade({"1": "B", "2": "C"}).status == "partial"
    assert match.grade({"1": "B", "2": "C"}).fraction == 0.5
    twice = match.grade({"1": "B", "2": "B"})          # one to one: a letter twice is a format error, not a try
    assert twice.status == "invalid" and twice.message == "每个字母最多用一次：编号1和2都连了「B」。请再想想哪一项连它。"
    many = q(type="matching", left=[{"key": "1"}, {"key": "2"}, {"key": "3"}], right=LETTERS[:2],
             answer={"1": "B", "2": "A", "3": "B"})    # fewer letters than items: a letter may repeat
    assert many.grade({"1": "B", "2": "B", "3": "B"}).fraction == pytest.approx(2 / 3)
    number = q(type="numeric", answer=13206.2, tolerance=1)
    assert number.grade("13206.9").status == "correct" and number.grade(13300).status == "wrong"
    text = q(type="text", rubric={"first_reply": True, "required": [{"name": "正品", "words": ["正品"]}]},
             pass_score=60)
    assert text.grade("您好，欢迎光临，我们是正品，请问有什么可以帮您？").status == "correct"
    low = text.grade("有")
    assert low.status in ("partial", "wrong") and low.fraction < 0.6 and low.rubric is not None


def test_feedback_comes_from_the_chosen_option():
    single = q(type="single", options=[{"key": "A", "text": "甲", "feedback": "甲不对，因为……"},
                                       {"key": "B", "text": "乙", "correct": True}])
    assert single.grade("A").feedback == ("甲不对，因为……",)


@given(st.text(max_size=50) | st.integers() | st.none() | st.lists(st.text(max_size=3), max_size=5))
def test_grading_never_raises(value):
    for question in [*load_bank("u00").questions, *load_exercises("u00").questions]:
        grade = question.grade(value)
        assert grade.status in ("correct", "partial", "wrong", "invalid", "unanswered")
        assert 0 <= grade.fraction <= 1


def test_folded_chinese_text_has_no_stray_spaces():
    """YAML folds a line break into a space: “上午11:05， 顾客……” in a widget. Loaded content has none."""
    from course_lib.files import FOLDED_GAP, read_yaml
    from course_lib.settings import data_dir

    def strings(value):
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict):
            for v in value.values():
                yield from strings(v)
        elif isinstance(value, list):
            for v in value:
                yield from strings(v)

    gaps = [(path.name, text[max(0, m.start() - 10):m.end() + 10])
            for path in sorted(data_dir().rglob("*.yaml"))
            for text in strings(read_yaml(path, path.name)) for m in FOLDED_GAP.finditer(text)]
    assert gaps == []


@given(st.lists(st.sampled_from("ABCDEa Ｂ"), min_size=4, max_size=4))
def test_a_one_to_one_matching_refuses_a_letter_twice_and_grades_the_rest(letters):
    """Any choice of letters in u06.q10 (4 items, 4 letters): a letter twice is named, never graded."""
    q = load_bank("u06").get("u06.q10")
    answer = {str(i + 1): letter for i, letter in enumerate(letters)}
    grade = q.grade(answer)
    clean = [letter.strip().upper().replace("Ｂ", "B") for letter in letters]
    if all(c in "ABCD" and c for c in clean) and len(set(clean)) == 4:
        assert grade.answered and grade.status in ("correct", "partial", "wrong")
    elif all(c in "ABCD" and c for c in clean):
        assert grade.status == "invalid" and grade.message.startswith("每个字母最多用一次")
    else:
        assert not grade.answered
