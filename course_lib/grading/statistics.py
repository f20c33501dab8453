"""Class statistics of one unit: score distribution, per-exercise 得分率 and 区分度, the
most common wrong answers, copy hints (:mod:`.copying`); as a Chinese Markdown report with a bar chart,
and one summary line.
"""
from __future__ import annotations

import io
import math
import os
import statistics as stats
from collections import Counter
from pathlib import Path

from ..content.qtypes import TYPES
from ..content.questions import TYPE_NAMES
from ..files import safe_name, write_atomic
from .copying import Copies, copy_section, find_copies
from .results import exercise_ids, fmt_number, full_marks, graded_in, natural_key

BANDS = tuple(f"{10 * i}–{10 * (i + 1)}%" for i in range(10))
GROUP_PERCENT = 27            # 区分度：总分前27%与后27%两组
MIN_FOR_DISCRIMINATION = 4    # fewer graded students: no 区分度
TOP_WRONG = 3


def _band(total: float, full: float) -> int:
    if full <= 0:
        return 0
    return min(9, max(0, math.floor(round(total * 10 / full, 9))))


def _groups(graded: list[dict]) -> tuple[list[dict], list[dict]] | None:
    n = len(graded)
    if n < MIN_FOR_DISCRIMINATION:
        return None
    size = max(1, (GROUP_PERCENT * n + 50) // 100)
    ranked = sorted(graded, key=lambda r: (-r.total, r.student_id, r.file))
    return ranked[:size], ranked[-size:]


def _fraction(result, exercise_id: str, points: float) -> float:
    e = result.exercise(exercise_id)
    return e.score / points if e else 0.0


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

    >>> from course_lib.grading.results import ExerciseResult, SubmissionResult
    >>> rs = [SubmissionResult(f"{i}.ipynb", "", student_id=str(i), unit="u01").with_exercises(
    ...       [ExerciseResult("u01.e1", "single", 2, t, "correct" if t == 2 else "wrong", "A" if t == 2 else "C")], 2)
    ...       for i, t in enumerate([2, 2, 0, 0])]
    >>> s = statistics(rs, "u01")
    >>> s["mean"], s["exercises"]["u01.e1"]["difficulty"], s["exercises"]["u01.e1"]["discrimination"]
    (1.0, 0.5, 1.0)
    >>> s["exercises"]["u01.e1"]["wrong_answers"], s["distribution"]["90–100%"]
    ([('C', 2)], 2)
    """
    graded = graded_in(results, unit)
    totals = [r.total for r in graded]
    full = full_marks(results, unit)
    distribution = dict.fromkeys(BANDS, 0)
    for total in totals:
        distribution[BANDS[_band(total, full or 0)]] += 1
    groups = _groups(graded)

    exercises = {}
    for exercise_id in exercise_ids(results, unit):
        found = [e for r in graded if (e := r.exercise(exercise_id))]
        points = max(e.points for e in found)
        scores = [e.score for e in found] + [0.0] * (len(graded) - len(found))
        mean_score = stats.fmean(scores)
        discrimination = None
        if groups and points > 0:
            upper, lower = groups
            discrimination = (stats.fmean(_fraction(r, exercise_id, points) for r in upper)
                              - stats.fmean(_fraction(r, exercise_id, points) for r in lower))
        wrong = Counter(e.answer.strip() for e in found
                        if e.status in ("partial", "wrong", "invalid") and e.answer.strip())
        missing = Counter(m for e in found for m in e.missing)
        exercises[exercise_id] = {
            "type": next((e.type for e in found if e.type), ""),
            "points": points,
            "mean_score": mean_score,
            "difficulty": mean_score / points if points > 0 else None,
            "discrimination": discrimination,
            "wrong_answers": _top(wrong),
            "common_missing": _top(missing),
            "unanswered": sum(e.status == "unanswered" for e in found),
        }
    return {
        "unit": unit,
        "count": len(graded),
        "rejected": sum(r.unit == unit and not r.graded for r in results),
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


def wrong_text(exercise: dict, limit: int = 20) -> str:
    if exercise["type"] in TYPES and TYPES[exercise["type"]].free_text:
        items = exercise["common_missing"]
        return ("最常缺少：" + "；".join(f"{m}（{n}人）" for m, n in items)) if items else "—"
    items = exercise["wrong_answers"]
    return "；".join(f"{_shorten(a, limit)}（{n}人）" for a, n in items) if items else "—"


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.0f}%"


def report_text(results, unit: str, copies: Copies | None = None) -> str:
    """The Chinese Markdown report of :func:`statistics` (the text of ``统计_<单元>.md``), with the copy
    hints ``copies`` (:func:`~course_lib.grading.copying.find_copies`; found here when not given)."""
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
        wrong = wrong_text(e).replace("|", "\\|")
        lines.append(f"| {exercise_id} | {TYPE_NAMES.get(e['type'], e['type'])} | {fmt_number(e['points'])} | "
                     f"{fmt_number(e['mean_score'])} | {_percent(e['difficulty'])} | {shown} | "
                     f"{e['unanswered']} | {wrong} |")
    lines.append("")
    lines += copy_section(copies if copies is not None else find_copies(results, unit))
    return "\n".join(lines)


def distribution_chart(results, unit: str):
    """A bar chart (matplotlib ``Figure``, Agg canvas, not registered with pyplot) of the score bands."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    from ..charts import setup_charts

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


def write_report(results, folder: str | os.PathLike, unit: str, copies: Copies | None = None) -> list[Path]:
    """Write ``统计_<单元>.md`` (:func:`report_text`) and ``分数分布_<单元>.png`` into ``folder``.

    The chart is drawn on matplotlib's Agg canvas without pyplot, so a notebook's own
    backend is left alone and no figure stays open.  Both files are written atomically.
    """
    folder = Path(folder)
    report = write_atomic(folder / f"统计_{safe_name(unit)}.md", report_text(results, unit, copies).encode("utf-8"))
    figure = distribution_chart(results, unit)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    chart = write_atomic(folder / f"分数分布_{safe_name(unit)}.png", buffer.getvalue())
    return [report, chart]


def summary_line(results) -> str:
    """One line for the end of a batch, e.g. ``共42份：已评分40份，已拒收2份；u01平均分9.3/13``.

    >>> from course_lib.grading.results import SubmissionResult
    >>> summary_line([SubmissionResult.rejected("a", "", "文件是空的")])
    '共1份：已评分0份，已拒收1份'
    """
    graded = [r for r in results if r.graded]
    line = f"共{len(results)}份：已评分{len(graded)}份，已拒收{len(results) - len(graded)}份"
    units = sorted({r.unit for r in graded if r.unit}, key=natural_key)
    parts = [f"{u}平均分{stats.fmean(r.total for r in graded_in(results, u)):.1f}"
             f"/{fmt_number(full_marks(results, u))}" for u in units]
    return line + ("；" + "，".join(parts) if parts else "")
