"""A small local progress file: practice answers survive a kernel restart.

The file is JSON, written atomically.  Its place is ``COURSE_PROGRESS`` if set,
else ``.course_progress.json`` in the working folder (the notebook's folder).
A damaged file is set aside (``.bak``) and a fresh one started, never an error.

>>> import tempfile, pathlib
>>> store = ProgressStore(pathlib.Path(tempfile.mkdtemp()) / "p.json")
>>> store.put("quiz", "u01.q1", {"answer": "B"})
>>> ProgressStore(store.path).get("quiz", "u01.q1")
{'answer': 'B'}
"""
from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

VERSION = 1


def default_path() -> Path:
    override = os.environ.get("COURSE_PROGRESS")
    return Path(override) if override else Path.cwd() / ".course_progress.json"


class ProgressStore:
    def __init__(self, path: Path | None = None) -> None:
        self.path = Path(path) if path else default_path()
        self.notice = ""
        self._data = self._read()

    def _read(self) -> dict:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if isinstance(data, dict) and data.get("version") == VERSION:
                return data
            raise ValueError("unknown format")
        except FileNotFoundError:
            return {"version": VERSION}
        except (OSError, ValueError):
            try:
                self.path.replace(self.path.with_name(self.path.name + ".bak"))
            except OSError:
                pass
            self.notice = "作答记录文件已损坏，已另存为 .bak 备份并重新开始记录。"
            return {"version": VERSION}

    def get(self, section: str, key: str, default: Any = None) -> Any:
        return self._data.get(section, {}).get(key, default)

    def put(self, section: str, key: str, value: Any) -> None:
        """Save one entry. The file is re-read first, so several views (or notebooks)
        sharing one file never overwrite each other's entries."""
        if self.path.exists():
            fresh = self._read()
            fresh.update({k: v for k, v in self._data.items() if k not in fresh})
            self._data = fresh
        self._data.setdefault(section, {})[key] = value
        self._write()

    def _write(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".progress-", dir=self.path.parent)
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(self._data, f, ensure_ascii=False, indent=1, sort_keys=True)
            os.replace(tmp, self.path)
        except OSError:
            self.notice = "无法保存作答记录（文件夹只读？），本次作答在重启内核后不会保留。"
