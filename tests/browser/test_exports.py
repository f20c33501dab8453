"""The offline exports in headless Chromium with the network cut off.

Unit 01 is exported into a temporary folder and both pages are opened from ``file://`` in a
browser context that aborts every other request. Nothing may try to leave the machine,
no local asset may be missing, no script may fail; the quizzes and the role-play must
render from the saved widget state, Chinese must be drawn with a real Chinese font (no
tofu), and reveal.js must start. Screenshots go to ``tests/browser/screenshots/``.
"""
from __future__ import annotations

import re

import pytest

from .conftest import REPO, SHOTS, require_browser

CJK_FONT = re.compile(r"CJK|Han Sans|Hei|YaHei|PingFang|Song|Ming|Kai|WenQuanYi|Droid Sans Fallback", re.I)


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """(handout, slides) of unit 01, exported once for this module."""
    require_browser()
    from course_lib.publish.export import export_unit

    handout, slides = export_unit(REPO / "notebooks" / "01_intro.ipynb", tmp_path_factory.mktemp("export"))
    return handout, slides


@pytest.fixture(scope="module")
def chromium(exported, chromium_browser):
    return chromium_browser


class Offline:
    """A page whose context aborts every request that is not ``file://``, and what went wrong."""

    def __init__(self, browser):
        self.context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN",
                                           service_workers="block")
        self.blocked: list[str] = []
        self.failed: list[str] = []
        self.errors: list[str] = []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("requestfailed", lambda r: self.failed.append(f"{r.url} ({r.failure})"))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def _route(self, route):
        url = route.request.url
        if url.startswith(("file://", "data:", "blob:")):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort("internetdisconnected")

    def problems(self) -> list[str]:
        return ([f"试图联网：{u}" for u in self.blocked] + [f"请求失败：{u}" for u in self.failed]
                + [f"脚本错误：{e}" for e in self.errors])


@pytest.fixture
def offline(chromium):
    o = Offline(chromium)
    yield o
    o.context.close()


# go to a slide and step through its fragments (the widget cells are fragments)
SHOW_SLIDE = "i => { Reveal.slide(i.h, i.v); while (Reveal.nextFragment()) {} }"
ON_SCREEN = """e => { e.scrollIntoView({block: 'center'});
    const r = e.getBoundingClientRect(); return r.height > 0 && r.top >= 0 && r.bottom <= innerHeight; }"""


def shot(page, name: str, full_page: bool = False) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / name), full_page=full_page)


def scroll_into_slide(locator) -> None:
    """Scroll a tall slide (made scrollable by the export) until ``locator`` is on screen."""
    locator.page.wait_for_function(ON_SCREEN, arg=locator.element_handle(), timeout=10_000)


def cjk_fonts(page, selector: str) -> list[str]:
    """The platform fonts Chromium really used to draw the text of ``selector``."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    return [f["familyName"] for f in fonts if f["glyphCount"] > 0 and CJK_FONT.search(f["familyName"])]


def test_handout_renders_offline_with_widgets(exported, offline):
    handout, _ = exported
    page = offline.page
    page.goto(handout.as_uri(), wait_until="load")
    submit = page.get_by_role("button", name="提交").first
    submit.wait_for(state="visible", timeout=20_000)
    page.locator(".widget-radio-box").first.wait_for(state="visible", timeout=10_000)    # quiz options
    start = page.get_by_role("button", name="开始接待")                                   # the role-play
    start.wait_for(state="visible", timeout=10_000)
    page.wait_for_timeout(500)           # let icon fonts load (or fail) before judging
    heading = page.locator("h1").first.inner_text()
    assert "初识电商客服" in heading
    assert "教师提示" not in page.locator("main").inner_text(), "讲义是学生版，不应有教师提示"
    assert cjk_fonts(page, "h1"), "标题里的中文没有用中文字体绘制（会显示成方框）"
    shot(page, "export-handout-top.png")
    submit.scroll_into_view_if_needed()
    page.mouse.wheel(0, -250)
    page.wait_for_timeout(200)
    shot(page, "export-handout-quiz.png")
    start.scroll_into_view_if_needed()
    page.mouse.wheel(0, -150)
    page.wait_for_timeout(200)
    shot(page, "export-handout-roleplay.png")
    assert not offline.problems(), "\n".join(offline.problems())


def test_slides_render_offline_with_reveal(exported, offline):
    _, slides = exported
    page = offline.page
    page.goto(slides.as_uri(), wait_until="load")
    page.wait_for_function("() => window.Reveal && Reveal.isReady()", timeout=20_000)
    assert page.locator(".reveal .slides section").count() > 5
    assert page.evaluate("() => Reveal.getTotalSlides()") > 5
    assert cjk_fonts(page, ".reveal section.present h1"), "幻灯片标题里的中文没有用中文字体绘制"
    shot(page, "export-slides-title.png")
    for _ in range(3):                   # slide changes run the scrolling handler
        page.keyboard.press("ArrowRight")
        page.wait_for_timeout(300)
    page.wait_for_timeout(800)           # the end of the slide transition
    shot(page, "export-slides-3.png")
    page.evaluate("() => Reveal.configure({transition: 'none'})")   # no timing games below
    # slides off screen are aria-hidden, so look for the widgets in the DOM, not by role
    page.locator(".reveal button", has_text="提交").first.wait_for(state="attached", timeout=20_000)
    indices = page.evaluate("""() => {
        const b = Array.from(document.querySelectorAll('.reveal button'))
            .find(x => x.textContent.includes('开始接待'));
        const s = b && b.closest('section');
        return s ? Reveal.getIndices(s) : null; }""")
    assert indices is not None, "幻灯片里没有角色扮演的「开始接待」按钮"
    page.evaluate(SHOW_SLIDE, indices)
    page.wait_for_timeout(800)
    start = page.locator(".reveal section.present button", has_text="开始接待")
    assert start.is_visible()
    scroll_into_slide(start)
    shot(page, "export-slides-roleplay.png")
    quiz = page.evaluate("""() => {
        const s = document.querySelector('.reveal .widget-radio-box').closest('section');
        return Reveal.getIndices(s); }""")
    page.evaluate(SHOW_SLIDE, quiz)
    page.wait_for_timeout(800)
    radio = page.locator(".reveal section.present .widget-radio-box").first
    assert radio.is_visible()
    scroll_into_slide(radio)
    shot(page, "export-slides-quiz.png")
    assert not offline.problems(), "\n".join(offline.problems())
