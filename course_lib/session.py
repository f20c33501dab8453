"""``setup(unit)``: the one call in every notebook's first code cell."""
from __future__ import annotations

import html
import warnings

from .content.exercises import grade_mode
from .settings import standards


class Banner:
    """The line ``setup()`` shows; text and HTML renderings, deterministic."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text

    def _repr_html_(self) -> str:
        return f"<div style='color:#1a7f37'>{html.escape(self.text)}</div>"


def setup(unit: str) -> Banner:
    """Prepare charts (Chinese fonts, course style) and pandas display; return a banner."""
    titles = standards().unit_titles
    if unit not in titles:
        raise ValueError(f"未知的单元编号「{unit}」，应是 u00–u12。")
    from .charts import setup_charts

    with warnings.catch_warnings():
        warnings.simplefilter("default")
        setup_charts()
    try:
        import pandas as pd

        pd.set_option("display.max_columns", 30)
        pd.set_option("display.width", 120)
        pd.set_option("display.unicode.east_asian_width", True)
    except ImportError:  # pandas is a dependency; this only guards a broken install
        pass
    name = "课程导览" if unit == "u00" else f"第{unit[1:]}单元「{titles[unit]}」"
    mode = "评分模式" if grade_mode() else "学生模式"
    return Banner(f"✔ 课程环境已就绪：《电子商务客服管理》{name}（{mode}）")
