"""The gradebook: every graded file's result in SQLite, committed as soon as it exists.

One row per submitted *file* (a student who hands in twice has two rows; which one counts
is decided when the reports are written, by :func:`course_lib.grading.identity.resolve`).
Every :meth:`Gradebook.put` is one transaction in WAL mode with ``synchronous=FULL``: a
grader killed at any moment — Ctrl-C, SIGTERM, SIGKILL, power loss — leaves every finished
result stored and nothing half-written, and the next run resumes.  The reports are
regenerated from :meth:`Gradebook.results`, with the teacher's score overrides from the review
desk put in (:mod:`.overrides`; their own table, which ``--regrade`` and later runs leave alone).

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

from . import overrides as ov
from .results import ResultError, SubmissionResult, result_order

# A row's meaning changed → bump, and earlier rows are graded again.  "3": ``submitted`` is the
# file time in Beijing time (was the machine's local time), which late work is judged by.
GRADER_VERSION = "3"
SCHEMA_VERSION = 2

_SCHEMA = """
CREATE TABLE IF NOT EXISTS results (
    file TEXT PRIMARY KEY, sha256 TEXT NOT NULL, version TEXT NOT NULL,
    student_id TEXT NOT NULL, unit TEXT NOT NULL, result TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS results_student ON results (student_id);
CREATE TABLE IF NOT EXISTS preferences (file TEXT PRIMARY KEY);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""
# Added after schema 2 without a version bump (a bump regrades every result): created when missing.
_OVERRIDES = """
CREATE TABLE IF NOT EXISTS overrides (
    unit TEXT NOT NULL, who TEXT NOT NULL, exercise TEXT NOT NULL, score REAL NOT NULL,
    comment TEXT NOT NULL, answer_hash TEXT NOT NULL, PRIMARY KEY (unit, who, exercise));
"""


class GradebookError(ValueError):
    """A gradebook file is unusable; ``str(error)`` is a Chinese message."""


class Gradebook:
    """One SQLite file of results.  Readers may open it at the same time (a writer waits up to
    ``timeout`` seconds)."""

    def __init__(self, path: str | os.PathLike, timeout: float = 30.0) -> None:
        self.path = path if str(path) == ":memory:" else Path(path)
        if isinstance(self.path, Path):
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if self.path.exists() and not self.path.is_file():
                raise GradebookError(f"{self.path} 不是普通文件，无法用作成绩库。")
        try:
            self._db = sqlite3.connect(str(self.path), timeout=timeout, isolation_level=None)
        except sqlite3.Error as error:
            raise GradebookError(f"无法打开成绩库 {path}：{error}") from error
        try:
            version = self._db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise GradebookError(f"成绩库 {path} 来自更新版本的评分程序（格式{version}），请升级 course_lib。")
            if version < SCHEMA_VERSION:
                if version:                      # an older layout: its results are simply graded again
                    self._db.executescript("DROP TABLE IF EXISTS results; DROP TABLE IF EXISTS graded_files;")
                self._db.executescript(_SCHEMA)
                self._db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            self._db.executescript(_OVERRIDES)
            if isinstance(self.path, Path):
                self._db.execute("PRAGMA journal_mode = WAL")
            self._db.execute("PRAGMA synchronous = FULL")
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
            if self._db.in_transaction:          # a Ctrl-C just after COMMIT: committed, nothing to undo
                self._db.execute("ROLLBACK")
            raise
        return counts

    def put(self, result: SubmissionResult, version: str = GRADER_VERSION) -> None:
        """Store ``result`` (replacing an earlier result of the same file), in one transaction."""
        if not isinstance(result, SubmissionResult):
            raise GradebookError(f"只能保存 SubmissionResult，现在是 {type(result).__name__}。")
        try:
            text = json.dumps(result.to_json(), ensure_ascii=False, sort_keys=True, allow_nan=False)
        except ValueError as error:
            raise ResultError(f"评分结果 {result.file} 不能保存为 JSON：{error}") from error
        self._transaction([("INSERT OR REPLACE INTO results VALUES (?, ?, ?, ?, ?, ?)",
                            (result.file, result.sha256, str(version), result.student_id, result.unit, text))])

    def forget(self, student_id: str) -> int:
        """Drop every result of one student, to grade them again; returns the rows removed."""
        return self._transaction([("DELETE FROM results WHERE student_id = ?", (student_id,))])[0]

    def prefer(self, files) -> None:
        """Remember the files a teacher chose to count (``--prefer``); kept for later runs."""
        rows = [("INSERT OR IGNORE INTO preferences VALUES (?)", (str(f),)) for f in files]
        if rows:
            self._transaction(rows)

    def put_override(self, override: ov.Override) -> None:
        """Store a teacher's score (replacing an earlier one for the same answer key)."""
        self._transaction([("INSERT OR REPLACE INTO overrides VALUES (?, ?, ?, ?, ?, ?)",
                            (*override.key, float(override.score), override.comment, override.answer_hash))])

    def drop_override(self, unit: str, who: str, exercise: str) -> int:
        """Back to the automatic score; returns the rows removed."""
        return self._transaction([("DELETE FROM overrides WHERE unit = ? AND who = ? AND exercise = ?",
                                   (unit, who, exercise))])[0]

    def set_meta(self, key: str, value: str) -> None:
        self._transaction([("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))])

    # -- reading
    def meta(self, key: str) -> str:
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else ""

    def has(self, sha256: str, version: str = GRADER_VERSION, file: str | None = None) -> bool:
        """True if a submission with these bytes was already graded by this grader ``version``
        (at path ``file`` when given: two students' byte-identical files each get a result)."""
        sql = "SELECT 1 FROM results WHERE sha256 = ? AND version = ?"
        args: tuple = (sha256, str(version))
        if file is not None:
            sql, args = sql + " AND file = ?", args + (file,)
        return self._db.execute(sql + " LIMIT 1", args).fetchone() is not None

    def results(self, unit: str | None = None, reviewed: bool = True) -> list[SubmissionResult]:
        """The stored results (of one ``unit`` if given), sorted by (unit, student_id, file),
        with the teacher's overrides put in (``reviewed=False``: as graded automatically)."""
        if unit is None:
            rows = self._db.execute("SELECT result FROM results").fetchall()
        else:
            rows = self._db.execute("SELECT result FROM results WHERE unit = ?", (unit,)).fetchall()
        found = sorted((SubmissionResult.from_json(json.loads(r[0])) for r in rows), key=result_order)
        return ov.apply(found, self.overrides()) if reviewed else found

    def overrides(self) -> list[ov.Override]:
        rows = self._db.execute("SELECT unit, who, exercise, score, comment, answer_hash FROM overrides "
                                "ORDER BY unit, who, exercise").fetchall()
        return [ov.Override(u, w, e, float(s), c, h) for u, w, e, s, c, h in rows]

    def preferred(self) -> frozenset[str]:
        return frozenset(r[0] for r in self._db.execute("SELECT file FROM preferences"))

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Gradebook:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Gradebook({str(self.path)!r})"
