"""让步的代价（第09单元）: the money of one order with a price cut and gifts.

The words follow the notebook (amounts in 元, rounded to 分):

* 实收金额 = 售价 × 数量 − 让价
* 一单毛利 = 实收金额 − 商品成本 × 数量 − 赠品成本（活动赠品 + 加送赠品，都按**成本**算）
* 标准毛利 = 按售价成交、只送活动赠品时的一单毛利
* 毛利保持率 = 一单毛利 ÷ 标准毛利；毛利率 = 一单毛利 ÷ 实收金额

The shop's campaign this week (SHOP.md): every order of a bag or wallet (P01–P04) gets one
皮具护理套装 (P05).  Products come from the catalogue (售价, 成本 as in ``products.csv``), or
from a table a student passes (``load_dataset("products")`` or a list of dicts).

>>> m = order_margin("P02", extra_gifts=["手机支架"])
>>> m.paid, m.gift_cost, m.profit, m.standard_profit, round(m.kept, 4)
(359.0, 22.0, 169.0, 177.0, 0.9548)
>>> order_margin("头层牛皮斜挎包", discount="30元").profit      # 359 − 30 − 168 − 14
147.0
"""
from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

CAMPAIGN_GIFT = "P05"                                 # 皮具护理套装：本周买包或钱包每单送一套
CAMPAIGN_FOR = ("P01", "P02", "P03", "P04")           # 包和钱包（P05本身不送P05）
COLUMNS = ("商品编号", "商品名称", "品类", "售价", "成本")


class MarginError(ValueError):
    """Bad input: an amount that cannot be read, an unknown product, a bad table; Chinese message."""


@dataclass(frozen=True)
class Item:
    """What the money needs to know about one product."""

    id: str
    name: str
    category: str
    price: float
    cost: float


def catalogue_items() -> dict[str, Item]:
    """The shop's products from the catalogue (the same 售价 and 成本 as ``products.csv``)."""
    from .catalogue import PRODUCTS

    return {p.id: Item(p.id, p.name, p.category, p.price, p.cost) for p in PRODUCTS}


def items_from_table(table: Any = None) -> dict[str, Item]:
    """The product table (a DataFrame, a list of dicts, a dict of :class:`Item`) keyed by 商品编号;
    ``None`` is the shop's catalogue."""
    if table is None:
        return catalogue_items()
    if isinstance(table, Mapping) and all(isinstance(v, Item) for v in table.values()):
        return dict(table)
    if hasattr(table, "to_dict") and hasattr(table, "columns"):
        missing = [c for c in COLUMNS if c not in table.columns]
        if missing:
            raise MarginError(f"商品表缺少列：{'、'.join(missing)}。")
        rows = table.to_dict("records")
    elif isinstance(table, (list, tuple)):
        rows = list(table)
    else:
        raise MarginError("商品表应是 load_dataset(\"products\") 读出的表格。")
    items: dict[str, Item] = {}
    for n, row in enumerate(rows, 1):
        if not isinstance(row, Mapping) or any(c not in row for c in COLUMNS):
            raise MarginError(f"商品表第{n}行缺少列（需要{'、'.join(COLUMNS)}）。")
        try:
            price, cost = float(row["售价"]), float(row["成本"])
        except (TypeError, ValueError):
            raise MarginError(f"商品表第{n}行的售价或成本不是数字。") from None
        if not (math.isfinite(price) and math.isfinite(cost)) or price <= 0 or cost < 0:
            raise MarginError(f"商品表第{n}行的售价应大于0、成本不能为负。")
        pid = str(row["商品编号"]).strip()
        items[pid] = Item(pid, str(row["商品名称"]).strip(), str(row["品类"]).strip(), price, cost)
    return items


