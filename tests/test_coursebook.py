"""The course gradebook: three units for a roster of 40 in two classes, with missing, refused,
duplicate and late work, checked against totals worked out by hand and against an independent
computation; the files (CSV bytes, XLSX cell types) and every settings mistake in Chinese."""
from __future__ import annotations

import hashlib
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from course_lib.cli import main as cli
from course_lib.grading.coursebook import build, round_half_up, write
from course_lib.grading.courseconfig import ConfigError, load_config, parse_config
from course_lib.grading.identity import read_roster
from course_lib.grading.late import Deadlines, LateRule, parse_due
from course_lib.grading.results import SubmissionResult
from course_lib.grading.store import Gradebook

SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜戚谢邹喻柏水窦章"
MAX = {"u01": 10, "u02": 8, "u10": 12}
MISSING = {"u01": {9, 18, 27, 36}, "u02": set(), "u10": {13, 26, 39}}


def sid(n: int) -> str:
    return f"00230101{n:02d}"          # leading zeros: 学号 must stay text


def name(n: int) -> str:
    return SURNAMES[n - 1] + "明"


def klass(n: int) -> str:
    return "电商2301" if n <= 20 else "电商2302"


def raw(unit: str, n: int) -> int:
    return {"u01": n * 7 % 11, "u02": n * 3 % 9, "u10": n * 5 % 13}[unit]


def result(unit, n, file, total, submitted, status="graded", reason=""):
    return SubmissionResult(file, hashlib.sha256(file.encode()).hexdigest(), status, sid(n), name(n), unit, reason,
                            total=float(total) if status == "graded" else 0.0,
                            max=float(MAX[unit]) if status == "graded" else 0.0, submitted=submitted)


def u01(n):
    if n in MISSING["u01"]:
        return []
    if n % 5 == 0:       # late, by the Blackboard time in the name; the file time says otherwise
        day = 11 + n // 5 - 1
        return [result("u01", n, f"{klass(n)}/作业_{sid(n)}_attempt_2025-03-{day:02d}-01-59-00_01_intro.ipynb",
                       raw("u01", n), "2025-03-01 00:00:00")]
    when = {3: "2025-03-11 00:05:00", 4: "2025-03-11 00:15:00"}.get(n, "2025-03-10 20:00:00")
    return [result("u01", n, f"{klass(n)}/{sid(n)}_{name(n)}_01.ipynb", raw("u01", n), when)]


def u02(n):
    file = f"{klass(n)}/{sid(n)}_{name(n)}_02.ipynb"
    if n == 17:
        return [result("u02", n, file, 0, "2025-03-20 10:00:00", "rejected", "文件是空的")]
    if n == 6:           # handed in twice: the later (worse) one counts
        return [result("u02", n, f"{klass(n)}/早交/{sid(n)}_{name(n)}_02.ipynb", 8, "2025-03-20 10:00:00"),
                result("u02", n, f"{klass(n)}/晚交/{sid(n)}_{name(n)}_02.ipynb", raw("u02", n), "2025-03-22 10:00:00")]
    return [result("u02", n, file, raw("u02", n), "2025-03-26 10:00:00" if n % 7 == 0 else "2025-03-24 23:00:00")]


def u10(n):
    if n in MISSING["u10"]:
        return []
    if n == 2:           # late by a Chinese time in the name
        return [result("u10", n, f"{klass(n)}/{sid(n)}_{name(n)}_10_2025年5月13日12时30分.ipynb", raw("u10", n),
                       "2025-05-01 00:00:00")]
    return [result("u10", n, f"{klass(n)}/{sid(n)}_{name(n)}_10.ipynb", raw("u10", n),
                   "2025-05-12 12:00:00" if n == 1 else "2025-05-12 11:00:00")]


