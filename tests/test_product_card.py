"""The product-knowledge card (unit 03): lookups by hand, any student input, the catalogue's
product-knowledge columns obeying what unit 03 teaches, and the widget driven from pytest."""
from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course_lib.shop.catalogue import AFFINITY, DETAILS, PRODUCTS
from course_lib.shop.datasets import load_dataset
from course_lib.shop.product_card import (
    REQUIRED_COLUMNS,
    SAMPLE,
    Catalogue,
    CatalogueError,
    ProductInfo,
    catalogue_from_frame,
    load_catalogue,
    product_from_record,
)


@pytest.fixture(scope="module")
def frame():
    return load_dataset("products")


@pytest.fixture(scope="module")
def cat(frame):
    return catalogue_from_frame(frame)


# ---------------------------------------------------------------- lookups, by hand

@pytest.mark.parametrize("query", ["P01", "p01", "p1", "P 01", "01", "1", "Ｐ０１", " PU配皮托特包 ", "托特", "托特包怎么洗？"])
def test_ways_to_reach_p01(cat, query):
    assert cat.find(query).product.code == "P01"


@pytest.mark.parametrize("query, code", [
    ("钱包", "P04"), ("充电宝", "P07"), ("蓝牙耳机", "P06"), ("耳机", "P06"), ("护理", "P05"), ("20000", "P07"),
    ("保温杯能装牛奶吗", "P13"), ("抱枕套", "P15"), ("延长保修", "P11"), ("PU配皮", "P01"), ("15", "P15"),
])
def test_names_and_keywords(cat, query, code):
    assert cat.find(query).product.code == code


@pytest.mark.parametrize("query, codes", [
    ("PU", ["P01", "P03"]), ("头层牛皮", ["P02", "P04"]), ("牛皮", ["P02", "P04"]), ("铝合金", ["P09", "P10"]),
    ("包", ["P01", "P02", "P03", "P04"]),
])
def test_ambiguous_queries_list_candidates(cat, query, codes):
    r = cat.find(query)
    assert r.product is None and [p.code for p in r.candidates] == codes
    assert f"找到{len(codes)}件商品" in r.message


@pytest.mark.parametrize("query, part", [
    ("", "请输入商品编号"), ("   ", "请输入商品编号"), (None, "请输入商品编号"),
    ("P16", "没有编号为P16的商品，本店商品编号是P01–P15"), ("0", "没有编号为P00"),
    ("皮鞋", "没有找到“皮鞋”"), ("真皮", "或材质（如“头层牛皮”）"), ("!!!", "没有找到"),
])
def test_not_found_messages(cat, query, part):
    r = cat.find(query)
    assert r.product is None and r.candidates == () and part in r.message and r.to_text() == r.message


def test_every_product_by_code_and_by_name(cat, frame):
    for code, name in zip(frame["商品编号"], frame["商品名称"]):
        assert cat.find(code).product.code == code and cat.find(name).product.code == code


def test_the_card_of_p01(cat):
    rows = dict(cat.find("P01").rows)
    assert rows["售价"] == "129元（店铺统一价，不议价）" and rows["重量"] == "约650克"
    assert "不是真皮" in rows["材质说明"] and "贴膜牛皮" in rows["材质说明"]
    care = rows["保养要点"].splitlines()
    assert len(care) == 5 and care[0].startswith("①") and care[4].startswith("⑤")
    assert "汽油" in care[0] and "不能干洗" in care[1] and "40℃" in care[2] and "阴干" in care[3] and "有机溶剂" in care[4]
    assert rows["搭配商品"].splitlines() == ["皮具护理套装（P05，39元）", "牛皮短款钱包（P04，169元）", "不锈钢保温杯（P13，89元）"]


def test_the_card_never_shows_the_cost(cat, frame):
    for code, cost in zip(frame["商品编号"], frame["成本"]):
        text = cat.find(code).to_text()
        assert "成本" not in text and f"{cost:g}元" not in text, code


def test_a_virtual_service(cat):
    rows = dict(cat.find("P11").rows)
    assert rows["重量"] == "—" and rows["保养要点"] == "—" and rows["物流方式"] == "无需物流"


def test_the_text_card(cat):
    lines = cat.find("P01").to_text().splitlines()
    assert lines[0] == "【商品知识卡】PU配皮托特包（P01）" and lines[1] == "品类：箱包"
    assert lines.index("保养要点：① 用拧干的湿布蘸清水或中性清洁剂擦拭，不用汽油擦，擦净后可上一层保养蜡") + 1 == \
        lines.index("　　　　　② 不能干洗")


# ---------------------------------------------------------------- a broken catalogue

def test_missing_columns_are_named(frame):
    with pytest.raises(CatalogueError, match="缺少列 保养要点"):
        catalogue_from_frame(frame.drop(columns=["保养要点"]))


def test_bad_rows():
    good = dict.fromkeys(REQUIRED_COLUMNS, "—") | {"商品编号": "P01", "商品名称": "甲", "售价": "10", "重量": ""}
    assert product_from_record(good).weight is None
    for change, message in (({"商品编号": "A1"}, "P加两位数字"), ({"售价": "十元"}, "售价"), ({"重量": "很轻"}, "重量")):
        with pytest.raises(CatalogueError, match=message):
            product_from_record(good | change)


def test_the_catalogue_rejects_broken_matches():
    with pytest.raises(CatalogueError, match="P09不在商品表里"):
        Catalogue([ProductInfo("P01", "甲", "箱包", "—", 1.0, "快递", matches=("P09",))])
    with pytest.raises(CatalogueError, match="是它自己"):
        Catalogue([ProductInfo("P01", "甲", "箱包", "—", 1.0, "快递", matches=("P01",))])
    with pytest.raises(CatalogueError, match="重复"):
        Catalogue([SAMPLE[1], SAMPLE[1]])
    with pytest.raises(CatalogueError, match="空"):
        Catalogue([])


