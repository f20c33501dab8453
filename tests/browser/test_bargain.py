"""Unit 09 in a real JupyterLab: the margin calculator by keyboard and mouse, and the bargaining
role-play played to its three-score report twice (holding the price; giving in twice)."""
from __future__ import annotations

from .conftest import SHOTS
from .keys import click_option, type_into
from .reading import text_of
from .test_jupyterlab import open_and_run

REFERENCE = ("理解您，谁都想买得划算～我们家价格是统一的，改不了。这款是头层牛皮，详情页有第三方检测机构出具的材质检测报告；"
             "本周买包还送一套皮具护理套装，平时保养正好用得上，收到不满意也支持七天无理由退货。")


def changed(page, el, before):
    page.wait_for_function("([el, before]) => el.textContent !== before", arg=[el.element_handle(), before],
                           timeout=30_000)


def send(page, chat, letter):
    before = chat.text_content()
    click_option(page, chat, letter)
    changed(page, chat, before)


def reply(page, chat, text):
    before = chat.text_content()
    type_into(page, chat.locator("textarea"), text, ime=True)     # what an IME commits
    chat.locator("button", has_text="发送").last.click()
    changed(page, chat, before)


def test_margin_calculator_and_three_scores(page, lab):
    open_and_run(page, lab, "09_bargaining.ipynb")

    calc = page.locator(".course-margin").first
    calc.scroll_into_view_if_needed()
    calc.locator("text=100.0%").first.wait_for(timeout=30_000)
    assert "177.00" in text_of(calc)
    cut = calc.locator("input[type=text]").first
    cut.click()
    page.keyboard.type("30")
    page.keyboard.insert_text("元")
    page.keyboard.press("Tab")
    calc.locator("text=83.1%").first.wait_for(timeout=30_000)
    assert "147.00" in text_of(calc) and "让出去的太多了" in text_of(calc)
    cut.fill("")
    calc.locator("label", has_text="加送手机支架").click()
    calc.locator("text=95.5%").first.wait_for(timeout=30_000)
    assert "169.00" in text_of(calc) and "让出去的太多了" not in text_of(calc)
    cut.fill("abc")
    calc.locator("text=看不懂").wait_for(timeout=30_000)
    assert "Traceback" not in text_of(calc)
    SHOTS.mkdir(exist_ok=True)
    calc.screenshot(path=str(SHOTS / f"margin-{lab[3]}.png"))

    chat = page.locator(".course-roleplay").first
    chat.scroll_into_view_if_needed()
    chat.locator("button", has_text="开始接待").click()
    chat.locator("textarea:visible").wait_for(timeout=30_000)
    reply(page, chat, REFERENCE)                       # t1: the three keys, no discount
    send(page, chat, "A")                              # t2: one 手机支架 within the card
    text_of(chat, "这一步让出：手机支架（成本8元）")     # raises when the step never shows
    send(page, chat, "B")                              # t3: the real campaign
    send(page, chat, "C")                              # t4: confirm goods, gifts and address
    chat.locator("text=三项得分（各100分）").wait_for(timeout=30_000)
    text = text_of(chat)
    assert "保住了95.5%" in text and "违反任务卡：无" in text and "出了点问题" not in text
    chat.screenshot(path=str(SHOTS / f"bargain-report-{lab[3]}.png"))

    chat.locator("button", has_text="重新开始").click()
    chat.locator("textarea:visible").wait_for(timeout=30_000)
    reply(page, chat, REFERENCE)
    send(page, chat, "B")                              # t2: 329, a private cut
    send(page, chat, "A")                              # t2b_more: 299
    chat.locator("text=三项得分（各100分）").wait_for(timeout=30_000)
    text = text_of(chat)
    assert "私自让价60元" in text and "保住了66.1%" in text and "成交（让价到299元）" in text
