"""客服绩效考核表: score each agent's KPIs with a weighted, banded scheme.

:data:`DEFAULT_SCHEME` follows 某店铺绩效表 (DOMAIN.md): 销售额目标完成率 30%,
询单转化率 20%, 落实客单价 20%, 回复率 20%, 平均响应时间 5%, 出勤率 5%; grades 金牌
(90–100), 银牌 (80–90), 铜牌 (70–80), below 70 待提升.  The bands of 询单转化率, 回复率
and 平均响应时间 are the sheet's; those of 销售额目标完成率, 落实客单价 (relative to the
team average) and 出勤率 are **examples** for the teacher to edit.

A scheme is plain data: copy it, change a weight or a band, and pass it in::

    import copy
    scheme = copy.deepcopy(DEFAULT_SCHEME)
    scheme["考核项目"]["回复率"]["权重"] = 15
    scheme["考核项目"]["出勤率"]["权重"] = 10
    score_sheet(kpis, scheme)

>>> describe_scheme()["评分标准"].tolist()[1]
'≥45%→100分；≥40%→80分；≥35%→60分；其余→0分'
"""
from __future__ import annotations

import math
import numbers

import pandas as pd

from .tables import KPIDataError, require_columns

HIGHER, LOWER = "越高越好", "越低越好"
TEAM_MEAN = "团队平均"

DEFAULT_SCHEME: dict = {
    "考核项目": {
        # 档位: (threshold, points) from the best band down.  越高越好: value ≥ threshold;
        # 越低越好: value ≤ threshold; no band reached → 其余得分 (0 if not given).
        "销售额目标完成率": {"权重": 30, "方向": HIGHER, "单位": "%",
                      "档位": [(1.00, 100), (0.90, 80), (0.80, 60)], "其余得分": 0},      # 示例
        "询单转化率": {"权重": 20, "方向": HIGHER, "单位": "%", "上限": 1,
                   "档位": [(0.45, 100), (0.40, 80), (0.35, 60)], "其余得分": 0},
        "落实客单价": {"权重": 20, "方向": HIGHER, "单位": "%", "比较": TEAM_MEAN,
                   "档位": [(1.10, 100), (1.00, 80), (0.90, 60)], "其余得分": 0},        # 示例
        "回复率": {"权重": 20, "方向": HIGHER, "单位": "%", "上限": 1,
                "档位": [(0.98, 100), (0.95, 80), (0.92, 60)], "其余得分": 0},
        "平均响应秒数": {"权重": 5, "方向": LOWER, "单位": "秒",
                    "档位": [(35, 100), (45, 80), (55, 60)], "其余得分": 0},
        "出勤率": {"权重": 5, "方向": HIGHER, "单位": "%",
                "档位": [(1.00, 100), (0.95, 80), (0.90, 60)], "其余得分": 0},          # 示例
    },
    # (lowest 综合得分, grade), best first; below the last → 未达等级
    "等级": [(90, "金牌"), (80, "银牌"), (70, "铜牌")],
    "未达等级": "待提升",
}

NAME_COLUMN = "客服昵称"


class SchemeError(ValueError):
    """The scoring scheme is inconsistent; ``str(error)`` lists the problems in Chinese."""


def _number(value) -> float | None:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _bands(rule: dict, name: str) -> tuple[list[str], list[tuple[float, float]]]:
    problems: list[str] = []
    bands = rule.get("档位")
    if not isinstance(bands, (list, tuple)) or not bands:
        return [f"「{name}」的档位应是 [(门槛, 得分), …] 形式的列表，且至少有一档。"], []
    parsed = []
    for band in bands:
        pair = band if isinstance(band, (list, tuple)) and len(band) == 2 else (None, None)
        threshold, points = _number(pair[0]), _number(pair[1])
        if threshold is None or points is None:
            problems.append(f"「{name}」的档位「{band}」应写成 (门槛, 得分)，两个都是数字。")
        elif not 0 <= points <= 100:
            problems.append(f"「{name}」的档位得分应在0–100之间，现在有{band[1]}。")
        else:
            parsed.append((threshold, points))
    return problems, parsed