# ---------------------------------------------------------------- the catalogue obeys what unit 03 teaches

def test_the_csv_is_the_catalogue_s_facts(frame):
    assert list(frame["商品编号"]) == [p.id for p in PRODUCTS]
    for p, (_, row) in zip(PRODUCTS, frame.iterrows()):
        assert row["材质说明"] == DETAILS[p.id].description and row["保养要点"] == DETAILS[p.id].care


def test_the_product_knowledge_rules(frame):
    codes = set(frame["商品编号"])
    for _, row in frame.iterrows():
        code, matches = row["商品编号"], row["搭配商品"].split("、")
        assert 1 <= len(matches) <= 4 and code not in matches and set(matches) <= codes, code
        for m in matches:                                   # the reason names each matching item (or the range)
            assert m in row["搭配理由"] or "P01–P04" in row["搭配理由"], (code, m)
        if row["物流方式"] == "无需物流":
            assert pd.isna(row["重量"]) and row["保养要点"] == "—"
        else:
            assert row["重量"] > 0
        if row["材质"] in ("PU", "PU配皮"):                 # never sold as real leather; the five care rules
            note = row["材质说明"]
            assert "不是真皮" in note and note.count("真皮") == note.count("不是真皮"), code
            assert len(row["保养要点"].split("；")) == 5, code
            for word in ("汽油", "不能干洗", "40℃", "阴干", "有机溶剂", "不机洗"):
                assert word in row["保养要点"], (code, word)
        if row["材质"] == "头层牛皮":
            assert "头层牛皮（真皮）" in row["材质说明"], code
    reports = frame[frame["材质说明"].str.contains("检测报告")]
    assert list(reports["商品编号"]) == ["P02"]                # only P02 has the third-party report


def test_matching_items_include_what_buyers_buy_together(frame):
    """The card and the order data tell one story: every AFFINITY pair of the generator is a matching item."""
    matches = dict(zip(frame["商品编号"], frame["搭配商品"]))
    for code, partners in AFFINITY.items():
        for partner in partners:
            assert partner in matches[code].split("、"), (code, partner)


# ---------------------------------------------------------------- any student input

@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=30), st.integers(-5, 200), st.none(), st.floats(),
                 st.sampled_from(["P", "P0", "P001", "p 1 5", "托", "特包", "PU配", "（入耳式）", "x" * 500])))
def test_find_never_raises_and_is_consistent(cat, query):
    r = cat.find(query)
    assert isinstance(r.message, str)
    if r.product is not None:
        assert r.candidates == () and r.product in cat.products and r.rows
    elif r.candidates:
        assert len(r.candidates) >= 2 and "找到" in r.message
    else:
        assert r.message and not r.message.isascii()


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 15), st.sampled_from(["P{:02d}", "p{}", "{:02d}", "{}", " P {:02d} ", "Ｐ{:02d}"]))
def test_code_spellings(cat, number, pattern):
    query = pattern.format(number)
    if pattern.startswith("Ｐ"):
        query = query.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    assert cat.find(query).product.code == f"P{number:02d}"


# ---------------------------------------------------------------- the widget, driven from pytest

def test_the_widget_looks_up_and_follows_matches():
    from course_lib.views.product_card import ProductCard

    card = ProductCard()
    assert card.card.value == "" and [b.description for b in card.quick_buttons] == ["P01", "P02", "P03", "P04", "P05"]
    card.box.value = "p1"
    assert "P01 PU配皮托特包" in card.card.value and "<b>不是真皮</b>" in card.card.value
    assert "52" not in card.card.value and "成本" not in card.card.value.split("不显示成本")[0]
    assert [b.description for b in card.match_buttons] == ["搭配：P05 皮具护理套装", "搭配：P04 牛皮短款钱包",
                                                          "搭配：P13 不锈钢保温杯"]
    card.match_buttons[1].click()
    assert card.lookup.product.code == "P04" and "头层牛皮" in card.card.value
    card.box.value = "PU"
    assert [b.description for b in card.candidate_buttons] == ["P01 PU配皮托特包", "P03 PU双肩通勤包"]
    card.candidate_buttons[1].click()
    assert "14英寸笔记本电脑" in card.card.value and card.candidate_buttons == []
    card.box.value = "皮鞋"
    assert "没有找到“皮鞋”" in card.card.value and card.box.value == "皮鞋" and card.match_buttons == []
    card.quick_buttons[1].click()
    assert card.lookup.product.code == "P02" and "检测报告" in card.card.value


def test_an_initial_query_and_the_search_button():
    from course_lib.views.product_card import ProductCard

    card = ProductCard("P03")
    assert card.lookup.product.code == "P03"
    card.box.value = "钱包"
    card.search.click()
    assert card.lookup.product.code == "P04"


def test_a_broken_catalogue_shows_a_chinese_line(tmp_path, monkeypatch):
    import shutil

    from course_lib.settings import data_dir
    from course_lib.views.product_card import ProductCard

    shutil.copytree(data_dir(), tmp_path / "data")
    frame = load_dataset("products").drop(columns=["保养要点"])
    frame.to_csv(tmp_path / "data" / "shop" / "products.csv", index=False, encoding="utf-8")
    monkeypatch.setenv("COURSE_DATA", str(tmp_path / "data"))
    card = ProductCard("P01")
    assert "出了点问题" in card.status.value and "保养要点" in card.status.value
    monkeypatch.delenv("COURSE_DATA")
    assert load_catalogue().find("P01").found
