"""The grader's gradebook: results kept in SQLite, exported for Excel, fed back as Chinese text.

A *result* is the JSON-ready dict the grader makes for one submitted file (keys ``file``,
``sha256``, ``student_id``, ``name``, ``unit``, ``status`` 'graded' | 'rejected',
``reason``, ``notes``, ``exercises``, ``total``, ``max``; see :func:`check_result`).
:class:`Gradebook` stores one result per student and unit; the functions below take a
list of results (``Gradebook.results()``) and write the 成绩表 (CSV with BOM, .xlsx), the
per-student 反馈, the class 统计 and a one-line summary.  Every file is written atomically
(a temporary file in the same folder, then ``os.replace``) and twice the same input gives
the same bytes.  Nothing here prints or invents an answer key: only the fields listed in
:func:`feedback_text` reach a student.

>>> r = {"file": "20230101_张三_01.ipynb", "sha256": "0" * 64, "student_id": "20230101", "name": "张三",
...      "unit": "u01", "status": "graded", "reason": "", "notes": [], "total": 2.0, "max": 3.0,
...      "exercises": [{"id": "u01.e1", "type": "single", "points": 3.0, "score": 2.0, "status": "partial",
...                     "answer": "B", "message": "部分正确。", "hint": "再想想顾客的感受。", "missing": []}]}
>>> with Gradebook(":memory:") as book:
...     book.put(r)
...     book.has("0" * 64), [x["name"] for x in book.results("u01")]
(True, ['张三'])
>>> summary_line([r])
'共1份：已评分1份，已拒收0份；u01平均分2.0/3'
>>> print(feedback_text(r).splitlines()[0])
# 作业反馈：张三（学号20230101，单元u01）
"""
from __future__ import annotations

import csv
import io
import json
import math
import os
import re
import sqlite3
import statistics as stats
import tempfile
from collections import Counter
from pathlib import Path

from .content import TYPE_NAMES
from .results import STATUS_NAMES

GRADER_VERSION = "1"
SCHEMA_VERSION = 1
STATUS_LABELS = {"graded": "已评分", "rejected": "已拒收"}
BANDS = tuple(f"{10 * i}–{10 * (i + 1)}%" for i in range(10))
GROUP_PERCENT = 27            # 区分度：总分前27%与后27%两组
MIN_FOR_DISCRIMINATION = 4    # fewer graded students: no 区分度
TOP_WRONG = 3
FIXED_TIME = (2020, 1, 1, 0, 0, 0)   # in .xlsx zip entries and document properties
RESUBMIT = ("请在JupyterLab里打开本单元的学生版笔记本，完成练习后保存（Ctrl+S），"
            "重新提交一个完整的.ipynb文件（不要提交空文件、截图或压缩包，也不要改动检查单元格）。")
RENAME = "文件名请按老师要求的格式命名（例如20230101_张三_01.ipynb），以便识别学号和单元。"


class GradebookError(ValueError):
    """A result dict or a gradebook file is unusable; ``str(error)`` is a Chinese message."""


def check_result(result: object) -> None:
    """Raise :class:`GradebookError` (Chinese) unless ``result`` is a usable result dict.

    >>> check_result({"file": "a.ipynb", "sha256": "", "status": "done"})
    Traceback (most recent call last):
    ...
    course_lib.gradebook.GradebookError: 评分结果 a.ipynb 的 status 应是 graded 或 rejected，现在是 'done'。
    """
    if not isinstance(result, dict):
        raise GradebookError(f"评分结果应是 dict，现在是 {type(result).__name__}。")
    if not isinstance(result.get("file"), str) or not result["file"]:
        raise GradebookError("评分结果缺少 file（提交文件的相对路径）。")
    where = f"评分结果 {result['file']}"
    if not isinstance(result.get("sha256"), str):
        raise GradebookError(f"{where} 缺少 sha256。")
    if result.get("status") not in STATUS_LABELS:
        raise GradebookError(f"{where} 的 status 应是 graded 或 rejected，现在是 {result.get('status')!r}。")
    for key in ("student_id", "name", "unit", "reason"):
        if not isinstance(result.get(key, ""), str):
            raise GradebookError(f"{where} 的 {key} 应是字符串。")
    if not isinstance(result.get("exercises", []), list):
        raise GradebookError(f"{where} 的 exercises 应是列表。")
    if result["status"] == "graded" and not result.get("unit"):
        raise GradebookError(f"{where} 已评分，却没有单元（unit）。")
    try:
        json.dumps(result, allow_nan=False)
    except (TypeError, ValueError) as error:
        raise GradebookError(f"{where} 不能保存为 JSON：{error}") from error