CONFIG = """
components:
  - {name: 平时成绩, weight: 30, units: [u01, u02]}
  - {name: 实训成绩, weight: 30, units: [u10]}
  - {name: 期末成绩, weight: 40, scores: 期末成绩.csv}
units:
  u01: {due: "2025-03-10 23:59", column: 作业1}
  u02: {due: 2025-03-24}
late: {grace_minutes: 10, per_day: 10, max_deduction: 30, zero_after_days: 7}
decimals: 1
columns:
  - {field: 学号, title: 学生学号}
  - {field: 姓名, title: 学生姓名}
  - {field: 平时成绩, title: 平时}
  - {field: 实训成绩, title: 实训}
  - {field: 期末成绩, title: 期末}
  - {field: 总评, title: 总评成绩}
  - {field: 等级, title: 等级制成绩}
"""


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    base = tmp_path_factory.mktemp("course")
    makers = {"u01": u01, "u02": u02, "u10": u10}
    folders = []
    for unit, make in makers.items():
        folder = base / f"评分结果{unit}"
        with Gradebook(folder / "gradebook.sqlite") as book:
            for n in range(1, 41):
                for r in make(n):
                    book.put(r)
            if unit == "u10":          # u10's due date is only what its grading run remembered
                book.set_meta("deadlines", Deadlines({"u10": parse_due("2025-05-12 12:00", "u10")}, LateRule()).to_json())
        folders.append(folder)
    (base / "名单.csv").write_text("学号,姓名,班级\n" + "".join(f"{sid(n)},{name(n)},{klass(n)}\n" for n in range(1, 41)),
                                   encoding="utf-8-sig")
    (base / "期末成绩.csv").write_text("学号,姓名,成绩\n" + "".join(f"{sid(n)},{name(n)},{40 + n if n < 40 else ''}\n"
                                                               for n in range(1, 41)), encoding="utf-8-sig")
    (base / "总评设置.yaml").write_text(CONFIG, encoding="utf-8")
    config = load_config(base / "总评设置.yaml")
    book = build(config, folders, read_roster(base / "名单.csv"))
    out = base / "总评"
    write(book, out)
    return book, out, folders, base


# Worked out by hand (平时 = mean of u01, u02; 总评 = 0.3 平时 + 0.3 实训 + 0.4 期末, then 四舍五入 to 0.1):
HAND = {
    # u01 7/10 = 70; u02 3/8 = 37.5; u10 5/12 = 41.67 (handed in exactly at the due time: on time); 期末 41
    # 0.3 × 53.75 + 0.3 × 125/3 + 0.4 × 41 = 16.125 + 12.5 + 16.4 = 45.025 → 45.0
    1: ("45.0", "不及格"),
    # u10 10/12 = 83.33, 1 day 30 min late (name) → 2 days → −20 → 63.33; u01 30, u02 75; 期末 42
    # 0.3 × 52.5 + 0.3 × 190/3 + 0.4 × 42 = 15.75 + 19 + 16.8 = 51.55 → 51.6
    2: ("51.6", "不及格"),
    # u01 100, 6 minutes late: within the 10-minute grace; u02 0; u10 2/12 → 0.3 × 50/3 = 5; 期末 43
    # 0.3 × 50 + 5 + 17.2 = 37.2
    3: ("37.2", "不及格"),
    # u01 60, 16 minutes late → 1 day → 50; u02 37.5; u10 7/12 → 0.3 × 175/3 = 17.5; 期末 44
    # 0.3 × 43.75 + 17.5 + 17.6 = 13.125 + 35.1 = 48.225 → 48.2
    4: ("48.2", "不及格"),
    # u01 20, late 1 day by the Blackboard name (the file time 03-01 is ignored) → 10; u02 75; u10 100; 期末 45
    # 0.3 × 42.5 + 30 + 18 = 60.75 → 60.8
    5: ("60.8", "及格"),
    # u02 twice: the later file (0/8) counts, not the earlier 8/8; u01 90; u10 4/12 → 0.3 × 100/3 = 10; 期末 46
    # 0.3 × 45 + 10 + 18.4 = 41.9
    6: ("41.9", "不及格"),
    # u01 缺交 → 0; u02 0/8; u10 6/12 = 50; 期末 49 → 0 + 15 + 19.6 = 34.6
    9: ("34.6", "不及格"),
    # u02 拒收 → 0; u01 90; u10 7/12 → 17.5; 期末 57 → 13.5 + 17.5 + 22.8 = 53.8
    17: ("53.8", "不及格"),
    # u01 30, 7 days late: −30 (the cap) → 0; u02 75, 2 days late → 55; u10 50; 期末 75
    # 0.3 × 27.5 + 15 + 30 = 53.25 → 53.3 (half up; banker's rounding would give 53.2)
    35: ("53.3", "不及格"),
    # u01 8 days late: more than 7 → 0; u02 37.5; u10 5/12 → 12.5; 期末 缺考 → 0
    # 0.3 × 18.75 + 12.5 + 0 = 18.125 → 18.1
    40: ("18.1", "不及格"),
}


