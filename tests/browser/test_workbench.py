"""Unit 05's 千牛 workbench in a real JupyterLab (English and Chinese UI), used like a student: a nickname
typed and searched with Enter, an order picked from the list, a note refused and then saved, a quick phrase
put into the draft and edited, the search mode changed with the mouse; never a traceback."""
from __future__ import annotations

from .conftest import SHOTS
from .keys import type_into
from .reading import text_of
from .test_jupyterlab import open_and_run

NOTEBOOK = "05_workflow.ipynb"


def choose_order(wb, order_id: str) -> None:
    select = wb.locator(".course-wb-results select")
    labels = select.evaluate("el => Array.from(el.options).map(o => o.textContent)")
    select.select_option(label=next(label for label in labels if label.startswith(order_id)))


def search(page, wb, text: str, expected: str) -> None:
    box = wb.locator(".course-wb-query input")
    box.click()
    page.keyboard.press("Control+A")
    page.keyboard.type(text)
    page.keyboard.press("Enter")
    text_of(wb.locator(".course-wb-summary"), expected)


def test_workbench_like_a_student(page, lab):
    open_and_run(page, lab, NOTEBOOK)
    wb = page.locator(".course-workbench").first
    wb.scroll_into_view_if_needed()

    # the buyer of the opening case, by nickname: 19 orders, newest first
    search(page, wb, "Lily_4148", "查到19笔订单，涉及1位顾客")
    choose_order(wb, "O01339")
    detail = wb.locator(".course-wb-detail")
    text_of(detail, "PU双肩通勤包", "卖家已发货", "平邮", "2026年1月1日 13:32", "还剩13小时", "确认收货、申请退款")

    # a note that judges the buyer is refused and kept for editing
    wb.locator(".course-wb-flag button", has_text="黄").click()
    note = wb.locator(".course-wb-note-text textarea")
    type_into(page, note, "这个顾客很难缠")
    wb.locator("button", has_text="保存备注").click()
    text_of(wb.locator(".course-wb-note-status"), "不写对顾客的评价")
    text_of(detail, "还没有备注")
    assert note.input_value() == "这个顾客很难缠"

    # a factual note is saved and becomes the current note
    type_into(page, note, "12/31 20:10，平邮明天将满30天，已联系快递核实，等回复")
    wb.locator("button", has_text="保存备注").click()
    text_of(wb.locator(".course-wb-note-status"), "已保存")
    text_of(detail, "已联系快递核实", "黄旗")

    # a quick phrase for a shipped order, put into the draft and edited by hand
    wb.locator(".course-wb-phrase select").select_option(label="快到自动确认收货")
    text_of(wb.locator(".course-wb-phrase-preview"), "1月1日 13:32")
    wb.locator("button", has_text="放入回复草稿").click()
    draft = wb.locator(".course-wb-draft textarea")
    page.wait_for_function("el => el.value.includes('延长收货时间')", arg=draft.element_handle())
    draft.click()
    page.keyboard.press("Control+End")
    page.keyboard.type("谢谢")
    assert draft.input_value().startswith("Lily您好") and draft.input_value().endswith("谢谢")
    SHOTS.mkdir(exist_ok=True)
    wb.screenshot(path=str(SHOTS / f"u05_workbench-{lab[3]}.png"))

    # a shared phone tail finds two buyers; a bad tail is explained in red
    search(page, wb, "3723", "查到21笔订单，涉及2位顾客")
    wb.locator(".course-wb-mode select").select_option(label="手机尾号")
    search(page, wb, "12", "最后4位数字")
    wb.locator(".course-wb-mode select").select_option(label="自动")
    search(page, wb, "晴天", "查到42笔订单，涉及15位顾客")
    page_text = page.locator(".jp-Notebook").inner_text()
    assert "Traceback" not in page_text and "出了点问题" not in page_text
