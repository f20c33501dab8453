"""A unit's practice content: ``data/practice/<unit>.yaml``, validated on load.

The file has two sections: ``typing`` (the drill's level lines and passages) and
``self_assessment`` (dimensions, statements, scale, reference line).  A teacher edits
passages, level lines and statements without writing Python; a broken file gives a
Chinese message naming the file and the entry (:class:`PracticeFileError`).

>>> drill = load_typing("u02")
>>> drill.rules.min_accuracy, [low for low, _ in drill.rules.levels]
(0.95, [60.0, 50.0, 40.0])
>>> drill.passages[0].id, drill.passages[0].han_count >= 30
('p1', True)
>>> [d.name for d in load_assessment("u02").dimensions][:4]
['心理素养', '品行素养', '技能素养', '综合素养']
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..files import DataFileError, dict_items, read_yaml
from ..settings import data_dir
from .entries import text_entries
from .self_assessment import Assessment, AssessmentError, RadarSummary, assessment_from_data, radar_summary
from .typing_drill import DEFAULT_RULES, TypingRules, han_only

__all__ = ["Passage", "TypingSet", "PracticeFileError", "typing_from_data", "load_typing", "load_assessment",
           "validate_practice", "assess", "MIN_PASSAGE"]

MIN_PASSAGE = 30                # a passage shorter than this measures nothing


class PracticeFileError(DataFileError):
    """``data/practice/<unit>.yaml`` is missing or invalid; the message names the file and the entry."""


@dataclass(frozen=True)
class Passage:
    id: str
    title: str
    text: str

    @property
    def han_count(self) -> int:
        return len(han_only(self.text))

    @property
    def label(self) -> str:
        return f"{self.title}（{self.han_count}字）"


@dataclass(frozen=True)
class TypingSet:
    rules: TypingRules
    passages: tuple[Passage, ...]

    def get(self, passage_id: str) -> Passage:
        for p in self.passages:
            if p.id == passage_id:
                return p
        raise PracticeFileError(f"没有编号为「{passage_id}」的测速原文，可选：{'、'.join(p.id for p in self.passages)}。")


def _positive(raw: dict, key: str, default: float, where: str, upper: float | None = None) -> float:
    value = raw.get(key, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0 or (
            upper is not None and value > upper):
        limit = f"，不超过{upper:g}" if upper is not None else ""
        raise PracticeFileError(f"{where}：rules.{key} 应是正数{limit}。")
    return float(value)


def _rules(raw: object, where: str) -> TypingRules:
    if raw is None:
        return DEFAULT_RULES
    if not isinstance(raw, dict):
        raise PracticeFileError(f"{where}：rules 应是一个字典（levels、below、min_accuracy、min_seconds）。")
    unknown = set(raw) - {"levels", "below", "min_accuracy", "min_seconds"}
    if unknown:
        raise PracticeFileError(f"{where}：rules 里有未知字段 {'、'.join(sorted(unknown))}。")
    levels_raw = raw.get("levels", [{"speed": s, "name": n} for s, n in DEFAULT_RULES.levels])
    dict_items(levels_raw, {"speed", "name"}, PracticeFileError, f"{where}：rules.levels 应是列表，每项写成 {{speed: 60, name: 优秀}}。",
               lambda i: f"{where}：rules.levels 第{i}项应写成 {{speed: 速度, name: 等级名}}。")
    levels = []
    for i, level in enumerate(levels_raw, 1):
        speed, name = level["speed"], level["name"]
        if isinstance(speed, bool) or not isinstance(speed, (int, float)) or speed <= 0:
            raise PracticeFileError(f"{where}：rules.levels 第{i}项的 speed 应是正数。")
        if not isinstance(name, str) or not name.strip():
            raise PracticeFileError(f"{where}：rules.levels 第{i}项的 name 应是文字。")
        levels.append((float(speed), name.strip()))
    speeds = [s for s, _ in levels]
    if speeds != sorted(speeds, reverse=True) or len(set(speeds)) != len(speeds):
        raise PracticeFileError(f"{where}：rules.levels 应按速度从高到低排列，速度不能重复。")
    below = raw.get("below", DEFAULT_RULES.below)
    if not isinstance(below, str) or not below.strip():
        raise PracticeFileError(f"{where}：rules.below 应是文字。")
    return TypingRules(levels=tuple(levels), below=below.strip(),
                       min_accuracy=_positive(raw, "min_accuracy", DEFAULT_RULES.min_accuracy, where, 1),
                       min_seconds=_positive(raw, "min_seconds", DEFAULT_RULES.min_seconds, where, 600))


def typing_from_data(raw: object, where: str) -> TypingSet:
    """Validate the ``typing`` section of a practice file (``rules`` and ``passages``)."""
    if not isinstance(raw, dict):
        raise PracticeFileError(f"{where}：typing 应包括 rules、passages 两项。")
    rules = _rules(raw.get("rules"), where)
    items = raw.get("passages")
    if not isinstance(items, list) or not items:
        raise PracticeFileError(f"{where}：passages 应是测速原文的列表，至少一段。")
    passages: list[Passage] = []
    keys = ("id", "title", "text")
    for _, texts in text_entries(items, where, "段原文", "id、title、text 三项", keys, PracticeFileError):
        passage = Passage(*texts)
        if passage.han_count < MIN_PASSAGE:
            raise PracticeFileError(f"{where}：原文「{passage.id}」只有{passage.han_count}个汉字，至少要有{MIN_PASSAGE}个。")
        if passage.han_count > rules.max_passage:
            raise PracticeFileError(f"{where}：原文「{passage.id}」超过{rules.max_passage}个汉字。")
        if passage.id in {p.id for p in passages}:
            raise PracticeFileError(f"{where}：原文编号「{passage.id}」重复。")
        passages.append(passage)
    return TypingSet(rules, tuple(passages))


def _section(unit: str, key: str) -> tuple[object, str]:
    shown = f"practice/{unit}.yaml"
    raw = read_yaml(Path(data_dir()) / "practice" / f"{unit}.yaml", shown, PracticeFileError)
    if not isinstance(raw, dict) or raw.get("unit") != unit:
        raise PracticeFileError(f"{shown}：第一行应是“unit: {unit}”。")
    if key not in raw:
        raise PracticeFileError(f"{shown}：没有 {key} 这一节。")
    return raw[key], shown


def load_typing(unit: str = "u02") -> TypingSet:
    """The typing drill's rules and passages of ``data/practice/<unit>.yaml``."""
    raw, shown = _section(unit, "typing")
    return typing_from_data(raw, shown)


