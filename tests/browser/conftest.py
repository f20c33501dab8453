"""A real JupyterLab on 127.0.0.1 and headless Chromium (Debian's, driven by Playwright).

Skipped with a clear message where no browser is installed, unless
``COURSE_REQUIRE_BROWSER=1`` (set by ``.ci/run``), which turns a skip into a failure.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("COURSE_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--lang=zh-CN"]
SHOTS = REPO / "tests" / "browser" / "screenshots"


def _missing() -> str | None:
    if not Path(CHROMIUM).exists():
        return f"没有找到浏览器 {CHROMIUM}（Debian：apt-get install chromium），跳过浏览器测试"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "没有安装 playwright（pip install playwright），跳过浏览器测试"
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session", params=["en", "zh_CN"])
def lab(request, tmp_path_factory):
    """(base url, token, work folder, locale) of a JupyterLab serving a copy of the notebooks,
    once in the English UI and once in the Chinese UI (the zh-CN language pack)."""
    require_browser()
    work = tmp_path_factory.mktemp("lab")
    shutil.copytree(REPO / "notebooks", work / "notebooks")
    home = tmp_path_factory.mktemp("home")
    port, token = _free_port(), "course-test-token"
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(home / "config"), "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
           "JUPYTERLAB_SETTINGS_DIR": str(home / "settings"), "JUPYTERLAB_WORKSPACES_DIR": str(home / "ws")}
    env.pop("COURSE_PROGRESS", None)     # the real default: a progress file beside the notebook
    env.pop("COURSE_MODE", None)
    (home / "settings" / "@jupyterlab" / "apputils-extension").mkdir(parents=True)
    (home / "settings" / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings").write_text(
        '{"fetchNews": "false", "checkForUpdates": false}', encoding="utf-8")
    # every cell attached and laid out ("none"), not JupyterLab's default content-visibility, where a cell
    # outside the window has no layout: its text reads empty and it grows when scrolled to, moving what
    # the test is about to click.  The widgets are the subject here, not JupyterLab's windowing.
    (home / "settings" / "@jupyterlab" / "notebook-extension").mkdir(parents=True)
    (home / "settings" / "@jupyterlab" / "notebook-extension" / "tracker.jupyterlab-settings").write_text(
        '{"windowingMode": "none"}', encoding="utf-8")
    (home / "settings" / "@jupyterlab" / "translation-extension").mkdir(parents=True)
    (home / "settings" / "@jupyterlab" / "translation-extension" / "plugin.jupyterlab-settings").write_text(
        f'{{"locale": "{request.param}"}}', encoding="utf-8")
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--allow-root", "--ip=127.0.0.1",
         f"--port={port}", f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={work}",
         "--LabApp.expose_app_in_browser=True", "--ServerApp.open_browser=False"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
            break
        except OSError:
            time.sleep(0.5)
    else:
        server.kill()
        pytest.fail("JupyterLab 在90秒内没有启动")
    yield base, token, work, request.param
    stop(server)


def stop(server: subprocess.Popen) -> None:
    """End a server a fixture started: politely, then by force after 20 seconds."""
    server.terminate()
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()


def require_browser() -> None:
    """Skip (or, in CI, fail) with a clear message when no browser is installed."""
    reason = _missing()
    if reason:
        if os.environ.get("COURSE_REQUIRE_BROWSER") == "1":
            pytest.fail(reason + "；CI 要求必须运行浏览器测试。")
        pytest.skip(reason)


@pytest.fixture(scope="session")
def chromium_browser():
    """The one Chromium of the test session (Playwright's sync API allows only one at a time)."""
    require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="session")
def browser(lab, chromium_browser):
    return chromium_browser


@contextlib.contextmanager
def new_page(browser, request, width: int = 1400, full_page: bool = False):
    """A fresh page in its own context; a screenshot in ``screenshots/`` if the test failed."""
    context = browser.new_context(viewport={"width": width, "height": 1000}, locale="zh-CN")
    pg = context.new_page()
    try:
        yield pg
    finally:
        failed = getattr(request.node, "rep_call", None)
        if failed is not None and failed.failed:
            SHOTS.mkdir(exist_ok=True)
            pg.screenshot(path=str(SHOTS / f"failed-{request.node.name}.png"), full_page=full_page)
        context.close()


@pytest.fixture
def page(browser, request):
    with new_page(browser, request) as pg:
        yield pg


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report
