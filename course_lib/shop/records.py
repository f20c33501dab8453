"""The 客服工作情况记录表 (教材的课后任务): a template to fill and a summary.

>>> log = observation_template()
>>> log.loc[0] = ["某旗舰店", "天猫", "吊扇灯", 8, "是", "亲", 5, "是", 5, "售前售后分开", ""]
>>> log.loc[1] = ["某个人店", "淘宝个人店", "吊扇灯", 95, "否", "你", 3, "否", 3, "一人多岗", ""]
>>> s = summarise_observations(log)
>>> s.loc["10秒内首次响应占比", "结果"], s.loc["平均首次响应秒数", "结果"]
('50%', '51.5')
"""
from __future__ import annotations

from ..settings import standards

COLUMNS = ("店铺", "店铺类型", "咨询商品", "首次响应秒数", "有欢迎语", "称呼", "解答专业",
           "主动推荐", "服务态度", "分工", "备注")
CHOICES = {
    "店铺类型": ("天猫", "淘宝企业店", "淘宝个人店", "其他"),
    "有欢迎语": ("是", "否"),
    "称呼": ("您", "亲", "你", "无"),
    "主动推荐": ("是", "否"),
    "分工": ("售前售后分开", "一人多岗", "不清楚"),
}
SCORES = ("解答专业", "服务态度")          # 1–5


class Notice:
    """A Chinese message shown instead of a traceback (text and HTML renderings)."""

    def __init__(self, title: str, lines: list[str]) -> None:
        self.title, self.lines = title, lines

    def __repr__(self) -> str:
        return "\n".join([self.title] + [f"· {line}" for line in self.lines])

    def _repr_html_(self) -> str:
        import html

        from ..theme import text_colour

        items = "".join(f"<li>{html.escape(line)}</li>" for line in self.lines)
        return f"<div style='{text_colour('warn')}'><b>{html.escape(self.title)}</b><ul>{items}</ul></div>"


def observation_template(rows: int = 0):
    """An empty (or ``rows`` blank) 客服工作情况记录表 as a DataFrame."""
    import pandas as pd

    numeric = ("首次响应秒数", *SCORES)
    frame = pd.DataFrame({c: pd.Series(dtype="float64" if c in numeric else "object") for c in COLUMNS})
    for i in range(rows):
        frame.loc[i] = [float("nan") if c in numeric else "" for c in COLUMNS]
    return frame


def check_observations(log) -> list[str]:
    """Problems in the log, one Chinese sentence each (empty list = fine)."""
    import pandas as pd

    if not isinstance(log, pd.DataFrame):
        return ["记录表应是一个 DataFrame，请用 observation_template() 创建。"]
    problems = [f"缺少列「{c}」。" for c in COLUMNS if c not in log.columns]
    if problems:
        return problems
    if log.empty:
        return ["记录表还是空的，请先添加至少一行观察记录。"]
    for n, (_, row) in enumerate(log.iterrows(), 1):
        if not str(row["店铺"]).strip():
            problems.append(f"第{n}行没有填写店铺名称。")
        seconds = pd.to_numeric(pd.Series([row["首次响应秒数"]]), errors="coerce").iloc[0]
        if pd.isna(seconds) or seconds < 0:
            problems.append(f"第{n}行的首次响应秒数「{row['首次响应秒数']}」应是不小于0的数字。")
        for column, allowed in CHOICES.items():
            if str(row[column]).strip() not in allowed:
                problems.append(f"第{n}行的「{column}」应填 {'/'.join(allowed)} 之一，现在是「{row[column]}」。")
        for column in SCORES:
            value = pd.to_numeric(pd.Series([row[column]]), errors="coerce").iloc[0]
            if pd.isna(value) or not 1 <= value <= 5:
                problems.append(f"第{n}行的「{column}」应是1–5分，现在是「{row[column]}」。")
    return problems


