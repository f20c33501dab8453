"""The team KPI dashboard (unit 12): one agent and month against the targets and the 绩效考核表.

The data are ``agent_kpi`` (one row per 售前客服 and month, computed by :mod:`.sales` and
:mod:`.chat`).  Scores come from :func:`~course_lib.shop.performance.score_sheet`, always
for **the whole team of that month** (落实客单价 is compared with the team average).
The targets are the full-mark band of each item of the scheme, plus the course's
first-response standard (``data/standards.yaml``: 10 s).  The widget is
:class:`course_lib.views.crm.KpiDashboard`.

>>> import pandas as pd
>>> kpis = pd.DataFrame({"月份": ["2025-10"] * 2, "客服编号": ["A01", "A03"], "昵称": ["禾悦-小雅", "禾悦-小杰"],
...     "销售额目标完成率": [1.2, 0.89], "询单转化率": [0.32, 0.30], "落实客单价": [234.0, 175.0],
...     "回复率": [0.99, 1.0], "平均响应秒数": [25.7, 68.1], "平均首次响应秒数": [25.5, 50.9], "出勤率": [1.0, 1.0]})
>>> parse_agent(kpis, "小杰"), parse_month(kpis, "2025年10月")
('A03', '2025-10')
>>> view = agent_month_view(kpis, "A01", "2025-10")
>>> view.total, view.grade, view.rank
(80.0, '银牌', 1)
>>> [(t.name, t.met(value)) for t, value in view.targets][:2]
[('销售额目标完成率', True), ('询单转化率', False)]
"""
from __future__ import annotations

import copy
import math
import re
from dataclasses import dataclass
from typing import Any

from ..settings import standards
from ..text import fold_reply, plain_str, to_halfwidth
from .performance import DEFAULT_SCHEME, HIGHER, LOWER, TEAM_MEAN, score_sheet
from .sales import dsr, good_review_rate, refund_rate
from .tables import KPIDataError, require_columns

NEED = ("月份", "客服编号", "昵称")
FIRST = "平均首次响应秒数"


@dataclass(frozen=True)
class Target:
    name: str
    direction: str        # 越高越好 / 越低越好
    value: float
    unit: str             # "%" (a fraction), "秒", "元"
    source: str

    def shown(self, value: float) -> str:
        if not math.isfinite(value):
            return "—"
        return f"{value * 100:.1f}%" if self.unit == "%" else f"{value:.1f}{self.unit}"

    def met(self, value: float) -> bool:
        return math.isfinite(value) and (value >= self.value if self.direction == HIGHER else value <= self.value)


def kpi_targets(scheme: dict = DEFAULT_SCHEME) -> tuple[Target, ...]:
    """The full-mark band of every item of ``scheme`` (items compared with the team average are
    left out) and the first-response standard.

    >>> [(t.name, t.value) for t in kpi_targets()][-2:]
    [('出勤率', 1.0), ('平均首次响应秒数', 10.0)]
    """
    out = [Target(name, rule.get("方向", HIGHER), float(rule["档位"][0][0]), rule.get("单位", ""), "绩效考核表满分档")
           for name, rule in scheme["考核项目"].items() if rule.get("比较") != TEAM_MEAN]
    out.append(Target(FIRST, LOWER, standards().first_response, "秒", "本课程标准（教材）"))
    return tuple(out)


@dataclass(frozen=True)
class AgentMonthView:
    agent: str
    nickname: str
    month: str
    targets: tuple[tuple[Target, float], ...]       # (target, actual)
    scores: tuple[tuple[str, float, float], ...]     # (item, points, weight)
    total: float
    grade: str
    rank: int
    team_size: int
    trend: tuple[tuple[str, float, str], ...]        # (month, 综合得分, 等级) for every month

    def to_text(self) -> str:
        lines = [f"{self.nickname}（{self.agent}）{self.month}：综合得分{self.total:g}分，{self.grade}，"
                 f"团队第{self.rank}/{self.team_size}名"]
        sign = {HIGHER: "≥", LOWER: "≤"}
        lines += [f"  {t.name}：{t.shown(v)}（目标{sign[t.direction]}{t.shown(t.value)}）{'✔达标' if t.met(v) else '✘未达标'}"
                  for t, v in self.targets]
        lines.append("  绩效考核表：" + "；".join(f"{n}{p:g}分×{w:g}%" for n, p, w in self.scores))
        lines.append("  各月：" + "，".join(f"{m} {s:g}分（{g}）" for m, s, g in self.trend))
        return "\n".join(lines)


def _check(kpis) -> None:
    require_columns(kpis, list(NEED), "客服月度绩效表（agent_kpi）")


def parse_agent(kpis, value: object) -> str:
    """客服编号 from an id (``"a03"``), a nickname (``"禾悦-小杰"``) or its short form (``"小杰"``)."""
    _check(kpis)
    pairs = dict(zip(kpis["客服编号"].astype(str), kpis["昵称"].astype(str)))
    if isinstance(value, str):
        folded = fold_reply(plain_str(value)[:40]).upper()
        for agent, nick in pairs.items():
            if folded in (agent.upper(), fold_reply(nick).upper(), fold_reply(nick.split("-")[-1]).upper()):
                return agent
    shown = plain_str(value)[:20] if isinstance(value, str) else type(value).__name__
    raise KPIDataError(f"没有客服「{shown}」，可以选：{'、'.join(f'{a}（{n}）' for a, n in sorted(pairs.items()))}。")


_MONTH = re.compile(r"^(\d{4})\s*[-/.年]?\s*(\d{1,2})\s*月?$")


