"""``TypingDrill()``: the typing drill of unit 02 over :func:`course_lib.practice.typing_drill.score_typing`.

Pick a passage, press 开始 (the passage appears, the box opens, the clock starts), type
with a Chinese input method, press 交卷.  The box syncs with the kernel only when it loses
focus (``continuous_update=False``): what is scored is the committed text at hand-in,
never the letters of an unfinished IME composition.  The kernel measures the time; a
hidden ``Play`` widget only moves the seconds shown.  The best result of each passage is
kept in the progress file.  Tests drive it with ``drill.start.click()``,
``drill.box.value = "…"``, ``drill.submit.click()`` and an injected ``clock``.
"""
from __future__ import annotations

import html
import time

import ipywidgets as w

from ..practice.loading import TypingSet, load_typing
from ..practice.typing_drill import TypingInputError, TypingResult, score_typing
from ..progress import ProgressStore
from ..theme import colour, text_colour
from .base import View, guarded, heading, typed

ACCENT = text_colour("info")
BORDER = colour("border")
ERROR = text_colour("bad")
MUTED = text_colour("muted")
OK = text_colour("ok")
PANEL = colour("panel")
WARN = text_colour("warn")


class TypingDrill(View):
    fallback = "【打字测速】运行本单元格开始测速（需要在JupyterLab中运行）。"

    def __init__(self, unit: str = "u02", store: ProgressStore | None = None, clock=time.monotonic,
                 drill: TypingSet | None = None) -> None:
        super().__init__()
        self.drill = drill or load_typing(unit)
        self.rules = self.drill.rules
        self.store = store or ProgressStore()
        self.clock = clock
        self.started: float | None = None
        self.last: TypingResult | None = None
        levels = "、".join(f"{low:g}字/分{name}" for low, name in self.rules.levels)
        header = w.HTML(heading("打字测速", "只数已经上屏的汉字（输入法里没选字的拼音不算）；先求准，再求快。"
                                f"等级：{html.escape(levels)}；正确率低于{self.rules.min_accuracy * 100:g}%"
                                f"一律{html.escape(self.rules.below)}。"))
        self.choice = w.Dropdown(options=[(p.label, p.id) for p in self.drill.passages], description="原文",
                                 layout=w.Layout(width="420px"))
        self.choice.observe(lambda _: self._show_best(), names="value")
        self.start = w.Button(description="开始", button_style="success", icon="play")
        self.start.on_click(lambda _: self._start())
        self.passage = w.HTML()
        self.box = typed(w.Textarea, placeholder="点“开始”以后，在这里用中文输入法照着原文打字",
                         disabled=True, layout=w.Layout(width="95%", height="110px"))
        self.ticker = w.Play(value=0, min=0, max=3600, interval=1000, show_repeat=False,
                             layout=w.Layout(display="none"))
        self.seconds = w.IntText(value=0, description="已用秒数", disabled=True, layout=w.Layout(width="160px"))
        w.jslink((self.ticker, "value"), (self.seconds, "value"))
        self.submit = w.Button(description="交卷", button_style="primary", icon="check", disabled=True)
        self.submit.on_click(lambda _: self._submit())
        self.again = w.Button(description="再测一次", icon="refresh", layout=w.Layout(display="none"))
        self.again.on_click(lambda _: self._reset())
        self.result = w.HTML()
        self.best = w.HTML()
        self.widget = w.VBox([header, w.HBox([self.choice, self.start]), self.passage, self.box,
                              w.HBox([self.seconds, self.submit, self.again, self.ticker]), self.status,
                              self.result, self.best])
        self.widget.add_class("course-typing")
        self._reset()

    # -- state -------------------------------------------------------------------
    def _reset(self) -> None:
        self.started = None
        self.choice.disabled = self.start.disabled = False
        self.submit.disabled = True
        self.box.disabled = True
        self.box.value = ""
        self.ticker.playing = False
        self.ticker.value = 0
        self.again.layout.display = "none"
        self.passage.value = (f"<div style='{MUTED};margin:6px 0'>选好原文、打开中文输入法，点“开始”：原文出现，"
                              "计时同时开始。</div>")
        self.result.value = ""
        self._show_best()

    def _show_best(self) -> None:
        best = self.store.get("typing", self.choice.value)
        if isinstance(best, dict) and {"speed", "accuracy", "level"} <= set(best):
            self.best.value = (f"<div style='{MUTED}'>这段原文你的最好成绩：{best['speed']:.1f}字/分，"
                               f"正确率{best['accuracy'] * 100:.1f}%，{html.escape(str(best['level']))}。</div>")
        else:
            self.best.value = ""

    # -- callbacks ---------------------------------------------------------------
    @guarded
    def _start(self) -> None:
        passage = self.drill.get(self.choice.value)
        self.passage.value = (f"<div style='border:1px solid {BORDER};background:{PANEL};padding:8px 12px;margin:6px 0;"
                              f"font-size:120%;line-height:1.9'>{html.escape(passage.text)}</div>")
        self.result.value = ""
        self.box.value = ""
        self.box.disabled = False
        self.choice.disabled = self.start.disabled = True
        self.submit.disabled = False
        self.started = self.clock()
        self.ticker.playing = False          # the browser's Play view ticks only on a change to True
        self.ticker.value = 0
        self.ticker.playing = True

    @guarded
    def _submit(self) -> None:
        if self.started is None:
            self.status.value = f"<div style='{WARN}'>请先点“开始”。</div>"
            return
        passage = self.drill.get(self.choice.value)
        try:
            result = score_typing(passage.text, self.box.value, self.clock() - self.started, self.rules)
        except TypingInputError as problem:     # too early: keep the clock running, the student goes on
            self.status.value = f"<div style='{WARN}'>{html.escape(str(problem))}</div>"
            return
        self.last = result
        self.started = None
        self.ticker.playing = False
        self.box.disabled = True
        self.submit.disabled = True
        self.again.layout.display = None
        self.result.value = result_html(result, self.rules.below)
        self._save(result)

    def _save(self, result: TypingResult) -> None:
        if not result.typed_han or result.suspicious:
            return
        key = self.choice.value
        best = self.store.get("typing", key)
        ok = result.accuracy >= self.rules.min_accuracy
        rank = (ok, result.speed if ok else result.accuracy)
        if isinstance(best, dict) and {"speed", "accuracy"} <= set(best):
            best_ok = best["accuracy"] >= self.rules.min_accuracy
            if (best_ok, best["speed"] if best_ok else best["accuracy"]) >= rank:
                return
        self.store.put("typing", key, {"speed": result.speed, "accuracy": round(result.accuracy, 4),
                                       "level": result.level})
        self._show_best()


