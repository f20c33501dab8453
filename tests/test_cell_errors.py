"""After ``setup()``, a real kernel explains a syntax error or an undefined name in a cell in Chinese;
other errors, and a NameError inside library code, keep their usual traceback."""
from __future__ import annotations

import ast
import re

import nbformat
import pytest

from course_lib.content.cell_errors import name_hint, syntax_hint
from course_lib.content.qtypes import TYPES
from course_lib.notebook.runner import run_notebook

ANSI = re.compile(r"\x1b\[[0-9;]*m")
CELLS = {
    "setup": 'from course_lib import setup\nsetup("u01")',
    "letters": "answer_e1 = A C E",
    "quotes": "answer_e2 = “BDCA”",
    "unquoted": "answer_e1 = ACE",
    "own_function": "def total():\n    return pricee * 2\n\ntotal()",
    "library": "import types\nlib = types.ModuleType('lib')\nexec('def g():\\n    return missing', lib.__dict__)\nlib.g()",
    "other": "1 / 0",
    "key": ('import pandas as pd\ntable = pd.DataFrame({"成功率": [0.5]}, index=["有所顾虑"])\n'
            'answer_e3 = table.loc["有所顾虑的", "成功率"]'),
    "iloc": 'import pandas as pd\nt = pd.DataFrame({"数值": [1.0]}, index=["甲"])\nanswer_e4 = t[t.index == "乙"]["数值"].iloc[0]',
    "row": 'import pandas as pd\nlog = pd.DataFrame(columns=["a", "b", "c"])\nlog.loc[0] = [1, 2]',
}


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code) for code in CELLS.values()])
    run_notebook(nb, tmp_path_factory.mktemp("cells"), allow_errors=True)
    result = {}
    for name, cell in zip(CELLS, nb.cells):
        errors = [o for o in cell.outputs if o.output_type == "error"]
        result[name] = (errors[0].ename, ANSI.sub("", "\n".join(errors[0].traceback))) if errors else None
    return result


def test_a_syntax_error_in_an_answer_cell_is_explained_in_chinese(outputs):
    ename, shown = outputs["letters"]
    assert ename == "SyntaxError"                       # what the grader records is unchanged
    assert "第1行Python看不懂（语法错误）" in shown and "answer_e1 = A C E" in shown
    assert 'u01.e1 是多选题，答案写成带引号的字母，例如 answer_e1 = "AC"' in shown
    assert "invalid syntax" not in shown and "Traceback" not in shown and "File " not in shown


def test_chinese_quotes_are_named(outputs):
    _, shown = outputs["quotes"]
    assert "中文标点「“」" in shown and "u01.e2 是排序题" in shown
    assert "invalid character" not in shown


def test_an_unquoted_answer_is_explained(outputs):
    ename, shown = outputs["unquoted"]
    assert ename == "NameError" and "名字「ACE」还没有定义" in shown and "要加引号" in shown
    assert "is not defined" not in shown


def test_a_misspelt_name_in_the_students_own_function(outputs):
    _, shown = outputs["own_function"]
    assert "第2行用到的名字「pricee」还没有定义" in shown


def test_other_errors_keep_their_traceback(outputs):
    assert outputs["setup"] is None
    ename, shown = outputs["library"]           # not the student's own code: a real bug, shown as it is
    assert ename == "NameError" and "name 'missing' is not defined" in shown and "还没有定义" not in shown
    ename, shown = outputs["other"]
    assert ename == "ZeroDivisionError" and "division by zero" in shown


def test_hints_for_common_slips():
    def hint(code: str) -> str:
        with pytest.raises(SyntaxError) as error:
            compile(code, "<cell>", "exec")
        return syntax_hint(error.value, code, "u01")

    assert "三引号没有成对" in hint('answer_e5 = """亲，您好')
    assert "括号没有成对" in hint("x = (1, 2")
    assert "缩进不对" in hint("x = 1\n    y = 2")
    assert "检查引号、括号是否成对" in hint("x = = 1")
    assert "u01.e3 是连线题" in hint('answer_e3 = {"1": "C" "2": "E"}')
    unknown = hint("answer_e9 = A C E")                                  # u01 has no e9: the general hint
    assert "提示：检查引号、括号是否成对" in unknown and "u01.e9" not in unknown
    assert len(name_hint(NameError("x", name="x"), None, "answer_e9 = x", "u01").splitlines()) == 2


