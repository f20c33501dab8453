"""``Workbench()``: unit 05's 千牛-style workbench over the shop's data.

Left: find orders by 订单编号, 买家昵称 or 手机尾号 (:func:`course_lib.shop.order_lookup.search_orders`;
Enter in the box searches too).  Right, for the selected order: state, goods, the timeline with the
deadline still running (:func:`~course_lib.shop.order_lookup.order_history`), the events that may
come next (:func:`~course_lib.shop.orders.legal_events`), the current 卖家备注 with its flag, a form
to add a note (:func:`~course_lib.shop.notes.add_note`, refused with the reasons when it breaks the
rules) and 快捷短语 for the state (:mod:`course_lib.shop.phrases`) put into an editable reply draft.
New notes live in the widget only (``self.notes``); the data files are never changed.
Tests drive it with ``wb.query.value = "…"; wb.search_button.click()``, ``wb.results.value = "O01294"``,
``wb.flag.value = "黄"; wb.note_text.value = "…"; wb.save_button.click()`` and ``wb.insert_button.click()``.
"""
from __future__ import annotations

import html
from datetime import datetime

import ipywidgets as w

from ..shop.datasets import DatasetError, load_dataset
from ..shop.notes import FLAGS, Note, add_note, current_notes, notes_from_table
from ..shop.order_lookup import DATA_END, SEARCH_MODES, order_history, search_orders
from ..shop.orders import legal_events
from ..shop.phrases import fill_phrase, phrase_values, phrases_for
from ..shop.timeline import format_moment
from ..theme import colour, flag_swatch_style, text_colour
from .base import View, guarded, heading, typed

MUTED, WARN, ERROR, GOOD = (text_colour(tone) for tone in ("muted", "warn", "bad", "ok"))  # CSS declarations
LINE = colour("border")
SHOWN = 50


def swatch(flag: str) -> str:
    return f"<span style='{flag_swatch_style(flag)}'></span> {html.escape(flag)}旗"


