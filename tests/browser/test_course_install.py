"""The course as a newcomer opens it: the README's open command (``python -m course_lib lab``) in a
fresh user profile gives the 简体中文 UI with no news popup, rooted at the course folder (``data/``
and ``apps/`` in the file browser), the guide open; a teacher can switch to English; in the Dark
theme the role-play's chat bubbles and feedback are readable; a syntax error in an answer cell is
explained in Chinese."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time

import pytest

from .conftest import REPO, SHOTS, _free_port, new_page, require_browser, stop

TOKEN = "course-install-token"
RUN_ALL = "() => window.jupyterapp.commands.execute('notebook:run-all-cells')"
IDLE = """() => {
  const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  if (!w || !w.sessionContext || !w.sessionContext.session || !w.sessionContext.session.kernel) return false;
  if (w.sessionContext.session.kernel.status !== 'idle') return false;
  return w.content.widgets.filter(c => c.model.type === 'code').every(c => c.model.executionCount !== null);
}"""
COLOURS = """el => { const chain = [];
  for (let e = el; e; e = e.parentElement) chain.push(getComputedStyle(e).backgroundColor);
  return {text: el.innerText, color: getComputedStyle(el).color, backgrounds: chain}; }"""


def readme_open_command() -> list[str]:
    """The README's command that opens the course, after its install step."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    found = re.findall(r"^python -m pip install -e \. && (python -m course_lib lab)$", readme, re.M)
    assert len(found) == 1, "README 应给出唯一一条安装并打开课程的命令"
    return [sys.executable, *found[0].split()[1:]]


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """(url the command opens, base url) of the course opened by the README's command, for a user who
    never used JupyterLab (empty settings); autosave is off and checkpoints go elsewhere, so nothing
    is written into the course folder."""
    require_browser()
    home = tmp_path_factory.mktemp("newcomer")
    settings = home / "settings" / "@jupyterlab" / "docmanager-extension"
    settings.mkdir(parents=True)
    (settings / "plugin.jupyterlab-settings").write_text('{"autosave": false}', encoding="utf-8")
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(home / "config"), "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
           "JUPYTER_DATA_DIR": str(home / "data"), "JUPYTERLAB_SETTINGS_DIR": str(home / "settings"),
           "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces")}
    env.pop("COURSE_MODE", None)                  # COURSE_PROGRESS (tests/conftest.py) keeps progress out of the repo
    port = _free_port()
    log = (home / "lab.log").open("wb")
    server = subprocess.Popen(
        [*readme_open_command(), "--no-browser", "--allow-root", "--ServerApp.ip=127.0.0.1", f"--port={port}",
         f"--IdentityProvider.token={TOKEN}", "--LabApp.expose_app_in_browser=True",
         f"--FileCheckpoints.checkpoint_dir={home / 'checkpoints'}"],      # nothing written beside the masters
        cwd=home, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        opener = sorted((home / "runtime").glob("jpserver-file-to-run-*-open.html"))
        if opener:
            break
        if server.poll() is not None:
            pytest.fail("课程没有打开：\n" + (home / "lab.log").read_text(encoding="utf-8", errors="replace")[-2000:])
        time.sleep(0.3)
    else:
        server.kill()
        pytest.fail("JupyterLab 在90秒内没有启动")
    # the page the command opens in the browser
    url = re.search(r'url=([^"]+)"', opener[0].read_text(encoding="utf-8")).group(1)
    yield url, base
    stop(server)
    log.close()


@pytest.fixture
def page(course, chromium_browser, request):
    with new_page(chromium_browser, request) as pg:
        yield pg


def open_course(page, url: str) -> None:
    page.goto(url)
    page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell.currentWidget "
                           "&& window.jupyterapp.shell.currentWidget.sessionContext", timeout=60_000)
    page.wait_for_function("() => window.jupyterapp.shell.currentWidget.sessionContext.isReady", timeout=60_000)


def put_setting(page, plugin: str, raw: dict) -> None:
    page.evaluate("""async ([plugin, raw]) => {
        const s = window.jupyterapp.serviceManager.settings;
        await s.save(plugin, raw); }""", [plugin, json.dumps(raw)])


def test_opens_in_chinese_without_news_at_the_course_folder(page, course):
    url, _ = course
    assert "/lab/tree/notebooks/00_guide.ipynb" in url          # the guide, inside the course folder
    open_course(page, url)
    assert "文件" in page.locator(".lm-MenuBar-content").inner_text()
    page.wait_for_timeout(4000)                                     # the news question comes a moment after loading
    toasts = page.locator(".Toastify__toast").all_inner_texts()
    assert not [t for t in toasts if "Jupyter" in t], toasts
    assert page.evaluate("() => window.jupyterapp.shell.currentWidget.context.path") == "notebooks/00_guide.ipynb"
    page.locator(".jp-BreadCrumbs-home").first.click()             # the file browser's top: the course folder
    page.wait_for_function("() => [...document.querySelectorAll('.jp-DirListing-itemName')]"
                           ".some(e => e.innerText.trim() === 'data')", timeout=10_000)
    names = {n.strip() for n in page.locator(".jp-DirListing-itemName").all_inner_texts()}
    assert {"data", "apps", "notebooks", "README.md"} <= names, names


