"""The teacher's review desk (``python -m course_lib review``) in headless Chromium, used with the keyboard:
walk the replies with PageDown, type a score and a comment, save with Ctrl+Enter; a wrong score is refused
in Chinese; the override is in the regenerated CSV, .xlsx and feedback, and a second grading run keeps it."""
from __future__ import annotations

import shutil

import pytest

from course_lib.grading.review_server import start

from ..classroom import csv_row, feedback, grade, three_graded, xlsx_row
from .conftest import new_page, require_browser


@pytest.fixture(scope="module")
def desk(tmp_path_factory):
    require_browser()
    subs, out = three_graded(tmp_path_factory)
    shutil.copytree(out, out.parent / "复核")
    server, _ = start(out.parent / "复核")
    yield subs, out.parent / "复核", server
    server.shutdown()
    server.server_close()


def test_review_desk_with_the_keyboard(desk, chromium_browser, request):
    subs, out, server = desk
    auto = float(csv_row(out, "20240002")["u01.e5"])
    with new_page(chromium_browser, request) as page:
        outside, errors = [], []
        page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("http://127.0.0.1")
                   else (outside.append(route.request.url), route.abort()))
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(server.url)
        position = page.locator("#position")
        position.filter(has_text="u01.e5 第1/3份").wait_for(timeout=30_000)
        assert page.locator("#exercise").input_value() == "u01.e5"

        page.keyboard.press("PageDown")                      # 李四: "在的，是正品。"
        position.filter(has_text="第2/3份").wait_for()
        assert "20240002" in page.locator("#who").inner_text()
        assert page.locator("#answer").inner_text() == "在的，是正品。"
        assert page.evaluate("document.activeElement.id") == "score"   # ready to type a score

        page.keyboard.type("9")                               # more than the 4 points: refused, nothing lost
        page.keyboard.press("Enter")
        status = page.locator("#status")
        status.filter(has_text="分数应在0到4之间").wait_for(timeout=30_000)
        assert "error" in status.get_attribute("class") and "第2/3份" in position.inner_text()

        page.locator("#score").press("Control+a")
        page.keyboard.type("3")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.id") == "comment"
        page.keyboard.type("回答了正品问题，还缺少顾客能自己核实的依据。")
        page.keyboard.press("Control+Enter")                 # save and go on to the next reply
        status.filter(has_text="已保存：20240002 李四 3分").wait_for(timeout=60_000)
        position.filter(has_text="第3/3份").wait_for()
        page.keyboard.press("PageUp")
        position.filter(has_text="第2/3份").wait_for()
        assert page.locator("#reviewed-mark").inner_text().startswith("教师复核：3分")
        assert page.locator("#comment").input_value() == "回答了正品问题，还缺少顾客能自己核实的依据。"
        assert "✔" in page.locator("#list button").nth(1).inner_text()
        assert not outside and not errors

    for row in (csv_row(out, "20240002"), xlsx_row(out, "20240002")):
        assert float(row["u01.e5"]) == 3 and "教师复核" in row["备注"]
    text = feedback(out, "20240002")
    assert "- 得分：3/4" in text and "还缺少顾客能自己核实的依据" in text
    assert auto < 3
    grade(subs, out)                                         # the grader runs again: the teacher's score stays
    assert float(csv_row(out, "20240002")["u01.e5"]) == 3 and "教师复核" in feedback(out, "20240002")
