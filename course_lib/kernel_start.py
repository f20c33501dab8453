"""Before ``setup()``: a kernel that has just started (or restarted) explains a course name it
does not know yet in Chinese, instead of an English ``NameError`` traceback.

Students restart the kernel and run a check cell: ``check`` is not defined until the notebook's
first cell has run.  ``python -m course_lib lab`` points ``PYTHONSTARTUP`` at
``course_lib/lab_settings/kernel_startup.py``, which calls :func:`explain_before_setup` in every
kernel it starts; ``setup()`` later puts its own, fuller hints in place.

>>> print(before_setup_hint("check", 1))
✘ 第1行用到的「check」还没有定义：内核刚启动（或重启过），本笔记本的课程环境还没有准备好。
提示：先运行本笔记本最上面的第一个代码单元格（from course_lib import …、setup(…)），再运行本单元格；上面的答案单元格也要重新运行一次。
"""
from __future__ import annotations

import re
import sys

_COURSE_NAME = re.compile(r"answer_e\d+|[A-Za-z_]\w*")


def before_setup_hint(name: str, line_number: int | None) -> str:
    where = f"第{line_number}行" if line_number else "这个单元格"
    return (f"✘ {where}用到的「{name}」还没有定义：内核刚启动（或重启过），本笔记本的课程环境还没有准备好。\n"
            "提示：先运行本笔记本最上面的第一个代码单元格（from course_lib import …、setup(…)），再运行本单元格；"
            "上面的答案单元格也要重新运行一次。")


def last_frame(tb):
    """The innermost frame of a traceback (where the error was raised), ``None`` for none."""
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    return tb


def _course_names() -> frozenset[str]:
    import course_lib  # light: the public names are resolved lazily

    return frozenset(getattr(course_lib, "__all__", ()))


def explain_before_setup() -> None:
    """In IPython, explain a ``NameError`` for a course name (``check``, ``setup``, ``RolePlay`` …,
    ``answer_e1``) raised by the student's own cell; everything else is shown as usual."""
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is None:
        return
    show_traceback = type(shell).showtraceback
    names = _course_names()

    def showtraceback(exc_tuple=None, *args, **kwargs):
        etype, value, tb = exc_tuple or sys.exc_info()
        last = last_frame(tb)
        name = getattr(value, "name", None) if isinstance(value, NameError) else None
        ours = last is not None and last.tb_frame.f_globals is shell.user_ns
        if ours and name and (name in names or re.fullmatch(r"answer_e\d+", name)):
            return shell._showtraceback(etype, value, before_setup_hint(name, last.tb_lineno).splitlines())
        return show_traceback(shell, exc_tuple, *args, **kwargs)

    shell.showtraceback = showtraceback
