"""The review desk: a teacher's score override flows into the 成绩表 (CSV and .xlsx), the feedback and
the statistics, survives ``--regrade`` and a second grading run, and lapses when the answer changes.
The page itself is tested in a real browser in tests/browser/test_review.py."""
from __future__ import annotations

import json
import shutil
import urllib.error
import urllib.request

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course_lib.grading.overrides import OverrideError, make_override, parse_score
from course_lib.grading.results import ExerciseResult, SubmissionResult
from course_lib.grading.review import Desk, ReviewError
from course_lib.grading.review_server import start
from course_lib.grading.store import Gradebook

from .classroom import csv_row, feedback, fill, grade, three_graded, xlsx_row


@pytest.fixture(scope="module")
def graded_class(tmp_path_factory):
    return three_graded(tmp_path_factory)


@pytest.fixture
def results(graded_class, tmp_path):
    """A copy of the graded results (each test changes its own) and of the submissions."""
    subs, out = graded_class
    shutil.copytree(out, tmp_path / "结果")
    shutil.copytree(subs, tmp_path / "作业")
    return tmp_path / "作业", tmp_path / "结果"


def test_desk_lists_every_reply_with_its_automatic_score(results):
    _, out = results
    desk = Desk(out)
    exercises = desk.exercises()
    assert [e.id for e in exercises] == ["u01.e5"]
    assert exercises[0].count == 3 and "正品" in exercises[0].buyer and exercises[0].reference
    items = desk.items("u01.e5")
    assert [i.submission.student_id for i in items] == ["20240001", "20240002", "20240003"]
    short = items[1]
    assert short.result.answer == "在的，是正品。" and short.result.score == short.auto_score < 2
    assert short.result.missing and short.result.message and not short.result.reviewed
    desk.close()


def test_an_override_reaches_csv_xlsx_feedback_and_survives_regrading(results):
    subs, out = results
    before = csv_row(out, "20240002")
    auto = float(before["u01.e5"])
    desk = Desk(out)
    item = desk.save("u01.e5", "20240002", "３分", "回答了正品问题，可惜没有给顾客核实的依据。")
    desk.close()
    assert item.result.reviewed and item.result.score == 3 and item.auto_score == auto
    for row in (csv_row(out, "20240002"), xlsx_row(out, "20240002")):
        assert float(row["u01.e5"]) == 3
        assert float(row["总分"]) == pytest.approx(float(before["总分"]) - auto + 3)
        assert "教师复核：练习u01.e5由自动评分的" in row["备注"]
    text = feedback(out, "20240002")
    assert "- 得分：3/4" in text and "教师复核" in text and "可惜没有给顾客核实的依据" in text
    assert float(csv_row(out, "20240001")["u01.e5"]) == 4          # the others are untouched
    assert "教师复核" not in feedback(out, "20240001")

    again = grade(subs, out)                     # a second run of the grader: nothing new to grade
    assert again["20240002"].exercise("u01.e5").score == 3
    again = grade(subs, out, regrade="20240002")  # --regrade grades the student again
    assert again["20240002"].exercise("u01.e5").reviewed
    assert float(csv_row(out, "20240002")["u01.e5"]) == 3 and "教师复核" in feedback(out, "20240002")


def test_a_changed_answer_gets_its_automatic_score_and_the_teacher_is_told(results):
    subs, out = results
    desk = Desk(out)
    desk.save("u01.e5", "20240002", 4, "")
    desk.close()
    path = subs / "20240002_李四_01.ipynb"
    nb = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps(fill(nb, {"u01.e5": '"""在的，是正品，放心买。"""'}), ensure_ascii=False), encoding="utf-8")
    after = grade(subs, out)["20240002"].exercise("u01.e5")
    assert not after.reviewed and after.score < 4
    check = (out / "需要确认.md").read_text(encoding="utf-8")
    assert "教师复核已失效" in check and "20240002 练习u01.e5：复核时给了4分" in check


def test_a_wrong_score_changes_nothing(results):
    _, out = results
    desk = Desk(out)
    before = (out / "成绩_u01.csv").read_bytes()
    for score, message in [("5", "分数应在0到4之间"), ("-1", "分数应是数字"), ("很好", "分数应是数字"), ("", "请先填写分数")]:
        with pytest.raises(ReviewError, match=message):
            desk.save("u01.e5", "20240002", score, "")
    with pytest.raises(ReviewError, match="没有 20249999 的练习u01.e5"):
        desk.save("u01.e5", "20249999", "1", "")
    with pytest.raises(ReviewError, match="意见最多500个字"):
        desk.save("u01.e5", "20240002", "1", "好" * 501)
    assert desk.book.overrides() == [] and (out / "成绩_u01.csv").read_bytes() == before
    desk.close()


