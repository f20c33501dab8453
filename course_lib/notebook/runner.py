"""The one notebook runner: execute a notebook top to bottom in a fresh kernel.

Used by ``python -m course_lib run`` (:func:`execute`: store clean, reproducible outputs in
the master), by the offline export (student edition, keeping the widget state) and by the
grader's worker (errors allowed, outputs capped).  The kernel always gets a throw-away
progress file and starts in student mode unless ``env`` says otherwise.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from ..settings import ENV_MODE, ENV_PROGRESS
from .cells import clean_outputs


def run_notebook(nb, folder: Path, timeout: int = 120, env: dict | None = None, client_class=None,
                 **options):
    """Execute ``nb`` (an nbformat node) in place, with ``folder`` as the working directory.

    ``env`` adds to (or overrides) the kernel's environment; ``options`` go to the
    ``NotebookClient`` (e.g. ``store_widget_state=True``, ``allow_errors=True``).
    """
    from nbclient import NotebookClient

    client_class = client_class or NotebookClient
    with tempfile.TemporaryDirectory() as tmp:
        kernel_env = {k: v for k, v in os.environ.items() if k != ENV_MODE}
        kernel_env[ENV_PROGRESS] = str(Path(tmp) / "progress.json")
        kernel_env.update(env or {})
        options.setdefault("kernel_name", "python3")
        options.setdefault("record_timing", False)
        client = client_class(nb, timeout=timeout, resources={"metadata": {"path": str(folder)}}, **options)
        client.execute(env=kernel_env)
    return nb


def execute(path: Path, timeout: int = 120, env: dict | None = None) -> None:
    """Run ``path`` top to bottom in student mode and write it back with clean outputs."""
    import nbformat

    nb = nbformat.read(path, as_version=4)
    run_notebook(nb, path.parent, timeout=timeout, env=env)
    clean_outputs(nb)
    nbformat.write(nb, path)
