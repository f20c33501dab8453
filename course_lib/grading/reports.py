"""Every report of a grading run, regenerated from the gradebook: the 成绩表 per unit (CSV and
.xlsx), per-student feedback, class statistics, and ``需要确认.md`` — what the teacher should
look at first (isolation, identity problems, files not graded, missing students).
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

from ..content.banks import load_exercises
from ..files import safe_name, write_atomic
from . import feedback, statistics, tables
from .copying import Copies, find_copies, pair_count
from .identity import RULE, Resolution, Roster, resolve
from .late import FORMAT, Deadlines
from .overrides import Override, stale
from .results import fmt_number
from .store import Gradebook

CHECK_FIRST = "需要确认.md"


def say(text: str) -> None:
    """Print a line on any console: characters it cannot show become ``?`` instead of an error."""
    stream = sys.stdout
    encoding = getattr(stream, "encoding", None) or "utf-8"
    stream.write(text.encode(encoding, "replace").decode(encoding, "replace") + "\n")
    stream.flush()


def answer_keys(units) -> dict[str, str]:
    """``{exercise id: the key as a student writes it}`` of ``units`` (for ``--show-answers``)."""
    keys = {}
    for unit in units:
        try:
            bank = load_exercises(unit)
        except ValueError:
            continue
        for q in bank.questions:
            keys[q.id] = q.key_text() if not q.free_text else (q.reference or "")
    return keys


def submission_time(deadlines: Deadlines):
    """``result → 'YYYY-MM-DD HH:MM:SS'`` (or ''): the time that decides which file counts."""
    def when(result) -> str:
        moment = deadlines.submitted(result)[0]
        return moment.strftime(FORMAT) if moment else ""
    return when


def late_items(counted, deadlines: Deadlines) -> list[str]:
    """One line per late submission: who, when, from which source, and the deduction."""
    items = []
    for r in counted:
        late = deadlines.late(r) if r.unit else None
        if late and late.days:
            when, source = deadlines.submitted(r)
            items.append(f"单元{r.unit} 学号{r.student_id} {r.name}：{when:%Y-%m-%d %H:%M}提交（{source}），"
                         f"截止{deadlines.due[r.unit]:%Y-%m-%d %H:%M}，{late.text()}")
    return items


def stale_items(overrides: list[Override]) -> list[str]:
    """One line per teacher override whose answer has changed since."""
    return [f"单元{o.unit} {o.who} 练习{o.exercise}：复核时给了{fmt_number(o.score)}分，学生后来交了不同的答案，"
            "现在按自动评分计；请用 review 命令重新复核" for o in overrides]


def copy_items(copies: dict[str, Copies]) -> list[str]:
    """One line per unit with copy hints (``{unit: find_copies(…)}``), pointing to its statistics report."""
    counts = [(unit, pair_count(found)) for unit, found in sorted(copies.items())]
    return [f"单元{unit}疑似雷同：{n}对，见统计/统计_{safe_name(unit)}.md" for unit, n in counts if n]


def check_first_text(resolution: Resolution, isolation_text: str, stored, deadlines: Deadlines | None = None,
                     stale_overrides: list[Override] = (), copies: dict[str, Copies] | None = None) -> str:
    """The Markdown of ``需要确认.md``."""
    lines = ["# 需要老师确认的事项", "", f"- 隔离：{isolation_text or '（本次没有运行新的作业）'}", f"- {RULE}"]
    if deadlines is not None and deadlines.due:
        dues = "，".join(f"{u} {d:%Y-%m-%d %H:%M}" for u, d in sorted(deadlines.due.items()))
        lines.append(f"- 截止时间（北京时间）：{dues}。迟交规则：{deadlines.rule.text()}")
    lines.append("")
    rejected = [r for r in stored if not r.graded]
    sections = [("学号与文件", resolution.problems),
                ("没有评分的文件", [f"{r.file}：{r.reason}" for r in rejected]),
                ("迟交", late_items(resolution.counted, deadlines) if deadlines is not None else []),
                ("教师复核已失效（学生的答案变了）", stale_items(list(stale_overrides))),
                ("疑似雷同（提示老师核对，不是结论）", copy_items(copies or {}))]
    for unit, missing in sorted(resolution.missing.items()):
        sections.append((f"单元{unit}缺交（名单上有、没有收到作业）", [f"{sid} {name}" for sid, name in missing]))
    if not any(items for _, items in sections):
        lines.append("没有需要确认的事项。")
    for title, items in sections:
        if items:
            lines += [f"## {title}（{len(items)}项）", ""] + [f"- {one_line(i)}" for i in items] + [""]
    return "\n".join(lines) + "\n"


# a file name is the student's text: in 需要确认.md it stays one list item, with no heading, link or HTML of its own
_NEUTRAL = str.maketrans({"\n": " ", "\r": " ", "\t": " ", "[": "［", "]": "］", "<": "＜", ">": "＞",
                          **{chr(c): None for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}})


_BLOCK_START = re.compile(r"[#>+*=_`~-]|\d+[.)]")


def one_line(text: str) -> str:
    r"""A line of ``需要确认.md`` built from student file names: one line, no Markdown link or HTML tag, no
    control or text-direction characters.

    >>> one_line("草稿\n\n## 没有需要确认的事项\n请打开 [更新](https://evil.example)\u202e.ipynb：文件是空的")
    '草稿  ## 没有需要确认的事项 请打开 ［更新］(https://evil.example).ipynb：文件是空的'
    >>> one_line("# 没有需要确认的事项.ipynb：文件是空的"), one_line("1. 全部已评分.ipynb")
    ('\\# 没有需要确认的事项.ipynb：文件是空的', '\\1. 全部已评分.ipynb')
    """
    line = feedback.plain(text).translate(_NEUTRAL).lstrip()
    return "\\" + line if _BLOCK_START.match(line) else line       # no heading, quote or list of its own


def gather(book: Gradebook, roster: Roster | None = None) -> tuple[list, Resolution, Deadlines]:
    """(every stored result, which ones count, the due dates) of a gradebook — with the teacher's
    overrides put in, and the roster the grader remembered when none is given."""
    stored = book.results()
    deadlines = Deadlines.from_json(book.meta("deadlines")) or Deadlines()
    roster = roster or Roster.from_json(book.meta("roster"))
    return stored, resolve(stored, roster, book.preferred(), submission_time(deadlines)), deadlines


def write_all(book: Gradebook, out: Path, roster: Roster | None, isolation=None, show_answers: bool = False) -> None:
    if isolation is not None:
        book.set_meta("isolation", isolation.description if isolation.full else isolation.warning)
    stored, resolution, deadlines = gather(book, roster)
    counted = resolution.counted
    units = sorted({r.unit for r in counted if r.unit})
    copies = {unit: find_copies(counted, unit) for unit in units}
    for unit in units:
        tables.export_csv(counted, out / f"成绩_{unit}.csv", unit, deadlines)
        tables.export_xlsx(counted, out / f"成绩_{unit}.xlsx", unit, deadlines)
        statistics.write_report(counted, out / "统计", unit, copies[unit])
    feedback.write_feedback(counted, out / "反馈", answer_keys(units) if show_answers else None, deadlines)
    outdated = stale(counted, book.overrides())
    write_atomic(out / CHECK_FIRST, check_first_text(resolution, book.meta("isolation"), stored, deadlines, outdated, copies)
                 .encode("utf-8"))
    say(statistics.summary_line(counted) + (f"；需要确认{len(resolution.problems)}项，见{CHECK_FIRST}"
                                            if resolution.problems else ""))
