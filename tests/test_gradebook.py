"""The gradebook (SQLite storage and resume) and the reports regenerated from it: CSV/xlsx,
feedback, statistics."""
from __future__ import annotations

import csv
import dataclasses
import hashlib
import io
import sqlite3
import unicodedata
import warnings

import pytest

from course_lib import files
from course_lib.grading.feedback import feedback_text, write_feedback
from course_lib.grading.results import ResultError, SubmissionResult
from course_lib.grading.statistics import statistics, summary_line, write_report
from course_lib.grading.store import GRADER_VERSION, Gradebook, GradebookError
from course_lib.grading.tables import export_csv, export_xlsx

KEY = "KEY-ACE"   # stands for an answer key: it must never reach any output

# 学号, 姓名, (e1 multiple 2 points), (e2 single 1 point), (e3 text 4 points, missing)
# each as (score, status, answer[, missing])
CLASS = [
    ("20230101", "张三", (2, "correct", "A、C、D"), (1, "correct", "B"), (4, "correct", "亲，非常抱歉……", [])),
    ("20230102", "李四", (2, "correct", "A、C、D"), (1, "correct", "B"), (3, "partial", "您好，马上为您处理。", ["致歉"])),
    ("20230103", "王五", (2, "correct", "A、C、D"), (0, "wrong", "A"), (3.5, "partial", "抱歉！", ["给出时限"])),
    ("20230104", "赵六", (0, "wrong", "A、B"), (1, "correct", "B"), (3, "partial", "好的", ["致歉"])),
    ("20230105", "孙七", (2, "correct", "A、C、D"), (0, "wrong", "D"), (1.5, "partial", "嗯", ["致歉", "给出时限"])),
    ("20230106", "周八", (0, "wrong", "C"), (1, "correct", "B"), (2, "partial", "稍等", ["给出时限"])),
    ("20230107", "吴九", (0, "wrong", "A、B"), (1, "correct", "B"), (1.5, "partial", "等等", ["致歉", "称呼"])),
    ("20230108", "郑十", (2, "correct", "A、C、D"), (0, "wrong", "C"), (0, "unanswered", "", [])),
    ("20230109", "钱一", (0, "unanswered", "..."), (1, "correct", "B"), (0.5, "partial", "哦\n第二行", ["致歉"])),
    ("20230110", "", (0, "invalid", "E"), (0, "wrong", "B?"), (1, "partial", "行", ["致歉"])),
]
HINTS = {"e1": "先判断每项工作发生在售前、售中还是售后。", "e2": "回到教材的首次响应标准。",
         "e3": "道歉、称呼和时限缺一不可。"}


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def exercise(exercise_id, kind, points, spec):
    score, status, answer = spec[:3]
    message = {"correct": "回答正确。", "partial": "部分正确。", "wrong": "回答不正确。",
               "invalid": "格式有误：选项只能是A–D。", "unanswered": "尚未作答。"}[status]
    return {"id": exercise_id, "type": kind, "points": float(points), "score": float(score), "status": status,
            "answer": answer, "message": message, "hint": HINTS[exercise_id.split(".")[1]],
            "missing": list(spec[3]) if len(spec) > 3 else []}


def graded(sid, name, e1, e2, e3, unit="u01"):
    exercises = [exercise(f"{unit}.e1", "multiple", 2, e1), exercise(f"{unit}.e2", "single", 1, e2),
                 exercise(f"{unit}.e3", "text", 4, e3)]
    file = f"班级A/{sid}_{name}_01.ipynb"
    return SubmissionResult.from_json({
        "file": file, "sha256": sha(file), "student_id": sid, "name": name, "unit": unit,
        "status": "graded", "reason": "", "notes": ["检查单元格已从母版恢复"] if sid == "20230104" else [],
        "exercises": exercises, "total": float(e1[0] + e2[0] + e3[0]), "max": 7.0})


def rejected(sid, name, unit, file, reason):
    return SubmissionResult.rejected(file, sha(file + "!"), reason, student_id=sid, name=name, unit=unit)


def change(result, **fields):
    return dataclasses.replace(result, **fields)


