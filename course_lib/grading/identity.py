"""Whose submission is this? The same rule every time, an optional roster, and nothing merged silently.

**The rule** (stated in every ``需要确认.md``):

1. A 学号 is a run of 6–14 digits (full-width digits count: ``２０２３０１０１`` is
   ``20230101``).  The folder a file sits in wins over the file's own name: learning
   platforms put each student's upload in a folder named after the student
   (``张三_20230101_assignsubmission_file_/…``), so the folder says who uploaded it.
   When the file name names another 学号, the folder still decides and the conflict is
   reported; so does a folder of another 学号 (of the same length) that a student put inside
   their own folder: the outer folder decides.
2. With a roster (``--roster 名单.csv`` or ``.xlsx``, columns 学号 and 姓名) only roster
   学号 count; a file whose path names no roster 学号 but exactly one roster 姓名 is
   matched by name; anything else is reported as unidentified.
3. One student, one unit, several files: the **latest submission time** counts — a time a
   learning platform wrote into the file name (see :mod:`.late`), else the modification time
   (ties: the path that sorts last); the teacher can choose another with ``--prefer 文件``.
   The others are listed, never silently dropped.

>>> student_id_of("班级A/２０２３０１０１_张三_01.ipynb")
('20230101', '')
>>> student_id_of("赵六_20240004_assignsubmission_file_/20250301_李四_01.ipynb")
('20240004', '文件名中的学号20250301与所在文件夹的学号20240004不一致，按文件夹记为20240004')
"""
from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath

from .results import SubmissionResult

_ID = re.compile(r"(?<!\d)(\d{6,14})(?!\d)")
_NAME = re.compile(r"[\u4e00-\u9fff·]{2,6}")
_NOT_NAMES = {"作业", "提交", "课后练习", "初识电商客服", "催付与订单处理", "课程导览", "学号", "姓名", "单元", "副本",
              "教学平台导出", "班级", "第一次", "第二次"}
ID_COLUMNS = ("学号", "学生学号", "学生编号", "id")
NAME_COLUMNS = ("姓名", "学生姓名", "name")
CLASS_COLUMNS = ("班级", "班级名称", "行政班", "class")
RULE = ("认定规则：学号是路径中6–14位的数字（全角数字按半角算）；文件所在文件夹的学号优先于文件名（教学平台按学生建文件夹）；"
        "学生上传文件夹里的压缩包和子文件夹都算上传者的，压缩包的名字、里面的文件夹和套在里面的别人学号的文件夹都不能改认到别人名下；"
        "有名单时只认名单上的学号，路径中没有名单学号但恰好有一个名单姓名的按姓名认定；同一学生同一单元交了多份时，"
        "按提交时间（文件名中教学平台记录的时间，没有时用文件修改时间）取最新的一份计分（可用 --prefer 指定），其余各份在这里列出。")


class RosterError(ValueError):
    """The roster cannot be read; ``str(error)`` is a Chinese message."""


def normalize(text: str) -> str:
    """NFKC: full-width digits and letters become half-width."""
    return unicodedata.normalize("NFKC", text)


def _ids(parts) -> list[str]:
    return [m.group(1) for p in parts for m in [_ID.search(p)] if m]


def first_zip(parts) -> int | None:
    """The index of the first folder part that is a zip (``a/b.zip/c.ipynb`` → 1), ``None`` when there is none."""
    return next((i for i, p in enumerate(parts[:-1]) if p.lower().endswith(".zip")), None)


def folder_ids(rel: str) -> list[str]:
    """The 学号 of the folders a submission sits in outside any zip, outermost first.

    >>> folder_ids("20240009/1000000000_李四/01_intro.ipynb")
    ['20240009', '1000000000']
    """
    parts = PurePosixPath(rel).parts
    at = first_zip(parts)
    return _ids(normalize(p) for p in parts[:len(parts) - 1 if at is None else at])


def uploader_id(rel: str) -> str:
    """The 学号 of the nearest folder a submission sits in *outside* any zip (the folders the teacher or
    the learning platform made); '' when they name none.

    >>> uploader_id("赵六_20240004_assignsubmission_file_/张三.zip/20240001/01.ipynb")
    '20240004'
    """
    ids = folder_ids(rel)
    return ids[-1] if ids else ""


