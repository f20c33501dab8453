"""Unit 11's components in a real JupyterLab, used like a student: the 中差评 planner (pick a
review from the list, type both texts, check, fix) and the 过错方 practice (answer, go on,
restart the kernel, find the progress restored)."""
from __future__ import annotations

from .conftest import SHOTS
from .keys import type_into
from .reading import text_of
from .test_jupyterlab import ERRORS, click_until, open_and_run, restart_and_run_all, shown_widget

NOTEBOOK = "11_aftersale.ipynb"


def test_review_planner_typed_and_checked(page, lab):
    open_and_run(page, lab, NOTEBOOK)
    planner = shown_widget(page, ".course-review-planner", "处理规划：", timeout=20_000)
    select = planner.locator("select").first
    select.select_option(index=2)                # the native list cannot be clicked in headless Chromium
    label = select.evaluate("s => s.options[s.selectedIndex].text")
    cause = label.split("｜")[2]
    page.wait_for_function("([el, cause]) => { const b = el.querySelector('.widget-toggle-button.mod-active');"
                           " return b && b.innerText.trim() === cause; }", arg=[planner.element_handle(), cause])
    text_of(planner, "① 找原因", "DSR")          # both, once the plan's re-render has arrived

    contact, reply = planner.locator("textarea").nth(0), planner.locator("textarea").nth(1)
    type_into(page, contact, "亲，您把差评改成好评，我给您返5元红包。")
    type_into(page, reply, "非常抱歉让您久等了，王女士13812345678的订单已经处理。感谢您的反馈")
    planner.locator("button", has_text="检查").click()
    # the plan's step ④ already says 不泄露顾客信息: wait for the two scored texts, not for a phrase
    page.wait_for_function("el => (el.innerText.match(/回复得分：/g) || []).length === 2",
                           arg=planner.element_handle(), timeout=30_000)
    text_of(planner, "13812345678", "不催顾客改评价")

    page.locator(".widget-toggle-button", has_text="物流慢").first.click()
    type_into(page, contact, "您好，非常抱歉这一单让您等了这么久。查了物流，包裹在中转站耽误了，已经向快递公司反馈。请问收到后还有问题吗？")
    type_into(page, reply, "很抱歉让您久等了。这一单在快递转运时延误了，我们已经和快递公司核实并反馈；"
                           "今后遇到物流异常，会第一时间主动告知您。谢谢您的反馈。")
    planner.locator("button", has_text="检查").click()
    page.wait_for_function("el => (el.innerText.match(/回复得分：100\\/100/g) || []).length === 2",
                           arg=planner.element_handle(), timeout=30_000)
    SHOTS.mkdir(exist_ok=True)
    planner.screenshot(path=str(SHOTS / f"u11-review-planner-{lab[3]}.png"))
    assert "出了点问题" not in text_of(planner) and page.evaluate(ERRORS) == []


def test_fault_judge_by_mouse_and_restore(page, lab):
    open_and_run(page, lab, NOTEBOOK)
    judge = shown_widget(page, ".course-fault-judge", "案例 1/8", timeout=20_000)
    confirm = judge.locator("button", has_text="确定")
    click_until(confirm.first, lambda: judge.locator("text=请从店铺、买家、快递公司中选一个").wait_for(timeout=4_000),
                "确定 without a party did not ask for one")
    judge.locator(".widget-toggle-button", has_text="买家").click()
    confirm.first.click()
    judge.locator("text=判断不对").wait_for(timeout=30_000)
    judge.locator(".widget-radio-box label").first.click()
    confirm.nth(1).click()
    judge.locator("text=选得对").wait_for(timeout=30_000)
    judge.locator("button", has_text="下一个案例").click()
    judge.locator("text=案例 2/8").wait_for(timeout=30_000)

    restart_and_run_all(page)                    # a kernel restart, then Run All: the run comes back
    judge = shown_widget(page, ".course-fault-judge", "案例 2/8")
    judge.locator("button", has_text="重新开始").click()
    judge.locator("text=案例 1/8").wait_for(timeout=30_000)
    SHOTS.mkdir(exist_ok=True)
    judge.screenshot(path=str(SHOTS / f"u11-fault-judge-{lab[3]}.png"))
    assert "出了点问题" not in text_of(judge) and page.evaluate(ERRORS) == []
