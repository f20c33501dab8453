"""Small, single-purpose notebook transformations shared by release, export, the grader and
``python -m course_lib run`` (in the spirit of nbgrader's preprocessors).

Each function takes a notebook as a plain ``dict`` (an ``nbformat`` node is one) and either
returns a new notebook or says in its name that it works in place.

>>> nb = {"cells": [{"cell_type": "markdown", "metadata": {"course": {"role": "teacher"}}, "source": "提示"},
...                 {"cell_type": "code", "metadata": {"course": {"role": "answer", "id": "u01.e1"}},
...                  "source": ["# 写字母\\n", "answer_e1 = 'AC'"], "outputs": [1], "execution_count": 3}]}
>>> student = student_notebook(nb)
>>> [cell_source(c) for c in student["cells"]], student["cells"][0]["outputs"]
(['# 写字母\\nanswer_e1 = ...'], [])
"""
from __future__ import annotations

import ast
import copy
import json

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
HIDDEN_ROLES = ("teacher", "solution")


def cell_source(cell: object) -> str:
    """A cell's source as one string, whatever shape a (possibly broken) file gives it."""
    source = cell.get("source", "") if isinstance(cell, dict) else ""
    return "".join(str(s) for s in source) if isinstance(source, list) else str(source)


def course_meta(cell: object) -> dict:
    """The ``metadata.course`` dict of a cell (empty when missing or malformed)."""
    meta = cell.get("metadata") if isinstance(cell, dict) else None
    course = meta.get("course") if isinstance(meta, dict) else None
    return course if isinstance(course, dict) else {}


def role(cell: object) -> str:
    """``setup``, ``answer``, ``check``, ``teacher``, ``solution`` or ``''``."""
    value = course_meta(cell).get("role", "")
    return value if isinstance(value, str) else ""


def is_hidden(cell: dict) -> bool:
    """A teacher note or solution: never in the student edition."""
    tags = (cell.get("metadata") or {}).get("tags") or []
    return role(cell) in HIDDEN_ROLES or "teacher" in tags


def reset_answer_cell(source: str, template: str | None = None) -> str:
    """The student version of an answer cell: the template, or comments plus ``answer_x = ...``.

    Every other statement of the master's answer cell (the worked solution) is dropped.

    >>> reset_answer_cell('# 写在引号里\\nrows = df[df.x > 1]\\nanswer_e4 = round(rows.y.sum(), 1)\\nanswer_e4')
    '# 写在引号里\\nanswer_e4 = ...'
    """
    if template is not None:
        return template
    tree = ast.parse(source)
    lines = source.splitlines()
    names = [t.id for node in tree.body if isinstance(node, ast.Assign) for t in node.targets
             if isinstance(t, ast.Name) and t.id.startswith("answer_")]
    if not names:
        raise ValueError("答案单元格里没有 answer_… 赋值语句。")
    first = min(node.lineno for node in tree.body)
    comments = [line for line in lines[:first - 1] if line.strip().startswith("#")]
    return "\n".join(comments + [f"{name} = ..." for name in dict.fromkeys(names)])


def drop_hidden_cells(nb: dict) -> dict:
    """A copy without teacher notes and solution cells."""
    nb = copy.deepcopy(nb)
    nb["cells"] = [c for c in nb["cells"] if not is_hidden(c)]
    return nb


def drop_solution_cells(nb: dict) -> dict:
    """A copy without solution cells (the teacher's export keeps teacher notes)."""
    nb = copy.deepcopy(nb)
    nb["cells"] = [c for c in nb["cells"] if role(c) != "solution"]
    return nb


def reset_answers(nb: dict) -> dict:
    """A copy whose answer cells hold only the student template (``answer_eN = ...``)."""
    nb = copy.deepcopy(nb)
    for cell in nb["cells"]:
        course = course_meta(cell)
        if role(cell) == "answer":
            cell["source"] = reset_answer_cell(cell_source(cell), course.get("template"))
            cell["metadata"]["course"] = {k: v for k, v in course.items() if k != "template"}
    return nb


def clear_outputs(nb: dict) -> dict:
    """A copy with no outputs, execution counts or stored widget state."""
    nb = copy.deepcopy(nb)
    nb.get("metadata", {}).pop("widgets", None)
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
    return nb


def clean_outputs(nb) -> None:
    """In place: drop widget views and volatile metadata from an executed notebook (for nbval)."""
    nb["metadata"].pop("widgets", None)
    nb["metadata"]["kernelspec"] = dict(KERNELSPEC)
    for cell in nb["cells"]:
        cell["metadata"].pop("execution", None)
        if cell["cell_type"] != "code":
            continue
        kept = []
        for out in cell.get("outputs", []):
            data = out.get("data")
            if data is not None:
                data.pop(WIDGET_VIEW, None)
                if not data:
                    continue
            previous = kept[-1] if kept else None
            if (out.get("output_type") == "stream" and previous is not None
                    and previous.get("output_type") == "stream" and previous.get("name") == out.get("name")):
                # the kernel may flush one print in two messages: store it as one, the same every run
                previous["text"] = _text(previous["text"]) + _text(out["text"])
                continue
            kept.append(out)
        cell["outputs"] = kept


def _text(text) -> str:
    return "".join(text) if isinstance(text, list) else text


def student_notebook(nb: dict) -> dict:
    """The student edition of a master: no teacher notes or solutions, answers reset, no outputs."""
    return clear_outputs(reset_answers(drop_hidden_cells(nb)))


def answer_sources(nb: dict, unit: str, checks) -> dict[str, str]:
    """``{exercise id: source}`` of a submission's answer cells (the last one wins if duplicated).

    A cell counts as the answer of ``uNN.eK`` by its metadata, or — when a student's editor
    dropped the metadata — by an ``answer_eK =`` line in a cell that is not a check cell
    (``checks`` is the compiled pattern of a check call).
    """
    import re

    found: dict[str, str] = {}
    for cell in nb.get("cells", []):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell_source(cell)
        exercise_id = course_meta(cell).get("id") if role(cell) == "answer" else None
        if not isinstance(exercise_id, str):
            match = re.search(r"^answer_(e\d+)\s*=", source, re.M)
            exercise_id = f"{unit}.{match.group(1)}" if match and not checks.search(source) else None
        if exercise_id:
            found[exercise_id] = source
    return found


def restore_master(submission: dict, master: dict, unit: str, checks) -> tuple[dict, list[str]]:
    """The notebook to run: the master with the submission's answer cells put in.

    Setup and check cells, their order and the kernelspec come from the master, so editing,
    deleting or reordering them changes nothing; returns the notebook and notes for the teacher.
    """
    notes = []
    answers = answer_sources(submission, unit, checks)
    restored = json.loads(json.dumps(master))
    master_checks = [cell_source(c) for c in restored["cells"] if role(c) == "check"]
    sub_checks = [cell_source(c) for c in submission.get("cells", []) if checks.search(cell_source(c))]
    if sorted(s.strip() for s in sub_checks) != sorted(s.strip() for s in master_checks):
        notes.append("检查单元格被删除、重复或改动过，已用母版恢复")
    for cell in restored["cells"]:
        if role(cell) == "answer":
            exercise_id = course_meta(cell)["id"]
            if exercise_id in answers:
                cell["source"] = answers[exercise_id]
            else:
                notes.append(f"找不到练习{exercise_id}的答案单元格，按未作答处理")
    return restored, notes
