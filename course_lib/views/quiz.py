"""``Quiz(unit, group=None)``: practice questions with immediate feedback.

Answers are saved to the progress file and restored when the cell runs again.
Drive it from code: ``quiz.cards[0].set_answer("B"); quiz.cards[0].submit.click()``.
"""
from __future__ import annotations

import html

import ipywidgets as w

from ..content import Question, load_bank
from ..progress import ProgressStore
from ..rubric import RubricResult
from .base import View, guarded

_WIDE = w.Layout(width="95%")
_ICONS = {"correct": "✔", "partial": "◐", "wrong": "✘", "invalid": "！", "unanswered": "…"}
_COLOURS = {"correct": "#1a7f37", "partial": "#9a6700", "wrong": "#cf222e", "invalid": "#cf222e",
            "unanswered": "#9a6700"}


def _md(text: str) -> str:
    """Minimal, safe rendering of a stem: escaped text, line breaks kept, **bold** supported."""
    escaped = html.escape(text.strip())
    parts = escaped.split("**")
    escaped = "".join(f"<b>{p}</b>" if i % 2 else p for i, p in enumerate(parts))
    return escaped.replace("\n", "<br>")


class QuestionCard(View):
    """One question: stem, input widget, 提交 button, feedback."""

    def __init__(self, question: Question, number: int, store: ProgressStore, on_change=None) -> None:
        super().__init__()
        self.question, self.store, self.on_change = question, store, on_change
        self.result_status: str | None = None
        q = question
        self.stem = w.HTML(f"<b>{number}.（{q.type_name}）</b>{_md(q.stem)}")
        self.input = self._make_input()
        self.submit = w.Button(description="提交", button_style="primary", icon="check")
        self.submit.on_click(lambda _: self._submit())
        self.feedback = w.HTML()
        self.widget = w.VBox([self.stem, self.input, self.submit, self.feedback, self.status],
                             layout=w.Layout(border="1px solid #d0d7de", padding="6px", margin="6px 0"))
        self.widget.add_class("course-quiz-card")
        saved = store.get("quiz", q.id)
        if isinstance(saved, dict) and "answer" in saved:
            try:
                self.set_answer(saved["answer"])
                self._submit(save=False)
            except Exception:  # noqa: BLE001 - a stale or edited progress entry is ignored
                self.feedback.value = ""

    # -- inputs ----------------------------------------------------------------
    def _make_input(self) -> w.Widget:
        q = self.question
        if q.type == "single":
            return w.RadioButtons(options=[(f"{o.key}. {o.text}", o.key) for o in q.options], value=None,
                                  layout=_WIDE)
        if q.type == "truefalse":
            return w.RadioButtons(options=[("正确", True), ("错误", False)], value=None)
        if q.type == "multiple":
            self.boxes = [w.Checkbox(description=f"{o.key}. {o.text}", value=False, indent=False, layout=_WIDE)
                          for o in q.options]
            return w.VBox(self.boxes)
        if q.type == "ordering":
            listing = w.HTML("<br>".join(f"{o.key}. {html.escape(o.text)}" for o in q.items))
            choices = [("（请选择）", "")] + [(f"{o.key}. {o.text}", o.key) for o in q.items]
            self.selects = [w.Dropdown(options=choices, value="", description=f"第{i + 1}步")
                            for i in range(len(q.items))]
            return w.VBox([listing, *self.selects])
        if q.type == "matching":
            listing = w.HTML("<br>".join(f"{o.key}. {html.escape(o.text)}" for o in q.right))
            choices = [("（请选择）", "")] + [(o.key, o.key) for o in q.right]
            self.selects = [w.Dropdown(options=choices, value="", description="",
                                       layout=w.Layout(width="120px")) for _ in q.left]
            rows = [w.HBox([w.HTML(f"{o.key}. {html.escape(o.text)} →", layout=w.Layout(width="60%")), s])
                    for o, s in zip(q.left, self.selects)]
            return w.VBox([w.HTML("<i>右边的选项：</i><br>" + listing.value), *rows])
        if q.type == "numeric":
            return w.Text(placeholder=f"输入一个数字{('（单位：' + q.unit + '）') if q.unit else ''}")
        return w.Textarea(placeholder="在这里输入你的回复……", layout=w.Layout(width="95%", height="80px"))

    def answer(self):
        """The raw answer currently entered (what gets graded and saved)."""
        q = self.question
        if q.type == "multiple":
            return [o.key for o, b in zip(q.options, self.boxes) if b.value]
        if q.type == "ordering":
            return [s.value for s in self.selects]
        if q.type == "matching":
            return {o.key: s.value for o, s in zip(q.left, self.selects)}
        value = self.input.value
        return ... if value is None else value

    def set_answer(self, value) -> None:
        """Put an answer into the inputs (used to restore saved answers, and by tests)."""
        q = self.question
        if q.type == "multiple":
            chosen = set(value)
            for o, b in zip(q.options, self.boxes):
                b.value = o.key in chosen
        elif q.type in ("ordering",):
            for s, v in zip(self.selects, value):
                s.value = v
        elif q.type == "matching":
            for o, s in zip(q.left, self.selects):
                s.value = value.get(o.key, "")
        else:
            self.input.value = value

    # -- grading ---------------------------------------------------------------
    @guarded
    def _submit(self, save: bool = True) -> None:
        q = self.question
        raw = self.answer()
        grade = q.grade(raw)
        self.result_status = grade.status if grade.answered else None
        colour = _COLOURS.get(grade.status, "#57606a")
        parts = [f"<div style='color:{colour}'><b>{_ICONS.get(grade.status, '')} {html.escape(grade.message)}</b></div>"]
        if grade.answered:
            parts += [f"<div>· {html.escape(f)}</div>" for f in grade.feedback if f]
            if isinstance(grade.rubric, RubricResult):
                parts.append(grade.rubric.to_html())
            if grade.status != "correct" and q.type != "text":
                parts.append(f"<div><b>正确答案：</b>{html.escape(q.key_text())}</div>")
            if q.type == "text" and q.reference:
                parts.append(f"<div><b>参考回复：</b>{html.escape(q.reference)}</div>")
            parts.append(f"<div style='color:#57606a'><b>解析：</b>{_md(q.explanation)}</div>")
            if save:
                self.store.put("quiz", q.id, {"answer": raw, "status": grade.status})
        self.feedback.value = "".join(parts)
        if self.store.notice:
            self.status.value = f"<div style='color:#9a6700'>{html.escape(self.store.notice)}</div>"
        if self.on_change:
            self.on_change()