def result_html(r: TypingResult, below: str = "未达标") -> str:
    """The result: counts, level badge, notes and the character-by-character comparison."""
    tone = "warn" if r.level == below else "ok"
    minutes, secs = divmod(round(r.seconds), 60)
    rows = [("用时", f"{minutes}分{secs:02d}秒"), ("录入汉字", f"{r.typed_han}个"),
            ("对照结果", f"正确{r.correct}，错字{r.wrong}，漏字{r.missing}，多字{r.extra}"),
            ("正确率", f"{r.accuracy * 100:.1f}%"),
            ("速度", f"{r.speed:.1f}字/分（录入速度{r.gross_speed:.1f}字/分）")]
    table = "".join(f"<tr><td style='{MUTED};padding-right:12px'>{k}</td><td>{html.escape(v)}</td></tr>"
                    for k, v in rows)
    notes = "".join(f"<li>{html.escape(n)}</li>" for n in r.notes)
    return (f"<div class='course-typing-result' style='border-left:4px solid {colour(tone)};padding:4px 10px;margin-top:6px'>"
            f"<div><b>等级：</b><span class='course-typing-level' style='{text_colour(tone)};font-weight:bold'>"
            f"{html.escape(r.level)}</span></div><table>{table}</table>"
            + (f"<ul style='margin:4px 0'>{notes}</ul>" if notes else "")
            + f"<div style='margin-top:4px'><b>逐字对照</b>（<span style='{ERROR}'>红字</span>是打错的字，括号里是原文；"
              f"<s style='{MUTED}'>删除线</s>是漏打的字；<u style='{WARN}'>下划线</u>是多打的字）：</div>"
              f"<div style='line-height:1.9;font-size:115%'>{marked_html(r)}</div></div>")


def marked_html(r: TypingResult) -> str:
    """The alignment as HTML spans, one per step."""
    out = []
    for s in r.steps:
        if s.kind == "对":
            out.append(html.escape(s.expected))
        elif s.kind == "错":
            out.append(f"<span class='course-typing-wrong' style='{ERROR};font-weight:bold'>{html.escape(s.typed)}"
                       f"<small>（{html.escape(s.expected)}）</small></span>")
        elif s.kind == "漏":
            out.append(f"<s class='course-typing-missing' style='{MUTED}'>{html.escape(s.expected)}</s>")
        else:
            out.append(f"<u class='course-typing-extra' style='{WARN}'>{html.escape(s.typed)}</u>")
    return "".join(out) or f"<span style='{ACCENT}'>（没有录入汉字）</span>"
