"""Make a class's worth of filled-in submissions from the student edition (for tests and benchmarks).

``make_class(edition_notebook, folder, n)`` writes ``n`` copies of a unit's student notebook with
a deterministic mix of right and wrong answers, named like an LMS export
(``<学号>_<姓名>_01.ipynb``), and returns the expected total of each.
"""
from __future__ import annotations

import csv
import json
import random
from pathlib import Path

from course_lib.grading import grader as G
from course_lib.grading.release import build

# unit 01: per exercise, (answer source, is it fully right)
U01_ANSWERS = {
    "u01.e1": [('"ACE"', True), ('"a、c、e"', True), ('"AC"', False), ('"ABCE"', False)],
    "u01.e2": [('"BDCA"', True), ('"B D C A"', True), ('"DBCA"', False)],
    "u01.e3": [('{"1": "C", "2": "E", "3": "D", "4": "A", "5": "B"}', True),
               ('{"1": "B", "2": "E", "3": "D", "4": "A", "5": "C"}', False)],
    "u01.e4": [("13206.2", True), ('"13206"', True), ("11156.2", False)],
    "u01.e5": [('"""亲，您好！欢迎光临数码小铺，我是客服小雅～我们家的蓝牙耳机都是品牌官方授权渠道进货的正品，'
                '支持官网序列号查询，全国联保。请问您平时通勤用还是运动用呢？我帮您推荐～"""', True),
               ('"""在的，是正品。"""', False)],
}
SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华慧巧美"


def fill(nb: dict, answers: dict[str, str]) -> dict:
    """A copy of a student notebook with answer cells set to ``answer_eN = <source>``."""
    nb = json.loads(json.dumps(nb))
    for cell in nb["cells"]:
        course = cell.get("metadata", {}).get("course", {})
        if course.get("role") == "answer" and course["id"] in answers:
            var = "answer_" + course["id"].split(".")[1]
            cell["source"] = f"{var} = {answers[course['id']]}\n"
    return nb


def make_class(edition_notebook: Path, folder: Path, n: int = 40, seed: int = 1) -> dict[str, list[bool]]:
    """Write ``n`` filled copies; returns {学号: [exercise right?]} in exercise order."""
    rng = random.Random(seed)
    nb = json.loads(edition_notebook.read_text(encoding="utf-8"))
    folder.mkdir(parents=True, exist_ok=True)
    expected = {}
    for i in range(n):
        student = f"2024{1000 + i:04d}"
        name = rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.5 else "")
        picks = {eid: rng.choice(options) for eid, options in U01_ANSWERS.items()}
        filled = fill(nb, {eid: src for eid, (src, _) in picks.items()})
        (folder / f"{student}_{name}_01.ipynb").write_text(json.dumps(filled, ensure_ascii=False), encoding="utf-8")
        expected[student] = [ok for _, ok in picks.values()]
    return expected


# ---- a graded class of three for the review desk (tests/test_review.py, tests/browser/test_review.py)

RIGHT = {eid: options[0][0] for eid, options in U01_ANSWERS.items()}
SHORT = '"""在的，是正品。"""'
PARAPHRASE = ('"""您好，这里是数码小铺，我是小雅。耳机是品牌授权渠道进的正品行货，盒子里有序列号，'
              '到品牌官网一查就知道。您平时主要在什么场景用呢？"""')


def three_graded(tmp_path_factory):
    """(submissions, results) of three u01 students, graded once by the real grader."""
    edition, _ = build(tmp_path_factory.mktemp("ed"))
    nb = json.loads((edition / "notebooks" / "01_intro.ipynb").read_text(encoding="utf-8"))
    subs = tmp_path_factory.mktemp("subs")
    for rel, e5 in {"20240001_张三_01.ipynb": RIGHT["u01.e5"], "20240002_李四_01.ipynb": SHORT,
                    "20240003_王五_01.ipynb": PARAPHRASE}.items():
        (subs / rel).write_text(json.dumps(fill(nb, {**RIGHT, "u01.e5": e5}), ensure_ascii=False), encoding="utf-8")
    out = tmp_path_factory.mktemp("results")
    grade(subs, out)
    return subs, out


def grade(subs, out, regrade=None):
    g = G.Grader(out, subs, workers=2, cell_timeout=20, submission_timeout=120, progress=False)
    try:
        return {r.student_id: r for r in g.run(regrade)}
    finally:
        g.book.close()


def csv_row(out, student):
    with open(out / "成绩_u01.csv", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    return dict(zip(rows[0], next(r for r in rows if r[0] == student)))


def xlsx_row(out, student):
    from openpyxl import load_workbook

    sheet = load_workbook(out / "成绩_u01.xlsx", read_only=True).worksheets[0]
    rows = [[("" if v is None else str(v)) for v in row] for row in sheet.iter_rows(values_only=True)]
    header = next(r for r in rows if "学号" in r)
    return dict(zip(header, next(r for r in rows if r and r[0] == student)))


def feedback(out, student):
    return next((out / "反馈").glob(f"反馈_{student}_*.md")).read_text(encoding="utf-8")
