"""Unit 11's views: ``ReviewPlanner()`` (the 中差评 handling planner) and ``FaultJudge(id)``
(the 过错方 judgement practice).  Logic lives in :mod:`course_lib.content.review_plans` and
:mod:`course_lib.content.disputes`; these classes only draw and call it.

Drive them from tests: ``p.review.value = 3; p.contact.value = "…"; p.check_button.click()``;
``j.party.value = "店铺"; j.fault_button.click(); j.action.value = "A"; j.action_button.click();
j.next_button.click()``.
"""
from __future__ import annotations

import html

import ipywidgets as w

from ..content.disputes import Practice, load_cases
from ..content.review_plans import load_review_plans, review_choices
from ..progress import ProgressStore
from .base import View, guarded, heading, typed
from .tones import ACCENT, BAD, BORDER, GOOD, MUTED, WARN

_NONE = "（不选评价，直接选原因）"


def _items(lines) -> str:
    return "<ul style='margin:2px 0'>" + "".join(f"<li>{html.escape(x)}</li>" for x in lines) + "</ul>"


class ReviewPlanner(View):
    fallback = "【中差评处理规划工具】运行本单元格后，选一条中差评或一种原因，写下联系话术和公开解释，点「检查」。"

    def __init__(self, plans: str = "u11_review_plans", reviews=None) -> None:
        super().__init__()
        self.plans = load_review_plans(plans)
        if reviews is None:
            from ..shop.datasets import load_dataset

            reviews = load_dataset("reviews")
        self.choices = review_choices(reviews)
        self.review = w.Dropdown(options=[(_NONE, -1)] + [(label, i) for i, (label, _) in enumerate(self.choices)],
                                 value=-1, description="选择评价", layout=w.Layout(width="95%"))
        self.cause = w.ToggleButtons(options=list(self.plans.causes), value=next(iter(self.plans.causes)),
                                     description="原因")
        self.plan_html = w.HTML()
        self.references = w.HTML()
        self.reference_box = w.Accordion(children=[self.references], selected_index=None)
        self.reference_box.set_title(0, "参考写法（先自己写，再打开对照）")
        self.contact = typed(w.Textarea, placeholder="联系话术：用千牛发给这位顾客的消息——先致歉，了解情况，说出店铺规则里的办法",
                             layout=w.Layout(width="95%", height="80px"))
        self.reply = typed(w.Textarea, placeholder="公开解释：写在评价下面，给以后的顾客看——致歉或感谢、原因、处理和改进",
                           layout=w.Layout(width="95%", height="80px"))
        self.check_button = w.Button(description="检查", button_style="primary", icon="check")
        self.clear_button = w.Button(description="清空", icon="eraser")
        self.result = w.HTML()
        self.review.observe(lambda _: self._pick_review(), names="value")
        self.cause.observe(lambda _: self._show_plan(), names="value")
        self.check_button.on_click(lambda _: self._check())
        self.clear_button.on_click(lambda _: self._clear())
        header = w.HTML(heading("中差评处理规划工具",
                                "五步：找原因 → 联系顾客 → 解决问题 → 公开解释 → 记录与改进。两段话都按回复评分规则打分。"))
        self.widget = w.VBox([header, self.review, self.cause, self.plan_html, self.reference_box,
                              w.HTML("<b>联系话术</b>（千牛消息）"), self.contact, w.HTML("<b>公开解释</b>（评价下面的回复）"),
                              self.reply, w.HBox([self.check_button, self.clear_button]), self.result, self.status])
        self.widget.add_class("course-review-planner")
        self._show_plan()

    @property
    def row(self) -> dict | None:
        return None if self.review.value is None or self.review.value < 0 else self.choices[self.review.value][1]

    @guarded
    def _pick_review(self) -> None:
        row = self.row
        if row is not None and self.cause.value != row["原因分类"]:
            self.cause.value = str(row["原因分类"])          # redraws through the observer
        else:
            self._show_plan()

    @guarded
    def _show_plan(self) -> None:
        plan = self.plans.plan(self.cause.value)
        head = ""
        row = self.row
        if row is not None:
            view = self.plans.for_review(row)
            stars = "　".join(f"<b style='color:{BAD}'>{k}{v}星</b>" if k in view.lowest else f"{k}{v}星"
                             for k, v in view.scores.items())
            head = (f"<div style='border-left:4px solid {ACCENT};padding:2px 8px'>{html.escape(view.order_id)}｜"
                    f"{html.escape(view.level)}：「{html.escape(view.text)}」<br>DSR：{stars}</div>")
            if plan.cause != str(row["原因分类"]):
                head += (f"<div style='color:{WARN}'>评价表里登记的原因是「{html.escape(str(row['原因分类']))}」，"
                         f"你按「{html.escape(plan.cause)}」来规划。</div>")
        item = f"（这类问题主要拉低DSR的「{plan.dsr_item}」）" if plan.dsr_item else ""
        self.plan_html.value = f"{head}<div><b>处理规划：{html.escape(plan.cause)}</b>{item}{_items(plan.steps())}</div>"
        self.references.value = (f"<div><b>联系话术：</b>{html.escape(plan.contact_reference)}</div>"
                                 f"<div><b>公开解释：</b>{html.escape(plan.reply_reference)}</div>")
        self.result.value = ""

    @guarded
    def _check(self) -> None:
        review = str(self.row["评价内容"]) if self.row is not None else ""
        parts = []
        for title, box, judge in (("联系话术", self.contact, self.plans.check_contact),
                                  ("公开解释", self.reply, self.plans.check_reply)):
            if not box.value.strip():
                parts.append(f"<div style='color:{WARN}'>请先写下{title}。</div>")
                continue
            result = judge(box.value, self.cause.value, review)
            parts.append(f"<div style='margin-top:6px'><b>{title}</b>{result.to_html()}</div>")
        self.result.value = "".join(parts)

    def result_text(self) -> str:
        """The shown results as plain text (for tests)."""
        import re

        return re.sub(r"<[^>]+>", " ", self.result.value)

    @guarded
    def _clear(self) -> None:
        self.contact.value = self.reply.value = self.result.value = ""