def parse_month(kpis, value: object) -> str:
    """月份 as ``YYYY-MM`` from ``"2025-10"``, ``"2025/10"``, ``"2025年10月"`` or ``"202510"``."""
    _check(kpis)
    months = sorted(set(kpis["月份"].astype(str)))
    if isinstance(value, str):
        match = _MONTH.match(to_halfwidth(plain_str(value)[:40]).strip())
        if match and f"{match.group(1)}-{int(match.group(2)):02d}" in months:
            return f"{match.group(1)}-{int(match.group(2)):02d}"
    shown = plain_str(value)[:20] if isinstance(value, str) else type(value).__name__
    raise KPIDataError(f"没有「{shown}」的数据，可以选的月份：{'、'.join(months)}。")


def team_table(kpis, month: object, scheme: dict = DEFAULT_SCHEME):
    """The month's 绩效考核表 for the whole team, best first, with a 名次 column."""
    month = parse_month(kpis, month)
    frame = kpis[kpis["月份"].astype(str) == month].rename(columns={"昵称": "客服昵称"})
    sheet = score_sheet(frame.reset_index(drop=True), scheme)
    sheet = sheet.sort_values(["综合得分", "客服编号"], ascending=[False, True], kind="stable").reset_index(drop=True)
    sheet.insert(0, "名次", range(1, len(sheet) + 1))
    return sheet


def agent_month_view(kpis, agent: object, month: object, scheme: dict = DEFAULT_SCHEME) -> AgentMonthView:
    """What the dashboard shows for one agent and month."""
    agent, month = parse_agent(kpis, agent), parse_month(kpis, month)
    sheets = {m: team_table(kpis, m, scheme) for m in sorted(set(kpis["月份"].astype(str)))}
    mine = sheets[month][sheets[month]["客服编号"].astype(str) == agent]
    if mine.empty:
        raise KPIDataError(f"{month}没有客服{agent}的数据。")
    row = mine.iloc[0]
    targets = []
    for target in kpi_targets(scheme):
        value = row.get(target.name, math.nan)
        try:
            value = float(value)
        except (TypeError, ValueError):
            value = math.nan
        targets.append((target, value))
    scores = tuple((name, float(row[f"{name}得分"]), float(rule["权重"])) for name, rule in scheme["考核项目"].items())
    trend = tuple((m, float(s.loc[s["客服编号"].astype(str) == agent, "综合得分"].iloc[0]),
                   str(s.loc[s["客服编号"].astype(str) == agent, "等级"].iloc[0]))
                  for m, s in sheets.items() if (s["客服编号"].astype(str) == agent).any())
    return AgentMonthView(agent, str(row["客服昵称"]), month, tuple(targets), scores, float(row["综合得分"]),
                          str(row["等级"]), int(row["名次"]), len(sheets[month]), trend)


def shop_month_metrics(orders, reviews, month: str) -> dict[str, float]:
    """The shop's after-sale results (unit 11's definitions) for one ``YYYY-MM``: 退款率 of the
    orders **paid** that month; 好评率 and DSR of the reviews **written** that month.

    >>> import pandas as pd
    >>> o = pd.DataFrame({"付款时间": pd.to_datetime(["2025-10-02", "2025-10-05", None, "2025-11-01"]),
    ...                   "退款时间": pd.to_datetime([None, "2025-10-09", None, None])})
    >>> r = pd.DataFrame({"评价时间": pd.to_datetime(["2025-10-03", "2025-10-04"]), "评价等级": ["好评", "差评"],
    ...                   "描述相符": [5, 2], "服务态度": [5, 3], "物流服务": [4, 1]})
    >>> shop_month_metrics(o, r, "2025-10")
    {'退款率': 0.5, '好评率': 0.5, '描述相符': 3.5, '服务态度': 4.0, '物流服务': 2.5}
    """
    if not isinstance(month, str) or not re.fullmatch(r"\d{4}-\d{2}", month):
        raise KPIDataError(f"月份应写成“2025-10”这样的形式，现在是「{str(month)[:20]}」。")
    require_columns(orders, ["付款时间"], "订单表")
    require_columns(reviews, ["评价时间"], "评价表")
    paid = orders[orders["付款时间"].dt.strftime("%Y-%m") == month]
    written = reviews[reviews["评价时间"].dt.strftime("%Y-%m") == month]
    return {"退款率": refund_rate(paid), "好评率": good_review_rate(written), **dsr(written)}


def edited_scheme(weights: dict[str, Any], scheme: dict = DEFAULT_SCHEME) -> dict:
    """A copy of ``scheme`` with new weights typed by a student (numbers, or text like ``"20"``, ``"20%"``).

    Not validated here: :func:`~course_lib.shop.performance.validate_scheme` (called by
    ``score_sheet``) says in Chinese what is wrong, e.g. weights that do not add up to 100.

    >>> s = edited_scheme({"销售额目标完成率": "20%", "出勤率": 15})
    >>> s["考核项目"]["销售额目标完成率"]["权重"], s["考核项目"]["出勤率"]["权重"], DEFAULT_SCHEME["考核项目"]["出勤率"]["权重"]
    (20.0, 15.0, 5)
    """
    out = copy.deepcopy(scheme)
    for name, value in weights.items():
        if name not in out["考核项目"]:
            raise KPIDataError(f"考核方案里没有「{str(name)[:20]}」这一项。")
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            raise KPIDataError(f"「{name}」的权重应是数字。")
        try:
            number = float(fold_reply(plain_str(value)[:20]).rstrip("%") if isinstance(value, str) else value)
        except ValueError:
            raise KPIDataError(f"「{name}」的权重「{plain_str(value)[:20]}」不是数字。") from None
        if not math.isfinite(number) or number < 0:
            raise KPIDataError(f"「{name}」的权重应是不小于0的数字。")
        out["考核项目"][name]["权重"] = number
    return out
