"""关联销售: co-purchase counts, suggestion sentences and the 客单价 arithmetic."""
from __future__ import annotations

import itertools
import math

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from course_lib.shop import bundles
from course_lib.shop.tables import KPIDataError

NAMES = {"P1": "吊扇灯", "P2": "遥控器", "P3": "灯泡", "P4": "安装服务"}
PRICES = {"P1": 300.0, "P2": 20.0, "P3": 10.0, "P4": 50.0}


def items(rows):
    """订单明细 from (订单编号, 商品编号, 数量); names and prices from the tables above."""
    return pd.DataFrame({
        "订单编号": [r[0] for r in rows],
        "商品编号": [r[1] for r in rows],
        "商品名称": [NAMES[r[1]] for r in rows],
        "数量": [r[2] for r in rows],
        "单价": [PRICES[r[1]] for r in rows],
    })


SHOP = items([
    ("O1", "P1", 1), ("O1", "P2", 1), ("O1", "P3", 2),
    ("O2", "P1", 1), ("O2", "P2", 1),
    ("O3", "P1", 1), ("O3", "P3", 1), ("O3", "P3", 1),     # P3 twice in one order: counts once
    ("O4", "P1", 1),
    ("O5", "P3", 4), ("O5", "P4", 0),                       # zero pieces: not bought
])


def test_co_purchase_hand_computed():
    pairs = bundles.co_purchase(SHOP, min_count=1)
    assert list(pairs.columns) == ["商品A", "商品B", "共同购买次数", "支持度", "商品A编号", "商品B编号"]
    assert pairs[["商品A编号", "商品B编号", "共同购买次数"]].values.tolist() == [
        ["P1", "P2", 2], ["P1", "P3", 2], ["P2", "P3", 1]]
    assert pairs["支持度"].tolist() == [0.4, 0.4, 0.2]            # 5 orders
    assert pairs["商品A"].tolist() == ["吊扇灯", "吊扇灯", "遥控器"]
    assert bundles.co_purchase(SHOP)["共同购买次数"].tolist() == [2, 2]
    assert bundles.co_purchase(SHOP, min_count=3).empty


def test_co_purchase_edge_cases():
    empty = bundles.co_purchase(items([]))
    assert empty.empty and "支持度" in empty.columns
    single = bundles.co_purchase(items([("O1", "P1", 1), ("O2", "P2", 1)]), min_count=1)
    assert single.empty
    broken = SHOP.copy()
    broken.loc[0, "订单编号"] = None
    broken.loc[1, "数量"] = math.nan
    assert bundles.co_purchase(broken, min_count=1)[["商品A编号", "商品B编号"]].values.tolist() == [
        ["P1", "P2"], ["P1", "P3"]]
    with pytest.raises(KPIDataError, match="订单明细表缺少列：数量"):
        bundles.co_purchase(SHOP.drop(columns=["数量"]))
    with pytest.raises(KPIDataError, match="min_count"):
        bundles.co_purchase(SHOP, min_count=0)


def test_missing_name_falls_back_to_the_id():
    data = SHOP.copy()
    data.loc[data["商品编号"] == "P2", "商品名称"] = None
    assert bundles.co_purchase(data)["商品B"].tolist() == ["P2", "灯泡"]


def test_bundle_suggestions():
    sentences = bundles.bundle_suggestions(SHOP)
    assert len(sentences) == 2
    # P1 is in 4 orders, P2 in 2: half the lamp orders have a remote, every remote order has a lamp
    assert sentences[0] == (
        "「吊扇灯」和「遥控器」在2个订单中被一起购买（占全部订单的40.0%），买「遥控器」的订单中有100.0%"
        "也买了「吊扇灯」。建议把两者做成搭配套餐，顾客咨询「遥控器」时主动推荐「吊扇灯」。")
    # P3 is in 3 orders (2/3 with a lamp), P1 in 4 (2/4 with a bulb)
    assert "买「灯泡」的订单中有66.7%也买了「吊扇灯」" in sentences[1]
    assert len(bundles.bundle_suggestions(SHOP, top=1)) == 1
    assert bundles.bundle_suggestions(SHOP, min_count=5) == []
    assert bundles.bundle_suggestions(items([])) == []
    with pytest.raises(KPIDataError, match="top"):
        bundles.bundle_suggestions(SHOP, top=0)


def test_a_tie_recommends_b_with_a():
    data = items([("O1", "P1", 1), ("O1", "P2", 1), ("O2", "P1", 1), ("O2", "P2", 1)])
    assert bundles.bundle_suggestions(data)[0].endswith("顾客咨询「吊扇灯」时主动推荐「遥控器」。")


