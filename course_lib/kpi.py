"""客服 KPI: the shop's customer-service metrics as plain functions on DataFrames.

Each function takes the course's shop tables (Chinese column names, listed in its
docstring) and returns a float, or one row per 客服 when ``by_agent=True``.
A rate whose denominator is empty (no inquiries, no paid orders, no rounds …) is
``math.nan`` — never a division by zero; :func:`fmt_rate` shows it as ``'—'``.
Missing values in a table (empty ids, ``NaT`` times, ``NaN`` amounts) are skipped
as the docstrings say.  Definitions follow 淘宝平台指标口径 and 某店铺绩效表 (DOMAIN.md).

>>> import pandas as pd
>>> reviews = pd.DataFrame({"订单编号": ["D1", "D2", "D3", "D4"],
...                         "评价等级": ["好评", "好评", "中评", "好评"],
...                         "描述相符": [5, 5, 4, 4], "服务态度": [5, 4, 4, 5], "物流服务": [5, 5, 3, 4]})
>>> fmt_rate(good_review_rate(reviews))
'75.0%'
>>> dsr(reviews)
{'描述相符': 4.5, '服务态度': 4.5, '物流服务': 4.25}
>>> fmt_rate(good_review_rate(reviews.iloc[0:0]))
'—'
"""
from __future__ import annotations

import math

import pandas as pd

HUMAN = "客服"
BUYER = "顾客"
BOT = "机器人"
PRESALE = "售前咨询"

CAP_SECONDS = 600            # 每轮响应时间的上限；未回复的轮次按 600 秒计
THREE_MINUTES = 180
AVERAGE_WINDOW = (8 * 3600, 23 * 3600)      # 平均响应时间：顾客消息在 08:00:00（含）到 23:00:00（不含）之间
THREE_MINUTE_WINDOW = (8 * 3600, 24 * 3600)  # 3分钟人工响应率：08:00:00（含）到 24:00（不含）
DSR_ITEMS = ("描述相符", "服务态度", "物流服务")

MESSAGE_TABLE = "聊天消息表"
SESSION_TABLE = "聊天会话表"
ORDER_TABLE = "订单表"
REVIEW_TABLE = "评价表"


class KPIDataError(ValueError):
    """A table is not a DataFrame or lacks a column; ``str(error)`` is a Chinese message."""


# ----------------------------------------------------------------------------- helpers

def require_columns(frame, columns, table: str) -> None:
    """Raise :class:`KPIDataError` (Chinese) unless ``frame`` is a DataFrame with ``columns``.

    >>> require_columns(pd.DataFrame({"订单编号": []}), ["订单编号", "付款时间"], "订单表")
    Traceback (most recent call last):
    ...
    course_lib.kpi.KPIDataError: 订单表缺少列：付款时间。
    """
    if not isinstance(frame, pd.DataFrame):
        raise KPIDataError(f"{table}应是一个 DataFrame，现在是 {type(frame).__name__}。")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise KPIDataError(f"{table}缺少列：{'、'.join(missing)}。")


def fmt_rate(x, digits: int = 1) -> str:
    """A rate as a percentage string; ``nan``/``None`` (no denominator) as ``'—'``.

    >>> fmt_rate(0.125), fmt_rate(1), fmt_rate(float("nan")), fmt_rate(None), fmt_rate(0.4567, digits=0)
    ('12.5%', '100.0%', '—', '—', '46%')
    """
    try:
        value = float(x)
    except (TypeError, ValueError):
        return "—"
    if not math.isfinite(value):
        return "—"
    return f"{value * 100:.{digits}f}%"


def _rate(numerator, denominator) -> float:
    return float(numerator) / float(denominator) if denominator else math.nan


def _ids(series):
    """Identifiers/labels as stripped ``str`` in an object Series; missing or blank → ``None``."""
    def one(value):
        if value is None or (not isinstance(value, str) and pd.isna(value)):
            return None
        text = str(value).strip()
        return text or None

    return pd.Series([one(v) for v in series], index=series.index, dtype=object)


