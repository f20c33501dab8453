"""``Quiz(unit, group=None)``: practice questions with immediate feedback.

A wrong first try shows whether it is right and the chosen options' feedback, but not the
key: the student thinks again and resubmits.  The key and the explanation (解析) show once
the answer is right, after the second wrong try (:data:`REVEAL_AFTER`), or when the student
clicks 看解析.  Answers, tries and whether the key was shown are saved to the progress file
and restored when the cell runs again.
Drive it from code: ``quiz.cards[0].set_answer("B"); quiz.cards[0].submit.click()``,
``quiz.cards[0].reveal.click()``.
"""
from __future__ import annotations

import html

import ipywidgets as w

from ..content.banks import load_bank
from ..content.questions import Question
from ..content.rubric import RubricResult
from ..progress import ProgressStore
from ..theme import colour, status_text, text_colour
from .base import View, guarded, heading
from .inputs import make_input

_ICONS = {"correct": "✔", "partial": "◐", "wrong": "✘", "invalid": "！", "unanswered": "…"}
REVEAL_AFTER = 2
"""After this many wrong tries the key and the explanation show without asking."""
RETRY = "再想一想，改一改答案再提交一次；第2次还没答对，会显示正确答案和解析。想直接看，点「看解析」。"
SAME_ANSWER = "答案和上次一样，这次不算一次提交：改一改答案再提交；想直接看，点「看解析」。"


def _md(text: str) -> str:
    """Minimal, safe rendering of a stem: escaped text, line breaks kept, **bold** supported."""
    escaped = html.escape(text.strip())
    parts = escaped.split("**")
    escaped = "".join(f"<b>{p}</b>" if i % 2 else p for i, p in enumerate(parts))
    return escaped.replace("\n", "<br>")


class QuestionCard(View):
    """One question: stem, input widget, 提交 and 看解析 buttons, feedback."""

    def __init__(self, question: Question, number: int, store: ProgressStore, on_change=None) -> None:
        super().__init__()
        self.question, self.store, self.on_change = question, store, on_change
        self.result_status: str | None = None
        self.tries = 0              # graded submissions so far
        self.revealed = False       # the key and the explanation are shown
        self._grade = None
        self._graded_answer = None      # the answer last graded: the same one again is not a new try
        q = question
        self.stem = w.HTML(f"<b>{number}.（{q.type_name}）</b>{_md(q.stem)}")
        self.entry = make_input(q)
        self.input = self.entry.widget
        self.submit = w.Button(description="提交", button_style="primary", icon="check")
        self.submit.on_click(lambda _: self._submit())
        self.reveal = w.Button(description="看解析", icon="eye", layout=w.Layout(display="none"))
        self.reveal.on_click(lambda _: self._reveal())
        self.feedback = w.HTML()
        self.widget = w.VBox([self.stem, self.input, w.HBox([self.submit, self.reveal]), self.feedback, self.status],
                             layout=w.Layout(border=f"1px solid {colour('border')}", padding="6px", margin="6px 0"))
        self.widget.add_class("course-quiz-card")
        saved = store.get("quiz", q.id)
        if isinstance(saved, dict) and "answer" in saved:
            try:
                self.set_answer(saved["answer"])
                tries, revealed = saved.get("tries", 1), saved.get("revealed", False)
                self.tries = tries if isinstance(tries, int) and not isinstance(tries, bool) and tries > 0 else 1
                self.revealed = revealed is True
                self._graded_answer = self.answer()
                self._show(q.grade(self.answer()))
            except Exception:  # a stale or edited progress entry is ignored
                self.tries, self.revealed, self.feedback.value = 0, False, ""

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
    @property
    def key_shown(self) -> bool:
        """Whether the key and the explanation are on show (right, asked for, or tried enough)."""
        grade = self._grade
        return grade is not None and grade.answered and (
            grade.status == "correct" or self.revealed or self.tries >= REVEAL_AFTER)

    @guarded
    def _submit(self) -> None:
        answer = self.answer()
        last = self._grade
        if last is not None and last.answered and last.status != "correct" and not self.key_shown \
                and answer == self._graded_answer:      # a double click, or 提交 again without a change
            self._show(last, note=SAME_ANSWER)
            return
        grade = self.question.grade(answer)
        if grade.answered:
            self.tries += 1
            self._graded_answer = answer
        self._show(grade)
        if grade.answered:
            self._save()

    @guarded
    def _reveal(self) -> None:
        if self._grade is None or not self._grade.answered:
            return
        self.revealed = True
        self._show(self._grade)
        self._save()

    def _save(self) -> None:
        self.store.put("quiz", self.question.id, {"answer": self.answer(),
                                                  "status": self._grade.status, "tries": self.tries,
                                                  "revealed": self.revealed})

    def _show(self, grade, note: str = "") -> None:
        q = self.question
        self._grade = grade
        self.result_status = grade.status if grade.answered else None
        parts = [f"<div style='{status_text(grade.status)}'><b>{_ICONS.get(grade.status, '')} {html.escape(grade.message)}</b></div>"]
        if grade.answered:
            parts += [f"<div>· {html.escape(f)}</div>" for f in grade.feedback if f]
            if isinstance(grade.rubric, RubricResult):
                parts.append(grade.rubric.to_html())
            if self.key_shown:
                if grade.status != "correct" and not q.free_text:
                    parts.append(f"<div><b>正确答案：</b>{html.escape(q.key_text())}</div>")
                if q.free_text and q.reference:
                    parts.append(f"<div><b>参考回复：</b>{html.escape(q.reference)}</div>")
                parts.append(f"<div style='{text_colour('muted')}'><b>解析：</b>{_md(q.explanation)}</div>")
            else:
                parts.append(f"<div style='{text_colour('info')}'>{note or RETRY}</div>")
        self.reveal.layout.display = None if grade.answered and not self.key_shown else "none"
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
        header = w.HTML(heading(title, "选好答案后点“提交”，马上看到对错和解析。作答会自动保存。"))
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