def load_assessment(unit: str = "u02") -> Assessment:
    """The self-assessment of ``data/practice/<unit>.yaml``."""
    raw, shown = _section(unit, "self_assessment")
    try:
        return assessment_from_data(raw, shown)
    except AssessmentError as error:
        raise PracticeFileError(str(error)) from None


def validate_practice() -> list[str]:
    """Problems of every practice file (Chinese messages), empty when all load."""
    problems = []
    for path in sorted((Path(data_dir()) / "practice").glob("*.yaml")):
        try:
            raw = read_yaml(path, f"practice/{path.name}", PracticeFileError)
            if isinstance(raw, dict) and raw.get("kind", "skills") != "skills":
                continue                    # another kind (unit 11's cases and plans): course_lib.content checks it
            sections = [k for k in ("typing", "self_assessment") if isinstance(raw, dict) and k in raw] or ["typing"]
            for section in sections:
                (load_typing if section == "typing" else load_assessment)(path.stem)
        except PracticeFileError as error:
            problems.append(str(error))
    return problems


def assess(answers, unit: str = "u02") -> RadarSummary:
    """The self-assessment in one call: the statements' scores (a list in order, or a dict) → :class:`RadarSummary`.

    >>> s = assess([5, 4, 3, 3, 2, 1, 4, 4, 5, 5, 3, 2])
    >>> dict(zip(s.labels, s.values))
    {'心理素养': 4.5, '品行素养': 3.0, '技能素养': 1.5, '综合素养': 4.0, '服务态度': 5.0, '专业知识': 2.5}
    >>> s.weakest, round(s.mean, 2)
    (('技能素养',), 3.42)
    """
    assessment = load_assessment(unit)
    return radar_summary(assessment, assessment.scores(answers))