def _times(series):
    """Datetimes (``NaT`` for missing or unreadable values)."""
    if pd.api.types.is_datetime64_any_dtype(series):
        return series
    return pd.to_datetime(series, errors="coerce", format="mixed")


def _numbers(series):
    return pd.to_numeric(series, errors="coerce").astype("float64")


def _second_of_day(times):
    return (times - times.dt.normalize()).dt.total_seconds()


def _fill_per_session(frame, column: str):
    """``column`` with blanks filled from the first non-blank value in the same 会话编号."""
    first = frame.groupby("会话编号", sort=False)[column].transform("first")
    return frame[column].where(frame[column].notna(), first)


def _per_agent(frame, columns: list[str]):
    return frame[columns].sort_values("客服编号", kind="stable").reset_index(drop=True)


# ------------------------------------------------------------------ conversion and sales

def inquiry_conversion(sessions, orders, days: float = 3, by_agent: bool = False):
    """询单转化率 = 询单后下单并付款的顾客数 ÷ 询单顾客数.

    ``sessions`` (聊天会话表) needs 顾客编号, 客服编号, 开始时间, 咨询类型;
    ``orders`` (订单表) needs 顾客编号, 拍下时间, 付款时间.

    * 询单顾客: distinct 顾客编号 with at least one ``咨询类型 == '售前咨询'`` session
      (售后咨询 and 催付 sessions are not inquiries).
    * 成交顾客: an inquiring buyer with an order whose 付款时间 is filled and whose 拍下时间
      lies from the session's 开始时间 up to ``days`` days later (both ends included).
      The session's 是否下单/订单编号 fields are not used: the time window decides.
    * ``by_agent=True``: one row per 客服编号 (columns 客服编号, 询单人数, 成交人数, 询单转化率).
      询单人数 counts the buyers who asked that agent; an order is credited to the agent of
      the **latest** 售前咨询 session that started before it within the window (最后接待
      归属), so a buyer who asked two agents converts for one of them only.  Sessions
      without a 客服编号 are left out of this table.

    Returns ``math.nan`` when nobody asked.

    >>> t = pd.to_datetime
    >>> sessions = pd.DataFrame({
    ...     "会话编号": ["S1", "S2", "S3", "S4", "S5"],
    ...     "顾客编号": ["C1", "C2", "C3", "C4", "C1"],
    ...     "客服编号": ["K1", "K1", "K2", "K2", "K2"],
    ...     "开始时间": t(["2024-05-01 10:00", "2024-05-01 11:00", "2024-05-01 12:00",
    ...                   "2024-05-01 13:00", "2024-05-02 09:00"]),
    ...     "咨询类型": ["售前咨询", "售前咨询", "售前咨询", "售后咨询", "售前咨询"]})
    >>> orders = pd.DataFrame({
    ...     "订单编号": ["D1", "D2", "D3"], "顾客编号": ["C1", "C2", "C3"],
    ...     "拍下时间": t(["2024-05-02 10:00", "2024-05-01 11:30", "2024-05-09 12:00"]),
    ...     "付款时间": t(["2024-05-02 10:05", None, "2024-05-09 12:01"])})
    >>> inquiry_conversion(sessions, orders)   # C1 paid; C2 never paid; C3 paid too late
    0.3333333333333333
    >>> inquiry_conversion(sessions, orders, by_agent=True)["询单转化率"].tolist()
    [0.0, 0.5]
    """
    require_columns(sessions, ["顾客编号", "客服编号", "开始时间", "咨询类型"], SESSION_TABLE)
    require_columns(orders, ["顾客编号", "拍下时间", "付款时间"], ORDER_TABLE)
    try:
        window = pd.Timedelta(days=float(days))
    except (TypeError, ValueError):
        raise KPIDataError(f"days 应是天数（数字），现在是「{days}」。") from None
    if not window >= pd.Timedelta(0):
        raise KPIDataError(f"days 应是不小于0的天数，现在是「{days}」。")

    asked = pd.DataFrame({
        "顾客编号": _ids(sessions["顾客编号"]),
        "客服编号": _ids(sessions["客服编号"]),
        "开始时间": _times(sessions["开始时间"]),
        "咨询类型": _ids(sessions["咨询类型"]),
    })
    asked = asked[(asked["咨询类型"] == PRESALE) & asked["顾客编号"].notna()]
    if by_agent:
        asked = asked[asked["客服编号"].notna()]

    paid = pd.DataFrame({
        "顾客编号": _ids(orders["顾客编号"]),
        "拍下时间": _times(orders["拍下时间"]),
        "付款时间": _times(orders["付款时间"]),
    })
    paid = paid[paid["顾客编号"].notna() & paid["拍下时间"].notna() & paid["付款时间"].notna()]
    paid = paid.reset_index(drop=True).rename_axis("_order").reset_index()

    matched = asked.merge(paid, on="顾客编号", how="inner")
    matched = matched[(matched["拍下时间"] >= matched["开始时间"])
                      & (matched["拍下时间"] <= matched["开始时间"] + window)]

    if not by_agent:
        return _rate(matched["顾客编号"].nunique(), asked["顾客编号"].nunique())

    credited = matched.sort_values("开始时间", kind="stable").groupby("_order").tail(1)
    table = pd.DataFrame({
        "询单人数": asked.groupby("客服编号")["顾客编号"].nunique(),
        "成交人数": credited.groupby("客服编号")["顾客编号"].nunique(),
    })
    table = table.fillna(0).astype("int64").rename_axis("客服编号").reset_index()
    table["询单转化率"] = [_rate(n, d) for n, d in zip(table["成交人数"], table["询单人数"])]
    return _per_agent(table, ["客服编号", "询单人数", "成交人数", "询单转化率"])


