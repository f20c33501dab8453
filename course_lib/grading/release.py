"""Build the student edition of the course from the masters.

``python -m course_lib release --out release`` writes ``release/student-edition/`` and
``release/student-edition.zip``: the package, the datasets, the notebooks without
teacher notes, solutions or outputs (answer cells reset to ``...``), the graded
exercises without any key (no answers, explanations, reference replies or rubric
points — not in plaintext, not hashed), and the practice banks and scenarios
encoded so that their answers are not readable as plaintext.

>>> strip_exercises({"unit": "u99", "exercises": [{"id": "u99.e1", "type": "single", "points": 2,
...     "options": [{"key": "A", "text": "甲"}, {"key": "B", "correct": True}], "answer": ["B"], "hint": "想一想"}]})
{'unit': 'u99', 'title': '', 'exercises': [{'id': 'u99.e1', 'type': 'single', 'points': 2, 'options': ['A', 'B'], 'hint': '想一想'}]}
"""
from __future__ import annotations

import json
import os
import shutil
import tempfile
import zipfile
from pathlib import Path

from ..files import encode
from ..notebook.cells import student_notebook
from ..settings import data_dir, repo_dir

EXERCISE_FIELDS = {"id", "type", "points", "options", "items", "left", "right", "unit", "tolerance", "hint",
                   "pass_score", "group"}
RUBRIC_FLAGS = {"first_reply", "complaint", "min_length", "max_length"}
ZIP_TIME = (2025, 1, 1, 0, 0, 0)


def strip_exercises(raw: dict) -> dict:
    """A graded-exercise file without any key: only what checking the form needs."""
    out = {"unit": raw["unit"], "title": raw.get("title", ""), "exercises": []}
    for ex in raw["exercises"]:
        kept = {k: v for k, v in ex.items() if k in EXERCISE_FIELDS}
        if isinstance(kept.get("options"), list):
            kept["options"] = [o["key"] if isinstance(o, dict) else o for o in kept["options"]]
        if isinstance(ex.get("rubric"), dict):
            kept["rubric"] = {k: v for k, v in ex["rubric"].items() if k in RUBRIC_FLAGS}
        out["exercises"].append(kept)
    return out


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


STUDENT_README = """# 《电子商务客服管理》学生版

这是课程的学生版：笔记本里没有参考答案和教师提示，课后练习由老师的评分程序评分。

**安装并打开课程**（需要 Python 3.10 或更新版本；建议先建虚拟环境 `python -m venv .venv` 并激活）：

```
python -m pip install -e . && python -m jupyter lab notebooks/00_guide.ipynb
```

使用 Anaconda：`conda env create -f environment.yml`，`conda activate ecommerce-cs`，再运行 `jupyter lab notebooks`。

**怎样作答**：先运行每个笔记本的第一个代码单元格；随堂测验选好答案点「提交」；课后练习把答案单元格里的
`...` 换成你的答案，再运行下面的检查单元格（只检查格式）。完成后保存（Ctrl+S），按老师的要求提交 `.ipynb` 文件。
不要删除或修改锁定的检查单元格。
"""


def notebook_text(nb: dict) -> str:
    """A notebook written exactly as JupyterLab saves it (nbformat's layout: sorted keys, one-space
    indent, sources as lists of lines), so a student's save changes only the lines they changed
    and a later release merges cleanly into their copy (nbgitpuller)."""
    nb = json.loads(json.dumps(nb))
    for cell in nb.get("cells", []):
        if isinstance(cell.get("source"), str):
            cell["source"] = cell["source"].splitlines(keepends=True)
    return json.dumps(nb, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def build(out: Path, root: Path | None = None) -> tuple[Path, Path]:
    """Write the student edition folder and its zip under ``out``; returns (folder, zip)."""
    import yaml

    root = root or repo_dir()
    data = data_dir() if root == repo_dir() else root / "data"
    folder = out / "student-edition"
    if folder.exists():
        shutil.rmtree(folder)
    for path in sorted((root / "course_lib").rglob("*.py")):
        _write(folder / path.relative_to(root), path.read_bytes())
    for name in ("pyproject.toml", "environment.yml"):
        _write(folder / name, (root / name).read_bytes())
    _write(folder / "README.md", STUDENT_README.encode("utf-8"))
    for path in sorted(data.rglob("*")):
        if not path.is_file():
            continue
        rel = path.relative_to(data)
        target = folder / "data" / rel
        if rel.parts[0] in ("questions", "scenarios") and path.suffix == ".yaml":
            _write(target.with_suffix(".dat"), encode(path.read_text(encoding="utf-8")))
        elif rel.parts[0] == "exercises" and path.suffix == ".yaml":
            stripped = strip_exercises(yaml.safe_load(path.read_text(encoding="utf-8")))
            text = "# 课后练习的题型与分值（学生版，不含答案）\n" + yaml.safe_dump(
                stripped, allow_unicode=True, sort_keys=False)
            _write(target, text.encode("utf-8"))
        elif rel.name in ("README_content.md", "coursebook.yaml"):
            continue                                   # the teachers' authoring guide and 总评 settings
        else:
            _write(target, path.read_bytes())
    for path in sorted((root / "notebooks").glob("*.ipynb")):
        nb = student_notebook(json.loads(path.read_text(encoding="utf-8")))
        _write(folder / "notebooks" / path.name, notebook_text(nb).encode("utf-8"))
    archive = out / "student-edition.zip"
    fd, tmp = tempfile.mkstemp(dir=out, suffix=".zip")
    os.close(fd)
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                info = zipfile.ZipInfo(str(Path("student-edition") / path.relative_to(folder)).replace(os.sep, "/"),
                                       ZIP_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                zf.writestr(info, path.read_bytes())
    os.replace(tmp, archive)
    return folder, archive
