"""Per-student feedback in Chinese Markdown: ``反馈/反馈_<学号>_<姓名>_<单元>.md``.

Only what a student may see reaches the file: their own answers, what was wrong and how to
improve — never a key (see :func:`feedback_text`).
"""
from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path

from ..content.questions import TYPE_NAMES
from ..content.results import STATUS_NAMES
from ..files import safe_name, write_atomic
from .results import SubmissionResult, fmt_number, result_order, review_note

RESUBMIT = ("请在JupyterLab里打开本单元的学生版笔记本，完成练习后保存（Ctrl+S），"
            "重新提交一个完整的.ipynb文件（不要提交空文件、截图或压缩包，也不要改动检查单元格）。")
RENAME = "文件名请按老师要求的格式命名（例如20230101_张三_01.ipynb），以便识别学号和单元。"


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
NAME_PART = 40                # characters of one part of a feedback file name


def plain(text: str) -> str:
    """Text without control characters (an ESC in a file name never reaches a report)."""
    return _CONTROL.sub("", text)


def _md(text: str) -> str:
    """Student text shown literally in Markdown."""
    return _MD_SPECIAL.sub(r"\\\1", plain(text))


def _code(text: str) -> str:
    """A file path as a Markdown code span (no escaping needed inside)."""
    return "`" + plain(text).replace("`", "'").replace("\n", " ") + "`"


def _who(result: SubmissionResult) -> str:
    sid, name, unit = result.student_id, result.name, result.unit
    parts = ([f"学号{_md(sid)}"] if sid else []) + ([f"单元{_md(unit)}"] if unit else [])
    if name:
        return f"{_md(name)}（{'，'.join(parts)}）" if parts else _md(name)
    if sid:
        return "，".join(parts)
    return f"文件{_code(result.file)}" + (f"（单元{_md(unit)}）" if unit else "")


def _answer_lines(answer: str) -> list[str]:
    answer = (answer or "").strip()
    if not answer:
        return ["- 你的答案：（未作答）"]
    if "\n" not in answer and len(answer) <= 40:
        return [f"- 你的答案：{_md(answer)}"]
    quoted = [f"  > {_md(line)}".rstrip() for line in answer.splitlines()]
    return ["- 你的答案：", ""] + quoted + [""]


def feedback_text(result: SubmissionResult, keys: dict[str, str] | None = None, deadlines=None) -> str:
    """Per-student feedback in Chinese Markdown.

    Shows only: 姓名, 学号, 单元, 总分/满分, and per exercise 得分, the status in Chinese,
    the student's own answer, ``message`` (what was wrong), ``hint`` (how to improve) and
    ``missing`` (「还可以改进：…」).  Any other field (a key, the expected value …) is never
    printed; the key (or the reference reply) only when the teacher passes ``keys`` (grading
    with ``--show-answers``, after the deadline).  A rejected file gets the reason and what to do.
    With ``deadlines`` (:class:`course_lib.grading.late.Deadlines`) and a due date for the
    unit, the submission time, the due date and any late penalty follow the total.

    >>> r = SubmissionResult.rejected("a.ipynb", "", "文件是空的", student_id="2", unit="u01")
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
    if not result.graded:
        lines += ["**这份作业没有评分（已拒收）。**", "",
                  f"- 提交的文件：{_code(result.file)}",
                  f"- 原因：{plain(result.reason) or '文件无法评分'}",
                  f"- 怎么办：{RESUBMIT}"]
        if not (result.student_id and result.unit):
            lines.append(f"- 另外：{RENAME}")
        lines += ["", "如有疑问，请联系任课老师。", ""]
        return "\n".join(lines)

    lines += [f"**总分：{fmt_number(result.total)}/{fmt_number(result.max)}**", ""]
    late = deadlines.lines(result) if deadlines is not None else []
    if late:
        lines += [*late, ""]
    if not result.exercises:
        lines += ["这个单元没有需要评分的练习。", ""]
    for number, e in enumerate(result.exercises, 1):
        kind = TYPE_NAMES.get(e.type, "")
        points = fmt_number(e.points)
        lines += [f"## {number}. 练习{_md(e.id)}（{kind + '，' if kind else ''}{points}分）", "",
                  f"- 得分：{fmt_number(e.score)}/{points}",
                  f"- 结果：{STATUS_NAMES.get(e.status, e.status)}"]
        lines += _answer_lines("" if e.status == "unanswered" else e.answer)
        if e.message:
            lines.append(f"- 说明：{plain(e.message)}")
        if e.reviewed:
            lines.append(f"- {review_note(e)}" + (f"。老师的意见：{_md(e.comment)}" if e.comment else ""))
        if e.status != "correct" and e.hint:
            lines.append(f"- 改进建议：{e.hint}")
        if e.missing:
            lines.append(f"- 还可以改进：{'；'.join(e.missing)}")
        if keys is not None and keys.get(e.id):
            lines.append(f"- 参考答案：{_md(keys[e.id])}")
        lines.append("")
    lines += ["如有疑问，请联系任课老师。", ""]
    return "\n".join(lines)


def feedback_filename(result: SubmissionResult) -> str:
    """``反馈_<学号>_<姓名>_<单元>.md`` (empty parts left out; the file name when no 学号).

    >>> feedback_filename(SubmissionResult("班级A/x.ipynb", "", student_id="20230101", name="张三", unit="u01"))
    '反馈_20230101_张三_u01.md'
    >>> feedback_filename(SubmissionResult("班级A/无名.ipynb", ""))
    '反馈_无名_未知单元.md'
    """
    who = result.student_id or Path(result.file or "未知").stem
    parts = [safe_name(plain(p)) for p in ("反馈", who, result.name, result.unit or "未知单元")]
    short = []
    for part in parts:
        if len(part) > NAME_PART:           # a very long file name: keep a readable start and a short hash
            import hashlib

            part = part[:NAME_PART - 9] + "…" + hashlib.sha256(part.encode("utf-8")).hexdigest()[:8]
        short.append(part)
    return "_".join(p for p in short if p) + ".md"


def _same_on_windows(name: str) -> str:
    """The file name as a case-insensitive file system sees it (NFC, case folded).

    >>> _same_on_windows("反馈_Café.md") == _same_on_windows("反馈_cafe\u0301.md")
    True
    """
    return unicodedata.normalize("NFC", name).casefold()


def write_feedback(results, folder: str | os.PathLike, keys: dict[str, str] | None = None,
                   deadlines=None) -> list[Path]:
    """Write :func:`feedback_text` of every result into ``folder`` (UTF-8, atomic); returns the paths.

    Two results with the same file name (one student's unidentified files) get ``_2``, ``_3`` ….
    Feedback files of an earlier run that no longer belong to a result are removed.
    """
    folder = Path(folder)
    paths, used, last = [], set(), {}
    for result in sorted(results, key=result_order):
        name = feedback_filename(result)
        stem, base = name[:-3], _same_on_windows(name)
        n = last.get(base, 1)                     # counted on from the last _n of this name: no quadratic search
        while _same_on_windows(name) in used:      # 反馈_Abc… and 反馈_abc… are one file on Windows and macOS
            n += 1
            name = f"{stem}_{n}.md"
        last[base] = n
        used.add(_same_on_windows(name))
        paths.append(write_atomic(folder / name, feedback_text(result, keys, deadlines).encode("utf-8")))
    for stale in sorted(folder.glob("反馈_*.md")) if folder.is_dir() else []:
        if _same_on_windows(stale.name) not in used:
            stale.unlink()
    return paths