class Quiz(View):
    """The practice quiz of a unit (optionally one group)."""

    def __init__(self, unit: str, group: str | None = None, store: ProgressStore | None = None) -> None:
        super().__init__()
        bank = load_bank(unit)
        questions = bank.group(group)
        if not questions:
            raise ValueError(f"题库 {unit} 中没有分组「{group}」。")
        self.store = store or ProgressStore()
        self.summary = w.HTML()
        self.cards = [QuestionCard(q, i + 1, self.store) for i, q in enumerate(questions)]
        for card in self.cards:               # only now: restoring a card must not update a half-built quiz
            card.on_change = self._update
        title = f"随堂测验：{bank.title}" + (f"·{bank.groups.get(group, group)}" if group else "")
        self.fallback = f"【{title}】共{len(questions)}题。运行本单元格后即可作答。"
        header = w.HTML(f"<h4 style='margin:4px 0'>{html.escape(title)}</h4>"
                        "<div style='color:#57606a'>选好答案后点“提交”，马上看到对错和解析。作答会自动保存。</div>")
        self.widget = w.VBox([header, *[c.widget for c in self.cards], self.summary, self.status])
        self.widget.add_class("course-quiz")
        self._update()

    def _update(self) -> None:
        done = [c for c in self.cards if c.result_status]
        right = sum(c.result_status == "correct" for c in done)
        n = len(self.cards)
        note = "全部答对，太棒了！" if right == n else ("还有题目没有作答。" if len(done) < n else "看看解析，把错题再想一想。")
        self.summary.value = (f"<div style='margin-top:6px'><b>小结：</b>已作答{len(done)}/{n}题，"
                              f"答对{right}题。{note}</div>")

    @property
    def score(self) -> tuple[int, int]:
        """(answered correctly, number of questions)."""
        return sum(c.result_status == "correct" for c in self.cards), len(self.cards)
