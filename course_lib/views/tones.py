"""Colours for the unit 11–12 views, taken from :mod:`course_lib.theme` (JupyterLab theme variables,
so they follow the Light and Dark themes, with a light fallback outside JupyterLab)."""
from __future__ import annotations

from ..theme import colour, text_colour

GOOD, BAD, WARN, MUTED, ACCENT, BORDER, PANEL = (colour(tone) for tone in
                                                 ("ok", "bad", "warn", "muted", "info", "border", "panel"))


def tick(passed: bool) -> str:
    """A coloured ✔ or ✘ (HTML), readable in both themes.

    >>> tick(False).endswith("'>✘</span>") and "--jp-error-color1" in tick(False)
    True
    """
    return f"<span style='{text_colour('ok' if passed else 'bad')}'>{'✔' if passed else '✘'}</span>"
