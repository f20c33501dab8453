"""Offline exports without a browser: no CDN, every asset present, the widget state saved.

The browser side (network blocked, widgets drawn, reveal.js started) is in
``tests/browser/test_exports.py``.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest

from course_lib.notebook.cells import drop_solution_cells
from course_lib.publish import export

REPO = Path(__file__).resolve().parent.parent
MASTER = REPO / "notebooks" / "01_intro.ipynb"

# Written independently of course_lib.publish.export.remote_references, so a bug there can't hide a CDN.
REMOTE_TAG = re.compile(r"""<(?:script|link|img|iframe|source)\b[^>]*\b(?:src|href)\s*=\s*["']?(?:https?:)?//""", re.I)
REMOTE_CSS = re.compile(r"""(?:@import\s+(?:url\()?|url\()\s*["']?(?:https?:)?//""", re.I)
STATE_SCRIPT = re.compile(r'<script type="application/vnd\.jupyter\.widget-state\+json">(.*?)</script>', re.S)
VIEW_SCRIPT = re.compile(r'<script type="application/vnd\.jupyter\.widget-view\+json">(.*?)</script>', re.S)


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """(out folder, handout html, slides html, master bytes before) for unit 01."""
    before = MASTER.read_bytes()
    out = tmp_path_factory.mktemp("export")
    handout, slides = export.export_unit(MASTER, out)
    assert (handout.name, slides.name) == ("01_intro.html", "01_intro.slides.html")
    return out, handout.read_text(encoding="utf-8"), slides.read_text(encoding="utf-8"), before


def pages(exported):
    _, handout, slides, _ = exported
    return {"handout": handout, "slides": slides}


def test_no_script_stylesheet_or_image_from_the_internet(exported):
    for name, html in pages(exported).items():
        assert not REMOTE_TAG.findall(html), f"{name}: {REMOTE_TAG.findall(html)[:3]}"
        assert not REMOTE_CSS.findall(html), f"{name}: {REMOTE_CSS.findall(html)[:3]}"
        assert export.remote_references(html) == [], name
        for cdn in ("unpkg.com", "cdnjs.cloudflare.com", "cdn.jsdelivr.net", "fonts.googleapis.com"):
            assert cdn not in html, f"{name} mentions {cdn}"


def test_every_referenced_asset_exists(exported):
    out = exported[0]
    for name, html in pages(exported).items():
        refs = set(export.local_references(html)) | set(re.findall(r"""assets/[\w@./-]+\.(?:js|css)""", html))
        assert refs, name
        assert {r for r in refs if not r.startswith("assets/")} == set(), name
        missing = sorted(r for r in refs if not (out / r).is_file())
        assert not missing, f"{name}: {missing}"
    assert "widgetRendererSrc = 'assets/widgets/embed.js'" in pages(exported)["handout"]
    for needed in ("reveal.js/dist/reveal.js", "reveal.js/plugin/notes/notes.js", "reveal.js/dist/theme/white.css"):
        assert f"assets/{needed}" in pages(exported)["slides"]
    assert list((out / "assets" / "widgets").glob("*.woff2")), "按钮图标字体没有复制"


def test_widget_state_is_saved_in_both_pages(exported):
    for name, html in pages(exported).items():
        assert "application/vnd.jupyter.widget-state+json" in html
        (raw,) = STATE_SCRIPT.findall(html)
        state = json.loads(raw)
        assert state["version_major"] == 2
        models = state["state"]
        names = {m["model_name"] for m in models.values()}
        assert {"RadioButtonsModel", "ButtonModel", "HTMLModel"} <= names, names
        buttons = {m["state"].get("description") for m in models.values() if m["model_name"] == "ButtonModel"}
        assert {"提交", "开始接待"} <= buttons, buttons
        views = [json.loads(v)["model_id"] for v in VIEW_SCRIPT.findall(html)]
        assert len(views) == 6, f"{name}: 5个随堂测验和1个角色扮演"
        assert all(v in models for v in views), name


def test_handout_is_the_student_edition_with_a_chinese_title(exported):
    _, handout, slides, _ = exported
    assert "教师提示" not in handout and "尚未作答" in handout
    assert "<title>第01单元　初识电商客服</title>" in handout
    assert slides.count("<section") > 5
    assert 'lang="zh"' in handout and 'lang="zh"' in slides


def test_master_notebook_is_not_changed(exported):
    assert MASTER.read_bytes() == exported[3]


def test_solution_cells_are_dropped():
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("x = 1", metadata={"course": {"role": "solution"}}),
        nbformat.v4.new_markdown_cell("**教师提示**", metadata={"course": {"role": "teacher"}}),
        nbformat.v4.new_code_cell("answer_e1 = 'A'", metadata={"course": {"role": "answer"}}),
    ])
    kept = drop_solution_cells(nb)
    assert [c["metadata"]["course"]["role"] for c in kept["cells"]] == ["teacher", "answer"]
    assert len(nb.cells) == 3                      # a copy: the notebook given is unchanged


def test_teacher_export_keeps_notes_and_the_student_export_resets_answers():
    def notebook():
        return nbformat.v4.new_notebook(cells=[
            nbformat.v4.new_markdown_cell("**教师提示**：讲评要点", metadata={"course": {"role": "teacher"}}),
            nbformat.v4.new_code_cell("answer_e1 = 'A'", metadata={"course": {"role": "answer", "id": "u01.e1"}}),
        ])
    teacher = export.prepare(notebook(), "teacher")
    student = export.prepare(notebook(), "student")
    assert [c.source for c in teacher.cells] == ["**教师提示**：讲评要点", "answer_e1 = 'A'"]
    assert [c.source for c in student.cells] == ["answer_e1 = ..."]


def test_assets_are_listed_small_and_self_contained():
    files = sorted(p for p in export.ASSETS.rglob("*") if p.is_file() and p.name != "ASSETS.md")
    manifest = (export.ASSETS / "ASSETS.md").read_text(encoding="utf-8")
    for p in files:
        assert p.relative_to(export.ASSETS).as_posix() in manifest, p
    assert sum(p.stat().st_size for p in files) < 3_000_000
    for p in files:
        if p.suffix in {".css", ".js"}:
            text = p.read_text(encoding="utf-8")
            # embed.js only has a commented-out Google Fonts @import inside a CSS string
            assert not REMOTE_CSS.search(text) or p.name == "embed.js", p
            assert not re.search(r"[/*]# sourceMappingURL=\S+\s*(?:\*/)?\s*$", text), p


def test_the_command_reports_a_missing_notebook_in_chinese(tmp_path, capsys):
    from course_lib.cli import main

    assert main(["export", str(tmp_path / "nope.ipynb"), "--out", str(tmp_path / "out")]) == 2
    assert "找不到笔记本" in capsys.readouterr().err