def test_basket_value_effect_hand_computed():
    # sales: O1 300+20+2×10 = 340, O2 320, O3 300+10+10 = 320, O4 300, O5 40 → 1320 over 5 orders = 264
    # lamp orders without a remote: O3, O4 → +0.5 × 2 × 20 = 20 → 1340 / 5 = 268
    effect = bundles.basket_value_effect(SHOP, ("吊扇灯", "遥控器"), uptake=0.5)
    assert effect == {"订单数": 5, "含A未含B订单数": 2, "B平均单价": 20.0, "原客单价": 264.0,
                      "预计客单价": 268.0, "提升金额": 4.0, "提升比例": round(4 / 264, 4)}
    by_id = bundles.basket_value_effect(SHOP, ("P1", "P2"), uptake=0.5)
    assert by_id == effect
    none = bundles.basket_value_effect(SHOP, ("P1", "P2"), uptake=0)
    assert none["预计客单价"] == none["原客单价"] and none["提升金额"] == 0
    full = bundles.basket_value_effect(SHOP, ("P1", "P2"), uptake=1)
    assert full["预计客单价"] == 272.0
    default = bundles.basket_value_effect(SHOP, ("P1", "P2"))        # uptake 0.2 → +8 / 5
    assert default["预计客单价"] == 265.6


def test_basket_value_effect_uses_the_weighted_price_of_b():
    data = items([("O1", "P1", 1), ("O2", "P2", 1), ("O3", "P2", 3)])
    data.loc[2, "单价"] = 10.0                                     # 20 + 3 × 10 = 50 over 4 pieces
    effect = bundles.basket_value_effect(data, ("P1", "P2"), uptake=1)
    assert effect["B平均单价"] == 12.5
    assert effect["预计客单价"] == round((300 + 50 + 12.5) / 3, 2)


@pytest.mark.parametrize("pair,message", [
    (("吊扇灯", "风扇"), "没有商品「风扇」"), (("P1", "吊扇灯"), "不能相同"), ("吊扇灯", "两个商品"),
    (("P1", "P2", "P3"), "两个商品"),
])
def test_basket_value_effect_bad_pairs(pair, message):
    with pytest.raises(KPIDataError, match=message):
        bundles.basket_value_effect(SHOP, pair)


@pytest.mark.parametrize("uptake", [-0.1, 1.5, "20%", True, math.nan])
def test_basket_value_effect_bad_uptake(uptake):
    with pytest.raises(KPIDataError, match="uptake"):
        bundles.basket_value_effect(SHOP, ("P1", "P2"), uptake=uptake)


def test_basket_value_effect_ambiguous_name_and_missing_price():
    data = SHOP.copy()
    data.loc[data["商品编号"] == "P4", "商品名称"] = "吊扇灯"
    data.loc[data["商品编号"] == "P4", "数量"] = 1
    with pytest.raises(KPIDataError, match="有多个商品叫「吊扇灯」"):
        bundles.basket_value_effect(data, ("吊扇灯", "遥控器"))
    data = SHOP.copy()
    data.loc[data["商品编号"] == "P2", "单价"] = math.nan
    with pytest.raises(KPIDataError, match="单价"):
        bundles.basket_value_effect(data, ("P1", "P2"))


BASKET_ROW = st.tuples(st.sampled_from(["O1", "O2", "O3", "O4", "O5", "O6"]),
                       st.sampled_from(list(NAMES)), st.integers(0, 3))


@given(st.lists(BASKET_ROW, max_size=30), st.integers(1, 3))
def test_co_purchase_matches_a_plain_count(rows, min_count):
    data = items(rows)
    pairs = bundles.co_purchase(data, min_count=min_count)
    baskets: dict[str, set[str]] = {}
    for order, product, quantity in rows:
        if quantity > 0:
            baskets.setdefault(order, set()).add(product)
    expected: dict[tuple[str, str], int] = {}
    for basket in baskets.values():
        for pair in itertools.combinations(sorted(basket), 2):
            expected[pair] = expected.get(pair, 0) + 1
    expected = {k: v for k, v in expected.items() if v >= min_count}
    got = {(a, b): n for a, b, n in pairs[["商品A编号", "商品B编号", "共同购买次数"]].values.tolist()}
    assert got == expected
    assert pairs["共同购买次数"].is_monotonic_decreasing
    assert ((pairs["支持度"] > 0) & (pairs["支持度"] <= 1)).all()
    assert all(s.startswith("「") for s in bundles.bundle_suggestions(data, min_count=min_count))


@given(st.lists(BASKET_ROW, min_size=1, max_size=30), st.floats(0, 1))
def test_recommending_never_lowers_basket_value(rows, uptake):
    data = items(rows + [("O9", "P1", 1), ("O9", "P2", 1)])
    effect = bundles.basket_value_effect(data, ("P1", "P2"), uptake=uptake)
    assert effect["预计客单价"] >= effect["原客单价"]
    assert 0 <= effect["含A未含B订单数"] < effect["订单数"]