@pytest.fixture
def class_results():
    results = [graded(*row) for row in CLASS]
    results.append(rejected("20230111", "冯二", "u01", "班级A/20230111_冯二_01.ipynb", "文件是空的"))
    results.append(rejected("", "", "", "班级A/作业.ipynb", "文件名无法识别学号和单元"))
    return results


# --------------------------------------------------------------------------- SQLite

def test_round_trip_and_sorting(tmp_path, class_results):
    path = tmp_path / "成绩库" / "gradebook.sqlite"
    with Gradebook(path) as book:
        for r in reversed(class_results):
            book.put(r)
    with Gradebook(path) as book:          # reopened: the data is on disk
        everything = book.results()
        u01 = book.results("u01")
    assert len(everything) == 12 and len(u01) == 11
    assert everything[0].file == "班级A/作业.ipynb"            # unit "" sorts first
    assert [r.student_id for r in u01] == sorted(r.student_id for r in u01)
    by_id = {r.student_id: r for r in u01}
    assert by_id["20230103"] == class_results[2]                  # the whole result comes back unchanged


def test_has_is_for_resuming(tmp_path, class_results):
    with Gradebook(tmp_path / "g.sqlite") as book:
        first = class_results[0]
        assert not book.has(first.sha256)
        book.put(first)
        assert book.has(first.sha256)
        assert book.has(first.sha256, version=GRADER_VERSION, file=first.file)
        assert not book.has(first.sha256, version=str(int(GRADER_VERSION) + 1))   # a new grader regrades
        assert not book.has(first.sha256, file="班级A/别人.ipynb")  # same bytes, another student's file
        assert not book.has(sha("other bytes"))


def test_put_keeps_one_row_per_file(tmp_path, class_results):
    """Two files of one student are both kept; which one counts is decided by identity.resolve."""
    with Gradebook(tmp_path / "g.sqlite") as book:
        book.put(class_results[0])
        again = change(class_results[0], file="班级A/20230101_张三_01(1).ipynb", sha256=sha("v2"), total=1.0)
        book.put(again)
        assert sorted(r.total for r in book.results("u01")) == [1.0, 7.0]
        book.put(change(again, total=2.0))                       # the same file graded again replaces its row
        assert sorted(r.total for r in book.results("u01")) == [2.0, 7.0]
        assert book.has(class_results[0].sha256) and book.has(sha("v2"))
        book.prefer(["班级A/20230101_张三_01.ipynb"])
        assert book.preferred() == frozenset({"班级A/20230101_张三_01.ipynb"})


def test_unidentified_rejected_files_are_kept_by_path(tmp_path):
    with Gradebook(tmp_path / "g.sqlite") as book:
        book.put(rejected("", "", "", "a.ipynb", "文件是空的"))
        book.put(rejected("", "", "", "b.ipynb", "文件是空的"))
        book.put(rejected("", "", "", "a.ipynb", "不是有效的笔记本（JSON格式错误）"))
        rows = book.results()
    assert [(r.file, r.reason) for r in rows] == [("a.ipynb", "不是有效的笔记本（JSON格式错误）"),
                                                        ("b.ipynb", "文件是空的")]


def test_forget_one_student(tmp_path, class_results):
    with Gradebook(tmp_path / "g.sqlite") as book:
        for r in class_results:
            book.put(r)
        assert book.forget("20230102") == 1
        assert "20230102" not in {r.student_id for r in book.results()}
        assert not book.has(class_results[1].sha256)           # will be regraded
        assert book.has(class_results[0].sha256)
        assert book.forget("nobody") == 0


def test_put_checks_the_result_in_chinese(tmp_path):
    with Gradebook(tmp_path / "g.sqlite") as book:
        with pytest.raises(GradebookError, match="SubmissionResult"):
            book.put({"file": "a.ipynb", "sha256": "x", "status": "rejected"})
        with pytest.raises(ResultError, match="status"):
            SubmissionResult.from_json({"file": "a.ipynb", "sha256": "x", "status": "ok"})
        with pytest.raises(ResultError, match="JSON"):
            book.put(SubmissionResult("a.ipynb", "x", total=float("nan")))
        assert book.results() == []


