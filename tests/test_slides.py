"""Every notebook presents as a sensible deck (jupyterlab-rise / reveal.js slideshow metadata)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("[0-9][0-9]_*.ipynb"))
MAX_SLIDE_TEXT = 1500          # characters of markdown on one slide: one idea per slide


def slide_type(cell) -> str:
    return cell["metadata"].get("slideshow", {}).get("slide_type", "-")


def source(cell) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_deck_structure(path):
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    assert slide_type(cells[0]) == "slide", "the title opens the deck"
    slides, current = [], None
    for i, cell in enumerate(cells):
        text, kind = source(cell), slide_type(cell)
        role = cell["metadata"].get("course", {}).get("role")
        if cell["cell_type"] == "markdown" and text.startswith("## "):
            assert kind == "slide", f"cell {i}: a section heading starts a slide"
        if role == "teacher":
            assert kind == "skip", f"cell {i}: teacher notes are not shown on the slides"
            continue
        if cell["cell_type"] == "markdown" and text.startswith("### 练习"):
            assert kind == "subslide", f"cell {i}: each exercise gets its own slide"
        if cell["cell_type"] == "code" and role is None and any(k in text for k in ("Quiz(", "RolePlay(", "ReminderPlanner(")):
            assert kind == "fragment", f"cell {i}: interactive exercises appear as fragments"
        if kind in ("slide", "subslide") or current is None:
            current = [i, 0]
            slides.append(current)
        if cell["cell_type"] == "markdown":
            current[1] += len(text)
    assert len(slides) >= 10
    too_long = [(i, n) for i, n in slides if n > MAX_SLIDE_TEXT]
    assert not too_long, f"slides with too much text (cell, characters): {too_long}"
