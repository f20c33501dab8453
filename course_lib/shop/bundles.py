"""关联销售: which products are bought together, bundle suggestions and their effect on 客单价.

All functions take the 订单明细表 (columns 订单编号, 商品编号, 商品名称, 数量, 单价).  A row
with a missing id or a 数量 that is not a positive number is ignored; a product counts
once per order however many pieces were bought.

>>> import pandas as pd
>>> items = pd.DataFrame({
...     "订单编号": ["O1", "O1", "O2", "O2", "O3", "O3", "O4"],
...     "商品编号": ["P1", "P2", "P1", "P2", "P2", "P3", "P3"],
...     "商品名称": ["吊扇灯", "遥控器", "吊扇灯", "遥控器", "遥控器", "灯泡", "灯泡"],
...     "数量": [1, 1, 1, 2, 1, 3, 1],
...     "单价": [299.0, 29.0, 299.0, 29.0, 29.0, 9.9, 9.9]})
>>> co_purchase(items)[["商品A", "商品B", "共同购买次数", "支持度"]].values.tolist()
[['吊扇灯', '遥控器', 2, 0.5]]
>>> print(bundle_suggestions(items)[0])
「吊扇灯」和「遥控器」在2个订单中被一起购买（占全部订单的50.0%），买「吊扇灯」的订单中有100.0%也买了「遥控器」。建议把两者做成搭配套餐，顾客咨询「吊扇灯」时主动推荐「遥控器」。
"""
from __future__ import annotations

import math

import pandas as pd

from .tables import ID, ITEM_TABLE, NUMBER, KPIDataError, clean, require_columns


def _items(items):
    frame = clean(items, {"订单编号": ID, "商品编号": ID, "商品名称": ID, "数量": NUMBER}, ITEM_TABLE,
                  optional={"单价": NUMBER})
    if "单价" not in frame.columns:
        frame["单价"] = math.nan
    frame = frame[frame["订单编号"].notna() & frame["商品编号"].notna() & (frame["数量"] > 0)]
    frame["商品名称"] = frame["商品名称"].where(frame["商品名称"].notna(), frame["商品编号"])
    return frame.reset_index(drop=True)


def _names(frame) -> dict[str, str]:
    return frame.drop_duplicates("商品编号").set_index("商品编号")["商品名称"].to_dict()


def _pair_counts(frame):
    """Every pair (A < B by 商品编号) bought in the same order, with its number of orders."""
    baskets = frame[["订单编号", "商品编号"]].drop_duplicates()
    pairs = baskets.merge(baskets, on="订单编号", suffixes=("A", "B"))
    pairs = pairs[pairs["商品编号A"] < pairs["商品编号B"]]
    counts = pairs.groupby(["商品编号A", "商品编号B"]).size().rename("共同购买次数").reset_index()
    counts["共同购买次数"] = counts["共同购买次数"].astype("int64")
    return counts