def student_id_of(rel: str) -> tuple[str, str]:
    """(学号 or '', a note about a conflict or '') from a submission's path: folders first.

    A zip inside a student's upload folder is the student's own file: neither its name nor the
    folders inside it can hand the notebook to someone else.

    >>> student_id_of("赵六_20240004_assignsubmission_file_/张三.zip/20240001/01_intro.ipynb")
    ('20240004', '压缩包里的学号20240001与上传者文件夹的学号20240004不一致，按文件夹记为20240004')

    Folders inside a student's folder (an unpacked upload) cannot hand the notebook on either; a
    class folder with a code of another length (``230101_电商1班/20240001_张三/``) is no student's:

    >>> student_id_of("20240001_张三/我的作业/20240002_李四/01_intro.ipynb")[0]
    '20240001'
    >>> student_id_of("230101_电商1班/20240001_张三/01_intro.ipynb")
    ('20240001', '')
    """
    parts = [normalize(PurePosixPath(p).stem) for p in PurePosixPath(rel).parts]
    file_id = (_ID.search(parts[-1]) or [None, None])[1] if parts else None
    uploader = uploader_id(rel)
    inside = _ids(parts[:-1])
    if uploader and first_zip(PurePosixPath(rel).parts) is not None:
        other = next((i for i in [*inside, file_id] if i and i != uploader), None)
        return uploader, (f"压缩包里的学号{other}与上传者文件夹的学号{uploader}不一致，按文件夹记为{uploader}" if other else "")
    folder_id = inside[-1] if inside else None              # the folder nearest the file
    outer = next((i for i in inside if folder_id and i != folder_id and len(i) == len(folder_id)), None)
    if outer:       # a folder of another 学号 inside a student's folder: the upload folder (outermost) decides
        return outer, f"文件夹{outer}里套着学号{folder_id}的文件夹，两个学号不一致，按外层文件夹记为{outer}"
    if folder_id and file_id and folder_id != file_id:
        return folder_id, f"文件名中的学号{file_id}与所在文件夹的学号{folder_id}不一致，按文件夹记为{folder_id}"
    return folder_id or file_id or "", ""


def names_in(rel: str) -> list[str]:
    """Chinese names in a path, nearest folder first, then the file name."""
    parts = [normalize(PurePosixPath(p).stem) for p in PurePosixPath(rel).parts]
    ordered = list(reversed(parts[:-1])) + parts[-1:]
    return [n for p in ordered for n in _NAME.findall(p) if n not in _NOT_NAMES]


