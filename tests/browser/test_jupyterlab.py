"""Every notebook in a real JupyterLab: Run All without errors, click a quiz, play a role-play,
and after a kernel restart the practice answers come back."""
from __future__ import annotations

import pytest

from .conftest import REPO, SHOTS
from .keys import click_option, type_into
from .reading import text_of

NOTEBOOKS = sorted(p.name for p in (REPO / "notebooks").glob("[0-9][0-9]_*.ipynb"))

RUN_ALL = "() => window.jupyterapp.commands.execute('notebook:run-all-cells')"
IDLE = """() => {
  const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  if (!w || !w.sessionContext || !w.sessionContext.session || !w.sessionContext.session.kernel) return false;
  if (w.sessionContext.session.kernel.status !== 'idle') return false;
  const cells = w.content.widgets.filter(c => c.model.type === 'code');
  return cells.length > 0 && cells.every(c => c.model.executionCount !== null);
}"""
RESTART = "() => window.jupyterapp.shell.currentWidget.sessionContext.session.kernel.restart()"
ERRORS = """() => {
  const w = window.jupyterapp.shell.currentWidget;
  const out = [];
  Array.from(w.model.cells).forEach(c => { if (c.type === 'code') for (let i = 0; i < c.outputs.length; i++) {
      const o = c.outputs.get(i).toJSON();
      if (o.output_type === 'error' || o.name === 'stderr') out.push(JSON.stringify(o).slice(0, 300)); } });
  return out;
}"""


def settle(page, element, quiet_ms: int = 600, timeout_ms: int = 15_000) -> None:
    """Wait until ``element``'s text stops changing: a widget's update comes as several messages
    (the chat, then the text box hidden, then the report), and acting between them races."""
    page.wait_for_function(
        """([el, quiet]) => {
             const now = Date.now();
             if (el.__courseText !== el.innerText) { el.__courseText = el.innerText; el.__courseSince = now; }
             return now - el.__courseSince >= quiet;
           }""", arg=[element.element_handle(), quiet_ms], polling=100, timeout=timeout_ms)


def open_and_run(page, lab, name):
    base, token, _, locale = lab
    page.goto(f"{base}/lab/tree/notebooks/{name}?token={token}&reset")
    page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell.currentWidget "
                           "&& window.jupyterapp.shell.currentWidget.sessionContext", timeout=60_000)
    page.wait_for_function("() => window.jupyterapp.shell.currentWidget.sessionContext.isReady", timeout=60_000)
    menu = page.locator(".lm-MenuBar-content").inner_text()
    assert ("文件" in menu) == (locale == "zh_CN"), f"UI language should be {locale}: {menu[:40]}"
    run_all(page)
    assert page.evaluate(ERRORS) == []


def run_all(page) -> None:
    """Run All, then wait until every cell has run and the kernel is idle."""
    page.evaluate(RUN_ALL)
    page.wait_for_timeout(500)
    page.wait_for_function(IDLE, timeout=120_000)


def restart_and_run_all(page) -> None:
    """A kernel restart, then Run All: what a student does to find the saved progress again."""
    page.evaluate(RESTART)
    page.wait_for_timeout(1000)
    run_all(page)


def click_until(target, effect, what: str, tries: int = 5) -> None:
    """Click ``target`` until ``effect()`` returns: it waits a few seconds for what the click shows and
    raises when nothing came.  A click that lands while JupyterLab is still laying out the output
    is lost on a loaded machine; clicking once more is what a student does too.  A target gone after
    the first click (the view moved on) is a slow effect: ``effect()`` is asked again."""
    for attempt in range(tries):
        try:
            target.click(timeout=10_000)
        except Exception:                      # gone or covered: only the first click must land
            if attempt == 0:
                raise
        try:
            effect()
            return
        except Exception:                      # playwright's TimeoutError: click once more
            continue
    raise AssertionError(f"{what} after {tries} clicks")