def _key(result: dict) -> tuple[str, str]:
    """(student, unit) — or ('', 'file:<path>') for a file whose student or unit is unknown."""
    student, unit = result.get("student_id") or "", result.get("unit") or ""
    return (student, unit) if student and unit else ("", "file:" + result["file"])


_SCHEMA = """
CREATE TABLE IF NOT EXISTS results (
    student_key TEXT NOT NULL, unit_key TEXT NOT NULL,
    student_id TEXT NOT NULL, unit TEXT NOT NULL, file TEXT NOT NULL,
    sha256 TEXT NOT NULL, version TEXT NOT NULL, result TEXT NOT NULL,
    PRIMARY KEY (student_key, unit_key));
CREATE TABLE IF NOT EXISTS graded_files (
    file TEXT PRIMARY KEY, sha256 TEXT NOT NULL, version TEXT NOT NULL, student_id TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS graded_files_sha ON graded_files (sha256, version);
"""


class Gradebook:
    """One SQLite file of results: one row per (student, unit), each with its file's sha256
    and the grader version that produced it.

    Only the grader's main process writes (worker processes return their result dicts);
    every :meth:`put` and :meth:`forget` is one transaction, so an interrupted batch leaves
    every finished submission stored and nothing half-written.  Readers may open the same
    file at the same time (SQLite locking; a writer waits up to ``timeout`` seconds).

    >>> book = Gradebook(":memory:")
    >>> book.put({"file": "x.ipynb", "sha256": "ab", "status": "rejected", "reason": "文件是空的"})
    >>> book.results()[0]["reason"], book.has("ab"), book.has("ab", version="0")
    ('文件是空的', True, False)
    >>> book.close()
    """

    def __init__(self, path: str | os.PathLike, timeout: float = 30.0) -> None:
        self.path = path if str(path) == ":memory:" else Path(path)
        if isinstance(self.path, Path):
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(self.path), timeout=timeout, isolation_level=None)
        try:
            version = self._db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise GradebookError(f"成绩库 {path} 来自更新版本的评分程序（格式{version}），请升级 course_lib。")
            if version < SCHEMA_VERSION:
                self._db.executescript(_SCHEMA)
                self._db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        except sqlite3.DatabaseError as error:
            self._db.close()
            raise GradebookError(f"{path} 不是成绩库文件（SQLite）：{error}") from error
        except GradebookError:
            self._db.close()
            raise

    # -- writing
    def _transaction(self, statements: list[tuple[str, tuple]]) -> list[int]:
        counts = []
        self._db.execute("BEGIN IMMEDIATE")
        try:
            for sql, args in statements:
                counts.append(self._db.execute(sql, args).rowcount)
            self._db.execute("COMMIT")
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        return counts

    def put(self, result: dict, version: str = GRADER_VERSION) -> None:
        """Store ``result``, replacing the row of the same student and unit (one transaction).

        A file whose student id or unit is unknown (a rejected, unidentified file) is kept
        under its path instead.  The file's path, bytes (sha256) and ``version`` are also
        remembered for :meth:`has`.
        """
        check_result(result)
        student_key, unit_key = _key(result)
        row = (student_key, unit_key, result.get("student_id") or "", result.get("unit") or "",
               result["file"], result["sha256"], str(version),
               json.dumps(result, ensure_ascii=False, sort_keys=True, allow_nan=False))
        self._transaction([
            ("INSERT OR REPLACE INTO results VALUES (?, ?, ?, ?, ?, ?, ?, ?)", row),
            ("INSERT OR REPLACE INTO graded_files VALUES (?, ?, ?, ?)",
             (result["file"], result["sha256"], str(version), result.get("student_id") or "")),
        ])

    def forget(self, student_id: str) -> int:
        """Drop every result (and the resume memory) of one student, to regrade them; returns the rows removed."""
        counts = self._transaction([
            ("DELETE FROM results WHERE student_id = ?", (student_id,)),
            ("DELETE FROM graded_files WHERE student_id = ?", (student_id,)),
        ])
        return counts[0]

    # -- reading
    def has(self, sha256: str, version: str = GRADER_VERSION, file: str | None = None) -> bool:
        """True if a submission with these bytes was already graded by this grader ``version``.

        Pass ``file`` (the submission's relative path) whenever you have it: two students
        can hand in byte-identical files (e.g. the untouched student edition), and each must
        still get a row.  Every file put is remembered, also one whose row a later file of the
        same student replaced, so a resumed batch ends exactly as an uninterrupted one.
        """
        sql = "SELECT 1 FROM graded_files WHERE sha256 = ? AND version = ?"
        args: tuple = (sha256, str(version))
        if file is not None:
            sql, args = sql + " AND file = ?", args + (file,)
        return self._db.execute(sql + " LIMIT 1", args).fetchone() is not None

    def results(self, unit: str | None = None) -> list[dict]:
        """The stored results (of one ``unit`` if given), sorted by (unit, student_id, file)."""
        if unit is None:
            rows = self._db.execute("SELECT result FROM results").fetchall()
        else:
            rows = self._db.execute("SELECT result FROM results WHERE unit = ?", (unit,)).fetchall()
        return sorted((json.loads(r[0]) for r in rows), key=_result_order)

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Gradebook:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Gradebook({str(self.path)!r})"