def test_clearing_an_override_restores_the_automatic_score(results):
    _, out = results
    auto = float(csv_row(out, "20240003")["u01.e5"])
    desk = Desk(out)
    desk.save("u01.e5", "20240003", "0", "")
    assert float(csv_row(out, "20240003")["u01.e5"]) == 0
    item = desk.clear("u01.e5", "20240003")
    desk.close()
    assert not item.result.reviewed and item.result.score == item.auto_score == auto
    assert float(csv_row(out, "20240003")["u01.e5"]) == auto and "教师复核" not in feedback(out, "20240003")


def test_overrides_are_their_own_table_forget_leaves_them(tmp_path):
    r = SubmissionResult("a.ipynb", "x", student_id="1", unit="u01").with_exercises(
        [ExerciseResult("u01.e5", "reply", 4, 1.0, "partial", "在的")], 4)
    with Gradebook(tmp_path / "gradebook.sqlite") as book:
        book.put(r)
        book.put_override(make_override(r, "u01.e5", 2, "好"))
        assert book.forget("1") == 1 and len(book.overrides()) == 1
        book.put(r)
        assert book.results()[0].total == 2 and book.results(reviewed=False)[0].total == 1


def request(server, path, body=None, token=None, host=None):
    headers = {"X-Course-Token": server.token if token is None else token}
    if host:
        headers["Host"] = host
    data = None
    if body is not None:
        data = body if isinstance(body, bytes) else json.dumps(body).encode("utf-8")
        headers["Content-Type"] = "application/json"
    url = f"http://127.0.0.1:{server.server_address[1]}{path}"
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data, headers), timeout=60) as response:
            return response.status, json.loads(response.read().decode("utf-8"))
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read().decode("utf-8"))


def test_the_web_api_needs_the_token_and_answers_in_chinese(results):
    _, out = results
    server, _ = start(out)
    try:
        assert request(server, "/api/state", token="guess")[0] == 403
        assert request(server, "/api/state", host="evil.example:80")[0] == 403
        status, state = request(server, "/api/state")
        assert status == 200 and state["exercise"] == "u01.e5" and len(state["items"]) == 3
        status, answer = request(server, "/api/save", b"{not json")
        assert status == 400 and "JSON" in answer["error"]
        status, answer = request(server, "/api/save", {"exercise": "u01.e5", "who": "20240002", "score": "9"})
        assert status == 400 and answer["error"] == "分数应在0到4之间，现在是9。"
        status, answer = request(server, "/api/save", {"exercise": "u01.e5", "who": "20240002", "score": "2.5",
                                                       "comment": "好"}, token="")
        assert status == 403
        status, answer = request(server, "/api/save", {"exercise": "u01.e5", "who": "20240002", "score": "2.5",
                                                       "comment": "好"})
        assert status == 200 and answer["item"]["score_text"] == "2.5" and answer["item"]["reviewed"]
        page = urllib.request.urlopen(server.url, timeout=30).read().decode("utf-8")
        assert "教师复核台" in page and "http://" not in page.replace("http://127.0.0.1", "")
    finally:
        server.shutdown()
        server.server_close()
    assert float(csv_row(out, "20240002")["u01.e5"]) == 2.5


SCORED = SubmissionResult("a.ipynb", "", student_id="1", unit="u01").with_exercises(
    [ExerciseResult("u01.e5", "reply", 4, 1.0, "partial", "在的")], 4)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=30), st.floats(allow_nan=True), st.integers(), st.none(), st.booleans()))
def test_any_typed_score_is_a_number_in_range_or_a_chinese_message(score):
    try:
        override = make_override(SCORED, "u01.e5", score, "")
    except OverrideError as error:
        assert any("\u4e00" <= ch <= "\u9fff" for ch in str(error))
    else:
        assert 0 <= override.score <= 4


@given(st.decimals(min_value=0, max_value=4, places=2))
def test_a_score_written_with_full_width_digits_reads_the_same(value):
    text = str(value)
    wide = text.translate(str.maketrans("0123456789.", "０１２３４５６７８９．"))
    assert parse_score(wide + "分") == parse_score(text) == float(value)