def closed_unit_price(orders, by_agent: bool = False):
    """落实客单价 = 客服落实且已付款的销售额 ÷ 该客服的付款顾客数.

    ``orders`` (订单表) needs 顾客编号, 客服编号, 付款时间, 订单金额.  Only orders with a
    付款时间 and a 客服编号 count (静默下单 without an agent are left out); a missing
    订单金额 adds nothing.  Refunds are not subtracted (see :func:`refund_rate`).

    Overall: all credited sales ÷ distinct paying buyers of all agents (a buyer who paid
    two agents counts once, so it is not the mean of the agents' values).
    ``by_agent=True``: columns 客服编号, 落实销售额, 付款人数, 落实客单价.
    ``math.nan`` when there is no paying buyer.

    >>> orders = pd.DataFrame({
    ...     "订单编号": ["D1", "D2", "D3", "D4", "D5"],
    ...     "顾客编号": ["C1", "C1", "C2", "C3", "C4"],
    ...     "客服编号": ["K1", "K1", "K1", "K2", None],
    ...     "付款时间": pd.to_datetime(["2024-05-01", "2024-05-02", "2024-05-02", None, "2024-05-03"]),
    ...     "订单金额": [100.0, 50.0, 90.0, 300.0, 80.0]})
    >>> closed_unit_price(orders)          # (100 + 50 + 90) ÷ 2 buyers; D4 unpaid, D5 silent
    120.0
    >>> closed_unit_price(orders, by_agent=True).values.tolist()
    [['K1', 240.0, 2, 120.0]]
    """
    require_columns(orders, ["顾客编号", "客服编号", "付款时间", "订单金额"], ORDER_TABLE)
    paid = pd.DataFrame({
        "顾客编号": _ids(orders["顾客编号"]),
        "客服编号": _ids(orders["客服编号"]),
        "付款时间": _times(orders["付款时间"]),
        "订单金额": _numbers(orders["订单金额"]),
    })
    paid = paid[paid["付款时间"].notna() & paid["客服编号"].notna() & paid["顾客编号"].notna()]
    if not by_agent:
        return _rate(paid["订单金额"].sum(), paid["顾客编号"].nunique())
    table = paid.groupby("客服编号").agg(落实销售额=("订单金额", "sum"), 付款人数=("顾客编号", "nunique"))
    table = table.reset_index()
    table["落实销售额"] = table["落实销售额"].astype("float64")
    table["付款人数"] = table["付款人数"].astype("int64")
    table["落实客单价"] = [_rate(s, n) for s, n in zip(table["落实销售额"], table["付款人数"])]
    return _per_agent(table, ["客服编号", "落实销售额", "付款人数", "落实客单价"])