def press(button, where, *texts: str) -> str:
    """Click ``button`` until ``where`` shows every string of ``texts``; its text then.  The click can reach
    the kernel before a value just changed (ipywidgets holds back a widget's later change until the kernel
    has answered the earlier one, while a click goes at once): the old value answers, and the student
    clicks again."""
    click_until(button, lambda: text_of(where, *texts, timeout=8), f"{texts} never showed")
    return text_of(where, *texts)


def send_typed(box, button) -> None:
    """Click ``button`` until the view has taken the typed reply and emptied ``box``.  Leaving the box
    sends its value just before the click; should the click still reach the kernel first, the view finds
    no reply and asks for one, and the student clicks again."""
    click_until(button, lambda: box.page.wait_for_function("el => el.value === ''", arg=box.element_handle(), timeout=8_000),
                "the typed reply was never taken")


def choose(card, n: int) -> None:
    """Click the ``n``-th option of a quiz card's radio buttons until it is checked."""
    radio = card.locator(".widget-radio-box input[type=radio]").nth(n)
    click_until(card.locator(".widget-radio-box label").nth(n),
                lambda: radio.page.wait_for_function("el => el.checked", arg=radio.element_handle(), timeout=3_000),
                "the quiz option stayed unchecked")


def shown_widget(page, css: str, text: str, timeout: float = 10_000):
    """The first widget of CSS class ``css``, scrolled into view, once ``text`` shows in it."""
    found = page.locator(css).first
    found.scroll_into_view_if_needed()
    found.locator(f"text={text}").wait_for(timeout=timeout)
    return found


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_run_all_quiz_roleplay_restore(page, lab, name):
    open_and_run(page, lab, name)

    # a quiz: choose the second option of the first single-choice question and submit
    card = page.locator(".course-quiz-card", has=page.locator(".widget-radio-box")).first
    card.scroll_into_view_if_needed()
    choose(card, 1)
    card.locator("button", has_text="提交").click()
    feedback = card.locator("text=/回答(正确|不正确)/").first
    feedback.wait_for(timeout=30_000)     # a kernel round trip: slow on a loaded machine
    first_feedback = text_of(feedback)
    if "回答不正确" in first_feedback:           # a wrong first try: no key yet, 看解析 shows it
        assert "正确答案：" not in text_of(card, "再想一想")
        card.locator("button", has_text="看解析").click()
        card.locator("text=正确答案：").wait_for(timeout=30_000)
    text_of(card, "解析：")
    SHOTS.mkdir(exist_ok=True)
    card.screenshot(path=str(SHOTS / f"quiz-{lab[3]}-{name}.png"))

    # the role-play: send option A, or type a reply where a text box asks for one, until the report
    chat = page.locator(".course-roleplay").first
    chat.scroll_into_view_if_needed()
    chat.locator("button", has_text="开始接待").click()
    chat.locator("button:has-text('发送 A'), textarea:visible").first.wait_for(timeout=30_000)
    page.wait_for_timeout(2500)          # the timer ticks in the browser, without the kernel
    assert int(chat.locator("input[type=number]").first.input_value()) >= 1
    for _ in range(12):
        settle(page, chat)               # one turn's messages all arrived (text box hidden, report shown…)
        if "实训报告" in chat.inner_text():
            break
        before = chat.inner_text()
        textarea = chat.locator("textarea")
        if textarea.is_visible():
            chat.screenshot(path=str(SHOTS / f"roleplay-mid-{lab[3]}-{name}.png"))
            type_into(page, textarea, "不客气亲，感谢您的支持！有任何问题随时联系我们，欢迎再来，祝您生活愉快！", ime=True)
            chat.locator("button", has_text="发送").last.click()
        else:
            click_option(page, chat, "A")
        page.wait_for_function("([el, before]) => el.innerText !== before", arg=[chat.element_handle(), before])
        text_of(chat, "本轮得分")
    chat.locator("text=实训报告").wait_for(timeout=30_000)
    report = text_of(chat, "做得好的", "需要改进的")
    assert "出了点问题" not in report
    assert "得分" in report and "做得好的" in report and "需要改进的" in report

    # a kernel restart and Run All: the practice answer and its feedback come back
    restart_and_run_all(page)
    card = page.locator(".course-quiz-card", has=page.locator(".widget-radio-box")).first
    card.scroll_into_view_if_needed()
    page.wait_for_function("([el, text]) => el.innerText.includes(text)",
                           arg=[card.element_handle(), first_feedback.strip()], timeout=30_000)
    SHOTS.mkdir(exist_ok=True)
    card.screenshot(path=str(SHOTS / f"quiz-restored-{lab[3]}-{name}.png"))
    assert "出了点问题" not in page.locator(".jp-Notebook").inner_text()
    assert page.evaluate(ERRORS) == []


