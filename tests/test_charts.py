"""Charts render Chinese with no missing glyph (no tofu)."""
from __future__ import annotations

import warnings

import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

from course_lib.charts import find_cjk_font, setup_charts  # noqa: E402
from course_lib.shop.datasets import load_dataset  # noqa: E402

SAMPLE = "网络购物交易额（亿元）客服首次响应秒数 RATER 信赖度 专业度 有形度 同理度 反应度 −12% 2013年"


def missing_glyphs(draw) -> list[str]:
    """Render a figure and return matplotlib's missing-glyph warnings."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig = draw()
        fig.canvas.draw()
        plt.close(fig)
    return [str(w.message) for w in caught if "missing from" in str(w.message) or "Glyph" in str(w.message)]


def industry_chart():
    df = load_dataset("industry")
    fig, ax = plt.subplots()
    ax.bar(df["指标"].astype(str).str[:6], df["数值"])
    ax.set_title(SAMPLE)
    ax.set_xlabel("指标")
    return fig


def test_a_cjk_font_is_installed():
    assert find_cjk_font() is not None, "没有找到中文字体：请安装 fonts-noto-cjk 或 fonts-wqy-microhei（.ci/run 会安装）"


def test_course_charts_have_no_missing_glyph():
    setup_charts()
    assert missing_glyphs(industry_chart) == []


def test_the_glyph_check_can_fail():
    """Without a CJK font the same chart must produce missing-glyph warnings."""
    setup_charts()
    try:
        matplotlib.rcParams["font.sans-serif"] = ["DejaVu Sans"]
        assert missing_glyphs(industry_chart)
    finally:
        setup_charts()


def test_setup_sets_course_style():
    font = setup_charts()
    assert matplotlib.rcParams["font.sans-serif"][0] == font
    assert matplotlib.rcParams["axes.unicode_minus"] is False