# ----------------------------------------------------------------------------- helpers

def _result_order(result: dict) -> tuple:
    return (result.get("unit") or "", result.get("student_id") or "", result.get("file") or "")


def natural_key(text: str) -> list:
    """Sort key putting ``u01.e2`` before ``u01.e10``.

    >>> sorted(["u01.e10", "u01.e2", "u01.e1"], key=natural_key)
    ['u01.e1', 'u01.e2', 'u01.e10']
    """
    return [int(part) if i % 2 else part for i, part in enumerate(re.split(r"(\d+)", text))]


def fmt_number(value: float | None) -> str:
    """A score for people: at most 2 decimals, no trailing zeros; ``''`` for ``None``.

    >>> fmt_number(2.0), fmt_number(7.5), fmt_number(1 / 3), fmt_number(None)
    ('2', '7.5', '0.33', '')
    """
    if value is None:
        return ""
    text = f"{round(float(value), 2) + 0.0:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _graded(results, unit: str) -> list[dict]:
    return [r for r in results if r.get("status") == "graded" and r.get("unit") == unit]


def _full_marks(results, unit: str) -> float | None:
    maxima = [float(r.get("max") or 0) for r in _graded(results, unit)]
    return max(maxima) if maxima else None


def _exercise_ids(results, unit: str) -> list[str]:
    ids = {e["id"] for r in _graded(results, unit) for e in r.get("exercises") or [] if e.get("id")}
    return sorted(ids, key=natural_key)


def _exercise(result: dict, exercise_id: str) -> dict | None:
    return next((e for e in result.get("exercises") or [] if e.get("id") == exercise_id), None)


def _write_atomic(path: str | os.PathLike, data: bytes) -> Path:
    """Write ``data`` to a temporary file next to ``path``, then move it into place."""
    path = Path(path)
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, path.stat().st_mode & 0o777 if path.exists() else 0o644)
        os.replace(tmp, path)
    except PermissionError as error:
        _remove(tmp)
        raise PermissionError(f"无法写入 {path}：没有写入权限，或文件正被 Excel 等程序打开（请关闭后重试）。") from error
    except BaseException:
        _remove(tmp)
        raise
    return path


def _remove(tmp: str | None) -> None:
    if tmp and os.path.exists(tmp):
        os.remove(tmp)


# ----------------------------------------------------------------------------- 成绩表

