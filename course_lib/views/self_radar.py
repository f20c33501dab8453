"""``SelfRadar()``: the self-assessment of unit 02 drawn as a radar chart.

One row per statement with five buttons (1–5); 生成雷达图 checks that every statement
has a score, draws :func:`course_lib.charts.radar_chart` into an Output and writes the
summary (mean, strongest, weakest, advice) from
:func:`course_lib.practice.self_assessment.radar_summary`.  The scores are kept in the
progress file and come back when the cell runs again.  Tests set
``radar.buttons[i].value = "4"`` and call ``radar.draw.click()``.
"""
from __future__ import annotations

import html

import ipywidgets as w

from ..charts import radar_chart
from ..practice.loading import load_assessment
from ..practice.self_assessment import Assessment, radar_summary
from ..progress import ProgressStore
from ..theme import colour, text_colour
from .base import View, guarded, heading

BORDER = colour("border")
MUTED = text_colour("muted")
WARN = text_colour("warn")


class SelfRadar(View):
    fallback = "【素养自评】运行本单元格，给每句话打分后生成你的雷达图。"

    def __init__(self, unit: str = "u02", store: ProgressStore | None = None,
                 assessment: Assessment | None = None) -> None:
        super().__init__()
        self.unit = unit
        self.assessment = assessment or load_assessment(unit)
        self.store = store or ProgressStore()
        self.summary = None
        a = self.assessment
        marks = [str(k) for k in range(1, a.scale + 1)]
        header = w.HTML(heading("客服素养自评", "给每句话打一个分：1＝完全不符合，2＝不太符合，3＝基本符合，4＝比较符合，"
                                "5＝完全符合。自评没有对错，照实打分才有用；不计分、不上传、不排名。"))
        self.buttons: list[w.ToggleButtons] = []
        rows = []
        for number, dimension, text in a.statements:
            toggle = w.ToggleButtons(options=marks, value=None, style={"button_width": "34px"},
                                     layout=w.Layout(width="auto"))
            self.buttons.append(toggle)
            rows.append(w.HBox([w.HTML(f"<div style='width:460px'><b>{number}.</b> {html.escape(text)}"
                                       f"<span style='{MUTED}'>（{html.escape(dimension)}）</span></div>"), toggle],
                               layout=w.Layout(border_bottom=f"1px solid {BORDER}", padding="2px 0")))
        self.draw = w.Button(description="生成雷达图", button_style="primary", icon="bar-chart")
        self.draw.on_click(lambda _: self._draw())
        self.clear = w.Button(description="清空重填", icon="eraser")
        self.clear.on_click(lambda _: self._clear())
        self.chart = w.Output()
        self.text = w.HTML()
        self.widget = w.VBox([header, *rows, w.HBox([self.draw, self.clear]), self.status, self.chart, self.text])
        self.widget.add_class("course-self-radar")
        saved = self.store.get("self_assessment", unit)
        if isinstance(saved, dict):
            try:
                for toggle, (number, _, _) in zip(self.buttons, a.statements):
                    toggle.value = str(saved[number]) if str(saved.get(number)) in marks else None
            except Exception:  # a stale or edited progress entry is ignored
                self._clear()

    def answers(self) -> dict[str, str | None]:
        return {number: toggle.value for toggle, (number, _, _) in zip(self.buttons, self.assessment.statements)}

    @guarded
    def _draw(self) -> None:
        answers = self.answers()
        missing = [n for n, v in answers.items() if v is None]
        if missing:
            self.status.value = f"<div style='{WARN}'>还有第{'、'.join(missing)}句没有打分，打完分再生成雷达图。</div>"
            return
        a = self.assessment
        self.summary = radar_summary(a, a.scores(answers))
        s = self.summary
        self.chart.clear_output(wait=True)
        with self.chart:
            radar_chart(s.labels, s.values, title="我的客服素养自评", scale=a.scale, reference=a.reference,
                        reference_label=f"参考线：{a.reference:g}分")
        lines = s.to_text().splitlines()[len(s.labels):]
        self.text.value = "".join(f"<div>{html.escape(line)}</div>" for line in lines)
        self.store.put("self_assessment", self.unit, {k: int(v) for k, v in answers.items()})

    @guarded
    def _clear(self) -> None:
        for toggle in self.buttons:
            toggle.value = None
        self.chart.clear_output()
        self.text.value = ""
        self.summary = None