def _plain(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


def _short(name: str) -> str:
    return re.sub(r"[(（].*?[)）]", "", name)


def find_item(items: Mapping[str, Item], key: Any, aliases: Mapping[str, Iterable[str]] | None = None) -> Item:
    """A product by 商品编号 (P02, p02, Ｐ０２), by its 商品名称 (with or without the part in
    brackets, “快充数据线”) or by an alias given for its id.

    >>> find_item(catalogue_items(), "快充数据线").id, find_item(catalogue_items(), "ｐ１０").name
    ('P08', '手机支架')
    """
    if not isinstance(key, str) or not key.strip():
        raise MarginError("请写商品编号（例如\"P02\"）或商品名称。")
    text = _plain(key)
    if text.upper() in items:
        return items[text.upper()]
    for item in items.values():
        if text in (_plain(item.name), _plain(_short(item.name))):
            return item
    for pid, words in (aliases or {}).items():
        if pid in items and text in {_plain(w) for w in words}:
            return items[pid]
    raise MarginError(f"商品表里没有「{key.strip()[:20]}」（可以写商品编号，例如\"P02\"，或完整的商品名称）。")


def parse_amount(value: Any, what: str = "让价") -> float:
    """A non-negative amount in 元 typed by a student: 30, 30.5, "30", "30元", "３０元", "¥30"; blank is 0.

    >>> parse_amount("３０元"), parse_amount(12.5), parse_amount("")
    (30.0, 12.5, 0.0)
    >>> parse_amount("-20")
    Traceback (most recent call last):
    course_lib.shop.margin.MarginError: 让价不能是负数：让价是少收的钱，写0或正数，例如30。
    """
    if value is None:
        return 0.0
    if isinstance(value, bool):
        raise MarginError(f"{what}应是一个金额（元），例如30。")
    if isinstance(value, (int, float)):
        amount = float(value)
    elif isinstance(value, str):
        text = _plain(str.__str__(value)[:30]).replace(" ", "")
        text = re.sub(r"^[¥￥]|(元|块钱|块)$", "", text)
        if text == "":
            return 0.0
        if re.fullmatch(r"[-－−]\d+(\.\d+)?", text):
            raise MarginError(f"{what}不能是负数：让价是少收的钱，写0或正数，例如30。")
        if not re.fullmatch(r"\d+(\.\d+)?", text):
            raise MarginError(f"{what}「{value.strip()[:20]}」看不懂，请写一个数字，例如30或30元。")
        amount = float(text)
    else:
        raise MarginError(f"{what}应是一个金额（元），例如30。")
    if not math.isfinite(amount) or amount < 0:
        raise MarginError(f"{what}应是不小于0的金额，现在是「{value}」。")
    return round(amount, 2)


def campaign_gifts(product_id: str) -> tuple[str, ...]:
    """本周活动：P01–P04 每单送一套 P05."""
    return (CAMPAIGN_GIFT,) if product_id in CAMPAIGN_FOR else ()


@dataclass(frozen=True)
class Margin:
    """The money of one order (all amounts in 元, rounded to 分)."""

    product_id: str
    product_name: str
    quantity: int
    price: float
    discount: float
    goods_cost: float
    standard_gifts: tuple[tuple[str, float], ...]
    extra_gifts: tuple[tuple[str, float], ...]

    @property
    def paid(self) -> float:
        return round(self.price * self.quantity - self.discount, 2)

    @property
    def gift_cost(self) -> float:
        return round(sum(c for _, c in self.standard_gifts + self.extra_gifts), 2)

    @property
    def profit(self) -> float:
        return round(self.paid - self.goods_cost - self.gift_cost, 2)

    @property
    def standard_profit(self) -> float:
        return round(self.price * self.quantity - self.goods_cost - sum(c for _, c in self.standard_gifts), 2)

    @property
    def kept(self) -> float:
        """毛利保持率 (1.0 when nothing extra was given); nan if the standard profit is not positive."""
        return self.profit / self.standard_profit if self.standard_profit > 0 else math.nan

    @property
    def rate(self) -> float:
        """毛利率 = 一单毛利 ÷ 实收金额."""
        return self.profit / self.paid if self.paid > 0 else math.nan

    def gift_text(self) -> str:
        parts = [f"{n}{c:.2f}元（活动赠品）" for n, c in self.standard_gifts]
        parts += [f"{n}{c:.2f}元（加送）" for n, c in self.extra_gifts]
        return "、".join(parts) if parts else "无"

    def as_dict(self) -> dict[str, Any]:
        return {"商品": self.product_name, "数量": self.quantity, "售价": self.price, "让价": self.discount,
                "实收金额": self.paid, "商品成本": self.goods_cost, "赠品成本": self.gift_cost,
                "一单毛利": self.profit, "标准毛利": self.standard_profit,
                "毛利保持率": round(self.kept, 4) if math.isfinite(self.kept) else None,
                "毛利率": round(self.rate, 4) if math.isfinite(self.rate) else None}

    def to_text(self) -> str:
        kept = f"{self.kept:.1%}" if math.isfinite(self.kept) else "—"
        return (f"{self.product_name}×{self.quantity}：售价{self.price * self.quantity:.2f}元，"
                f"让价{self.discount:.2f}元，实收{self.paid:.2f}元\n"
                f"商品成本{self.goods_cost:.2f}元；赠品成本{self.gift_cost:.2f}元（{self.gift_text()}）\n"
                f"一单毛利{self.profit:.2f}元；标准毛利{self.standard_profit:.2f}元；毛利保持率{kept}")

    def __repr__(self) -> str:
        return self.to_text()


def order_margin(product: Any, products: Any = None, *, quantity: Any = 1, discount: Any = 0,
                 extra_gifts: Iterable[Any] = (), standard_gifts: Iterable[Any] | None = None) -> Margin:
    """The margin of one order of ``product`` (商品编号 or 商品名称) with a ``discount`` (元, the
    whole order) and ``extra_gifts`` (one piece each).  ``products``: the product table
    (``None``: the shop's catalogue); ``standard_gifts`` defaults to this week's campaign.

    >>> m = order_margin("P07", extra_gifts=["P08"])          # 129 − 63 − 9.5; no campaign gift
    >>> m.profit, m.standard_profit, f"{m.kept:.1%}"
    (56.5, 66.0, '85.6%')
    """
    table = items_from_table(products)
    item = find_item(table, product)
    if isinstance(quantity, bool) or not isinstance(quantity, int) or not 1 <= quantity <= 99:
        raise MarginError(f"数量应是1–99的整数，现在是「{quantity}」。")
    cut = parse_amount(discount, "让价")
    if cut > item.price * quantity:
        raise MarginError(f"让价{cut:g}元超过了售价{item.price * quantity:g}元。")
    if isinstance(extra_gifts, str):
        extra_gifts = [extra_gifts]
    if standard_gifts is None:
        standard: tuple = campaign_gifts(item.id)
    else:
        standard = (standard_gifts,) if isinstance(standard_gifts, str) else tuple(standard_gifts)
    std = tuple((g.name, g.cost) for g in (find_item(table, k) for k in standard))
    extra = tuple((g.name, g.cost) for g in (find_item(table, k) for k in extra_gifts))
    return Margin(item.id, item.name, quantity, item.price, cut, round(item.cost * quantity, 2), std, extra)
