"""The self-assessment of unit 02: statements scored 1–5, averaged into the dimensions of a radar chart.

The student scores every statement (1 = 完全不符合 … 5 = 完全符合); a dimension's score
is the mean of its statements.  The dimensions, statements, scale and reference line are
content (``data/practice/u02.yaml``, see :mod:`.loading`): the four 基本素养 of the
textbook (心理、品行、技能、综合) plus 服务态度 and 专业知识.  :func:`radar_summary`
names the strongest and the weakest dimensions and gives advice for the ones under the
reference line; the chart itself is :func:`course_lib.charts.radar_chart`.

>>> a = Assessment(scale=5, reference=3, dimensions=(
...     Dimension("心理素养", "抗压", "先深呼吸", ("被骂也能平复",)),
...     Dimension("品行素养", "守信", "不随口答应", ("答应的事做到",)),
...     Dimension("技能素养", "打字", "每天练打字", ("能盲打",))))
>>> s = radar_summary(a, a.scores([4, 5, "2"]))
>>> s.values, s.strongest, s.weakest, s.below_reference
((4.0, 5.0, 2.0), ('品行素养',), ('技能素养',), ('技能素养',))
>>> a.scores([4, 5])
Traceback (most recent call last):
...
course_lib.practice.self_assessment.AssessmentError: 应给3句话各打一个分，现在有2个分数。
"""
from __future__ import annotations

import math
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .entries import text_entries

__all__ = ["AssessmentError", "Dimension", "Assessment", "RadarSummary", "radar_summary", "assessment_from_data"]


class AssessmentError(ValueError):
    """Scores (or a content file) that cannot be used; the message is Chinese."""


@dataclass(frozen=True)
class Dimension:
    """One quality of the self-assessment: its meaning, the advice when it is low, its statements."""

    name: str
    meaning: str
    advice: str
    statements: tuple[str, ...]


@dataclass(frozen=True)
class Assessment:
    """The whole self-assessment: the answer scale (1…``scale``), the radar's reference line, the qualities."""

    scale: int
    reference: float
    dimensions: tuple[Dimension, ...]

    @property
    def statements(self) -> tuple[tuple[str, str, str], ...]:
        """(number, dimension, statement) for every statement, numbered from 1 in file order."""
        rows, n = [], 0
        for d in self.dimensions:
            for text in d.statements:
                n += 1
                rows.append((str(n), d.name, text))
        return tuple(rows)

    def validate(self, answers: Mapping[object, object] | Sequence[object]) -> dict[str, int]:
        """Scores of every statement as {"1": 4, …}: a dict (number → score) or a list in order.

        A score is a whole number from 1 to ``scale`` (a digit written as text counts,
        full-width too); anything else raises :class:`AssessmentError` naming the statement.
        """
        ids = [n for n, _, _ in self.statements]
        if isinstance(answers, Mapping):
            given = {unicodedata.normalize("NFKC", str(k)).strip(): v for k, v in answers.items()}
        elif isinstance(answers, Sequence) and not isinstance(answers, (str, bytes)):
            if len(answers) != len(ids):
                raise AssessmentError(f"应给{len(ids)}句话各打一个分，现在有{len(answers)}个分数。")
            given = dict(zip(ids, answers))
        else:
            raise AssessmentError(f"打分应写成{len(ids)}个分数的列表，或者字典（句子编号: 分数）。")
        unknown = [k for k in given if k not in ids]
        if unknown:
            raise AssessmentError(f"没有第{'、'.join(unknown)}句，句子编号是1～{len(ids)}。")
        missing = [k for k in ids if given.get(k) is None]
        if missing:
            raise AssessmentError(f"还有第{'、'.join(missing)}句没有打分。")
        return {k: int(_number(given[k], f"第{k}句的分数", self.scale)) for k in ids}

    def scores(self, answers: Mapping[object, object] | Sequence[object]) -> dict[str, float]:
        """Each dimension's score: the mean of its statements' scores."""
        valid = self.validate(answers)
        out, n = {}, 0
        for d in self.dimensions:
            marks = [valid[str(n + i)] for i in range(1, len(d.statements) + 1)]
            n += len(d.statements)
            out[d.name] = sum(marks) / len(marks)
        return out


def _number(value: object, what: str, scale: int, integer: bool = True) -> float:
    """One score typed by a student: a number or a number written as text (full-width too)."""
    kind = "整数" if integer else "数"
    if isinstance(value, bool):
        raise AssessmentError(f"{what}应是1～{scale}的{kind}，不是True/False。")
    if isinstance(value, str):
        text = unicodedata.normalize("NFKC", value).strip()
        try:
            value = float(text)
        except ValueError:
            raise AssessmentError(f"{what}应是1～{scale}的{kind}，“{text[:20]}”不是数字。") from None
    if not isinstance(value, (int, float)) or not math.isfinite(value):
        raise AssessmentError(f"{what}应是1～{scale}的{kind}。")
    if not 1 <= value <= scale:
        raise AssessmentError(f"{what}应在1～{scale}之间，现在是{value:g}。")
    if integer and value != int(value):
        raise AssessmentError(f"{what}应是整数（1～{scale}中的一个），现在是{value:g}。")
    return float(value)


