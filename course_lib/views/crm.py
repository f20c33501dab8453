"""Unit 12's views: ``RfmExplorer()`` (RFM segments, their care plans, a 会员档案 card) and
``KpiDashboard()`` (one agent and month against the targets and the 绩效考核表).  Logic lives
in :mod:`course_lib.shop.crm`, :mod:`course_lib.shop.care_plans` and :mod:`course_lib.shop.dashboard`.

Drive them from tests: ``e.r_split.value = "90"; e.apply_button.click(); e.segment.value = "重要价值客户";
e.customer.value = "C0334"; e.card_button.click()``; ``d.agent.value = "A01"; d.weights["出勤率"].value = 15;
d.weight_button.click()``.
"""
from __future__ import annotations

import html
import math

import ipywidgets as w

from ..shop.crm import customer_card, explore, parse_splits, valid_orders
from ..shop.dashboard import agent_month_view, edited_scheme, shop_month_metrics
from ..shop.datasets import load_dataset
from ..shop.performance import DEFAULT_SCHEME, HIGHER
from ..shop.rfm import rfm_segments, rfm_table, segment_summary
from .base import View, guarded, heading, typed
from .tones import ACCENT, BAD, BORDER, MUTED, WARN, tick


def _table(header, rows) -> str:
    head = "".join(f"<th style='text-align:left;padding:2px 8px'>{html.escape(str(h))}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td style='padding:2px 8px'>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table style='border-collapse:collapse'><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _pre(text: str) -> str:
    return f"<div style='white-space:pre-wrap;line-height:1.5'>{html.escape(text)}</div>"


class RfmExplorer(View):
    fallback = "【RFM分层浏览器】运行本单元格后，可以查看八类客户的人数、名单和关怀计划，并输入顾客编号查看会员档案。"

    def __init__(self, today: str = "2025-12-31") -> None:
        super().__init__()
        self.today = today
        self.orders = load_dataset("orders")
        self.rfm = rfm_table(valid_orders(self.orders), today=today)
        self.tables = {name: load_dataset(name) for name in ("customers", "order_items", "reviews", "chat_sessions")}
        box = dict(placeholder="留空＝中位数", layout=w.Layout(width="200px"))
        self.r_split = typed(w.Text, description="R分界值", **box)
        self.f_split = typed(w.Text, description="F分界值", **box)
        self.m_split = typed(w.Text, description="M分界值", **box)
        self.apply_button = w.Button(description="重新分层", button_style="primary", icon="refresh")
        self.splits_html = w.HTML()
        self.segment = w.ToggleButtons(options=[], style={"button_width": "150px"})
        self.summary_html = w.HTML()
        self.members_html = w.HTML()
        self.customer = typed(w.Text, description="顾客编号", placeholder="例如 C0334", layout=w.Layout(width="260px"))
        self.card_button = w.Button(description="查看档案", icon="id-card")
        self.card_html = w.HTML()
        self.apply_button.on_click(lambda _: self._apply())
        self.segment.observe(lambda _: self._show_segment(), names="value")
        self.card_button.on_click(lambda _: self._card())
        header = w.HTML(heading("RFM分层浏览器",
                                f"只算已付款、没有退款的订单；“今天”是{html.escape(str(today))}。R高＝最近买过（天数小于分界值），"
                                "F高、M高＝大于分界值，等于分界值算低。"))
        self.widget = w.VBox([header, w.HBox([self.r_split, self.f_split, self.m_split, self.apply_button]),
                              self.splits_html, self.segment, self.summary_html, self.members_html,
                              w.HBox([self.customer, self.card_button]), self.card_html, self.status],
                             layout=w.Layout(border=f"1px solid {BORDER}", padding="6px"))
        self.widget.add_class("course-rfm-explorer")
        self.segmented = None
        self._apply(first="重要挽留客户")

    @guarded
    def _apply(self, first: str | None = None) -> None:
        try:
            splits = parse_splits(self.r_split.value, self.f_split.value, self.m_split.value)
        except ValueError as error:
            still = ""
            if self.segmented is not None:           # the segments below are the last good split's: say so
                used = self.segmented.attrs["分界值"]
                still = (f"<div>下面仍是上一次的分层结果（R {used['R']:g}天，F {used['F']:g}次，M {used['M']:g}元）；"
                         "改好分界值再点「重新分层」。</div>")
            self.splits_html.value = f"<div style='color:{WARN}'>{html.escape(str(error))}</div>{still}"
            return
        self.segmented = rfm_segments(self.rfm, **splits)
        used = self.segmented.attrs["分界值"]
        self.splits_html.value = (f"<div>{len(self.segmented)}位顾客；用到的分界值：R {used['R']:g}天，F {used['F']:g}次，"
                                  f"M {used['M']:g}元。</div>")
        counts = segment_summary(self.segmented)["人数"]
        keep = first or self.segment.value or "重要挽留客户"
        self.segment.options = [(f"{name}（{n}）", name) for name, n in counts.items()]
        self.segment.value = keep
        self._show_segment()

    @guarded
    def _show_segment(self) -> None:
        if self.segmented is None or self.segment.value is None:
            return
        view = explore(self.segmented, self.segment.value)
        self.summary_html.value = _pre(view.to_text())
        rows = [(html.escape(c), int(r), int(f), f"{m:.2f}") for c, r, f, m in
                zip(view.members["顾客编号"], view.members["R"], view.members["F"], view.members["M"])]
        self.members_html.value = (f"<div><b>金额最高的{len(rows)}位：</b></div>" + _table(["顾客编号", "R（天）", "F（次）",
                                                                                    "M（元）"], rows) if rows else "")

    @guarded
    def _card(self) -> None:
        t = self.tables
        try:
            card = customer_card(self.customer.value, t["customers"], self.orders, t["order_items"], t["reviews"],
                                 t["chat_sessions"], self.segmented)
        except ValueError as error:
            self.card_html.value = f"<div style='color:{WARN}'>{html.escape(str(error))}</div>"
            return
        self.card_html.value = f"<div style='border-left:4px solid {ACCENT};padding:2px 8px'>{_pre(card.to_text())}</div>"

    def summary_text(self) -> str:
        return html.unescape(self.splits_html.value + self.summary_html.value)


class KpiDashboard(View):
    fallback = "【团队KPI看板】运行本单元格后，选择客服和月份，查看KPI与目标、绩效得分和等级。"

    def __init__(self, agent: str = "A03", month: str = "2025-10") -> None:
        super().__init__()
        self.kpis = load_dataset("agent_kpi")
        self.orders, self.reviews = load_dataset("orders"), load_dataset("reviews")
        agents = dict(zip(self.kpis["客服编号"].astype(str), self.kpis["昵称"].astype(str)))
        self.agent = w.Dropdown(options=[(f"{n}（{a}）", a) for a, n in sorted(agents.items())], value=agent,
                                description="客服")
        self.month = w.Dropdown(options=sorted(set(self.kpis["月份"].astype(str))), value=month, description="月份")
        self.scheme = DEFAULT_SCHEME
        self.targets_html, self.sheet_html, self.trend_html, self.shop_html = w.HTML(), w.HTML(), w.HTML(), w.HTML()
        self.weights = {name: w.BoundedFloatText(value=rule["权重"], min=0, max=100, step=1, description=name,
                                                 style={"description_width": "120px"}, layout=w.Layout(width="240px"))
                        for name, rule in DEFAULT_SCHEME["考核项目"].items()}
        self.weight_button = w.Button(description="用新权重计算", button_style="primary", icon="calculator")
        self.reset_button = w.Button(description="恢复默认", icon="undo")
        self.weight_note = w.HTML()
        editor = w.VBox([*self.weights.values(), w.HBox([self.weight_button, self.reset_button]), self.weight_note])
        self.editor = w.Accordion(children=[editor], selected_index=None)
        self.editor.set_title(0, "改一改考核方案的权重")
        self.agent.observe(lambda _: self._show(), names="value")
        self.month.observe(lambda _: self._show(), names="value")
        self.weight_button.on_click(lambda _: self._reweight())
        self.reset_button.on_click(lambda _: self._reset())
        header = w.HTML(heading("团队KPI看板", "目标：绩效考核表各项的满分档，首次响应按本课程标准；"
                                "得分按当月全组数据计算（落实客单价和团队平均比）。"))
        self.widget = w.VBox([header, w.HBox([self.agent, self.month]), self.targets_html, self.sheet_html,
                              self.trend_html, self.shop_html, self.editor, self.status],
                             layout=w.Layout(border=f"1px solid {BORDER}", padding="6px"))
        self.widget.add_class("course-kpi-dashboard")
        self._show()

    @guarded
    def _show(self) -> None:
        view = agent_month_view(self.kpis, self.agent.value, self.month.value, self.scheme)
        self.view = view
        sign = {True: "≥", False: "≤"}
        rows = [(html.escape(t.name), t.shown(v), f"{sign[t.direction == HIGHER]}{t.shown(t.value)}",
                 f"{tick(t.met(v))} {'达标' if t.met(v) else '未达标'}", html.escape(t.source)) for t, v in view.targets]
        self.targets_html.value = "<div><b>KPI与目标</b></div>" + _table(["指标", "实际", "目标", "", "目标来源"], rows)
        rows = [(html.escape(n), f"{p:g}", f"{wt:g}%", f"{p * wt / 100:g}") for n, p, wt in view.scores]
        self.sheet_html.value = ("<div><b>绩效考核表</b></div>" + _table(["考核项目", "得分", "权重", "加权得分"], rows) +
                                 f"<div style='font-size:110%;margin:4px 0'><b>综合得分{view.total:g}分 · {view.grade} · "
                                 f"团队第{view.rank}/{view.team_size}名</b></div>")
        self.trend_html.value = "<div><b>各月等级</b></div>" + _table(
            [m for m, _, _ in view.trend], [[f"{s:g}分<br>{html.escape(g)}" for _, s, g in view.trend]])
        shop = shop_month_metrics(self.orders, self.reviews, self.month.value)
        shown = {k: (f"{v * 100:.1f}%" if k in ("退款率", "好评率") else f"{v:.2f}") if math.isfinite(v) else "—"
                 for k, v in shop.items()}
        self.shop_html.value = ("<div style='margin-top:4px'><b>店铺当月的售后指标（第11单元）</b>：" +
                                "，".join(f"{k}{v}" for k, v in shown.items()) +
                                f"<div style='color:{MUTED}'>退款率按付款月份，好评率和DSR按评价月份；"
                                "这些是全店的结果，不只看售前客服。</div></div>")

    @guarded
    def _reweight(self) -> None:
        scheme = edited_scheme({name: box.value for name, box in self.weights.items()})
        total = sum(rule["权重"] for rule in scheme["考核项目"].values())
        if abs(total - 100) > 1e-6:
            self.weight_note.value = (f"<div style='color:{BAD}'>各项权重合计应为100（%），现在是{total:g}。"
                                      "请调整后再计算。</div>")
            return
        self.scheme = scheme
        self.weight_note.value = "<div>已按新的权重重新计算。</div>"
        self._show()

    @guarded
    def _reset(self) -> None:
        for name, box in self.weights.items():
            box.value = DEFAULT_SCHEME["考核项目"][name]["权重"]
        self.scheme = DEFAULT_SCHEME
        self.weight_note.value = ""
        self._show()

    def view_text(self) -> str:
        return self.view.to_text()
