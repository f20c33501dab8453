"""Finding handed-in notebooks, telling whose they are, and checking they can be graded.

>>> identify("班级A/20230101_张三_01.ipynb")
('20230101', '张三')
>>> inspect(Submission("a.ipynb", b"")).reason
'文件是空的'
"""
from __future__ import annotations

import hashlib
import json
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ..notebook.cells import cell_source, course_meta
from ..settings import standards

UNIT_CALL = re.compile(r"""setup\(\s*["'](u\d\d)["']\s*\)""")
CHECK_CALL = re.compile(r"""check\(\s*["'](u\d\d)\.e\d+["']""")
_ID = re.compile(r"(?<!\d)(\d{6,14})(?!\d)")
_NAME = re.compile(r"[\u4e00-\u9fff·]{2,6}")
_NOT_NAMES = {"作业", "提交", "课后练习", "初识电商客服", "催付与订单处理", "课程导览", "学号", "姓名", "单元", "副本"}


@dataclass(frozen=True)
class Submission:
    """One handed-in file: ``rel`` is what the teacher sees (its path in the folder, or
    ``archive.zip/inner/path``), ``data`` its bytes.  A file that was not read says why in
    ``unreadable`` (too large, a damaged zip) and has no bytes.  ``sha256`` identifies the
    file's content (of the file itself when its bytes were not kept)."""

    rel: str
    data: bytes = b""
    unreadable: str = ""
    digest: str = ""

    @property
    def sha256(self) -> str:
        return self.digest or hashlib.sha256(self.data).hexdigest()


def _file_digest(path: Path) -> str:
    sha = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            sha.update(block)
    return sha.hexdigest()


def _too_large() -> str:
    return f"文件太大（超过{standards().max_submission_bytes // 1024 ** 2} MB），不像是一份作业笔记本"


def find_submissions(folder: Path) -> list[Submission]:
    """Every ``.ipynb`` under ``folder``, including those inside ``.zip`` files, sorted by path."""
    limit = standards().max_submission_bytes
    found = []
    for path in sorted(folder.rglob("*")):
        if ".ipynb_checkpoints" in path.parts or not path.is_file():
            continue
        rel = path.relative_to(folder).as_posix()
        if path.suffix.lower() == ".ipynb":
            found.append(Submission(rel, path.read_bytes()) if path.stat().st_size <= limit
                         else Submission(rel, unreadable=_too_large(), digest=_file_digest(path)))
        elif path.suffix.lower() == ".zip":
            try:
                with zipfile.ZipFile(path) as zf:
                    for info in sorted(zf.infolist(), key=lambda i: i.filename):
                        if info.filename.lower().endswith(".ipynb") and ".ipynb_checkpoints" not in info.filename:
                            inner = f"{rel}/{info.filename}"
                            found.append(Submission(inner, zf.read(info)) if info.file_size <= limit
                                         else Submission(inner, unreadable=_too_large(),
                                                         digest=f"{info.CRC:08x}-{info.file_size}"))
            except zipfile.BadZipFile:
                found.append(Submission(rel, unreadable="压缩包已损坏，无法解压", digest=_file_digest(path)))
    return found


def identify(rel: str) -> tuple[str, str]:
    """(学号, 姓名) from a submission's path: the file name first, then its folders.

    >>> identify("李四_20230102_assignsubmission_file_/01_intro.ipynb")
    ('20230102', '李四')
    >>> identify("王五的作业.ipynb")
    ('王五的作业', '王五的作业')
    """
    parts = [Path(p).stem for p in reversed(Path(rel).parts)]
    student = next((m.group(1) for p in parts for m in [_ID.search(p)] if m), "")
    name = next((n for p in parts for n in _NAME.findall(p) if n not in _NOT_NAMES), "")
    if not student:
        student = Path(rel).stem
    return student, name


@dataclass(frozen=True)
class Inspection:
    """A submission's notebook (``None`` when rejected), its unit and the rejection reason."""

    notebook: dict | None
    unit: str
    reason: str


def inspect(sub: Submission) -> Inspection:
    """Read a submission and find its unit; ``reason`` says why it cannot be graded."""
    if sub.unreadable:
        return Inspection(None, "", sub.unreadable)
    data = sub.data
    if not data.strip():
        return Inspection(None, "", "文件是空的")
    try:
        nb = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        return Inspection(None, "", "不是有效的笔记本（JSON格式错误），可能文件没有保存完整")
    if not isinstance(nb, dict) or ("cells" not in nb and "worksheets" not in nb):
        return Inspection(None, "", "不是Jupyter笔记本文件")
    if nb.get("nbformat", 0) < 4 or "worksheets" in nb:
        return Inspection(None, "", f"笔记本格式太旧（nbformat {nb.get('nbformat', '?')}），"
                                    "请用JupyterLab打开后重新保存再提交")
    cells = nb.get("cells")
    if not isinstance(cells, list):
        return Inspection(None, "", "笔记本内容已损坏（没有单元格列表）")
    units: dict[str, int] = {}
    for cell in cells:
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell_source(cell)
        for unit in UNIT_CALL.findall(source) + CHECK_CALL.findall(source):
            units[unit] = units.get(unit, 0) + 1
        exercise_id = course_meta(cell).get("id")
        if isinstance(exercise_id, str) and re.match(r"u\d\d\.e\d+$", exercise_id):
            units[exercise_id[:3]] = units.get(exercise_id[:3], 0) + 1
    if not units:
        return Inspection(nb, "", "无法识别是哪个单元的作业（找不到setup(…)或课后练习单元格）")
    return Inspection(nb, max(sorted(units), key=lambda u: units[u]), "")
