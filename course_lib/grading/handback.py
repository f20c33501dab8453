"""Feedback release: ``python -m course_lib feedback 评分结果… --out 发回 [--zip] [--show-answers]``.

One folder (or, with ``--zip``, one zip) per student, named ``<学号>_<姓名>``, holding the
feedback of each unit they handed in (``反馈_<单元>.md``, regenerated from the gradebook,
with the submission time and any late penalty), ready to upload to the learning platform
student by student.  No key unless ``--show-answers`` (after the deadline).  Names are safe
on every system whatever a student's name or file name holds (:func:`safe_part`); zip
entries are plain files (0644) with fixed times, so the same results give the same bytes.
Files that could not be matched to a student are not released; ``发放说明.md`` lists them.

Re-running into the same folder replaces what the earlier run wrote (listed in
``发放说明.md``'s companion ``.发放清单.json``) and touches nothing else; a folder holding
other files is refused.

>>> safe_part("CON"), safe_part("../张三"), safe_part("a\\x1b[31mb"), safe_part("  ")
('_CON', '_张三', 'a[31mb', '_')
"""
from __future__ import annotations

import hashlib
import io
import json
import shutil
import unicodedata
import zipfile
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..files import safe_name, write_atomic
from .collect import collect
from .feedback import feedback_text, plain
from .identity import Roster
from .late import Deadlines
from .reports import answer_keys

README = "发放说明.md"
MANIFEST = ".发放清单.json"
ZIP_TIME = (2025, 1, 1, 0, 0, 0)
PART = 40
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


class HandbackError(ValueError):
    """The release cannot be written; ``str(error)`` is a Chinese message."""


def safe_part(text: str) -> str:
    """``text`` as one safe file-name part: no control characters, separators or characters
    Windows refuses, not ``.``/``..`` or a reserved device name, at most 40 characters (a long
    one keeps its start and a short hash), never empty."""
    text = safe_name(plain(unicodedata.normalize("NFC", text))).strip()
    text = text.lstrip(".") if text.strip(".") else ""
    if len(text) > PART:
        text = text[:PART - 9] + "…" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]
    if not text or text.split(".")[0].upper() in _RESERVED:
        text = "_" + text
    return text


@dataclass
class Release:
    """What was written: a path per student (folder or zip) and the files not released."""

    students: dict[str, Path] = field(default_factory=dict)
    unmatched: list[str] = field(default_factory=list)


def _files(results, keys, deadlines: Deadlines) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    deadlines = replace(deadlines, labelled=False)      # students see their file's own path, not the folder's
    for r in sorted((replace(r, file=r.file.split("/", 1)[-1]) for r in results), key=lambda r: (r.unit, r.file)):
        name = f"反馈_{safe_part(r.unit or '未知单元')}.md"
        n = 1
        while name in files:
            n += 1
            name = f"反馈_{safe_part(r.unit or '未知单元')}_{n}.md"
        files[name] = feedback_text(r, keys, deadlines).encode("utf-8")
    return files


def _zip(folder: str, files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in sorted(files.items()):
            info = zipfile.ZipInfo(f"{folder}/{name}", ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o100644 << 16          # a regular file, rw-r--r--
            info.create_system = 3                       # unix, so the mode is read
            zf.writestr(info, data)
    return buffer.getvalue()


def _prepare(out: Path) -> list[str]:
    """Check ``out`` may be written; returns the entries an earlier release wrote."""
    if out.exists() and not out.is_dir():
        raise HandbackError(f"{out} 不是文件夹。")
    if not out.exists() or not any(out.iterdir()):
        return []
    try:
        earlier = json.loads((out / MANIFEST).read_text(encoding="utf-8"))["entries"]
    except (OSError, ValueError, KeyError, TypeError):
        raise HandbackError(f"{out} 里已经有别的文件：请换一个空文件夹（或上次发放反馈的文件夹）。") from None
    return [e for e in earlier if isinstance(e, str) and e == safe_part(e)]


def release(folders: list[Path], out: Path, roster: Roster | None = None, as_zip: bool = False,
            show_answers: bool = False) -> Release:
    """Write the feedback release of the grading results in ``folders`` into ``out``."""
    earlier = _prepare(out)
    collected = collect(folders, roster)
    counted = collected.resolution.counted
    units = sorted({r.unit for r in counted if r.unit})
    keys = answer_keys(units) if show_answers else None
    by_student: dict[tuple[str, str], list] = {}
    done = Release()
    for r in counted:
        if r.identified and r.student_id:
            by_student.setdefault((r.student_id, r.name), []).append(r)
        else:
            done.unmatched.append(r.file.split("/", 1)[-1])
    for stale in earlier:                        # only what the earlier release wrote
        target = out / stale
        if target.is_dir() and not target.is_symlink():
            shutil.rmtree(target)
        elif target.is_file() or target.is_symlink():
            target.unlink()
    names: set[str] = set()
    for (sid, name), results in sorted(by_student.items()):
        folder = "_".join(p for p in (safe_part(sid), safe_part(name) if name else "") if p)
        while folder in names:
            folder += "_2"
        names.add(folder)
        files = _files(results, keys, collected.deadlines)
        if as_zip:
            done.students[sid] = write_atomic(out / f"{folder}.zip", _zip(folder, files))
        else:
            for file_name, data in files.items():
                write_atomic(out / folder / file_name, data)
            done.students[sid] = out / folder
    entries = sorted(p.name for p in done.students.values())
    write_atomic(out / MANIFEST, json.dumps({"entries": entries}, ensure_ascii=False, indent=1).encode("utf-8"))
    write_atomic(out / README, readme_text(done, units, show_answers, as_zip).encode("utf-8"))
    return done


def readme_text(done: Release, units: list[str], show_answers: bool, as_zip: bool) -> str:
    kind = "压缩包" if as_zip else "文件夹"
    lines = ["# 反馈发放说明", "",
             f"- 共{len(done.students)}名学生，每人一个{kind}（学号_姓名），内含已交单元（{'、'.join(units) or '无'}）的反馈。",
             "- " + ("**含参考答案**（--show-answers）：请在截止日期以后再发。" if show_answers else "不含参考答案。"),
             "- 通过教学平台逐个发给学生；请不要把整个文件夹发给全班。", ""]
    if done.unmatched:
        lines += [f"## 没有发放：认不出是谁的文件（{len(done.unmatched)}份）", "",
                  *(f"- `{plain(f).replace('`', chr(39))}`" for f in done.unmatched), ""]
    return "\n".join(lines)


def hand_back(folders: list[Path], out: Path, roster: Path | None = None, as_zip: bool = False,
              show_answers: bool = False) -> str:
    """``python -m course_lib feedback``: write the folders (or zips), return the line to show.
    A teacher's mistake raises ``HandbackError``, ``CollectError`` or ``RosterError`` (one Chinese sentence)."""
    from .collect import CollectError
    from .identity import read_roster

    missing = [f for f in folders if not Path(f).is_dir()]
    if missing:
        raise CollectError(f"找不到评分结果文件夹：{Path(missing[0]).as_posix()}")
    done = release(folders, out, read_roster(roster) if roster else None, as_zip, show_answers)
    return (f"反馈发放：{len(done.students)}名学生，写入 {out.as_posix()}" + ("（含参考答案）" if show_answers else "")
            + (f"；{len(done.unmatched)}份认不出是谁的，见{README}" if done.unmatched else ""))