def gradebook_table(results, unit: str, include_unidentified: bool = True) -> tuple[list[str], list[list]]:
    """The 成绩表 of ``unit``: a header and one row per student, sorted by 学号.

    Columns 学号, 姓名, 文件, 状态, 原因, one per exercise id (score; ``None`` when
    rejected), 总分, 满分, 备注 (the grader's notes for the teacher).  Rejected files whose
    unit could not be identified are listed at the end (``include_unidentified``) so no
    handed-in file goes unnoticed.

    >>> r = {"file": "a.ipynb", "sha256": "", "student_id": "2", "name": "李四", "unit": "u01",
    ...      "status": "rejected", "reason": "文件是空的", "exercises": []}
    >>> gradebook_table([r], "u01")
    (['学号', '姓名', '文件', '状态', '原因', '总分', '满分', '备注'], [['2', '李四', 'a.ipynb', '已拒收', '文件是空的', None, None, '']])
    """
    ids = _exercise_ids(results, unit)
    full = _full_marks(results, unit)
    chosen = [r for r in results
              if r.get("unit") == unit or (include_unidentified and not r.get("unit") and unit)]
    chosen.sort(key=lambda r: (not r.get("student_id"), r.get("student_id") or "", r.get("file") or ""))
    header = ["学号", "姓名", "文件", "状态", "原因", *ids, "总分", "满分", "备注"]
    rows = []
    for r in chosen:
        graded = r.get("status") == "graded"
        scores = []
        for exercise_id in ids:
            e = _exercise(r, exercise_id) if graded else None
            scores.append(round(float(e["score"]), 2) if e and e.get("score") is not None else None)
        total = round(float(r.get("total") or 0), 2) if graded else None
        most = round(float(r["max"]), 2) if graded and r.get("max") is not None else full
        rows.append([r.get("student_id") or "", r.get("name") or "", r.get("file") or "",
                     STATUS_LABELS.get(r.get("status"), r.get("status")), r.get("reason") or "",
                     *scores, total, most, "；".join(r.get("notes") or [])])
    return header, rows


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (int, float)):
        return fmt_number(value)
    text = str(value)
    # a name or file like "=HYPERLINK(...)" must stay text in Excel
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def export_csv(results, path: str | os.PathLike, unit: str) -> Path:
    """Write the 成绩表 of ``unit`` (see :func:`gradebook_table`) as CSV for Excel.

    UTF-8 with BOM, ``\\r\\n`` line ends, scores like ``7.5``; written atomically.
    Excel reads 学号 as a number (leading zeros vanish): use :func:`export_xlsx` to keep them.
    """
    header, rows = gradebook_table(results, unit)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([_csv_cell(v) for v in row] for row in rows)
    return _write_atomic(path, buffer.getvalue().encode("utf-8-sig"))


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


def export_xlsx(results, path: str | os.PathLike, unit: str) -> Path:
    """Write the 成绩表 of ``unit`` as .xlsx: sheet 成绩 (as :func:`export_csv`) and sheet
    统计 (per exercise: 分值, 平均得分, 得分率, 区分度, 未作答, 最常见的错误答案; then the
    class figures).  学号 stays text.  The document and zip times are fixed, so the same
    results give the same bytes.  Written atomically.
    """
    import datetime

    from openpyxl import Workbook
    from openpyxl.styles import Font

    bold = Font(bold=True)

    def fill(sheet, table_rows, widths):
        for number, row in enumerate(table_rows, 1):
            for column, value in enumerate(row, 1):
                if value is None or value == "":
                    continue
                cell = sheet.cell(row=number, column=column, value=value)
                if isinstance(value, str) and value.startswith("="):
                    cell.data_type = "s"          # text, never a formula
        for cell in sheet[1]:
            cell.font = bold
        sheet.freeze_panes = "A2"
        for letter, width in widths.items():
            sheet.column_dimensions[letter].width = width

    header, rows = gradebook_table(results, unit)
    book = Workbook()
    sheet = book.active
    sheet.title = "成绩"
    fill(sheet, [header, *rows], {"A": 14, "B": 10, "C": 36, "D": 8, "E": 30})

    s = statistics(results, unit)
    table = [["练习", "题型", "分值", "平均得分", "得分率", "区分度", "未作答人数", "最常见的错误答案"]]
    for exercise_id, e in s["exercises"].items():
        table.append([exercise_id, TYPE_NAMES.get(e["type"], e["type"]), e["points"], _round(e["mean_score"]),
                      _round(e["difficulty"], 4), _round(e["discrimination"], 4), e["unanswered"],
                      _wrong_text(e, limit=60)])
    table += [[], ["已评分人数", s["count"]], ["已拒收人数", s["rejected"]], ["满分", s["max_total"]],
              ["平均分", _round(s["mean"])], ["中位数", _round(s["median"])],
              ["最高分", s["highest"]], ["最低分", s["lowest"]]]
    summary = book.create_sheet("统计")
    fill(summary, table, {"A": 12, "H": 40})
    for cell in summary["E"][1:len(s["exercises"]) + 1]:
        cell.number_format = "0.0%"

    fixed = datetime.datetime(*FIXED_TIME)
    book.properties.created = fixed
    book.properties.modified = fixed
    book.properties.creator = "course_lib"
    buffer = io.BytesIO()
    book.save(buffer)
    book.properties.modified = fixed       # openpyxl stamps "now" while saving
    return _write_atomic(path, _deterministic_xlsx(buffer.getvalue(), book.properties))


