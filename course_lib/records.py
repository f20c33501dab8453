"""The 客服工作情况记录表 (seed 003 task): a template to fill and a summary.

>>> log = observation_template()
>>> log.loc[0] = ["某旗舰店", "天猫", "吊扇灯", 8, "是", "亲", 5, "是", 5, "售前售后分开", ""]
>>> log.loc[1] = ["某个人店", "淘宝个人店", "吊扇灯", 95, "否", "你", 3, "否", 3, "一人多岗", ""]
>>> s = summarise_observations(log)
>>> s.loc["10秒内首响占比", "结果"], s.loc["平均首次响应秒数", "结果"]
('50%', '51.5')
"""
from __future__ import annotations

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
STANDARD_SECONDS = 10


class RecordError(ValueError):
    """A row of the log has a value the summary cannot use (Chinese message)."""


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


def summarise_observations(log):
    """A two-column summary table (项目, 结果); raises :class:`RecordError` listing bad rows."""
    import pandas as pd

    problems = check_observations(log)
    if problems:
        raise RecordError("记录表里有需要修改的地方：\n" + "\n".join(f"· {p}" for p in problems[:10]))
    seconds = pd.to_numeric(log["首次响应秒数"])
    service = pd.to_numeric(log["服务态度"])
    expert = pd.to_numeric(log["解答专业"])
    n = len(log)

    def share(mask) -> str:
        return f"{100 * mask.sum() / n:.0f}%"

    fastest = log.loc[seconds.idxmin(), "店铺"]
    rows = {
        "观察店铺数": str(n),
        "平均首次响应秒数": f"{seconds.mean():.1f}",
        "10秒内首响占比": share(seconds <= STANDARD_SECONDS),
        "使用欢迎语占比": share(log["有欢迎语"] == "是"),
        "用“您/亲”称呼占比": share(log["称呼"].isin(["您", "亲"])),
        "主动推荐占比": share(log["主动推荐"] == "是"),
        "平均解答专业分": f"{expert.mean():.1f}",
        "平均服务态度分": f"{service.mean():.1f}",
        "售前售后分开的店铺": share(log["分工"] == "售前售后分开"),
        "响应最快的店铺": str(fastest),
    }
    return pd.DataFrame({"结果": rows}).rename_axis("项目")
