"""The Voilà role-play app (``apps/roleplay.ipynb``) in headless Chromium: no code on the page,
pick a scenario, play it to the report.  Prints the time from ``page.goto`` to a visible
「开始接待」 (used by the benchmarks)."""
from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from .conftest import REPO, SHOTS, _free_port, new_page, require_browser, stop
from .keys import click_option
from .reading import text_of

APP = "apps/roleplay.ipynb"


@pytest.fixture(scope="module")
def voila(tmp_path_factory):
    """The base url of Voilà serving the role-play app, with a throw-away progress file."""
    require_browser()
    home = tmp_path_factory.mktemp("voila-home")
    port = _free_port()
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(home / "config"), "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
           "COURSE_PROGRESS": str(home / "progress.json")}
    env.pop("COURSE_MODE", None)
    log = (home / "voila.log").open("wb")
    server = subprocess.Popen(
        [sys.executable, "-m", "voila", APP, "--no-browser", f"--port={port}", "--Voila.ip=127.0.0.1"],
        cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail("Voilà 启动失败：\n" + (home / "voila.log").read_text(encoding="utf-8", errors="replace")[-2000:])
        try:
            urllib.request.urlopen(f"{base}/voila/static/favicon.ico", timeout=2)
            break
        except urllib.error.HTTPError:
            break                      # the server answers; a missing icon does not matter
        except OSError:
            time.sleep(0.3)
    else:
        server.kill()
        pytest.fail("Voilà 在90秒内没有启动")
    yield base
    stop(server)
    log.close()


@pytest.fixture
def page(voila, chromium_browser, request):
    with new_page(chromium_browser, request, width=1200, full_page=True) as pg:
        yield pg


def test_voila_roleplay_app(page, voila, capsys):
    from course_lib.content.scenarios import load_scenario
    from course_lib.views.app import scenario_choices

    options, _ = scenario_choices()
    assert len(options) >= 2
    second_id = options[1][1]
    second_title = load_scenario(second_id).title

    started = time.monotonic()
    page.goto(f"{voila}/", wait_until="commit")
    first = page.locator(".course-roleplay").first
    first.locator("button", has_text="开始接待").wait_for(state="visible", timeout=90_000)
    seconds = time.monotonic() - started
    with capsys.disabled():
        print(f"\n[voila] page.goto → 「开始接待」可见：{seconds:.2f} 秒")

    # an app, not a notebook: no code anywhere on the page (Voilà's lab template wraps the
    # rendered markdown in a .jp-InputArea too, so only input areas holding code count)
    code = ".jp-CodeCell .jp-InputArea, .jp-InputArea:not(:has(.jp-RenderedMarkdown)), .jp-InputPrompt, " \
           ".jp-CodeMirrorEditor, .cm-editor, .jp-OutputArea-executeResult pre"
    assert page.locator(code).count() == 0
    assert page.locator(".jp-CodeCell.jp-mod-noInput").count() == 1
    text = page.locator("body").inner_text()
    assert "roleplay_app" not in page.content() and "import" not in text and "Traceback" not in text
    assert "角色扮演练习" in text and load_scenario(options[0][1]).title in first.inner_text()

    # pick the second scenario: the role-play is replaced
    select = page.locator(".course-app select").first
    # (the dropdown shows spaces as no-break spaces)
    assert select.evaluate("el => el.options[el.selectedIndex].text").replace("\xa0", " ") == options[0][0]
    assert select.locator("option").count() == len(options)
    select.select_option(index=1)
    chat = page.locator(".course-roleplay", has_text=second_title)
    chat.locator("button", has_text="开始接待").wait_for(state="visible", timeout=15_000)
    assert page.locator(".course-roleplay").count() == 1

    # play: option turns with 「发送 A」 until the text box (or the report) appears
    chat.locator("button", has_text="开始接待").click()
    chat.locator("button", has_text="发送 A").wait_for(timeout=30_000)
    textarea = chat.locator("textarea")
    for turn in range(12):
        if textarea.is_visible() or "实训报告" in chat.inner_text():
            break
        before = chat.inner_text()
        click_option(page, chat, "A")
        page.wait_for_function("([el, before]) => el.innerText !== before",
                               arg=[chat.element_handle(), before], timeout=30_000)
        page.wait_for_timeout(200)       # let the whole re-render arrive
        text_of(chat, "本轮得分")
        if turn == 1:
            SHOTS.mkdir(exist_ok=True)
            page.screenshot(path=str(SHOTS / "voila-roleplay-mid.png"), full_page=True)
    if "实训报告" not in chat.inner_text():
        assert textarea.is_visible()
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / "voila-roleplay-reply.png"), full_page=True)
        textarea.fill("亲，理解您的考虑！本周下单还送运费险和七天无理由退货，售后有保障。"
                      "有任何问题随时联系我，感谢您的光临，祝您生活愉快！")
        chat.locator("button", has_text="发送").last.click()
    chat.locator("text=实训报告").first.wait_for(timeout=30_000)
    report = text_of(chat, "实训报告")
    SHOTS.mkdir(exist_ok=True)
    # Voilà scrolls inside its own container, so bring the report into view before the shot
    chat.locator("text=实训报告").first.scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "voila-roleplay-report.png"))
    assert "出了点问题" not in report
    assert "得分" in report and "做得好的" in report and "需要改进的" in report
