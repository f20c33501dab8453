"""Shared table handling for the shop's metrics: checking and cleaning a student's DataFrame.

Every metric takes the course's shop tables (Chinese column names).  A student may pass a
table read with ``load_dataset`` or built by hand, with blanks, ``NaN``, strings for times
or numbers.  :func:`clean` turns the columns a metric needs into one predictable shape, so
each metric declares *what* it needs instead of cleaning by hand:

>>> import pandas as pd
>>> raw = pd.DataFrame({"顾客编号": [" C1", "", None], "付款时间": ["2024-05-01 10:00", "x", None],
...                     "订单金额": ["12.5", "abc", 3]})
>>> t = clean(raw, {"顾客编号": ID, "付款时间": TIME, "订单金额": NUMBER}, "订单表")
>>> t["顾客编号"].tolist(), t["付款时间"].isna().tolist(), t["订单金额"].tolist()[:1]
(['C1', None, None], [False, True, True], [12.5])
>>> clean(raw, {"退款时间": TIME}, "订单表")
Traceback (most recent call last):
...
course_lib.shop.tables.KPIDataError: 订单表缺少列：退款时间。
>>> fmt_rate(0.125), fmt_rate(float("nan"))
('12.5%', '—')
"""
from __future__ import annotations

import math
from collections.abc import Mapping

ID = "id"            # identifiers and labels: stripped str; missing or blank → None
TIME = "time"        # datetimes; missing or unreadable → NaT
NUMBER = "number"    # floats; missing or unreadable → NaN
KINDS = (ID, TIME, NUMBER)

MESSAGE_TABLE = "聊天消息表"
SESSION_TABLE = "聊天会话表"
ORDER_TABLE = "订单表"
REVIEW_TABLE = "评价表"
ITEM_TABLE = "订单明细表"
REMINDER_TABLE = "催付登记表"


class KPIDataError(ValueError):
    """A table is not a DataFrame or lacks a column; ``str(error)`` is a Chinese message."""


def require_columns(frame, columns, table: str) -> None:
    """Raise :class:`KPIDataError` (Chinese) unless ``frame`` is a DataFrame with ``columns``.

    >>> import pandas as pd
    >>> require_columns(pd.DataFrame({"订单编号": []}), ["订单编号", "付款时间"], "订单表")
    Traceback (most recent call last):
    ...
    course_lib.shop.tables.KPIDataError: 订单表缺少列：付款时间。
    """
    import pandas as pd

    if not isinstance(frame, pd.DataFrame):
        raise KPIDataError(f"{table}应是一个 DataFrame，现在是 {type(frame).__name__}。")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise KPIDataError(f"{table}缺少列：{'、'.join(missing)}。")


def clean(frame, schema: Mapping[str, str], table: str, optional: Mapping[str, str] | None = None):
    """A new DataFrame with the ``schema`` columns of ``frame`` cleaned by kind (same index).

    ``schema`` maps a column to :data:`ID`, :data:`TIME` or :data:`NUMBER`; every one is
    required (:class:`KPIDataError` names the first missing ones).  ``optional`` columns are
    cleaned when present and left out otherwise.
    """
    require_columns(frame, list(schema), table)
    import pandas as pd

    wanted = dict(schema) | {c: k for c, k in (optional or {}).items() if c in frame.columns}
    return pd.DataFrame({column: _CLEANERS[kind](frame[column]) for column, kind in wanted.items()},
                        index=frame.index)


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


def rate(numerator, denominator) -> float:
    """``numerator ÷ denominator``, ``nan`` when the denominator is 0 (never a division error)."""
    return float(numerator) / float(denominator) if denominator else math.nan


def per_agent(frame, columns: list[str]):
    """``frame[columns]`` sorted by 客服编号 (the shape of every ``by_agent=True`` table)."""
    return frame[columns].sort_values("客服编号", kind="stable").reset_index(drop=True)


def _ids(series):
    import pandas as pd

    def one(value):
        if value is None or (not isinstance(value, str) and pd.isna(value)):
            return None
        text = str(value).strip()
        return text or None

    return pd.Series([one(v) for v in series], index=series.index, dtype=object)


def _times(series):
    import pandas as pd

    if pd.api.types.is_datetime64_any_dtype(series):
        return series
    return pd.to_datetime(series, errors="coerce", format="mixed")


def _numbers(series):
    import pandas as pd

    return pd.to_numeric(series, errors="coerce").astype("float64")


_CLEANERS = {ID: _ids, TIME: _times, NUMBER: _numbers}
