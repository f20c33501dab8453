"""The course gradebook for the school's 教务系统: ``python -m course_lib gradebook 评分结果… --out 总评``.

One row per student of the roster (sorted by 班级 and 学号), one column per unit, one per
component of the 总评, the 总评 in 百分制 and 五级制, and notes; one table per 班级 when the
roster has a 班级 column.  The settings (weights, units, due dates, late rule, bands,
columns) come from :mod:`.courseconfig`.  **How it counts** (exactly, with fractions; only
the shown numbers are rounded, half up — 四舍五入):

1. a unit's score is the counted submission's 总分 ÷ 满分 × 100, minus the late penalty
   (:mod:`.late`); 缺交 (nothing handed in) and 拒收 (a file that could not be graded) are 0;
2. a component is the plain mean of its units, or the teacher's score from its file
   (空着或“缺考”: 0);
3. the 总评 is Σ weight × component ÷ 100 of the unrounded components, rounded to
   ``decimals``; the 五级制 grade is read from the rounded 总评.

Files in ``--out``: ``总评[_班级].csv`` (the 教务系统 columns; UTF-8 with BOM), ``总评明细[_班级].csv``,
``总评[_班级].xlsx`` (sheets 导入, 明细 and 迟交与缺交; 学号 stored as text with the text
format), and ``总评说明.md`` (the settings used and what the teacher should check).

>>> round_half_up(Fraction(895, 10), 0), round_half_up(Fraction(8945, 100), 1)
(Decimal('90'), Decimal('89.5'))
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from ..files import safe_name, write_atomic
from ..settings import standards
from . import tables
from .collect import Collected, collect
from .courseconfig import Component, CourseConfig
from .identity import ID_COLUMNS, Roster, RosterError, clean_id, column, read_table
from .late import Deadlines, Late
from .results import fmt_number

MISSING, REJECTED, HANDED = "缺交", "拒收", "已交"
NOTES = "总评说明.md"
MANIFEST = ".总评清单.json"       # the tables the last run wrote (a re-run removes only those)
SCORE_COLUMNS = ("成绩", "分数", "总分", "score")


def round_half_up(value: Fraction, decimals: int) -> Decimal:
    """``value`` (not negative) rounded half up to ``decimals`` places, exactly."""
    scale = 10 ** decimals
    units = (value * scale + Fraction(1, 2)).__floor__()
    return Decimal(units).scaleb(-decimals).quantize(Decimal(1).scaleb(-decimals))


@dataclass
class UnitMark:
    """One student's unit: 已交/缺交/拒收, the counted 百分制 score, the score before the penalty."""

    status: str
    percent: Fraction = Fraction(0)
    raw: Fraction | None = None
    late: Late | None = None
    when: datetime | None = None
    source: str = ""
    reason: str = ""


@dataclass
class Row:
    student_id: str
    name: str
    klass: str
    units: dict[str, UnitMark] = field(default_factory=dict)
    parts: dict[str, Fraction] = field(default_factory=dict)
    total: Fraction = Fraction(0)
    notes: list[str] = field(default_factory=list)


@dataclass
class Coursebook:
    config: CourseConfig
    units: list[str]
    rows: list[Row]
    collected: Collected
    problems: list[str] = field(default_factory=list)


def read_scores(part: Component, roster: Roster | None) -> tuple[dict[str, Fraction | None], list[str]]:
    """{学号: score or ``None`` (缺考)} from a component's score file, and the problems found."""
    shown = f"“{part.name}”的成绩文件 {part.scores.name}"
    rows = read_table(part.scores, shown)
    id_col, score_col = column(rows[0], ID_COLUMNS), column(rows[0], (part.name.lower(), *SCORE_COLUMNS))
    if id_col is None or score_col is None:
        raise RosterError(f"{shown} 的第一行应有“学号”和“成绩”（或“{part.name}”）两列。")
    scores: dict[str, Fraction | None] = {}
    for number, row in enumerate(rows[1:], 2):
        if len(row) <= id_col or not row[id_col]:
            continue
        sid = clean_id(row[id_col])
        if sid in scores:
            raise RosterError(f"{shown} 第{number}行：学号{sid}重复了。")
        text = row[score_col].strip() if len(row) > score_col else ""
        if text in ("", "缺考"):
            scores[sid] = None
            continue
        try:
            value = Fraction(text)
        except ValueError:
            value = Fraction(-1)
        if not 0 <= value <= 100:
            raise RosterError(f"{shown} 第{number}行：成绩“{text[:20]}”应是0到100之间的数（或空着、写“缺考”）。")
        scores[sid] = value
    strangers = sorted(set(scores) - set(roster.names)) if roster is not None else []
    return scores, [f"{shown}里的学号{sid}不在名单上，没有计入" for sid in strangers]


