"""Feedback release: one folder or zip per student, safe names for any name, plain 0644 zip
entries, answers only with --show-answers, and re-runs that touch only what they wrote."""
from __future__ import annotations

import stat
import unicodedata
import zipfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from course_lib.cli import main as cli
from course_lib.grading.handback import HandbackError, release, safe_part
from course_lib.grading.reports import answer_keys
from course_lib.grading.results import ExerciseResult, SubmissionResult
from course_lib.grading.store import Gradebook

ODD = {
    "20230101": "张三",
    "20230102": "李\x1b[31m四",             # a control character
    "20230103": "CON",                      # a Windows device name
    "20230104": "../../王五",               # path separators
    "20230105": "欧阳" * 30,                # very long
    "20230106": "",                         # no name at all
}


def result(sid, name, unit="u01", file=None):
    exercises = (ExerciseResult("u01.e1", "multiple", 2, 0, "wrong", "B", "回答不正确。", "再想想"),
                 ExerciseResult("u01.e2", "order", 2, 0, "wrong", "ABCD", "顺序不对。", "按流程排"))
    return SubmissionResult(file or f"{sid}_{unit}.ipynb", sid + unit, "graded", sid, name, unit, exercises=exercises,
                            total=0, max=4, submitted="2025-03-10 20:00:00")


@pytest.fixture
def results(tmp_path):
    folder = tmp_path / "评分结果"
    with Gradebook(folder / "gradebook.sqlite") as book:
        for sid, name in ODD.items():
            book.put(result(sid, name))
        book.put(result("20230101", "张三", "u10"))
        book.put(SubmissionResult.rejected("无名作业.ipynb", "n", "文件是空的", identified=False))
    return folder


def test_one_folder_per_student_without_keys(results, tmp_path):
    out = tmp_path / "发回"
    done = release([results], out)
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [".发放清单.json", "发放说明.md", "20230101_张三", "20230102_李[31m四", "20230103__CON", "20230104__.._王五",
         "20230106", "20230105_" + safe_part("欧阳" * 30)])
    assert sorted(p.name for p in (out / "20230101_张三").iterdir()) == ["反馈_u01.md", "反馈_u10.md"]
    text = "".join(p.read_text(encoding="utf-8") for p in out.rglob("反馈_*.md"))
    keys = answer_keys(["u01"])
    assert "参考答案" not in text and all(f"：{keys[e]}\n" not in text for e in ("u01.e1", "u01.e2"))
    assert done.unmatched == ["无名作业.ipynb"] and "无名作业.ipynb" in (out / "发放说明.md").read_text(encoding="utf-8")
    assert set(done.students) == set(ODD)


def test_answers_only_with_show_answers(results, tmp_path):
    release([results], tmp_path / "发回", show_answers=True)
    text = (tmp_path / "发回" / "20230101_张三" / "反馈_u01.md").read_text(encoding="utf-8")
    keys = answer_keys(["u01"])
    assert f"- 参考答案：{keys['u01.e1']}" in text
    assert "含参考答案" in (tmp_path / "发回" / "发放说明.md").read_text(encoding="utf-8")


def test_zips_hold_plain_files_with_safe_names_and_fixed_bytes(results, tmp_path):
    first = release([results], tmp_path / "a", as_zip=True)
    second = release([results], tmp_path / "b", as_zip=True)
    for sid, path in first.students.items():
        assert path.suffix == ".zip" and path.read_bytes() == second.students[sid].read_bytes()
        with zipfile.ZipFile(path) as zf:
            for info in zf.infolist():
                mode = info.external_attr >> 16
                assert stat.S_ISREG(mode) and stat.S_IMODE(mode) == 0o644
                assert info.date_time == (2025, 1, 1, 0, 0, 0)
                parts = info.filename.split("/")
                assert len(parts) == 2 and parts[0] == path.stem and ".." not in parts and not info.filename.startswith("/")
                assert info.flag_bits & 0x800                       # names are marked UTF-8
            zf.extractall(tmp_path / "解压")
    assert all(p.resolve().is_relative_to((tmp_path / "解压").resolve()) for p in (tmp_path / "解压").rglob("*"))


def test_a_second_release_replaces_only_its_own_files(results, tmp_path):
    out = tmp_path / "发回"
    release([results], out)
    (out / "老师的笔记.txt").write_text("别删", encoding="utf-8")
    release([results], out, as_zip=True)
    assert (out / "老师的笔记.txt").read_text(encoding="utf-8") == "别删"
    assert not (out / "20230101_张三").exists() and (out / "20230101_张三.zip").is_file()


def test_a_folder_with_other_files_is_refused(results, tmp_path, capsys):
    out = tmp_path / "别的"
    out.mkdir()
    (out / "成绩.xlsx").write_bytes(b"x")
    with pytest.raises(HandbackError, match="已经有别的文件"):
        release([results], out)
    assert cli(["feedback", str(results), "--out", str(out)]) == 2
    assert cli(["feedback", str(tmp_path / "没有"), "--out", str(tmp_path / "x")]) == 2
    printed = capsys.readouterr().err.strip().splitlines()         # one Chinese line on stderr each
    assert len(printed) == 2
    assert "已经有别的文件" in printed[0] and "找不到评分结果文件夹" in printed[1]


@given(st.text(max_size=120))
def test_any_text_becomes_a_safe_name(text):
    name = safe_part(text)
    assert name and len(name) <= 40 and name not in (".", "..") and not name.startswith(".")
    assert not any(c in name for c in '\\/:*?"<>|') and not any(unicodedata.category(c) == "Cc" for c in name)
    assert name.split(".")[0].upper() not in {"CON", "PRN", "AUX", "NUL", "COM1", "LPT1"}
    assert Path(name).name == name


def test_students_see_their_own_file_name_not_the_teachers_folder(tmp_path):
    folder = tmp_path / "2025春_评分结果_2025-03-01-08-00"          # a time in the folder's name is not the student's
    with Gradebook(folder / "gradebook.sqlite") as book:
        book.put(SubmissionResult(
            "20230101_张三_01.ipynb", "e", "graded", "20230101", "张三", "u01", total=3, max=4, submitted="2025-03-12 08:00:00"))
        book.put(SubmissionResult.rejected("20230101_张三_10.ipynb", "f", "文件是空的", student_id="20230101", name="张三",
                                           unit="u10"))
        from course_lib.grading.late import Deadlines, parse_due

        book.set_meta("deadlines", Deadlines({"u01": parse_due("2025-03-10", "u01")}).to_json())
    release([folder], tmp_path / "发回")
    text = (tmp_path / "发回" / "20230101_张三" / "反馈_u01.md").read_text(encoding="utf-8")
    assert "提交时间：2025-03-12 08:00（文件修改时间）" in text and "迟交2天" in text and "评分结果" not in text
    text = (tmp_path / "发回" / "20230101_张三" / "反馈_u10.md").read_text(encoding="utf-8")
    assert "- 提交的文件：`20230101_张三_10.ipynb`" in text and "评分结果" not in text
