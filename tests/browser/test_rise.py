"""A unit presents as slides inside JupyterLab (jupyterlab-rise)."""
from __future__ import annotations

from .conftest import SHOTS


def test_unit_presents_as_rise_slides(page, lab):
    base, token, _, locale = lab
    page.goto(f"{base}/lab/tree/notebooks/01_intro.ipynb?token={token}&reset")
    page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell.currentWidget "
                           "&& window.jupyterapp.shell.currentWidget.sessionContext", timeout=60_000)
    commands = page.evaluate("() => window.jupyterapp.commands.listCommands()")
    assert "RISE:preview" in commands, "jupyterlab-rise 没有安装"
    page.evaluate("() => window.jupyterapp.commands.execute('RISE:preview')")
    frame = None
    for _ in range(60):
        frame = next((f for f in page.frames if "/rise/" in f.url), None)
        if frame is not None and frame.locator(".reveal .slides section").count() > 10:
            break
        page.wait_for_timeout(500)
    assert frame is not None, "幻灯片预览没有打开"
    assert frame.locator(".reveal .slides section").count() > 10
    frame.locator(".reveal .slides section.present").first.wait_for(timeout=20_000)
    assert "初识电商客服" in frame.locator(".reveal .slides section.present").first.inner_text()
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"rise-{locale}.png"))