def refund_rate(orders) -> float:
    """退款率 = 已付款且有退款时间的订单数 ÷ 已付款订单数.

    ``orders`` (订单表) needs 付款时间, 退款时间.  An unpaid order is in neither count.
    ``math.nan`` when no order is paid.

    >>> orders = pd.DataFrame({
    ...     "付款时间": pd.to_datetime(["2024-05-01", "2024-05-01", "2024-05-02", "2024-05-03", None]),
    ...     "退款时间": pd.to_datetime(["2024-05-04", None, None, None, None])})
    >>> refund_rate(orders)
    0.25
    """
    require_columns(orders, ["付款时间", "退款时间"], ORDER_TABLE)
    paid = _times(orders["付款时间"]).notna()
    refunded = paid & _times(orders["退款时间"]).notna()
    return _rate(int(refunded.sum()), int(paid.sum()))


# ------------------------------------------------------------------------ reviews and DSR

def good_review_rate(reviews) -> float:
    """好评率 = 好评数 ÷ 评价数.

    ``reviews`` (评价表) needs 评价等级 ('好评' | '中评' | '差评').  Rows with a missing or
    other 评价等级 are not reviews and are ignored.  ``math.nan`` for no reviews.

    >>> good_review_rate(pd.DataFrame({"评价等级": ["好评", "差评", None, "好评"]}))
    0.6666666666666666
    """
    require_columns(reviews, ["评价等级"], REVIEW_TABLE)
    grades = _ids(reviews["评价等级"])
    valid = grades.isin(["好评", "中评", "差评"])
    return _rate(int((grades == "好评").sum()), int(valid.sum()))


def dsr(reviews) -> dict[str, float]:
    """店铺动态评分 DSR: the averages of 描述相符, 服务态度, 物流服务, rounded to 2 decimals.

    ``reviews`` (评价表) needs the three score columns (integers 1–5).  Missing scores and
    values outside 1–5 are skipped; an item with no valid score is ``math.nan``.  The
    platform averages over a rolling window (90 days or 6 months, depending on the source):
    filter ``reviews`` by 评价时间 first to reproduce it.

    >>> dsr(pd.DataFrame({"描述相符": [5, 4, None], "服务态度": [5, 5, 4], "物流服务": [3, 9, 4]}))
    {'描述相符': 4.5, '服务态度': 4.67, '物流服务': 3.5}
    """
    require_columns(reviews, list(DSR_ITEMS), REVIEW_TABLE)
    result = {}
    for item in DSR_ITEMS:
        scores = _numbers(reviews[item])
        scores = scores[(scores >= 1) & (scores <= 5)]
        result[item] = round(float(scores.mean()), 2) if len(scores) else math.nan
    return result


# ------------------------------------------------------------------------------ chat log

def _messages(messages, extra=()):
    """Clean, sorted chat messages: ids as str/None, times as datetimes, rows without time dropped."""
    require_columns(messages, ["会话编号", "客服编号", "发送方", "发送时间", *extra], MESSAGE_TABLE)
    frame = pd.DataFrame({
        "会话编号": _ids(messages["会话编号"]),
        "客服编号": _ids(messages["客服编号"]),
        "发送方": _ids(messages["发送方"]),
        "发送时间": _times(messages["发送时间"]),
        "_seq": _numbers(messages["序号"]) if "序号" in messages.columns else 0.0,
    })
    for column in extra:
        frame[column] = _ids(messages[column])
    frame = frame[frame["会话编号"].notna() & frame["发送时间"].notna()]
    frame = frame.sort_values(["会话编号", "发送时间", "_seq"], kind="stable")
    frame["客服编号"] = _fill_per_session(frame, "客服编号")
    for column in extra:
        frame[column] = _fill_per_session(frame, column)
    return frame.reset_index(drop=True)


