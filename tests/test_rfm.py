"""RFM 客户分层: the table, the high/low convention, the 8 segments and their actions."""
from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from course_lib.shop import rfm
from course_lib.shop.tables import KPIDataError

ALL_SEGMENTS = ["重要价值客户", "重要保持客户", "重要发展客户", "重要挽留客户",
                "一般价值客户", "一般保持客户", "一般发展客户", "一般挽留客户"]


def orders(rows):
    """Orders from (顾客编号, 付款时间 or None, 订单金额)."""
    return pd.DataFrame({
        "订单编号": [f"D{i}" for i in range(len(rows))],
        "顾客编号": [r[0] for r in rows],
        "付款时间": pd.to_datetime([r[1] for r in rows], format="mixed"),
        "订单金额": [r[2] for r in rows],
    })


def test_rfm_table_hand_computed():
    table = rfm.rfm_table(orders([
        ("C1", "2024-06-30 23:59", 100.0),      # paid today: R = 0
        ("C1", "2024-06-01 08:00", 50.5),
        ("C2", "2024-06-20 10:00", 30.0),
        ("C2", None, 999.0),                    # unpaid: ignored
        ("C3", "2024-07-01 09:00", 80.0),       # after today: ignored, so C3 is not in the table
        ("C4", "2024-01-01", math.nan),         # amount unknown: adds 0
        (None, "2024-06-01", 10.0),             # no buyer: ignored
    ]), today=pd.Timestamp("2024-06-30 15:00"))
    assert list(table.columns) == ["顾客编号", "最近付款时间", "R", "F", "M"]
    assert table[["顾客编号", "R", "F", "M"]].values.tolist() == [
        ["C1", 0, 2, 150.5], ["C2", 10, 1, 30.0], ["C4", 181, 1, 0.0]]
    assert table.loc[0, "最近付款时间"] == pd.Timestamp("2024-06-30 23:59")


def test_rfm_table_accepts_text_dates_and_empty_orders():
    table = rfm.rfm_table(pd.DataFrame({"顾客编号": ["C1"], "付款时间": ["2024-06-29"], "订单金额": ["88"]}),
                          "2024-06-30")
    assert table[["R", "F", "M"]].values.tolist() == [[1, 1, 88.0]]
    empty = rfm.rfm_table(orders([]), "2024-06-30")
    assert empty.empty and list(empty.columns) == ["顾客编号", "最近付款时间", "R", "F", "M"]
    assert rfm.rfm_segments(empty).empty


@pytest.mark.parametrize("today", ["不是日期", None, ""])
def test_rfm_table_rejects_bad_today(today):
    with pytest.raises(KPIDataError, match="today"):
        rfm.rfm_table(orders([]), today)


def test_missing_columns():
    with pytest.raises(KPIDataError, match="订单表缺少列：订单金额"):
        rfm.rfm_table(pd.DataFrame({"顾客编号": [], "付款时间": []}), "2024-06-30")
    with pytest.raises(KPIDataError, match="RFM表缺少列：M"):
        rfm.rfm_segments(pd.DataFrame({"R": [1], "F": [1]}))


def test_all_eight_segments_with_explicit_splits():
    combos = [(r, f, m) for r in (5, 50) for f in (5, 1) for m in (500.0, 50.0)]
    table = pd.DataFrame({"顾客编号": [f"C{i}" for i in range(8)],
                          "R": [c[0] for c in combos], "F": [c[1] for c in combos], "M": [c[2] for c in combos]})
    out = rfm.rfm_segments(table, r_split=30, f_split=2, m_split=100)
    assert out["客户类型"].tolist() == [
        "重要价值客户", "一般价值客户", "重要发展客户", "一般发展客户",
        "重要保持客户", "一般保持客户", "重要挽留客户", "一般挽留客户"]
    # small R (recent) is high value
    assert out["R高低"].tolist() == ["高"] * 4 + ["低"] * 4
    assert out["建议措施"].tolist() == [rfm.SEGMENT_ACTIONS[s] for s in out["客户类型"]]
    assert "R高低" not in table.columns            # the input is not changed


