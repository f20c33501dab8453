"""Question banks (practice, ``data/questions/uNN.yaml``) and graded exercises
(``data/exercises/uNN.yaml``): loading and validating a whole file.

>>> bank = load_bank("u00")
>>> bank.unit, len(bank.questions) > 0, all(q.id.startswith("u00.q") for q in bank.questions)
('u00', True, True)
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from .loading import ContentError, read_content
from .questions import Question, question_from_data


@dataclass(frozen=True)
class Bank:
    """The practice questions (or graded exercises) of one unit."""

    unit: str
    title: str
    questions: tuple[Question, ...]
    graded: bool = False
    by_id: dict = field(default_factory=dict, compare=False, repr=False)
    groups: dict = field(default_factory=dict, compare=False)      # group key -> title

    def get(self, question_id: str) -> Question | None:
        return self.by_id.get(question_id)

    def group(self, name: str | None) -> tuple[Question, ...]:
        return self.questions if name is None else tuple(q for q in self.questions if q.group == name)


def bank_from_data(raw: Any, filename: str, graded: bool) -> Bank:
    """Validate a whole bank file; raises :class:`ContentError` naming the file and question."""
    listing = "exercises" if graded else "questions"
    if not isinstance(raw, dict):
        raise ContentError(f"{filename}：文件内容应是一个字典（unit、title、{listing}）。")
    unit = raw.get("unit")
    if not isinstance(unit, str) or not unit:
        raise ContentError(f"{filename}：缺少 unit。")
    items = raw.get(listing)
    if not isinstance(items, list) or not items:
        raise ContentError(f"{filename}：缺少 {listing} 列表。")
    questions = []
    for n, item in enumerate(items, 1):
        q = question_from_data(item, f"{filename} 第{n}题", graded=graded)
        prefix = f"{unit}.{'e' if graded else 'q'}"
        if not q.id.startswith(prefix):
            raise ContentError(f"{filename} 第{n}题：id「{q.id}」应以「{prefix}」开头。")
        questions.append(q)
    ids = [q.id for q in questions]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise ContentError(f"{filename}：题目 id 重复：{'、'.join(dupes)}。")
    groups = raw.get("groups") or {}
    if not isinstance(groups, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in groups.items()):
        raise ContentError(f"{filename}：groups 应写成“分组: 标题”的字典。")
    if groups:
        unknown = sorted({q.group for q in questions} - set(groups))
        if unknown:
            raise ContentError(f"{filename}：这些分组没有在 groups 中写标题：{'、'.join(unknown)}。")
    return Bank(unit, str(raw.get("title", "")), tuple(questions), graded, {q.id: q for q in questions}, groups)


@lru_cache(maxsize=64)
def load_bank(unit: str) -> Bank:
    """The practice bank ``data/questions/<unit>.yaml``."""
    filename = f"questions/{unit}.yaml"
    return bank_from_data(read_content(filename), filename, graded=False)


@lru_cache(maxsize=64)
def load_exercises(unit: str) -> Bank:
    """The graded exercises ``data/exercises/<unit>.yaml``."""
    filename = f"exercises/{unit}.yaml"
    return bank_from_data(read_content(filename), filename, graded=True)
