"""``ReceptionSimulator("u06_reception", buyers=3)``: several buyers write at once (unit 06).

A thin view over :class:`~course_lib.content.reception.Reception`: the 接待队列 (a button per
buyer with an unread badge and a timer that turns red past the 10 s / 35 s standards), the
chat of the selected buyer with option buttons, a text box for free replies and the
快捷短语 button, and the end report computed by
:func:`~course_lib.shop.reception_report.reception_report` (the chat-log KPI functions),
next to the shop's three pre-sale agents.  A hidden ``Play`` widget ticks once a second in
the browser; every number comes from the kernel's ``clock`` (injectable).  Tests drive it with
``sim.start_button.click()``, ``sim.queue_buttons["b1"].click()``, ``sim.option_buttons[0].click()``,
``sim.text.value = "…"; sim.send.click()`` and ``sim.tick()`` after moving the clock.
"""
from __future__ import annotations

import html
import math
import time

import ipywidgets as w

from ..content.reception import BOT, BUYER, Reception
from ..content.reception_script import load_reception
from ..progress import ProgressStore
from ..settings import standards
from ..shop.reception_report import agent_kpis, reception_report
from ..shop.tables import fmt_rate
from ..theme import colour, text_colour
from .base import View, bubble, guarded, heading, typed

# CSS declarations of coloured text (course_lib.theme: readable in the Light and Dark themes)
MUTED = text_colour("muted")
BUBBLE_WIDTH = 78                # per cent: the reception chat's bubbles, one width for buyer, robot and agent
GOOD = text_colour("ok")
BAD = text_colour("bad")
WARN = text_colour("warn")
BORDER = colour("border")
_SHOP_KPIS: dict = {}                    # the shop's agents' numbers, computed once per kernel


def _seconds(x) -> str:
    return "—" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.1f}秒"


def shop_kpis():
    """:func:`agent_kpis` of the shop's chat log (computed once, on the first report)."""
    if "table" not in _SHOP_KPIS:
        from ..shop.datasets import load_dataset

        _SHOP_KPIS["table"] = agent_kpis(load_dataset("chat_messages"))
    return _SHOP_KPIS["table"]


