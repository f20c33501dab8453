"""Finding handed-in notebooks and checking they can be graded.

Submissions are read into memory, never extracted: a zip from a learning platform is read
entry by entry with limits on each entry's and the whole archive's uncompressed size and on
the compression ratio (a zip bomb is refused, not unpacked), and links — in the folder or
in a zip — are refused, never followed.

>>> inspect(Submission("a.ipynb", b"")).reason
'文件是空的'
"""
from __future__ import annotations

import hashlib
import json
import re
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ..notebook.cells import cell_source, course_meta
from ..settings import standards
from .identity import uploader_id
from .late import beijing

UNIT_CALL = re.compile(r"""setup\(\s*["'](u\d\d)["']\s*\)""")
CHECK_CALL = re.compile(r"""check\(\s*["'](u\d\d)\.e\d+["']""")
MAX_RATIO = 100                  # uncompressed ÷ compressed size of one zip entry
MAX_ARCHIVE = 512 * 1024 ** 2    # uncompressed bytes of all the notebooks in one zip
MAX_ENTRIES = 5000
ARCHIVES = (".zip", ".rar", ".7z", ".tar", ".gz", ".tgz", ".bz2", ".xz")
UNOPENED = "这是{}，评分程序不打开它，里面的作业没有评分：请解压后把 .ipynb 文件放进作业文件夹"


@dataclass(frozen=True)
class Submission:
    """One handed-in file: ``rel`` is what the teacher sees (its path in the folder, or
    ``archive.zip/inner/path``), ``data`` its bytes, ``submitted`` its modification time (Beijing time, see
    :mod:`.late`; for a zip entry the time stored in the zip, or the zip's own time when the zip sits
    in a student's upload folder).
    A file that was not read says why in ``unreadable`` and has no bytes; ``digest``
    identifies it then."""

    rel: str
    data: bytes = b""
    unreadable: str = ""
    digest: str = ""
    submitted: str = ""

    @property
    def sha256(self) -> str:
        return self.digest or hashlib.sha256(self.data).hexdigest()


def _too_large() -> str:
    return f"文件太大（超过{standards().max_submission_bytes // 1024 ** 2} MB），不像是一份作业笔记本"


def _file_digest(path: Path) -> str:
    sha = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            sha.update(block)
    return sha.hexdigest()


def _when(seconds: float) -> str:
    return beijing(seconds)


def _is_notebook(name: str) -> bool:
    return name.lower().endswith(".ipynb") and ".ipynb_checkpoints" not in name


def _from_zip(path: Path, rel: str, mtime: float) -> list[Submission]:
    limit = standards().max_submission_bytes
    found, total = [], 0
    # a zip in a student's upload folder is the student's own file, and so are the times stored in it:
    # its notebooks were handed in when the zip was (a learning platform's export keeps its entries' times)
    uploaded = _when(mtime) if uploader_id(rel) else ""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = sorted(zf.infolist(), key=lambda i: i.filename)
            if len(infos) > MAX_ENTRIES:
                return [Submission(rel, unreadable=f"压缩包里的文件太多（{len(infos)}个），不像是作业导出",
                                   digest=_file_digest(path))]
            nested = [i for i in infos if i.filename.lower().endswith(ARCHIVES) and not i.is_dir()]
            if nested:                                     # listed once per zip, never opened
                first = nested[0]
                what = "压缩包里的压缩包" + (f"（这个压缩包里共有{len(nested)}个）" if len(nested) > 1 else "")
                found.append(Submission(f"{rel}/{first.filename}", unreadable=UNOPENED.format(what),
                                        digest=f"{first.CRC:08x}-{first.file_size}", submitted=uploaded))
            for info in infos:
                inner = f"{rel}/{info.filename}"
                if not _is_notebook(info.filename):
                    continue
                year, month, day, hour, minute, second = info.date_time
                when = uploaded or f"{year:04d}-{month:02d}-{day:02d} {hour:02d}:{minute:02d}:{second:02d}"
                digest = f"{info.CRC:08x}-{info.file_size}"
                mode = info.external_attr >> 16
                if stat.S_ISLNK(mode):
                    found.append(Submission(inner, unreadable="压缩包里的这一项是链接，不是文件，已拒收", digest=digest,
                                            submitted=when))
                elif info.file_size > limit:
                    found.append(Submission(inner, unreadable=_too_large(), digest=digest, submitted=when))
                elif info.compress_size and info.file_size / info.compress_size > MAX_RATIO:
                    found.append(Submission(inner, unreadable="压缩比异常（可能是“压缩炸弹”），已拒收", digest=digest,
                                            submitted=when))
                elif total + info.file_size > MAX_ARCHIVE:
                    found.append(Submission(inner, unreadable="压缩包解压后太大，后面的文件不再读取", digest=digest,
                                            submitted=when))
                else:
                    with zf.open(info) as member:
                        data = member.read(limit + 1)
                    total += len(data)
                    found.append(Submission(inner, data, submitted=when) if len(data) <= limit
                                 else Submission(inner, unreadable=_too_large(), digest=digest, submitted=when))
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError):
        return [Submission(rel, unreadable="压缩包已损坏，无法解压", digest=_file_digest(path))]
    return found


