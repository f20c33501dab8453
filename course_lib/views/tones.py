"""Colours for the unit 11–12 views as JupyterLab theme variables, so they follow the Light and
Dark themes; the second value is the fallback outside JupyterLab (exported HTML)."""
from __future__ import annotations

GOOD = "var(--jp-success-color1, #1a7f37)"
BAD = "var(--jp-error-color1, #cf222e)"
WARN = "var(--jp-warn-color1, #9a6700)"
MUTED = "var(--jp-ui-font-color2, #57606a)"
ACCENT = "var(--jp-brand-color1, #0969da)"
BORDER = "var(--jp-border-color2, #d0d7de)"
PANEL = "var(--jp-layout-color2, #f6f8fa)"


def tick(passed: bool) -> str:
    """A coloured ✔ or ✘ (HTML)."""
    return f"<span style='color:{GOOD if passed else BAD}'>{'✔' if passed else '✘'}</span>"
