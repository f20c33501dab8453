"""Reading a widget's text in JupyterLab: a view can be re-rendered while the notebook scrolls
(JupyterLab attaches and detaches cell outputs), and a cell outside the window is not laid out
(``content-visibility``), where ``innerText`` is empty — so one read may catch an empty view."""
from __future__ import annotations

import time


def text_of(loc, *must: str, timeout: float = 30.0) -> str:
    """The element's text once it holds every string of ``must`` (with none: once it shows any text);
    ``AssertionError`` after ``timeout``.  An empty read scrolls the element into view first."""
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
        if not text:
            try:
                loc.scroll_into_view_if_needed(timeout=2_000)
            except Exception:      # detached while re-rendering: the next read finds the new view
                pass
        time.sleep(0.2)
