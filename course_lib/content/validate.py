"""Validate all content files: every bank, exercise file, scenario and the rubric.

>>> validate_all()
[]
"""
from __future__ import annotations

from ..settings import data_dir, parse_standards
from .banks import load_bank, load_exercises
from .loading import read_content
from .rubric import default_rules
from .scenarios import load_scenario


def validate_all() -> list[str]:
    """A list of problems (Chinese messages), empty when all content is valid."""
    problems: list[str] = []
    checks = [("standards.yaml", lambda: parse_standards(read_content("standards.yaml"))),
              ("rubric.yaml", default_rules)]
    root = data_dir()
    checks += [(f"questions/{p.name}", lambda u=p.stem: load_bank(u))
               for p in sorted((root / "questions").glob("*.*")) if p.suffix in (".yaml", ".dat")]
    checks += [(f"exercises/{p.name}", lambda u=p.stem: load_exercises(u)) for p in sorted((root / "exercises").glob("*.yaml"))]
    checks += [(f"scenarios/{p.name}", lambda s=p.stem: load_scenario(s))
               for p in sorted((root / "scenarios").glob("*.*")) if p.suffix in (".yaml", ".dat")]
    for name, load in checks:
        try:
            load()
        except ValueError as error:
            problems.append(f"{name}：{error}")
    return problems
