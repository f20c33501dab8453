"""Unit 02's practice tools in a real JupyterLab, used like a student: the typing drill is typed
through the keyboard (Playwright key events, committed text, and an IME composition driven
through the Chrome DevTools protocol), never by setting the box's value; the self-assessment
is clicked statement by statement.  Runs in the English and the Chinese UI."""
from __future__ import annotations

import time

from course_lib.practice.loading import load_typing
from course_lib.practice.typing_drill import han_only

from .conftest import SHOTS
from .reading import text_of
from .test_jupyterlab import click_until, open_and_run, restart_and_run_all, shown_widget

NOTEBOOK = "02_qualities.ipynb"


def compose(cdp, letters: str, commit: str | None = None) -> None:
    """An IME composition in the focused box: the letters stay uncommitted unless ``commit`` is given."""
    cdp.send("Input.imeSetComposition", {"text": letters, "selectionStart": len(letters), "selectionEnd": len(letters)})
    if commit is not None:
        cdp.send("Input.insertText", {"text": commit})


def test_the_typing_drill_counts_committed_characters(page, lab):
    open_and_run(page, lab, NOTEBOOK)
    drill = page.locator(".course-typing").first
    drill.scroll_into_view_if_needed()
    box = drill.locator("textarea")
    passage = load_typing("u02").passages[0]
    han = han_only(passage.text)
    assert box.is_disabled() and passage.text[:12] not in drill.inner_text()     # no peeking before 开始

    drill.locator("button", has_text="开始").click()
    page.wait_for_function("el => !el.querySelector('textarea').disabled", arg=drill.element_handle())
    started = time.monotonic()
    text_of(drill, passage.text[:12])
    box.click()
    cdp = page.context.new_cdp_session(page)
    page.keyboard.type(han[0], delay=30)             # 亲
    page.keyboard.type(han[2:8], delay=30)           # 您 skipped
    page.keyboard.insert_text("月")                   # 悦 mistyped
    compose(cdp, "you", commit=han[9])               # 优 through the input method
    page.keyboard.type(han[10:20], delay=30)

    drill.locator("button", has_text="交卷").click()           # too early: a hint, the drill goes on
    drill.locator("text=不足10秒").wait_for(timeout=30_000)
    assert not box.is_disabled()
    box.click()
    page.keyboard.press("End")
    compose(cdp, "nihao")                            # still composing when the student hands in
    page.wait_for_timeout(max(0, 11 - (time.monotonic() - started)) * 1000)
    drill.locator("button", has_text="交卷").click()
    result = drill.locator(".course-typing-result")
    result.wait_for(timeout=30_000)
    text = text_of(result, "正确率")
    assert "正确18，错字1，漏字1，多字0" in text, text
    assert "nihao" in text and "未达标" in text and "90.0%" in text
    assert result.locator(".course-typing-wrong").count() == 1
    assert result.locator(".course-typing-missing").count() == 1
    assert box.is_disabled() and "出了点问题" not in drill.inner_text()
    SHOTS.mkdir(exist_ok=True)
    drill.screenshot(path=str(SHOTS / f"typing-{lab[3]}.png"))

    restart_and_run_all(page)                    # the best result survives a kernel restart
    drill = shown_widget(page, ".course-typing", "这段原文你的最好成绩")
    text_of(drill, "正确率90.0%")


def test_the_self_assessment_draws_a_radar(page, lab):
    open_and_run(page, lab, NOTEBOOK)
    radar = page.locator(".course-self-radar").first
    radar.scroll_into_view_if_needed()
    rows = radar.locator(".widget-toggle-buttons")
    assert rows.count() == 12
    scores = [5, 4, 3, 3, 2, 1, 4, 4, 5, 5, 3, 2]

    def mark(i: int) -> None:                    # each mark until it shows as chosen: a click during layout is lost
        button = rows.nth(i).locator("button", has_text=str(scores[i]))
        click_until(button, lambda: page.wait_for_function("el => el.classList.contains('mod-active')",
                                                           arg=button.element_handle(), timeout=3_000),
                    f"the mark of statement {i + 1} stayed unchosen")

    for i in range(10):
        mark(i)
    click_until(radar.locator("button", has_text="生成雷达图"),
                lambda: radar.locator("text=还有第11、12句没有打分").wait_for(timeout=4_000), "生成雷达图 named no missing statement")
    assert radar.locator("img").count() == 0
    for i in (10, 11):
        mark(i)
    click_until(radar.locator("button", has_text="生成雷达图"),
                lambda: radar.locator("img").first.wait_for(timeout=20_000), "生成雷达图 drew no chart")
    text = text_of(radar, "平均3.42分", "最需要提升：技能素养")      # the chart can show before the words under it
    assert "出了点问题" not in text
    SHOTS.mkdir(exist_ok=True)
    radar.screenshot(path=str(SHOTS / f"radar-{lab[3]}.png"))

    restart_and_run_all(page)                    # the scores come back after a kernel restart
    radar = page.locator(".course-self-radar").first
    radar.scroll_into_view_if_needed()
    selected = radar.locator(".widget-toggle-buttons button.mod-active")
    page.wait_for_function("el => el.querySelectorAll('.widget-toggle-buttons button.mod-active').length === 12",
                           arg=radar.element_handle(), timeout=10_000)
    assert [selected.nth(i).inner_text().strip() for i in range(12)] == [str(s) for s in scores]
