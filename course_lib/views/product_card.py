"""``ProductCard()``: the product-knowledge card of unit 03 over :class:`course_lib.shop.product_card.Catalogue`.

Type a code or part of a name and press Enter (or 查找), or press one of the bag buttons;
the card shows material, size, care points, matching items (each a button that opens its
card) — never the cost.  Several hits show candidate buttons, none a hint.  It lives beside
``RolePlay("u03_pu_tote")`` in the same notebook: the student looks things up while the
buyer waits.  Tests set ``card.box.value = "托特"`` (or call ``card.search.click()``) and
click ``card.candidate_buttons[i]`` / ``card.match_buttons[i]``.
"""
from __future__ import annotations

import html

import ipywidgets as w

from ..shop.product_card import Catalogue, Lookup, load_catalogue
from ..theme import colour, text_colour
from .base import View, guarded, heading, typed

ACCENT = text_colour("info")
BORDER = colour("border")
MUTED = text_colour("muted")
PANEL = colour("panel")
WARN = text_colour("warn")

QUICK = ("P01", "P02", "P03", "P04", "P05")      # the bags and their care kit: what unit 03 asks about


class ProductCard(View):
    fallback = "【商品知识卡】运行本单元格，输入商品编号或名称查商品资料。"

    def __init__(self, query: str | None = None, catalogue: Catalogue | None = None) -> None:
        super().__init__()
        self.catalogue = catalogue
        self.lookup: Lookup | None = None
        header = w.HTML(heading("商品知识卡：禾悦优选",
                                "输入编号（如P01、p1、1）或名称中的几个字（如“托特”“钱包”），按回车或点“查找”。"))
        self.box = typed(w.Text, placeholder="编号或名称，例如：托特",
                         layout=w.Layout(width="300px"))
        self.box.observe(lambda change: self._find(change["new"]), names="value")
        self.search = w.Button(description="查找", button_style="primary", icon="search")
        self.search.on_click(lambda _: self._find(self.box.value))
        self.quick_buttons = [w.Button(description=code, layout=w.Layout(width="60px")) for code in QUICK]
        for button in self.quick_buttons:
            button.on_click(lambda b: self._find(b.description))
        self.card = w.HTML()
        self.candidate_buttons: list[w.Button] = []
        self.match_buttons: list[w.Button] = []
        self.candidates = w.HBox()
        self.matches = w.HBox()
        note = w.HTML(f"<div style='{MUTED};font-size:90%'>知识卡不显示成本：成本是店铺的内部数据，不能告诉顾客。</div>")
        self.widget = w.VBox([header, w.HBox([self.box, self.search]),
                              w.HBox([w.HTML(f"<span style='{MUTED}'>常用：</span>"), *self.quick_buttons]),
                              self.card, self.candidates, self.matches, note, self.status])
        self.widget.add_class("course-product-card")
        self._load()
        if query:
            self._find(query)

    @guarded
    def _load(self) -> None:
        if self.catalogue is None:
            self.catalogue = load_catalogue()

    @guarded
    def _find(self, query: str) -> None:
        if self.catalogue is None:
            self._load()
            if self.catalogue is None:
                return
        self.lookup = result = self.catalogue.find(query)
        self.candidate_buttons = [self._button(f"{p.code} {p.name}", p.code) for p in result.candidates]
        self.candidates.children = self.candidate_buttons
        if result.product is None:
            self.card.value = f"<div class='course-product-message' style='{WARN};margin:6px 0'>{html.escape(result.message)}</div>"
            self.match_buttons = []
        else:
            self.card.value = card_html(result)
            self.match_buttons = [self._button(f"搭配：{m.code} {m.name}", m.code)
                                  for m in self.catalogue.matches_of(result.product)]
        self.matches.children = self.match_buttons

    def _button(self, label: str, code: str) -> w.Button:
        button = w.Button(description=label, tooltip=label, layout=w.Layout(width="auto"))
        button.on_click(lambda _: self._find(code))
        return button


def card_html(result: Lookup) -> str:
    """One product's card as a two-column table (multi-line values one line each)."""
    p = result.product
    rows = "".join(
        f"<tr><td style='{MUTED};white-space:nowrap;vertical-align:top;padding:2px 12px 2px 0'>{html.escape(label)}</td>"
        f"<td style='padding:2px 0'>{'<br>'.join(_emphasise(line) for line in value.splitlines())}</td></tr>"
        for label, value in result.rows[1:])
    return (f"<div class='course-product-card-body' style='border:1px solid {BORDER};background:{PANEL};"
            f"padding:6px 12px;margin:6px 0'>"
            f"<div style='font-weight:bold;font-size:115%;{ACCENT}'>{html.escape(p.code)} {html.escape(p.name)}"
            f"　{p.price:g}元</div><table>{rows}</table></div>")


def _emphasise(line: str) -> str:
    """Escaped text with “不是真皮” in bold: the fact an agent must never get wrong."""
    return html.escape(line).replace("不是真皮", "<b>不是真皮</b>")
