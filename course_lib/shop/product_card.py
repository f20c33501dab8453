"""The product-knowledge card of unit 03: look a product up by code or name, show what an agent may say.

An agent answers questions about material, size, care and matching items while the buyer
waits.  :class:`Catalogue` holds the catalogue (``products.csv`` with its product-knowledge
columns, see :func:`load_catalogue`); :meth:`Catalogue.find` takes whatever a student types
and never raises.  The card **leaves out the cost**: it is the shop's internal figure.

Lookup order (the first step that finds something wins):

1. a code: ``P01``, ``p1``, ``P 01``, ``01``, ``1`` all mean P01;
2. the whole name (spaces, case and full-width folded; the part in brackets may be left out);
3. a name containing the text (``托特``, ``钱包``), or a material equal to it (``头层牛皮``);
4. three characters in a row of a name inside the text (``托特包能机洗吗``).

One product: its card; several: the candidates; none: a hint how to ask.

>>> cat = Catalogue(SAMPLE)
>>> cat.find("p1").product.name
'PU配皮托特包'
>>> [p.code for p in cat.find("PU").candidates]
['P01', 'P03']
>>> cat.find("托特包能机洗吗").product.code
'P01'
>>> cat.find("皮鞋").message
'没有找到“皮鞋”。可以输入编号（P01–P03），名称中的几个字（如“托特”“斜挎”），或材质（如“头层牛皮”）。'
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

__all__ = ["ProductInfo", "Lookup", "Catalogue", "CatalogueError", "REQUIRED_COLUMNS", "catalogue_from_frame",
           "load_catalogue", "SAMPLE"]

REQUIRED_COLUMNS = ("商品编号", "商品名称", "品类", "材质", "售价", "物流方式",
                    "材质说明", "规格尺寸", "重量", "优点", "不足", "保养要点", "搭配商品", "搭配理由")
NOT_APPLICABLE = {"", "—", "-", "nan", "None", "<NA>"}
_CODE = re.compile(r"^P?0*(\d{1,3})$")
_PAREN = re.compile(r"（[^）]*）|\([^)]*\)")
_QUERY_LIMIT = 100                 # characters of a query looked at (a pasted essay is cut)


class CatalogueError(ValueError):
    """The catalogue data is unusable; the message (Chinese) says which column or product."""


def _norm(text: str) -> str:
    """Text for comparing: NFKC (full-width → half-width), no whitespace, upper case."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).upper()


def _blank(value: object) -> bool:
    return value is None or value != value or str(value).strip() in NOT_APPLICABLE   # NaN != NaN


def _split(value: object, sep: str) -> tuple[str, ...]:
    return () if _blank(value) else tuple(part.strip() for part in str(value).split(sep) if part.strip())


@dataclass(frozen=True)
class ProductInfo:
    """What the card shows of one product (never its cost)."""

    code: str
    name: str
    category: str
    material: str
    price: float
    logistics: str
    material_note: str = ""
    spec: str = ""
    weight: int | None = None          # grams; None for a virtual service
    pros: str = ""
    cons: str = ""
    care: tuple[str, ...] = ()
    matches: tuple[str, ...] = ()
    match_reason: str = ""

    @property
    def short_name(self) -> str:
        """The name without its bracketed part: 蓝牙耳机（入耳式） → 蓝牙耳机."""
        return _PAREN.sub("", self.name)

    @property
    def label(self) -> str:
        return f"{self.name}（{self.code}，{self.price:g}元）"