def test_hand_computed_totals(course):
    book, *_ = course
    rows = {r.student_id: r for r in book.rows}
    for n, (total, grade) in HAND.items():
        row = rows[sid(n)]
        assert str(round_half_up(row.total, 1)) == total, n
        assert book.config.grade(Fraction(total)) == grade


def expected_total(n: int) -> Decimal:
    """The 总评 of student ``n`` computed again from the raw data, independently of the module."""
    due = {"u01": (2025, 3, 10, 23, 59, 0), "u02": (2025, 3, 24, 23, 59, 59), "u10": (2025, 5, 12, 12, 0, 0)}
    from datetime import datetime

    def unit(u, files):
        if not files or files[-1].status != "graded":
            return Fraction(0)
        r = files[-1]                       # the one handed in last (u02 of student 6)
        when = r.submitted
        if "attempt_" in r.file:
            stamp = r.file.split("attempt_")[1][:19]
            when = stamp[:10] + " " + stamp[11:].replace("-", ":")
        if "年" in r.file:
            when = "2025-05-13 12:30:00"
        late = datetime.fromisoformat(when) - datetime(*due[u])
        seconds = late.total_seconds()
        days = 0 if seconds <= 600 else -(-int(seconds) // 86400)
        percent = Fraction(int(r.total * 100), int(r.max * 100)) * 100
        if days > 7:
            return Fraction(0)
        return max(Fraction(0), percent - min(10 * days, 30))

    a, b, c = unit("u01", u01(n)), unit("u02", u02(n)), unit("u10", u10(n))
    final = 40 + n if n < 40 else 0
    total = Fraction(30, 100) * (a + b) / 2 + Fraction(30, 100) * c + Fraction(40, 100) * final
    exact = Decimal(total.numerator) / Decimal(total.denominator)      # terminating: exact
    return exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def test_all_forty_match_an_independent_computation(course):
    book, *_ = course
    assert len(book.rows) == 40 and book.units == ["u01", "u02", "u10"]
    shown = {r.student_id: round_half_up(r.total, 1) for r in book.rows}
    assert shown == {sid(n): expected_total(n) for n in range(1, 41)}
    grades = [book.config.grade(Fraction(v)) for v in shown.values()]
    assert set(grades) <= {"优秀", "良好", "中等", "及格", "不及格"} and "及格" in grades


def test_missing_late_and_refused_work_is_marked(course):
    book, *_ = course
    rows = {r.student_id: r for r in book.rows}
    assert rows[sid(9)].units["u01"].status == "缺交" and "u01缺交" in rows[sid(9)].notes
    assert rows[sid(17)].units["u02"].status == "拒收" and "u02拒收（文件是空的）" in rows[sid(17)].notes
    five = rows[sid(5)].units["u01"]
    assert five.late.days == 1 and five.source == "文件名中教学平台记录的时间"
    assert "u01迟交1天，扣10分（百分制）" in rows[sid(5)].notes
    assert rows[sid(40)].units["u01"].late.zero and "期末成绩缺考（按0分计）" in rows[sid(40)].notes
    assert rows[sid(1)].units["u10"].late.days == 0                        # exactly on the due time
    problems = "\n".join(book.problems + book.collected.resolution.problems)
    assert f"学号{sid(6)}" in problems and "晚交" in problems and "得分低" in problems


def test_one_table_per_class_with_the_configured_columns(course):
    book, out, *_ = course
    names = sorted(p.name for p in out.iterdir())
    assert names == [".总评清单.json", "总评_电商2301.csv", "总评_电商2301.xlsx", "总评_电商2302.csv", "总评_电商2302.xlsx",
                     "总评明细_电商2301.csv", "总评明细_电商2302.csv", "总评说明.md"]
    data = (out / "总评_电商2301.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    lines = data.decode("utf-8-sig").split("\r\n")
    assert lines[0] == "学生学号,学生姓名,平时,实训,期末,总评成绩,等级制成绩"
    # n = 1: 平时 53.75 → 53.8, 实训 41.67 → 41.7, 期末 41.0, 总评 45.0
    assert lines[1] == "0023010101,赵明,53.8,41.7,41.0,45.0,不及格"
    assert len(lines) == 22 and lines[-1] == ""                           # 20 students, header, final \r\n
    detail = (out / "总评明细_电商2301.csv").read_text(encoding="utf-8-sig").splitlines()
    assert detail[0] == "学号,姓名,班级,作业1,u02 客服职业素养与职业价值观,u10 催付与订单处理,平时成绩,实训成绩,期末成绩,总评,五级制,备注"
    assert detail[9].startswith("0023010109,冯明,电商2301,缺交,0.0,50.0,0.0,50.0,49.0,34.6,不及格,u01缺交")


def test_xlsx_keeps_the_student_id_as_text(course):
    from openpyxl import load_workbook

    _, out, *_ = course
    workbook = load_workbook(out / "总评_电商2302.xlsx")
    assert workbook.sheetnames == ["导入", "明细", "迟交与缺交"]
    sheet = workbook["导入"]
    cell = sheet["A2"]
    assert (cell.value, cell.data_type, cell.number_format) == ("0023010121", "s", "@")
    assert isinstance(sheet["F2"].value, float) and sheet["F2"].number_format == "0.0"
    late = [[c.value for c in row] for row in workbook["迟交与缺交"].iter_rows(min_row=2)]
    assert ["0023010135", name(35)] == late[[r[0] for r in late].index("0023010135")][:2]
    reasons = {(r[0], r[3]): r[4] for r in late}
    assert reasons[("0023010126", "u10")] == "缺交" and reasons[("0023010135", "u02")] == "迟交2天"
    assert reasons[("0023010140", "u01")] == "迟交8天"


def test_the_same_results_give_the_same_bytes(course, tmp_path):
    book, out, folders, base = course
    again = build(load_config(base / "总评设置.yaml"), folders, read_roster(base / "名单.csv"))
    write(again, tmp_path)
    for path in out.iterdir():
        assert (tmp_path / path.name).read_bytes() == path.read_bytes(), path.name


def test_notes_say_where_each_number_comes_from(course):
    _, out, *_ = course
    text = (out / "总评说明.md").read_text(encoding="utf-8")
    assert "平时成绩 30%（单元 u01、u02）" in text and "期末成绩 40%（成绩文件 期末成绩.csv）" in text
    assert "u10 2025-05-12 12:00" in text and "截止后10分钟内不算迟交" in text
    assert "## 电商2301（20人）" in text and "## 电商2302（20人）" in text
    assert "五级制：优秀 ≥ 90，良好 ≥ 80，中等 ≥ 70，及格 ≥ 60，不及格 < 60" in text


@given(st.integers(min_value=0, max_value=10 ** 6), st.sampled_from([1, 2, 4, 5, 8, 10, 20, 25, 40, 100, 1000]),
       st.integers(min_value=0, max_value=2))
def test_round_half_up_agrees_with_decimal(numerator, denominator, decimals):
    value = Fraction(numerator, denominator)
    exact = Decimal(numerator) / Decimal(denominator)
    assert round_half_up(value, decimals) == exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


# ------------------------------------------------------------------------------------ settings mistakes

GOOD = {"components": [{"name": "平时成绩", "weight": 60, "units": ["u01"]}, {"name": "实训成绩", "weight": 40, "units": ["u10"]}]}


@pytest.mark.parametrize("change,words", [
    ({"components": [{"name": "平时成绩", "weight": 50, "units": ["u01"]}]}, "加起来应是100，现在是50"),
    ({"weights": 1}, "不认识的项：weights"),
    ({"components": [{"name": "甲", "weight": 50, "units": ["u01"]}, {"name": "乙", "weight": 50, "units": ["u01"]}]},
     "单元u01同时出现在“甲”和“乙”里"),
    ({"components": [{"name": "甲", "weight": 100, "units": ["第一单元"]}]}, "“第一单元”不是单元编号"),
    ({"components": [{"name": "甲", "weight": 100, "units": ["u01"], "scores": "x.csv"}]}, "二者选一"),
    ({"components": [{"name": "甲", "weight": 100, "scores": "没有.csv"}]}, "找不到"),
    ({"components": [{"name": "总评", "weight": 100, "units": ["u01"]}]}, "与表中固定的列重名"),
    ({"components": [{"name": "甲", "weight": "一百", "units": ["u01"]}]}, "权重 weight 应是0到100之间的数"),
    ({"units": {"u01": {"due": "下周五"}}}, "单元u01的截止时间“下周五”看不懂"),
    ({"units": {"u01": {"deadline": "2025-03-10"}}}, "应写成 {due: 截止时间, column: 列名}"),
    ({"late": {"per_day": -5}}, "late.per_day 应是不小于0的数"),
    ({"late": {"time_source": "name"}}, "time_source 应是 auto 或 file"),
    ({"decimals": 3}, "decimals（保留几位小数）应是0、1或2"),
    ({"grades": [{"name": "及格", "min": 60}, {"name": "优秀", "min": 90}, {"name": "不及格", "min": 0}]}, "从高分档写到低分档"),
    ({"grades": [{"name": "及格", "min": 60}]}, "最后一档的 min 是0"),
    ({"grades": []}, "应是若干档，每档写 name 和 min"),
    ({"grades": [{"name": "优秀", "min": 90}, {"name": "及格"}]}, "第2档应写成 {name: 名称, min: 最低分}"),
    ({"columns": [{"field": "期中成绩", "title": "期中"}]}, "field“期中成绩”不认识"),
    ({"columns": [{"field": "学号", "title": "学号"}, {"field": "姓名", "title": "学号"}]}, "重名的列"),
])
def test_every_settings_mistake_is_one_chinese_sentence(tmp_path, change, words):
    with pytest.raises(ConfigError) as caught:
        parse_config({**GOOD, **change}, tmp_path, "总评设置.yaml")
    message = str(caught.value)
    assert words in message and message.startswith("总评设置 总评设置.yaml") and "\n" not in message


def test_the_shipped_settings_are_valid():
    config = load_config()
    assert [c.units for c in config.components] == [None] and config.due == {} and config.rule == LateRule()


def test_cli_mistakes_are_one_chinese_line_and_exit_2(course, tmp_path, capsys):
    book, out, folders, base = course
    bad = tmp_path / "坏设置.yaml"
    bad.write_text("components: [", encoding="utf-8")
    scores = tmp_path / "期末成绩.csv"
    scores.write_text("学号,成绩\n0023010101,优\n", encoding="utf-8")
    wrong_scores = tmp_path / "期末.yaml"
    wrong_scores.write_text("components: [{name: 期末成绩, weight: 100, scores: 期末成绩.csv}]\n", encoding="utf-8")
    cases = [
        ([str(folders[0]), "--config", str(bad)], "格式有误"),
        ([str(tmp_path / "没有"), "--config", str(base / "总评设置.yaml")], "找不到评分结果文件夹"),
        ([str(tmp_path)], "里没有成绩库 gradebook.sqlite"),
        ([str(folders[0]), "--roster", str(tmp_path / "名单.csv")], "找不到名单文件"),
        ([str(folders[0]), "--due", "u01:明天"], "--due 应写成 单元=截止时间"),
        ([str(folders[0]), "--config", str(wrong_scores)], "第2行：成绩“优”应是0到100之间的数"),
    ]
    for args, words in cases:
        code = cli(["gradebook", *args, "--out", str(tmp_path / "总评")])
        printed = capsys.readouterr()
        line = printed.err.strip()
        assert code == 2 and not printed.out and words in line and "\n" not in line, (args, printed)
    assert cli(["gradebook", *map(str, folders), "--config", str(base / "总评设置.yaml"), "--roster",
                str(base / "名单.csv"), "--out", str(tmp_path / "总评")]) == 0
    assert "总评：40名学生，3个单元" in capsys.readouterr().out
    assert (tmp_path / "总评" / "总评_电商2301.csv").read_bytes() == (out / "总评_电商2301.csv").read_bytes()


def test_without_a_roster_only_students_seen_are_listed(course, tmp_path):
    _, _, folders, base = course
    book = build(load_config(base / "总评设置.yaml"), folders)
    assert len(book.rows) == 40 and any("没有名单" in p for p in book.problems)
    assert {r.klass for r in book.rows} == {""}
    (tmp_path / "总评_模板.xlsx").write_bytes(b"the teacher's own file")
    write(build(load_config(base / "总评设置.yaml"), folders, read_roster(base / "名单.csv")), tmp_path)
    paths = write(book, tmp_path)                                 # the same folder, now without classes
    assert sorted(p.name for p in paths) == ["总评.csv", "总评.xlsx", "总评明细.csv", "总评说明.md"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [".总评清单.json", "总评.csv", "总评.xlsx", "总评_模板.xlsx",
                                                          "总评明细.csv", "总评说明.md"]


def test_without_a_roster_one_row_per_student_id(tmp_path):
    for unit, file in (("u01", "20230101_张三_01.ipynb"), ("u10", "20230101_10.ipynb")):
        with Gradebook(tmp_path / unit / "gradebook.sqlite") as book:
            book.put(SubmissionResult(file, unit, "graded", "20230101", "张三" if unit == "u01" else "", unit, total=1, max=2))
    book = build(load_config(), [tmp_path / "u01", tmp_path / "u10"])
    assert [(r.student_id, r.name) for r in book.rows] == [("20230101", "张三")]
    assert book.units == ["u01", "u10"] and str(round_half_up(book.rows[0].total, 1)) == "50.0"


def test_a_unit_without_any_results_is_reported(course, tmp_path):
    _, _, folders, base = course
    config = parse_config({"components": [{"name": "平时成绩", "weight": 100, "units": ["u01", "u05"]}]}, base, "x")
    book = build(config, folders[:1], read_roster(base / "名单.csv"))
    assert any("单元u05在评分结果中一份作业也没有" in p for p in book.problems)
    assert all(r.units["u05"].status == "缺交" for r in book.rows)


def test_paths_are_relative_to_the_settings_file(tmp_path):
    (tmp_path / "期末.csv").write_text("学号,成绩\n1,1\n", encoding="utf-8")
    config = parse_config({"components": [{"name": "期末成绩", "weight": 100, "scores": "期末.csv"}]}, tmp_path, "x")
    assert config.components[0].scores == Path(tmp_path / "期末.csv")