class Workbench(View):
    fallback = "【千牛工作台】运行本单元格后，输入订单编号、买家昵称或手机尾号查找订单，查看状态和时间线，写备注、选快捷短语。"

    def __init__(self, now: datetime = DATA_END, agent: str = "禾悦-小雅", query: str | None = None) -> None:
        super().__init__()
        self.now = now
        self.orders = load_dataset("orders")
        self.customers = load_dataset("customers")
        self.items = load_dataset("order_items")
        agents = load_dataset("agents")
        self.known = set(self.orders["订单编号"])
        try:
            self.notes: tuple[Note, ...] = notes_from_table(load_dataset("order_notes"), agents)
            notes_source = "订单备注来自数据集 order_notes（数据截止时每单显示的卖家备注）。"
        except DatasetError:
            self.notes, notes_source = (), "没有找到订单备注数据，备注从空白开始。"
        self.found = None
        self.selected: str | None = None
        # left: search
        self.query = typed(w.Text, placeholder="订单编号、买家昵称或手机尾号",
                           layout=w.Layout(width="230px"))
        self.query.observe(lambda _: self.search(), names="value")
        self.mode = w.Dropdown(options=list(SEARCH_MODES), value="自动", description="方式",
                               layout=w.Layout(width="150px"), style={"description_width": "initial"})
        self.search_button = w.Button(description="查找", button_style="primary", icon="search",
                                      layout=w.Layout(width="80px"))
        self.search_button.on_click(lambda _: self.search())
        self.summary = w.HTML()
        self.results = w.Select(options=[], rows=8, layout=w.Layout(width="98%"))
        self.results.observe(lambda change: self.select(change["new"]), names="value")
        left = w.VBox([w.HTML("<b>查找订单</b>"), w.HBox([self.query, self.mode, self.search_button]),
                       self.summary, self.results], layout=w.Layout(flex="1 1 360px", min_width="320px"))
        # right: the order, notes, quick phrases
        self.detail = w.HTML(f"<div style='{MUTED}'>在左边选中一笔订单。</div>")
        self.flag = w.ToggleButtons(options=list(FLAGS), value="灰", tooltips=[FLAGS[f] for f in FLAGS],
                                    description="旗帜", style={"button_width": "42px"})
        self.note_text = typed(w.Textarea, placeholder="写清时间、做了什么、约定了什么、下一步；只写事实",
                               layout=w.Layout(width="95%", height="60px"))
        self.agent = w.Dropdown(options=list(agents["昵称"]), value=agent if agent in set(agents["昵称"]) else None,
                                description="客服", layout=w.Layout(width="200px"))
        self.save_button = w.Button(description="保存备注", icon="save")
        self.save_button.on_click(lambda _: self.save_note())
        self.note_status = w.HTML()
        self.phrase = w.Dropdown(options=[], description="快捷短语", layout=w.Layout(width="280px"),
                                 style={"description_width": "initial"})
        self.phrase.observe(lambda _: self.preview(), names="value")
        self.phrase_preview = w.HTML()
        self.insert_button = w.Button(description="放入回复草稿", icon="arrow-down", layout=w.Layout(width="auto"))
        self.insert_button.on_click(lambda _: self.insert_phrase())
        self.draft = typed(w.Textarea, placeholder="回复草稿：可以修改后再发给顾客", layout=w.Layout(width="95%", height="70px"))
        self.editor = w.VBox([w.HTML("<b>写备注</b>"), self.flag, self.note_text, w.HBox([self.agent, self.save_button]),
                              self.note_status, w.HTML("<b>快捷短语</b>"), w.HBox([self.phrase, self.insert_button]),
                              self.phrase_preview, self.draft])
        self.editor.layout.display = "none"
        for name in ("query", "mode", "summary", "results", "detail", "flag", "note_text", "note_status", "phrase",
                     "phrase_preview", "draft"):
            getattr(self, name).add_class(f"course-wb-{name.replace('_', '-')}")     # stable hooks for browser tests
        right = w.VBox([self.detail, self.editor], layout=w.Layout(flex="1 1 420px", min_width="320px"))
        header = w.HTML(heading("千牛工作台（模拟）", "按订单编号、买家昵称或手机尾号查找订单；时间按数据截止时刻"
                                f"（{format_moment(now)}）计算。{notes_source}新写的备注只保存在本次运行中。"))
        self.widget = w.VBox([header, w.HBox([left, right], layout=w.Layout(flex_flow="row wrap")), self.status])
        self.widget.add_class("course-workbench")
        if query:
            self.query.value = query

    # -- search ------------------------------------------------------------------
    @guarded
    def search(self) -> None:
        try:
            found = search_orders(self.orders, self.customers, self.query.value, by=self.mode.value)
        except ValueError as error:
            self.summary.value = f"<div style='{ERROR}'>{html.escape(str(error))}</div>"
            self.results.options = []
            return
        self.found = found
        if found.empty:
            self.summary.value = f"<div style='{WARN}'>没有找到，试试换一种查找方式或检查输入。</div>"
        else:
            more = f"，只显示最近的{SHOWN}笔，请输入更完整的内容" if len(found) > SHOWN else ""
            self.summary.value = (f"<div>查到{len(found)}笔订单，涉及{found['昵称'].nunique()}位顾客"
                                  f"（按拍下时间从新到旧）{more}。</div>")
        self.results.options = [(f"{r.订单编号} · {r.昵称} · 尾号{r.手机尾号} · {r.订单状态} · "
                                 f"{r.拍下时间.month}月{r.拍下时间.day}日 · {r.订单金额:g}元 · （{r.匹配方式}）", r.订单编号)
                                for r in found.head(SHOWN).itertuples()]
        if len(found) == 1:
            self.results.value = found["订单编号"].iloc[0]

    # -- one order ---------------------------------------------------------------
    def row(self):
        return self.orders[self.orders["订单编号"] == self.selected].iloc[0]

    @guarded
    def select(self, order_id: str | None) -> None:
        self.selected = order_id
        self.note_status.value = ""
        if order_id is None:
            self.editor.layout.display = "none"
            self.detail.value = f"<div style='{MUTED}'>在左边选中一笔订单。</div>"
            return
        self.editor.layout.display = None
        self.render_detail()
        self.phrase.options = [p.title for p in phrases_for(self.row()["订单状态"])]
        self.phrase.value = self.phrase.options[0] if self.phrase.options else None
        self.preview()

    def buyer(self) -> str:
        cid = self.row()["顾客编号"]
        return str(self.customers.loc[self.customers["顾客编号"] == cid, "昵称"].iloc[0])

    def goods(self) -> list[str]:
        lines = self.items[self.items["订单编号"] == self.selected]
        return [f"{r.商品名称}" + (f"×{r.数量}" if r.数量 > 1 else "") for r in lines.itertuples()]

    def render_detail(self) -> None:
        row = self.row()
        state = str(row["订单状态"])
        ref = row["拍下时间"].to_pydatetime()
        timeline = "".join(
            f"<li style='list-style:none'>{'○' if i.kind == '期限' else '●'} {format_moment(i.at, ref)}　"
            f"{html.escape(i.label)}{'（' + html.escape(i.note) + '）' if i.note else ''}"
            + (f" <b style='{WARN}'>← 期限</b>" if i.kind == "期限" else "") + "</li>"
            for i in order_history(row, self.now))
        nexts = legal_events(state)
        note = current_notes(self.notes).get(self.selected)
        note_html = (f"{swatch(note.flag)}　{html.escape(note.text)} <span style='{MUTED}'>"
                     f"（{html.escape(note.agent)}，{format_moment(note.at, ref)}）</span>" if note
                     else f"<span style='{MUTED}'>（还没有备注）</span>")
        history = [n for n in self.notes if n.order_id == self.selected]
        self.detail.value = (
            f"<div style='border:1px solid {LINE};border-radius:6px;padding:6px 10px'>"
            f"<div><b>{html.escape(self.selected)}</b>　买家：{html.escape(self.buyer())}　"
            f"<b style='border:1px solid {LINE};border-radius:10px;padding:0 8px'>{html.escape(state)}</b>　"
            f"{row['订单金额']:g}元</div>"
            f"<div>商品：{html.escape('、'.join(self.goods()))}　物流方式：{html.escape(str(row['物流方式']))}</div>"
            f"<div style='margin-top:4px'><b>时间线</b></div><ul style='margin:2px 0;padding-left:4px'>{timeline}</ul>"
            f"<div>接下来可能发生：{'、'.join(nexts) if nexts else '交易已经结束，什么都不会再发生'}</div>"
            f"<div style='margin-top:4px'><b>当前备注</b>：{note_html}</div>"
            + (f"<div style='{MUTED}'>备注历史：{len(history)}条</div>" if len(history) > 1 else "")
            + "</div>")

    # -- notes and phrases ---------------------------------------------------------
    @guarded
    def save_note(self) -> None:
        if self.selected is None:
            self.note_status.value = f"<div style='{WARN}'>请先查找并选中一笔订单。</div>"
            return
        try:
            self.notes = add_note(self.notes, self.selected, self.flag.value, self.note_text.value,
                                  self.agent.value or "", self.now, known_orders=self.known)
        except ValueError as error:
            self.note_status.value = f"<div style='{ERROR}'>{html.escape(str(error))}</div>"
            return
        self.note_text.value = ""
        self.note_status.value = f"<div style='{GOOD}'>✔ 已保存，当前备注已更新。</div>"
        self.render_detail()

    def _phrase(self):
        return next((p for p in phrases_for(self.row()["订单状态"]) if p.title == self.phrase.value), None)

    def _filled(self) -> str:
        phrase = self._phrase()
        if phrase is None:
            raise ValueError("请先选一条快捷短语。")
        values = phrase_values(self.row(), self.buyer(), self.goods(), (self.agent.value or "").replace("禾悦-", ""),
                               self.now)
        return fill_phrase(phrase, **values)

    @guarded
    def preview(self) -> None:
        if self.selected is None or self.phrase.value is None:
            self.phrase_preview.value = ""
            return
        try:
            self.phrase_preview.value = f"<div style='{MUTED}'>预览：{html.escape(self._filled())}</div>"
        except ValueError as error:
            self.phrase_preview.value = f"<div style='{WARN}'>{html.escape(str(error))}</div>"

    @guarded
    def insert_phrase(self) -> None:
        if self.selected is None:
            return
        try:
            text = self._filled()
        except ValueError as error:
            self.phrase_preview.value = f"<div style='{WARN}'>{html.escape(str(error))}</div>"
            return
        self.draft.value = (self.draft.value.rstrip() + "\n" if self.draft.value.strip() else "") + text
