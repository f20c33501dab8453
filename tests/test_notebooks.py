"""Notebook checks: skeleton, exercise cells and keys, clean stored outputs, grade mode under nbval-lax."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from course_lib.content.banks import load_bank, load_exercises

REPO = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((REPO / "notebooks").glob("[0-9][0-9]_*.ipynb"))
UNITS = [p for p in NOTEBOOKS if not p.name.startswith("00")]
CHECK = re.compile(r'^check\("(u\d\d\.e\d+)", (answer_e\d+)\)$')
TRADITIONAL = set("網務與讓說這個們對發會來時為從還後裡過麼嗎動點問題應當經實現開關買賣貨錢號單總態質處專業歡謝請價"
                  "銷購評論戶員線話語該給長門東車電腦體數據圖產萬億際區華書學習課練讀寫聽見覺親愛歷參驗證")
MACHINE = re.compile(r"(/root/|/home/\w+|/tmp/|/work/|site-packages|0x[0-9a-f]{8,}|[A-Z]:\\\\)")


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def source(cell) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def course(cell) -> dict:
    return cell.get("metadata", {}).get("course", {})


def unit_of(path: Path) -> str:
    return "u" + path.name[:2]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_first_code_cell_is_locked_setup(path):
    first = next(c for c in load(path)["cells"] if c["cell_type"] == "code")
    assert f'setup("{unit_of(path)}")' in source(first)
    assert course(first)["role"] == "setup"
    assert first["metadata"]["editable"] is False and first["metadata"]["deletable"] is False


@pytest.mark.parametrize("path", UNITS, ids=lambda p: p.name)
def test_unit_skeleton(path):
    headings = [line for c in load(path)["cells"] if c["cell_type"] == "markdown"
                for line in source(c).splitlines() if line.startswith("#")]
    text = "\n".join(headings)
    assert headings[0].startswith("# 第")
    for needed in ("学习目标", "第1次课", "第2次课", "角色扮演", "数据实训", "小结", "课后练习", "拓展"):
        assert needed in text, f"{path.name} lacks a heading with {needed}"
    body = "".join(source(c) for c in load(path)["cells"])
    for needed in ("知识目标", "能力目标", "素养目标", "教学重点", "课时分配"):
        assert needed in body


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_exercise_cells_match_the_keys(path):
    cells = load(path)["cells"]
    unit = unit_of(path)
    exercises = {q.id: q for q in load_exercises(unit).questions}
    seen = []
    for i, cell in enumerate(cells):
        meta = course(cell)
        if meta.get("role") == "check":
            match = CHECK.match(source(cell).strip())
            assert match and match.group(1) == meta["id"], f"cell {i}: check cell must be check(id, answer)"
            assert cell["metadata"]["editable"] is False and cell["metadata"]["deletable"] is False
            previous = cells[i - 1]
            answer_meta = {k: v for k, v in course(previous).items() if k != "template"}
            assert answer_meta == {**meta, "role": "answer"}, f"cell {i}: answer cell must come right before"
            template = course(previous).get("template")
            if template is not None:
                assert re.search(rf"^{match.group(2)}\s*=\s*\.\.\.", template, re.M), "a template leaves the answer as ..."
            assert re.search(rf"^{match.group(2)}\s*=", source(previous), re.M)
            assert meta["id"] in exercises, f"{meta['id']} has no key"
            assert meta["points"] == exercises[meta["id"]].points
            seen.append(meta["id"])
    assert sorted(seen) == sorted(exercises), "every exercise appears exactly once"
    if path in UNITS:
        assert len(seen) >= 3
        assert any(exercises[e].type == "text" for e in seen), "a free-text exercise scored by the rubric"


@pytest.mark.parametrize("path", UNITS, ids=lambda p: p.name)
def test_unit_has_practice_quizzes_and_a_roleplay(path):
    code = "\n".join(source(c) for c in load(path)["cells"] if c["cell_type"] == "code")
    bank = load_bank(unit_of(path))
    groups = set(re.findall(r'Quiz\("u\d\d", group="(\w+)"\)', code))
    assert groups == {q.group for q in bank.questions}, "every question group is used"
    assert len(bank.questions) >= 8 and len({q.type for q in bank.questions}) >= 3
    assert re.search(r'RolePlay\("\w+"\)', code)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_teacher_notes_and_slides_are_marked(path):
    cells = load(path)["cells"]
    teacher = [c for c in cells if course(c).get("role") == "teacher"]
    assert teacher and all(source(c).lstrip().startswith("**教师提示**") for c in teacher)
    assert all("teacher" in c["metadata"].get("tags", []) for c in teacher)
    slides = [c for c in cells if c["metadata"].get("slideshow", {}).get("slide_type") == "slide"]
    assert len(slides) >= 5


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_stored_outputs_are_clean(path):
    nb = load(path)
    assert "widgets" not in nb["metadata"]
    text = "".join(source(c) for c in nb["cells"])
    assert not set(text) & TRADITIONAL
    counts = []
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] != "code":
            continue
        assert cell["execution_count"] is not None, f"cell {i} was never run"
        counts.append(cell["execution_count"])
        for out in cell["outputs"]:
            assert out["output_type"] != "error", f"cell {i} stored an error"
            assert out.get("name") != "stderr", f"cell {i} wrote to stderr: {out.get('text')}"
            data = out.get("data", {})
            assert "application/vnd.jupyter.widget-view+json" not in data
            blob = "".join(source({"source": v}) for k, v in data.items() if k.startswith("text/")) + source(
                {"source": out.get("text", "")})
            assert not MACHINE.search(blob), f"cell {i} shows a machine path or address"
            assert not set(blob) & TRADITIONAL
    assert counts == list(range(1, len(counts) + 1))


def run_nbval_lax(notebook: Path, tmp_path: Path) -> subprocess.CompletedProcess:
    # the report is read as UTF-8 whatever the console's encoding (LC_ALL=C in CI)
    env = {**os.environ, "COURSE_MODE": "grade", "COURSE_PROGRESS": str(tmp_path / "progress.json"),
           "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-o", "addopts=", "--nbval-lax", "--nbval-current-env",
         "-p", "no:cacheprovider", "-q", "--rootdir", str(tmp_path), str(notebook)],
        capture_output=True, encoding="utf-8", env=env, cwd=tmp_path, timeout=300)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_master_passes_in_grade_mode(path, tmp_path):
    copy = tmp_path / path.name
    copy.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    result = run_nbval_lax(copy, tmp_path)
    assert result.returncode == 0, result.stdout[-3000:]


def test_one_wrong_answer_fails_exactly_that_cell(tmp_path):
    master = REPO / "notebooks" / "01_intro.ipynb"
    nb = load(master)
    wrong = next(i for i, c in enumerate(nb["cells"]) if course(c) == {"id": "u01.e2", "role": "answer",
                                                                       "points": course(c).get("points")})
    nb["cells"][wrong]["source"] = 'answer_e2 = "DBAC"\n'
    copy = tmp_path / "student.ipynb"
    copy.write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")
    result = run_nbval_lax(copy, tmp_path)
    assert result.returncode == 1
    failed = re.findall(r"^FAILED .*?::Cell (\d+)", result.stdout, re.M)
    code_index = sum(c["cell_type"] == "code" for c in nb["cells"][:wrong + 1])   # nbval counts code cells from 0
    assert failed == [str(code_index)], result.stdout[-3000:]
    assert "练习 u01.e2 未通过（不正确）" in result.stdout
    assert "答案" not in result.stdout.split("练习 u01.e2 未通过")[1].splitlines()[0].split("提示")[0].replace("答案不正确", "")


MINUTE_ROW = re.compile(r"^\| (第[12]次课) \| .+? \| (\d+) \| (\d+) \| (\d+) \|$", re.M)
SESSION = re.compile(r"第[12]次课")
QUIZ = re.compile(r'Quiz\("u\d\d", group="(\w+)"\)')


def quiz_items_per_part(path: Path) -> dict[str, int]:
    """How many quiz items each part of a unit shows: 第1次课, 第2次课, and 课后 (after the exercises)."""
    bank = load_bank(unit_of(path))
    part, shown = None, {"第1次课": 0, "第2次课": 0, "课后": 0}
    for cell in load(path)["cells"]:
        if cell["cell_type"] == "markdown":
            for line in source(cell).splitlines():
                if line.startswith("## "):
                    title = line[3:].strip()
                    part = title if title in ("第1次课", "第2次课") else ("课后" if title == "课后练习" else part)
        else:
            for group in QUIZ.findall(source(cell)):
                assert part is not None, f"{path.name}: a quiz before 第1次课"
                shown[part] += len(bank.group(group))
    return shown


def minute_tables(text: str) -> tuple[dict[str, list[tuple[int, int, int]]], dict[str, tuple[int, int, int]]]:
    """The rows and the total row (theory, practice, minutes) of each session's 课时分配 table. Two layouts:
    one table with the session in the first column and a “第N次课合计” row (units 01, 10), or a “**第N次课**”
    line before each session's own table ending in a “合计” row (units 08, 09)."""
    rows: dict[str, list[tuple[int, int, int]]] = {}
    totals: dict[str, tuple[int, int, int]] = {}
    current = None
    for line in text.splitlines():
        line = line.strip()
        if re.fullmatch(r"\*\*第[12]次课\*\*", line):
            current = line.strip("*")
            continue
        cells = [c.strip().strip("*") for c in line.strip("|").split("|")] if line.startswith("|") else []
        if len(cells) < 4 or not all(c.isdigit() for c in cells[-3:]):
            continue
        label, numbers = cells[:-3], tuple(int(c) for c in cells[-3:])
        named = SESSION.search(label[0])
        if "合计" in label[0]:
            totals[named[0] if named else current] = numbers
        else:
            rows.setdefault(label[0] if label[0] in ("第1次课", "第2次课") else current, []).append(numbers)
    return rows, totals


