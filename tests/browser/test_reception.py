"""Unit 06's multi-buyer reception simulator in a real JupyterLab, played to the end like a student:
open the master, Run All, start the session, pick buyers from the queue as their messages come in,
click the best reply, send the 快捷短语 once, type the free reply on the keyboard, read the report."""
from __future__ import annotations

import re
import time

from course_lib.content.reception_script import load_reception

from .conftest import SHOTS
from .reading import text_of
from .test_jupyterlab import click_until, open_and_run

TYPED = "可以的～收到后商品完好，支持七天无理由退货；下单还送运费险，退货运费由运费险承担，您可以放心。"
SEND = re.compile(r"^\s*发送\s*$")


def test_a_three_buyer_session_played_to_the_report(page, lab):
    script = load_reception("u06_reception").select(3)
    best = {t.best.text for b in script.buyers for t in b.turns if t.options}
    open_and_run(page, lab, "06_communication.ipynb")
    sim = page.locator(".course-reception").first
    sim.scroll_into_view_if_needed()
    sim.locator("button", has_text="开始接待").click()
    sim.locator(".course-queue button", has_text="橙子_0730").wait_for(timeout=30_000)
    assert "已接待 00:0" in sim.inner_text()

    report = sim.locator(".course-reception-report")
    answered, quick_sent, deadline = 0, False, time.monotonic() + 240
    while not report.is_visible():
        assert time.monotonic() < deadline, f"报告没有出现；已回答{answered}轮：{sim.inner_text()[:600]}"
        assert "出了点问题" not in sim.inner_text()
        waiting = sim.locator(".course-queue .widget-hbox", has=page.locator(".course-unread"))
        if waiting.count() == 0:
            page.wait_for_timeout(500)
            continue
        waiting.first.locator("button").click()               # the buyer waiting longest is on top
        page.wait_for_timeout(400)
        options = sim.locator(".course-option")
        textarea = sim.locator("textarea")
        if options.count():
            row = next((options.filter(has_text=text) for text in best if options.filter(has_text=text).count()), None)
            assert row is not None, sim.inner_text()[:800]
            click_until(row.locator("button"), lambda row=row: row.first.wait_for(state="detached", timeout=10_000),
                        "the chosen reply stayed on offer")      # chosen: the options of this turn go away
            sim.locator("text=/本轮得分/").first.wait_for(timeout=30_000)
            answered += 1
        elif textarea.is_visible():
            if not quick_sent:                                # first tell 小满 someone is there
                sim.locator("button", has_text="快捷短语").click()
                sim.locator("text=/快捷短语让顾客知道你在/").wait_for(timeout=30_000)
                quick_sent = True
            textarea.click()
            page.keyboard.type(TYPED, delay=15)
            sim.locator("button", has_text=SEND).click()
            sim.locator("text=/回复得分/").first.wait_for(timeout=30_000)
            answered += 1
        page.wait_for_timeout(300)

    assert answered == 9 and quick_sent
    text = text_of(report, "本次模拟（你）")
    SHOTS.mkdir(exist_ok=True)
    report.screenshot(path=str(SHOTS / f"u06_reception-{lab[3]}.png"))
    for nick in ("橙子_0730", "小满_0812", "大熊_77"):
        assert nick in text
    assert text.count("下单成功") >= 2 and "已加入购物车" in text
    assert "本次模拟（你）" in text and "小雅（A01）" in text and "小杰（A03）" in text
    first = re.search(r"平均首次响应([\d.]+)秒", text)
    assert first and float(first.group(1)) < 60, text[:300]
    assert "回复率100.0%" in text

    sim.locator("button", has_text="再来一次").click()
    sim.locator("button", has_text="开始接待").wait_for(timeout=30_000)
    assert not report.is_visible() and sim.locator(".course-queue button").count() == 0