def test_every_question_type_says_how_its_answer_is_written():
    """A new type without its hint would leave students with Python's bare error."""
    for kind in TYPES.values():
        assert kind.how_to_write, kind.name
        ast.literal_eval(kind.example)          # the example is valid Python a student can copy


def test_a_check_after_a_failed_answer_cell_says_so_not_the_old_answer(tmp_path):
    cells = ['from course_lib import setup, check\nsetup("u04")',
             'answer_e1 = "ace"', 'check("u04.e1", answer_e1)',              # recorded: A、C、E
             'answer_e1 = “ACE”', 'check("u04.e1", answer_e1)',              # the answer cell failed
             'answer_e1 = ACE', 'check("u04.e1", answer_e1)',                # a NameError: failed too
             'answer_e1 = "AC"', 'check("u04.e1", answer_e1)']               # fixed: checked again
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code) for code in cells])
    run_notebook(nb, tmp_path, allow_errors=True)
    shown = ["".join(o.get("data", {}).get("text/plain", "") for o in nb.cells[i].outputs) for i in (2, 4, 6, 8)]
    assert "已记录" in shown[0] and "A、C、E" in shown[0]
    for stale in shown[1:3]:
        assert "答案单元格刚才运行出错了" in stale and "A、C、E" not in stale
    assert "已记录" in shown[3] and "A、C" in shown[3]


def test_a_restarted_kernel_explains_course_names_before_setup(tmp_path, monkeypatch):
    """``python -m course_lib lab`` starts kernels with PYTHONSTARTUP; a check cell run before the
    first cell gets a Chinese hint (a play-through saw ``NameError: name 'check' is not defined``)."""
    from course_lib.settings import repo_dir

    monkeypatch.setenv("PYTHONSTARTUP", str(repo_dir() / "course_lib" / "lab_settings" / "kernel_startup.py"))
    cells = ['check("u04.e1", answer_e1)', "print(undefined_thing)", "1 / 0"]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code) for code in cells])
    run_notebook(nb, tmp_path, allow_errors=True)
    shown = [ANSI.sub("", "\n".join(o.traceback)) for c in nb.cells for o in c.outputs if o.output_type == "error"]
    assert "「check」还没有定义：内核刚启动（或重启过）" in shown[0] and "先运行本笔记本最上面的第一个代码单元格" in shown[0]
    assert "Traceback" not in shown[0]
    assert "内核刚启动" not in shown[1] and "undefined_thing" in shown[1]          # not a course name: as usual
    assert "ZeroDivisionError" in shown[2]


def test_the_lab_command_starts_kernels_with_the_startup_file(monkeypatch):
    import os

    from jupyterlab.labapp import LabApp

    from course_lib import cli

    seen = {}
    monkeypatch.delenv("PYTHONSTARTUP", raising=False)
    monkeypatch.setattr(LabApp, "launch_instance", classmethod(lambda cls, argv: seen.update(env=os.environ.get("PYTHONSTARTUP"))))
    cli.main(["lab"])
    assert seen["env"].endswith("kernel_startup.py") and os.path.isfile(seen["env"])


def test_a_lookup_that_finds_nothing_is_explained_in_chinese(outputs):
    """A misspelt row name, a filter that selects nothing and a row of the wrong length, in the
    student's own cell: a Chinese hint with the line, not pandas' English traceback (unit 10 and 01
    play-through); the error's name, which the grader records, is unchanged."""
    ename, shown = outputs["key"]
    assert ename == "KeyError" and "第3行在表里找不到「有所顾虑的」" in shown and "Traceback" not in shown
    ename, shown = outputs["iloc"]
    assert ename == "IndexError" and "第3行按位置取数" in shown and "筛选一行也没有选出来" in shown
    ename, shown = outputs["row"]
    assert ename == "ValueError" and "项数和表的列数对不上" in shown and "mismatched" not in shown
