"""Unit 04's order-timeline calculator in a real JupyterLab (English and Chinese UI), used like a student:
dates typed into the date boxes, hours and minutes picked from the lists, boxes ticked with the mouse, the
extension typed with the keyboard; the result is read from the page, never a traceback."""
from __future__ import annotations

from .conftest import SHOTS
from .reading import text_of
from .test_jupyterlab import open_and_run, press

NOTEBOOK = "04_platform.ipynb"


def pick(calc, key: str, day: str, hour: int, minute: int) -> None:
    """Type a date into a date box and choose the hour and minute from their lists."""
    calc.locator(f".course-tl-{key}-day input").fill(day)
    calc.locator(f".course-tl-{key}-hour select").select_option(label=f"{hour:02d}时")
    calc.locator(f".course-tl-{key}-minute select").select_option(label=f"{minute:02d}分")


def compute(calc, *texts: str) -> str:
    """Click 计算 until the result holds ``texts`` (the result says 参数已修改 while a change is still on its way)."""
    return press(calc.locator("button", has_text="计算"), calc.locator(".course-tl-result"), *texts)


def test_calculator_like_a_student(page, lab):
    open_and_run(page, lab, NOTEBOOK)
    calc = page.locator(".course-timeline").first
    calc.scroll_into_view_if_needed()
    result = calc.locator(".course-tl-result")

    # case 1 of the notebook is filled in: placed 12-30 10:00, now 12-31 09:00
    text_of(result, "还剩1小时", "等待买家付款", "12月31日 10:00 自动关闭")
    assert calc.locator(".course-tl-shipped-day input").is_disabled()          # not paid: no shipping

    # case 2: the very minute of closing; the old result is hidden as soon as a value changes
    calc.locator(".course-tl-now-hour select").select_option(label="10时")
    text_of(result, "参数已修改")
    text = compute(calc, "交易关闭")
    assert "下一个期限" not in text

    # case 3: paid, shipped by 平邮
    pick(calc, "placed", "2025-11-02", 10, 0)
    calc.locator(".course-tl-is-paid input").click()
    pick(calc, "paid", "2025-11-02", 10, 5)
    calc.locator(".course-tl-is-shipped input").click()
    pick(calc, "shipped", "2025-11-02", 15, 0)
    calc.locator(".course-tl-method select").select_option(label="平邮")
    pick(calc, "now", "2025-11-28", 9, 0)
    compute(calc, "卖家已发货", "还剩4天6小时", "12月2日 15:00")

    # case 4: the buyer asked for 3 more days (typed), now 12-02 09:00
    box = calc.locator(".course-tl-extend input")
    box.click()
    page.keyboard.press("Control+A")
    page.keyboard.type("3")
    page.keyboard.press("Enter")
    pick(calc, "now", "2025-12-02", 9, 0)
    compute(calc, "还剩3天6小时", "12月5日 15:00", "已延长3天")
    SHOTS.mkdir(exist_ok=True)
    calc.screenshot(path=str(SHOTS / f"u04_timeline-{lab[3]}.png"))

    # an impossible time: paid after the order closed
    pick(calc, "paid", "2025-11-03", 10, 30)
    text = compute(calc, "不早于自动关闭时间")
    assert "Traceback" not in text

    # unticking 已付款 unticks 已发货 and greys the row out
    calc.locator(".course-tl-is-paid input").click()
    page.wait_for_function("el => el.disabled", arg=calc.locator(".course-tl-shipped-day input").element_handle())
    assert not calc.locator(".course-tl-is-shipped input").is_checked()

    # a campaign order of 30 minutes, placed 11-11 00:05, asked at 00:20
    pick(calc, "placed", "2025-11-11", 0, 5)
    calc.locator(".course-tl-campaign input").click()
    calc.locator(".course-tl-campaign-minutes select").select_option(label="30分钟")
    pick(calc, "now", "2025-11-11", 0, 20)
    compute(calc, "还剩15分", "活动订单30分钟")
    page_text = page.locator(".jp-Notebook").inner_text()
    assert "Traceback" not in page_text and "出了点问题" not in page_text
