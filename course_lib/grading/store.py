"""The gradebook: graded results kept in SQLite, one row per (student, unit).

Only the grader's main process writes; every :meth:`Gradebook.put` and
:meth:`Gradebook.forget` is one transaction, so an interrupted batch leaves every finished
submission stored and nothing half-written.  The reports (:mod:`.tables`, :mod:`.feedback`,
:mod:`.statistics`) are regenerated from :meth:`Gradebook.results`.

>>> from course_lib.grading.results import SubmissionResult
>>> with Gradebook(":memory:") as book:
...     book.put(SubmissionResult.rejected("x.ipynb", "ab", "文件是空的"))
...     book.results()[0].reason, book.has("ab"), book.has("ab", version="0")
('文件是空的', True, False)
"""
from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

from .results import ResultError, SubmissionResult, result_order

GRADER_VERSION = "1"
SCHEMA_VERSION = 1


class GradebookError(ValueError):
    """A gradebook file is unusable; ``str(error)`` is a Chinese message."""


def _key(result: SubmissionResult) -> tuple[str, str]:
    """(student, unit) — or ('', 'file:<path>') for a file whose student or unit is unknown."""
    return (result.student_id, result.unit) if result.student_id and result.unit else ("", "file:" + result.file)


_SCHEMA = """
CREATE TABLE IF NOT EXISTS results (
    student_key TEXT NOT NULL, unit_key TEXT NOT NULL,
    student_id TEXT NOT NULL, unit TEXT NOT NULL, file TEXT NOT NULL,
    sha256 TEXT NOT NULL, version TEXT NOT NULL, result TEXT NOT NULL,
    PRIMARY KEY (student_key, unit_key));
CREATE TABLE IF NOT EXISTS graded_files (
    file TEXT PRIMARY KEY, sha256 TEXT NOT NULL, version TEXT NOT NULL, student_id TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS graded_files_sha ON graded_files (sha256, version);
"""


class Gradebook:
    """One SQLite file of results: one row per (student, unit), each with its file's sha256
    and the grader version that produced it.

    Readers may open the same file at the same time (SQLite locking; a writer waits up to
    ``timeout`` seconds).
    """

    def __init__(self, path: str | os.PathLike, timeout: float = 30.0) -> None:
        self.path = path if str(path) == ":memory:" else Path(path)
        if isinstance(self.path, Path):
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(self.path), timeout=timeout, isolation_level=None)
        try:
            version = self._db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise GradebookError(f"成绩库 {path} 来自更新版本的评分程序（格式{version}），请升级 course_lib。")
            if version < SCHEMA_VERSION:
                self._db.executescript(_SCHEMA)
                self._db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        except sqlite3.DatabaseError as error:
            self._db.close()
            raise GradebookError(f"{path} 不是成绩库文件（SQLite）：{error}") from error
        except GradebookError:
            self._db.close()
            raise

    # -- writing
    def _transaction(self, statements: list[tuple[str, tuple]]) -> list[int]:
        counts = []
        self._db.execute("BEGIN IMMEDIATE")
        try:
            for sql, args in statements:
                counts.append(self._db.execute(sql, args).rowcount)
            self._db.execute("COMMIT")
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        return counts

    def put(self, result: SubmissionResult, version: str = GRADER_VERSION) -> None:
        """Store ``result``, replacing the row of the same student and unit (one transaction).

        A file whose student id or unit is unknown (a rejected, unidentified file) is kept
        under its path instead.  The file's path, bytes (sha256) and ``version`` are also
        remembered for :meth:`has`.
        """
        if not isinstance(result, SubmissionResult):
            raise GradebookError(f"只能保存 SubmissionResult，现在是 {type(result).__name__}。")
        student_key, unit_key = _key(result)
        try:
            text = json.dumps(result.to_json(), ensure_ascii=False, sort_keys=True, allow_nan=False)
        except ValueError as error:
            raise ResultError(f"评分结果 {result.file} 不能保存为 JSON：{error}") from error
        row = (student_key, unit_key, result.student_id, result.unit, result.file, result.sha256, str(version), text)
        self._transaction([
            ("INSERT OR REPLACE INTO results VALUES (?, ?, ?, ?, ?, ?, ?, ?)", row),
            ("INSERT OR REPLACE INTO graded_files VALUES (?, ?, ?, ?)",
             (result.file, result.sha256, str(version), result.student_id)),
        ])

    def forget(self, student_id: str) -> int:
        """Drop every result (and the resume memory) of one student, to regrade them; returns the rows removed."""
        counts = self._transaction([
            ("DELETE FROM results WHERE student_id = ?", (student_id,)),
            ("DELETE FROM graded_files WHERE student_id = ?", (student_id,)),
        ])
        return counts[0]

    # -- reading
    def has(self, sha256: str, version: str = GRADER_VERSION, file: str | None = None) -> bool:
        """True if a submission with these bytes was already graded by this grader ``version``.

        Pass ``file`` (the submission's relative path) whenever you have it: two students
        can hand in byte-identical files (e.g. the untouched student edition), and each must
        still get a row.  Every file put is remembered, also one whose row a later file of the
        same student replaced, so a resumed batch ends exactly as an uninterrupted one.
        """
        sql = "SELECT 1 FROM graded_files WHERE sha256 = ? AND version = ?"
        args: tuple = (sha256, str(version))
        if file is not None:
            sql, args = sql + " AND file = ?", args + (file,)
        return self._db.execute(sql + " LIMIT 1", args).fetchone() is not None

    def results(self, unit: str | None = None) -> list[SubmissionResult]:
        """The stored results (of one ``unit`` if given), sorted by (unit, student_id, file)."""
        if unit is None:
            rows = self._db.execute("SELECT result FROM results").fetchall()
        else:
            rows = self._db.execute("SELECT result FROM results WHERE unit = ?", (unit,)).fetchall()
        return sorted((SubmissionResult.from_json(json.loads(r[0])) for r in rows), key=result_order)

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Gradebook:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Gradebook({str(self.path)!r})"
