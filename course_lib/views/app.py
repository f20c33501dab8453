"""``roleplay_app()``: the Voilà practice app (``apps/roleplay.ipynb``).

A dropdown of every scenario in ``data/scenarios`` and, below it, a
:class:`~course_lib.views.roleplay.RolePlay` for the chosen one; choosing another
scenario replaces the role-play.  The student edition ships scenarios encoded as
``.dat``, so both ``.yaml`` and ``.dat`` files are listed.  Tests drive it with
``app.picker.value = "u01_thinkpad"`` and then ``app.roleplay.start_button.click()``.
"""
from __future__ import annotations

import html
import re
import time

import ipywidgets as w

from ..content.scenarios import load_scenario
from ..progress import ProgressStore
from ..settings import data_dir
from ..theme import text_colour
from .base import View, guarded
from .roleplay import RolePlay


def unit_label(unit: str) -> str:
    """``"u01"`` → ``"第01单元"`` (anything else is shown as it is)."""
    match = re.fullmatch(r"[uU](\d+)", unit.strip())
    return f"第{match.group(1).zfill(2)}单元" if match else unit


def scenario_choices() -> tuple[list[tuple[str, str]], list[str]]:
    """(dropdown options ``(label, id)`` sorted by unit, scenario files that failed to load)."""
    folder = data_dir() / "scenarios"
    ids = sorted({p.stem for p in folder.glob("*") if p.suffix in (".yaml", ".dat")}) if folder.is_dir() else []
    found, broken = [], []
    for scenario_id in ids:
        try:
            s = load_scenario(scenario_id)
        except Exception as error:  # one broken file must not stop the app
            broken.append(f"{scenario_id}（{error}）")
            continue
        found.append((s.unit, scenario_id, f"{unit_label(s.unit)} · {s.title}"))
    found.sort()
    return [(label, scenario_id) for _, scenario_id, label in found], broken


class RolePlayApp(View):
    def __init__(self, store: ProgressStore | None = None, clock=time.monotonic) -> None:
        super().__init__()
        self.store = store or ProgressStore()
        self.clock = clock
        options, broken = scenario_choices()
        self.roleplay: RolePlay | None = None
        self.picker = w.Dropdown(options=options, value=options[0][1] if options else None, description="选择情景",
                                 style={"description_width": "initial"}, layout=w.Layout(width="95%"))
        self.stage = w.VBox()
        self.stage.add_class("course-app-stage")
        self.notice = w.HTML()
        self.widget = w.VBox([self.picker, self.notice, self.stage, self.status])
        self.widget.add_class("course-app")
        titles = "、".join(label for label, _ in options)
        self.fallback = (f"【角色扮演练习】共{len(options)}个情景：{titles}。运行本单元格开始练习。" if options
                         else "【角色扮演练习】没有找到角色扮演情景，请检查 data/scenarios 文件夹是否完整。")
        if broken:
            self.notice.value = (f"<div style='{text_colour('warn')}'>以下情景文件有问题，暂不显示：" +
                                 html.escape("；".join(broken)) + "</div>")
        self.picker.observe(lambda change: self._show(change["new"]), names="value")
        if options:
            self._show(self.picker.value)
        else:
            self.stage.children = (w.HTML(f"<div style='{text_colour('bad')}'>没有找到角色扮演情景，"
                                          "请检查 data/scenarios 文件夹是否完整，或告诉老师。</div>"),)

    @guarded
    def _show(self, scenario_id: str | None) -> None:
        if not scenario_id:
            return
        self.stage.children = ()
        self.roleplay = RolePlay(scenario_id, store=self.store, clock=self.clock)
        self.stage.children = (self.roleplay.widget,)


def roleplay_app(store: ProgressStore | None = None, clock=time.monotonic) -> RolePlayApp:
    """The role-play practice app: pick a scenario, then play it."""
    return RolePlayApp(store=store, clock=clock)
