"""Grade a folder of submitted notebooks: ``python -m course_lib grade SUBMISSIONS --out RESULTS``.

For each submission (any file names, nested folders, zip exports, several units mixed):

1. **find and check** it (:mod:`.submissions`: empty, not JSON, nbformat 3, links, zip bombs,
   no recognisable unit → rejected with a reason) and **identify** the student
   (:mod:`.identity`: the same rule every time, an optional roster);
2. **restore** the master: the student edition of the unit's master notebook with only the
   submission's answer cells put in — setup and check cells come from the master, so editing,
   deleting or reordering them changes nothing;
3. **run** it (:mod:`.pool`, :mod:`.zygote`): on Linux with bubblewrap in its own sandbox
   that sees only the student edition and the interpreter, in a child confined to its own
   namespaces as ``nobody`` (:mod:`.jail`); ``check()`` runs in collect mode and reports each
   answer's canonical form — no key ever enters the sandbox;
4. **grade** those answers here, in the grader's own process, against the master key, and
   **commit** the result to the gradebook at once — an interrupted batch keeps every finished
   submission and the next run resumes.

The reports (成绩表 CSV and .xlsx, per-student feedback, statistics, ``需要确认.md``) are
regenerated from the gradebook at the end of every run.
"""
from __future__ import annotations

import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from dataclasses import replace
from pathlib import Path

from ..content.banks import load_exercises
from ..notebook.cells import restore_master
from ..settings import data_dir, repo_dir, standards
from . import reports
from .identity import Roster, identify
from .late import Deadlines
from .per_student import SKIPPED, beyond_the_limit
from .pool import Zygote, ZygoteError
from .results import ExerciseResult, SubmissionResult
from .sandbox import Isolation, choose
from .store import GRADER_VERSION, Gradebook
from .submissions import CHECK_CALL, Submission, find_submissions, inspect