def test_a_teacher_can_switch_the_language_back(page, course):
    url, _ = course
    open_course(page, url)
    plugin = "@jupyterlab/translation-extension:plugin"
    try:
        put_setting(page, plugin, {"locale": "en"})                # what 设置→语言→English saves
        open_course(page, url)
        assert "File" in page.locator(".lm-MenuBar-content").inner_text()
    finally:
        put_setting(page, plugin, {})
    open_course(page, url)
    assert "文件" in page.locator(".lm-MenuBar-content").inner_text()


def parse_colour(css: str) -> tuple[float, float, float, float]:
    """``rgb(…)``, ``rgba(…)`` or ``color(srgb …)`` as (r, g, b, alpha), each 0–1.

    >>> parse_colour("rgba(0, 0, 0, 0)")
    (0.0, 0.0, 0.0, 0.0)
    >>> parse_colour("color(srgb 1 0.5 0 / 0.5)")
    (1.0, 0.5, 0.0, 0.5)
    """
    match = re.fullmatch(r"rgba?\((.+)\)", css.strip())
    if match:
        parts = [float(p) for p in re.split(r"[\s,/]+", match.group(1).strip())]
        return parts[0] / 255, parts[1] / 255, parts[2] / 255, parts[3] if len(parts) > 3 else 1.0
    match = re.fullmatch(r"color\(srgb (.+)\)", css.strip())
    assert match, f"unknown colour {css}"
    parts = [float(p) for p in re.split(r"[\s/]+", match.group(1).strip())]
    return parts[0], parts[1], parts[2], parts[3] if len(parts) > 3 else 1.0


def over(top, bottom):
    alpha = top[3]
    return tuple(t * alpha + b * (1 - alpha) for t, b in zip(top[:3], bottom[:3])) + (1.0,)


def contrast(colours: dict) -> float:
    """WCAG contrast ratio of an element's text against what is painted behind it."""
    background = (1.0, 1.0, 1.0, 1.0)                                # the page's canvas
    for css in reversed(colours["backgrounds"]):
        background = over(parse_colour(css), background)
    text = over(parse_colour(colours["color"]), background)

    def luminance(c):
        lin = [v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4 for v in c[:3]]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    lighter, darker = sorted((luminance(text), luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_contrast_arithmetic():
    white, black = {"color": "rgb(255, 255, 255)"}, {"color": "rgb(0, 0, 0)"}
    assert round(contrast({**black, "backgrounds": ["rgba(0, 0, 0, 0)"]}), 1) == 21.0
    assert round(contrast({**white, "backgrounds": ["rgb(241, 243, 245)", "rgb(17, 17, 17)"]}), 2) == 1.11  # the old bubble


def test_dark_theme_chat_and_feedback_are_readable(page, course):
    url, _ = course
    open_course(page, url)
    try:
        page.evaluate("() => window.jupyterapp.commands.execute('apputils:change-theme', {theme: 'JupyterLab Dark'})")
        page.wait_for_function("() => document.body.dataset.jpThemeName === 'JupyterLab Dark'", timeout=20_000)
        page.evaluate(RUN_ALL)
        page.wait_for_timeout(500)
        page.wait_for_function(IDLE, timeout=120_000)
        chat = page.locator(".course-roleplay").first
        chat.scroll_into_view_if_needed()
        chat.locator("button", has_text="开始接待").click()
        chat.locator("button", has_text="发送 A").click()
        chat.locator("text=本轮得分").wait_for(timeout=30_000)
        SHOTS.mkdir(exist_ok=True)
        chat.screenshot(path=str(SHOTS / "dark-roleplay.png"))
        texts = chat.locator(".course-bubble > div").all() + [chat.locator("text=本轮得分").first]
        assert len(texts) >= 6                                       # 3 bubbles: name and message each
        for element in texts:
            colours = element.evaluate(COLOURS)
            assert contrast(colours) >= 4.5, colours
    finally:
        page.evaluate("() => window.jupyterapp.commands.execute('apputils:change-theme', {theme: 'JupyterLab Light'})")


def test_a_syntax_error_in_jupyterlab_is_explained_in_chinese(page, course):
    url, _ = course
    open_course(page, url)
    page.evaluate(RUN_ALL)
    page.wait_for_timeout(500)
    page.wait_for_function(IDLE, timeout=120_000)
    page.evaluate("""async () => {
        const app = window.jupyterapp, nb = app.shell.currentWidget.content;
        nb.activeCellIndex = nb.widgets.length - 1;
        await app.commands.execute('notebook:insert-cell-below');
        nb.activeCell.model.sharedModel.setSource('answer_e1 = A C E');
        await app.commands.execute('notebook:run-cell'); }""")
    cell = page.locator(".jp-Notebook .jp-Cell").last
    cell.locator(".jp-OutputArea-output").first.wait_for(timeout=20_000)
    shown = cell.locator(".jp-OutputArea-output").first.inner_text()
    assert "Python看不懂（语法错误）" in shown and "u00.e1" in shown, shown
    assert "SyntaxError" not in shown and "invalid syntax" not in shown