class FaultJudge(View):
    fallback = "【过错方判断练习】运行本单元格后，按案例的事实和证据判断主要过错方，再选出最合适的处理办法。"

    def __init__(self, cases: str = "u11_disputes", store: ProgressStore | None = None) -> None:
        super().__init__()
        self.cases = load_cases(cases)
        self.practice = Practice(self.cases)
        self.store = store or ProgressStore()
        self.progress = w.HTML()
        self.case_html = w.HTML()
        rules = w.HTML(_items(f"{p.name}：{p.rule}" for p in self.cases.parties))
        self.rules = w.Accordion(children=[rules], selected_index=None)
        self.rules.set_title(0, "判断规则")
        self.party = w.ToggleButtons(options=list(self.cases.party_names), value=None, description="主要过错方")
        self.fault_button = w.Button(description="确定", button_style="primary", icon="check")
        self.action = w.RadioButtons(options=[], value=None, layout=w.Layout(width="95%"))
        self.action_button = w.Button(description="确定", button_style="primary", icon="check")
        self.action_box = w.VBox([w.HTML("<b>最合适的处理办法：</b>"), self.action, self.action_button])
        self.feedback = w.HTML()
        self.next_button = w.Button(description="下一个案例", icon="arrow-right")
        self.report_html = w.HTML()
        self.restart_button = w.Button(description="重新开始", icon="refresh")
        self.fault_button.on_click(lambda _: self._fault())
        self.action_button.on_click(lambda _: self._action())
        self.next_button.on_click(lambda _: self._next())
        self.restart_button.on_click(lambda _: self._restart())
        header = w.HTML(heading(self.cases.title, "先按事实和证据判断主要过错方，再选处理办法。每一步只有第一次作答计分。"))
        self.widget = w.VBox([header, self.progress, self.case_html, self.rules, w.HBox([self.party, self.fault_button]),
                              self.action_box, self.feedback, self.next_button, self.report_html,
                              self.restart_button, self.status],
                             layout=w.Layout(border=f"1px solid {BORDER}", padding="6px"))
        self.widget.add_class("course-fault-judge")
        saved = self.store.get("disputes", self.cases.id)
        self.practice.replay(saved.get("moves") if isinstance(saved, dict) else None)
        self.showing = self.practice.index          # the case on screen; it lags behind until 下一个案例
        self._render()

    # -- rendering --------------------------------------------------------------------
    def _render(self) -> None:
        n = len(self.cases.cases)
        done = self.showing >= n
        self.report_html.value = self._report() if done else ""
        for box in (self.case_html, self.rules, self.party, self.fault_button, self.action_box, self.next_button):
            box.layout.display = "none" if done else None
        if done:
            self.progress.value = f"<b>全部{n}个案例已完成。</b>"
            self.feedback.value = ""
            return
        case = self.cases.cases[self.showing]
        self.progress.value = f"<b>案例 {self.showing + 1}/{n}：{html.escape(case.title)}</b>"
        self.case_html.value = (f"<div style='margin:4px 0'>{html.escape(case.facts)}</div>"
                                f"<div><b>证据：</b>{_items(case.evidence)}</div>")
        current = self.showing == self.practice.index
        step = self.practice.step if current else "done"
        self.action.options = [(f"{a.key}．{a.text}", a.key) for a in case.actions]
        self.action.value = None
        self.party.disabled = self.fault_button.disabled = step != "fault"
        self.action_box.layout.display = None if step != "fault" else "none"
        self.action.disabled = self.action_button.disabled = step != "action"
        self.next_button.disabled = step != "done"

    def _report(self) -> str:
        r = self.practice.report()
        lines = "".join(f"<li>{html.escape(line)}</li>" for line in r.lines)
        return (f"<div style='border:2px solid {ACCENT};padding:8px'><b>练习报告：得分：{r.score}/{r.max_score}</b>"
                f"<ul>{lines}</ul></div>")

    def _save(self) -> None:
        self.store.put("disputes", self.cases.id, {"moves": list(self.practice.moves)})

    def _answer(self, verdict, note: str = "") -> None:
        """Show a verdict; a valid one is saved and moves the practice on."""
        if not verdict.valid:
            self.feedback.value = f"<div style='color:{WARN}'>{html.escape(verdict.message)}</div>"
            return
        self._save()
        colour = GOOD if verdict.correct else BAD
        self.feedback.value = (f"<div style='color:{colour}'><b>{html.escape(verdict.message)}</b></div>"
                               f"<div>{html.escape(verdict.feedback)}</div>{note}")
        self._render()

    # -- callbacks --------------------------------------------------------------------
    @guarded
    def _fault(self) -> None:
        if self.fault_button.disabled:      # the second click of a double click: the first already answered
            return
        self._answer(self.practice.answer_fault(self.party.value))

    @guarded
    def _action(self) -> None:
        if self.action_button.disabled:
            return
        case = self.cases.cases[self.showing]
        note = (f"<div style='color:{MUTED}'>要点：主要过错方是{html.escape(case.fault)}，"
                f"最合适的办法是{case.best_action.key}。{html.escape(case.explanation)}</div>")
        self._answer(self.practice.answer_action(self.action.value), note)

    @guarded
    def _next(self) -> None:
        self.showing = self.practice.index
        self.party.value = None
        self.feedback.value = ""
        self._render()

    @guarded
    def _restart(self) -> None:
        self.practice.restart()
        self._save()
        self.showing, self.party.value, self.feedback.value = 0, None, ""
        self._render()
