"""Grade a folder of submitted notebooks: ``python -m course_lib grade SUBMISSIONS --out RESULTS``.

For each submission (any file names, nested folders, zip exports, several units mixed):

1. **validate** it (empty, not JSON, nbformat 3, no recognisable unit → rejected with a reason);
2. **identify** the student (学号 and 姓名 from the path) and the unit (from its cells);
3. **restore** the master: the student edition of the unit's master notebook, with only the
   submission's answer cells put in — setup and check cells, their order and the kernelspec
   come from the master, so editing, deleting or reordering them changes nothing;
4. **run** it in its own process and temporary folder (:mod:`course_lib.grading.worker`) with a
   per-cell and a per-submission time limit, capped output, a memory limit, and an audit hook
   (:mod:`course_lib.grading.sandbox`) that stops writes outside the folder and reads of the keys.
   The kernel sees only the student edition's data (no keys); ``check()`` runs in collect mode
   and writes each answer's canonical form (plain JSON) to a file;
5. **grade** those answers here, in the grader's own process, against the master key.

Results go to an SQLite gradebook (resumable), CSV (with BOM) and .xlsx per unit, one feedback
file per student and a statistics report per unit.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from ..content.banks import load_exercises
from ..notebook.cells import restore_master
from ..settings import data_dir, repo_dir, standards
from . import feedback, statistics, tables
from .results import CollectedAnswers, ExerciseResult, SubmissionResult
from .store import GRADER_VERSION, Gradebook
from .submissions import CHECK_CALL, Submission, find_submissions, identify, inspect


class Grader:
    """One grading run; see the module docstring."""

    def __init__(self, out: Path, submissions: Path, workers: int | None = None, cell_timeout: int | None = None,
                 submission_timeout: int | None = None, progress: bool = True) -> None:
        self.out = out
        self.submissions = submissions.resolve()
        out.mkdir(parents=True, exist_ok=True)
        self.book = Gradebook(out / "gradebook.sqlite")
        self.workers = workers or os.cpu_count() or 2
        self.cell_timeout = cell_timeout or standards().cell_timeout
        self.submission_timeout = submission_timeout or standards().submission_timeout
        self.progress = progress
        self.scratch = Path(tempfile.mkdtemp(prefix="course-grade-"))
        self._edition: Path | None = None
        self._lock = threading.Lock()

    # -- shared set-up ---------------------------------------------------------------------
    def edition(self) -> Path:
        """The student edition (no keys) the kernels use, built once per run, with a font cache."""
        if self._edition is None:
            from .release import build

            folder, _ = build(self.scratch / "edition")
            subprocess.run([sys.executable, "-m", "compileall", "-q", str(folder / "course_lib")], check=False,
                           capture_output=True)
            (self.scratch / "mpl").mkdir()
            subprocess.run([sys.executable, "-c", "import matplotlib.font_manager"], check=False,
                           env={**os.environ, "MPLCONFIGDIR": str(self.scratch / "mpl")}, capture_output=True)
            self._edition = folder
        return self._edition

    def master(self, unit: str) -> dict | None:
        path = next(iter(sorted((self.edition() / "notebooks").glob(f"{unit[1:]}_*.ipynb"))), None)
        return json.loads(path.read_text(encoding="utf-8")) if path else None

    # -- one submission ----------------------------------------------------------------------
    def grade_one(self, sub: Submission) -> SubmissionResult:
        student, name = identify(sub.rel)
        found = inspect(sub)
        known = dict(student_id=student, name=name, unit=found.unit)
        if found.reason:
            return SubmissionResult.rejected(sub.rel, sub.sha256, found.reason, **known)
        master = self.master(found.unit)
        try:
            keys = load_exercises(found.unit)
        except ValueError:                        # a unit without a master is a rejection, not a crash
            master = None
        if master is None:
            return SubmissionResult.rejected(sub.rel, sub.sha256, f"没有{found.unit}单元的母版，无法评分", **known)
        restored, notes = restore_master(found.notebook, master, found.unit, CHECK_CALL)
        run = self.execute(restored)
        notes = tuple(notes + run.notes)
        if run.violation:
            return SubmissionResult.rejected(sub.rel, sub.sha256, f"作业代码试图{run.violation}，评分已停止，请检查后重新提交",
                                             notes=notes, **known)
        exercises = [grade_exercise(q, run.answers.get(q.id)) for q in keys.questions]
        result = SubmissionResult(sub.rel, sub.sha256, notes=notes, **known)
        return result.with_exercises(exercises, sum(q.points for q in keys.questions))

    def execute(self, nb: dict) -> CollectedAnswers:
        """Run a restored notebook; returns the answers by id, notes, and a violation or ''."""
        box = Path(tempfile.mkdtemp(prefix="sub-", dir=self.scratch))
        for sub in ("home", "tmp", "ipython", "runtime"):
            (box / sub).mkdir()
        notebook = box / "submission.ipynb"
        notebook.write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")
        answers, status_path = box / "answers.jsonl", self.scratch / f"{box.name}.status.json"
        edition = self.edition()
        sandbox = Path(__file__).resolve().parent / "sandbox"
        env = {"PATH": os.environ.get("PATH", ""), "HOME": str(box / "home"), "TMPDIR": str(box / "tmp"),
               "IPYTHONDIR": str(box / "ipython"), "JUPYTER_RUNTIME_DIR": str(box / "runtime"),
               "MPLCONFIGDIR": str(self.scratch / "mpl"), "MPLBACKEND": "Agg", "PYTHONDONTWRITEBYTECODE": "1",
               "PYTHONPATH": os.pathsep.join([str(edition), str(sandbox)]), "COURSE_MODE": "collect",
               "COURSE_ANSWERS": str(answers), "COURSE_DATA": str(edition / "data"),
               "COURSE_PROGRESS": str(box / "progress.json"), "COURSE_SANDBOX_BOX": str(box),
               "COURSE_SANDBOX_ALLOW": str(self.scratch / "mpl"),
               "COURSE_SANDBOX_DENY": os.pathsep.join(str(p) for p in (
                   repo_dir() / "data", repo_dir() / "notebooks", data_dir(), self.out, self.submissions))}
        for key in ("LANG", "LC_ALL", "SYSTEMROOT", "VIRTUAL_ENV"):
            if key in os.environ:
                env[key] = os.environ[key]
        notes: list[str] = []
        stderr = b""
        proc = subprocess.Popen([sys.executable, "-m", "course_lib.grading.worker", str(notebook), str(status_path),
                                 str(self.cell_timeout)], cwd=box, env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, start_new_session=True)
        try:
            _, stderr = proc.communicate(timeout=self.submission_timeout)
        except subprocess.TimeoutExpired:
            notes.append(f"整份作业运行超过{self.submission_timeout}秒，已强制停止；已运行部分的答案照常评分")
        finally:
            try:
                os.killpg(proc.pid, signal.SIGKILL)      # the worker and its kernel
            except (ProcessLookupError, PermissionError, AttributeError):
                pass
            proc.wait()
        violation = ""
        for line in stderr.decode("utf-8", "replace").splitlines():
            if line.startswith("COURSE-SANDBOX-VIOLATION\t"):
                violation = line.split("\t")[1]
                break
        try:
            status = json.loads(status_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            status = {}
        if status.get("died_at") is not None:
            notes.append(f"程序在第{status['died_at']}个代码单元格附近退出（例如调用了os._exit），之后的练习按未作答处理")
        for n in sorted(set(status.get("timeouts", []))):
            notes.append(f"第{n}个代码单元格运行超过{self.cell_timeout}秒，已中断")
        for n, name in status.get("errors", [])[:5]:
            notes.append(f"第{n}个代码单元格出错（{name}）")
        if status.get("huge_output"):
            notes.append("有单元格输出过多，多余部分已丢弃")
        collected: dict = {}
        try:
            raw = answers.read_bytes()[:standards().max_answers_bytes].decode("utf-8", "replace")
        except OSError:
            raw = ""
        for line in raw.splitlines():
            try:
                record = json.loads(line)
            except ValueError:
                continue
            if isinstance(record, dict) and isinstance(record.get("id"), str):
                collected[record["id"]] = record
        shutil.rmtree(box, ignore_errors=True)
        return CollectedAnswers(collected, notes, violation)

    # -- the whole folder ------------------------------------------------------------------------
    def run(self, regrade: str | None = None) -> list[SubmissionResult]:
        subs = find_submissions(self.submissions)
        if regrade:
            self.book.forget(regrade)
        todo = [s for s in subs if not self.book.has(s.sha256, GRADER_VERSION, file=s.rel)
                or (regrade and identify(s.rel)[0] == regrade)]
        done = len(subs) - len(todo)
        if todo:
            self.edition()
        results: dict[str, SubmissionResult] = {}
        count = [0]

        def task(sub: Submission) -> None:
            try:
                result = self.grade_one(sub)
            except Exception as error:  # one bad file never stops the batch
                student, name = identify(sub.rel)
                result = SubmissionResult.rejected(sub.rel, sub.sha256, f"评分程序无法处理这个文件（{type(error).__name__}）",
                                                   student_id=student, name=name)
            with self._lock:
                results[sub.rel] = result
                count[0] += 1
                self._show(done + count[0], len(subs))

        self._show(done, len(subs))
        with ThreadPoolExecutor(max_workers=self.workers) as pool:
            list(pool.map(task, todo))
        for rel in sorted(results):                   # the main thread writes, in a fixed order
            self.book.put(results[rel])
        if self.progress:
            print(file=sys.stderr)
        self.export()
        shutil.rmtree(self.scratch, ignore_errors=True)
        return self.book.results()

    def _show(self, n: int, total: int) -> None:
        if not self.progress or not total:
            return
        filled = int(30 * n / total)
        print(f"\r评分中 [{'#' * filled}{'-' * (30 - filled)}] {n}/{total}", end="", file=sys.stderr, flush=True)

    def export(self) -> None:
        results = self.book.results()
        for unit in sorted({r.unit for r in results if r.unit}):
            tables.export_csv(results, self.out / f"成绩_{unit}.csv", unit)
            tables.export_xlsx(results, self.out / f"成绩_{unit}.xlsx", unit)
            statistics.write_report(results, self.out / "统计", unit)
        feedback.write_feedback(results, self.out / "反馈")
        print(statistics.summary_line(results))


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
         cell_timeout: int | None = None, submission_timeout: int | None = None) -> int:
    grader = Grader(out, submissions, workers, cell_timeout, submission_timeout)
    try:
        grader.run(regrade)
    finally:
        grader.book.close()
    return 0