def product_from_record(record: Mapping[str, object], where: str = "商品表") -> ProductInfo:
    """One row (column → value) as a :class:`ProductInfo`; :class:`CatalogueError` for a bad row."""
    missing = [c for c in REQUIRED_COLUMNS if c not in record]
    if missing:
        raise CatalogueError(f"{where}：缺少列 {'、'.join(missing)}（商品知识卡需要这些列）。")
    code = str(record["商品编号"]).strip()
    if not re.fullmatch(r"P\d{2}", code):
        raise CatalogueError(f"{where}：商品编号「{code}」应是P加两位数字，如P01。")
    try:
        price = float(str(record["售价"]))
    except ValueError:
        raise CatalogueError(f"{where} {code}：售价「{record['售价']}」不是数字。") from None
    if _blank(record["重量"]):
        weight = None
    else:
        try:
            weight = int(float(str(record["重量"])))
        except ValueError:
            raise CatalogueError(f"{where} {code}：重量「{record['重量']}」应是克数（整数）或留空。") from None

    def text(column: str) -> str:
        return "" if _blank(record[column]) else str(record[column]).strip()

    return ProductInfo(code, text("商品名称"), text("品类"), text("材质") or "—", price, text("物流方式"),
                       text("材质说明"), text("规格尺寸"), weight, text("优点"), text("不足"),
                       _split(record["保养要点"], "；"), _split(record["搭配商品"], "、"), text("搭配理由"))


@dataclass(frozen=True)
class Lookup:
    """One lookup: the product found (or None), the candidates, a message; ``rows`` is its card."""

    query: str
    product: ProductInfo | None = None
    candidates: tuple[ProductInfo, ...] = ()
    message: str = ""
    rows: tuple[tuple[str, str], ...] = ()

    @property
    def found(self) -> bool:
        return self.product is not None

    def to_text(self) -> str:
        """The card as plain text, or the message when no single product was found."""
        if self.product is None:
            return self.message
        lines = [f"【商品知识卡】{self.product.name}（{self.product.code}）"]
        for label, value in self.rows[1:]:
            first, *rest = value.splitlines() or ["—"]
            lines.append(f"{label}：{first}")
            lines.extend("　" * (len(label) + 1) + line for line in rest)
        return "\n".join(lines)

    def __repr__(self) -> str:
        return self.to_text()


@dataclass(frozen=True)
class Catalogue:
    """The catalogue; checked when built: codes unique, every matching item in the catalogue and not itself."""

    products: tuple[ProductInfo, ...]
    _by_code: dict[str, ProductInfo] = field(init=False, repr=False, compare=False)

    def __init__(self, products: Iterable[ProductInfo]) -> None:
        items = tuple(products)
        if not items:
            raise CatalogueError("商品表是空的。")
        by_code: dict[str, ProductInfo] = {}
        for p in items:
            if p.code in by_code:
                raise CatalogueError(f"商品编号{p.code}重复。")
            by_code[p.code] = p
        for p in items:
            for m in p.matches:
                if m == p.code or m not in by_code:
                    problem = "是它自己" if m == p.code else "不在商品表里"
                    raise CatalogueError(f"{p.code}的搭配商品{m}{problem}。")
        object.__setattr__(self, "products", items)
        object.__setattr__(self, "_by_code", by_code)

    def get(self, code: str) -> ProductInfo | None:
        return self._by_code.get(code)

    @property
    def code_range(self) -> str:
        codes = sorted(self._by_code)
        return f"{codes[0]}–{codes[-1]}"

    def find(self, query: object) -> Lookup:
        """Look up a code or a name; never raises, whatever the student typed."""
        raw = "" if query is None else str(query)[:_QUERY_LIMIT]
        q = _norm(raw)
        if not q:
            return Lookup(raw, message="请输入商品编号（如P01）或商品名称中的几个字（如“托特”）。")
        m = _CODE.match(q)
        if m:
            code = f"P{int(m.group(1)):02d}"
            product = self.get(code)
            if product:
                return self.card(product, raw)
            return Lookup(raw, message=f"没有编号为{code}的商品，本店商品编号是{self.code_range}。")
        steps = (
            lambda p: q in (_norm(p.name), _norm(p.short_name)),
            lambda p: q in _norm(p.name) or q == _norm(p.material),
            lambda p: _shares_run(q, _norm(p.short_name), 3),
        )
        for test in steps:
            hits = tuple(p for p in self.products if test(p))
            if len(hits) == 1:
                return self.card(hits[0], raw)
            if hits:
                names = "、".join(f"{p.name}（{p.code}）" for p in hits)
                return Lookup(raw, candidates=hits, message=f"找到{len(hits)}件商品：{names}。请点一件或输入编号。")
        words = "“" + "”“".join(self._examples()) + "”"
        return Lookup(raw, message=f"没有找到“{raw.strip()}”。可以输入编号（{self.code_range}），名称中的几个字"
                                   f"（如{words}），或材质（如“头层牛皮”）。")

    def _examples(self) -> list[str]:
        out: list[str] = []
        for p in self.products:
            word = p.short_name[-3:-1] if len(p.short_name) >= 3 else p.short_name
            if word and word not in out:
                out.append(word)
            if len(out) == 2:
                break
        return out

    def matches_of(self, product: ProductInfo) -> tuple[ProductInfo, ...]:
        return tuple(self._by_code[c] for c in product.matches)

    def card(self, product: ProductInfo, query: str = "") -> Lookup:
        """The lookup result showing ``product``'s card."""
        return Lookup(query or product.code, product, rows=self.card_rows(product))

    def card_rows(self, product: ProductInfo) -> tuple[tuple[str, str], ...]:
        """The card's rows (label, text): care points numbered, matching items with name and price, no cost.

        >>> rows = dict(Catalogue(SAMPLE).card_rows(SAMPLE[0]))
        >>> rows["保养要点"].splitlines()[1]
        '② 不能干洗'
        >>> rows["搭配商品"], "成本" in rows
        ('PU双肩通勤包（P03，149元）', False)
        """
        care = "\n".join(f"{chr(0x2460 + i) if i < 20 else f'{i + 1}.'} {rule}"
                         for i, rule in enumerate(product.care)) or "—"
        return (
            ("商品", f"{product.name}（{product.code}）"),
            ("品类", product.category),
            ("售价", f"{product.price:g}元（店铺统一价，不议价）"),
            ("材质", product.material),
            ("材质说明", product.material_note or "—"),
            ("规格尺寸", product.spec or "—"),
            ("重量", f"约{product.weight}克" if product.weight else "—"),
            ("优点", product.pros or "—"),
            ("不足", product.cons or "—"),
            ("保养要点", care),
            ("搭配商品", "\n".join(m.label for m in self.matches_of(product)) or "—"),
            ("搭配理由", product.match_reason or "—"),
            ("物流方式", product.logistics),
        )


