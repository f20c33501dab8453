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
import re
import shutil
import stat
import tempfile
import zipfile
from pathlib import Path

from ..files import encode, read_yaml
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

**安装并打开课程**（需要 Python 3.10 或更新版本；建议先建虚拟环境 `python3 -m venv .venv`——Windows 上写
`python -m venv .venv`，Debian/Ubuntu 要先 `sudo apt-get install python3-venv`——并激活它）：

```
python -m pip install -e . && python -m course_lib lab
```

课程在 JupyterLab 中打开，界面是简体中文（想用英文：“设置→语言”里选 English），左侧能看到整个课程文件夹。
使用 Anaconda：`conda env create -f environment.yml`，`conda activate ecommerce-cs`，再运行 `python -m course_lib lab`。

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


def tools_not_for_students(pyproject: str) -> set[str]:
    """The packages of pyproject's ``test`` and ``hub`` extras (the server's JupyterHub and nbgitpuller,
    which deploy/one-server/install.sh installs itself), and nbval (the teacher's submission check,
    which brings pytest): what the student edition does not install."""
    blocks = re.findall(r"^(?:test|hub)\s*=\s*\[(.*?)\]", pyproject, re.M | re.S)
    found = [name for block in blocks for name in re.findall(r'"([A-Za-z0-9_.\-]+)', block)]
    return {name.lower() for name in found} | {"nbval"}


def without_test_tools(text: str, tools: set[str]) -> str:
    r"""A dependency file (``environment.yml`` or ``pyproject.toml``) without the lines naming ``tools``.

    >>> env = "# 依赖与 pyproject.toml 保持一致\ndependencies:\n  - pandas>=2.0\n  - pytest>=8.0\n"
    >>> print(without_test_tools(env, {"pytest"}), end="")
    # 学生版：只安装学习课程所需的包，不含测试工具。
    dependencies:
      - pandas>=2.0
    >>> without_test_tools('dependencies = [\n    "nbval>=0.11",\n    "pandas>=2.0",\n]\n', {"nbval"})
    'dependencies = [\n    "pandas>=2.0",\n]\n'
    """
    kept = []
    for line in text.splitlines():
        item = re.match(r"""\s*(?:-\s*|")([A-Za-z0-9_.\-]+)""", line)
        if item and item.group(1).lower() in tools:
            continue
        kept.append("# 学生版：只安装学习课程所需的包，不含测试工具。" if "pyproject.toml 保持一致" in line else line)
    return "\n".join(kept) + "\n"


def build(out: Path, root: Path | None = None) -> tuple[Path, Path]:
    """Write the student edition folder and its zip under ``out``; returns (folder, zip)."""
    import yaml

    root = root or repo_dir()
    data = data_dir() if root == repo_dir() else root / "data"
    folder = out / "student-edition"
    if folder.exists():
        shutil.rmtree(folder)
    for pattern in ("*.py", "lab_settings/*.json"):               # the package and JupyterLab's course defaults
        for path in sorted((root / "course_lib").rglob(pattern)):
            _write(folder / path.relative_to(root), path.read_bytes())
    tools = tools_not_for_students((root / "pyproject.toml").read_text(encoding="utf-8"))
    for name in ("pyproject.toml", "environment.yml"):
        _write(folder / name, without_test_tools((root / name).read_text(encoding="utf-8"), tools).encode("utf-8"))
    _write(folder / "README.md", STUDENT_README.encode("utf-8"))
    for path in sorted(data.rglob("*")):
        if not path.is_file():
            continue
        rel = path.relative_to(data)
        target = folder / "data" / rel
        if rel.parts[0] in ("questions", "scenarios") and path.suffix == ".yaml":
            _write(target.with_suffix(".dat"), encode(path.read_text(encoding="utf-8")))
        elif rel.parts[0] == "exercises" and path.suffix == ".yaml":
            stripped = strip_exercises(read_yaml(path, rel.as_posix()))
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
                info.external_attr = (stat.S_IFREG | 0o644) << 16      # rw-r--r--, a regular file
                zf.writestr(info, path.read_bytes())
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)           # mkstemp made it private (0600); a zip to hand out is not
    os.replace(tmp, archive)
    return folder, archive
