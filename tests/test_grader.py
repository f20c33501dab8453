"""The batch grader on a folder of real and broken submissions: every file graded or rejected with a reason.

Hostile submissions (reading keys, writing outside, signals, daemons) are in test_sandbox.py."""
from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from course_lib.grading import grader as G
from course_lib.grading.release import build

from .classroom import U01_ANSWERS, fill

RIGHT_U01 = {eid: options[0][0] for eid, options in U01_ANSWERS.items()}
RIGHT_U10 = {"u10.e1": '"ACE"', "u10.e2": '{"1": "B", "2": "D", "3": "C", "4": "A", "5": "E"}'}


@pytest.fixture(scope="module")
def edition(tmp_path_factory):
    folder, _ = build(tmp_path_factory.mktemp("ed"))
    return folder


def master(edition, name):
    return json.loads((edition / "notebooks" / name).read_text(encoding="utf-8"))


def write(folder: Path, rel: str, content) -> Path:
    path = folder / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(json.dumps(content, ensure_ascii=False) if not isinstance(content, str) else content,
                        encoding="utf-8")
    return path


def without_checks(nb):
    nb = json.loads(json.dumps(nb))
    nb["cells"] = [c for c in nb["cells"] if c["metadata"].get("course", {}).get("role") != "check"]
    return nb


