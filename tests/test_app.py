"""The Voilà role-play app (``apps/roleplay.ipynb``) driven from Python."""
from __future__ import annotations

import json

import pytest

pytest.importorskip("ipywidgets")

from course_lib.content.scenarios import load_scenario
from course_lib.progress import ProgressStore
from course_lib.settings import data_dir
from course_lib.views.app import roleplay_app, scenario_choices, unit_label

SCENARIOS = sorted(p.stem for p in (data_dir() / "scenarios").glob("*.yaml"))


def test_unit_label():
    assert unit_label("u01") == "第01单元" and unit_label("u7") == "第07单元" and unit_label("附录") == "附录"


def test_dropdown_lists_every_scenario_sorted_by_unit(tmp_path):
    app = roleplay_app(store=ProgressStore(tmp_path / "p.json"))
    options = list(app.picker.options)
    assert sorted(value for _, value in options) == SCENARIOS
    units = [load_scenario(value).unit for _, value in options]
    assert units == sorted(units)
    for label, value in options:
        s = load_scenario(value)
        assert label == f"{unit_label(s.unit)} · {s.title}"
    assert app.picker.value == options[0][1]                       # the first scenario by default
    assert app.roleplay.scenario.id == options[0][1]
    assert app.stage.children == (app.roleplay.widget,)
    assert app.status.value == "" and app.notice.value == ""


def test_changing_the_scenario_replaces_the_roleplay_and_it_plays(tmp_path):
    store = ProgressStore(tmp_path / "p.json")
    app = roleplay_app(store=store)
    first = app.roleplay
    second_id = app.picker.options[1][1]
    app.picker.value = second_id
    rp = app.roleplay
    assert rp is not first and rp.scenario.id == second_id
    assert app.stage.children == (rp.widget,)
    assert load_scenario(second_id).title in rp.widget.children[0].value
    rp.start_button.click()
    assert len(rp.option_buttons) >= 2
    rp.option_buttons[0].click()
    assert "本轮得分" in rp.turn_feedback.value and len(rp.dialogue.steps) == 1
    assert app.status.value == "" and rp.status.value == ""
    # back to the first: a fresh role-play of that scenario
    app.picker.value = app.picker.options[0][1]
    assert app.roleplay.scenario.id == app.picker.options[0][1] and not app.roleplay.started


def test_fallback_text_instead_of_widget_repr(tmp_path):
    app = roleplay_app(store=ProgressStore(tmp_path / "p.json"))
    bundle = app._repr_mimebundle_()
    assert bundle["text/plain"].startswith("【角色扮演练习】") and "运行本单元格" in bundle["text/plain"]
    assert "application/vnd.jupyter.widget-view+json" in bundle


def test_encoded_dat_scenarios_and_a_broken_file(tmp_path, monkeypatch):
    """The student edition encodes scenarios as .dat; a broken file is named, not fatal."""
    from course_lib.content.scenarios import load_scenario as cached
    from course_lib.files import encode

    folder = tmp_path / "data" / "scenarios"
    folder.mkdir(parents=True)
    for stem in SCENARIOS:
        text = (data_dir() / "scenarios" / f"{stem}.yaml").read_text(encoding="utf-8")
        (folder / f"{stem}.dat").write_bytes(encode(text))
    (folder / "zz_broken.yaml").write_text("id: zz_broken\n", encoding="utf-8")
    monkeypatch.setenv("COURSE_DATA", str(tmp_path / "data"))
    cached.cache_clear()
    try:
        options, broken = scenario_choices()
        assert sorted(value for _, value in options) == SCENARIOS
        assert len(broken) == 1 and broken[0].startswith("zz_broken")
        app = roleplay_app(store=ProgressStore(tmp_path / "p.json"))
        assert "zz_broken" in app.notice.value and app.roleplay is not None
    finally:
        cached.cache_clear()


def test_no_scenarios_is_a_friendly_message(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_DATA", str(tmp_path))
    app = roleplay_app(store=ProgressStore(tmp_path / "p.json"))
    assert app.roleplay is None and "没有找到" in app.fallback
    assert "没有找到" in app.stage.children[0].value


def test_the_notebook_stores_only_the_text_fallback():
    from course_lib.settings import repo_dir

    nb = json.loads((repo_dir() / "apps" / "roleplay.ipynb").read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert len(code) == 1 and "roleplay_app()" in "".join(code[0]["source"])
    outputs = code[0]["outputs"]
    assert len(outputs) == 1 and list(outputs[0]["data"]) == ["text/plain"]      # no widget ids stored
    assert "".join(outputs[0]["data"]["text/plain"]).startswith("【角色扮演练习】")