def _round(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


# ----------------------------------------------------------------------------- 反馈

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


def _md(text: str) -> str:
    """Student text shown literally in Markdown."""
    return _MD_SPECIAL.sub(r"\\\1", text)


def _code(text: str) -> str:
    """A file path as a Markdown code span (no escaping needed inside)."""
    return "`" + text.replace("`", "'") + "`"


def _who(result: dict) -> str:
    sid, name, unit = result.get("student_id") or "", result.get("name") or "", result.get("unit") or ""
    parts = ([f"学号{_md(sid)}"] if sid else []) + ([f"单元{_md(unit)}"] if unit else [])
    if name:
        return f"{_md(name)}（{'，'.join(parts)}）" if parts else _md(name)
    if sid:
        return "，".join(parts)
    return f"文件{_code(result.get('file') or '')}" + (f"（单元{_md(unit)}）" if unit else "")


def _answer_lines(answer: str) -> list[str]:
    answer = (answer or "").strip()
    if not answer:
        return ["- 你的答案：（未作答）"]
    if "\n" not in answer and len(answer) <= 40:
        return [f"- 你的答案：{_md(answer)}"]
    quoted = [f"  > {_md(line)}".rstrip() for line in answer.splitlines()]
    return ["- 你的答案：", ""] + quoted + [""]


def feedback_text(result: dict) -> str:
    """Per-student feedback in Chinese Markdown.

    Shows only: 姓名, 学号, 单元, 总分/满分, and per exercise 得分, the status in Chinese,
    the student's own answer, ``message`` (what was wrong), ``hint`` (how to improve) and
    ``missing`` (「还可以改进：…」).  Any other field (a key, the expected value …) is never
    printed.  A rejected file gets the reason and what to do.

    >>> r = {"file": "a.ipynb", "sha256": "", "student_id": "2", "name": "", "unit": "u01",
    ...      "status": "rejected", "reason": "文件是空的"}
    >>> print(feedback_text(r))  # doctest: +ELLIPSIS
    # 作业反馈：学号2，单元u01
    <BLANKLINE>
    **这份作业没有评分（已拒收）。**
    <BLANKLINE>
    - 提交的文件：`a.ipynb`
    - 原因：文件是空的
    - 怎么办：请在JupyterLab里打开本单元的学生版笔记本，...
    """
    lines = [f"# 作业反馈：{_who(result)}", ""]
    if result.get("status") != "graded":
        lines += ["**这份作业没有评分（已拒收）。**", "",
                  f"- 提交的文件：{_code(result.get('file') or '')}",
                  f"- 原因：{result.get('reason') or '文件无法评分'}",
                  f"- 怎么办：{RESUBMIT}"]
        if not (result.get("student_id") and result.get("unit")):
            lines.append(f"- 另外：{RENAME}")
        lines += ["", "如有疑问，请联系任课老师。", ""]
        return "\n".join(lines)

    lines += [f"**总分：{fmt_number(result.get('total') or 0)}/{fmt_number(result.get('max') or 0)}**", ""]
    exercises = result.get("exercises") or []
    if not exercises:
        lines += ["这个单元没有需要评分的练习。", ""]
    for number, e in enumerate(exercises, 1):
        kind = TYPE_NAMES.get(e.get("type"), "")
        points = fmt_number(e.get("points") or 0)
        lines += [f"## {number}. 练习{_md(e.get('id') or '')}（{kind + '，' if kind else ''}{points}分）", "",
                  f"- 得分：{fmt_number(e.get('score') or 0)}/{points}",
                  f"- 结果：{STATUS_NAMES.get(e.get('status'), e.get('status') or '')}"]
        lines += _answer_lines("" if e.get("status") == "unanswered" else e.get("answer") or "")
        if e.get("message"):
            lines.append(f"- 说明：{e['message']}")
        if e.get("status") != "correct" and e.get("hint"):
            lines.append(f"- 改进建议：{e['hint']}")
        if e.get("missing"):
            lines.append(f"- 还可以改进：{'；'.join(e['missing'])}")
        lines.append("")
    lines += ["如有疑问，请联系任课老师。", ""]
    return "\n".join(lines)


def _safe_part(text: str) -> str:
    return re.sub(r'[\\/:*?"<>|\x00-\x1f]', "_", text).strip(" .")


def feedback_filename(result: dict) -> str:
    """``反馈_<学号>_<姓名>_<单元>.md`` (empty parts left out; the file name when no 学号).

    >>> feedback_filename({"file": "班级A/x.ipynb", "student_id": "20230101", "name": "张三", "unit": "u01"})
    '反馈_20230101_张三_u01.md'
    >>> feedback_filename({"file": "班级A/无名.ipynb", "student_id": "", "name": "", "unit": ""})
    '反馈_无名_未知单元.md'
    """
    who = result.get("student_id") or Path(result.get("file") or "未知").stem
    parts = ["反馈", who, result.get("name") or "", result.get("unit") or "未知单元"]
    return "_".join(p for p in map(_safe_part, parts) if p) + ".md"


def write_feedback(results, folder: str | os.PathLike) -> list[Path]:
    """Write :func:`feedback_text` of every result into ``folder`` (UTF-8, atomic); returns the paths.

    Two results with the same file name (one student's unidentified files) get ``_2``, ``_3`` ….
    """
    folder = Path(folder)
    paths, used = [], set()
    for result in sorted(results, key=_result_order):
        name = feedback_filename(result)
        stem, n = name[:-3], 1
        while name in used:
            n += 1
            name = f"{stem}_{n}.md"
        used.add(name)
        paths.append(_write_atomic(folder / name, feedback_text(result).encode("utf-8")))
    return paths


# ----------------------------------------------------------------------------- 统计

def _band(total: float, full: float) -> int:
    if full <= 0:
        return 0
    return min(9, max(0, math.floor(round(total * 10 / full, 9))))


def _groups(graded: list[dict]) -> tuple[list[dict], list[dict]] | None:
    n = len(graded)
    if n < MIN_FOR_DISCRIMINATION:
        return None
    size = max(1, (GROUP_PERCENT * n + 50) // 100)
    ranked = sorted(graded, key=lambda r: (-float(r.get("total") or 0), r.get("student_id") or "", r["file"]))
    return ranked[:size], ranked[-size:]


def _fraction(result: dict, exercise_id: str, points: float) -> float:
    e = _exercise(result, exercise_id)
    return float(e.get("score") or 0) / points if e else 0.0


def _top(counter: Counter) -> list[tuple[str, int]]:
    return sorted(counter.items(), key=lambda item: (-item[1], item[0]))[:TOP_WRONG]


def statistics(results, unit: str) -> dict:
    """Class statistics over the graded results of ``unit``.

    Keys: ``unit``, ``count`` (graded), ``rejected``, ``mean``, ``median``, ``highest``,
    ``lowest`` (of the totals; ``None`` without graded results), ``max_total`` (the 满分),
    ``distribution`` (``{"0–10%": n, …, "90–100%": n}`` of total ÷ 满分; a band holds its
    lower bound, the last one also 100%) and ``exercises``, per exercise id in natural order:

    * ``difficulty`` 得分率 = mean score ÷ points (``None`` for 0 points);
    * ``discrimination`` 区分度 = mean score fraction of the top 27% of totals minus that of
      the bottom 27% (group size rounded, at least 1; ties in total broken by 学号);
      ``None`` with fewer than 4 graded students;
    * ``wrong_answers``: the 3 most common answers that were not correct (partial, wrong,
      invalid; not unanswered) as ``(answer, count)``, ties by answer text;
    * ``common_missing``: the same for the rubric points in ``missing`` (text answers);
    * ``unanswered``, ``mean_score``, ``points``, ``type``.

    An exercise missing from a graded result counts as 0 points for that student.

    >>> rs = [{"file": f"{i}.ipynb", "student_id": str(i), "unit": "u01", "status": "graded",
    ...        "total": t, "max": 2, "exercises": [{"id": "u01.e1", "type": "single", "points": 2,
    ...        "score": t, "status": "correct" if t == 2 else "wrong", "answer": "A" if t == 2 else "C"}]}
    ...       for i, t in enumerate([2, 2, 0, 0])]
    >>> s = statistics(rs, "u01")
    >>> s["mean"], s["exercises"]["u01.e1"]["difficulty"], s["exercises"]["u01.e1"]["discrimination"]
    (1.0, 0.5, 1.0)
    >>> s["exercises"]["u01.e1"]["wrong_answers"], s["distribution"]["90–100%"]
    ([('C', 2)], 2)
    """
    graded = _graded(results, unit)
    totals = [float(r.get("total") or 0) for r in graded]
    full = _full_marks(results, unit)
    distribution = dict.fromkeys(BANDS, 0)
    for total in totals:
        distribution[BANDS[_band(total, full or 0)]] += 1
    groups = _groups(graded)

    exercises = {}
    for exercise_id in _exercise_ids(results, unit):
        found = [e for r in graded if (e := _exercise(r, exercise_id))]
        points = max(float(e.get("points") or 0) for e in found)
        scores = [float(e.get("score") or 0) for e in found] + [0.0] * (len(graded) - len(found))
        mean_score = stats.fmean(scores)
        discrimination = None
        if groups and points > 0:
            upper, lower = groups
            discrimination = (stats.fmean(_fraction(r, exercise_id, points) for r in upper)
                              - stats.fmean(_fraction(r, exercise_id, points) for r in lower))
        wrong = Counter(str(e.get("answer") or "").strip() for e in found
                        if e.get("status") in ("partial", "wrong", "invalid") and str(e.get("answer") or "").strip())
        missing = Counter(m for e in found for m in e.get("missing") or [])
        exercises[exercise_id] = {
            "type": next((e["type"] for e in found if e.get("type")), ""),
            "points": points,
            "mean_score": mean_score,
            "difficulty": mean_score / points if points > 0 else None,
            "discrimination": discrimination,
            "wrong_answers": _top(wrong),
            "common_missing": _top(missing),
            "unanswered": sum(e.get("status") == "unanswered" for e in found),
        }
    return {
        "unit": unit,
        "count": len(graded),
        "rejected": sum(r.get("unit") == unit and r.get("status") == "rejected" for r in results),
        "mean": stats.fmean(totals) if totals else None,
        "median": float(stats.median(totals)) if totals else None,
        "highest": max(totals) if totals else None,
        "lowest": min(totals) if totals else None,
        "max_total": full,
        "distribution": distribution,
        "exercises": exercises,
    }


def discrimination_label(value: float | None) -> str:
    """好 (≥0.4), 一般 (0.2–0.4), 需要修改题目 (<0.2); '—' for ``None``.

    >>> discrimination_label(0.45), discrimination_label(0.2), discrimination_label(0.1), discrimination_label(None)
    ('好', '一般', '需要修改题目', '—')
    """
    if value is None:
        return "—"
    if value >= 0.4:
        return "好"
    return "一般" if value >= 0.2 else "需要修改题目"


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _wrong_text(exercise: dict, limit: int = 20) -> str:
    if exercise["type"] == "text":
        items = exercise["common_missing"]
        return ("最常缺少：" + "；".join(f"{m}（{n}人）" for m, n in items)) if items else "—"
    items = exercise["wrong_answers"]
    return "；".join(f"{_shorten(a, limit)}（{n}人）" for a, n in items) if items else "—"


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.0f}%"


def report_text(results, unit: str) -> str:
    """The Chinese Markdown report of :func:`statistics` (the text of ``统计_<单元>.md``)."""
    s = statistics(results, unit)
    lines = [f"# 统计报告：单元{unit}", ""]
    if not s["count"]:
        lines += [f"没有已评分的作业（已拒收{s['rejected']}份）。", ""]
        return "\n".join(lines)
    lines += [f"- 已评分：{s['count']}份（已拒收{s['rejected']}份）",
              f"- 满分：{fmt_number(s['max_total'])}",
              f"- 平均分：{s['mean']:.1f}",
              f"- 中位数：{fmt_number(s['median'])}",
              f"- 最高分：{fmt_number(s['highest'])}，最低分：{fmt_number(s['lowest'])}",
              "", "## 分数分布", "", f"按得分率（总分÷满分）分段，图见“分数分布_{unit}.png”。", "",
              "| 得分率 | 人数 |", "|---|---:|"]
    lines += [f"| {band} | {n} |" for band, n in s["distribution"].items()]
    lines += ["", "## 各练习", "",
              "- 得分率：平均得分÷分值，越低说明题目越难。",
              f"- 区分度：总分前{GROUP_PERCENT}%的学生与后{GROUP_PERCENT}%的学生在这道题上得分率之差。"
              f"≥0.4好，0.2–0.4一般，<0.2需要修改题目（少于{MIN_FOR_DISCRIMINATION}人时不计算，记为“—”）。",
              "- 简答题列出最常缺少的要点，其他题列出最常见的错误答案（不含未作答）。", "",
              "| 练习 | 题型 | 分值 | 平均得分 | 得分率 | 区分度 | 未作答 | 最常见的错误答案 |",
              "|---|---|---:|---:|---:|---:|---:|---|"]
    for exercise_id, e in s["exercises"].items():
        d = e["discrimination"]
        shown = "—" if d is None else f"{d:.2f}（{discrimination_label(d)}）"
        wrong = _wrong_text(e).replace("|", "\\|")
        lines.append(f"| {exercise_id} | {TYPE_NAMES.get(e['type'], e['type'])} | {fmt_number(e['points'])} | "
                     f"{fmt_number(e['mean_score'])} | {_percent(e['difficulty'])} | {shown} | "
                     f"{e['unanswered']} | {wrong} |")
    lines.append("")
    return "\n".join(lines)


def distribution_chart(results, unit: str):
    """A bar chart (matplotlib ``Figure``, Agg canvas, not registered with pyplot) of the score bands."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    from .charts import setup_charts

    setup_charts()
    s = statistics(results, unit)
    figure = Figure(figsize=(7.0, 3.6))
    FigureCanvasAgg(figure)
    ax = figure.add_subplot()
    bars = ax.bar(list(s["distribution"]), list(s["distribution"].values()))
    ax.bar_label(bars, fmt="%d")
    ax.set_title(f"单元{unit}分数分布（已评分{s['count']}份）")
    ax.set_xlabel("得分率（总分÷满分）")
    ax.set_ylabel("人数")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylim(0, max(1, *s["distribution"].values()) * 1.15)
    ax.tick_params(axis="x", labelsize=8, labelrotation=30)
    return figure


def write_report(results, folder: str | os.PathLike, unit: str) -> list[Path]:
    """Write ``统计_<单元>.md`` (:func:`report_text`) and ``分数分布_<单元>.png`` into ``folder``.

    The chart is drawn on matplotlib's Agg canvas without pyplot, so a notebook's own
    backend is left alone and no figure stays open.  Both files are written atomically.
    """
    folder = Path(folder)
    report = _write_atomic(folder / f"统计_{_safe_part(unit)}.md", report_text(results, unit).encode("utf-8"))
    figure = distribution_chart(results, unit)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    chart = _write_atomic(folder / f"分数分布_{_safe_part(unit)}.png", buffer.getvalue())
    return [report, chart]


def summary_line(results) -> str:
    """One line for the end of a batch, e.g. ``共42份：已评分40份，已拒收2份；u01平均分9.3/13``.

    >>> summary_line([{"file": "a", "status": "rejected"}])
    '共1份：已评分0份，已拒收1份'
    """
    graded = [r for r in results if r.get("status") == "graded"]
    line = f"共{len(results)}份：已评分{len(graded)}份，已拒收{len(results) - len(graded)}份"
    units = sorted({r.get("unit") for r in graded if r.get("unit")}, key=natural_key)
    parts = [f"{u}平均分{stats.fmean(float(r.get('total') or 0) for r in _graded(results, u)):.1f}"
             f"/{fmt_number(_full_marks(results, u))}" for u in units]
    return line + ("；" + "，".join(parts) if parts else "")