class Grader:
    """One grading run; see the module docstring."""

    def __init__(self, out: Path, submissions: Path, workers: int | None = None, cell_timeout: int | None = None,
                 submission_timeout: int | None = None, progress: bool = True, roster: Roster | None = None,
                 show_answers: bool = False, prefer: tuple[str, ...] = (), require_full: bool = False,
                 deadlines: Deadlines | None = None) -> None:
        self.out = out
        self.require_full = require_full
        self.submissions = submissions.resolve()
        out.mkdir(parents=True, exist_ok=True)
        self.book = Gradebook(out / "gradebook.sqlite")
        self.workers = max(1, workers or os.cpu_count() or 2)
        limits = standards()
        self.cell_timeout = cell_timeout or limits.cell_timeout
        self.submission_timeout = submission_timeout or limits.submission_timeout
        self.progress = progress
        self.roster = roster
        self.show_answers = show_answers
        self.book.prefer(prefer)
        if roster is not None:                    # remembered for the reports the review desk regenerates
            self.book.set_meta("roster", roster.to_json())
        if deadlines is not None:                 # remembered: later runs and reports use the same ones
            self.book.set_meta("deadlines", deadlines.to_json())
        self.scratch: Path | None = None
        self.isolation: Isolation | None = None
        self._edition: Path | None = None
        self._masters: dict[str, dict | None] = {}
        self.cpu_seconds = 0.0            # CPU used by the zygotes and the submissions they ran

    # -- shared set-up ---------------------------------------------------------------------
    def prepare(self) -> None:
        """Build the student edition (no keys) and matplotlib's font list; choose the isolation."""
        from .release import build

        self.scratch = Path(tempfile.mkdtemp(prefix="course-grade-"))
        os.chmod(self.scratch, 0o755)
        folder, _ = build(self.scratch / "edition")
        self._edition = folder
        mpl = self.scratch / "mpl"
        mpl.mkdir()
        subprocess.run([sys.executable, "-c", "import matplotlib.font_manager"], check=False, capture_output=True,
                       env={**os.environ, "MPLCONFIGDIR": str(mpl)})
        for path in [self.scratch, *self.scratch.rglob("*")]:
            os.chmod(path, 0o755 if path.is_dir() else 0o644)
        protected = (repo_dir(), data_dir(), self.out.resolve(), self.submissions)
        self.isolation = choose(folder, mpl, protected)
        if self.require_full and not self.isolation.full:
            raise ZygoteError(f"要求完整隔离，但这里做不到：{self.isolation.reason}")

    def master(self, unit: str) -> dict | None:
        if unit not in self._masters:
            path = next(iter(sorted((self._edition / "notebooks").glob(f"{unit[1:]}_*.ipynb"))), None)
            self._masters[unit] = json.loads(path.read_text(encoding="utf-8")) if path else None
        return self._masters[unit]

    # -- one submission ----------------------------------------------------------------------
    def grade_one(self, sub: Submission, zygote: Zygote) -> SubmissionResult:
        who = identify(sub.rel, self.roster)
        found = inspect(sub)
        known = dict(student_id=who.student_id, name=who.name, unit=found.unit, notes=who.notes,
                     identified=who.identified, submitted=sub.submitted)
        if found.reason:
            return SubmissionResult.rejected(sub.rel, sub.sha256, found.reason, **known)
        master = self.master(found.unit)
        try:
            keys = load_exercises(found.unit)
        except ValueError:                        # a unit without a master is a rejection, not a crash
            master = None
        if master is None:
            return SubmissionResult.rejected(sub.rel, sub.sha256, f"没有{found.unit}单元的母版，无法评分", **known)
        restored, restore_notes = restore_master(found.notebook, master, found.unit, CHECK_CALL)
        answer = zygote.run(self.job(restored))
        if answer.get("failed"):
            return SubmissionResult.rejected(sub.rel, sub.sha256, f"评分程序无法运行这份作业（{answer['failed']}）",
                                             **known)
        answers, run_notes, setup_error = self.read_records(answer, restored)
        if setup_error:
            return SubmissionResult.rejected(sub.rel, sub.sha256, f"评分环境出错（{setup_error}），请把这份作业交给老师",
                                             **known)
        known["notes"] = tuple(known["notes"]) + tuple(restore_notes) + tuple(run_notes)
        exercises = [grade_exercise(q, answers.get(q.id)) for q in keys.questions]
        return SubmissionResult(sub.rel, sub.sha256, **known).with_exercises(
            exercises, sum(q.points for q in keys.questions))

    def job(self, nb: dict) -> dict:
        limits = standards()
        cells = [[n, cell_text(c)] for n, c in enumerate((c for c in nb["cells"] if c.get("cell_type") == "code"), 1)]
        return {"cells": cells, "cell_timeout": self.cell_timeout, "timeout": self.submission_timeout,
                "output_cap": limits.output_cap, "max_bytes": limits.max_answers_bytes,
                "deny": [str(p) for p in (repo_dir(), data_dir(), self.out.resolve(), self.submissions)],
                "limits": {"memory_bytes": limits.memory_limit_bytes, "file_bytes": limits.file_limit_bytes,
                           "cpu_seconds": self.submission_timeout + 10}}

    def read_records(self, answer: dict, nb: dict) -> tuple[dict, list[str], str]:
        """(answers by exercise id, notes for the teacher, a setup error or '') from a job's records."""
        answers, errors, timeouts, started, done, huge, setup_error = {}, [], set(), 0, False, False, ""
        for record in answer["records"]:
            if isinstance(record.get("id"), str):
                answers[record["id"][:30]] = record
            elif record.get("done") is True:
                done = True
            elif isinstance(record.get("cell"), int):
                n = record["cell"]
                if n == -1 and record.get("where") == "setup":
                    # the runner writes an exception's class name; the submission can write to the same pipe,
                    # so anything else (a message to the teacher) is not shown as the grader's words
                    error = str(record.get("error", ""))
                    setup_error = error[:60] if error.isascii() and error.isidentifier() else "记录无法识别"
                elif record.get("start"):
                    started = max(started, n)
                elif record.get("timeout"):
                    timeouts.add(n)
                elif record.get("huge_output"):
                    huge = True
                elif isinstance(record.get("error"), str) and len(errors) < 5:
                    errors.append((n, record["error"][:60]))
        notes = []
        if answer.get("timed_out"):
            notes.append(f"整份作业运行超过{self.submission_timeout}秒（或超出内存），已强制停止；已运行部分的答案照常评分")
        elif not done:
            notes.append(f"程序在第{started}个代码单元格附近退出（例如调用了os._exit），之后的练习按未作答处理")
        notes += [f"第{n}个代码单元格运行超过{self.cell_timeout}秒，已中断" for n in sorted(timeouts)]
        notes += [f"第{n}个代码单元格出错（{name}）" for n, name in errors if n not in timeouts]
        if huge:
            notes.append("有单元格输出过多，多余部分已丢弃")
        if answer.get("truncated"):
            notes.append("作业输出的答案记录太多，多余部分已丢弃")
        return answers, notes, setup_error

    # -- the whole folder ------------------------------------------------------------------------
    def run(self, regrade: str | None = None) -> list[SubmissionResult]:
        subs = find_submissions(self.submissions)
        if regrade:
            self.book.forget(regrade)
        deadlines = Deadlines.from_json(self.book.meta("deadlines")) or Deadlines()
        skipped = beyond_the_limit(subs, standards().max_files_per_unit, self.roster,
                                   reports.submission_time(deadlines), self.book.preferred())
        was_skipped = {r.file for r in self.book.results(reviewed=False) if r.reason.startswith(SKIPPED)}
        for result in skipped.values():             # listed, never run; a file graded before keeps its grade
            if not self.book.has(result.sha256, GRADER_VERSION, file=result.file):
                self.book.put(result)
        todo = [s for s in subs if s.rel not in skipped
                and (s.rel in was_skipped or not self.book.has(s.sha256, GRADER_VERSION, file=s.rel))]
        done_before = len(subs) - len(todo)
        interrupted = False
        if todo:
            self.prepare()
            self.say(self.isolation.description if self.isolation.full else self.isolation.warning)
            try:
                self._grade_all(todo, done_before, len(subs))
            except KeyboardInterrupt:
                interrupted = True
        self.export()
        if self.scratch is not None:
            shutil.rmtree(self.scratch, ignore_errors=True)
        if interrupted:
            self.say("评分已中断：已经评完的作业都保存在成绩库里，再次运行同一命令会接着评。")
            raise KeyboardInterrupt
        return self.book.results()

    def _grade_all(self, todo: list[Submission], done_before: int, total: int) -> None:
        jobs: queue.Queue = queue.Queue()
        for sub in todo:
            jobs.put(sub)
        finished: queue.Queue = queue.Queue()
        stop = threading.Event()
        zygotes = [Zygote(self.isolation, self._edition, self.scratch, n) for n in range(min(self.workers, len(todo)))]

        def work(zygote: Zygote) -> None:
            try:
                while not stop.is_set():
                    try:
                        sub = jobs.get_nowait()
                    except queue.Empty:
                        return
                    try:
                        result = self.grade_one(sub, zygote)
                    except ZygoteError as error:
                        result = SubmissionResult.rejected(sub.rel, sub.sha256, str(error), submitted=sub.submitted)
                    except Exception as error:  # one bad file never stops the batch
                        result = SubmissionResult.rejected(
                            sub.rel, sub.sha256, f"评分程序无法处理这个文件（{type(error).__name__}）",
                            submitted=sub.submitted)
                    if not result.unit or result.identified is False or not result.student_id:
                        who = identify(sub.rel, self.roster)
                        result = replace(result, student_id=result.student_id or who.student_id,
                                         name=result.name or who.name, identified=who.identified and result.identified)
                    finished.put(result)
            finally:
                zygote.close()
                finished.put(None)

        threads = [threading.Thread(target=work, args=(z,), daemon=True) for z in zygotes]
        previous = signal.getsignal(signal.SIGTERM) if threading.current_thread() is threading.main_thread() else None
        if previous is not None:
            signal.signal(signal.SIGTERM, _interrupt)
        try:
            for t in threads:
                t.start()
            running, count = len(threads), done_before
            self._show(count, total)
            while running:
                result = finished.get()
                if result is None:
                    running -= 1
                    continue
                self.book.put(result)                    # committed at once: nothing lost on a crash
                count += 1
                self._show(count, total)
        finally:
            stop.set()
            for z in zygotes:
                z.close()
                self.cpu_seconds += z.cpu_seconds
            missing = sorted({z.group_missing for z in zygotes} - {""})
            if self.isolation.full and zygotes:
                self.isolation = replace(self.isolation, groups=(
                    f"没有用上控制组（{missing[0]}）：同时评的几份作业共用内存和CPU，一份占满了会拖慢同学，"
                    "可以用 --workers 1 一份一份评" if missing else
                    "每个评分进程有自己的控制组：同时评的几份作业内存各算各的、CPU平分"))
            for t in threads:
                t.join(timeout=30)
            if previous is not None:
                signal.signal(signal.SIGTERM, previous)
            if self.progress:
                print(file=sys.stderr)

    def _show(self, n: int, total: int) -> None:
        if not self.progress or not total:
            return
        if sys.stderr.isatty():
            filled = int(30 * n / total)
            print(f"\r评分中 [{'#' * filled}{'-' * (30 - filled)}] {n}/{total}", end="", file=sys.stderr, flush=True)
        elif n == total or n % max(1, total // 10) == 0:
            print(f"评分进度：{n}/{total}", file=sys.stderr, flush=True)

    def say(self, text: str) -> None:
        if text:
            reports.say(text)

    def export(self) -> None:
        reports.write_all(self.book, self.out, self.roster, self.isolation, show_answers=self.show_answers)


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def cell_text(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def grade_exercise(q, record: dict | None) -> ExerciseResult:
    """Grade one collected answer record (``None`` when the exercise was not answered)."""
    if record and record.get("status") == "recorded" and "answer" in record:
        grade = q.grade(record["answer"])
        status = grade.status if grade.status != "recorded" else "invalid"
        shown = (str(record["answer"])[:300] if q.free_text
                 else q.show(grade.canonical) if grade.answered else str(record["answer"])[:60])
        missing = tuple(i.name for i in grade.rubric.failed_items) if grade.rubric is not None else ()
        return ExerciseResult(q.id, q.type, q.points, round(q.points * grade.fraction, 2) if grade.answered else 0.0,
                              status, shown, grade.message, "" if status == "correct" else q.hint, missing)
    if record and record.get("status") == "invalid":
        return ExerciseResult(q.id, q.type, q.points, 0.0, "invalid", "", str(record.get("message", ""))[:300], q.hint)
    return ExerciseResult(q.id, q.type, q.points, hint=q.hint)


def main(submissions: Path, out: Path, workers: int | None = None, regrade: str | None = None,
         cell_timeout: int | None = None, submission_timeout: int | None = None, roster: Roster | None = None,
         show_answers: bool = False, prefer: tuple[str, ...] = (), deadlines: Deadlines | None = None) -> int:
    grader = Grader(out, submissions, workers, cell_timeout, submission_timeout, roster=roster,
                    show_answers=show_answers, prefer=prefer, deadlines=deadlines)
    try:
        grader.run(regrade)
    except KeyboardInterrupt:
        return 130
    finally:
        grader.book.close()
    return 0
