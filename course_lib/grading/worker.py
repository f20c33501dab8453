"""Run one restored submission in its own process (started by :mod:`course_lib.grading.grader`).

``python -m course_lib.grading.worker NOTEBOOK STATUS_JSON CELL_TIMEOUT`` executes the
notebook with nbclient in its folder (errors allowed, a cell that runs too long is
interrupted, outputs capped and thrown away) and writes what happened to STATUS_JSON.
The answers themselves are appended by the kernel's ``check()`` calls in collect mode.
Memory and file-size limits are set here and inherited by the kernel.
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from ..notebook.runner import run_notebook
from ..settings import standards


def _limits() -> None:
    try:
        import resource
    except ImportError:  # Windows: no limits, the grader's time limit still applies
        return
    limits = standards()
    for kind, value in ((resource.RLIMIT_AS, limits.memory_limit_bytes), (resource.RLIMIT_FSIZE, limits.file_limit_bytes)):
        try:
            resource.setrlimit(kind, (value, value))
        except (ValueError, OSError):
            pass


def run(notebook: Path, status_path: Path, cell_timeout: int) -> dict:
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    cap = standards().output_cap

    class CappedClient(NotebookClient):
        """Keeps at most ``standards().output_cap`` characters of output per cell."""

        async def _async_handle_timeout(self, timeout, cell=None):
            if cell is not None:
                status["timeouts"].append(code_index.get(next(
                    (i for i, c in enumerate(nb.cells) if c is cell), -1), -1) + 1)
            return await super()._async_handle_timeout(timeout, cell)

        def output(self, outs, msg, display_id, cell_index):
            content = msg.get("content", {})
            incoming = len(str(content.get("text", ""))) + len(json.dumps(content.get("data", {})))
            size = incoming + sum(len(json.dumps(o.get("data", o.get("text", "")))) for o in outs)
            if size > cap:
                status["huge_output"].add(cell_index)
                return None
            return super().output(outs, msg, display_id, cell_index)

    status: dict = {"errors": [], "timeouts": [], "died_at": None, "huge_output": set()}
    nb = nbformat.read(notebook, as_version=4)
    code_index = {i: n for n, i in enumerate(i for i, c in enumerate(nb.cells) if c.cell_type == "code")}
    try:
        run_notebook(nb, notebook.parent, timeout=cell_timeout, env=dict(os.environ), client_class=CappedClient,
                     allow_errors=True, interrupt_on_timeout=True, startup_timeout=60,
                     error_on_timeout={"ename": "CellTimeoutError", "evalue": "单元格运行超时", "traceback": []})
    except DeadKernelError:
        done = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and c.get("execution_count")]
        status["died_at"] = code_index.get(max(done), 0) + 1 if done else 0
    except CellTimeoutError:
        pass                                   # recorded by _async_handle_timeout
    except Exception as error:  # reported to the grader, never raised further
        status["errors"].append([-1, type(error).__name__])
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error" and out.get("ename") not in ("CellTimeoutError", "KeyboardInterrupt"):
                status["errors"].append([code_index[i] + 1, out.get("ename", "Error")])
    status["huge_output"] = sorted(code_index.get(i, 0) + 1 for i in status["huge_output"])
    status_path.write_text(json.dumps(status, ensure_ascii=False), encoding="utf-8")
    return status


def main(argv: list[str]) -> int:
    _limits()
    # the kernel (not this process) gets the sandbox: sitecustomize turns it on at interpreter start
    if "COURSE_SANDBOX_BOX" in os.environ:
        os.environ["COURSE_SANDBOX_ROOT"] = os.environ.pop("COURSE_SANDBOX_BOX")
    run(Path(argv[0]), Path(argv[1]), int(argv[2]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