def _rounds(messages):
    """All rounds, uncapped: 会话编号, 客服编号, 轮次, 顾客发送时间, 客服回复时间, 原始秒数, 纯机器人接待."""
    frame = _messages(messages)
    talk = frame[frame["发送方"].isin([BUYER, HUMAN])].copy()
    previous = talk.groupby("会话编号", sort=False)["发送方"].shift()
    is_buyer = talk["发送方"] == BUYER
    starts_round = is_buyer & (previous != BUYER)
    ends_round = ~is_buyer & (previous == BUYER)
    talk["轮次"] = starts_round.astype("int64").groupby(talk["会话编号"], sort=False).cumsum()

    starts = talk.loc[starts_round, ["会话编号", "轮次", "客服编号", "发送时间"]].rename(
        columns={"发送时间": "顾客发送时间"})
    ends = talk.loc[ends_round, ["会话编号", "轮次", "客服编号", "发送时间"]].rename(
        columns={"发送时间": "客服回复时间", "客服编号": "_replier"})
    rounds = starts.merge(ends, on=["会话编号", "轮次"], how="left")
    rounds["客服编号"] = rounds["_replier"].where(rounds["_replier"].notna(), rounds["客服编号"])
    rounds["原始秒数"] = (rounds["客服回复时间"] - rounds["顾客发送时间"]).dt.total_seconds()

    human = set(frame.loc[frame["发送方"] == HUMAN, "会话编号"])
    bot = set(frame.loc[frame["发送方"] == BOT, "会话编号"])
    rounds["纯机器人接待"] = rounds["会话编号"].map(lambda s: s in bot and s not in human).astype(bool)
    columns = ["会话编号", "客服编号", "轮次", "顾客发送时间", "客服回复时间", "原始秒数", "纯机器人接待"]
    rounds = rounds[columns]
    rounds["轮次"] = rounds["轮次"].astype("int64")
    rounds["客服回复时间"] = pd.to_datetime(rounds["客服回复时间"])
    return rounds.sort_values(["会话编号", "轮次"], kind="stable").reset_index(drop=True)


def response_times(messages, include_bot_only: bool = False):
    """The response rounds of the chat log (淘宝平台指标口径 人工平响).

    ``messages`` (聊天消息表) needs 会话编号, 客服编号, 发送方 ('顾客' | '客服' | '机器人'),
    发送时间; 序号 (optional) orders messages sent in the same second.

    * A round starts at the buyer's first message after the last human reply (or at the
      session's first buyer message) and ends at the next **human** reply (发送方 '客服').
      Later buyer messages in the same round and all 机器人 messages are ignored.
    * 响应秒数 = reply time − buyer time, capped at 600 s; a round never answered by a
      human counts 600 s (客服回复时间 is ``NaT``).
    * 计入平均 is True when the round's buyer message was sent from 08:00:00 (included)
      to 23:00:00 (excluded); only those rounds enter :func:`average_response_time`.
    * A session where only the bot ever replied (纯机器人接待) gives no rounds, unless
      ``include_bot_only=True`` (then its rounds count as unanswered, 600 s).
    * 客服编号 is the replying agent, or the session's agent for an unanswered round.

    Columns: 会话编号, 客服编号, 轮次, 顾客发送时间, 客服回复时间, 响应秒数, 计入平均.

    >>> t = pd.to_datetime
    >>> msgs = pd.DataFrame({
    ...     "会话编号": ["S1"] * 6, "顾客编号": ["C1"] * 6, "客服编号": ["K1"] * 6,
    ...     "序号": [1, 2, 3, 4, 5, 6],
    ...     "发送方": ["顾客", "机器人", "顾客", "客服", "顾客", "顾客"],
    ...     "发送时间": t(["2024-05-01 09:00:00", "2024-05-01 09:00:02", "2024-05-01 09:00:10",
    ...                   "2024-05-01 09:00:30", "2024-05-01 23:00:00", "2024-05-01 23:00:30"])})
    >>> rounds = response_times(msgs)
    >>> rounds["响应秒数"].tolist(), rounds["计入平均"].tolist()
    ([30.0, 600.0], [True, False])
    >>> average_response_time(msgs), three_minute_rate(msgs)
    (30.0, 0.5)
    """
    rounds = _rounds(messages)
    if not include_bot_only:
        rounds = rounds[~rounds["纯机器人接待"]]
    seconds = rounds["原始秒数"].clip(lower=0, upper=CAP_SECONDS).fillna(float(CAP_SECONDS))
    second_of_day = _second_of_day(rounds["顾客发送时间"])
    out = rounds[["会话编号", "客服编号", "轮次", "顾客发送时间", "客服回复时间"]].copy()
    out["响应秒数"] = seconds.astype("float64")
    out["计入平均"] = ((second_of_day >= AVERAGE_WINDOW[0]) & (second_of_day < AVERAGE_WINDOW[1])).astype(bool)
    return out.reset_index(drop=True)


