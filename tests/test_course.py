"""The course as a whole: every unit of ``data/standards.yaml`` exists and meets the unit bar's
countable points (SYLLABUS.md, "The unit bar").

One test per unit and point, so a missing or short unit shows by name (``test_…[u07]``).
The units come from ``data/standards.yaml`` (a unit merged later is picked up without edits)
and every notebook present must be one of them.  Nothing is skipped: a unit that has not
landed yet fails with a Chinese message saying what is missing.

The course as a whole: cross-references (第NN单元, 第02、04单元, 第06～10单元)
name listed units, a title given with them is the unit's title, and the glossary
docs/TERMINOLOGY.md agrees with the notebooks (each unit's notebook uses the terms the
glossary says it teaches, in the glossary's spelling; the spellings it rules out appear
in no unit's notebook or content).  What the bar asks that a program cannot count (every seed point taught, no
ambiguous item, facts true to the shop) stays with the reviewing teacher.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from course_lib.content.banks import load_bank, load_exercises
from course_lib.content.loading import ContentError
from course_lib.content.scenarios import load_scenario, longest_best
from course_lib.settings import data_dir, standards

REPO = Path(__file__).resolve().parent.parent
UNITS = sorted(u for u in standards().unit_titles if u != "u00")
SESSION_MINUTES = 90
QUIZ_PER_SESSION = 12          # "at most ~12 quiz items shown per session in class"
CHOICE = ("single", "multiple")


def test_the_course_has_twelve_units():
    assert UNITS == [f"u{n:02d}" for n in range(1, 13)]


def notebook(unit: str) -> dict:
    found = sorted((REPO / "notebooks").glob(f"{unit[1:]}_*.ipynb"))
    assert len(found) == 1, f"第{unit[1:]}单元的笔记本还不存在（应是 notebooks/{unit[1:]}_<名称>.ipynb）" if not found \
        else f"第{unit[1:]}单元有{len(found)}个笔记本"
    return json.loads(found[0].read_text(encoding="utf-8"))


def text(cell) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def student_markdown(nb: dict) -> list[str]:
    return [text(c) for c in nb["cells"] if c["cell_type"] == "markdown"
            and c.get("metadata", {}).get("course", {}).get("role") != "teacher"]


def headings(nb: dict) -> list[str]:
    return [line for cell in student_markdown(nb) for line in cell.splitlines() if re.match(r"#{1,2} ", line)]


def bank(unit: str):
    try:
        return load_bank(unit)
    except ContentError as error:
        pytest.fail(f"第{unit[1:]}单元的练习题库有问题：{error}")


def exercises(unit: str):
    try:
        return load_exercises(unit)
    except ContentError as error:
        pytest.fail(f"第{unit[1:]}单元的计分练习有问题：{error}")


# ----------------------------------------------------------------------------- the notebook's skeleton

@pytest.mark.parametrize("unit", UNITS)
def test_the_notebook_follows_the_skeleton_in_order(unit):
    nb = notebook(unit)
    heads = headings(nb)
    assert heads and heads[0] == f"# 第{unit[1:]}单元　{standards().unit_titles[unit]}", \
        f"第一行标题应是“# 第{unit[1:]}单元　{standards().unit_titles[unit]}”，现在是“{heads[0] if heads else ''}”"
    order = ["## 学习目标", "## 课时分配", "## 第1次课", "## 一、导入", "## 第2次课", "## 小结", "## 课后练习", "## 拓展"]
    places = []
    for wanted in order:
        hits = [i for i, h in enumerate(heads) if h.startswith(wanted)]
        assert hits, f"缺少“{wanted}……”一节"
        places.append(hits[0])
    assert places == sorted(places), f"这几节的顺序应是：{'、'.join(o[3:] for o in order)}"
    inside = heads[places[2]:places[5]]
    for needed in ("角色扮演", "数据实训"):
        assert any(needed in h for h in inside), f"两次课里缺少标题含“{needed}”的一节"
    body = "".join(student_markdown(nb))
    for needed in ("知识目标", "能力目标", "素养目标", "教学重点", "教学难点"):
        assert needed in body, f"学习目标里缺少“{needed}”"


def minute_rows(nb: dict) -> list[tuple[int, int, int, int]]:
    """(session, theory, practice, subtotal) of every row of the 课时分配 table(s).

    Two layouts: one table whose first column names the session (``| 第1次课 | 内容 | 8 | 2 | 10 |``), or one
    table per session under a line naming it (``**第1次课**`` then ``| 内容 | 8 | 2 | 10 |``).  合计 rows are left
    out; a row under no session gets session 0 (and fails the test)."""
    cell = next((c for c in student_markdown(nb) if c.lstrip().startswith("## 课时分配")), "")
    rows, session = [], 0
    for line in cell.splitlines():
        if not line.lstrip().startswith("|"):
            label = re.search(r"第([12])次课", line)
            session = int(label.group(1)) if label else session
            continue
        cols = [c.strip().strip("*").strip() for c in line.strip().strip("|").split("|")]
        if len(cols) < 4 or not all(c.isdigit() for c in cols[-3:]) or any("合计" in c for c in cols[:-3]):
            continue
        first = re.fullmatch(r"第([12])次课", cols[0])
        rows.append((int(first.group(1)) if first else session, *(int(c) for c in cols[-3:])))
    return rows


def test_minute_rows_reads_both_layouts():
    one = "## 课时分配\n\n| 课次 | 内容 | 理论 | 实践 | 小计 |\n|---|---|---|---|---|\n| 第1次课 | 一、导入 | 8 | 2 | 10 |\n" \
          "| **合计** | | **8** | **2** | **10** |\n| 第2次课 | 五、中差评 | 12 | 13 | 25 |"
    per = "## 课时分配\n\n**第1次课**\n\n| 内容 | 理论（分钟） | 实践（分钟） | 小计（分钟） |\n|---|---|---|---|\n" \
          "| 一、导入 | 6 | 4 | 10 |\n| 第1次课小结 | 3 | 2 | 5 |\n| **合计** | **9** | **6** | **15** |\n\n**第2次课**\n\n" \
          "| 内容 | 理论（分钟） | 实践（分钟） | 小计（分钟） |\n|---|---|---|---|\n| 拓展与讨论 | 0 | 10 | 10 |"
    cells = [{"cell_type": "markdown", "metadata": {}, "source": one}]
    assert minute_rows({"cells": cells}) == [(1, 8, 2, 10), (2, 12, 13, 25)]
    cells = [{"cell_type": "markdown", "metadata": {}, "source": per}]
    assert minute_rows({"cells": cells}) == [(1, 6, 4, 10), (1, 3, 2, 5), (2, 0, 10, 10)]
    no_session = "## 课时分配\n\n| 内容 | 理论 | 实践 | 小计 |\n|---|---|---|---|\n| 一、导入 | 6 | 4 | 10 |"
    assert minute_rows({"cells": [{"cell_type": "markdown", "metadata": {}, "source": no_session}]}) == [(0, 6, 4, 10)]


@pytest.mark.parametrize("unit", UNITS)
def test_each_session_fills_exactly_ninety_minutes(unit):
    rows = minute_rows(notebook(unit))
    assert rows, "课时分配里没有找到“| 第1次课 | 内容 | 理论 | 实践 | 小计 |”这样的表格行（或每次课一张表）"
    assert all(r[0] for r in rows), "课时分配里有一行看不出是第几次课"
    for session in (1, 2):
        mine = [r for r in rows if r[0] == session]
        assert mine, f"课时分配里没有第{session}次课"
        assert all(t + p == s for _, t, p, s in mine), f"第{session}次课有一行的理论＋实践不等于小计"
        assert sum(s for *_, s in mine) == SESSION_MINUTES, f"第{session}次课合计{sum(s for *_, s in mine)}分钟，应是90分钟"


@pytest.mark.parametrize("unit", UNITS)
def test_at_most_twelve_quiz_items_are_shown_per_session(unit):
    nb = notebook(unit)
    questions = bank(unit)
    session, shown = 0, {1: 0, 2: 0}
    for cell in nb["cells"]:
        source = text(cell)
        if cell["cell_type"] == "markdown":
            session = {"## 第1次课": 1, "## 第2次课": 2}.get(source.lstrip().split("\n")[0].strip(), session)
        for group in re.findall(rf'Quiz\("{unit}"(?:,\s*group="(\w+)")?\)', source):
            if group != "self":
                assert session, "随堂测验出现在“## 第1次课”之前"
                shown[session] += len(questions.group(group or None))
    for s, n in shown.items():
        assert n <= QUIZ_PER_SESSION, f"第{s}次课课上出了{n}道随堂测验，最多{QUIZ_PER_SESSION}道，其余放进 self（课后自测）"


# ----------------------------------------------------------------------------- the counts of the bar

@pytest.mark.parametrize("unit", UNITS)
def test_twenty_practice_questions_of_four_types_with_feedback(unit):
    qs = bank(unit).questions
    types = {q.type for q in qs}
    assert len(qs) >= 20, f"练习题只有{len(qs)}道，至少20道"
    assert len(types) >= 4, f"练习题只有{len(types)}种题型（{'、'.join(sorted(types))}），至少4种"
    for q in qs:
        assert q.explanation.strip(), f"{q.id} 没有解析"
        if q.type in CHOICE:
            assert all(o.feedback.strip() for o in q.options), f"{q.id} 有选项没有反馈"
    assert any(q.group == "self" for q in qs), "没有课后自测（group: self）"


@pytest.mark.parametrize("unit", UNITS)
def test_five_graded_exercises_of_three_types_with_a_scored_reply_and_a_number(unit):
    qs = exercises(unit).questions
    types = {q.type for q in qs}
    assert len(qs) == 5, f"计分练习有{len(qs)}道，应是5道"
    assert len(types) >= 3, f"计分练习只有{len(types)}种题型，至少3种"
    assert "numeric" in types, "没有由数据算出的数值题"
    texts = [q for q in qs if q.free_text]
    assert texts, "没有按回复评分规则打分的简答题"
    assert any(q.reply.gates and q.reply.facts is not None for q in texts), "简答题的 rubric 要写 gates 和 facts"


def best_path(scenario) -> list[str]:
    turn, path = scenario.start, []
    while turn in scenario.turns and turn not in path:
        path.append(turn)
        t = scenario.turns[turn]
        turn = t.next if t.is_reply else next(o.next for o in t.options if o.best)
    return path


@pytest.mark.parametrize("unit", UNITS)
def test_a_branching_role_play_with_four_customer_turns_and_a_free_text_turn(unit):
    ids = sorted(p.stem for p in (data_dir() / "scenarios").glob(f"{unit}_*.yaml"))
    assert ids, f"data/scenarios/ 里没有第{unit[1:]}单元的情景（{unit}_<名称>.yaml）"
    scenarios = [load_scenario(i) for i in ids]
    good = [s for s in scenarios if len(best_path(s)) >= 4 and any(t.is_reply for t in s.turns.values())
            and set(s.turns) - set(best_path(s))]
    assert good, "至少要有一个情景：最好的路线上有4个以上顾客回合、有修复分支、有自由回复回合"
    for s in scenarios:
        longest, turns = longest_best(s)
        assert 2 * longest <= turns, f"{s.id}：最佳选项是最长一条的回合超过一半"
    code = "".join(text(c) for c in notebook(unit)["cells"] if c["cell_type"] == "code")
    assert any(f'RolePlay("{s.id}")' in code for s in good), "笔记本里没有运行这个情景的 RolePlay(...) 单元格"


def cited_units(line: str) -> list[str]:
    """"第04单元" → ["04"]; "第02、04、05单元" → ["02", "04", "05"]; "第06～10单元" → ["06", …, "10"]."""
    numbers = []
    for group in re.findall(r"第(\d\d(?:[、～]\d\d)*)单元", line):
        for part in group.split("、"):
            low, _, high = part.partition("～")
            numbers += [f"{n:02d}" for n in range(int(low), int(high or low) + 1)]
    return numbers


def unit_texts(unit: str) -> dict[str, str]:
    """The unit's notebook (every cell, teacher notes too) and its content files, by where they are."""
    texts = {"笔记本": "\n".join(text(c) for c in notebook(unit)["cells"])}
    for sub, pattern in (("questions", f"{unit}.yaml"), ("exercises", f"{unit}.yaml"), ("scenarios", f"{unit}_*.yaml")):
        texts.update({f"{sub}/{p.name}": p.read_text(encoding="utf-8") for p in (data_dir() / sub).glob(pattern)})
    return texts


