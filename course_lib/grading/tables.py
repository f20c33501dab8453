"""The 成绩表 of one unit: one row per student, as CSV (with BOM, for Excel) and .xlsx.

Twice the same results give the same bytes (fixed times inside the .xlsx); every file is
written atomically.
"""
from __future__ import annotations

import csv
import io
import os
import re
from fractions import Fraction
from pathlib import Path

from ..content.questions import TYPE_NAMES
from ..files import write_atomic
from .results import STATUS_LABELS, exercise_ids, fmt_number, full_marks, review_note
from .statistics import statistics, wrong_text

FIXED_TIME = (2020, 1, 1, 0, 0, 0)   # in .xlsx zip entries and document properties


def gradebook_table(results, unit: str, include_unidentified: bool = True, deadlines=None) -> tuple[list[str], list[list]]:
    """The 成绩表 of ``unit``: a header and one row per student, sorted by 学号.

    Columns 学号, 姓名, 文件, 状态, 原因, one per exercise id (score; ``None`` when
    rejected), 总分, 满分, 备注 (the grader's notes for the teacher).  Rejected files whose
    unit could not be identified are listed at the end (``include_unidentified``) so no
    handed-in file goes unnoticed.  When ``deadlines`` (:class:`course_lib.grading.late.Deadlines`)
    give the unit a due date, four columns follow 满分: 提交时间, 迟交天数, 迟交扣分 and
    计入成绩 (the 百分制 score after the penalty, see :mod:`.late`).

    >>> from course_lib.grading.results import SubmissionResult
    >>> r = SubmissionResult.rejected("a.ipynb", "", "文件是空的", student_id="2", name="李四", unit="u01")
    >>> gradebook_table([r], "u01")
    (['学号', '姓名', '文件', '状态', '原因', '总分', '满分', '备注'], [['2', '李四', 'a.ipynb', '已拒收', '文件是空的', None, None, '']])
    """
    ids = exercise_ids(results, unit)
    full = full_marks(results, unit)
    chosen = [r for r in results if r.unit == unit or (include_unidentified and not r.unit and unit)]
    chosen.sort(key=lambda r: (not r.student_id, r.student_id, r.file))
    due = deadlines is not None and unit in deadlines.due
    header = ["学号", "姓名", "文件", "状态", "原因", *ids, "总分", "满分",
              *(["提交时间", "迟交天数", "迟交扣分", "计入成绩（百分制）"] if due else []), "备注"]
    rows = []
    for r in chosen:
        scores = []
        for exercise_id in ids:
            e = r.exercise(exercise_id) if r.graded else None
            scores.append(round(e.score, 2) if e else None)
        total = round(r.total, 2) if r.graded else None
        most = round(r.max, 2) if r.graded else full
        rows.append([r.student_id, r.name, r.file, STATUS_LABELS.get(r.status, r.status), r.reason,
                     *scores, total, most, *(_late_cells(r, deadlines) if due else []), "；".join(notes(r))])
    return header, rows


def notes(r) -> list[str]:
    """The grader's notes on ``r`` and what the teacher changed at the review desk."""
    return [*r.notes, *(review_note(e) for e in r.exercises if e.reviewed)]


def _late_cells(r, deadlines) -> list:
    """提交时间, 迟交天数, 迟交扣分, 计入成绩 of ``r`` (blank for a file without a unit or a score)."""
    when = deadlines.submitted(r)[0]
    late = deadlines.late(r)
    if late is None:
        return [when.strftime("%Y-%m-%d %H:%M") if when else "", None, None, None]
    counted = float(round(late.apply(Fraction(str(r.total)) / Fraction(str(r.max)) * 100), 2)) if r.graded and r.max else None
    return [when.strftime("%Y-%m-%d %H:%M") if when else "", late.days, late.deduction if late.days else 0, counted]


_FORMULA_START = ("=", "+", "-", "@")
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f]")       # every control character but the line break


def clean_text(text: str) -> str:
    r"""Text without control characters (Excel refuses some; an ESC or a tab is never wanted).

    >>> clean_text("张三\x1b[31m\t")
    '张三[31m'
    """
    return _CONTROL.sub("", text)


def csv_text(text: str) -> str:
    r"""A CSV cell Excel never reads as a formula: a leading = + - @ (also after a tab) gets a '.

    >>> csv_text('=HYPERLINK("x")'), csv_text("\t-1"), csv_text("李四")
    ('\'=HYPERLINK("x")', "'-1", '李四')
    """
    text = clean_text(text)
    return "'" + text if text[:1] in _FORMULA_START else text


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (int, float)):
        return fmt_number(value)
    return csv_text(str(value))


