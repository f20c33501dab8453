"""The batch grader on a folder of real and broken submissions: every file graded or rejected with a reason."""
from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from course_lib.grading import grader as G
from course_lib.grading.release import build

from .classroom import U01_ANSWERS, fill

RIGHT_U01 = {eid: options[0][0] for eid, options in U01_ANSWERS.items()}
RIGHT_U10 = {"u10.e1": '"ACE"', "u10.e2": '{"1": "B", "2": "D", "3": "C", "4": "A"}'}


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
        "坏文件/20240024_写外面_01.ipynb": fill(u01, {**RIGHT_U01,
                                                 "u01.e1": f'"ACE"\nopen(r"{outside.parent / "evil.txt"}", "w").write("x")'}),
        "坏文件/20240025_删外面_01.ipynb": fill(u01, {**RIGHT_U01, "u01.e1": f'"ACE"\nimport os\nos.remove(r"{outside}")'}),
        "坏文件/20240026_读答案_01.ipynb": fill(u01, {**RIGHT_U01, "u01.e1": f'open(r"{G.data_dir() / "exercises" / "u01.yaml"}").read()'}),
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
    assert len(results) == 22
    assert all(r.status == "graded" or r.reason for r in results.values())


def test_right_and_mixed_answers(graded):
    results, *_ = graded
    assert results["20240001"].total == results["20240001"].max == 13.0
    mixed = {e.id: e for e in results["20240002"].exercises}
    assert mixed["u01.e1"].score == 0 and mixed["u01.e2"].score == 2
    assert 0 < mixed["u01.e5"].score < 4 and mixed["u01.e5"].missing
    assert results["20240002"].name == "李四"
    assert results["20240003"].unit == "u10" and results["20240004"].name == "赵六"
    assert results["20240004"].total == 13.0


@pytest.mark.parametrize("student,reason", [
    ("20240010", "文件是空的"), ("20240011", "JSON格式错误"), ("20240012", "格式太旧"),
    ("20240024", "写入作业文件夹以外的文件"), ("20240025", "作业文件夹以外的文件"), ("20240026", "读取答案"),
])
def test_rejections_have_clear_reasons(graded, student, reason):
    results, *_ = graded
    assert results[student].status == "rejected" and reason in results[student].reason


def test_the_sandbox_protected_the_files(graded):
    _, _, _, outside = graded
    assert outside.exists() and not (outside.parent / "evil.txt").exists()


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
    g.grade_one = lambda sub: executed.append(sub.rel) or original(sub)
    again = {r.student_id: r for r in g.run(regrade="20240002")}
    g.book.close()
    assert executed == ["班级A/20240002_李四_01.ipynb"]
    assert again == results
