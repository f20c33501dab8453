"""One call makes matplotlib draw Chinese without tofu, in the course style; the course's bar and radar charts.

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


def bar_chart(labels, values, *, title: str, value_labels=None, axis_label: str = "", colors=None,
              horizontal: bool = False, inner_labels=None, reference: float | None = None,
              reference_label: str = "", reference_color: str = "gray", limit: float | None = None,
              headroom: float = 1.15, width: float | None = None) -> None:
    """Draw one labelled bar chart in the course style and show it.

    ``value_labels`` are the texts above the bars (a format like ``"{:.1f}亿元"`` or one text
    per bar); ``inner_labels`` texts inside the bars; ``reference`` a dashed line (e.g. the
    10-second standard) with ``reference_label`` in the legend; the value axis runs to
    ``limit`` or to the largest value × ``headroom``.  ``horizontal=True`` draws ``barh``.

    >>> import matplotlib; matplotlib.use("Agg"); import matplotlib.pyplot as plt
    >>> font = setup_charts()
    >>> bar_chart(["A", "B"], [3, 12], title="示例", value_labels="{:.0f}秒", reference=10, reference_label="10秒标准")
    >>> ax = plt.gca()
    >>> [t.get_text() for t in ax.texts], bool(ax.get_ylim()[1] > 12)
    (['3秒', '12秒'], True)
    >>> plt.close("all")
    """
    import matplotlib.pyplot as plt

    values = [float(v) for v in values]
    fig, ax = plt.subplots(figsize=(6, 3.5))
    options = {"color": colors} if colors is not None else {}
    if width is not None:
        options["height" if horizontal else "width"] = width
    bars = (ax.barh if horizontal else ax.bar)(list(labels), values, **options)
    if value_labels is not None:
        texts = ([value_labels.format(v) for v in values] if isinstance(value_labels, str) else list(value_labels))
        ax.bar_label(bars, labels=texts, padding=3 if horizontal else 0)
    if inner_labels is not None:
        ax.bar_label(bars, labels=list(inner_labels), label_type="center", color="white")
    if reference is not None:
        (ax.axvline if horizontal else ax.axhline)(reference, color=reference_color, linestyle="--",
                                                   label=reference_label or None)
        if reference_label:
            ax.legend()
    ax.set_title(title)
    (ax.set_xlabel if horizontal else ax.set_ylabel)(axis_label)
    top = limit if limit is not None else max(values + [0.0]) * headroom or 1.0
    (ax.set_xlim if horizontal else ax.set_ylim)(0, top)
    fig.tight_layout()
    plt.show()


def radar_chart(labels, values, *, title: str, scale: float = 5, reference: float | None = None,
                reference_label: str = "", value_format: str = "{:.1f}") -> None:
    """Draw one radar (spider) chart in the course style and show it: the first label at the top,
    clockwise, the polygon filled, each label with its value below it, ``reference`` a dashed
    ring (e.g. the self-assessment's 3 = 基本符合) with ``reference_label`` in the legend.

    >>> import matplotlib; matplotlib.use("Agg"); import matplotlib.pyplot as plt
    >>> font = setup_charts()
    >>> radar_chart(["甲", "乙", "丙"], [3, 4.5, 2], title="示例", reference=3, reference_label="参考线3分")
    >>> ax = plt.gca()
    >>> ax.name, [t.get_text() for t in ax.get_xticklabels()]
    ('polar', ['甲\\n3.0', '乙\\n4.5', '丙\\n2.0'])
    >>> radar_chart(["甲", "乙"], [3, 4], title="太少")
    Traceback (most recent call last):
    ...
    ValueError: 雷达图至少需要3项，并且每项一个分数（现在有2项、2个分数）。
    >>> plt.close("all")
    """
    import math

    import matplotlib.pyplot as plt

    labels, values = [str(label) for label in labels], [float(v) for v in values]
    if len(labels) < 3 or len(labels) != len(values):
        raise ValueError(f"雷达图至少需要3项，并且每项一个分数（现在有{len(labels)}项、{len(values)}个分数）。")
    if not all(math.isfinite(v) and 0 <= v <= scale for v in values):
        raise ValueError(f"雷达图的分数应在0～{scale:g}之间。")
    n = len(values)
    angles = [2 * math.pi * k / n for k in range(n)]
    fig, ax = plt.subplots(figsize=(5.2, 5), subplot_kw={"projection": "polar"})
    ax.set_theta_offset(math.pi / 2)
    ax.set_theta_direction(-1)
    ax.plot(angles + angles[:1], values + values[:1], color=PALETTE[0], marker="o", linewidth=2)
    ax.fill(angles + angles[:1], values + values[:1], color=PALETTE[0], alpha=0.25)
    if reference is not None:
        ax.plot(angles + angles[:1], [reference] * (n + 1), color="gray", linestyle="--", linewidth=1,
                label=reference_label or None)
    ax.set_xticks(angles)
    ax.set_xticklabels([f"{label}\n{value_format.format(v)}" for label, v in zip(labels, values)])
    ax.tick_params(axis="x", pad=14)
    ax.set_ylim(0, scale)
    ax.set_yticks(list(range(1, int(scale) + 1)))
    ax.set_rlabel_position(180 / n)            # the 1–5 scale between the first two axes, off the labels
    ax.tick_params(axis="y", labelsize=8, labelcolor="gray")
    ax.set_title(title, pad=24)
    if reference is not None and reference_label:
        ax.legend(loc="lower right", bbox_to_anchor=(1.18, -0.12), fontsize=8)
    fig.tight_layout()
    plt.show()