def build(config: CourseConfig, folders: list[Path], roster: Roster | None = None,
          deadlines: Deadlines | None = None) -> Coursebook:
    """Compute the course gradebook (see the module docstring); ``deadlines`` from ``--due``
    add to the settings' due dates."""
    due = {**config.due, **(deadlines.due if deadlines else {})}
    collected = collect(folders, roster, Deadlines(due, config.rule))
    counted = [r for r in collected.resolution.counted if r.identified and r.unit]
    named = set().union(*(c.units or () for c in config.components))
    found = sorted({r.unit for r in counted})
    units = [u for c in config.components for u in (c.units if c.units is not None
                                                     else [x for x in found if x not in named])]
    problems = list(collected.problems)
    problems += [f"单元{u}在评分结果中一份作业也没有：所有学生都按缺交计（还没布置的单元请从设置中去掉）"
                 for u in units if u not in found]
    by_student: dict[str, dict] = {}
    for r in counted:
        by_student.setdefault(r.student_id, {})[r.unit] = r
    if roster is not None:
        students = [(sid, name, roster.classes.get(sid, "")) for sid, name in roster.names.items()]
        problems += [f"学号{sid}不在名单上，没有计入总评" for sid in sorted(set(by_student) - set(roster.names))]
    else:
        seen: dict[str, str] = {}
        for r in counted:                                   # one row per 学号, with any name the paths gave
            seen[r.student_id] = seen.get(r.student_id) or r.name
        students = [(sid, name, "") for sid, name in sorted(seen.items())]
        problems.append("没有名单（--roster）：只列出交过作业的学生，一份都没交的学生不会出现在表里")
    scores = {}
    for part in config.components:
        if part.scores is not None:
            scores[part.name], found_problems = read_scores(part, roster)
            problems += found_problems
    rows = [_row(sid, name, klass, by_student.get(sid, {}), units, config, collected.deadlines, scores)
            for sid, name, klass in students]
    rows.sort(key=lambda r: (r.klass, r.student_id))
    return Coursebook(config, units, rows, collected, problems)


def _mark(result, deadlines: Deadlines) -> UnitMark:
    if result is None:
        return UnitMark(MISSING)
    when, source = deadlines.submitted(result)
    if not result.graded or not result.max:
        return UnitMark(REJECTED, when=when, source=source, reason=result.reason or "没有可评分的练习")
    raw = Fraction(str(result.total)) / Fraction(str(result.max)) * 100
    late = deadlines.late(result)
    return UnitMark(HANDED, late.apply(raw) if late else raw, raw, late, when, source)


def _row(sid, name, klass, results, units, config: CourseConfig, deadlines: Deadlines, scores) -> Row:
    row = Row(sid, name, klass)
    for unit in units:
        mark = row.units[unit] = _mark(results.get(unit), deadlines)
        if mark.status != HANDED:
            row.notes.append(f"{unit}{mark.status}" + (f"（{mark.reason}）" if mark.reason else ""))
        elif mark.late and mark.late.days:
            row.notes.append(f"{unit}{mark.late.text()}")
    for part in config.components:
        if part.scores is not None:
            value = scores[part.name].get(sid)
            if value is None:
                row.notes.append(f"{part.name}缺考（按0分计）")
            row.parts[part.name] = value or Fraction(0)
        else:
            mine = members(config, units)[part.name]
            row.parts[part.name] = sum((row.units[u].percent for u in mine), Fraction(0)) / len(mine) if mine else Fraction(0)
    row.total = sum((part.weight * row.parts[part.name] for part in config.components), Fraction(0)) / 100
    return row


def members(config: CourseConfig, units: list[str]) -> dict[str, list[str]]:
    """The units of each component (``units: all``: every unit no other component names)."""
    named = {u for c in config.components for u in c.units or ()}
    return {c.name: [u for u in units if u in (c.units or ()) or (c.units is None and u not in named)]
            for c in config.components}


# ------------------------------------------------------------------------------------------ tables

def unit_title(book: Coursebook, unit: str) -> str:
    return book.config.unit_columns.get(unit) or f"{unit} {standards().unit_titles.get(unit, '')}".strip()


