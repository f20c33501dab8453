"""The input widgets of a quiz card, one class per ``input_kind`` of a question type
(:mod:`course_lib.content.qtypes`).  A new question type reuses one of these kinds; only a
new *kind* of input needs a class here.

Each input has ``widget`` (what the card shows), :meth:`Input.read` (the raw answer, as a
student would write it) and :meth:`Input.write` (put an answer back: restoring saved
answers, tests).
"""
from __future__ import annotations

import html

import ipywidgets as w

from .base import typed

_WIDE = w.Layout(width="95%")


class Input:
    def __init__(self, question) -> None:
        self.question = question
        self.widget = self.build(question)

    def build(self, q) -> w.Widget:
        raise NotImplementedError

    def read(self):
        value = self.widget.value
        return ... if value is None else value

    def write(self, value) -> None:
        self.widget.value = value


class Radio(Input):
    def build(self, q):
        return w.RadioButtons(options=[(f"{o.key}. {o.text}", o.key) for o in q.options], value=None, layout=_WIDE)


class TrueFalse(Input):
    def build(self, q):
        return w.RadioButtons(options=[("正确", True), ("错误", False)], value=None)


class Checkboxes(Input):
    def build(self, q):
        self.boxes = [w.Checkbox(description=f"{o.key}. {o.text}", value=False, indent=False, layout=_WIDE)
                      for o in q.options]
        return w.VBox(self.boxes)

    def read(self):
        return [o.key for o, b in zip(self.question.options, self.boxes) if b.value]

    def write(self, value) -> None:
        chosen = set(value)
        for o, b in zip(self.question.options, self.boxes):
            b.value = o.key in chosen


class Sequence(Input):
    """An ordering: one dropdown per step."""

    def build(self, q):
        listing = w.HTML("<br>".join(f"{o.key}. {html.escape(o.text)}" for o in q.items))
        choices = [("（请选择）", "")] + [(f"{o.key}. {o.text}", o.key) for o in q.items]
        self.selects = [w.Dropdown(options=choices, value="", description=f"第{i + 1}步") for i in range(len(q.items))]
        return w.VBox([listing, *self.selects])

    def read(self):
        return [s.value for s in self.selects]

    def write(self, value) -> None:
        for s, v in zip(self.selects, value):
            s.value = v


class Pairs(Input):
    """A matching: one dropdown of right-hand letters per left-hand item."""

    def build(self, q):
        listing = "<br>".join(f"{o.key}. {html.escape(o.text)}" for o in q.right)
        choices = [("（请选择）", "")] + [(o.key, o.key) for o in q.right]
        self.selects = [w.Dropdown(options=choices, value="", description="", layout=w.Layout(width="120px"))
                        for _ in q.left]
        rows = [w.HBox([w.HTML(f"{o.key}. {html.escape(o.text)} →", layout=w.Layout(width="60%")), s])
                for o, s in zip(q.left, self.selects)]
        spare = len(q.right) - len(q.left)
        rule = ("" if spare < 0 else "（每个字母最多用一次" + (f"，有{spare}项用不上）" if spare else "）"))
        return w.VBox([w.HTML(f"<i>右边的选项{rule}：</i><br>" + listing), *rows])

    def read(self):
        return {o.key: s.value for o, s in zip(self.question.left, self.selects)}

    def write(self, value) -> None:
        for o, s in zip(self.question.left, self.selects):
            s.value = value.get(o.key, "")


class Line(Input):
    def build(self, q):
        return typed(w.Text, placeholder=f"输入一个数字{('（单位：' + q.unit + '）') if q.unit else ''}")


class TextArea(Input):
    def build(self, q):
        return typed(w.Textarea, placeholder="在这里输入你的回复……", layout=w.Layout(width="95%", height="80px"))


INPUTS: dict[str, type[Input]] = {"radio": Radio, "truefalse": TrueFalse, "checkboxes": Checkboxes,
                                  "sequence": Sequence, "pairs": Pairs, "line": Line, "textarea": TextArea}


def make_input(question) -> Input:
    """The input for ``question``, by its type's ``input_kind``."""
    return INPUTS[question.kind.input_kind](question)
