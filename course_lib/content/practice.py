"""Practice files ``data/practice/<id>.yaml``: practice content that is neither a quiz nor a role-play.

Each file says its ``kind``; :func:`load_practice` loads it with that kind's loader, so
``python -m course_lib validate`` checks every file without knowing it in advance.

>>> sorted(KINDS)
['disputes', 'review_plans']
>>> load_practice("u11_disputes").unit
'u11'
"""
from __future__ import annotations

from typing import Any

from ..settings import data_dir
from .disputes import load_cases
from .loading import ContentError, read_content
from .review_plans import load_review_plans

KINDS = {"disputes": load_cases, "review_plans": load_review_plans}
SKILLS = "skills"   # the typing drill and self-assessment: loaded and checked by course_lib.practice


def practice_ids() -> list[str]:
    """The ids of the practice files this module loads (``.dat`` twins in the student edition count too);
    files of kind ``skills`` belong to :mod:`course_lib.practice`."""
    folder = data_dir() / "practice"
    if not folder.is_dir():
        return []
    ids = sorted({p.stem for p in folder.glob("*.*") if p.suffix in (".yaml", ".dat")})
    return [i for i in ids if not _is_skills(i)]


def _is_skills(file_id: str) -> bool:
    try:
        raw = read_content(f"practice/{file_id}.yaml")
    except ContentError:
        return False                        # a broken file: load_practice reports it
    return isinstance(raw, dict) and raw.get("kind") == SKILLS


def load_practice(file_id: str) -> Any:
    """The practice file ``data/practice/<file_id>.yaml``, loaded by its ``kind``."""
    raw = read_content(f"practice/{file_id}.yaml")
    kind = raw.get("kind") if isinstance(raw, dict) else None
    if kind not in KINDS:
        raise ContentError(f"practice/{file_id}.yaml：kind 应是 {'、'.join(sorted(KINDS))} 之一。")
    return KINDS[kind](file_id)