def first_response_time(messages):
    """首次响应时间 per session: from the buyer's first message to the first human reply.

    ``messages`` (聊天消息表) needs 会话编号, 客服编号, 发送方, 发送时间 (序号 optional).
    Not capped and not limited to a time window; bot replies do not count; ``NaN`` seconds
    when no human ever answered.  Sessions in which the buyer sent nothing are left out.
    Columns: 会话编号, 客服编号, 顾客首条时间, 首次回复时间, 首次响应秒数.
    The course standard is 10 seconds (seed 001).

    >>> t = pd.to_datetime
    >>> msgs = pd.DataFrame({
    ...     "会话编号": ["S1", "S1", "S1", "S2", "S2"], "客服编号": ["K1", "K1", "K1", "K2", "K2"],
    ...     "发送方": ["顾客", "机器人", "客服", "顾客", "机器人"],
    ...     "发送时间": t(["2024-05-01 07:00:00", "2024-05-01 07:00:01", "2024-05-01 07:00:08",
    ...                   "2024-05-01 10:00:00", "2024-05-01 10:00:01"])})
    >>> first_response_time(msgs)["首次响应秒数"].tolist()
    [8.0, nan]
    """
    rounds = _rounds(messages)
    first = rounds[rounds["轮次"] == 1]
    out = pd.DataFrame({
        "会话编号": first["会话编号"],
        "客服编号": first["客服编号"],
        "顾客首条时间": first["顾客发送时间"],
        "首次回复时间": first["客服回复时间"],
        "首次响应秒数": first["原始秒数"].astype("float64"),
    })
    return out.reset_index(drop=True)


def average_response_time(messages, by_agent: bool = False, include_bot_only: bool = False):
    """平均响应时间 (人工平响) = Σ 每轮响应秒数 ÷ 轮次, over the rounds with 计入平均.

    ``messages`` as in :func:`response_times` (which defines rounds, the 600 s cap and the
    08:00–23:00 window).  ``math.nan`` when no round counts.  ``by_agent=True``: columns
    客服编号, 计入轮次, 平均响应秒数 (an agent whose rounds all fall outside the window
    shows 0 rounds and ``NaN``).

    >>> msgs = pd.DataFrame({
    ...     "会话编号": ["S1", "S1", "S2", "S2"], "客服编号": ["K1", "K1", "K2", "K2"],
    ...     "发送方": ["顾客", "客服", "顾客", "客服"],
    ...     "发送时间": pd.to_datetime(["2024-05-01 08:00:00", "2024-05-01 08:00:20",
    ...                             "2024-05-01 12:00:00", "2024-05-01 12:15:00"])})
    >>> average_response_time(msgs)              # (20 + 600) ÷ 2: the second reply is capped
    310.0
    >>> average_response_time(msgs, by_agent=True)["平均响应秒数"].tolist()
    [20.0, 600.0]
    """
    rounds = response_times(messages, include_bot_only=include_bot_only)
    if not by_agent:
        counted = rounds.loc[rounds["计入平均"], "响应秒数"]
        return float(counted.mean()) if len(counted) else math.nan
    rounds = rounds[rounds["客服编号"].notna()]
    rounds = rounds.assign(_counted=rounds["响应秒数"].where(rounds["计入平均"]))
    table = rounds.groupby("客服编号").agg(计入轮次=("计入平均", "sum"), 平均响应秒数=("_counted", "mean"))
    table = table.reset_index()
    table["计入轮次"] = table["计入轮次"].astype("int64")
    table["平均响应秒数"] = table["平均响应秒数"].astype("float64")
    return _per_agent(table, ["客服编号", "计入轮次", "平均响应秒数"])