def minute_problems(text: str) -> list[str]:
    """What is wrong with a unit's 课时分配 tables (an empty list: both sessions add up to 90 minutes)."""
    all_rows, totals = minute_tables(text)
    if set(totals) != {"第1次课", "第2次课"}:
        return ["a minute table with a total row per session"]
    problems = []
    for session, (theory, practice, minutes) in totals.items():
        rows = all_rows.get(session, [])
        if not rows or any(t + p != n for t, p, n in rows):
            problems.append(f"{session}: a row whose minutes do not add up")
        if tuple(sum(r[i] for r in rows) for i in range(3)) != (theory, practice, minutes):
            problems.append(f"{session}: the rows do not add up to the total")
        if minutes != 90 or theory + practice != 90:
            problems.append(f"{session} lasts {minutes} minutes")
    return problems


@pytest.mark.parametrize("path", UNITS, ids=lambda p: p.name)
def test_each_session_fits_90_minutes(path):
    assert minute_problems("\n".join(source(c) for c in load(path)["cells"] if c["cell_type"] == "markdown")) == []


def test_the_minute_check_sees_a_session_that_overruns():
    text = "\n".join(source(c) for c in load(UNITS[0])["cells"] if c["cell_type"] == "markdown")
    row = next(m for m in MINUTE_ROW.finditer(text) if m[1] == "第2次课")
    longer = text.replace(row[0], row[0].replace(f"| {row[4]} |", f"| {int(row[4]) + 5} |"))
    assert minute_problems(longer) == ["第2次课: a row whose minutes do not add up", "第2次课: the rows do not add up to the total"]
    assert minute_problems("") == ["a minute table with a total row per session"]
    per_session = ("**第1次课**\n| 内容 | 理论 | 实践 | 小计 |\n|---|---|---|---|\n| 一 | 40 | 50 | 90 |\n"
                   "| **合计** | **40** | **50** | **90** |\n**第2次课**\n| 内容 | 理论 | 实践 | 小计 |\n|---|---|---|---|\n"
                   "| 五 | 30 | 60 | 90 |\n| 第2次课小结 | 3 | 2 | 5 |\n| **合计** | **33** | **62** | **95** |")
    assert minute_problems(per_session) == ["第2次课 lasts 95 minutes"]
    assert minute_problems(per_session.replace("| 第2次课小结 | 3 | 2 | 5 |\n", "")) == [
        "第2次课: the rows do not add up to the total", "第2次课 lasts 95 minutes"]