def validate_scheme(scheme: dict = DEFAULT_SCHEME) -> None:
    """Raise :class:`SchemeError` listing every problem (weights, bands, grades), or return ``None``.

    >>> validate_scheme()
    >>> import copy
    >>> bad = copy.deepcopy(DEFAULT_SCHEME)
    >>> bad["考核项目"]["回复率"]["权重"] = 25
    >>> bad["考核项目"]["询单转化率"]["档位"] = [(0.35, 60), (0.45, 100)]
    >>> validate_scheme(bad)
    Traceback (most recent call last):
    ...
    course_lib.shop.performance.SchemeError: 考核方案有问题：
    · 「询单转化率」越高越好，档位门槛应从高到低排列（例如 0.45、0.40、0.35）。
    · 「询单转化率」门槛越严的档位得分不能更低。
    · 各项权重合计应为100（%），现在是105。
    """
    problems: list[str] = []
    items = scheme.get("考核项目") if isinstance(scheme, dict) else None
    if not isinstance(items, dict) or not items:
        raise SchemeError("考核方案有问题：\n· 方案应是一个字典，其中「考核项目」列出每一项的权重和档位。")
    total = 0.0
    for name, rule in items.items():
        if not isinstance(rule, dict):
            problems.append(f"「{name}」应是一个字典（权重、方向、档位）。")
            continue
        weight = _number(rule.get("权重"))
        if weight is None or weight < 0:
            problems.append(f"「{name}」的权重应是不小于0的数字，现在是「{rule.get('权重')}」。")
        else:
            total += weight
        direction = rule.get("方向", HIGHER)
        if direction not in (HIGHER, LOWER):
            problems.append(f"「{name}」的方向应是「{HIGHER}」或「{LOWER}」，现在是「{direction}」。")
            continue
        if rule.get("比较") not in (None, TEAM_MEAN):
            problems.append(f"「{name}」的比较方式只能是「{TEAM_MEAN}」或不写，现在是「{rule.get('比较')}」。")
        if "上限" in rule and _number(rule["上限"]) is None:
            problems.append(f"「{name}」的上限应是数字，现在是「{rule['上限']}」。")
        band_problems, bands = _bands(rule, name)
        problems.extend(band_problems)
        thresholds = [t for t, _ in bands]
        points = [p for _, p in bands]
        if direction == HIGHER and any(a <= b for a, b in zip(thresholds, thresholds[1:])):
            problems.append(f"「{name}」{HIGHER}，档位门槛应从高到低排列（例如 0.45、0.40、0.35）。")
        if direction == LOWER and any(a >= b for a, b in zip(thresholds, thresholds[1:])):
            problems.append(f"「{name}」{LOWER}，档位门槛应从低到高排列（例如 35、45、55 秒）。")
        if any(a < b for a, b in zip(points, points[1:])):
            problems.append(f"「{name}」门槛越严的档位得分不能更低。")
        rest = _number(rule.get("其余得分", 0))
        if rest is None or not 0 <= rest <= 100:
            problems.append(f"「{name}」的其余得分应是0–100之间的数字，现在是「{rule.get('其余得分')}」。")
        elif points and rest > points[-1]:
            problems.append(f"「{name}」的其余得分（{rest:g}）不能高于最低一档的得分（{points[-1]:g}）。")
    if abs(total - 100) > 1e-6:
        problems.append(f"各项权重合计应为100（%），现在是{total:g}。")
    grades = scheme.get("等级", [])
    minimums = []
    if not isinstance(grades, (list, tuple)):
        problems.append("等级应是 [(最低分, 等级名称), …] 形式的列表。")
        grades = []
    for grade in grades:
        pair = grade if isinstance(grade, (list, tuple)) and len(grade) == 2 else (None, None)
        low = _number(pair[0])
        if low is None or not 0 <= low <= 100 or not isinstance(pair[1], str) or not pair[1].strip():
            problems.append(f"等级「{grade}」应写成 (0–100 的最低分, \"等级名称\")。")
        else:
            minimums.append(low)
    if any(a <= b for a, b in zip(minimums, minimums[1:])):
        problems.append("等级的最低分应从高到低排列（例如 90 金牌、80 银牌、70 铜牌）。")
    if not isinstance(scheme.get("未达等级", ""), str):
        problems.append("未达等级应是一个名称，例如「待提升」。")
    if problems:
        raise SchemeError("考核方案有问题：\n" + "\n".join(f"· {p}" for p in problems))


def band_points(value, rule: dict) -> float:
    """Points for one value under one item's rule (``NaN`` value → 其余得分).

    >>> rule = DEFAULT_SCHEME["考核项目"]["询单转化率"]
    >>> [band_points(v, rule) for v in (0.50, 0.45, 0.4499, 0.40, 0.36, 0.20)]
    [100, 100, 80, 80, 60, 0]
    >>> rule = DEFAULT_SCHEME["考核项目"]["平均响应秒数"]
    >>> [band_points(v, rule) for v in (20, 35, 35.5, 55, 56)]
    [100, 100, 80, 60, 0]
    """
    rest = rule.get("其余得分", 0)
    try:
        number = float(value)
    except (TypeError, ValueError):
        return rest
    if not math.isfinite(number):
        return rest
    higher = rule.get("方向", HIGHER) == HIGHER
    for threshold, points in rule["档位"]:
        if (number >= threshold) if higher else (number <= threshold):
            return points
    return rest


def _grade(score: float, scheme: dict) -> str:
    for low, name in scheme.get("等级", []):
        if score >= low:
            return name
    return scheme.get("未达等级", "待提升")