def three_minute_rate(messages, by_agent: bool = False, include_bot_only: bool = False):
    """3分钟人工响应率 = 3分钟（180秒）内有人工回复的轮次 ÷ 全部轮次.

    ``messages`` as in :func:`response_times`.  Only rounds whose buyer message was sent
    from 08:00:00 to 24:00 count (a different window from the average's 08:00–23:00).
    A round answered in exactly 180 s counts as within 3 minutes; an unanswered round does
    not.  ``math.nan`` without rounds.  ``by_agent=True``: columns 客服编号, 轮次,
    3分钟内响应轮次, 3分钟人工响应率.

    >>> msgs = pd.DataFrame({
    ...     "会话编号": ["S1", "S1", "S2", "S2", "S3"], "客服编号": ["K1"] * 5,
    ...     "发送方": ["顾客", "客服", "顾客", "客服", "顾客"],
    ...     "发送时间": pd.to_datetime(["2024-05-01 23:30:00", "2024-05-01 23:33:00",
    ...                             "2024-05-01 10:00:00", "2024-05-01 10:03:01", "2024-05-01 07:59:59"])})
    >>> three_minute_rate(msgs)      # S1 in 180 s, S2 in 181 s; S3 is before 08:00
    0.5
    """
    rounds = response_times(messages, include_bot_only=include_bot_only)
    second_of_day = _second_of_day(rounds["顾客发送时间"])
    rounds = rounds[(second_of_day >= THREE_MINUTE_WINDOW[0]) & (second_of_day < THREE_MINUTE_WINDOW[1])]
    fast = rounds["客服回复时间"].notna() & (rounds["响应秒数"] <= THREE_MINUTES)
    if not by_agent:
        return _rate(int(fast.sum()), len(rounds))
    rounds = rounds.assign(_fast=fast)
    rounds = rounds[rounds["客服编号"].notna()]
    table = rounds.groupby("客服编号").agg(轮次=("_fast", "size"), 三分钟=("_fast", "sum")).reset_index()
    table = table.rename(columns={"三分钟": "3分钟内响应轮次"})
    table["轮次"] = table["轮次"].astype("int64")
    table["3分钟内响应轮次"] = table["3分钟内响应轮次"].astype("int64")
    table["3分钟人工响应率"] = [_rate(f, n) for f, n in zip(table["3分钟内响应轮次"], table["轮次"])]
    return _per_agent(table, ["客服编号", "轮次", "3分钟内响应轮次", "3分钟人工响应率"])


def reply_rate(messages, by_agent: bool = False):
    """回复率 = 被回复的顾客数 ÷ 咨询的顾客数, counted per buyer per calendar day (接待量口径).

    ``messages`` (聊天消息表) needs 会话编号, 顾客编号, 客服编号, 发送方, 发送时间.
    A buyer counts once per day in which they sent a message (咨询); the buyer-day is
    replied to when a human agent (发送方 '客服', not '机器人') sent a message to that buyer
    later that same day (at or after the buyer's first message of the day).  A reply after
    midnight belongs to the next day.  Blank 顾客编号/客服编号 on a message are taken from
    its session.  ``math.nan`` when no buyer wrote.
    ``by_agent=True``: counted per (客服编号, 顾客, day); columns 客服编号, 咨询人数, 回复人数, 回复率.

    >>> msgs = pd.DataFrame({
    ...     "会话编号": ["S1", "S1", "S2", "S2", "S3"], "顾客编号": ["C1", "C1", "C2", "C2", "C1"],
    ...     "客服编号": ["K1"] * 5, "发送方": ["顾客", "客服", "顾客", "机器人", "顾客"],
    ...     "发送时间": pd.to_datetime(["2024-05-01 09:00", "2024-05-01 09:01", "2024-05-01 10:00",
    ...                             "2024-05-01 10:00", "2024-05-01 15:00"])})
    >>> reply_rate(msgs)     # C1 on 05-01 replied (twice asked, counted once); C2 only got the bot
    0.5
    """
    frame = _messages(messages, extra=("顾客编号",))
    frame = frame[frame["顾客编号"].notna()]
    frame = frame.assign(_day=frame["发送时间"].dt.normalize())
    keys = (["客服编号"] if by_agent else []) + ["顾客编号", "_day"]
    if by_agent:
        frame = frame[frame["客服编号"].notna()]
    asked = frame[frame["发送方"] == BUYER].groupby(keys)["发送时间"].min().rename("_asked")
    answered = frame[frame["发送方"] == HUMAN].groupby(keys)["发送时间"].max().rename("_answered")
    days = asked.to_frame().join(answered, how="left")
    days["_replied"] = (days["_answered"] >= days["_asked"]).fillna(False).astype(bool)
    if not by_agent:
        return _rate(int(days["_replied"].sum()), len(days))
    table = days.reset_index().groupby("客服编号").agg(咨询人数=("_replied", "size"), 回复人数=("_replied", "sum"))
    table = table.reset_index()
    table["咨询人数"] = table["咨询人数"].astype("int64")
    table["回复人数"] = table["回复人数"].astype("int64")
    table["回复率"] = [_rate(r, n) for r, n in zip(table["回复人数"], table["咨询人数"])]
    return _per_agent(table, ["客服编号", "咨询人数", "回复人数", "回复率"])


