"""``Quiz(unit, group=None)``: practice questions with immediate feedback.

Answers are saved to the progress file and restored when the cell runs again.
Drive it from code: ``quiz.cards[0].set_answer("B"); quiz.cards[0].submit.click()``.
"""
from __future__ import annotations

import html

import ipywidgets as w

from ..content.banks import load_bank
from ..content.questions import Question
from ..content.rubric import RubricResult
from ..progress import ProgressStore
from ..theme import colour, status_text, text_colour
from .base import View, guarded
from .inputs import make_input

_ICONS = {"correct": "✔", "partial": "◐", "wrong": "✘", "invalid": "！", "unanswered": "…"}


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
        self.entry = make_input(q)
        self.input = self.entry.widget
        self.submit = w.Button(description="提交", button_style="primary", icon="check")
        self.submit.on_click(lambda _: self._submit())
        self.feedback = w.HTML()
        self.widget = w.VBox([self.stem, self.input, self.submit, self.feedback, self.status],
                             layout=w.Layout(border=f"1px solid {colour('border')}", padding="6px", margin="6px 0"))
        self.widget.add_class("course-quiz-card")
        saved = store.get("quiz", q.id)
        if isinstance(saved, dict) and "answer" in saved:
            try:
                self.set_answer(saved["answer"])
                self._submit(save=False)
            except Exception:  # a stale or edited progress entry is ignored
                self.feedback.value = ""

    # -- inputs ----------------------------------------------------------------
    @property
    def boxes(self):
        """The option checkboxes of a multiple-choice card (tests tick them)."""
        return self.entry.boxes

    @property
    def selects(self):
        """The dropdowns of an ordering or matching card."""
        return self.entry.selects

    def answer(self):
        """The raw answer currently entered (what gets graded and saved)."""
        return self.entry.read()

    def set_answer(self, value) -> None:
        """Put an answer into the inputs (used to restore saved answers, and by tests)."""
        self.entry.write(value)

    # -- grading ---------------------------------------------------------------
    @guarded
    def _submit(self, save: bool = True) -> None:
        q = self.question
        raw = self.answer()
        grade = q.grade(raw)
        self.result_status = grade.status if grade.answered else None
        parts = [f"<div style='{status_text(grade.status)}'><b>{_ICONS.get(grade.status, '')} {html.escape(grade.message)}</b></div>"]
        if grade.answered:
            parts += [f"<div>· {html.escape(f)}</div>" for f in grade.feedback if f]
            if isinstance(grade.rubric, RubricResult):
                parts.append(grade.rubric.to_html())
            if grade.status != "correct" and not q.free_text:
                parts.append(f"<div><b>正确答案：</b>{html.escape(q.key_text())}</div>")
            if q.free_text and q.reference:
                parts.append(f"<div><b>参考回复：</b>{html.escape(q.reference)}</div>")
            parts.append(f"<div style='{text_colour('muted')}'><b>解析：</b>{_md(q.explanation)}</div>")
            if save:
                self.store.put("quiz", q.id, {"answer": raw, "status": grade.status})
        self.feedback.value = "".join(parts)
        if self.store.notice:
            self.status.value = f"<div style='{text_colour('warn')}'>{html.escape(self.store.notice)}</div>"
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
                        f"<div style='{text_colour('muted')}'>选好答案后点“提交”，马上看到对错和解析。作答会自动保存。</div>")
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