def test_a_failed_put_leaves_the_old_row(tmp_path, class_results):
    class Flaky:                                  # the second statement of the transaction fails
        def __init__(self, db):
            self.db = db

        def execute(self, sql, *args):
            if sql.startswith("INSERT OR REPLACE INTO results"):
                raise sqlite3.OperationalError("disk I/O error")
            return self.db.execute(sql, *args)

        def __getattr__(self, name):
            return getattr(self.db, name)

    with Gradebook(tmp_path / "g.sqlite") as book:
        book.put(class_results[0])
        real, book._db = book._db, Flaky(book._db)
        with pytest.raises(sqlite3.OperationalError):
            book.put(change(class_results[0], total=99.0, sha256=sha("new")))
        book._db = real
        assert book.results()[0].total == class_results[0].total
        assert not book.has(sha("new"))


def test_ctrl_c_just_after_the_commit_stays_a_ctrl_c(tmp_path, class_results):
    """The signal lands as COMMIT returns: the row is stored and the interrupt is not turned into
    an SQLite error (“no transaction is active”), which made an interrupted grader exit 1, not 130."""
    class Interrupted:
        def __init__(self, db):
            self.db = db

        def execute(self, sql, *args):
            done = self.db.execute(sql, *args)
            if sql == "COMMIT":
                raise KeyboardInterrupt
            return done

        def __getattr__(self, name):
            return getattr(self.db, name)

    with Gradebook(tmp_path / "g.sqlite") as book:
        real, book._db = book._db, Interrupted(book._db)
        with pytest.raises(KeyboardInterrupt):
            book.put(class_results[0])
        book._db = real
        assert book.has(class_results[0].sha256)


def test_not_a_gradebook(tmp_path):
    path = tmp_path / "g.sqlite"
    path.write_text("这不是数据库" * 200, encoding="utf-8")
    with pytest.raises(GradebookError, match="不是成绩库文件"):
        Gradebook(path)


# --------------------------------------------------------------------------- CSV / xlsx

def read_csv(path):
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def test_csv_for_excel(tmp_path, class_results):
    path = export_csv(class_results, tmp_path / "成绩_u01.csv", "u01")
    rows = read_csv(path)
    assert rows[0] == ["学号", "姓名", "文件", "状态", "原因", "u01.e1", "u01.e2", "u01.e3", "总分", "满分", "备注"]
    body = rows[1:]
    assert len(body) == 12                       # 10 graded, 1 rejected, 1 unidentified file last
    assert [r[0] for r in body[:11]] == sorted(r[0] for r in body[:11])
    assert body[-1][:5] == ["", "", "班级A/作业.ipynb", "已拒收", "文件名无法识别学号和单元"]
    by_id = {r[0]: r for r in body}
    assert by_id["20230103"] == ["20230103", "王五", "班级A/20230103_王五_01.ipynb", "已评分", "",
                                 "2", "0", "3.5", "5.5", "7", ""]
    assert by_id["20230104"][-1] == "检查单元格已从母版恢复"
    assert by_id["20230111"][3:] == ["已拒收", "文件是空的", "", "", "", "", "7", ""]
    assert b"\r\n" in path.read_bytes()


def test_csv_is_deterministic_and_atomic(tmp_path, class_results):
    a = export_csv(class_results, tmp_path / "a.csv", "u01").read_bytes()
    b = export_csv(list(reversed(class_results)), tmp_path / "a.csv", "u01").read_bytes()
    assert a == b
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.csv"]     # no temporary file left


def test_a_failed_write_keeps_the_old_file(tmp_path, class_results, monkeypatch):
    path = tmp_path / "成绩.csv"
    path.write_text("旧的", encoding="utf-8")

    def refuse(src, dst):
        raise PermissionError(13, "in use")

    monkeypatch.setattr(files.os, "replace", refuse)
    with pytest.raises(PermissionError, match="Excel"):
        export_csv(class_results, path, "u01")
    assert path.read_text(encoding="utf-8") == "旧的"
    assert [p.name for p in tmp_path.iterdir()] == ["成绩.csv"]


def test_csv_keeps_formula_like_names_as_text(tmp_path):
    r = graded("20230199", "=HYPERLINK(\"x\")", *CLASS[0][2:])
    rows = read_csv(export_csv([r], tmp_path / "x.csv", "u01"))
    assert rows[1][1] == "'=HYPERLINK(\"x\")"


