"""What every view shares: a text fallback and callbacks that never show a traceback."""
from __future__ import annotations

import functools
import html

import ipywidgets as w

from ..theme import bubble_style, text_colour


class View:
    """A composed widget. Subclasses set ``self.widget`` and ``self.fallback``."""

    widget: w.Widget
    fallback: str = "运行本单元格即可使用交互练习。"

    def __init__(self) -> None:
        self.status = w.HTML()

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = self.widget._repr_mimebundle_(include=include, exclude=exclude)
        data = bundle[0] if isinstance(bundle, tuple) else bundle
        data = dict(data or {})
        data["text/plain"] = self.fallback
        return data

    def __repr__(self) -> str:
        return self.fallback

    def show_error(self, error: Exception) -> None:
        self.status.value = (
            f"<div style='{text_colour('bad')}'>出了点问题："
            f"{html.escape(str(error) or type(error).__name__)}。请重新运行本单元格；如果仍然出错，请告诉老师。</div>")


def guarded(method):
    """Wrap a widget callback so an error shows as a Chinese line, never a traceback."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            self.status.value = ""
            return method(self, *args, **kwargs)
        except Exception as error:  # shown to the student, not raised
            self.show_error(error)
            return None

    return wrapper


def typed(kind: type[w.Widget] = w.Textarea, **options) -> w.Widget:
    """A box the student types into and a button then reads (``w.Text``, ``w.Textarea``, ``w.Combobox``).

    It sends its value when the student leaves it (``continuous_update=False``), not per keystroke:
    ipywidgets holds back a box's later keystrokes until the kernel has answered the earlier ones,
    while a click goes at once, so on a busy class server a reply typed and sent at once would
    reach the kernel without its last words.  Leaving the box (the mouse going to the button)
    sends the whole value first.

    >>> typed(w.Text, placeholder="例如 C0334").continuous_update
    False
    """
    return kind(continuous_update=False, **options)


def heading(title: str, intro: str = "", extra: str = "") -> str:
    """A tool's heading as HTML: its title (plain text), a muted line of ``intro`` and ``extra`` (both HTML).

    >>> print(heading("<打字>", "先求准，再求快。").replace(text_colour("muted"), "（浅色文字）"))
    <h4 style='margin:4px 0'>&lt;打字&gt;</h4><div style='（浅色文字）'>先求准，再求快。</div>
    """
    muted = f"<div style='{text_colour('muted')}'>{intro}</div>" if intro else ""
    return f"<h4 style='margin:4px 0'>{html.escape(title)}</h4>{muted}{extra}"


def bubble(text: str, who: str, side: str, *, note: str = "", width: int = 75, text_class: str = "") -> str:
    """One chat bubble as HTML (``side`` is ``left`` for the customer, ``right`` for the agent).

    ``note`` follows the speaker's name and sets the bubble in italics (the shop's robot);
    ``width`` is the widest it may grow, in per cent; ``text_class`` marks the text for tests.
    """
    align = "flex-start" if side == "left" else "flex-end"
    italic = ";font-style:italic" if note else ""
    marked = f" class='{text_class}'" if text_class else ""
    return (f"<div style='display:flex;justify-content:{align};margin:4px 0'>"
            f"<div class='course-bubble' style='max-width:{width}%;{bubble_style(side)};"
            f"border-radius:10px;padding:6px 10px{italic}'>"
            f"<div style='font-size:85%;{text_colour('muted')}'>{html.escape(who)}{html.escape(note)}</div>"
            f"<div{marked}>{html.escape(text)}</div></div></div>")
