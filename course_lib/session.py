"""``setup(unit)``: the one call in every notebook's first code cell."""
from __future__ import annotations

import html
import linecache
import sys
import warnings

from .content.exercises import grade_mode
from .settings import standards
from .theme import text_colour


class Banner:
    """The line ``setup()`` shows; text and HTML renderings, deterministic."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text

    def _repr_html_(self) -> str:
        return f"<div style='{text_colour('ok')}'>{html.escape(self.text)}</div>"


def setup(unit: str) -> Banner:
    """Prepare charts (Chinese fonts, course style) and pandas display; return a banner."""
    titles = standards().unit_titles
    if unit not in titles:
        raise ValueError(f"未知的单元编号「{unit}」，应是 u00–u12。")
    from .charts import setup_charts

    with warnings.catch_warnings():
        warnings.simplefilter("default")
        setup_charts()
    try:
        import pandas as pd

        pd.set_option("display.max_columns", 30)
        pd.set_option("display.width", 120)
        pd.set_option("display.unicode.east_asian_width", True)
    except ImportError:  # pandas is a dependency; this only guards a broken install
        pass
    _explain_errors_in_chinese(unit)
    name = "课程导览" if unit == "u00" else f"第{unit[1:]}单元「{titles[unit]}」"
    mode = "评分模式" if grade_mode() else "学生模式"
    return Banner(f"✔ 课程环境已就绪：《电子商务客服管理》{name}（{mode}）")


def _cell_frame(tb, user_ns):
    """The last traceback entry that runs in a notebook cell (the student's own line), or ``None``."""
    found = None
    while tb is not None:
        if tb.tb_frame.f_globals is user_ns:
            found = tb
        tb = tb.tb_next
    return found


def _explain_errors_in_chinese(unit: str) -> None:
    """In IPython (JupyterLab), show a Chinese hint instead of the English traceback for a syntax
    error in a cell and for an undefined name typed in a cell; other errors are shown as usual.

    This shell's ``showsyntaxerror`` and ``showtraceback`` are wrapped (IPython's custom exception
    handlers show nothing for such errors in IPython 9).  The error's name (``SyntaxError``,
    ``NameError``), which the grader records, is unchanged.  After every cell the shell also tells
    :mod:`.content.answer_runs` whether it failed, so a check cell never reports an older answer."""
    try:
        from IPython import get_ipython
    except ImportError:  # plain Python: nothing to change
        return
    shell = get_ipython()
    if shell is None:
        return
    from .content import answer_runs
    from .content.cell_errors import data_hint, name_hint, syntax_hint
    from .kernel_start import last_frame

    answer_runs.forget()
    if not getattr(shell, "_course_answer_runs", False):      # once per kernel: check() knows a failed answer cell
        shell.events.register("post_run_cell", lambda result: answer_runs.note_run(
            getattr(result.info, "raw_cell", "") or "", result.success))
        shell._course_answer_runs = True

    show_syntax_error, show_traceback = type(shell).showsyntaxerror, type(shell).showtraceback

    def showsyntaxerror(filename=None, running_compiled_code=False):
        etype, value, _ = sys.exc_info()
        if running_compiled_code or not isinstance(value, SyntaxError):   # raised by running code: as usual
            return show_syntax_error(shell, filename, running_compiled_code)
        source = "".join(linecache.getlines(value.filename or filename or ""))
        return shell._showtraceback(etype, value, syntax_hint(value, source, unit).splitlines())

    def showtraceback(exc_tuple=None, *args, **kwargs):
        etype, value, tb = exc_tuple or sys.exc_info()
        last = last_frame(tb)
        if isinstance(value, NameError) and last is not None and last.tb_frame.f_globals is shell.user_ns:
            source = "".join(linecache.getlines(last.tb_frame.f_code.co_filename))   # the student's own code
            return shell._showtraceback(etype, value, name_hint(value, last.tb_lineno, source, unit).splitlines())
        cell = _cell_frame(tb, shell.user_ns)            # a lookup in the student's own cell that found nothing
        hint = data_hint(value, cell.tb_lineno) if cell is not None else None
        if hint:
            return shell._showtraceback(etype, value, hint.splitlines())
        return show_traceback(shell, exc_tuple, *args, **kwargs)

    shell.showsyntaxerror, shell.showtraceback = showsyntaxerror, showtraceback
