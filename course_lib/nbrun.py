"""Execute master notebooks and store clean, reproducible outputs.

``python -m course_lib run notebooks/01_intro.ipynb`` runs the notebook in its
own folder with a throw-away progress file, then stores the outputs without
widget model ids or timing metadata, so nbval can compare them strictly.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


def clean_outputs(nb) -> None:
    """Drop widget views and volatile metadata from an executed notebook, in place."""
    nb.metadata.pop("widgets", None)
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type != "code":
            continue
        kept = []
        for out in cell.get("outputs", []):
            data = out.get("data")
            if data is not None:
                data.pop(WIDGET_VIEW, None)
                if not data:
                    continue
            kept.append(out)
        cell.outputs = kept


def execute(path: Path, timeout: int = 120, env: dict | None = None) -> None:
    """Run ``path`` top to bottom in student mode and write it back with clean outputs."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    with tempfile.TemporaryDirectory() as tmp:
        saved = {k: os.environ.get(k) for k in ("COURSE_PROGRESS", "COURSE_MODE")}
        os.environ["COURSE_PROGRESS"] = str(Path(tmp) / "progress.json")
        os.environ.pop("COURSE_MODE", None)
        os.environ.update(env or {})
        try:
            client = NotebookClient(nb, timeout=timeout, kernel_name="python3", record_timing=False,
                                    resources={"metadata": {"path": str(path.parent)}})
            client.execute()
        finally:
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
    clean_outputs(nb)
    nbformat.write(nb, path)
