"""Unit 08's buyer-type identifier in a real JupyterLab, driven like a student: type with an IME,
pick from the list, move on, mistype, open the overview, restart the kernel and find the place again."""
from __future__ import annotations

from .conftest import SHOTS
from .keys import type_into
from .test_jupyterlab import open_and_run, restart_and_run_all, shown_widget

COMPOSE = """([el, start]) => el.dispatchEvent(new CompositionEvent(start ? 'compositionstart' : 'compositionend',
                                                              {bubbles: true, data: ''}))"""


def test_buyer_type_identifier(page, lab):
    from playwright.sync_api import expect  # imported here, like the fixtures: no Playwright, a skip

    open_and_run(page, lab, "08_recommend.ipynb")
    ident = shown_widget(page, ".course-buyer-types", "第1/12段")
    # the output may still be re-rendered right after Run All: expect() retries on the fresh element
    expect(ident).to_contain_text("14寸笔记本", timeout=30_000)
    box = ident.locator("input").first

    # typing Chinese through an IME: Enter while composing must not judge anything
    box.click()
    page.evaluate(COMPOSE, [box.element_handle(), True])
    page.keyboard.insert_text("冲动")
    page.keyboard.press("Enter")
    page.evaluate(COMPOSE, [box.element_handle(), False])
    page.wait_for_timeout(500)
    assert "不是冲动型" not in ident.inner_text() and "判断正确" not in ident.inner_text()
    ident.locator("button", has_text="确定").click()
    ident.locator("text=不是冲动型").wait_for(timeout=30_000)
    expect(ident).to_contain_text("【理智型】", timeout=30_000)

    # a list number typed with the keyboard is understood
    type_into(page, box, "1")              # typed, then the box is left: it sends its value, then 确定
    ident.locator("button", has_text="确定").click()
    ident.locator("text=判断正确：理智型").wait_for(timeout=30_000)
    ident.locator("button", has_text="下一段").click()
    ident.locator("text=第2/12段").wait_for(timeout=30_000)

    # something that is no type: a Chinese hint, never a traceback
    type_into(page, box, "abc")
    ident.locator("button", has_text="确定").click()
    ident.locator("text=没有认出「abc」").wait_for(timeout=30_000)
    assert "Traceback" not in ident.inner_text() and "出了点问题" not in ident.inner_text()

    # the overview opens with the three families
    ident.locator("text=10种买家类型一览").click()
    ident.locator("text=看他怎么讲价（教材）").wait_for(timeout=30_000)
    SHOTS.mkdir(exist_ok=True)
    ident.screenshot(path=str(SHOTS / f"buyer-types-{lab[3]}.png"))

    # a kernel restart: running the notebook again brings back the second chat and the first-try count
    restart_and_run_all(page)
    ident = shown_widget(page, ".course-buyer-types", "第2/12段")
    expect(ident).to_contain_text("一共判断了1段对话，第一次就判断对0段", timeout=30_000)
