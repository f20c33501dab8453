"""Unit 12's components in a real JupyterLab, used like a student: the RFM explorer (type splits,
pick a segment, look up a 会员档案) and the team KPI dashboard (pick an agent, type new weights)."""
from __future__ import annotations

from .conftest import SHOTS
from .keys import type_into
from .reading import text_of
from .test_jupyterlab import ERRORS, open_and_run, press, shown_widget

NOTEBOOK = "12_crm.ipynb"


def test_rfm_explorer_and_kpi_dashboard(page, lab):
    open_and_run(page, lab, NOTEBOOK)
    explorer = shown_widget(page, ".course-rfm-explorer", "重要挽留客户（31）", timeout=20_000)
    r_box = explorer.locator("input[type=text]").first
    type_into(page, r_box, "九十")
    press(explorer.locator("button", has_text="重新分层"), explorer, "不是数字")
    type_into(page, r_box, "90")
    press(explorer.locator("button", has_text="重新分层"), explorer, "R 90天")
    text_of(explorer, "重要挽留客户（13）")
    explorer.locator(".widget-toggle-button", has_text="重要价值客户").click()
    explorer.locator("text=每月不超过2次").first.wait_for(timeout=30_000)
    type_into(page, explorer.locator("input[type=text]").nth(3), "c0334")
    press(explorer.locator("button", has_text="查看档案"), explorer, "会员档案：木木_9926")
    SHOTS.mkdir(exist_ok=True)
    explorer.screenshot(path=str(SHOTS / f"u12-rfm-explorer-{lab[3]}.png"))

    board = shown_widget(page, ".course-kpi-dashboard", "综合得分55分 · 待提升", timeout=20_000)
    board.locator("select").first.select_option(label="禾悦-小雅（A01）")
    board.locator("text=综合得分80分 · 银牌").wait_for(timeout=30_000)
    board.get_by_text("改一改考核方案的权重").click()
    numbers = board.locator("input[type=number]")
    type_into(page, numbers.nth(0), "20")        # 销售额目标完成率 30 → 20: the total is 90
    page.keyboard.press("Tab")
    press(board.locator("button", has_text="用新权重计算"), board, "合计应为100")
    type_into(page, numbers.nth(5), "15")        # 出勤率 5 → 15: back to 100
    page.keyboard.press("Tab")
    press(board.locator("button", has_text="用新权重计算"), board, "已按新的权重重新计算")
    board.screenshot(path=str(SHOTS / f"u12-kpi-dashboard-{lab[3]}.png"))
    assert "出了点问题" not in text_of(explorer) + text_of(board)
    assert page.evaluate(ERRORS) == []