def test_quiz_retry_before_the_key(page, lab):
    """A wrong first try hides the key; the second try shows it; 看解析 shows it at once (guide 00)."""
    # start from unanswered quizzes: the restore test above may have saved answers to guide 00 in this lab
    (lab[2] / "notebooks" / ".course_progress.json").unlink(missing_ok=True)
    open_and_run(page, lab, "00_guide.ipynb")
    quiz = page.locator(".course-quiz").first
    quiz.scroll_into_view_if_needed()
    single = quiz.locator(".course-quiz-card").nth(0)          # u00.q1: key B
    page.wait_for_function("el => !el.innerText.includes('回答')", arg=single.element_handle(), timeout=30_000)
    choose(single, 0)
    single.locator("button", has_text="提交").click()
    single.locator("text=再想一想").wait_for(timeout=30_000)
    shown = text_of(single, "再想一想")
    assert "正确答案：" not in shown and "解析：" not in shown
    assert single.locator("button", has_text="看解析").is_visible()
    choose(single, 2)
    single.locator("button", has_text="提交").click()
    single.locator("text=正确答案：").wait_for(timeout=30_000)
    text_of(single, "解析：")
    assert not single.locator("button", has_text="看解析").is_visible()
    several = quiz.locator(".course-quiz-card").nth(2)          # u00.q3: key A B D
    several.locator("input[type=checkbox]").nth(2).check()
    several.locator("button", has_text="提交").click()
    several.locator("button", has_text="看解析").click()
    several.locator("text=正确答案：").wait_for(timeout=30_000)
    SHOTS.mkdir(exist_ok=True)
    quiz.screenshot(path=str(SHOTS / f"quiz-retry-{lab[3]}.png"))
    assert page.evaluate(ERRORS) == []


# the kernel runs something long (a cell, or a loaded class server) while the student types
BUSY = """() => { window.jupyterapp.shell.currentWidget.sessionContext.session.kernel
                    .requestExecute({code: 'import time; time.sleep(4)', silent: true}); }"""
WHOLE = "不客气亲，感谢您的支持！收到后有任何问题随时联系我们，祝您生活愉快！"


def test_a_reply_typed_while_the_kernel_is_busy_is_sent_whole(page, lab):
    """A reply typed key by key and sent at once, while the kernel is busy, arrives whole.

    A box that sent every keystroke would get its first keys to the kernel and the rest held back by
    ipywidgets until the kernel answered, while the click on 发送 goes at once: the kernel would send
    the first character or two.  The reply boxes send their value when left, just before the click."""
    open_and_run(page, lab, "00_guide.ipynb")
    chat = page.locator(".course-roleplay").first
    chat.scroll_into_view_if_needed()
    chat.locator("button", has_text="开始接待").click()
    textarea = chat.locator("textarea")
    for _ in range(12):                   # the multiple-choice turns before the first typed one
        settle(page, chat)
        if textarea.is_visible():
            break
        before = chat.inner_text()
        chat.locator("button", has_text="发送 A").click()
        page.wait_for_function("([el, before]) => el.innerText !== before", arg=[chat.element_handle(), before])
    assert textarea.is_visible(), "u00_demo has a typed turn"
    before = chat.inner_text()
    page.evaluate(BUSY)
    textarea.click()
    page.keyboard.type(WHOLE, delay=20)
    chat.locator("button", has_text="发送").last.click()
    page.wait_for_function("([el, before]) => el.innerText !== before", arg=[chat.element_handle(), before])
    settle(page, chat)
    shown = chat.inner_text()
    assert WHOLE in shown, shown[len(before) - 50:]