def export_csv(results, path: str | os.PathLike, unit: str, deadlines=None) -> Path:
    """Write the 成绩表 of ``unit`` (see :func:`gradebook_table`) as CSV for Excel.

    UTF-8 with BOM, ``\\r\\n`` line ends, scores like ``7.5``; written atomically.
    Excel reads 学号 as a number (leading zeros vanish): use :func:`export_xlsx` to keep them.
    """
    header, rows = gradebook_table(results, unit, deadlines=deadlines)
    return write_csv(path, [header, *rows])


def write_csv(path: str | os.PathLike, rows) -> Path:
    """Rows as CSV for Excel: UTF-8 with BOM, ``\r\n``, numbers like ``7.5``, text never a formula."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows([_csv_cell(v) for v in row] for row in rows)
    return write_atomic(path, buffer.getvalue().encode("utf-8-sig"))


def _deterministic_xlsx(data: bytes, properties) -> bytes:
    """Rewrite the .xlsx zip with fixed entry times and fixed document times."""
    import zipfile

    from openpyxl.xml.functions import tostring

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = tostring(properties.to_tree())
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = info.external_attr
            target.writestr(entry, content)
    return out.getvalue()


def fill(sheet, table_rows, widths: dict[str, float], text_columns: tuple[int, ...] = ()) -> None:
    """Put ``table_rows`` into ``sheet``: strings stay text (never formulas), the header is bold
    and frozen; cells of ``text_columns`` (1-based) are formatted as text (``@``), so a 学号
    stays text even when a teacher edits it in Excel."""
    from openpyxl.styles import Font

    bold = Font(bold=True)
    for number, row in enumerate(table_rows, 1):
        for col, value in enumerate(row, 1):
            if value is None or value == "":
                continue
            if isinstance(value, str):
                value = clean_text(value)
            cell = sheet.cell(row=number, column=col, value=value)
            if isinstance(value, str):
                cell.data_type = "s"          # text, never a formula
            if col in text_columns:
                cell.number_format = "@"
    for cell in sheet[1]:
        cell.font = bold
    sheet.freeze_panes = "A2"
    for letter, width in widths.items():
        sheet.column_dimensions[letter].width = width


def save_workbook(book, path: str | os.PathLike) -> Path:
    """Save ``book`` with fixed document and zip times (same content → same bytes), atomically."""
    import datetime

    fixed = datetime.datetime(*FIXED_TIME)
    book.properties.created = fixed
    book.properties.modified = fixed
    book.properties.creator = "course_lib"
    buffer = io.BytesIO()
    book.save(buffer)
    book.properties.modified = fixed       # openpyxl stamps "now" while saving
    return write_atomic(path, _deterministic_xlsx(buffer.getvalue(), book.properties))


def export_xlsx(results, path: str | os.PathLike, unit: str, deadlines=None) -> Path:
    """Write the 成绩表 of ``unit`` as .xlsx: sheet 成绩 (as :func:`export_csv`) and sheet
    统计 (per exercise: 分值, 平均得分, 得分率, 区分度, 未作答, 最常见的错误答案; then the
    class figures).  学号 stays text.  The document and zip times are fixed, so the same
    results give the same bytes.  Written atomically.
    """
    from openpyxl import Workbook

    header, rows = gradebook_table(results, unit, deadlines=deadlines)
    book = Workbook()
    sheet = book.active
    sheet.title = "成绩"
    fill(sheet, [header, *rows], {"A": 14, "B": 10, "C": 36, "D": 8, "E": 30})

    s = statistics(results, unit)
    table = [["练习", "题型", "分值", "平均得分", "得分率", "区分度", "未作答人数", "最常见的错误答案"]]
    for exercise_id, e in s["exercises"].items():
        table.append([exercise_id, TYPE_NAMES.get(e["type"], e["type"]), e["points"], _round(e["mean_score"]),
                      _round(e["difficulty"], 4), _round(e["discrimination"], 4), e["unanswered"],
                      wrong_text(e, limit=60)])
    table += [[], ["已评分人数", s["count"]], ["已拒收人数", s["rejected"]], ["满分", s["max_total"]],
              ["平均分", _round(s["mean"])], ["中位数", _round(s["median"])],
              ["最高分", s["highest"]], ["最低分", s["lowest"]]]
    summary = book.create_sheet("统计")
    fill(summary, table, {"A": 12, "H": 40})
    for cell in summary["E"][1:len(s["exercises"]) + 1]:
        cell.number_format = "0.0%"

    return save_workbook(book, path)


def _round(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)
