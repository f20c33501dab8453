"""Colours of the practice views as JupyterLab theme variables, so they read in the Light and the Dark theme.

Each is ``var(--jp-…, fallback)``: the theme's colour inside JupyterLab, the fallback in an
exported HTML page that has no theme.
"""
OK = "var(--jp-success-color1, #1a7f37)"
WARN = "var(--jp-warn-color1, #9a6700)"
ERROR = "var(--jp-error-color1, #cf222e)"
ACCENT = "var(--jp-brand-color1, #0969da)"
MUTED = "var(--jp-ui-font-color2, #57606a)"
BORDER = "var(--jp-border-color1, #d0d7de)"
PANEL = "var(--jp-layout-color2, #f6f8fa)"