@pytest.mark.parametrize("unit", UNITS)
def test_cross_references_name_real_units(unit):
    for where, body in unit_texts(unit).items():
        for number in {n for line in body.splitlines() for n in cited_units(line)}:
            assert f"u{number}" in standards().unit_titles, f"{where} 提到了不存在的第{number}单元"


def subsequence(short: str, full: str) -> bool:
    rest = iter(full)
    return all(ch in rest for ch in short)


def table_rows(markdown: str) -> list[dict[str, str]]:
    """The rows of every Markdown table, each as {header: cell}."""
    rows, header = [], None
    for line in markdown.splitlines() + [""]:
        if not line.lstrip().startswith("|"):
            header = None
            continue
        cols = [c.strip().strip("*") for c in line.strip().strip("|").split("|")]
        if header is None:
            header = cols
        elif not all(set(c) <= set("-: ") for c in cols):
            rows.append(dict(zip(header, cols)))
    return rows


TITLE_COLUMNS = ("主题", "标题", "单元标题", "单元名称")


@pytest.mark.parametrize("unit", UNITS)
def test_cited_unit_titles_match_the_standards(unit):
    """A title given with a citation is the unit's title: 第NN单元「标题」 exactly, and in a table with a 单元 column
    and a 主题/标题 column, the (maybe shortened) title keeps the standards title's characters in order."""
    titles = standards().unit_titles
    body = unit_texts(unit)["笔记本"]
    for number, title in re.findall(r"第(\d\d)单元「([^」]+)」", body):
        assert titles.get(f"u{number}") == title, f"“第{number}单元「{title}」”：标准里的标题是「{titles.get(f'u{number}')}」"
    checked = 0
    for row in table_rows(body):
        number = re.fullmatch(r"第(\d\d)单元", row.get("单元", ""))
        title = next((row[c] for c in TITLE_COLUMNS if c in row), None)
        if number and title is not None:
            full = titles.get(f"u{number.group(1)}", "")
            assert subsequence(title, full), f"表格里“第{number.group(1)}单元 | {title}”和标准里的标题「{full}」对不上"
            checked += 1
    if unit == UNITS[-1]:
        assert checked >= len(UNITS), "最后一个单元的综合复习表应当列出全部单元（单元｜主题）"


