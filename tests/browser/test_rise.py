"""A unit presents as slides inside JupyterLab (jupyterlab-rise)."""
from __future__ import annotations

import json

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


MATH = {"cells": [{"cell_type": "markdown", "id": "m1", "metadata": {"slideshow": {"slide_type": "slide"}},
                   "source": ["# 客单价 $\\bar{x}=\\frac{S}{n}$\n", "\n", "$$\\hat{y}^2$$"]}],
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
        "nbformat": 4, "nbformat_minor": 5}


def test_formulas_render_although_mathjax3_is_flagged(page, lab):
    """jupyterlab-rise pulls in @jupyterlab/mathjax3-extension, built for JupyterLab 3 (flagged "X" by
    ``jupyter labextension list``): formulas still render in the notebook and in the slides, and the page
    logs no error from it (the README explains the flag)."""
    base, token, work, locale = lab
    (work / "notebooks" / "math.ipynb").write_text(json.dumps(MATH), encoding="utf-8")
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" and "mathjax" in m.text.lower() else None)
    page.on("pageerror", lambda e: errors.append(str(e)) if "mathjax" in str(e).lower() else None)
    page.goto(f"{base}/lab/tree/notebooks/math.ipynb?token={token}&reset")
    page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell.currentWidget "
                           "&& window.jupyterapp.shell.currentWidget.sessionContext", timeout=60_000)
    active = page.evaluate("() => window.jupyterapp.listPlugins().filter(p => p.includes('mathjax'))"
                           ".map(p => [p, window.jupyterapp.isPluginActivated(p)])")
    assert ["@jupyterlab/mathjax3-extension:plugin", True] in active      # the flagged extension is really there
    page.locator(".jp-RenderedMarkdown mjx-container").first.wait_for(timeout=20_000)
    assert page.locator(".jp-RenderedMarkdown mjx-container").count() == 2
    page.evaluate("() => window.jupyterapp.commands.execute('RISE:preview')")
    frame = None
    for _ in range(60):
        frame = next((f for f in page.frames if "/rise/" in f.url), None)
        if frame is not None and frame.locator(".reveal mjx-container").count() >= 2:
            break
        page.wait_for_timeout(500)
    assert frame is not None and frame.locator(".reveal mjx-container").count() >= 2
    assert frame.locator(".reveal mjx-container mjx-c").count() > 5              # glyphs, not the raw TeX
    assert not errors, errors
