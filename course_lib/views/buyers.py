"""``BuyerTypeIdentifier(unit)``: read a short chat, pick the buyer's most striking type, see the strategy.

A thin view over :mod:`course_lib.content.buyer_types`: a chat, a combobox (type a name
or a number, or pick from the list), 确定, the verdict, the strategy of the right type,
上一段/下一段/重新开始 and a collapsed overview of all types.  Only the first pick of
each chat counts; progress survives a kernel restart.  Drive it from pytest with
``ident.choice.value = "理智型"; ident.confirm.click(); ident.next.click()``.
"""
from __future__ import annotations

import html

import ipywidgets as w

from ..content.buyer_types import BuyerTypeError, Run, load_buyer_kit, strategy_text
from ..progress import ProgressStore
from ..theme import colour, text_colour
from .base import View, bubble, guarded, heading, typed


def _lines(text: str) -> str:
    return "<br>".join(html.escape(line) for line in text.splitlines())


class BuyerTypeIdentifier(View):
    def __init__(self, unit: str = "u08", store: ProgressStore | None = None) -> None:
        super().__init__()
        self.unit = unit
        self.kit = load_buyer_kit(unit)
        self.store = store or ProgressStore()
        self.run = Run(self.kit)
        self.index = 0
        self.answered: set[str] = set()
        n = len(self.kit.cases)
        self.fallback = (f"【{self.kit.title}】{n}段聊天片段：读对话，选出顾客最突出的类型。运行本单元格开始练习。\n"
                         f"第1段：\n{self.kit.cases[0].to_text()}")
        self.header = w.HTML()
        self.chat = w.HTML(layout=w.Layout(border=f"1px solid {colour('border')}", padding="6px", width="95%"))
        self.choice = typed(w.Combobox, options=self.kit.menu(), ensure_option=False,
                            placeholder="输入类型名称或编号，或点开列表选择", description="最突出的是",
                            style={"description_width": "initial"}, layout=w.Layout(width="380px"))
        self.confirm = w.Button(description="确定", button_style="primary", icon="check")
        self.confirm.on_click(lambda _: self._confirm())
        self.feedback = w.HTML()
        self.strategy = w.HTML()
        self.previous = w.Button(description="上一段", icon="arrow-left")
        self.previous.on_click(lambda _: self._move(-1))
        self.next = w.Button(description="下一段", icon="arrow-right")
        self.next.on_click(lambda _: self._move(1))
        self.restart = w.Button(description="重新开始", icon="refresh")
        self.restart.on_click(lambda _: self._restart())
        self.summary = w.HTML()
        self.overview = w.Accordion(children=[w.HTML(self._overview_html())])
        self.overview.set_title(0, f"{len(self.kit.types)}种买家类型一览")
        self.overview.selected_index = None
        self.widget = w.VBox([self.header, self.chat, w.HBox([self.choice, self.confirm]), self.feedback,
                              self.strategy, w.HBox([self.previous, self.next, self.restart]), self.summary,
                              self.overview, self.status])
        self.widget.add_class("course-buyer-types")
        self._restore()
        self._render()

    # -- progress ----------------------------------------------------------------
    def _restore(self) -> None:
        saved = self.store.get("buyer_types", self.unit)
        if not isinstance(saved, dict):
            return
        ids = {c.id for c in self.kit.cases}
        first = saved.get("first")
        if isinstance(first, dict):
            self.run.first_picks = {k: bool(v) for k, v in first.items() if k in ids and isinstance(v, bool)}
            self.answered = set(self.run.first_picks)
        index = saved.get("index")
        if isinstance(index, int) and not isinstance(index, bool) and 0 <= index < len(self.kit.cases):
            self.index = index

    def _save(self) -> None:
        self.store.put("buyer_types", self.unit, {"index": self.index, "first": dict(self.run.first_picks)})

    # -- rendering ----------------------------------------------------------------
    def _overview_html(self) -> str:
        parts = []
        for family, title in (self.kit.families or {"": ""}).items():
            members = [t for t in self.kit.types if not family or t.family == family]
            rows = "".join(f"<li>{_lines(strategy_text(t))}</li>" for t in members)
            parts.append((f"<div><b>{html.escape(title)}</b></div>" if title else "") + f"<ul>{rows}</ul>")
        return "".join(parts)

    @property
    def case(self):
        return self.kit.cases[self.index]

    def _render(self) -> None:
        n = len(self.kit.cases)
        self.header.value = heading(f"{self.kit.title}　第{self.index + 1}/{n}段",
                                    "读下面的聊天，选出这位顾客<b>最突出的</b>类型，点“确定”。只有第一次的选择计入成绩，选错了可以再选。")
        self.chat.value = "".join(bubble(text, who, "left" if who == "顾客" else "right") for who, text in self.case.chat)
        self.previous.disabled = self.index == 0
        self.next.disabled = self.case.id not in self.answered or self.index == n - 1
        self.summary.value = f"<div style='margin-top:6px'><b>小结：</b>{html.escape(self.run.summary())}</div>"

    def _show(self, result) -> None:
        self.feedback.value = f"<div style='{text_colour('ok' if result.correct else 'bad')}'><b>{html.escape(result.message)}</b></div>"
        self.strategy.value = (f"<div style='border-left:3px solid {colour('border')};padding-left:8px;margin:4px 0'>"
                               f"{_lines(result.strategy)}</div>")

    # -- callbacks -----------------------------------------------------------------
    @guarded
    def _confirm(self) -> None:
        try:
            result = self.run.pick(self.case.id, self.choice.value)
        except BuyerTypeError as error:
            self.feedback.value = f"<div style='{text_colour('warn')}'>{html.escape(str(error))}</div>"
            return
        self.answered.add(self.case.id)
        self._show(result)
        if self.index == len(self.kit.cases) - 1:
            self.feedback.value += "<div>这是最后一段。看看下面的小结；想再练一遍，点“重新开始”。</div>"
        self._save()
        self._render()

    @guarded
    def _move(self, step: int) -> None:
        self.index = max(0, min(len(self.kit.cases) - 1, self.index + step))
        self.choice.value = ""
        self.feedback.value = self.strategy.value = ""
        self._save()
        self._render()

    @guarded
    def _restart(self) -> None:
        self.run = Run(self.kit)
        self.answered = set()
        self.index = 0
        self.choice.value = ""
        self.feedback.value = self.strategy.value = ""
        self._save()
        self._render()
