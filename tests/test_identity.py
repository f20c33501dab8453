"""Whose submission is it: the same rule every time, a roster, nothing merged silently."""
from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from course_lib.grading.identity import Roster, RosterError, identify, read_roster, resolve, student_id_of
from course_lib.grading.results import ExerciseResult, SubmissionResult


@pytest.mark.parametrize("rel,expected", [
    ("班级A/20230101_张三_01.ipynb", "20230101"),
    ("李四_20230102_assignsubmission_file_/01_intro.ipynb", "20230102"),
    ("２０２３０１０３_王五_01.ipynb", "20230103"),                            # full-width digits
    ("赵六_20240004_assignsubmission_file_/20250301_李四_01.ipynb", "20240004"),  # the folder decides
    ("张三_20230101_assignsubmission_file_/01_intro_20251015.ipynb", "20230101"),  # not the date in the name
    ("作业.ipynb", ""),
])
def test_student_id_rule(rel, expected):
    assert student_id_of(rel)[0] == expected


def test_a_conflicting_file_name_is_reported():
    sid, note = student_id_of("赵六_20240004_assignsubmission_file_/20250301_李四_01.ipynb")
    assert sid == "20240004" and "20250301" in note and "按文件夹" in note


@given(st.text(alphabet="0123456789０１２３４５６７８９", min_size=6, max_size=14))
def test_full_width_and_half_width_ids_are_the_same_student(digits):
    half = digits.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    assert student_id_of(f"{digits}_张三_01.ipynb")[0] == half


ROSTER = Roster({"20230101": "张三", "20230102": "李四", "20230103": "王五", "20230104": "王五"})


def test_roster_matching():
    assert identify("20230101_张三_01.ipynb", ROSTER).name == "张三"
    by_name = identify("李四的作业.ipynb", ROSTER)
    assert by_name.student_id == "20230102" and by_name.identified and "按姓名认定" in by_name.notes[0]
    ambiguous = identify("王五.ipynb", ROSTER)                 # two 王五 on the roster
    assert not ambiguous.identified and "20230103、20230104" in ambiguous.notes[-1]
    stranger = identify("20991231_路人_01.ipynb", ROSTER)
    assert not stranger.identified and "不在名单上" in stranger.notes[-1]
    renamed = identify("20230101_李四_01.ipynb", ROSTER)       # the 学号 decides, the name is reported
    assert renamed.name == "张三" and "与名单上" in renamed.notes[0]


def test_read_roster_csv_gbk_xlsx_and_errors(tmp_path):
    csv_path = tmp_path / "名单.csv"
    csv_path.write_bytes("学号,姓名\n20230101,张三\n20230102.0,李四\n".encode("gbk"))
    assert read_roster(csv_path).names == {"20230101": "张三", "20230102": "李四"}
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    book.active.append(["姓名", "学号"])
    book.active.append(["王五", 20230103])
    book.save(tmp_path / "名单.xlsx")
    assert read_roster(tmp_path / "名单.xlsx").names == {"20230103": "王五"}
    (tmp_path / "坏.csv").write_text("名字,号码\n", encoding="utf-8")
    with pytest.raises(RosterError, match="学号"):
        read_roster(tmp_path / "坏.csv")
    (tmp_path / "重复.csv").write_text("学号,姓名\n1234567,甲\n1234567,乙\n", encoding="utf-8")
    with pytest.raises(RosterError, match="重复"):
        read_roster(tmp_path / "重复.csv")
    with pytest.raises(RosterError, match="找不到"):
        read_roster(tmp_path / "没有.csv")


def result(file, sid, total, submitted, unit="u01", identified=True):
    graded = SubmissionResult(file, file, student_id=sid, name="张三", unit=unit, identified=identified,
                              submitted=submitted)
    return graded.with_exercises([ExerciseResult(f"{unit}.e1", "single", 13, total, "correct")], 13)


def test_latest_submission_counts_and_every_other_one_is_listed():
    first = result("a/20230101_张三_01.ipynb", "20230101", 13, "2025-10-15 20:00:00")
    blank = result("b/20230101_张三_01.ipynb", "20230101", 0, "2025-10-15 21:00:00")     # handed in again, empty
    out = resolve([blank, first])
    counted = [r for r in out.counted if r.student_id == "20230101"]
    assert len(counted) == 1 and counted[0].file == blank.file
    assert "共交了2份" in counted[0].notes[-1] and first.file in counted[0].notes[-1]
    assert "得分低" in counted[0].notes[-1]                     # the teacher is warned
    assert len(out.problems) == 1
    chosen = resolve([blank, first], preferred=frozenset({first.file}))
    assert next(r for r in chosen.counted if r.student_id == "20230101").file == first.file


def test_unidentified_files_and_missing_students():
    stranger = result("作业.ipynb", "作业", 5, "2025-10-15 20:00:00", identified=False)
    mine = result("20230101_张三_01.ipynb", "20230101", 13, "2025-10-15 20:00:00")
    out = resolve([stranger, mine], ROSTER)
    assert stranger in out.counted and any("无法确定" in p for p in out.problems)
    assert out.missing["u01"] == [("20230102", "李四"), ("20230103", "王五"), ("20230104", "王五")]


def test_two_students_with_the_same_file_name_are_never_merged():
    a = result("张三_20230101_assignsubmission_file_/01_intro_20251015.ipynb", "20230101", 13, "2025-10-15 20:00:00")
    b = dataclasses.replace(result("李四_20230102_assignsubmission_file_/01_intro_20251015.ipynb", "20230102", 7,
                                   "2025-10-15 20:00:00"), name="李四")
    out = resolve([a, b])
    assert {r.student_id for r in out.counted} == {"20230101", "20230102"} and not out.problems
