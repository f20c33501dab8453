"""The 催付登记表 → 总结优化表: reminder success by reason, channel or time slot (unit 10).

The reminder *rules* (timetable, rest hours, plans) are in :mod:`course_lib.shop.reminders`
and :mod:`course_lib.shop.timetable`; this module analyses the log of reminders sent.
"""
from __future__ import annotations

import pandas as pd

from .tables import REMINDER_TABLE, KPIDataError, require_columns

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
