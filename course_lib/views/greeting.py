"""``GreetingBuilder()``: pick the parts of a 欢迎语, see it as a chat bubble with its score (unit 07).

A thin view over :mod:`course_lib.content.greeting`: dropdowns for the nickname, the greeting
word, the activity line and the help line, toggle buttons for the emoji, a 「生成欢迎语」 button,
then a text box to rewrite the greeting and score it again.  Tests drive it with
``b.emoji.value = "😊"; b.build_button.click()``, ``b.text.value = "…"; b.score_button.click()``.
"""
from __future__ import annotations

import html

import ipywidgets as w

from ..content.greeting import GreetingParts, build_greeting, greeting_rules, score_greeting, short_name
from ..theme import text_colour
from .base import View, bubble, guarded, heading, typed


class GreetingBuilder(View):
    fallback = "【欢迎语生成器】运行本单元格，选择客服昵称、表情和活动一句，生成欢迎语并打分。"

    def __init__(self, nickname: str = "禾悦-小暖") -> None:
        super().__init__()
        rules = self.rules = greeting_rules()
        if nickname not in rules.nicknames:
            raise ValueError(f"客服昵称应是{'、'.join(rules.nicknames)}之一，现在是「{nickname}」。")
        wide = {"description_width": "90px"}
        self.nickname = w.Dropdown(options=rules.nicknames, value=nickname, description="客服昵称", style=wide)
        self.salutation = w.Dropdown(options=rules.salutations, description="问候语", style=wide)
        self.emoji = w.ToggleButtons(options=[("不用", "")] + [(e, e) for e in rules.emojis], value="",
                                     description="表情", style={**wide, "button_width": "56px"})
        self.activity = w.Dropdown(options=[("（不写）", "")] + [(a, a) for a in rules.activities], value="",
                                   description="活动或服务", style=wide, layout=w.Layout(width="460px"))
        self.help_line = w.Dropdown(options=rules.help_lines, description="提供帮助", style=wide,
                                    layout=w.Layout(width="460px"))
        self.build_button = w.Button(description="生成欢迎语", button_style="primary", icon="magic")
        self.build_button.on_click(lambda _: self._build())
        self.preview = w.HTML()
        self.panel = w.HTML()
        self.text = typed(w.Textarea, placeholder="生成后这里会填入欢迎语，你可以改写它，再点「给我的欢迎语打分」",
                          layout=w.Layout(width="95%", height="60px"))
        self.score_button = w.Button(description="给我的欢迎语打分", icon="check")
        self.score_button.on_click(lambda _: self._score_text())
        self.text_panel = w.HTML()
        self.result = None
        activities = "".join(f"<li>{html.escape(a)}</li>" for a in rules.activities)
        header = w.HTML(heading("欢迎语生成器", "选好各要素，点「生成欢迎语」；也可以在下面自己改写，再点「给我的欢迎语打分」。",
                                f"<details><summary><b>任务卡</b></summary><div>店铺名：「{html.escape(rules.shop)}」</div>"
                                f"<div>可以写的活动或服务：</div><ul>{activities}</ul><div>店铺没有的优惠不能写。</div></details>"))
        self.widget = w.VBox([header, self.nickname, self.salutation, self.emoji, self.activity, self.help_line,
                              self.build_button, self.preview, self.panel,
                              w.HTML("<b>我来改写</b>"), self.text, self.score_button, self.text_panel, self.status])
        self.widget.add_class("course-greeting")

    def text_value(self) -> str:
        """The greeting the current choices build."""
        return build_greeting(GreetingParts(self.nickname.value, self.emoji.value, self.activity.value,
                                            self.salutation.value, self.help_line.value), self.rules)

    @guarded
    def _build(self) -> None:
        text = self.text_value()
        self.result = score_greeting(text, nickname=self.nickname.value, rules=self.rules)
        self.preview.value = bubble(text, f"客服{short_name(self.nickname.value)}", "right", width=85,
                                    text_class="course-greeting-text")
        self.panel.value = self.result.to_html()
        self.text.value = text
        self.text_panel.value = ""

    @guarded
    def _score_text(self) -> None:
        if not self.text.value.strip():
            self.text_panel.value = f"<div style='{text_colour('warn')}'>请先在框里写一条欢迎语。</div>"
            self.result = score_greeting("", nickname=self.nickname.value, rules=self.rules)
            return
        self.result = score_greeting(self.text.value, nickname=self.nickname.value, rules=self.rules)
        self.text_panel.value = self.result.to_html()