class ReceptionSimulator(View):
    def __init__(self, script_id: str = "u06_reception", buyers: int = 3, clock=time.monotonic,
                 store: ProgressStore | None = None) -> None:
        super().__init__()
        self.script = load_reception(script_id).select(buyers)
        self.clock = clock
        self.store = store or ProgressStore()
        self.engine: Reception | None = None
        self.report = None
        self.selected: str | None = None
        self.feedback: dict[str, str] = {}
        self.t0 = 0.0
        self._drawn = None
        s = self.script
        self.fallback = f"【多顾客接待模拟】{s.title}（{len(s.buyers)}位顾客）：运行本单元格开始接待。"
        card = "".join(f"<li>{html.escape(c)}</li>" for c in s.card)
        header = w.HTML(heading(f"多顾客接待模拟：{s.title}（{len(s.buyers)}位顾客）", html.escape(s.intro),
                                f"<details><summary><b>任务卡：店铺的真实情况（只能说这些）</b></summary><ul>{card}</ul></details>"))
        self.start_button = w.Button(description="开始接待", button_style="success", icon="play")
        self.start_button.on_click(lambda _: self._start())
        self.finish_button = w.Button(description="结束接待", icon="stop", layout=w.Layout(display="none"))
        self.finish_button.on_click(lambda _: self._finish())
        self.restart_button = w.Button(description="再来一次", icon="refresh", layout=w.Layout(display="none"))
        self.restart_button.on_click(lambda _: self._restart())
        self.clock_html = w.HTML()
        self.ticker = w.Play(value=0, min=0, max=int(s.time_limit) + 60, interval=1000, show_repeat=False,
                             layout=w.Layout(display="none"))
        self.ticker.observe(self._on_tick, names="value")
        self.queue_box = w.VBox(layout=w.Layout(width="36%", border=f"1px solid {BORDER}", padding="4px"))
        self.queue_box.add_class("course-queue")
        self.queue_buttons: dict[str, w.Button] = {}
        self._queue_notes: dict[str, w.HTML] = {}
        self._queue_rows: dict[str, w.HBox] = {}
        self._queue_title = w.HTML("<b>接待队列</b>")
        self._queue_empty = w.HTML(f"<span style='{MUTED}'>还没有顾客发来消息……</span>")
        self.chat_html = w.HTML()
        self.prompt_html = w.HTML()
        self.options_box = w.VBox()
        self.option_buttons: list[w.Button] = []
        self.text = typed(w.Textarea, placeholder="在这里输入你的回复，然后点“发送”", layout=w.Layout(width="95%", height="70px"))
        self.send = w.Button(description="发送", button_style="primary", icon="paper-plane")
        self.send.on_click(lambda _: self._send_text())
        self.reply_box = w.VBox([self.text, self.send], layout=w.Layout(display="none"))
        self.quick_button = w.Button(description="快捷短语", icon="bolt", tooltip=s.quick_text)
        self.quick_button.on_click(lambda _: self._quick())
        self.quick_html = w.HTML(f"<span style='{MUTED}'>快捷短语：{html.escape(s.quick_text)}</span>")
        self.turn_feedback = w.HTML()
        right = w.VBox([self.chat_html, self.prompt_html, self.options_box, self.reply_box,
                        w.HBox([self.quick_button, self.quick_html]), self.turn_feedback],
                       layout=w.Layout(width="62%", border=f"1px solid {BORDER}", padding="4px"))
        self.desk = w.HBox([self.queue_box, right], layout=w.Layout(display="none", width="98%"))
        self.report_html = w.HTML()
        self.widget = w.VBox([header, w.HBox([self.start_button, self.finish_button, self.clock_html, self.ticker]),
                              self.desk, self.report_html, self.restart_button, self.status])
        self.widget.add_class("course-reception")
        last = self.store.get("reception", s.id)
        self.previous = ""
        if isinstance(last, dict) and isinstance(last.get("text"), str) and last.get("buyers") == len(s.buyers):
            self.previous = (f"<details><summary style='{MUTED}'>上次的接待报告</summary>"
                             f"<pre style='white-space:pre-wrap'>{html.escape(last['text'])}</pre></details>")
        self.report_html.value = self.previous

    # -- time ---------------------------------------------------------------------
    def elapsed(self) -> float:
        """Seconds since 开始接待, by the kernel's clock (to the millisecond)."""
        return round(max(0.0, self.clock() - self.t0), 3)

    @guarded
    def _on_tick(self, _change) -> None:
        self.tick()

    def tick(self) -> None:
        """Deliver what is due, redraw the queue, timers and chat; end the session when it is over."""
        if self.engine is None or self.report is not None:
            return
        self.engine.advance(self.elapsed())
        if self.engine.finished:
            self._end()
        else:
            self._render()

    # -- drawing ------------------------------------------------------------------
    def _render(self) -> None:
        e = self.engine
        limit = self.script.time_limit
        self.clock_html.value = (f"<b>已接待 {int(e.now) // 60:02d}:{int(e.now) % 60:02d}／{int(limit) // 60:02d}:"
                                 f"{int(limit) % 60:02d}</b>　正在接待 {e.active()} 位")
        self._render_queue()
        drawn = self._chat_signature()
        if self._drawn != drawn:        # redraw only what changed: a click on a redrawn button would be lost
            self._drawn = drawn
            self._render_chat()

    def _chat_signature(self):
        """What the chat pane shows: it changes only when the selected buyer's conversation changes."""
        key = self.selected
        if key is None:
            return None
        st = self.engine.state[key]
        notes = sum(1 for _when, who, _note in self.engine.notes if who == key)
        return (key, len(self.engine.chat(key)), st.status, st.turn, st.delivered, st.unread, notes,
                self.engine.finished, self.feedback.get(key))

    def _render_queue(self) -> None:
        s = standards()
        rows = self.engine.queue()
        children = []
        for row in rows:
            button = self.queue_buttons.get(row.key)
            if button is None:
                button = w.Button(description=row.nickname, layout=w.Layout(width="130px"))
                button.on_click(lambda _, key=row.key: self._select(key))
                self.queue_buttons[row.key] = button
                self._queue_notes[row.key] = w.HTML()
                self._queue_rows[row.key] = w.HBox([button, self._queue_notes[row.key]])
            button.button_style = ("info" if row.key == self.selected else "danger" if row.over_standard
                                   else "warning" if row.unread else "")
            badge = (f"<span class='course-unread' style='border:1px solid {colour('bad')};{BAD};font-weight:bold;"
                     f"border-radius:9px;padding:0 7px;margin-right:6px'>{row.unread}</span>" if row.unread else "")
            if row.waiting is not None:
                standard = s.average_response if self.engine.state[row.key].answered_once else s.first_response
                tone = BAD if row.over_standard else GOOD
                timer = (f"<span class='course-timer' style='{tone}'>已等{int(row.waiting)}秒"
                         f"（标准{standard:g}秒）</span>")
            elif self.engine.typing(row.key):
                timer = f"<span style='{MUTED}'>正在输入……</span>"
            else:
                timer = f"<span style='{MUTED}'>{html.escape(row.status)}</span>"
            outcome = self.engine.state[row.key].outcome
            done = f"<span style='{MUTED}'>：{html.escape(outcome)}</span>" if outcome else ""
            self._queue_notes[row.key].value = f"{badge}{timer}{done}"
            children.append(self._queue_rows[row.key])
        children = [self._queue_title] + (children or [self._queue_empty])
        if list(self.queue_box.children) != children:
            self.queue_box.children = children

    def _render_chat(self) -> None:
        e, key = self.engine, self.selected
        for row in self.options_box.children:          # the previous turn's option rows
            for child in row.children:
                child.close()
            row.close()
        self.option_buttons = []
        self.options_box.children = ()
        self.reply_box.layout.display = "none"
        if key is None:
            self.chat_html.value = f"<div style='{MUTED}'>点左边队列里的一位顾客，打开和他的对话。</div>"
            self.prompt_html.value = ""
            self.turn_feedback.value = ""
            return
        buyer = e.buyers[key]
        parts = []
        for entry in e.chat(key):
            if entry.sender == BUYER:
                parts.append(bubble(entry.text, buyer.nickname, "left", width=BUBBLE_WIDTH))
            elif entry.sender == BOT:
                parts.append(bubble(entry.text, "自动回复", "left", width=BUBBLE_WIDTH, note="（机器人，不算人工回复）"))
            else:
                parts.append(bubble(entry.text, self.script.agent, "right", width=BUBBLE_WIDTH))
        for _when, who, note in e.notes:
            if who == key:
                parts.append(f"<div style='text-align:center;{MUTED}'>{html.escape(note)}</div>")
        self.chat_html.value = (f"<div style='font-weight:bold'>和「{html.escape(buyer.nickname)}」的对话</div>"
                                + "".join(parts))
        turn = e.current(key)
        if turn is None:
            self.prompt_html.value = (f"<div style='{MUTED}'>顾客正在输入……</div>" if e.typing(key) else "")
        elif turn.options:
            self.prompt_html.value = "<b>请选择你的回复：</b>"
            rows = []
            for i, option in enumerate(turn.options):
                button = w.Button(description=f"发送 {chr(65 + i)}", layout=w.Layout(width="80px"))
                button.on_click(lambda _, i=i, key=key, turn=turn: self._choose(i, key, turn))   # this round only
                self.option_buttons.append(button)
                row = w.HBox([button, w.HTML(f"<div style='padding-top:4px'>{html.escape(option.text)}</div>")])
                row.add_class("course-option")
                rows.append(row)
            self.options_box.children = rows
        else:
            self.prompt_html.value = "<b>请输入你的回复：</b>（自由作答，按回复评分规则打分）"
            self.reply_box.layout.display = None
        self.quick_button.disabled = e.state[key].unread == 0
        self.turn_feedback.value = self.feedback.get(key, "")

    def _report_html(self) -> str:
        r = self.report
        rows = "".join(
            f"<tr><td>{html.escape(str(x.顾客))}</td>"
            f"<td style='{BAD if not x.首次响应秒数 <= standards().first_response else GOOD}'>{_seconds(x.首次响应秒数)}</td>"
            f"<td style='{BAD if not x.平均响应秒数 <= standards().average_response else GOOD}'>{_seconds(x.平均响应秒数)}</td>"
            f"<td>{x.回复条数}</td><td>{'—' if math.isnan(x.平均得分) else f'{x.平均得分:.1f}/10'}</td>"
            f"<td>{html.escape(str(x.结果))}</td></tr>" for x in r.per_buyer.itertuples(index=False))
        compare = self.comparison()
        head = "".join(f"<th>{html.escape(c)}</th>" for c in compare.columns)
        body = "".join(
            f"<tr><td><b>{html.escape(str(name))}</b></td><td>{int(v['会话数'])}</td>"
            f"<td>{_seconds(v['平均首次响应秒数'])}</td><td>{fmt_rate(v['10秒内首次响应占比'])}</td>"
            f"<td>{_seconds(v['平均响应秒数'])}</td><td>{fmt_rate(v['3分钟人工响应率'])}</td>"
            f"<td>{fmt_rate(v['回复率'])}</td></tr>" for name, v in compare.iterrows())
        text = "".join(f"<div>{html.escape(line)}</div>" for line in r.to_text().splitlines()[:2])   # the summary
        return (f"<div class='course-reception-report' style='border:2px solid {colour('info')};"
                f"padding:8px;margin-top:6px'><h4 style='margin:2px 0'>接待报告</h4>{text}"
                f"<table><thead><tr><th>顾客</th><th>首次响应</th><th>平均响应</th><th>回复条数</th><th>平均得分</th>"
                f"<th>结果</th></tr></thead><tbody>{rows}</tbody></table>"
                f"<div style='margin-top:6px'><b>和店铺的售前客服比一比</b>（同一套函数算出；店铺是半年的数据）</div>"
                f"<table><thead><tr><th></th>{head}</tr></thead><tbody>{body}</tbody></table></div>")

    def _forget_queue(self) -> None:
        for row in self._queue_rows.values():
            for child in row.children:
                child.close()
            row.close()
        self.queue_buttons, self._queue_notes, self._queue_rows = {}, {}, {}
        self.queue_box.children = ()

    # -- callbacks ----------------------------------------------------------------
    @guarded
    def _start(self) -> None:
        self.engine = Reception(self.script)
        self.report, self.selected, self.feedback, self._drawn = None, None, {}, None
        self._forget_queue()
        self.t0 = self.clock()
        self.start_button.layout.display = "none"
        self.finish_button.layout.display = None
        self.restart_button.layout.display = "none"
        self.desk.layout.display = None
        self.report_html.value = ""
        self.engine.advance(0)
        self._render()
        self.ticker.playing = False          # the browser's Play starts only on a change to True
        self.ticker.value = 0
        self.ticker.playing = True

    @guarded
    def _select(self, key: str) -> None:
        self.engine.advance(self.elapsed())
        self.selected = key
        self._render()

    def _after(self, step) -> None:
        if step.score is None:
            tone, score = WARN, "快捷短语"
        else:
            tone, score = (GOOD if step.score >= 7 else WARN), f"本轮得分{step.score:g}/10"
        rubric = step.rubric.to_html() if step.rubric is not None else ""
        outcome = f"<div><b>结果：{html.escape(step.outcome)}</b></div>" if step.outcome else ""
        self.feedback[step.buyer] = (f"<div style='{tone}'><b>{score}</b></div>"
                                     f"<div>{html.escape(step.feedback)}</div>{rubric}{outcome}")
        self._drawn = None
        if self.engine.finished:
            self._end()
        else:
            self._render()

    @guarded
    def _choose(self, index: int, key: str | None = None, turn=None) -> None:
        if key is not None and (self.engine is None or key != self.selected or self.engine.current(key) is not turn):
            return       # the second click of a double click, on the last round's button: not an answer to this one
        self._after(self.engine.choose(self.selected, index, at=self.elapsed()))

    @guarded
    def _send_text(self) -> None:
        if self.engine is None or self.selected is None or self.reply_box.layout.display == "none":
            return       # a second click after the reply was sent (the box is hidden until the next free round)
        if not self.text.value.strip():
            self.status.value = f"<div style='{WARN}'>请先输入回复内容，再点“发送”。</div>"
            return
        step = self.engine.reply(self.selected, self.text.value, at=self.elapsed())
        self.text.value = ""
        self._after(step)

    @guarded
    def _quick(self) -> None:
        if self.selected is None:
            self.status.value = f"<div style='{WARN}'>请先在左边的队列里点一位顾客。</div>"
            return
        self._after(self.engine.quick_reply(self.selected, at=self.elapsed()))

    @guarded
    def _finish(self) -> None:
        if self.engine is not None and self.report is None:
            self.engine.finish(self.elapsed())
            self._end()

    def _end(self) -> None:
        self.ticker.playing = False
        self._render()
        self.report = reception_report(self.engine.message_rows(), self.engine.buyer_rows())
        self.report_html.value = self._report_html()
        self.finish_button.layout.display = "none"
        self.restart_button.layout.display = None
        self.store.put("reception", self.script.id, {"buyers": len(self.script.buyers), "text": self.report.to_text()})

    @guarded
    def _restart(self) -> None:
        self.engine, self.report, self.selected, self.feedback = None, None, None, {}
        self._forget_queue()
        self.clock_html.value = ""
        self.desk.layout.display = "none"
        self.start_button.layout.display = None
        self.restart_button.layout.display = "none"
        self.report_html.value = ""
        self.ticker.playing = False
        self.ticker.value = 0

    # -- for the notebook ---------------------------------------------------------
    def messages(self):
        """This session's chat log as a table with the columns of ``chat_messages``."""
        import pandas as pd

        rows = self.engine.message_rows() if self.engine is not None else []
        return pd.DataFrame(rows, columns=["会话编号", "顾客编号", "客服编号", "序号", "发送方", "发送时间"])

    def comparison(self):
        """The report's numbers above the shop's three pre-sale agents' (the same functions)."""
        if self.report is None:
            raise ValueError("接待还没有结束：先完成一次模拟接待（或点「结束接待」）。")
        return self.report.compare(shop_kpis())