def test_xlsx_has_both_sheets(tmp_path, class_results):
    openpyxl = pytest.importorskip("openpyxl")
    path = export_xlsx(class_results, tmp_path / "成绩_u01.xlsx", "u01")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["成绩", "统计"]
    sheet = [list(r) for r in book["成绩"].iter_rows(values_only=True)]
    assert sheet[0] == ["学号", "姓名", "文件", "状态", "原因", "u01.e1", "u01.e2", "u01.e3", "总分", "满分", "备注"]
    row = next(r for r in sheet if r[0] == "20230103")
    assert row[:5] == ["20230103", "王五", "班级A/20230103_王五_01.ipynb", "已评分", None]
    assert row[5:10] == [2, 0, 3.5, 5.5, 7]
    assert isinstance(row[0], str)                       # 学号 stays text
    assert len(sheet) == 13
    summary = [list(r) for r in book["统计"].iter_rows(values_only=True)]
    assert summary[0][:7] == ["练习", "题型", "分值", "平均得分", "得分率", "区分度", "未作答人数"]
    e1 = summary[1]
    assert e1[0] == "u01.e1" and e1[1] == "多选题" and e1[2] == 2
    assert e1[4] == pytest.approx(0.5) and e1[5] == pytest.approx(0.6667) and e1[6] == 1
    assert e1[7] == "A、B（2人）；C（1人）；E（1人）"
    figures = {r[0]: r[1] for r in summary[5:] if r and r[0]}
    assert figures["已评分人数"] == 10 and figures["平均分"] == pytest.approx(3.6) and figures["中位数"] == 3.25


