"""Turn a cell-marked draft into a new master notebook (an authoring aid).

Usage: ``python tools/txt2nb.py draft.txt notebooks/01_intro.ipynb``

The draft separates cells with marker lines::

    %% md [teacher] [slide=slide|subslide|fragment|skip]
    %% code [setup] [slide=…]
    %% code answer u01.e1
    %% code check u01.e1

Once written, the ``.ipynb`` is the master: edit it in JupyterLab and store its
outputs with ``python -m course_lib run``.
"""
from __future__ import annotations

import sys
from pathlib import Path

import nbformat

from course_lib.content.banks import load_exercises

LOCKED = {"editable": False, "deletable": False}


def convert(text: str):
    nb = nbformat.v4.new_notebook()
    chunks: list[tuple[list[str], list[str]]] = []
    for line in text.splitlines():
        if line.startswith("%%"):
            chunks.append((line[2:].split(), []))
        elif chunks:
            chunks[-1][1].append(line)
    first_code = True
    for words, body in chunks:
        source = "\n".join(body).strip("\n")
        kind, flags = words[0], words[1:]
        slide = next((f.split("=", 1)[1] for f in flags if f.startswith("slide=")), None)
        meta: dict = {}
        if kind == "md":
            cell = nbformat.v4.new_markdown_cell(source)
            if "teacher" in flags:
                meta.update({"course": {"role": "teacher"}, "tags": ["teacher"]})
        else:
            cell = nbformat.v4.new_code_cell(source)
            if first_code:
                meta.update({"course": {"role": "setup"}, **LOCKED})
                first_code = False
            elif "answer" in flags or "check" in flags:
                role = "answer" if "answer" in flags else "check"
                exercise_id = flags[flags.index(role) + 1]
                exercise = load_exercises(exercise_id.split(".")[0]).get(exercise_id)
                if exercise is None:
                    raise SystemExit(f"unknown exercise {exercise_id}")
                meta["course"] = {"id": exercise_id, "role": role, "points": exercise.points}
                if role == "check":
                    meta.update(LOCKED)
        if slide:
            meta["slideshow"] = {"slide_type": slide}
        cell.metadata.update(meta)
        nb.cells.append(cell)
    nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
    nb.metadata["language_info"] = {"name": "python"}
    return nb


if __name__ == "__main__":
    source, target = map(Path, sys.argv[1:3])
    nbformat.write(convert(source.read_text(encoding="utf-8")), target)
    print(f"wrote {target}")