@pytest.mark.parametrize("path", UNITS, ids=lambda p: p.name)
def test_at_most_twelve_quiz_items_per_session_the_rest_after_class(path):
    shown = quiz_items_per_part(path)
    assert shown["第1次课"] <= 12 and shown["第2次课"] <= 12, shown
    assert shown["课后"] == len(load_bank(unit_of(path)).group("self")) > 0, "the other items as 课后自测 (group self)"
    assert sum(shown.values()) == len(load_bank(unit_of(path)).questions), "every question is shown somewhere"


def test_the_quiz_count_sees_a_crowded_session(tmp_path):
    crowded = load(UNITS[0])
    for cell in crowded["cells"]:
        if cell["cell_type"] == "code" and 'group="self"' in source(cell):
            cell["source"] = source(cell).replace('group="self"', 'group="s1"')
    first_quiz = next(c for c in crowded["cells"] if c["cell_type"] == "code" and QUIZ.search(source(c)))
    first_quiz["source"] = source(first_quiz) + '\nQuiz("u01", group="self")'
    path = tmp_path / UNITS[0].name
    path.write_text(json.dumps(crowded, ensure_ascii=False), encoding="utf-8")
    shown = quiz_items_per_part(path)
    assert shown["第1次课"] > 12 and shown["课后"] < len(load_bank("u01").group("self"))
