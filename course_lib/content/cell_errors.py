"""Chinese explanations of the errors students meet first, instead of Python's English ones:
a ``SyntaxError`` in a cell, a ``NameError`` for a name typed in a cell (``answer_e1 = BDF``), and
a table lookup that finds nothing (``KeyError``, ``IndexError``, a row of the wrong length).

``setup()`` shows them in JupyterLab (see :mod:`course_lib.session`); here is only the text.
In an answer cell (``answer_e1 = …``) the hint says how that exercise's answer is written.

>>> error = SyntaxError("invalid syntax", ("<cell>", 1, 15, "answer_e1 = B D F\\n", 1, 16))
>>> print(syntax_hint(error, "answer_e1 = B D F\\n", "u01"))
✘ 第1行Python看不懂（语法错误），这个单元格没有运行：
    answer_e1 = B D F
                  ^
提示：u01.e1 是多选题，答案写成带引号的字母，例如 answer_e1 = "AC"。
改好后再运行本单元格。
"""
from __future__ import annotations

import re

CAUSES = [  # (part of Python's message, what it means)
    ("invalid character", "这一行有中文标点「{char}」：代码里的引号、括号、逗号、冒号要用英文（半角）符号。"),
    ("unterminated triple-quoted", "三引号没有成对：开头写了 \"\"\"，结尾也要写 \"\"\"。"),
    ("unterminated string", "引号没有成对：文字两边的引号要成对，而且要用英文引号。"),
    ("was never closed", "括号没有成对：每个左括号都要有对应的右括号。"),
    ("unmatched", "括号没有成对：多了一个右括号。"),
    ("indent", "缩进不对：同一层的代码要对齐，不要在行首多加或少加空格。"),
]
GENERAL = "检查引号、括号是否成对，标点是否都是英文（半角）符号，文字是否放在引号里。"


def syntax_hint(error: SyntaxError, source: str = "", unit: str | None = None) -> str:
    """The Chinese text shown for ``error`` raised by a cell whose code is ``source``."""
    line = (error.text or "").rstrip("\n")
    where = f"第{error.lineno}行" if error.lineno else "这个单元格"
    lines = [f"✘ {where}Python看不懂（语法错误），这个单元格没有运行："]
    if line.strip():
        indent = len(line) - len(line.lstrip())
        lines.append("    " + line.strip())
        if error.offset and error.offset > indent:
            lines.append("    " + " " * (error.offset - 1 - indent) + "^")
    answer = re.search(r"^\s*(answer_(\w+))\s*=", source or line, re.M)
    hints = [_cause(error), answer and unit and _answer_format(unit, answer.group(2), answer.group(1))]
    hints = [h for h in hints if h] or [GENERAL]
    lines += ["提示：" + hints[0], *hints[1:], "改好后再运行本单元格。"]
    return "\n".join(lines)


def _cause(error: SyntaxError) -> str | None:
    message = str(error.msg or "")
    for part, meaning in CAUSES:
        if part in message:
            char = re.search(r"'(.)'", message)
            return meaning.format(char=char.group(1) if char else "")
    return None


def _answer_format(unit: str, name: str, variable: str) -> str | None:
    from .banks import load_exercises
    from .qtypes import TYPES

    exercise_id = f"{unit}.{name}"
    try:
        exercise = load_exercises(unit).get(exercise_id)
    except Exception:  # a hint must never fail
        return None
    kind = TYPES.get(exercise.type) if exercise is not None else None
    if kind is None or not kind.how_to_write:
        return None
    return f"{exercise_id} 是{kind.title}，{kind.how_to_write}，例如 {variable} = {kind.example}。"


def name_hint(error: NameError, line_number: int | None, source: str = "", unit: str | None = None) -> str:
    """The Chinese text shown for a name used in a cell before it was defined.

    >>> print(name_hint(NameError("name 'BDF' is not defined", name="BDF"), 1, "answer_e1 = BDF", "u01"))
    ✘ 第1行用到的名字「BDF」还没有定义，这个单元格在这里停下了。
    提示：如果这是答案里的字母或文字，要加引号；如果是变量或函数，请先运行上面定义它的单元格（或“运行所有单元格”）。
    u01.e1 是多选题，答案写成带引号的字母，例如 answer_e1 = "AC"。
    """
    name = getattr(error, "name", None) or (re.findall(r"'(.+?)'", str(error)) or ["?"])[0]
    where = f"第{line_number}行" if line_number else "这个单元格"
    lines = [f"✘ {where}用到的名字「{name}」还没有定义，这个单元格在这里停下了。",
             "提示：如果这是答案里的字母或文字，要加引号；如果是变量或函数，请先运行上面定义它的单元格（或“运行所有单元格”）。"]
    answer = re.search(r"^\s*(answer_(\w+))\s*=", source, re.M)
    if answer and unit:
        lines.append(_answer_format(unit, answer.group(2), answer.group(1)) or "")
    return "\n".join(line for line in lines if line)


def data_hint(error: Exception, line_number: int | None) -> str | None:
    """The Chinese text for a table lookup in a student's cell that found nothing; ``None`` for other errors.

    >>> print(data_hint(KeyError("有所顾虑的"), 3))
    ✘ 第3行在表里找不到「有所顾虑的」（KeyError），这个单元格在这里停下了。
    提示：行名、列名或编号要和表里写的一模一样（多一个字、少一个字、A2 和 A02 都不一样）。
    可以先单独运行“表名.columns”或“表名.index”，看看表里有哪些名字。
    >>> data_hint(ZeroDivisionError(), 1) is None
    True
    """
    where = f"第{line_number}行" if line_number else "这个单元格"
    if isinstance(error, KeyError):
        key = error.args[0] if error.args else ""
        return "\n".join([f"✘ {where}在表里找不到「{str(key)[:40]}」（KeyError），这个单元格在这里停下了。",
                          "提示：行名、列名或编号要和表里写的一模一样（多一个字、少一个字、A2 和 A02 都不一样）。",
                          "可以先单独运行“表名.columns”或“表名.index”，看看表里有哪些名字。"])
    if isinstance(error, IndexError) and ("out-of-bounds" in str(error) or "out of bounds" in str(error)):
        return "\n".join([f"✘ {where}按位置取数（.iloc）超出了范围（IndexError），这个单元格在这里停下了。",
                          "提示：最常见的原因是前面的筛选一行也没有选出来（名称或条件写得和表里不一样），表是空的。"
                          "先单独运行筛选那一步，看看它选出了几行。"])
    if isinstance(error, ValueError) and "mismatched columns" in str(error):
        return "\n".join([f"✘ {where}写进表里的这一行，项数和表的列数对不上（ValueError），这个单元格在这里停下了。",
                          "提示：一整行要按列的顺序写全每一项（没有的写空字符串 \"\"）；也可以改用按列名填写的写法。"])
    return None