def co_purchase(items, min_count: int = 2):
    """Pairs of products bought in the same order at least ``min_count`` times.

    ``items``: 订单明细表 (订单编号, 商品编号, 商品名称, 数量).  Columns of the result:
    商品A, 商品B (names), 共同购买次数 (number of orders containing both), 支持度
    (共同购买次数 ÷ number of orders in ``items``), 商品A编号, 商品B编号.  In each pair A has
    the smaller 商品编号; rows are sorted by 共同购买次数 (largest first), then by id.

    >>> items = pd.DataFrame({"订单编号": ["O1", "O1", "O1", "O2", "O2"],
    ...                       "商品编号": ["P1", "P2", "P3", "P1", "P2"],
    ...                       "商品名称": ["包", "钱夹", "护理剂", "包", "钱夹"], "数量": [1, 1, 1, 1, 1]})
    >>> co_purchase(items, min_count=1)[["商品A", "商品B", "共同购买次数"]].values.tolist()
    [['包', '钱夹', 2], ['包', '护理剂', 1], ['钱夹', '护理剂', 1]]
    """
    if isinstance(min_count, bool) or not isinstance(min_count, (int, float)) or not min_count >= 1:
        raise KPIDataError(f"min_count 应是不小于1的整数，现在是「{min_count}」。")
    frame = _items(items)
    orders = frame["订单编号"].nunique()
    counts = _pair_counts(frame)
    counts = counts[counts["共同购买次数"] >= min_count]
    names = _names(frame)
    out = pd.DataFrame({
        "商品A": counts["商品编号A"].map(names).astype(object),
        "商品B": counts["商品编号B"].map(names).astype(object),
        "共同购买次数": counts["共同购买次数"],
        "支持度": counts["共同购买次数"] / orders if orders else math.nan,
        "商品A编号": counts["商品编号A"].astype(object),
        "商品B编号": counts["商品编号B"].astype(object),
    })
    out["支持度"] = out["支持度"].astype("float64")
    out = out.sort_values(["共同购买次数", "商品A编号", "商品B编号"], ascending=[False, True, True], kind="stable")
    return out.reset_index(drop=True)


def bundle_suggestions(items, top: int = 5, min_count: int = 2) -> list[str]:
    """One Chinese suggestion sentence for each of the ``top`` most frequent pairs.

    ``items``: 订单明细表 (订单编号, 商品编号, 商品名称, 数量).  For the pair (A, B) the
    sentence names the direction with the larger share: if a larger part of the orders
    with A also contain B than the other way round, the agent should recommend B when a
    buyer asks about A (and vice versa; a tie recommends B with A).  An empty list when no
    pair reaches ``min_count``.

    >>> items = pd.DataFrame({"订单编号": ["O1", "O1", "O2", "O3"], "商品编号": ["P1", "P2", "P2", "P2"],
    ...                       "商品名称": ["手提包", "护理剂", "护理剂", "护理剂"], "数量": [1, 1, 1, 1]})
    >>> print(bundle_suggestions(items, min_count=1)[0])
    「手提包」和「护理剂」在1个订单中被一起购买（占全部订单的33.3%），买「手提包」的订单中有100.0%也买了「护理剂」。建议把两者做成搭配套餐，顾客咨询「手提包」时主动推荐「护理剂」。
    >>> bundle_suggestions(items)
    []
    """
    if isinstance(top, bool) or not isinstance(top, int) or top < 1:
        raise KPIDataError(f"top 应是不小于1的整数，现在是「{top}」。")
    pairs = co_purchase(items, min_count=min_count).head(top)
    if pairs.empty:
        return []
    frame = _items(items)
    baskets = frame[["订单编号", "商品编号"]].drop_duplicates()
    orders_with = baskets.groupby("商品编号")["订单编号"].nunique().to_dict()
    sentences = []
    for row in pairs.itertuples(index=False):
        a, b, n = row.商品A, row.商品B, row.共同购买次数
        share_b_given_a = n / orders_with[row.商品A编号]
        share_a_given_b = n / orders_with[row.商品B编号]
        if share_a_given_b > share_b_given_a:
            asked, offer, share = b, a, share_a_given_b
        else:
            asked, offer, share = a, b, share_b_given_a
        sentences.append(
            f"「{a}」和「{b}」在{n}个订单中被一起购买（占全部订单的{row.支持度 * 100:.1f}%），"
            f"买「{asked}」的订单中有{share * 100:.1f}%也买了「{offer}」。"
            f"建议把两者做成搭配套餐，顾客咨询「{asked}」时主动推荐「{offer}」。")
    return sentences


def _find(frame, product) -> str:
    key = None if product is None else str(product).strip()
    if key and key in set(frame["商品编号"]):
        return key
    matches = frame.loc[frame["商品名称"] == key, "商品编号"].unique()
    if len(matches) == 1:
        return str(matches[0])
    if len(matches) > 1:
        raise KPIDataError(f"有多个商品叫「{key}」，请改用商品编号：{'、'.join(map(str, matches))}。")
    raise KPIDataError(f"{ITEM_TABLE}里没有商品「{product}」（可以写商品编号或商品名称）。")


