"""Reading a widget's text in JupyterLab: a view can be re-rendered while the notebook scrolls
(JupyterLab attaches and detaches cell outputs), so one read may catch an empty view."""
from __future__ import annotations

import time


def text_of(loc, *must: str, timeout: float = 10.0) -> str:
    """The element's text once it holds every string of ``must``; ``AssertionError`` after ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            text = loc.inner_text(timeout=2_000)
        except Exception:          # the view is being re-rendered: read again
            text = ""
        if text and all(m in text for m in must):
            return text
        if time.monotonic() > deadline:
            raise AssertionError(f"没有等到 {must}：{text[:300]!r}")
        time.sleep(0.2)
