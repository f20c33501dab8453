"""Colours come from one place (course_lib/theme.py) and follow JupyterLab's theme (Light or Dark);
the browser test in tests/browser/test_course_install.py measures the contrast in the Dark theme."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from course_lib import theme
from course_lib.content.results import CheckResult

PACKAGE = Path(theme.__file__).parent
HEX = re.compile(r"#[0-9a-fA-F]{6}\b|#[0-9a-fA-F]{3}\b(?![0-9a-fA-F])")
DRAWING = sorted(PACKAGE.glob("views/*.py")) + [PACKAGE / "content" / "results.py", PACKAGE / "session.py"]


@pytest.mark.parametrize("path", DRAWING, ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_no_hard_coded_colour_outside_the_theme(path):
    code = "\n".join(line for line in path.read_text(encoding="utf-8").splitlines() if not line.lstrip().startswith("#"))
    assert not HEX.findall(code), f"{path.name}: use course_lib.theme instead of {HEX.findall(code)}"


def test_every_colour_is_a_jupyterlab_variable_with_a_fallback():
    for tone in theme.TONES:
        assert re.fullmatch(r"var\(--jp-[a-z0-9-]+, #[0-9a-f]{6}\)", theme.colour(tone))
        first, *mixed = theme.text_colour(tone).split(";")
        assert first.startswith("color:")                    # what a browser without color-mix keeps
        assert all("var(--jp-content-font-color1" in m for m in mixed)


def test_results_and_bubbles_use_the_theme():
    html = CheckResult("u01.e1", "wrong", "不正确", "再想想").to_html()
    assert "var(--jp-error-color1, #cf222e)" in html
    from course_lib.views.base import bubble

    for side in ("left", "right"):
        assert "color:var(--jp-content-font-color1, #1f2328)" in bubble("亲，在吗？", "顾客", side)


def test_every_order_flag_has_a_swatch_colour():
    from course_lib.shop.notes import FLAGS

    assert set(theme.FLAG_COLOURS) == set(FLAGS)
    assert "background:#8c959f" in theme.flag_swatch_style("没有这种旗")      # unknown → grey
    assert "background:#cf222e" in theme.flag_swatch_style("红")