def _value(book: Coursebook, row: Row, name: str):
    d = book.config.decimals
    fixed = {"学号": row.student_id, "姓名": row.name, "班级": row.klass, "总评": round_half_up(row.total, d),
             "等级": book.config.grade(Fraction(round_half_up(row.total, d))), "备注": "；".join(row.notes)}
    if name in fixed:
        return fixed[name]
    if name in row.parts:
        return round_half_up(row.parts[name], d)
    mark = row.units.get(name)
    if mark is None:
        return None
    return round_half_up(mark.percent, d) if mark.status == HANDED else mark.status


def import_table(book: Coursebook, rows: list[Row]) -> list[list]:
    """The 教务系统 table: the configured columns, in order."""
    columns = book.config.export_columns()
    return [[title for _, title in columns], *([_value(book, r, f) for f, _ in columns] for r in rows)]


def detail_table(book: Coursebook, rows: list[Row]) -> list[list]:
    """Every column: 学号, 姓名, 班级, each unit, each component, 总评, 等级, 备注."""
    parts = [c.name for c in book.config.components]
    fields = ["学号", "姓名", "班级", *book.units, *parts, "总评", "等级", "备注"]
    header = ["学号", "姓名", "班级", *(unit_title(book, u) for u in book.units), *parts, "总评", "五级制", "备注"]
    return [header, *([_value(book, r, f) for f in fields] for r in rows)]


def exceptions_table(book: Coursebook, rows: list[Row]) -> list[list]:
    """One line per unit handed in late, not handed in or refused."""
    header = ["学号", "姓名", "班级", "单元", "情况", "提交时间", "时间来源", "截止时间", "迟交天数", "迟交扣分", "计入成绩"]
    out = [header]
    due = book.collected.deadlines.due
    for r in rows:
        for unit, m in r.units.items():
            late = m.late is not None and m.late.days > 0
            if m.status == HANDED and not late:
                continue
            what = f"迟交{m.late.days}天" if m.status == HANDED else m.status + (f"：{m.reason}" if m.reason else "")
            out.append([r.student_id, r.name, r.klass, unit, what, m.when.strftime("%Y-%m-%d %H:%M") if m.when else "",
                        m.source, due[unit].strftime("%Y-%m-%d %H:%M") if unit in due else "",
                        m.late.days if m.late else None, m.late.deduction if late else None,
                        round_half_up(m.percent, book.config.decimals)])
    return out


def _cell(value):
    return float(value) if isinstance(value, Decimal) else value


def write_xlsx(book: Coursebook, rows: list[Row], path: Path) -> Path:
    from openpyxl import Workbook

    workbook = Workbook()
    number = "0" if book.config.decimals == 0 else "0." + "0" * book.config.decimals
    for n, (title, table) in enumerate((("导入", import_table(book, rows)), ("明细", detail_table(book, rows)),
                                        ("迟交与缺交", exceptions_table(book, rows)))):
        sheet = workbook.active if n == 0 else workbook.create_sheet(title)
        sheet.title = title
        id_column = table[0].index(_id_title(book, title)) + 1 if _id_title(book, title) in table[0] else 0
        tables.fill(sheet, [[_cell(v) for v in row] for row in table], {"A": 14, "B": 10},
                    text_columns=(id_column,) if id_column else ())
        for line, row in enumerate(table[1:], 2):
            for col, value in enumerate(row, 1):
                if isinstance(value, Decimal):
                    sheet.cell(row=line, column=col).number_format = number
    return tables.save_workbook(workbook, path)


def _id_title(book: Coursebook, sheet: str) -> str:
    if sheet != "导入":
        return "学号"
    return next((title for f, title in book.config.export_columns() if f == "学号"), "")


def write(book: Coursebook, out: Path) -> list[Path]:
    """Write every table (one set per 班级) and ``总评说明.md`` into ``out``; returns the paths.
    Tables an earlier run wrote that no longer belong (a class renamed) are removed; nothing else is."""
    groups: dict[str, list[Row]] = {}
    for row in book.rows:
        groups.setdefault(row.klass, []).append(row)
    if not groups:
        groups[""] = []
    written = []
    for klass, rows in sorted(groups.items()):
        suffix = f"_{_safe(klass)}" if klass else ""
        written.append(tables.write_csv(out / f"总评{suffix}.csv", import_table(book, rows)))
        written.append(tables.write_csv(out / f"总评明细{suffix}.csv", detail_table(book, rows)))
        written.append(write_xlsx(book, rows, out / f"总评{suffix}.xlsx"))
    try:
        earlier = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        earlier = []
    for name in earlier if isinstance(earlier, list) else []:
        stale = out / str(name)
        if stale.parent == out and stale.suffix in (".csv", ".xlsx") and stale not in written and stale.is_file():
            stale.unlink()                                  # only tables an earlier run wrote
    write_atomic(out / MANIFEST, json.dumps(sorted(p.name for p in written), ensure_ascii=False).encode("utf-8"))
    written.append(write_atomic(out / NOTES, notes_text(book, groups).encode("utf-8")))
    return written