@dataclass(frozen=True)
class RadarSummary:
    """What the radar chart shows, in words: scores, mean, strongest and weakest, advice."""

    labels: tuple[str, ...]
    values: tuple[float, ...]
    scale: int
    reference: float
    mean: float
    strongest: tuple[str, ...]
    weakest: tuple[str, ...]
    below_reference: tuple[str, ...]
    advice: tuple[str, ...]

    def to_text(self) -> str:
        """Plain rendering: one bar of squares per dimension (one square per half point).

        >>> a = Assessment(5, 3, tuple(Dimension(n, "", "多练", ("句",)) for n in ("甲", "乙", "丙")))
        >>> print(radar_summary(a, {"甲": 3, "乙": 3, "丙": 3}).to_text().splitlines()[0])
        甲 ■■■■■■□□□□ 3.0
        """
        rows = [f"{label} {'■' * round(v * 2)}{'□' * (self.scale * 2 - round(v * 2))} {v:.1f}"
                for label, v in zip(self.labels, self.values)]
        rows.append(f"平均{self.mean:.2f}分；最强：{'、'.join(self.strongest)}；最需要提升：{'、'.join(self.weakest)}。")
        return "\n".join(rows + list(self.advice))


def radar_summary(assessment: Assessment, scores: Mapping[str, object]) -> RadarSummary:
    """Check the dimension scores (1–scale, decimals allowed) and sum them up with advice.

    Advice goes to the dimensions under the reference line (at most two), else to the weakest.
    """
    if not isinstance(scores, Mapping):
        raise AssessmentError("得分应写成字典，例如 {\"心理素养\": 3, …}。")
    names = [d.name for d in assessment.dimensions]
    given = {str(k).strip(): v for k, v in scores.items()}
    unknown = [k for k in given if k not in names]
    if unknown:
        raise AssessmentError(f"没有「{'、'.join(unknown)}」这一项，应是：{'、'.join(names)}。")
    missing = [n for n in names if n not in given]
    if missing:
        raise AssessmentError(f"还没有给这几项打分：{'、'.join(missing)}。")
    values = [_number(given[n], f"「{n}」的得分", assessment.scale, integer=False) for n in names]
    top, bottom = max(values), min(values)
    strongest = tuple(n for n, v in zip(names, values) if v == top)
    weakest = tuple(n for n, v in zip(names, values) if v == bottom)
    below = tuple(n for n, v in zip(names, values) if v < assessment.reference)
    by_name = {d.name: d for d in assessment.dimensions}
    if not below and top == bottom:
        advice: tuple[str, ...] = ("各项得分一样：挑一项你最想提升的，照着它的建议定一个本周的小目标。",)
    else:
        advice = tuple(f"提升「{n}」：{by_name[n].advice}" for n in (below or weakest)[:2])
    return RadarSummary(tuple(names), tuple(values), assessment.scale, assessment.reference,
                        sum(values) / len(values), strongest, weakest, below, advice)


def assessment_from_data(raw: object, where: str) -> Assessment:
    """Validate the ``self_assessment`` section of a practice file."""
    if not isinstance(raw, dict):
        raise AssessmentError(f"{where}：self_assessment 应包括 scale、reference、dimensions。")
    scale, reference = raw.get("scale", 5), raw.get("reference", 3)
    if isinstance(scale, bool) or not isinstance(scale, int) or not 2 <= scale <= 10:
        raise AssessmentError(f"{where}：self_assessment.scale 应是2～10的整数。")
    if isinstance(reference, bool) or not isinstance(reference, (int, float)) or not 1 <= reference <= scale:
        raise AssessmentError(f"{where}：self_assessment.reference 应在1～{scale}之间。")
    items = raw.get("dimensions")
    if not isinstance(items, list) or len(items) < 3:
        raise AssessmentError(f"{where}：self_assessment.dimensions 至少要有3项（雷达图才画得出来）。")
    dims = []
    form, keys = "name、meaning、advice、statements", ("name", "meaning", "advice")
    for item, texts in text_entries(items, where, "项素养", form, keys, AssessmentError):
        statements = item.get("statements")
        if not isinstance(statements, list) or not statements or not all(
                isinstance(s, str) and s.strip() for s in statements):
            raise AssessmentError(f"{where}：素养「{item['name']}」的 statements 应是至少一句话的列表。")
        dims.append(Dimension(*texts, tuple(s.strip() for s in statements)))
    if len({d.name for d in dims}) != len(dims):
        raise AssessmentError(f"{where}：素养的名称不能重复。")
    return Assessment(scale, float(reference), tuple(dims))
