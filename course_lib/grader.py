"""Grade a folder of submitted notebooks: ``python -m course_lib grade SUBMISSIONS --out RESULTS``.

For each submission (any file names, nested folders, zip exports, several units mixed):

1. **validate** it (empty, not JSON, nbformat 3, no recognisable unit → rejected with a reason);
2. **identify** the student (学号 and 姓名 from the path) and the unit (from its cells);
3. **restore** the master: the student edition of the unit's master notebook, with only the
   submission's answer cells put in — setup and check cells, their order and the kernelspec
   come from the master, so editing, deleting or reordering them changes nothing;
4. **run** it in its own process and temporary folder (:mod:`course_lib.grade_worker`) with a
   per-cell and a per-submission time limit, capped output, a memory limit, and an audit hook
   (:mod:`course_lib.sandbox`) that stops writes outside the folder and reads of the keys.
   The kernel sees only the student edition's data (no keys); ``check()`` runs in collect mode
   and writes each answer's canonical form (plain JSON) to a file;
5. **grade** those answers here, in the grader's own process, against the master key.

Results go to an SQLite gradebook (resumable), CSV (with BOM) and .xlsx per unit, one feedback
file per student and a statistics report per unit.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from .content import load_exercises
from .exercises import show_answer
from .paths import data_dir, repo_dir

CELL_TIMEOUT = 30          # seconds per cell
SUBMISSION_TIMEOUT = 180   # seconds per submission
MAX_FILE = 20 * 1024 ** 2  # larger submissions are rejected unread
MAX_ANSWERS = 2 * 1024 ** 2
_UNIT = re.compile(r"""setup\(\s*["'](u\d\d)["']\s*\)""")
_CHECK = re.compile(r"""check\(\s*["'](u\d\d)\.e\d+["']""")
_ID = re.compile(r"(?<!\d)(\d{6,14})(?!\d)")
_NAME = re.compile(r"[\u4e00-\u9fff·]{2,6}")
_NOT_NAMES = {"作业", "提交", "课后练习", "初识电商客服", "催付与订单处理", "课程导览", "学号", "姓名", "单元", "副本"}


@dataclass
class Submission:
    rel: str                # what the teacher sees: path relative to the submissions folder
    data: bytes             # the file's bytes (read from the folder or from inside a zip)


def find_submissions(folder: Path) -> list[Submission]:
    """Every ``.ipynb`` under ``folder``, including those inside ``.zip`` files, sorted by path."""
    found = []
    for path in sorted(folder.rglob("*")):
        if ".ipynb_checkpoints" in path.parts or not path.is_file():
            continue
        rel = path.relative_to(folder).as_posix()
        if path.suffix.lower() == ".ipynb":
            data = path.read_bytes() if path.stat().st_size <= MAX_FILE else b"\0too-large"
            found.append(Submission(rel, data))
        elif path.suffix.lower() == ".zip":
            try:
                with zipfile.ZipFile(path) as zf:
                    for info in sorted(zf.infolist(), key=lambda i: i.filename):
                        if info.filename.lower().endswith(".ipynb") and ".ipynb_checkpoints" not in info.filename:
                            data = zf.read(info) if info.file_size <= MAX_FILE else b"\0too-large"
                            found.append(Submission(f"{rel}/{info.filename}", data))
            except zipfile.BadZipFile:
                found.append(Submission(rel, b"\0bad-zip"))
    return found


def identify(rel: str) -> tuple[str, str]:
    """(学号, 姓名) from a submission's path: the file name first, then its folders.

    >>> identify("班级A/20230101_张三_01.ipynb")
    ('20230101', '张三')
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


def _source(cell) -> str:
    """A cell's source as one string, whatever shape a submitted file gives it."""
    source = cell.get("source", "") if isinstance(cell, dict) else ""
    return "".join(source) if isinstance(source, list) else str(source)


def inspect(data: bytes) -> tuple[dict | None, str, str]:
    """(notebook, unit, rejection reason) of a submission's bytes."""
    if data == b"\0too-large":
        return None, "", f"文件太大（超过{MAX_FILE // 1024 ** 2} MB），不像是一份作业笔记本"
    if data == b"\0bad-zip":
        return None, "", "压缩包已损坏，无法解压"
    if not data.strip():
        return None, "", "文件是空的"
    try:
        nb = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        return None, "", "不是有效的笔记本（JSON格式错误），可能文件没有保存完整"
    if not isinstance(nb, dict) or ("cells" not in nb and "worksheets" not in nb):
        return None, "", "不是Jupyter笔记本文件"
    if nb.get("nbformat", 0) < 4 or "worksheets" in nb:
        return None, "", f"笔记本格式太旧（nbformat {nb.get('nbformat', '?')}），请用JupyterLab打开后重新保存再提交"
    cells = nb.get("cells")
    if not isinstance(cells, list):
        return None, "", "笔记本内容已损坏（没有单元格列表）"
    units: dict[str, int] = {}
    for cell in cells:
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = _source(cell)
        for unit in _UNIT.findall(source) + _CHECK.findall(source):
            units[unit] = units.get(unit, 0) + 1
        course = (cell.get("metadata") or {}).get("course") or {}
        if isinstance(course, dict) and isinstance(course.get("id"), str) and re.match(r"u\d\d\.e\d+$", course["id"]):
            unit = course["id"][:3]
            units[unit] = units.get(unit, 0) + 1
    if not units:
        return nb, "", "无法识别是哪个单元的作业（找不到setup(…)或课后练习单元格）"
    unit = max(sorted(units), key=lambda u: units[u])
    return nb, unit, ""


def restore(submission: dict, master: dict, unit: str) -> tuple[dict, list[str]]:
    """The notebook to run: the master with the submission's answer cells put in."""
    notes = []
    answers: dict[str, str] = {}
    for cell in submission.get("cells", []):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = _source(cell)
        course = (cell.get("metadata") or {}).get("course") or {}
        exercise_id = course.get("id") if isinstance(course, dict) and course.get("role") == "answer" else None
        if not isinstance(exercise_id, str):
            match = re.search(r"^answer_(e\d+)\s*=", source, re.M)
            exercise_id = f"{unit}.{match.group(1)}" if match and not _CHECK.search(source) else None
        if exercise_id:
            answers[exercise_id] = source          # the last one wins if a cell was duplicated
    restored = json.loads(json.dumps(master))
    master_checks = [_source(c) for c in restored["cells"] if c.get("metadata", {}).get("course", {}).get("role") == "check"]
    sub_checks = [_source(c) for c in submission.get("cells", []) if _CHECK.search(_source(c))]
    if sorted(s.strip() for s in sub_checks) != sorted(s.strip() for s in master_checks):
        notes.append("检查单元格被删除、重复或改动过，已用母版恢复")
    for cell in restored["cells"]:
        course = cell.get("metadata", {}).get("course", {})
        if course.get("role") == "answer":
            if course["id"] in answers:
                cell["source"] = answers[course["id"]]
            else:
                notes.append(f"找不到练习{course['id']}的答案单元格，按未作答处理")
    return restored, notes


class Grader:
    """One grading run; see the module docstring."""

    def __init__(self, out: Path, workers: int | None = None, cell_timeout: int = CELL_TIMEOUT,
                 submission_timeout: int = SUBMISSION_TIMEOUT, progress=True) -> None:
        from .gradebook import Gradebook

        self.out = out
        out.mkdir(parents=True, exist_ok=True)
        self.book = Gradebook(out / "gradebook.sqlite")
        self.workers = workers or os.cpu_count() or 2
        self.cell_timeout, self.submission_timeout = cell_timeout, submission_timeout
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
    def grade_one(self, sub: Submission) -> dict:
        student, name = identify(sub.rel)
        result = {"file": sub.rel, "sha256": hashlib.sha256(sub.data).hexdigest(), "student_id": student,
                  "name": name, "unit": "", "status": "rejected", "reason": "", "notes": [], "exercises": [],
                  "total": 0.0, "max": 0.0}
        nb, unit, reason = inspect(sub.data)
        result["unit"] = unit
        if reason:
            result["reason"] = reason
            return result
        master = self.master(unit)
        try:
            keys = load_exercises(unit)
        except Exception:  # noqa: BLE001 - a unit without a master is a rejection, not a crash
            master = None
        if master is None:
            result["reason"] = f"没有{unit}单元的母版，无法评分"
            return result
        restored, notes = restore(nb, master, unit)
        collected, run_notes, violation = self.execute(restored, sub.rel)
        result["notes"] = notes + run_notes
        if violation:
            result["reason"] = f"作业代码试图{violation}，评分已停止，请检查后重新提交"
            return result
        result["status"] = "graded"
        for q in keys.questions:
            record = collected.get(q.id)
            entry = {"id": q.id, "type": q.type, "points": q.points, "score": 0.0, "status": "unanswered",
                     "answer": "", "message": "尚未作答", "hint": q.hint, "missing": []}
            if record and record.get("status") == "recorded" and "answer" in record:
                grade = q.grade(record["answer"])
                entry["status"] = grade.status if grade.status != "recorded" else "invalid"
                entry["score"] = round(q.points * grade.fraction, 2) if grade.answered else 0.0
                entry["answer"] = (str(record["answer"])[:300] if q.type == "text"
                                   else show_answer(q, grade.canonical) if grade.answered else str(record["answer"])[:60])
                entry["message"] = grade.message
                if grade.rubric is not None:
                    entry["missing"] = [i.name for i in grade.rubric.failed_items]
            elif record and record.get("status") == "invalid":
                entry.update(status="invalid", message=str(record.get("message", ""))[:300])
            if entry["status"] == "correct":
                entry["hint"] = ""
            result["exercises"].append(entry)
        result["total"] = round(sum(e["score"] for e in result["exercises"]), 2)
        result["max"] = float(sum(q.points for q in keys.questions))
        return result

    def execute(self, nb: dict, rel: str) -> tuple[dict, list[str], str]:
        """Run a restored notebook; returns (answers by id, notes, violation or '')."""
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
        proc = subprocess.Popen([sys.executable, "-m", "course_lib.grade_worker", str(notebook), str(status_path),
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
            raw = answers.read_bytes()[:MAX_ANSWERS].decode("utf-8", "replace")
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
        return collected, notes, violation

    # -- the whole folder ------------------------------------------------------------------------
    def run(self, submissions: Path, regrade: str | None = None) -> list[dict]:
        from .gradebook import GRADER_VERSION

        self.submissions = submissions.resolve()
        subs = find_submissions(submissions)
        if regrade:
            self.book.forget(regrade)
        todo = [s for s in subs if not self.book.has(hashlib.sha256(s.data).hexdigest(), GRADER_VERSION, file=s.rel)
                or (regrade and identify(s.rel)[0] == regrade)]
        done = len(subs) - len(todo)
        if todo:
            self.edition()
        results: dict[str, dict] = {}
        count = [0]

        def task(sub: Submission) -> None:
            try:
                result = self.grade_one(sub)
            except Exception as error:  # noqa: BLE001 - one bad file never stops the batch
                student, name = identify(sub.rel)
                result = {"file": sub.rel, "sha256": hashlib.sha256(sub.data).hexdigest(), "student_id": student,
                          "name": name, "unit": "", "status": "rejected", "notes": [], "exercises": [],
                          "reason": f"评分程序无法处理这个文件（{type(error).__name__}）", "total": 0.0, "max": 0.0}
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
        from . import gradebook

        results = self.book.results()
        for unit in sorted({r["unit"] for r in results if r["unit"]}):
            gradebook.export_csv(results, self.out / f"成绩_{unit}.csv", unit)
            gradebook.export_xlsx(results, self.out / f"成绩_{unit}.xlsx", unit)
            gradebook.write_report(results, self.out / "统计", unit)
        gradebook.write_feedback(results, self.out / "反馈")
        print(gradebook.summary_line(results))


def main(submissions: Path, out: Path, workers: int | None = None, regrade: str | None = None,
         cell_timeout: int = CELL_TIMEOUT, submission_timeout: int = SUBMISSION_TIMEOUT) -> int:
    grader = Grader(out, workers, cell_timeout, submission_timeout)
    try:
        grader.run(submissions, regrade)
    finally:
        grader.book.close()
    return 0
