"""``setup(unit)``: the one call in every notebook's first code cell."""
from __future__ import annotations

import html
import warnings

from .exercises import grade_mode

UNIT_TITLES = {
    "u00": "课程导览", "u01": "初识电商客服", "u02": "客服职业素养与职业价值观",
    "u03": "岗前知识准备（一）：商品知识与品牌", "u04": "岗前知识准备（二）：平台规则、支付与物流",
    "u05": "客服工具与工作流程", "u06": "与顾客的有效沟通", "u07": "售前接待流程与话术",
    "u08": "顾客心理分析与商品推荐", "u09": "议价、异议处理与促成交易", "u10": "催付与订单处理",
    "u11": "售后服务：退换货、中差评与纠纷处理", "u12": "客户关系管理与客服绩效管理",
}


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
    if unit not in UNIT_TITLES:
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
    name = "课程导览" if unit == "u00" else f"第{unit[1:]}单元「{UNIT_TITLES[unit]}」"
    mode = "评分模式" if grade_mode() else "学生模式"
    return Banner(f"✔ 课程环境已就绪：《电子商务客服管理》{name}（{mode}）")
