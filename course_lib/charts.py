"""One call makes matplotlib draw Chinese without tofu, in the course style.

It picks the first installed CJK font from a list that covers Windows
(Microsoft YaHei, SimHei), macOS (PingFang SC, Heiti SC) and Linux (Noto Sans
CJK, WenQuanYi).  matplotlib is imported only when the function is called.
"""
from __future__ import annotations

import warnings

CJK_FONTS = (
    "Microsoft YaHei", "SimHei", "PingFang SC", "Heiti SC", "Hiragino Sans GB", "Songti SC",
    "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Noto Sans CJK JP",
    "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "Arial Unicode MS",
)
PALETTE = ("#2f6fb0", "#e07b39", "#3a9d5d", "#c44e52", "#8172b2", "#937860", "#64b5cd")


def find_cjk_font(rescan: bool = True) -> str | None:
    """The first installed font from :data:`CJK_FONTS`, or ``None``.

    matplotlib caches the font list; if no CJK font is in the cache (fonts installed
    after the cache was built), the system fonts are scanned once more.
    """
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    found = next((name for name in CJK_FONTS if name in installed), None)
    if found is None and rescan:
        font_manager.fontManager = font_manager._load_fontmanager(try_read_cache=False)
        return find_cjk_font(rescan=False)
    return found


def setup_charts() -> str | None:
    """Configure fonts and style; return the font used (``None`` if no CJK font: warns in Chinese)."""
    import matplotlib
    from cycler import cycler

    font = find_cjk_font()
    if font is None:
        warnings.warn("没有找到中文字体，图表里的中文会显示成方块。请按 README 安装中文字体"
                      "（Windows 自带“微软雅黑”；Linux 安装 fonts-noto-cjk 或 fonts-wqy-microhei）。",
                      stacklevel=2)
    matplotlib.rcParams.update({
        "font.family": "sans-serif",
        "font.sans-serif": ([font] if font else []) + ["DejaVu Sans"],
        "axes.unicode_minus": False,
        "figure.figsize": (6.0, 3.5),
        "figure.dpi": 100,
        "axes.prop_cycle": cycler(color=list(PALETTE)),
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.grid": True,
        "axes.axisbelow": True,
        "grid.alpha": 0.3,
        "axes.titleweight": "bold",
        "savefig.bbox": "tight",
    })
    return font