def test_default_splits_are_medians_and_ties_are_low():
    table = pd.DataFrame({"R": [1, 5, 10], "F": [1, 1, 3], "M": [10.0, 20.0, 30.0]})
    out = rfm.rfm_segments(table)
    assert out.attrs["分界值"] == {"R": 5.0, "F": 1.0, "M": 20.0}
    assert out["R高低"].tolist() == ["高", "低", "低"]
    assert out["F高低"].tolist() == ["低", "低", "高"]
    assert out["M高低"].tolist() == ["低", "低", "高"]
    assert out["客户类型"].tolist() == ["一般发展客户", "一般挽留客户", "重要保持客户"]


def test_missing_values_are_low():
    out = rfm.rfm_segments(pd.DataFrame({"R": [math.nan], "F": [math.nan], "M": [math.nan]}), 10, 1, 1)
    assert out["客户类型"].tolist() == ["一般挽留客户"]


@pytest.mark.parametrize("bad", ["高", float("inf")])
def test_bad_split(bad):
    with pytest.raises(KPIDataError, match="f_split"):
        rfm.rfm_segments(pd.DataFrame({"R": [1], "F": [1], "M": [1.0]}), f_split=bad)


def test_segment_tables_are_complete():
    assert sorted(rfm.SEGMENTS.values()) == sorted(ALL_SEGMENTS)
    assert set(rfm.SEGMENT_ACTIONS) == set(ALL_SEGMENTS)
    assert all(action.strip() for action in rfm.SEGMENT_ACTIONS.values())
    for (_r, _f, m), name in rfm.SEGMENTS.items():
        assert name.startswith("重要" if m == "高" else "一般")


def test_segment_summary():
    table = pd.DataFrame({"R": [1, 2, 90], "F": [5, 6, 1], "M": [900.0, 800.0, 5.0]})
    summary = rfm.segment_summary(rfm.rfm_segments(table, 30, 2, 100))
    assert summary.index.tolist() == ALL_SEGMENTS
    assert summary.loc["重要价值客户", "人数"] == 2
    assert summary.loc["重要价值客户", "占比"] == pytest.approx(2 / 3)
    assert summary["人数"].sum() == 3
    empty = rfm.segment_summary(pd.DataFrame({"客户类型": []}))
    assert empty["人数"].sum() == 0 and empty["占比"].isna().all()


@given(st.lists(st.tuples(st.integers(0, 400), st.integers(1, 20), st.floats(0, 1e5)), max_size=40),
       st.one_of(st.none(), st.integers(0, 400)))
def test_every_customer_gets_exactly_one_consistent_segment(rows, r_split):
    table = pd.DataFrame({"R": [r[0] for r in rows], "F": [r[1] for r in rows], "M": [r[2] for r in rows]})
    out = rfm.rfm_segments(table, r_split=r_split)
    assert len(out) == len(table)
    assert out["客户类型"].isin(ALL_SEGMENTS).all()
    split = out.attrs["分界值"]["R"]
    for r, level in zip(table["R"], out["R高低"]):
        assert level == ("高" if r < split else "低")
    for row in out.itertuples(index=False):
        assert rfm.SEGMENTS[(row.R高低, row.F高低, row.M高低)] == row.客户类型


@given(st.lists(st.tuples(st.sampled_from(["C1", "C2", "C3"]), st.integers(0, 60), st.floats(0, 1000)),
                max_size=20))
def test_rfm_table_properties(rows):
    base = pd.Timestamp("2024-05-01")
    frame = pd.DataFrame({"顾客编号": [r[0] for r in rows],
                          "付款时间": [base + pd.Timedelta(days=r[1]) for r in rows],
                          "订单金额": [r[2] for r in rows]})
    table = rfm.rfm_table(frame, "2024-06-30")
    assert table["F"].sum() == len(rows)
    assert table["M"].sum() == pytest.approx(sum(r[2] for r in rows), abs=0.01 * max(len(rows), 1))
    assert (table["R"] >= 0).all()
    for row in table.itertuples(index=False):
        assert row.R == 60 - max(r[1] for r in rows if r[0] == row.顾客编号)