def add_observation(log, **row):
    """Append one observed shop by column name and return the log; a row with a problem is kept as
    typed (nothing is lost) and a :class:`Notice` says what to fix — :func:`summarise_observations`
    at the end of the cell lists it again, so the message shows even when this is not the last line.

    >>> log = observation_template()
    >>> _ = add_observation(log, 店铺="某旗舰店", 店铺类型="天猫", 咨询商品="吊扇灯", 首次响应秒数=8,
    ...                     有欢迎语="是", 称呼="亲", 解答专业=5, 主动推荐="是", 服务态度=5, 分工="售前售后分开")
    >>> len(log)
    1
    >>> add_observation(log, 店铺="某小店", 店铺类型="京东")
    记录已添加，但这一行有需要修改的地方（改好后重新运行本单元格）：
    · 缺少这些列：咨询商品、首次响应秒数、有欢迎语、称呼、解答专业、主动推荐、服务态度、分工
    · 这一行的「店铺类型」应填 天猫/淘宝企业店/淘宝个人店/其他 之一，现在是「京东」。
    >>> len(log)
    2
    """
    import pandas as pd

    if not isinstance(log, pd.DataFrame) or any(c not in log.columns for c in COLUMNS):
        return Notice("记录没有添加：", check_observations(log) or ["记录表应是 observation_template() 创建的表。"])
    row.setdefault("备注", "")
    unknown = [k for k in row if k not in COLUMNS]
    missing = [c for c in COLUMNS if c not in row]
    values = {c: row.get(c, "") for c in COLUMNS}
    for column in ("首次响应秒数", *SCORES):
        number = pd.to_numeric(pd.Series([values[column]]), errors="coerce").iloc[0]
        values[column] = float(number) if not pd.isna(number) else values[column]
    lines = ([f"没有这些列：{'、'.join(unknown)}（列名应是：{'、'.join(COLUMNS)}）"] if unknown else []) + (
        [f"缺少这些列：{'、'.join(missing)}"] if missing else [])
    trial = pd.DataFrame([values], columns=list(COLUMNS))
    lines += [p.replace("第1行", "这一行") for p in check_observations(trial)
              if not any(f"「{c}」" in p or f"的{c}「" in p for c in missing) and not ("店铺" in missing and "店铺名称" in p)]
    for column in ("首次响应秒数", *SCORES):
        if not isinstance(values[column], float) and log[column].dtype != object:
            log[column] = log[column].astype(object)          # keep “很快” as typed, to be fixed
    log.loc[len(log)] = [values[c] for c in COLUMNS]
    if lines:
        return Notice("记录已添加，但这一行有需要修改的地方（改好后重新运行本单元格）：", lines)
    return log


def summarise_observations(log):
    """A two-column summary table (项目, 结果); a :class:`Notice` listing bad rows instead of raising."""
    import pandas as pd

    problems = check_observations(log)
    if problems:
        return Notice("记录表里有需要修改的地方：", problems[:10])
    seconds = pd.to_numeric(log["首次响应秒数"])
    service = pd.to_numeric(log["服务态度"])
    expert = pd.to_numeric(log["解答专业"])
    n = len(log)
    limit = standards().first_response

    def share(mask) -> str:
        return f"{100 * mask.sum() / n:.0f}%"

    fastest = log.loc[seconds.idxmin(), "店铺"]
    rows = {
        "观察店铺数": str(n),
        "平均首次响应秒数": f"{seconds.mean():.1f}",
        f"{limit:g}秒内首次响应占比": share(seconds <= limit),
        "使用欢迎语占比": share(log["有欢迎语"] == "是"),
        "用“您/亲”称呼占比": share(log["称呼"].isin(["您", "亲"])),
        "主动推荐占比": share(log["主动推荐"] == "是"),
        "平均解答专业分": f"{expert.mean():.1f}",
        "平均服务态度分": f"{service.mean():.1f}",
        "售前售后分开的店铺占比": share(log["分工"] == "售前售后分开"),
        "响应最快的店铺": str(fastest),
    }
    return pd.DataFrame({"结果": rows}).rename_axis("项目")