def readable_name(rel: str) -> str:
    """A path as the teacher can read it.  A name the file system could not decode arrives with
    stand-in characters that no report, table or database can store: its bytes are read as UTF-8
    (the grader runs in a C locale), else as GBK (a zip made on Chinese Windows, unpacked on Linux),
    else shown with � where even that fails.

    >>> readable_name(b"20240002_\\xc0\\xee\\xcb\\xc4_01.ipynb".decode("utf-8", "surrogateescape"))
    '20240002_李四_01.ipynb'
    >>> readable_name("20240001_张三_01.ipynb")
    '20240001_张三_01.ipynb'
    >>> readable_name("20240001_张三_01.ipynb".encode("utf-8").decode("ascii", "surrogateescape"))   # a C locale
    '20240001_张三_01.ipynb'
    """
    try:
        rel.encode("utf-8")
        return rel
    except UnicodeEncodeError:
        raw = rel.encode("utf-8", "surrogateescape")
    for encoding in ("utf-8", "gbk"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            pass
    return raw.decode("utf-8", "replace")


def _walk(folder: Path):
    """Every path under ``folder`` (sorted), without following links into other folders."""
    import os

    for root, dirs, files in os.walk(folder, followlinks=False):
        dirs[:] = sorted(d for d in dirs if d != ".ipynb_checkpoints")
        here = Path(root)
        for name in sorted(files) + [d for d in dirs if (here / d).is_symlink()]:
            yield here / name


def find_submissions(folder: Path) -> list[Submission]:
    """Every ``.ipynb`` under ``folder``, including those inside ``.zip`` files, sorted by path.

    Links are never followed: a linked notebook, zip or folder is reported, not read.
    """
    limit = standards().max_submission_bytes
    found = []
    for path in sorted(_walk(folder)):
        rel = readable_name(path.relative_to(folder).as_posix())
        if path.is_symlink():
            found.append(Submission(rel, unreadable="这是一个链接（快捷方式），不是文件，已拒收",
                                    digest=hashlib.sha256(rel.encode("utf-8")).hexdigest()))
            continue
        try:
            info = path.lstat()
        except OSError:
            continue
        if path.suffix.lower() == ".ipynb":
            when = _when(info.st_mtime)
            if not stat.S_ISREG(info.st_mode):
                found.append(Submission(rel, unreadable="不是普通文件，已拒收",
                                        digest=hashlib.sha256(rel.encode("utf-8")).hexdigest(), submitted=when))
            elif info.st_size > limit:
                found.append(Submission(rel, unreadable=_too_large(), digest=_file_digest(path), submitted=when))
            else:
                found.append(Submission(rel, path.read_bytes(), submitted=when))
        elif path.suffix.lower() == ".zip" and stat.S_ISREG(info.st_mode):
            found += _from_zip(path, rel, info.st_mtime)
        elif path.name.lower().endswith(ARCHIVES) and stat.S_ISREG(info.st_mode):
            found.append(Submission(rel, unreadable=UNOPENED.format(f"{path.suffix.lower()}格式的压缩包"),
                                    digest=_file_digest(path), submitted=_when(info.st_mtime)))
    return found


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
    except (UnicodeDecodeError, ValueError, RecursionError):
        return Inspection(None, "", "不是有效的笔记本（JSON格式错误），可能文件没有保存完整")
    if not isinstance(nb, dict) or ("cells" not in nb and "worksheets" not in nb):
        return Inspection(None, "", "不是Jupyter笔记本文件")
    if not isinstance(nb.get("nbformat", 0), int) or nb.get("nbformat", 0) < 4 or "worksheets" in nb:
        return Inspection(None, "", f"笔记本格式太旧（nbformat {str(nb.get('nbformat', '?'))[:10]}），"
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