def _shares_run(text: str, name: str, size: int) -> bool:
    """Whether ``text`` holds ``size`` characters in a row of ``name``."""
    return any(name[i:i + size] in text for i in range(len(name) - size + 1))


def catalogue_from_frame(frame) -> Catalogue:
    """The catalogue of a products DataFrame (``load_dataset("products")``)."""
    missing = [c for c in REQUIRED_COLUMNS if c not in frame.columns]
    if missing:
        raise CatalogueError(f"商品表缺少列 {'、'.join(missing)}（商品知识卡需要这些列，见 data/README.md）。")
    return Catalogue(product_from_record(r, f"商品表第{i}行") for i, r in enumerate(frame.to_dict("records"), 2))


def load_catalogue() -> Catalogue:
    """The shop's catalogue from ``data/shop/products.csv``.

    >>> load_catalogue().find("托特").product.code
    'P01'
    """
    from .datasets import load_dataset

    return catalogue_from_frame(load_dataset("products"))


SAMPLE: tuple[ProductInfo, ...] = (       # a tiny catalogue for examples and tests
    ProductInfo("P01", "PU配皮托特包", "箱包", "PU配皮", 129.0, "快递", "PU配皮（又称贴膜牛皮），不是真皮",
                "长38×高30×宽14厘米", 650, "外观漂亮，好打理，价格实惠", "不如头层牛皮耐磨",
                ("用湿布擦拭，不用汽油擦", "不能干洗", "水温不超过40℃", "不暴晒，通风处阴干", "不接触有机溶剂"),
                ("P03",), "P03通勤用"),
    ProductInfo("P02", "头层牛皮斜挎包", "箱包", "头层牛皮", 359.0, "快递", "头层牛皮（真皮）"),
    ProductInfo("P03", "PU双肩通勤包", "箱包", "PU", 149.0, "快递", "PU人造革，不是真皮"),
)