@dataclass(frozen=True)
class Roster:
    """The class list: 学号 → 姓名, and 学号 → 班级 when the roster has a 班级 column."""

    names: dict[str, str]
    classes: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> str:
        """The roster as JSON text, for the gradebook to remember (later reports use it)."""
        return json.dumps({"names": self.names, "classes": self.classes}, ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Roster | None:
        """The roster remembered by :meth:`to_json` (``None`` for none or unreadable text).

        >>> Roster.from_json(Roster({"2023": "张三"}).to_json()).names, Roster.from_json("")
        ({'2023': '张三'}, None)
        """
        try:
            data = json.loads(text)
            return cls({str(k): str(v) for k, v in data["names"].items()},
                       {str(k): str(v) for k, v in data.get("classes", {}).items()})
        except (ValueError, TypeError, KeyError, AttributeError):
            return None


def read_table(path: Path, what: str = "名单") -> list[list[str]]:
    """The rows of a CSV (UTF-8 with or without BOM, or GBK) or an .xlsx, every cell as stripped text."""
    if not path.is_file():
        raise RosterError(f"找不到{what}文件：{path}")
    if path.suffix.lower() == ".xlsx":
        try:
            from openpyxl import load_workbook

            sheet = load_workbook(path, read_only=True, data_only=True).active
            rows = [[("" if v is None else str(v)).strip() for v in row] for row in sheet.iter_rows(values_only=True)]
        except Exception as error:  # any damaged workbook: one Chinese line
            raise RosterError(f"{what} {path.name} 无法读取（{type(error).__name__}），请另存为 .xlsx 或 .csv。") from None
    else:
        raw = path.read_bytes()
        for encoding in ("utf-8-sig", "gbk"):
            try:
                text = raw.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise RosterError(f"{what} {path.name} 的编码无法识别，请用UTF-8或GBK保存。")
        rows = [[c.strip() for c in row] for row in csv.reader(io.StringIO(text))]
    if not rows:
        raise RosterError(f"{what} {path.name} 是空的。")
    return rows


def clean_id(text: str) -> str:
    """A 学号 cell as text: full-width digits made half-width, Excel's ``.0`` removed."""
    sid = normalize(text).strip()
    return sid[:-2] if sid.endswith(".0") and sid[:-2].isdigit() else sid


def column(header: list[str], names: tuple[str, ...]) -> int | None:
    """The index of the first of ``names`` found in ``header`` (normalized, lower case)."""
    header = [normalize(c).strip().lower() for c in header]
    return next((header.index(c) for c in names if c in header), None)


def read_roster(path: Path) -> Roster:
    """A roster from a CSV (UTF-8 with or without BOM, or GBK) or an .xlsx; 学号 kept as text.
    An optional 班级 column puts each student in a class (one 总评 table per class)."""
    rows = read_table(path)
    id_col, name_col, class_col = (column(rows[0], c) for c in (ID_COLUMNS, NAME_COLUMNS, CLASS_COLUMNS))
    if id_col is None or name_col is None:
        raise RosterError(f"名单 {path.name} 的第一行应有“学号”和“姓名”两列。")
    names: dict[str, str] = {}
    classes: dict[str, str] = {}
    for number, row in enumerate(rows[1:], 2):
        if len(row) <= max(id_col, name_col) or not row[id_col]:
            continue
        sid = clean_id(row[id_col])
        if sid in names:
            raise RosterError(f"名单 {path.name} 第{number}行：学号{sid}重复了。")
        names[sid] = normalize(row[name_col]).strip()
        if class_col is not None and len(row) > class_col and row[class_col]:
            classes[sid] = normalize(row[class_col]).strip()
    if not names:
        raise RosterError(f"名单 {path.name} 里没有学生。")
    return Roster(names, classes)


@dataclass(frozen=True)
class Identity:
    """Who a file belongs to, and what the teacher should check."""

    student_id: str
    name: str
    notes: tuple[str, ...] = ()
    identified: bool = True


def identify(rel: str, roster: Roster | None = None) -> Identity:
    """The student of ``rel`` by the rule in the module docstring.

    >>> identify("班级A/20230101_张三_01.ipynb")
    Identity(student_id='20230101', name='张三', notes=(), identified=True)
    >>> identify("作业.ipynb").identified
    False
    """
    sid, conflict = student_id_of(rel)
    names = names_in(rel)
    notes = (conflict,) if conflict else ()
    if roster is None:
        if not sid:
            return Identity(PurePosixPath(rel).stem, names[0] if names else "", ("路径中找不到学号",), False)
        return Identity(sid, names[0] if names else "", notes)
    if sid not in roster.names:       # a roster 学号 in an outer folder (the uploader's) decides before any name
        outer = next((i for i in folder_ids(rel) if i in roster.names), None)
        if outer:
            notes += (f"学号{sid or '（无）'}不在名单上，文件在名单上学号{outer}的文件夹里，两个学号不一致，按文件夹记为{outer}",)
            sid = outer
    if sid in roster.names:
        shown = roster.names[sid]
        if names and shown not in names:
            notes += (f"路径中的姓名{names[0]}与名单上学号{sid}的姓名{shown}不同，按学号记为{shown}",)
        return Identity(sid, shown, notes)
    path_text = normalize(rel)
    matches = sorted(sid for sid, n in roster.names.items() if n and n in path_text)
    if len(matches) == 1:
        return Identity(matches[0], roster.names[matches[0]],
                        notes + ((f"学号{sid}不在名单上，" if sid else "路径中没有学号，") + f"按姓名认定为{matches[0]}",))
    reason = f"学号{sid}不在名单上" if sid else "路径中找不到名单上的学号"
    if len(matches) > 1:
        reason += f"，姓名对应名单上的多个学号（{'、'.join(matches)}）"
    return Identity(sid or PurePosixPath(rel).stem, names[0] if names else "", notes + (reason,), False)


@dataclass
class Resolution:
    """The results that count (one per student and unit), plus what the teacher must check."""

    counted: list[SubmissionResult] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    missing: dict[str, list[tuple[str, str]]] = field(default_factory=dict)


def resolve(results: list[SubmissionResult], roster: Roster | None = None,
            preferred: frozenset[str] = frozenset(), when=None) -> Resolution:
    """Pick the counted result of each (student, unit) and list every case worth a look.

    ``results`` hold their identity already (``student_id``, ``name``, ``notes``);
    unidentified and unit-less files are kept as they are.  ``when(result)`` is the
    submission time as ``YYYY-MM-DD HH:MM:SS`` (default: ``result.submitted``).
    """
    when = when or (lambda r: r.submitted)
    out = Resolution()
    groups: dict[tuple[str, str], list[SubmissionResult]] = {}
    for r in sorted(results, key=lambda r: r.file):
        if r.identified and r.unit:
            groups.setdefault((r.student_id, r.unit), []).append(r)
        else:
            out.counted.append(r)
            if not r.identified:
                out.problems.append(f"无法确定是谁的作业：{r.file}（{'；'.join(r.notes) or '路径中找不到学号'}）")
    for (sid, unit), files in sorted(groups.items()):
        for r in files:
            for note in r.notes:
                if "不一致" in note or "不同" in note or "认定" in note:
                    out.problems.append(f"{r.file}：{note}")
        if len(files) == 1:
            out.counted.append(files[0])
            continue
        chosen = next((r for r in files if r.file in preferred), None)
        how = "老师指定（--prefer）"
        if chosen is None:
            chosen = max(files, key=lambda r: (when(r), r.file))
            how = "提交时间最新"
        others = [r for r in files if r is not chosen]
        listing = "；".join(f"{r.file}（{when(r) or '时间未知'}）" for r in others)
        note = f"共交了{len(files)}份，按{how}计分：{chosen.file}；未计分：{listing}"
        if chosen.graded and any(o.graded and o.total > chosen.total for o in others):
            note += "（注意：计分的这份比未计分的某一份得分低）"
        out.counted.append(replace(chosen, notes=chosen.notes + (note,)))
        out.problems.append(f"学号{sid}（{chosen.name or '姓名未知'}）单元{unit}：{note}")
    if roster is not None:
        units = sorted({r.unit for r in out.counted if r.unit})
        handed = {(r.student_id, r.unit) for r in out.counted if r.identified}
        for unit in units:
            out.missing[unit] = [(sid, n) for sid, n in sorted(roster.names.items()) if (sid, unit) not in handed]
    out.counted.sort(key=lambda r: (r.unit, r.student_id, r.file))
    return out