REMINDER_TABLE = "催付登记表"
TIME_SLOTS = ((9, 12, "上午（9–12点）"), (12, 14, "午间（12–14点）"), (14, 18, "下午（14–18点）"),
              (18, 22, "晚上（18–22点）"))


def reminder_slot(moment) -> str:
    """The 时段 of a reminder time (for the 总结优化表).

    >>> reminder_slot(pd.Timestamp("2025-10-02 15:30")), reminder_slot(pd.Timestamp("2025-10-02 23:10"))
    ('下午（14–18点）', '其他时间')
    """
    if pd.isna(moment):
        return "其他时间"
    return next((name for start, end, name in TIME_SLOTS if start <= moment.hour < end), "其他时间")


def reminder_success(reminders, by: str = "未付款原因"):
    """The 总结优化表: reminders, paid orders and 成功率 per 未付款原因, 催付方式 or 时段.

    Columns of the 催付登记表: 订单编号, 未付款原因, 催付方式, 催付时间, 是否付款 (bool).
    ``by="时段"`` groups by the clock time of 催付时间 (see :func:`reminder_slot`).
    成功率 = 付款订单数 ÷ 催付次数 (``nan`` for an empty group never happens: groups come
    from the data); rows sorted by 成功率, highest first.

    >>> log = pd.DataFrame({"订单编号": ["A", "B", "C"], "未付款原因": ["忘记付款", "忘记付款", "多家比较"],
    ...                     "催付方式": ["电话", "短信", "电话"], "是否付款": [True, False, False],
    ...                     "催付时间": pd.to_datetime(["2025-10-02 09:30", "2025-10-02 15:00", "2025-10-02 20:00"])})
    >>> reminder_success(log).to_dict("index")
    {'忘记付款': {'催付次数': 2, '付款订单数': 1, '成功率': 0.5}, '多家比较': {'催付次数': 1, '付款订单数': 0, '成功率': 0.0}}
    """
    allowed = ("未付款原因", "催付方式", "时段")
    if by not in allowed:
        raise KPIDataError(f"by 只能是 {'、'.join(allowed)} 之一。")
    need = ["订单编号", "是否付款"] + (["催付时间"] if by == "时段" else [by])
    require_columns(reminders, need, REMINDER_TABLE)
    frame = reminders.copy()
    if by == "时段":
        frame["时段"] = frame["催付时间"].map(reminder_slot)
    paid = frame["是否付款"].map(lambda v: v is True or v == "是" or (isinstance(v, (bool, int)) and bool(v)))
    frame = frame.assign(_paid=paid.astype(int))
    table = frame.groupby(by, observed=True).agg(催付次数=("订单编号", "size"), 付款订单数=("_paid", "sum"))
    table["成功率"] = (table["付款订单数"] / table["催付次数"]).round(4)
    return table.sort_values(["成功率", "催付次数"], ascending=[False, False])