# ----------------------------------------------------------------------------- every notebook present is a listed unit

PRESENT = sorted(p.name for p in (REPO / "notebooks").glob("[0-9][0-9]_*.ipynb") if not p.name.startswith("00_"))


@pytest.mark.parametrize("name", PRESENT)
def test_every_unit_notebook_present_is_a_unit_of_the_standards(name):
    assert f"u{name[:2]}" in UNITS, f"notebooks/{name} 不是 data/standards.yaml 的 units 里列出的单元"


def test_every_content_file_belongs_to_a_unit_of_the_standards():
    files = [p for sub in ("questions", "exercises", "scenarios") for p in (data_dir() / sub).glob("u*.yaml")]
    stray = [f"{p.parent.name}/{p.name}" for p in files if p.name[:3] not in standards().unit_titles]
    assert files and stray == [], f"这些内容文件不属于 data/standards.yaml 里的任何单元：{stray}"


# ----------------------------------------------------------------------------- the glossary (docs/TERMINOLOGY.md)

GLOSSARY = REPO / "docs" / "TERMINOLOGY.md"


def glossary() -> list[tuple[list[str], list[str]]]:
    """(spellings, units) of every row of the glossary table: "售前客服／售中客服" gives two spellings,
    "DSR（店铺动态评分）" gives "DSR"; units "05、11" give ["u05", "u11"], "全课程" gives []."""
    rows = []
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        cols = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("|") and len(cols) == 3 and cols[0] not in ("术语", "---"):
            spellings = [s for s in re.split(r"[／、，]", re.sub(r"（[^）]*）", "", cols[0])) if s]
            rows.append((spellings, [f"u{n}" for n in re.findall(r"\d\d", cols[2])]))
    return rows


