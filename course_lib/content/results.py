"""``CheckResult``: the outcome of ``check()``, data that renders itself as text and HTML.

>>> r = CheckResult("u01.e1", "unanswered", "尚未作答", "把...换成你的答案，再运行本单元格。")
>>> print(r)
练习 u01.e1｜尚未作答：把...换成你的答案，再运行本单元格。
>>> "尚未作答" in r._repr_html_()
True
"""
from __future__ import annotations

import html
from dataclasses import dataclass

from ..theme import STATUS_TONES, colour, status_text

STATUS_NAMES = {
    "unanswered": "尚未作答", "invalid": "格式有误", "recorded": "已记录", "correct": "正确",
    "partial": "部分正确", "wrong": "不正确", "error": "无法检查",
}


class Rendered:
    """Data that shows itself: ``to_text()`` in a console or ``print``, ``to_html()`` in a notebook.

    A dataclass using it says ``repr=False``, or its generated ``__repr__`` would win.
    """

    def to_text(self) -> str:
        raise NotImplementedError

    def to_html(self) -> str:
        raise NotImplementedError

    def __repr__(self) -> str:
        return self.to_text()

    def _repr_html_(self) -> str:
        return self.to_html()


@dataclass(frozen=True, repr=False)
class CheckResult(Rendered):
    exercise_id: str
    status: str
    title: str
    message: str
    details: tuple[str, ...] = ()
    points: float = 0
    score: float | None = None

    @property
    def ok(self) -> bool:
        return self.status in ("recorded", "correct")

    def to_text(self) -> str:
        head = f"练习 {self.exercise_id}｜{self.title}：{self.message}"
        if self.score is not None:
            head += f"（得分{self.score:g}/{self.points:g}）"
        return "\n".join([head] + [f"  · {d}" for d in self.details])

    def to_html(self) -> str:
        tone = STATUS_TONES.get(self.status, "muted")
        score = f"<span>（得分{self.score:g}/{self.points:g}）</span>" if self.score is not None else ""
        details = "".join(f"<li>{html.escape(d)}</li>" for d in self.details)
        return (f"<div class='course-check' style='border-left:4px solid {colour(tone)};padding:4px 10px'>"
                f"<b style='{status_text(self.status)}'>练习 {html.escape(self.exercise_id)}｜{html.escape(self.title)}</b>："
                f"{html.escape(self.message)}{score}"
                f"{f'<ul>{details}</ul>' if details else ''}</div>")