def score_sheet(kpis, scheme: dict = DEFAULT_SCHEME):
    """The 绩效考核表: ``kpis`` plus one 得分 column per item, 综合得分, 等级 and 备注.

    ``kpis`` has one row per 客服 with 客服昵称 and a column for every item of the scheme;
    by default 销售额目标完成率, 询单转化率, 回复率, 出勤率 as fractions (45% → 0.45),
    落实客单价 in 元 and 平均响应秒数 in seconds.  落实客单价 is scored relative to the team
    average (the mean of the column).  A value at a band's threshold earns that band
    (≥ for 越高越好, ≤ for 越低越好).  A missing value scores 其余得分 (0) and is listed in
    备注.  综合得分 = Σ 得分 × 权重 ÷ 100, rounded to 2 decimals; 等级 by the lowest score
    of each grade (90 → 金牌).  The scheme is checked first (:func:`validate_scheme`).

    >>> kpis = pd.DataFrame({"客服昵称": ["小美", "小强"], "销售额目标完成率": [1.05, 0.92],
    ...                      "询单转化率": [0.46, 0.41], "落实客单价": [220.0, 180.0], "回复率": [0.99, 0.96],
    ...                      "平均响应秒数": [30, 50], "出勤率": [1.0, 0.96]})
    >>> sheet = score_sheet(kpis)
    >>> sheet[["客服昵称", "落实客单价得分", "综合得分", "等级"]].values.tolist()
    [['小美', 100, 100.0, '金牌'], ['小强', 60, 75.0, '铜牌']]
    """
    validate_scheme(scheme)
    items = scheme["考核项目"]
    require_columns(kpis, [NAME_COLUMN, *items], "绩效数据表")
    out = kpis.copy()
    names = out[NAME_COLUMN].tolist()
    total = [0.0] * len(out)
    missing: list[list[str]] = [[] for _ in range(len(out))]
    for name, rule in items.items():
        raw = out[name]
        blank = raw.map(lambda v: v is None or (isinstance(v, str) and not v.strip()) or
                        (not isinstance(v, str) and bool(pd.isna(v))))
        values = pd.to_numeric(raw.where(~blank), errors="coerce").astype("float64").tolist()
        for n, (value, empty) in enumerate(zip(values, blank)):
            if math.isnan(value) and not empty:
                raise KPIDataError(f"「{names[n]}」的「{name}」应是数字，现在是「{raw.iloc[n]}」。")
            upper = rule.get("上限")
            if upper is not None and value > upper:
                hint = "（比例请写成小数，例如45%写成0.45）" if rule.get("单位") == "%" else ""
                raise KPIDataError(f"「{names[n]}」的「{name}」是{raw.iloc[n]}，不能超过{upper}{hint}。")
        if rule.get("比较") == TEAM_MEAN:
            finite = [v for v in values if math.isfinite(v)]
            mean = sum(finite) / len(finite) if finite else math.nan
            values = [round(v / mean, 6) if mean > 0 else math.nan for v in values]
        points = []
        for n, value in enumerate(values):
            if not math.isfinite(value):
                missing[n].append(name)
            points.append(band_points(value, rule))
            total[n] += float(points[-1]) * float(rule["权重"]) / 100
        out[f"{name}得分"] = pd.Series(points, index=out.index)
    out["综合得分"] = pd.Series([round(t, 2) for t in total], index=out.index, dtype="float64")
    out["等级"] = pd.Series([_grade(s, scheme) for s in out["综合得分"]], index=out.index, dtype=object)
    out["备注"] = pd.Series(["缺少数据：" + "、".join(m) if m else "" for m in missing], index=out.index, dtype=object)
    return out


def _fmt_threshold(value: float, unit: str | None) -> str:
    if unit == "%":
        return f"{value * 100:g}%"
    return f"{value:g}{unit or ''}"


def describe_scheme(scheme: dict = DEFAULT_SCHEME):
    """The scheme as a table (考核项目, 权重, 评分标准) to show students or to check an edit.

    >>> describe_scheme().loc[4].tolist()
    ['平均响应秒数', '5%', '≤35秒→100分；≤45秒→80分；≤55秒→60分；其余→0分']
    """
    validate_scheme(scheme)
    rows = []
    for name, rule in scheme["考核项目"].items():
        sign = "≥" if rule.get("方向", HIGHER) == HIGHER else "≤"
        parts = [f"{sign}{_fmt_threshold(t, rule.get('单位'))}→{p:g}分" for t, p in rule["档位"]]
        parts.append(f"其余→{rule.get('其余得分', 0):g}分")
        text = "；".join(parts)
        if rule.get("比较") == TEAM_MEAN:
            text = f"与{TEAM_MEAN}之比 " + text
        rows.append({"考核项目": name, "权重": f"{rule['权重']:g}%", "评分标准": text})
    return pd.DataFrame(rows)
