"""Colours of everything the course draws in HTML, as JupyterLab theme variables.

In JupyterLab the colours follow the theme (Light or Dark); where there are no JupyterLab
variables (the offline HTML export, Voilà) each falls back to the light colour written after
the comma.  Coloured *text* is the theme's status colour mixed 30% toward the theme's text
colour (darker on a light background, lighter on a dark one), so it reads in both themes;
browsers without ``color-mix`` (before 2023) keep the light colour.

>>> colour("ok")
'var(--jp-success-color1, #1a7f37)'
>>> text_colour("muted")
'color:var(--jp-content-font-color2, #57606a)'
>>> text_colour("bad").split(";")[0]
'color:#cf222e'
"""
from __future__ import annotations

TONES = {  # name -> (JupyterLab variable, colour without it)
    "ok": ("--jp-success-color1", "#1a7f37"),
    "warn": ("--jp-warn-color1", "#9a6700"),
    "bad": ("--jp-error-color1", "#cf222e"),
    "info": ("--jp-brand-color1", "#0969da"),
    "muted": ("--jp-content-font-color2", "#57606a"),
    "text": ("--jp-content-font-color1", "#1f2328"),
    "border": ("--jp-border-color1", "#d0d7de"),
    "page": ("--jp-layout-color0", "#ffffff"),
    "panel": ("--jp-layout-color2", "#f1f3f5"),
}
STATUS_TONES = {"unanswered": "warn", "invalid": "bad", "recorded": "info", "correct": "ok", "partial": "warn",
                "wrong": "bad", "error": "bad"}


def colour(tone: str) -> str:
    """A CSS colour value (for borders and backgrounds)."""
    variable, fallback = TONES[tone]
    return f"var({variable}, {fallback})"


def text_colour(tone: str) -> str:
    """CSS declarations for text in ``tone`` that stays readable in the Light and Dark themes."""
    fallback = TONES[tone][1]
    if tone in ("muted", "text"):          # already text colours of the theme
        return f"color:{colour(tone)}"
    return f"color:{fallback};color:color-mix(in srgb, {colour(tone)} 70%, {colour('text')})"


def status_text(status: str) -> str:
    """The text colour of a check or quiz result (``correct``, ``wrong``, …)."""
    return text_colour(STATUS_TONES.get(status, "muted"))


def bubble_style(side: str) -> str:
    """CSS of a chat bubble: the customer's (``left``) on the theme's panel colour, the agent's
    (``right``) tinted with the theme's brand colour; text always in the theme's text colour."""
    if side == "left":
        background = f"background:{colour('panel')}"
    else:
        background = (f"background:#d8ecff;background:color-mix(in srgb, {colour('info')} 22%, {colour('page')})")
    return f"{background};{text_colour('text')}"


FLAG_COLOURS = {"红": "#cf222e", "黄": "#d4a72c", "绿": "#2da44e", "蓝": "#0969da", "紫": "#8250df", "灰": "#8c959f"}
"""The order flags of unit 05's workbench: a flag *is* its colour (as in 千牛), so it is the same in both themes;
it is drawn as a small swatch with the theme's border around it, never as text."""


def flag_swatch_style(flag: str) -> str:
    """CSS of a flag's swatch (an unknown flag is grey).

    >>> flag_swatch_style("红").split(";")[-2]
    'background:#cf222e'
    """
    background = FLAG_COLOURS.get(flag, FLAG_COLOURS["灰"])
    return (f"display:inline-block;width:0.9em;height:0.9em;border-radius:2px;vertical-align:middle;"
            f"border:1px solid {colour('border')};background:{background};")
