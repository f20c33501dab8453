"""Late work: submission times from LMS names or file times (Beijing time), due dates, the
penalty rule, and where it shows (feedback, 成绩表, 需要确认.md) — then a real grading run with
``--due`` that resumes without regrading and feeds the course gradebook and the feedback release."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import zipfile
from datetime import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from course_lib.cli import main as cli
from course_lib.grading.feedback import feedback_text
from course_lib.grading.identity import resolve, student_id_of
from course_lib.grading.late import Deadlines, LateError, LateRule, beijing, lateness, parse_due, time_in_name
from course_lib.grading.reports import check_first_text, submission_time
from course_lib.grading.results import SubmissionResult
from course_lib.grading.tables import gradebook_table

from .classroom import U01_ANSWERS, fill
from .test_cli import CONSOLES, console_env, course


@pytest.mark.parametrize("rel,expected", [
    ("作业1_20230101_attempt_2025-03-10-23-59-12_01_intro.ipynb", "2025-03-10 23:59:12"),   # Blackboard
    ("20230101_张三_2025-03-10_23-59.ipynb", "2025-03-10 23:59:00"),
    ("20230101 张三 2025-03-10 23.59.08.ipynb", "2025-03-10 23:59:08"),
    ("20230101_2025-03-10T08-05-00.ipynb", "2025-03-10 08:05:00"),
    ("20230101_2025_03_10_23_59.ipynb", "2025-03-10 23:59:00"),
    ("20230101_张三_2025年3月10日23时59分.ipynb", "2025-03-10 23:59:00"),
    ("20230101_张三_２０２５年３月１０日 ９点５分８秒.ipynb", "2025-03-10 09:05:08"),       # full-width
    ("提交于2025-03-11-08-00/20230101_张三_01.ipynb", "2025-03-11 08:00:00"),           # from the folder
    ("2025-01-01-00-00/20230101_2025-03-11-08-00.ipynb", "2025-03-11 08:00:00"),       # the file name first
    ("20230101_张三_01.ipynb", None),
    ("20230101_张三_2025-03-10.ipynb", None),                 # a date alone is not a time
    ("20250310235912_张三.ipynb", None),                      # no separators: that is a 学号-like number
    ("20230101_2025-02-30-10-00.ipynb", None),                # no 30 February
    ("20230101_2025-03-10-25-00.ipynb", None),
])
def test_times_in_names(rel, expected):
    assert time_in_name(rel) == expected


def test_a_time_in_a_name_never_changes_the_student_id():
    assert student_id_of("作业1_20230101_attempt_2025-03-10-23-59-12_01_intro.ipynb")[0] == "20230101"
    assert student_id_of("20230101_张三_2025年3月10日23时59分.ipynb")[0] == "20230101"


@given(st.text(max_size=80))
def test_any_name_gives_a_valid_time_or_none(name):
    found = time_in_name(name + ".ipynb")
    assert found is None or datetime.strptime(found, "%Y-%m-%d %H:%M:%S")


def test_file_times_are_beijing_time_whatever_the_machine_zone(monkeypatch):
    if not hasattr(time, "tzset"):
        pytest.skip("time.tzset 只在 Unix 上有")
    seen = set()
    for zone in ("UTC", "America/New_York", "Asia/Shanghai"):
        monkeypatch.setenv("TZ", zone)
        time.tzset()
        seen.add(beijing(1_741_622_340))       # 2025-03-10 15:59:00 UTC
    monkeypatch.delenv("TZ")
    time.tzset()
    assert seen == {"2025-03-10 23:59:00"}


DUE = datetime(2025, 3, 10, 23, 59)


@pytest.mark.parametrize("submitted,rule,days,deduction,zero", [
    ("2025-03-10 23:59:00", LateRule(), 0, 0, False),                         # exactly at the due time
    ("2025-03-10 23:59:01", LateRule(), 1, 10, False),                        # one second late: a started day
    ("2025-03-11 00:08:00", LateRule(grace_minutes=10), 0, 0, False),         # within the grace
    ("2025-03-11 00:10:01", LateRule(grace_minutes=10), 1, 10, False),
    ("2025-03-11 23:59:00", LateRule(), 1, 10, False),                        # exactly one day
    ("2025-03-11 23:59:01", LateRule(), 2, 20, False),
    ("2025-03-20 12:00:00", LateRule(), 10, 30, False),                       # the cap
    ("2025-03-13 12:00:00", LateRule(per_day=5, max_deduction=100), 3, 15, False),
    ("2025-03-17 23:59:00", LateRule(zero_after_days=7), 7, 30, False),
    ("2025-03-18 00:00:00", LateRule(zero_after_days=7), 8, 100, True),
])
def test_the_penalty_rule(submitted, rule, days, deduction, zero):
    late = lateness(datetime.fromisoformat(submitted), DUE, rule)
    assert (late.days, late.deduction, late.zero) == (days, deduction, zero)


def test_a_penalty_never_goes_below_zero_and_unknown_times_are_on_time():
    late = lateness(datetime(2025, 3, 12), DUE, LateRule())
    assert late.apply(15) == 0 and late.apply(85) == 65
    assert lateness(None, DUE, LateRule()).days == 0


@pytest.mark.parametrize("raw,words", [
    ({"per_day": "十"}, "late.per_day 应是不小于0的数"),
    ({"grace_minutes": 2.5}, "late.grace_minutes 应是不小于0的整数"),
    ({"perday": 10}, "不认识的项：perday"),
    ("每天10分", "应是若干“名称: 值”"),
])
def test_rule_mistakes_in_chinese(raw, words):
    with pytest.raises(LateError, match=words):
        LateRule.from_yaml(raw)


def test_deadlines_are_kept_as_json():
    deadlines = Deadlines({"u01": parse_due("2025-03-10 23:59", "u01")}, LateRule(grace_minutes=5, zero_after_days=3))
    assert Deadlines.from_json(deadlines.to_json()) == deadlines
    assert Deadlines.from_json("") is None


def graded(file, submitted, total=6.0, sid="20230101", name="张三"):
    return SubmissionResult(file, "x" + file, "graded", sid, name, "u01", total=total, max=12.0, submitted=submitted)


def test_late_work_in_feedback_table_and_check_first():
    deadlines = Deadlines({"u01": DUE})
    late = graded("作业_20230101_attempt_2025-03-12-08-00-00_01.ipynb", "2025-03-01 00:00:00")
    text = feedback_text(late, deadlines=deadlines)
    assert "- 提交时间：2025-03-12 08:00（文件名中教学平台记录的时间）" in text
    assert "- 截止时间：2025-03-10 23:59（北京时间）" in text and "迟交2天，扣20分（百分制）" in text
    assert "本单元计入成绩：50 → 30" in text                    # 6/12 = 50, minus 20
    on_time = graded("20230102_李四_01.ipynb", "2025-03-10 20:00:00", sid="20230102", name="李四")
    assert "迟交" not in feedback_text(on_time, deadlines=deadlines)
    assert "提交时间" not in feedback_text(on_time)            # no due date: nothing about time
    header, rows = gradebook_table([late, on_time], "u01", deadlines=deadlines)
    assert header[-5:] == ["提交时间", "迟交天数", "迟交扣分", "计入成绩（百分制）", "备注"]
    assert rows[0][-5:-1] == ["2025-03-12 08:00", 2, 20, 30.0] and rows[1][-5:-1] == ["2025-03-10 20:00", 0, 0, 50.0]
    assert "提交时间" not in gradebook_table([late], "u01")[0]
    unknown = SubmissionResult.rejected("无名.ipynb", "u", "无法识别是哪个单元的作业", submitted="2025-03-11 09:00:00")
    assert gradebook_table([late, unknown], "u01", deadlines=deadlines)[1][-1][-5:-1] == ["2025-03-11 09:00", None, None, None]
    resolution = resolve([late, on_time], None, frozenset(), submission_time(deadlines))
    first = check_first_text(resolution, "", [late, on_time], deadlines)
    assert "截止时间（北京时间）：u01 2025-03-10 23:59" in first
    assert "## 迟交（1项）" in first and "学号20230101 张三：2025-03-12 08:00提交（文件名中教学平台记录的时间）" in first


def test_the_platform_time_decides_which_of_two_files_counts():
    # copied files: the file times say the first is newer, the platform's times say the second is
    first = graded("平台/作业_20230101_attempt_2025-03-10-08-00-00_a.ipynb", "2025-04-01 10:00:00", total=12)
    second = graded("平台/作业_20230101_attempt_2025-03-10-09-00-00_b.ipynb", "2025-04-01 09:00:00", total=3)
    counted = resolve([first, second], when=submission_time(Deadlines())).counted
    assert [r.file for r in counted] == [second.file] and "提交时间最新" in counted[0].notes[-1]
    by_file_time = resolve([first, second], when=submission_time(Deadlines(rule=LateRule(time_source="file"))))
    assert [r.file for r in by_file_time.counted] == [first.file]


# ------------------------------------------------------------------------ a real grading run, end to end

@pytest.fixture(scope="module")
def late_class(tmp_path_factory):
    from course_lib.grading.release import build

    edition, _ = build(tmp_path_factory.mktemp("edition"))
    u01 = json.loads((edition / "notebooks" / "01_intro.ipynb").read_text(encoding="utf-8"))
    right = fill(u01, {eid: options[0][0] for eid, options in U01_ANSWERS.items()})
    subs = tmp_path_factory.mktemp("作业")
    files = {"20240001_张三_01.ipynb": "2025-03-10 20:00", "20240002_李四_01.ipynb": "2025-03-12 09:00",
             "作业_20240003_attempt_2025-03-11-10-00-00_01.ipynb": "2025-03-09 12:00"}
    for name, when in files.items():
        path = subs / name
        path.write_text(json.dumps(right, ensure_ascii=False), encoding="utf-8")
        moment = datetime.fromisoformat(when + ":00+08:00").timestamp()
        os.utime(path, (moment, moment))
    out = tmp_path_factory.mktemp("评分结果")
    assert cli(["grade", str(subs), "--out", str(out), "--workers", "2", "--due", "u01=2025-03-10 23:59"]) == 0
    return subs, out


def test_the_grader_applies_the_due_date(late_class):
    _, out = late_class
    feedback = {p.name: p.read_text(encoding="utf-8") for p in (out / "反馈").iterdir()}
    assert "按时提交" not in feedback["反馈_20240001_张三_u01.md"] and "迟交" not in feedback["反馈_20240001_张三_u01.md"]
    assert "迟交2天，扣20分" in feedback["反馈_20240002_李四_u01.md"]                      # by the file time
    third = next(t for n, t in feedback.items() if "20240003" in n)
    assert "迟交1天，扣10分" in third and "文件名中教学平台记录的时间" in third          # by the platform's name
    table = (out / "成绩_u01.csv").read_text(encoding="utf-8-sig").splitlines()
    assert "提交时间,迟交天数,迟交扣分,计入成绩（百分制）" in table[0]
    assert ",2025-03-12 09:00,2,20,80," in table[2]
    assert "## 迟交（2项）" in (out / "需要确认.md").read_text(encoding="utf-8")


def test_a_second_run_remembers_the_due_date_and_grades_nothing_again(late_class):
    subs, out = late_class
    before = {p: p.read_bytes() for p in out.rglob("*") if p.suffix in (".csv", ".md")}
    from course_lib.grading import grader as G

    g = G.Grader(out, subs, workers=1, progress=False)
    executed = []
    g.grade_one = lambda sub, zygote: executed.append(sub.rel)
    g.run()
    g.book.close()
    assert executed == []
    assert {p: p.read_bytes() for p in before} == before


def test_gradebook_and_feedback_release_from_the_run(late_class, tmp_path, capsys):
    subs, out = late_class
    roster = tmp_path / "名单.csv"
    roster.write_text("学号,姓名\n20240001,张三\n20240002,李四\n20240003,王五\n20240004,赵六\n", encoding="utf-8")
    assert cli(["gradebook", str(out), "--roster", str(roster), "--out", str(tmp_path / "总评")]) == 0
    rows = (tmp_path / "总评" / "总评明细.csv").read_text(encoding="utf-8-sig").splitlines()
    assert rows[1].startswith("20240001,张三,,100.0,100.0,100.0,优秀")
    assert rows[2].startswith("20240002,李四,,80.0,80.0,80.0,良好,u01迟交2天")
    assert rows[3].startswith("20240003,王五,,90.0,90.0,90.0,优秀,u01迟交1天")
    assert rows[4].startswith("20240004,赵六,,缺交,0.0,0.0,不及格,u01缺交")
    assert cli(["feedback", str(out), "--roster", str(roster), "--out", str(tmp_path / "发回"), "--zip"]) == 0
    with zipfile.ZipFile(tmp_path / "发回" / "20240002_李四.zip") as zf:
        assert zf.namelist() == ["20240002_李四/反馈_u01.md"]
        assert "迟交2天" in zf.read("20240002_李四/反馈_u01.md").decode("utf-8")
    capsys.readouterr()


@pytest.mark.parametrize("console", CONSOLES)
def test_the_class_commands_on_any_console(console, late_class, tmp_path):
    """gradebook, feedback, release --git and link print their Chinese line on a GBK console (Chinese
    Windows) and in a C locale, and a mistake is one Chinese line on stderr there too."""
    _, out = late_class
    roster = tmp_path / "名单.csv"
    roster.write_text("学号,姓名\n20240001,张三\n20240002,李四\n20240003,王五\n20240004,赵六\n", encoding="utf-8")
    said = course(console, "gradebook", str(out), "--roster", str(roster), "--out", str(tmp_path / "总评"))
    assert said.startswith("总评：4名学生，1个单元") and (tmp_path / "总评" / "总评明细.csv").is_file()
    said = course(console, "feedback", str(out), "--roster", str(roster), "--out", str(tmp_path / "反馈"))
    assert said.startswith("反馈发放：3名学生") and (tmp_path / "反馈" / "20240002_李四" / "反馈_u01.md").is_file()
    said = course(console, "release", "--git", str(tmp_path / "学生版仓库"), "--message", "第一次发布")
    assert said.startswith("学生版仓库") and "提交" in said
    said = course(console, "link", "--hub", "https://jupyter.xx.edu.cn", "--repo", "https://git.xx.edu.cn/王老师/学生版.git")
    assert said.startswith("https://jupyter.xx.edu.cn/hub/user-redirect/git-pull?repo=") and said.count("\n") == 1
    mistake = subprocess.run([sys.executable, "-m", "course_lib", "gradebook", str(tmp_path / "没有这个文件夹")],
                             capture_output=True, env=console_env(console), timeout=300)
    err = mistake.stderr.decode(CONSOLES[console][1])
    assert mistake.returncode == 2 and not mistake.stdout and err.count("\n") == 1
    assert "找不到评分结果文件夹" in err and "没有这个文件夹" in err
