"""Benchmark (measured, not asserted): in a real JupyterLab in headless Chromium, the time from
opening a notebook to its widgets being usable (Run All done and the first quiz's 「提交」 and the
role-play's 「开始接待」 buttons visible).

Run: ``python benchmarks/bench_browser.py`` (needs Debian's chromium and playwright).
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def main() -> None:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        shutil.copytree(REPO / "notebooks", tmp / "notebooks")
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        env = {**os.environ, "JUPYTERLAB_SETTINGS_DIR": str(tmp / "settings"), "JUPYTER_CONFIG_DIR": str(tmp / "cfg"),
               "COURSE_PROGRESS": str(tmp / "p.json")}
        server = subprocess.Popen([sys.executable, "-m", "jupyter", "lab", "--no-browser", "--allow-root",
                                   "--ip=127.0.0.1", f"--port={port}", "--IdentityProvider.token=b",
                                   f"--ServerApp.root_dir={tmp}", "--LabApp.expose_app_in_browser=True"],
                                  env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            for _ in range(120):
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/api/status?token=b", timeout=2)
                    break
                except OSError:
                    time.sleep(0.5)
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
                for path in sorted((REPO / "notebooks").glob("[0-9][0-9]_*.ipynb")):
                    page = browser.new_page(viewport={"width": 1400, "height": 1000})
                    start = time.perf_counter()
                    page.goto(f"http://127.0.0.1:{port}/lab/tree/notebooks/{path.name}?token=b&reset")
                    page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell.currentWidget"
                                           " && window.jupyterapp.shell.currentWidget.sessionContext"
                                           " && window.jupyterapp.shell.currentWidget.sessionContext.isReady",
                                           timeout=120_000)
                    opened = time.perf_counter() - start
                    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
                    page.locator(".course-quiz-card button", has_text="提交").first.wait_for(timeout=120_000)
                    page.locator(".course-roleplay button", has_text="开始接待").first.wait_for(timeout=120_000)
                    usable = time.perf_counter() - start
                    print(f"{path.name}: kernel ready {opened:.1f} s after opening; widgets usable after {usable:.1f} s")
                    page.close()
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=20)


if __name__ == "__main__":
    main()