def test_xlsx_formula_like_text_is_not_a_formula(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    r = graded("20230199", "=1+1", *CLASS[0][2:])
    path = export_xlsx([r], tmp_path / "x.xlsx", "u01")
    cell = openpyxl.load_workbook(path)["成绩"]["B2"]
    assert cell.value == "=1+1" and cell.data_type == "s"


def test_xlsx_bytes_do_not_depend_on_the_clock(tmp_path, class_results, monkeypatch):
    pytest.importorskip("openpyxl")
    import datetime as real_datetime
    import time

    first = export_xlsx(class_results, tmp_path / "a.xlsx", "u01").read_bytes()

    class Later(real_datetime.datetime):           # zip entries and docProps would carry the time
        @classmethod
        def now(cls, tz=None):
            return real_datetime.datetime(2031, 5, 6, 7, 8, 9, tzinfo=tz)

        @classmethod
        def utcnow(cls):
            return real_datetime.datetime(2031, 5, 6, 7, 8, 9)

    monkeypatch.setattr(real_datetime, "datetime", Later)
    monkeypatch.setattr(time, "time", lambda: 1_937_000_000.0)
    monkeypatch.setattr(time, "localtime", lambda *a: real_localtime(1_937_000_000.0))
    second = export_xlsx(class_results, tmp_path / "b.xlsx", "u01").read_bytes()
    assert first == second


real_localtime = __import__("time").localtime


# --------------------------------------------------------------------------- feedback

def test_feedback_for_a_graded_student(class_results):
    text = feedback_text(class_results[4])              # 孙七
    assert text.startswith("# 作业反馈：孙七（学号20230105，单元u01）")
    assert "**总分：3.5/7**" in text
    for word in ("正确", "不正确", "部分正确", "得分：2/2", "得分：0/1", "得分：1.5/4"):
        assert word in text
    assert "- 你的答案：D" in text
    assert "- 说明：回答不正确。" in text
    assert "- 改进建议：回到教材的首次响应标准。" in text
    assert "- 还可以改进：致歉；给出时限" in text
    # a correct answer needs no advice
    e1 = text.split("## 2.")[0]
    assert "改进建议" not in e1


def test_feedback_status_words():
    text = feedback_text(graded(*CLASS[9]))            # invalid, wrong, partial; no name
    assert text.startswith("# 作业反馈：学号20230110，单元u01")
    assert "格式有误" in text and "不正确" in text and "部分正确" in text
    text = feedback_text(graded(*CLASS[7]))
    assert "尚未作答" in text and "- 你的答案：（未作答）" in text
    text = feedback_text(graded(*CLASS[8]))              # unanswered shown as such, not as "..."
    assert "- 你的答案：（未作答）" in text and "你的答案：..." not in text


def test_feedback_never_shows_a_key(tmp_path, class_results):
    leaky = []                                       # a key leaked by mistake upstream is dropped on load
    for r in class_results:
        data = r.to_json()
        for e in data["exercises"]:
            e.update(key=KEY, expected=KEY, solution=[KEY], correct_answer=KEY)
        data["answer_key"] = KEY
        leaky.append(SubmissionResult.from_json(data))
    class_results = leaky
    texts = [feedback_text(r) for r in class_results]
    assert all(KEY not in t for t in texts)
    paths = write_feedback(class_results, tmp_path / "反馈")
    assert all(KEY not in p.read_text(encoding="utf-8") for p in paths)
    assert KEY not in export_csv(class_results, tmp_path / "x.csv", "u01").read_text(encoding="utf-8-sig")


def test_feedback_quotes_multiline_answers_literally():
    r = graded("20230120", "测试", *CLASS[0][2:4], (1, "partial", "**加粗**\n# 标题", ["致歉"]))
    text = feedback_text(r)
    assert "  > \\*\\*加粗\\*\\*" in text and "  > \\# 标题" in text


def test_feedback_for_a_rejected_file(class_results):
    text = feedback_text(class_results[10])
    assert "已拒收" in text and "原因：文件是空的" in text and "重新提交一个完整的.ipynb文件" in text
    unknown = feedback_text(class_results[11])
    assert unknown.startswith("# 作业反馈：文件`班级A/作业.ipynb`") and "文件名请按" in unknown


def test_write_feedback_files(tmp_path, class_results):
    paths = write_feedback(class_results, tmp_path / "反馈")
    names = [p.name for p in paths]
    assert len(paths) == 12
    assert "反馈_20230101_张三_u01.md" in names and "反馈_20230110_u01.md" in names
    assert "反馈_作业_未知单元.md" in names
    assert (tmp_path / "反馈" / "反馈_20230101_张三_u01.md").read_text(encoding="utf-8") == \
        feedback_text(class_results[0])
    twice = write_feedback(class_results + [change(class_results[11], file="班级B/作业.ipynb")], tmp_path / "x")
    assert "反馈_作业_未知单元_2.md" in [p.name for p in twice]


def test_feedback_names_that_are_one_file_on_windows_are_kept_apart(tmp_path, class_results):
    unknown = class_results[11]                   # unidentified: its file name becomes the feedback's name
    paths = write_feedback([change(unknown, file="班级A/Abc.ipynb", student_id="Abc"),
                            change(unknown, file="班级B/abc.ipynb", student_id="abc"),
                            change(unknown, file="班级C/cafe\u0301.ipynb", student_id="cafe\u0301"),
                            change(unknown, file="班级D/café.ipynb", student_id="café")], tmp_path / "反馈")
    folded = [unicodedata.normalize("NFC", p.name).casefold() for p in paths]
    assert len(set(folded)) == 4, [p.name for p in paths]


# --------------------------------------------------------------------------- statistics

def test_statistics_hand_computed(class_results):
    s = statistics(class_results, "u01")
    assert s["count"] == 10 and s["rejected"] == 1
    assert s["mean"] == pytest.approx(3.6) and s["median"] == pytest.approx(3.25)
    assert s["max_total"] == 7 and s["highest"] == 7 and s["lowest"] == 1
    # totals 7, 6, 5.5, 4, 3.5, 3, 2.5, 2, 1.5, 1 out of 7; 3.5/7 is exactly 50%
    assert list(s["distribution"].values()) == [0, 1, 2, 1, 1, 2, 0, 1, 1, 1]
    assert list(s["distribution"])[0] == "0–10%" and list(s["distribution"])[-1] == "90–100%"
    e1, e2, e3 = (s["exercises"][f"u01.e{i}"] for i in (1, 2, 3))
    assert (e1["difficulty"], e2["difficulty"], e3["difficulty"]) == (pytest.approx(0.5), pytest.approx(0.6),
                                                                      pytest.approx(0.5))
    # top 27% of 10 = 3 students (20230101–03), bottom 3 (20230108–10)
    assert e1["discrimination"] == pytest.approx(1 - 1 / 3)
    assert e2["discrimination"] == pytest.approx(2 / 3 - 1 / 3)
    assert e3["discrimination"] == pytest.approx(0.875 - 0.125)
    assert e1["wrong_answers"] == [("A、B", 2), ("C", 1), ("E", 1)]      # invalid counts, unanswered not
    assert e2["wrong_answers"] == [("A", 1), ("B?", 1), ("C", 1)]        # ties by text, only 3
    assert e3["common_missing"] == [("致歉", 6), ("给出时限", 3), ("称呼", 1)]
    assert (e1["unanswered"], e2["unanswered"], e3["unanswered"]) == (1, 0, 1)
    assert list(s["exercises"]) == ["u01.e1", "u01.e2", "u01.e3"]


def test_discrimination_needs_four_students(class_results):
    s = statistics(class_results[:3], "u01")
    assert s["exercises"]["u01.e1"]["discrimination"] is None
    four = statistics(class_results[:4], "u01")       # groups of 1: 20230101 vs 20230104
    assert four["exercises"]["u01.e1"]["discrimination"] == pytest.approx(1.0)


def test_statistics_of_an_empty_unit(class_results):
    s = statistics(class_results, "u02")
    assert s["count"] == 0 and s["mean"] is None and s["exercises"] == {}
    assert sum(s["distribution"].values()) == 0


def test_statistics_order_does_not_matter(class_results):
    assert statistics(class_results, "u01") == statistics(list(reversed(class_results)), "u01")


# --------------------------------------------------------------------------- report and summary

def test_report_files(tmp_path, class_results):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        paths = write_report(class_results, tmp_path / "统计", "u01")
    assert [p.name for p in paths] == ["统计_u01.md", "分数分布_u01.png"]
    assert not [w for w in caught if "missing from" in str(w.message)]
    assert paths[1].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    text = paths[0].read_text(encoding="utf-8")
    assert "已评分：10份（已拒收1份）" in text and "平均分：3.6" in text and "中位数：3.25" in text
    assert "| 50–60% | 2 |" in text
    assert "| u01.e1 | 多选题 | 2 | 1 | 50% | 0.67（好） | 1 | A、B（2人）；C（1人）；E（1人） |" in text
    assert "| u01.e2 | 单选题 | 1 | 0.6 | 60% | 0.33（一般） |" in text
    assert "最常缺少：致歉（6人）；给出时限（3人）；称呼（1人）" in text
    assert "≥0.4好，0.2–0.4一般，<0.2需要修改题目" in text
    before = [p.read_bytes() for p in paths]
    assert [p.read_bytes() for p in write_report(class_results, tmp_path / "统计", "u01")] == before


def test_report_without_graded_results(tmp_path):
    paths = write_report([rejected("1", "甲", "u03", "a.ipynb", "文件是空的")], tmp_path, "u03")
    assert "没有已评分的作业（已拒收1份）" in paths[0].read_text(encoding="utf-8")
    assert paths[1].exists()


def test_summary_line(class_results):
    assert summary_line(class_results) == "共12份：已评分10份，已拒收2份；u01平均分3.6/7"
    more = class_results + [graded("20230101", "张三", *CLASS[0][2:], unit="u02")]
    assert summary_line(more).endswith("；u01平均分3.6/7，u02平均分7.0/7")
    assert summary_line([]) == "共0份：已评分0份，已拒收0份"


def test_reports_from_the_stored_gradebook_equal_reports_from_memory(tmp_path, class_results):
    """The reports are regenerated from the gradebook: what comes back from SQLite gives the
    same statistics, CSV and feedback as the results that went in."""
    with Gradebook(tmp_path / "g.sqlite") as book:
        for r in class_results:
            book.put(r)
        stored = book.results()
    assert statistics(stored, "u01") == statistics(class_results, "u01")
    assert export_csv(stored, tmp_path / "a.csv", "u01").read_bytes() == \
        export_csv(class_results, tmp_path / "b.csv", "u01").read_bytes()
    assert [feedback_text(r) for r in sorted(stored, key=lambda r: r.file)] == \
        [feedback_text(r) for r in sorted(class_results, key=lambda r: r.file)]
