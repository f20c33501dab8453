"""Unit 09's views: ``MarginCalculator()`` and the three-score panel a bargaining ``RolePlay`` shows.

The calculator: pick a product and a quantity, type a price cut, tick the gifts to add; the
money of the order (:func:`course_lib.shop.margin.order_margin`) updates at once, with a
warning below the 90 % line.  Drive it from pytest with ``calc.discount.value = "30元"`` and
``calc.gift_boxes["P10"].value = True``, then read ``calc.result.value``.

:class:`BargainPanel` is what :class:`~course_lib.views.roleplay.RolePlay` adds for a scenario
with a ``bargain:`` block: a line per turn saying what the reply gave away, and at the end
the deal, margin and tone scores (:func:`course_lib.shop.bargain.bargain_report`).
"""
from __future__ import annotations

import html
import math

import ipywidgets as w

from ..content.concessions import bargain_inputs
from ..shop.bargain import GOOD_KEPT, BargainReport, BargainSetup, bargain_report, concession_from_data, describe, setup_from_data
from ..shop.margin import MarginError, catalogue_items, order_margin
from ..theme import colour, text_colour
from .base import View, guarded, heading

GIFT_CHOICES = ("P10", "P08", "P05", "P13")      # the card's two small gifts, the campaign kit, a dear one


class MarginCalculator(View):
    def __init__(self, product: str = "P02") -> None:
        super().__init__()
        self.items = catalogue_items()
        self.product = w.Dropdown(options=[(f"{p.name}（{p.id}）{p.price:g}元", p.id) for p in self.items.values()],
                                  value=product, description="商品", layout=w.Layout(width="380px"))
        self.quantity = w.BoundedIntText(value=1, min=1, max=99, description="数量", layout=w.Layout(width="160px"))
        self.discount = w.Text(value="", placeholder="例如30或30元", description="让价（元）",
                               style={"description_width": "initial"}, layout=w.Layout(width="220px"))
        self.gift_boxes = {pid: w.Checkbox(value=False, description=f"加送{self.items[pid].name}（成本{self.items[pid].cost:g}元）",
                                           indent=False, layout=w.Layout(width="auto"))
                           for pid in GIFT_CHOICES}
        self.result = w.HTML()
        for control in (self.product, self.quantity, self.discount, *self.gift_boxes.values()):
            control.observe(lambda _: self._update(), names="value")
        self.widget = w.VBox([w.HTML(heading("毛利计算器", "选择商品，输入让价、勾选加送的赠品，马上看到一单毛利和毛利保持率。"
                                             "活动赠品（买包或钱包每单送一套皮具护理套装）自动算进去。")),
                              w.HBox([self.product, self.quantity, self.discount]),
                              w.HBox(list(self.gift_boxes.values()), layout=w.Layout(flex_flow="row wrap")),
                              self.result, self.status])
        self.widget.add_class("course-margin")
        self.margin = None
        self._update()

    @property
    def gifts(self) -> tuple[str, ...]:
        return tuple(pid for pid, box in self.gift_boxes.items() if box.value)

    @property
    def fallback(self) -> str:
        text = "【毛利计算器】选择商品、输入让价和赠品，马上看到一单毛利和毛利保持率。运行本单元格开始使用。"
        return text + ("\n" + self.margin.to_text() if self.margin is not None else "")

    @guarded
    def _update(self) -> None:
        try:
            margin = order_margin(self.product.value, self.items, quantity=self.quantity.value,
                                  discount=self.discount.value, extra_gifts=self.gifts)
        except MarginError as error:
            self.status.value = (f"<div style='{text_colour('warn')}'>{html.escape(str(error))}"
                                 "（下面变灰的是上一次的结果，改好后会自动更新）</div>")
            self.result.layout.opacity = "0.5"
            return
        self.margin = margin
        self.result.layout.opacity = "1"
        kept = f"{margin.kept:.1%}" if math.isfinite(margin.kept) else "—"
        cells = [("实收金额", f"{margin.paid:.2f}"), ("商品成本", f"{margin.goods_cost:.2f}"),
                 ("赠品成本", f"{margin.gift_cost:.2f}"), ("一单毛利", f"{margin.profit:.2f}"),
                 ("标准毛利", f"{margin.standard_profit:.2f}"), ("毛利保持率", kept)]
        head = "".join(f"<th style='padding:2px 8px'>{k}</th>" for k, _ in cells)
        row = "".join(f"<td style='padding:2px 8px;text-align:right'>{v}</td>" for _, v in cells)
        note = f"<div style='{text_colour('muted')}'>赠品：{html.escape(margin.gift_text())}</div>"
        if math.isfinite(margin.kept) and margin.kept < GOOD_KEPT:
            note += (f"<div style='{text_colour('bad')}'><b>⚠ 让出去的太多了：毛利只保住了{kept}"
                     f"（本课程以{GOOD_KEPT:.0%}为参考线）。</b></div>")
        self.result.value = (f"<table style='border-collapse:collapse;border:1px solid {colour('border')};margin:4px 0'>"
                             f"<tr>{head}</tr><tr>{row}</tr></table>{note}")


class BargainPanel:
    """The bargaining part of a role-play: per-turn concessions and the three-score report."""

    def __init__(self, scenario) -> None:
        self.scenario = scenario
        facts = scenario.facts
        self.setup: BargainSetup = setup_from_data(scenario.bargain, discount_allowed=bool(facts and facts.discount))

    def step_line(self, step) -> str:
        text = describe(concession_from_data(step.concession, self.setup), self.setup)
        return f"<div style='{text_colour('muted')}'>{html.escape(text)}</div>" if text else ""

    def report(self, dialogue) -> BargainReport:
        return bargain_report(**bargain_inputs(dialogue), setup=self.setup)

    def report_html(self, dialogue) -> str:
        r = self.report(dialogue)
        kept = f"保住了{r.margin.kept:.1%}" if r.deal and math.isfinite(r.margin.kept) else "没有成交"
        cards = [("① 成交", r.deal_score, "成交" if r.deal else "没有成交"), ("② 毛利", r.margin_score, kept),
                 ("③ 语气", r.tone_score, f"{len(r.tone_items)}句平均")]
        boxes = "".join(
            f"<div style='flex:1;border:1px solid {colour('border')};border-radius:6px;padding:6px;text-align:center'>"
            f"<div>{name}</div><div style='font-size:160%;font-weight:bold;{text_colour('ok' if score >= 80 else 'bad')}'>"
            f"{score}</div><div style='{text_colour('muted')}'>{html.escape(note)}</div></div>"
            for name, score, note in cards)
        lines = r.to_text().splitlines()[4:]
        details = "".join(f"<div style='{text_colour('bad') if line.startswith('违反任务卡') and not line.endswith('无') else ''}'>"
                          f"{html.escape(line)}</div>" for line in lines)
        return (f"<div class='course-bargain' style='border:2px solid {colour('border')};padding:8px;margin-top:6px'>"
                f"<h4 style='margin:2px 0'>三项得分（各100分）</h4><div style='display:flex;gap:8px'>{boxes}</div>"
                f"<div style='margin-top:6px'>{html.escape(r.to_text().splitlines()[3].strip())}</div>{details}</div>")