def _safe(text: str) -> str:
    return re.sub(r"\s+", "_", safe_name(text))[:40] or "未分班"


def notes_text(book: Coursebook, groups: dict[str, list[Row]]) -> str:
    """``总评说明.md``: the settings used, per class figures, and what to check."""
    c = book.config
    units_of = members(c, book.units)
    parts = "；".join(f"{p.name} {fmt_number(float(p.weight))}%（" + (
        f"成绩文件 {p.scores.name}" if p.scores else "单元 " + ("、".join(units_of[p.name]) or "（没有单元）")) + "）"
        for p in c.components)
    due = book.collected.deadlines.due
    lines = ["# 课程总评说明", "", f"- 组成：{parts}",
             "- 计算：单元成绩 = 总分 ÷ 满分 × 100 − 迟交扣分；缺交、拒收按0分；每部分取所含单元的平均；"
             f"总评 = Σ 权重 × 部分成绩 ÷ 100，最后四舍五入保留{c.decimals}位小数，五级制按舍入后的总评划分",
             "- 五级制：" + "，".join(f"{n} ≥ {fmt_number(float(m))}" if m else f"{n} < {fmt_number(float(prev))}"
                                  for (n, m), (_, prev) in zip(c.bands, ((None, 0), *c.bands))),
             "- 截止时间（北京时间）：" + ("，".join(f"{u} {d:%Y-%m-%d %H:%M}" for u, d in sorted(due.items()) if u in book.units)
                                   or "没有设置（不计迟交）"),
             f"- 迟交规则：{c.rule.text()}", ""]
    for klass, rows in sorted(groups.items()):
        counts = {name: 0 for name, _ in c.bands}
        for r in rows:
            counts[c.grade(Fraction(round_half_up(r.total, c.decimals)))] += 1
        mean = round_half_up(sum((r.total for r in rows), Fraction(0)) / len(rows), c.decimals) if rows else "—"
        late = sum(1 for r in rows for m in r.units.values() if m.late and m.late.days)
        missing = sum(1 for r in rows for m in r.units.values() if m.status != HANDED)
        lines += [f"## {klass or '全班'}（{len(rows)}人）", "", f"- 平均总评：{mean}",
                  "- 五级制人数：" + "，".join(f"{n}{k}人" for n, k in counts.items()),
                  f"- 迟交{late}份，缺交或拒收{missing}份（明细见表格的“迟交与缺交”页）", ""]
    problems = book.problems + book.collected.resolution.problems
    lines += [f"## 需要确认（{len(problems)}项）", ""] + [f"- {p}" for p in problems] if problems else ["没有需要确认的事项。"]
    return "\n".join(lines) + "\n"


def make(folders: list[Path], out: Path, config: Path | None = None, roster: Path | None = None,
         dues: tuple[str, ...] = ()) -> str:
    """``python -m course_lib gradebook``: write the course gradebook, return the line to show.
    A teacher's mistake raises ``ConfigError``, ``CollectError`` or ``RosterError`` (one Chinese sentence)."""
    from .collect import CollectError
    from .courseconfig import deadlines_from, load_config
    from .identity import read_roster

    settings = load_config(config)
    extra = deadlines_from(None, list(dues))
    roster_path = roster or settings.roster
    class_list = read_roster(roster_path) if roster_path else None
    missing = [f for f in folders if not Path(f).is_dir()]
    if missing:
        raise CollectError(f"找不到评分结果文件夹：{Path(missing[0]).as_posix()}")
    book = build(settings, folders, class_list, extra)
    out.mkdir(parents=True, exist_ok=True)
    paths = write(book, out)
    problems = len(book.problems) + len(book.collected.resolution.problems)
    return (f"总评：{len(book.rows)}名学生，{len(book.units)}个单元，写入 {out.as_posix()}（{len(paths)}个文件）"
            + (f"；需要确认{problems}项，见{NOTES}" if problems else ""))