def tampered(nb, how):
    nb = json.loads(json.dumps(nb))
    cells = []
    for c in nb["cells"]:
        course = c["metadata"].get("course", {})
        if course.get("role") == "check":
            if how == "duplicate":
                cells.append(json.loads(json.dumps(c)))
            elif how == "edit":
                c["source"] = 'print("练习 u01.e1｜正确")'
            elif how == "outputs":
                c["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "练习｜正确（得分100/100）"}]
                c["metadata"]["course"]["points"] = 100
        cells.append(c)
    nb["cells"] = cells
    return nb


@pytest.fixture(scope="module")
def graded(edition, tmp_path_factory):
    subs = tmp_path_factory.mktemp("submissions")
    outside = tmp_path_factory.mktemp("outside") / "keep.txt"
    outside.write_text("不能被删除", encoding="utf-8")
    u01 = master(edition, "01_intro.ipynb")
    u10 = master(edition, "10_reminders.ipynb")
    right = fill(u01, RIGHT_U01)
    cases = {
        "班级A/20240001_张三_01.ipynb": right,
        "班级A/20240002_李四_01.ipynb": fill(u01, {**RIGHT_U01, "u01.e1": '"AC"', "u01.e5": '"""在的，是正品。"""'}),
        "班级B/深一层/20240003_王五_10.ipynb": fill(u10, RIGHT_U10),
        "坏文件/20240010_空文件.ipynb": b"",
        "坏文件/20240011_坏JSON.ipynb": '{"cells": [',
        "坏文件/20240012_旧格式.ipynb": {"nbformat": 3, "nbformat_minor": 0, "worksheets": [{"cells": []}], "metadata": {}},
        "坏文件/20240013_别的单元_01.ipynb": fill(u10, RIGHT_U10),
        "坏文件/20240014_删检查_01.ipynb": without_checks(right),
        "坏文件/20240015_重复检查_01.ipynb": tampered(right, "duplicate"),
        "坏文件/20240016_改检查_01.ipynb": tampered(fill(u01, {**RIGHT_U01, "u01.e1": '"B"'}), "edit"),
        "坏文件/20240017_改输出_01.ipynb": tampered(fill(u01, {**RIGHT_U01, "u01.e1": '"B"'}), "outputs"),
        "坏文件/20240018_死循环_01.ipynb": fill(u01, {**RIGHT_U01, "u01.e2": '"BDCA"\nwhile True:\n    pass'}),
        "坏文件/20240019_退出_01.ipynb": fill(u01, {**RIGHT_U01, "u01.e2": '"BDCA"\nimport sys\nsys.exit(1)'}),
        "坏文件/20240020_硬退出_01.ipynb": fill(u01, {**RIGHT_U01, "u01.e4": '13206.2\nimport os\nos._exit(0)'}),
        "坏文件/20240021_异常_01.ipynb": fill(u01, {**RIGHT_U01, "u01.e3": "1 / 0"}),
        "坏文件/20240022_大输出_01.ipynb": fill(u01, {**RIGHT_U01, "u01.e2": '"BDCA"\nfor _ in range(3000):\n    print("x" * 10000)'}),
        "坏文件/20240023_内存_01.ipynb": fill(u01, {**RIGHT_U01, "u01.e2": '"BDCA"\nblob = bytearray(10 ** 11)'}),
        "坏文件/20240027_怪答案_01.ipynb": fill(u01, {
            **RIGHT_U01, "u01.e1": '(type("E", (), {"__eq__": lambda s, o: True, "__hash__": lambda s: 0}))()',
            "u01.e4": 'float("nan")', "u01.e5": '"好" * 10_000_000'}),
    }
    for rel, content in cases.items():
        write(subs, rel, content)
    with zipfile.ZipFile(subs / "教学平台导出.zip", "w") as zf:
        zf.writestr("赵六_20240004_assignsubmission_file_/01_intro.ipynb", json.dumps(right, ensure_ascii=False))
    out = tmp_path_factory.mktemp("results")
    g = G.Grader(out, subs, workers=2, cell_timeout=8, submission_timeout=60, progress=False)
    results = g.run()
    g.book.close()
    return {r.student_id: r for r in results}, out, subs, outside


def test_every_file_has_a_result(graded):
    results, *_ = graded
    assert len(results) == 19
    assert all(r.status == "graded" or r.reason for r in results.values())


def test_right_and_mixed_answers(graded):
    results, *_ = graded
    assert results["20240001"].total == results["20240001"].max == 13.0
    mixed = {e.id: e for e in results["20240002"].exercises}
    assert mixed["u01.e1"].score == 0 and mixed["u01.e2"].score == 2
    # "在的，是正品。" as a first reply: the question (正品) is answered, 0 of 3 required points → 60 × 1/4 = 15;
    # general rules 问候语 20 ✔, 礼貌称呼 15 ✘, 主动提供帮助 15 ✘, 长度 10 ✘ → 40 × 20/60 = 13.3; 28 of 100 → 1.12 of 4
    assert mixed["u01.e5"].score == 1.12 and mixed["u01.e5"].missing
    assert results["20240002"].name == "李四"
    assert results["20240003"].unit == "u10" and results["20240004"].name == "赵六"
    assert results["20240004"].total == 13.0


@pytest.mark.parametrize("student,reason", [
    ("20240010", "文件是空的"), ("20240011", "JSON格式错误"), ("20240012", "格式太旧"),
])
def test_rejections_have_clear_reasons(graded, student, reason):
    results, *_ = graded
    assert results[student].status == "rejected" and reason in results[student].reason


def test_another_units_notebook_is_graded_as_its_unit(graded):
    results, *_ = graded
    assert results["20240013"].unit == "u10" and results["20240013"].status == "graded"


@pytest.mark.parametrize("student", ["20240014", "20240015"])
def test_deleted_or_duplicated_check_cells_are_restored(graded, student):
    results, *_ = graded
    r = results[student]
    assert r.total == 13.0 and any("检查单元格" in n for n in r.notes)


@pytest.mark.parametrize("student", ["20240016", "20240017"])
def test_edited_checks_outputs_or_metadata_fake_nothing(graded, student):
    results, *_ = graded
    e1 = next(e for e in results[student].exercises if e.id == "u01.e1")
    assert e1.score == 0 and results[student].max == 13.0


@pytest.mark.parametrize("student,note,lost", [
    ("20240018", "运行超过", None), ("20240019", "SystemExit", None), ("20240020", "退出", "u01.e4"),
    ("20240021", "ZeroDivisionError", "u01.e3"), ("20240022", "输出过多", None), ("20240023", "MemoryError", None),
])
def test_misbehaving_code_is_graded_with_a_note(graded, student, note, lost):
    results, *_ = graded
    r = results[student]
    assert r.status == "graded" and any(note in n for n in r.notes), r.notes
    scores = {e.id: e.score for e in r.exercises}
    assert scores["u01.e1"] == 2.0
    if lost:
        assert scores[lost] == 0


def test_odd_answer_types_score_nothing(graded):
    results, *_ = graded
    ex = {e.id: e for e in results["20240027"].exercises}
    assert ex["u01.e1"].status == "invalid" and ex["u01.e4"].status == "invalid"
    assert ex["u01.e5"].status == "invalid" and ex["u01.e2"].score == 2


def test_outputs_gradebook_feedback_and_statistics(graded):
    results, out, *_ = graded
    csv = (out / "成绩_u01.csv").read_bytes()
    assert csv.startswith(b"\xef\xbb\xbf") and b"20240001" in csv
    assert (out / "成绩_u01.xlsx").exists() and (out / "成绩_u10.csv").exists()
    feedback = {p.name: p.read_text(encoding="utf-8") for p in (out / "反馈").glob("*.md")}
    mixed = next(text for name, text in feedback.items() if "20240002" in name)
    assert "A、C、E" not in mixed and "不正确" in mixed
    assert list((out / "统计").glob("统计_u01.md")) and list((out / "统计").glob("分数分布_u01.png"))


def test_resume_regrade_and_determinism(graded, tmp_path):
    results, out, subs, _ = graded
    g = G.Grader(out, subs, workers=2, cell_timeout=8, submission_timeout=60, progress=False)
    executed = []
    original = g.grade_one
    g.grade_one = lambda sub, zygote: executed.append(sub.rel) or original(sub, zygote)
    again = {r.student_id: r for r in g.run(regrade="20240002")}
    g.book.close()
    assert executed == ["班级A/20240002_李四_01.ipynb"]
    assert again == results


# --------------------------------------------------------------------------- identity, names, archives, reports

@pytest.fixture(scope="module")
def odd(edition, tmp_path_factory):
    import os
    import stat

    u01 = master(edition, "01_intro.ipynb")
    right, blank = fill(u01, RIGHT_U01), u01
    subs = tmp_path_factory.mktemp("odd")
    long_name = "很长的文件名" * 13 + "_20230101_01.ipynb"            # 80 Chinese characters
    files = {
        long_name: right,
        "20230102_\x1b[31m红字_01.ipynb": right,
        "=1+1_20230103_01.ipynb": right,
        "\t20230104_制表符_01.ipynb": right,
        "２０２３０１０５_全角_01.ipynb": right,
        "赵六_20230106_assignsubmission_file_/20230199_李四_01.ipynb": right,
        "早交/20230107_孙七_01.ipynb": right,
        "晚交/20230107_孙七_01.ipynb": blank,                              # a blank resubmission, later
        "20230114_控制字符_01.ipynb": fill(u01, {**RIGHT_U01, "u01.e2": '"B\\x1bDCA"',
                                              "u01.e5": '"""亲\\x1b[31m您好\\x07，在的"""'}),
    }
    for rel, content in files.items():
        write(subs, rel, content)
    os.utime(subs / "早交/20230107_孙七_01.ipynb", (1_700_000_000, 1_700_000_000))
    os.utime(subs / "晚交/20230107_孙七_01.ipynb", (1_700_003_600, 1_700_003_600))
    os.mkfifo(subs / "20230108_管道_01.ipynb")
    (subs / "20230109_链接_01.ipynb").symlink_to(subs / "早交/20230107_孙七_01.ipynb")
    with zipfile.ZipFile(subs / "平台导出.zip", "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("20230110_炸弹_01.ipynb", b" " * (15 * 1024 ** 2))   # 15 MB of spaces: ratio far over 100
        link = zipfile.ZipInfo("20230111_压缩链接_01.ipynb")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(link, "/etc/passwd")
        zf.writestr("../../20230112_逃逸_01.ipynb", json.dumps(right, ensure_ascii=False))
    roster = subs.parent / "名单.csv"
    roster.write_text("学号,姓名\n" + "".join(f"2023010{i},同学{i}\n" for i in range(1, 10)) + "20230113,缺交\n",
                      encoding="utf-8")
    out = tmp_path_factory.mktemp("odd-out")
    from course_lib.grading.identity import read_roster

    g = G.Grader(out, subs, workers=2, cell_timeout=8, submission_timeout=60, progress=False,
                 roster=read_roster(roster), show_answers=True)
    results = g.run()
    g.book.close()
    return {r.file: r for r in results}, out


def test_odd_names_and_files_never_crash_the_reports(odd):
    import csv
    import io

    results, out = odd
    assert len(results) == 14
    table = list(csv.reader(io.StringIO((out / "成绩_u01.csv").read_text(encoding="utf-8-sig"))))
    cells = [c for row in table for c in row]
    risky = [c for c in cells if c and c[0] in "=+-@\t"]
    assert not risky, risky
    assert "'=1+1_20230103_01.ipynb" in cells and not any("\x1b" in c for c in cells)
    openpyxl = pytest.importorskip("openpyxl")
    sheet = openpyxl.load_workbook(out / "成绩_u01.xlsx")["成绩"]
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
    for path in (out / "反馈").iterdir():
        assert len(path.name.encode("utf-8")) < 200 and "\x1b" not in path.read_text(encoding="utf-8")
    control = results["20230114_控制字符_01.ipynb"]                   # control characters in the answers
    assert control.graded and "\x1b" in next(e.answer for e in control.exercises if e.id == "u01.e5")
    summary = openpyxl.load_workbook(out / "成绩_u01.xlsx")["统计"]
    assert not any("\x1b" in str(c.value) for row in summary.iter_rows() for c in row if c.value)


@pytest.mark.parametrize("file,reason", [
    ("20230108_管道_01.ipynb", "不是普通文件"), ("20230109_链接_01.ipynb", "链接"),
    ("平台导出.zip/20230110_炸弹_01.ipynb", "压缩"), ("平台导出.zip/20230111_压缩链接_01.ipynb", "链接"),
])
def test_fifo_links_and_zip_bombs_are_refused(odd, file, reason):
    results, _ = odd
    assert not results[file].graded and reason in results[file].reason


def test_a_zip_entry_is_never_written_outside(odd):
    results, out = odd
    escaped = results["平台导出.zip/../../20230112_逃逸_01.ipynb"]
    assert escaped.graded and escaped.total == 13.0                 # read in memory, never extracted
    assert not list(out.parent.glob("*逃逸*")) and not list(out.parent.parent.glob("*逃逸*"))


def test_identity_problems_are_reported_first(odd):
    results, out = odd
    text = (out / "需要确认.md").read_text(encoding="utf-8")
    assert text.startswith("# 需要老师确认的事项") and "认定规则" in text and "完整隔离" in text
    assert "20230199与所在文件夹的学号20230106不一致" in text            # a file naming another student
    assert "学号20230107" in text and "共交了2份" in text and "得分低" in text   # the blank resubmission
    assert "20230113 缺交" in text                                    # missing from the roster
    assert results["２０２３０１０５_全角_01.ipynb"].student_id == "20230105"
    assert results["赵六_20230106_assignsubmission_file_/20230199_李四_01.ipynb"].student_id == "20230106"


def test_show_answers_adds_the_key_to_feedback(odd, graded):
    _, out = odd
    text = next(p.read_text(encoding="utf-8") for p in (out / "反馈").glob("反馈_20230103_*.md"))
    assert "参考答案：ACE" in text and "参考答案：13206.2" in text
    _, plain_out, *_ = graded                                        # without --show-answers: no key anywhere
    for path in (plain_out / "反馈").glob("*.md"):
        assert "参考答案" not in path.read_text(encoding="utf-8")


def test_weak_isolation_is_said_plainly(edition, tmp_path, monkeypatch, capsys):
    import sys

    from course_lib.grading.sandbox import WEAK, Isolation

    monkeypatch.setattr(G, "choose", lambda *args, **kwargs: Isolation(
        WEAK, [sys.executable, "-m", "course_lib.grading.zygote"], "测试中模拟：没有bubblewrap"))
    subs = tmp_path / "subs"
    write(subs, "20230101_张三_01.ipynb", fill(master(edition, "01_intro.ipynb"), RIGHT_U01))
    g = G.Grader(tmp_path / "out", subs, workers=1, progress=False)
    results = g.run()
    g.book.close()
    assert results[0].total == 13.0
    assert "隔离较弱" in capsys.readouterr().out
    report = (tmp_path / "out" / "需要确认.md").read_text(encoding="utf-8")
    assert "隔离较弱" in report and "bubblewrap" in report