def basket_value_effect(items, pair, uptake: float = 0.2) -> dict[str, float]:
    """Estimated 客单价 before and after recommending B to the buyers of A.

    ``items``: 订单明细表 (订单编号, 商品编号, 商品名称, 数量, 单价); ``pair`` = (A, B), each a
    商品编号 or a 商品名称; ``uptake`` = the share (0–1) of the orders that contain A but not
    B which would add one piece of B.  Here 客单价 is sales per order (the 订单明细表 has no
    buyer column, so each order stands for one buyer).  The arithmetic:

    * 原客单价 = Σ 数量 × 单价 ÷ 订单数 (a missing 单价 counts as 0 元);
    * 新增销售额 = uptake × 含A未含B订单数 × B平均单价 (B平均单价 = B's sales ÷ B's pieces);
    * 预计客单价 = (Σ 数量 × 单价 + 新增销售额) ÷ 订单数 (the number of orders is unchanged);
    * 提升金额 = 预计 − 原; 提升比例 = 提升金额 ÷ 原客单价.

    Money is rounded to 2 decimals, 提升比例 to 4.

    >>> items = pd.DataFrame({"订单编号": ["O1", "O1", "O2", "O3", "O4"],
    ...                       "商品编号": ["P1", "P2", "P1", "P1", "P3"],
    ...                       "商品名称": ["吊扇灯", "遥控器", "吊扇灯", "吊扇灯", "灯泡"],
    ...                       "数量": [1, 1, 1, 1, 2], "单价": [100.0, 20.0, 100.0, 100.0, 50.0]})
    >>> effect = basket_value_effect(items, ("吊扇灯", "遥控器"), uptake=0.5)
    >>> effect["原客单价"], effect["预计客单价"], effect["提升比例"]   # 420÷4; (420 + 0.5×2×20)÷4
    (105.0, 110.0, 0.0476)
    """
    try:
        share = float(uptake)
    except (TypeError, ValueError):
        share = math.nan
    if isinstance(uptake, bool) or not 0 <= share <= 1:
        raise KPIDataError(f"uptake 应是0到1之间的比例（例如0.2表示20%），现在是「{uptake}」。")
    if not isinstance(pair, (tuple, list)) or len(pair) != 2:
        raise KPIDataError("pair 应写成两个商品，例如(\"吊扇灯\", \"遥控器\")。")
    require_columns(items, ["单价"], ITEM_TABLE)
    frame = _items(items)
    a, b = _find(frame, pair[0]), _find(frame, pair[1])
    if a == b:
        raise KPIDataError("pair 里的两个商品不能相同。")
    frame["_sales"] = (frame["数量"] * frame["单价"]).fillna(0.0)
    orders = frame["订单编号"].nunique()
    total = float(frame["_sales"].sum())
    with_a = set(frame.loc[frame["商品编号"] == a, "订单编号"])
    with_b = set(frame.loc[frame["商品编号"] == b, "订单编号"])
    b_rows = frame[(frame["商品编号"] == b) & frame["单价"].notna()]
    if b_rows.empty:
        raise KPIDataError(f"{ITEM_TABLE}里没有「{pair[1]}」的单价。")
    price_b = float(b_rows["_sales"].sum() / b_rows["数量"].sum())
    candidates = len(with_a - with_b)
    before = total / orders
    after = (total + share * candidates * price_b) / orders
    return {
        "订单数": orders,
        "含A未含B订单数": candidates,
        "B平均单价": round(price_b, 2),
        "原客单价": round(before, 2),
        "预计客单价": round(after, 2),
        "提升金额": round(after - before, 2),
        "提升比例": round((after - before) / before, 4) if before else math.nan,
    }