def forbidden_spellings() -> list[str]:
    """The spellings the glossary's 写法约定 rules out: 询单转化率（不写“咨询转化率”“转换率”）."""
    rules = "".join(line for line in GLOSSARY.read_text(encoding="utf-8").splitlines() if "只用一种写法" in line)
    return [word for group in re.findall(r"（不写((?:“[^”]+”)+)）", rules) for word in re.findall(r"“([^”]+)”", group)]


def test_the_glossary_names_listed_units_and_one_spelling_rule():
    rows = glossary()
    assert len(rows) >= 50, f"术语表只读出{len(rows)}行"
    assert {"咨询转化率", "转换率"} <= set(forbidden_spellings())
    listed = set(standards().unit_titles)
    for spellings, units in rows:
        assert set(units) <= listed, f"术语“{'／'.join(spellings)}”的单元栏有不存在的单元：{units}"
    assert set(UNITS) <= {u for _, units in rows for u in units}, "有的单元在术语表里一个术语也没有"


@pytest.mark.parametrize("unit", UNITS)
def test_the_notebook_uses_the_glossary_terms_of_its_unit(unit):
    body = "".join(text(c) for c in notebook(unit)["cells"])
    missing = ["／".join(s) for s, units in glossary() if unit in units and not all(word in body for word in s)]
    assert missing == [], f"术语表说这些术语在第{unit[1:]}单元讲，笔记本里却没有这个写法：{missing}（改笔记本或术语表）"


@pytest.mark.parametrize("unit", UNITS)
def test_the_unit_writes_each_term_one_way(unit):
    found = [(where, word) for where, body in unit_texts(unit).items() for word in forbidden_spellings() if word in body]
    assert found == [], f"术语表规定只用一种写法，这里用了别的写法：{found}"
