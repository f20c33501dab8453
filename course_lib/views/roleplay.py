"""``RolePlay(scenario_id)``: a chat-style role-play over :class:`~course_lib.content.dialogue.Dialogue`.

Customer bubbles on the left, the student's replies on the right; option turns
show lettered replies and 发送 buttons, reply turns a text box.  A timer runs in
the browser (a hidden ``Play`` widget) and the kernel measures the real elapsed
time against the 10-second first-response standard.  Tests drive it with
``rp.start_button.click()``, ``rp.option_buttons[1].click()``, ``rp.text.value = "…"; rp.send.click()`` and
an injected ``clock``.
"""
from __future__ import annotations

import html
import time

import ipywidgets as w

from ..content.dialogue import Dialogue, Report
from ..content.scenarios import MAX_TURN_SCORE, load_scenario
from ..progress import ProgressStore
from ..settings import standards
from ..theme import colour, text_colour
from .bargain import BargainPanel
from .base import View, bubble, guarded, heading, typed


class RolePlay(View):
    def __init__(self, scenario_id: str, store: ProgressStore | None = None, clock=time.monotonic) -> None:
        super().__init__()
        self.scenario = load_scenario(scenario_id)
        self.dialogue = Dialogue(self.scenario)
        self.bargain = BargainPanel(self.scenario) if self.scenario.bargain is not None else None
        self.store = store or ProgressStore()
        self.clock = clock
        self.turn_started = clock()
        s = self.scenario
        self.fallback = f"【角色扮演】{s.title}：运行本单元格开始角色扮演。"
        header = w.HTML(heading(f"角色扮演：{s.title}", html.escape(s.role)))
        self.card = w.HTML(("<div class='course-card'><b>任务卡：店铺的真实情况（只能说这些）</b><ul>"
                            + "".join(f"<li>{html.escape(c)}</li>" for c in s.card) + "</ul></div>") if s.card else "")
        self.chat = w.HTML(layout=w.Layout(border=f"1px solid {colour('border')}", padding="6px", width="95%"))
        self.ticker = w.Play(value=0, min=0, max=600, interval=1000, show_repeat=False,
                             layout=w.Layout(display="none"))
        self.bar = w.IntProgress(value=0, min=0, max=int(standards().first_response), description="计时",
                                 bar_style="success")
        self.seconds = w.IntText(value=0, description="已用秒数", disabled=True, layout=w.Layout(width="160px"))
        w.jslink((self.ticker, "value"), (self.bar, "value"))
        w.jslink((self.ticker, "value"), (self.seconds, "value"))
        self.timer_note = w.HTML()
        timer = w.HBox([self.bar, self.seconds, self.timer_note, self.ticker])
        self.options_html = w.HTML()
        self.option_buttons: list[w.Button] = []
        self.buttons_box = w.HBox()
        self.text = typed(w.Textarea, placeholder="在这里输入你的回复，然后点“发送”", layout=w.Layout(width="95%", height="70px"))
        self.send = w.Button(description="发送", button_style="primary", icon="paper-plane")
        self.send.on_click(lambda _: self._send_text())
        self.reply_box = w.VBox([self.text, self.send])
        self.turn_feedback = w.HTML()
        self.report_html = w.HTML()
        self.started = False
        self.start_button = w.Button(description="开始接待", button_style="success", icon="play")
        self.start_button.on_click(lambda _: self._start())
        self.restart_button = w.Button(description="重新开始", icon="refresh")
        self.restart_button.on_click(lambda _: self._restart())
        self.widget = w.VBox([header, self.card, self.start_button, self.chat, timer, self.options_html, self.buttons_box, self.reply_box,
                              self.turn_feedback, self.report_html, self.restart_button, self.status])
        self.widget.add_class("course-roleplay")
        last = self.store.get("roleplay", s.id)
        done = isinstance(last, dict) and {"score", "max_score", "outcome"} <= set(last)
        self.previous = (f"<div style='{text_colour('muted')}'>上次完成：{last['score']}/{last['max_score']}分，"
                         f"结局：{html.escape(last['outcome'])}</div>" if done else "")
        self._render()

    # -- rendering ---------------------------------------------------------------
    def _render(self) -> None:
        s, d = self.scenario, self.dialogue
        self.start_button.layout.display = "none" if self.started else None
        if not self.started:
            self.chat.value = (f"<div style='{text_colour('muted')}'>准备好了就点“开始接待”：顾客的第一条消息会马上出现，"
                               "计时同时开始。</div>")
            self.options_html.value = ""
            self.buttons_box.children = ()
            self.reply_box.layout.display = "none"
            self.report_html.value = self.previous
            return
        bubbles = []
        for step in d.steps:
            bubbles.append(bubble(step.customer, s.customer_name, "left"))
            bubbles.append(bubble(step.reply, s.agent_name, "right"))
        turn = d.current
        if turn is not None:
            bubbles.append(bubble(turn.customer, s.customer_name, "left"))
        elif d.ending:
            bubbles.append(bubble(d.ending.customer, s.customer_name, "left"))
        self.chat.value = "".join(bubbles)
        self.option_buttons = []
        if turn is not None and not turn.is_reply:
            letters = [chr(ord("A") + i) for i in range(len(turn.options))]
            self.options_html.value = "<div><b>请选择你的回复：</b></div>" + "".join(
                f"<div style='margin:3px 0'><b>{letter}.</b> {html.escape(o.text)}</div>"
                for letter, o in zip(letters, turn.options))
            for i, letter in enumerate(letters):
                button = w.Button(description=f"发送 {letter}", layout=w.Layout(width="90px"))
                button.on_click(lambda _, i=i, tid=turn.id: self._choose(i, tid))     # for this round only
                self.option_buttons.append(button)
            self.reply_box.layout.display = "none"
        else:
            self.options_html.value = ("<div><b>请输入你的回复：</b>（自由作答，按回复评分规则打分）</div>"
                                       if turn is not None else "")
            self.reply_box.layout.display = None if turn is not None else "none"
        self.buttons_box.children = self.option_buttons
        self.report_html.value = self.previous if not d.steps else ""
        if d.finished:
            self.report_html.value = self._report_html(d.report())
            self.ticker.playing = False
        else:
            self.turn_started = self.clock()
            first = not d.steps
            limit = standards().first_response if first else standards().average_response
            self.bar.max = int(limit)
            self.timer_note.value = (f"<span style='{text_colour('muted')}'>　首次响应标准：{limit:g}秒内</span>" if first else
                                     f"<span style='{text_colour('muted')}'>　参考：平均响应{limit:g}秒内</span>")
            # the browser's Play view starts ticking only on a change from False to True
            self.ticker.playing = False
            self.ticker.value = 0
            self.ticker.playing = True

    def _report_html(self, r: Report) -> str:
        def items(lines, mark, tone):
            return "".join(f"<li style='{text_colour(tone)}'>{mark} {html.escape(t)}</li>" for t in lines) or "<li>（暂无）</li>"
        timing = f"<div>{html.escape(r.timing_text())}</div>" if r.first_time is not None else ""
        transcript = "".join(f"<div>{html.escape(who)}：{html.escape(text)}</div>" for who, text in r.transcript)
        return (f"<div style='border:2px solid {colour('info')};padding:8px;margin-top:6px'>"
                f"<h4 style='margin:2px 0'>实训报告：{html.escape(r.outcome)}</h4>"
                f"<div><b>得分：{r.score}/{r.max_score}（折合百分制{r.percent}分）</b></div>{timing}"
                f"<div><b>做得好的：</b><ul>{items(r.went_well, '✔', 'ok')}</ul></div>"
                f"<div><b>需要改进的：</b><ul>{items(r.to_improve, '✘', 'bad')}</ul></div>"
                f"<details><summary>完整对话记录</summary>{transcript}</details></div>"
                + (self.bargain.report_html(self.dialogue) if self.bargain else ""))

    def _after(self, step) -> None:
        if step.elapsed is None:
            took = ""
        elif len(self.dialogue.steps) == 1:
            first = standards().first_response
            took = f"首次响应用时{step.elapsed:.1f}秒" + (
                "（达标）" if step.elapsed <= first else f"（超过{first:g}秒标准）")
        else:
            took = f"用时{step.elapsed:.1f}秒"
        tone = "ok" if step.was_best else "warn"
        better = "" if step.was_best or not step.best_reply else f"<div><b>参考回复：</b>{html.escape(step.best_reply)}</div>"
        rubric = step.rubric.to_html() if step.rubric is not None else ""
        self.turn_feedback.value = (f"<div style='{text_colour(tone)}'><b>本轮得分{step.score}/{MAX_TURN_SCORE}</b>　{took}</div>"
                                    f"<div>{html.escape(step.feedback)}</div>{better}{rubric}"
                                    + (self.bargain.step_line(step) if self.bargain else ""))
        if self.dialogue.finished:
            r = self.dialogue.report()
            self.store.put("roleplay", self.scenario.id, {"score": r.score, "max_score": r.max_score, "outcome": r.outcome})
        self._render()

    # -- callbacks ---------------------------------------------------------------
    @guarded
    def _choose(self, index: int, turn_id: str | None = None) -> None:
        current = self.dialogue.current
        if turn_id is not None and (current is None or current.id != turn_id):
            return       # the second click of a double click, on the last round's button: not an answer to this one
        self._after(self.dialogue.choose(index, elapsed=self.clock() - self.turn_started))

    @guarded
    def _send_text(self) -> None:
        current = self.dialogue.current
        if current is None or not current.is_reply:     # a second click after the last round was sent
            return
        text = self.text.value
        if not text.strip():
            self.status.value = f"<div style='{text_colour('warn')}'>请先输入回复内容，再点“发送”。</div>"
            return
        if len(text) > standards().reply_limit:
            self.status.value = (f"<div style='{text_colour('warn')}'>回复太长了，请控制在{standards().reply_limit}字以内。"
                                 "</div>")
            return
        step = self.dialogue.reply(text, elapsed=self.clock() - self.turn_started)
        self.text.value = ""
        self._after(step)

    @guarded
    def _start(self) -> None:
        self.started = True
        self._render()

    @guarded
    def _restart(self) -> None:
        self.dialogue.restart()
        self.turn_feedback.value = ""
        self.previous = ""
        self._render()

    @property
    def report(self) -> Report:
        return self.dialogue.report()
