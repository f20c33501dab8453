"""千牛-style workbench of unit 05 (order_lookup, notes, phrases): hand-computed cases and properties."""
from __future__ import annotations

from datetime import datetime, timedelta

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course_lib.content.claims import Facts
from course_lib.content.rubric import score_reply
from course_lib.shop.notes import FLAGS, Note, add_note, current_notes, normalize_flag, note_problems, notes_frame, notes_from_table
from course_lib.shop.order_lookup import RESULT_COLUMNS, normalize_order_id, order_events, order_history, search_orders
from course_lib.shop.orders import validate_sequence
from course_lib.shop.phrases import QUICK_PHRASES, fill_phrase, phrase_values, phrases_for

T = pd.Timestamp


@pytest.fixture(scope="module")
def shop():
    customers = pd.DataFrame({
        "顾客编号": ["C0001", "C0002", "C0003", "C0004"],
        "昵称": ["橙子_4350", "小鱼_9360", "橙子_1124", "Lily_0815"],
        "手机尾号": ["0815", "4350", "0815", "7777"],
    })
    orders = pd.DataFrame({
        "订单编号": ["O00001", "O00002", "O00003", "O00004", "O00005"],
        "顾客编号": ["C0001", "C0002", "C0003", "C0001", "C0004"],
        "拍下时间": [T("2025-07-01 10:00"), T("2025-07-02 11:00"), T("2025-07-03 12:00"),
                     T("2025-12-30 09:00"), T("2025-08-01 08:00")],
        "订单状态": ["交易成功", "交易关闭", "卖家已发货", "等待买家付款", "交易成功"],
        "订单金额": [129.0, 39.0, 359.0, 25.0, 89.0],
        "物流方式": ["快递", "快递", "平邮", "快递", "EMS"],
    })
    return orders, customers


# ---------------------------------------------------------------- search

def test_order_number_in_any_common_spelling(shop):
    orders, customers = shop
    for query in ["O00003", "o3", " O 00003 ", "００００３", "Ｏ３"]:
        found = search_orders(orders, customers, query)
        assert found["订单编号"].tolist() == ["O00003"] and found["匹配方式"].tolist() == ["订单编号"]


def test_nickname_part_finds_every_buyer_newest_first(shop):
    orders, customers = shop
    found = search_orders(orders, customers, "橙子")
    assert found["订单编号"].tolist() == ["O00004", "O00003", "O00001"]
    assert list(found.columns) == RESULT_COLUMNS
    assert search_orders(orders, customers, "lily")["订单编号"].tolist() == ["O00005"]   # case folded


def test_four_digits_search_the_tail_and_the_nickname(shop):
    orders, customers = shop
    found = search_orders(orders, customers, "4350")
    # tail 4350 is C0002 (小鱼_9360); nickname 橙子_4350 is C0001
    assert found.set_index("订单编号")["匹配方式"].to_dict() == {"O00004": "昵称", "O00002": "手机尾号", "O00001": "昵称"}


def test_shared_tails_return_several_buyers(shop):
    orders, customers = shop
    found = search_orders(orders, customers, "0815", by="手机尾号")
    assert set(found["昵称"]) == {"橙子_4350", "橙子_1124"}      # two buyers share the tail; Lily_0815 only by name
    auto = search_orders(orders, customers, "0815")
    assert set(auto["昵称"]) == {"橙子_4350", "橙子_1124", "Lily_0815"}


def test_explicit_modes_and_no_match(shop):
    orders, customers = shop
    assert search_orders(orders, customers, "4350", by="昵称")["订单编号"].tolist() == ["O00004", "O00001"]
    assert search_orders(orders, customers, "99", by="订单编号").empty
    assert search_orders(orders, customers, "没有这个人").empty
    assert list(search_orders(orders, customers, "没有这个人").columns) == RESULT_COLUMNS


def test_tail_search_needs_the_column(shop):
    orders, customers = shop
    without = customers.drop(columns="手机尾号")
    with pytest.raises(ValueError, match="没有「手机尾号」这一列"):
        search_orders(orders, without, "0815", by="手机尾号")
    assert search_orders(orders, without, "4350")["订单编号"].tolist() == ["O00004", "O00001"]  # auto: nickname only


def test_results_show_the_tail_to_check_against(shop):
    orders, customers = shop
    found = search_orders(orders, customers, "0815", by="手机尾号")
    assert found[["订单编号", "昵称", "手机尾号"]].values.tolist() == [
        ["O00004", "橙子_4350", "0815"], ["O00003", "橙子_1124", "0815"], ["O00001", "橙子_4350", "0815"]]


@pytest.mark.parametrize("query,by,message", [
    ("", "自动", "请输入要查找的内容"),
    ("   ", "自动", "请输入要查找的内容"),
    (None, "自动", "应写成文字"),
    ("12", "电话", "查找方式应是"),
    ("abc", "订单编号", "字母O加5位数字"),
    ("123", "手机尾号", "最后4位数字"),
])
def test_bad_search_input_is_explained(shop, query, by, message):
    orders, customers = shop
    with pytest.raises(ValueError, match=message):
        search_orders(orders, customers, query, by=by)


def test_tables_are_checked(shop):
    orders, customers = shop
    with pytest.raises(ValueError, match="缺少这些列：昵称"):
        search_orders(orders, customers.drop(columns="昵称"), "橙子")
    with pytest.raises(ValueError, match="应是一个表格"):
        search_orders([], customers, "橙子")


def test_normalize_order_id():
    assert normalize_order_id("1") == "O00001"
    for bad in ["O0", "O123456", "P00001", "", 12]:
        with pytest.raises(ValueError, match="订单编号"):
            normalize_order_id(bad)


# ---------------------------------------------------------------- events and timeline

PLACED = datetime(2025, 12, 1, 10, 0)


def row(**times):
    base = {"拍下时间": PLACED, "付款时间": pd.NaT, "发货时间": pd.NaT, "物流方式": "快递", "确认收货时间": pd.NaT,
            "确认方式": None, "关闭时间": pd.NaT, "关闭原因": None, "申请退款时间": pd.NaT, "退款时间": pd.NaT,
            "退款原因": None}
    base.update(times)
    return pd.Series(base)


@pytest.mark.parametrize("times,expected", [
    ({}, ["拍下"]),
    ({"关闭时间": PLACED + timedelta(days=1), "关闭原因": "超时未付款"}, ["拍下", "关闭"]),
    ({"付款时间": PLACED + timedelta(minutes=5)}, ["拍下", "付款"]),
    ({"付款时间": PLACED, "发货时间": PLACED + timedelta(hours=5)}, ["拍下", "付款", "发货"]),
    ({"付款时间": PLACED, "发货时间": PLACED, "确认收货时间": PLACED + timedelta(days=3), "确认方式": "买家确认"},
     ["拍下", "付款", "发货", "确认收货"]),
    ({"付款时间": PLACED, "发货时间": PLACED, "申请退款时间": PLACED + timedelta(days=2)},
     ["拍下", "付款", "发货", "申请退款"]),
    # a full refund closes the trade: the row has a 关闭时间 too, which must not add a 关闭 event
    ({"付款时间": PLACED, "发货时间": PLACED, "申请退款时间": PLACED + timedelta(days=2), "退款原因": "质量问题",
      "退款时间": PLACED + timedelta(days=4), "关闭时间": PLACED + timedelta(days=4), "关闭原因": "全额退款"},
     ["拍下", "付款", "发货", "申请退款", "退款完成"]),
])
def test_events_read_from_a_row_are_legal(times, expected):
    events = order_events(row(**times))
    assert [e.event for e in events] == expected
    assert validate_sequence(expected).ok


def test_event_notes_and_times():
    events = order_events(row(付款时间=PLACED, 发货时间=PLACED, 物流方式="平邮", 申请退款时间=PLACED + timedelta(days=2),
                              退款时间=PLACED + timedelta(days=4), 退款原因="物流破损"))
    assert events[2].note == "平邮" and events[3].at == PLACED + timedelta(days=2) and events[3].note == "物流破损"
    assert "退款成功" in events[4].note and "交易关闭" in events[4].note
    assert order_events(row(关闭时间=PLACED + timedelta(days=1), 关闭原因="超时未付款"))[1].note == "超时未付款"
    auto = order_events(row(付款时间=PLACED, 发货时间=PLACED, 确认收货时间=PLACED + timedelta(days=10), 确认方式="系统自动"))
    assert auto[-1].note == "系统自动确认收货"


def test_events_accept_a_plain_dict_and_reject_other_things():
    assert [e.event for e in order_events({"拍下时间": PLACED})] == ["拍下"]
    with pytest.raises(ValueError, match="拍下时间"):
        order_events({"付款时间": PLACED})
    with pytest.raises(ValueError, match="订单表的一行"):
        order_events(["拍下"])
    with pytest.raises(ValueError, match="应是时间"):
        order_events({"拍下时间": "昨天"})


def test_timeline_adds_the_running_deadline():
    now = datetime(2025, 12, 1, 20, 0)
    unpaid = order_history(row(), now=now)
    assert [(i.label, i.kind) for i in unpaid] == [("拍下", "已发生"), ("自动关闭", "期限")]
    assert unpaid[-1].at == datetime(2025, 12, 2, 10, 0) and unpaid[-1].note == "拍下1天未付款，还剩14小时"
    shipped = order_history(row(付款时间=PLACED, 发货时间=PLACED + timedelta(hours=6), 物流方式="平邮"), now=now)
    assert shipped[-1].label == "自动确认收货" and shipped[-1].at == datetime(2025, 12, 31, 16, 0)
    paid = order_history(row(付款时间=PLACED), now=now)
    assert [i.kind for i in paid] == ["已发生", "已发生"]          # no deadline while waiting for shipment
    done = order_history(row(付款时间=PLACED, 发货时间=PLACED, 确认收货时间=PLACED + timedelta(days=2), 确认方式="买家确认"))
    assert all(i.kind == "已发生" for i in done)
    asked = order_history(row(付款时间=PLACED, 发货时间=PLACED, 申请退款时间=PLACED + timedelta(days=2)))
    assert [i.kind for i in asked] == ["已发生"] * 4          # a refund request stops the auto-confirm clock
    before = order_history(row(付款时间=PLACED, 发货时间=PLACED + timedelta(hours=6)), now=PLACED + timedelta(hours=1))
    assert [i.kind for i in before] == ["已发生"] * 3          # "now" before the last event: no deadline shown
    with pytest.raises(ValueError, match="datetime"):
        order_history(row(), now="现在")


def test_timeline_text():
    item = order_history(row(付款时间=PLACED, 发货时间=PLACED, 申请退款时间=PLACED + timedelta(days=3),
                             退款原因="质量问题"))[3]
    assert item.to_text() == "12月4日 10:00　申请退款（质量问题）"


# ---------------------------------------------------------------- notes

AT = datetime(2025, 12, 31, 10, 5)


def test_add_note_returns_a_new_tuple_and_normalizes():
    first = add_note((), "o1", "黄旗", "12/31 10:05，千牛催付，顾客说中午付款", "禾悦-小雅", AT)
    second = add_note(first, "O00001", "绿", "12/31 12:10 顾客已付款", "禾悦-小雅", AT + timedelta(hours=2))
    assert len(first) == 1 and len(second) == 2 and first[0] is second[0]
    assert current_notes(second)["O00001"].flag == "绿"
    frame = notes_frame(second)
    assert list(frame.columns) == ["订单编号", "备注时间", "客服", "旗帜", "备注内容"] and frame["旗帜"].tolist() == ["黄", "绿"]


def test_add_note_checks_the_order_exists():
    with pytest.raises(ValueError, match="找不到订单O00009"):
        add_note((), "O00009", "红", "顾客投诉包裹破损", "禾悦-阿木", AT, known_orders={"O00001"})


@pytest.mark.parametrize("text,reason", [
    ("好", "太短"),
    ("这人很难缠，问了半天", "不写对顾客的评价"),
    ("顾客电话13812345678", "手机尾号5678"),
    ("身份证110101199003071234", "身份证"),
    ("已约好好评返现5元", "返现"),
    ("顾客要加微信私下买", "微信"),
    ("很" * 201, "太长"),
])
def test_bad_notes_are_refused_with_the_reason(text, reason):
    assert any(reason in p for p in note_problems(text))
    with pytest.raises(ValueError, match="备注没有保存"):
        add_note((), "O00001", "黄", text, "禾悦-小雅", AT)


def test_flags():
    assert set(FLAGS) == {"红", "黄", "绿", "蓝", "紫", "灰"}
    assert normalize_flag("紫色") == "紫" and normalize_flag("不插旗") == "灰"
    with pytest.raises(ValueError, match="旗帜颜色可选"):
        normalize_flag("橙")


@pytest.mark.parametrize("kwargs,message", [
    (dict(agent=""), "写备注的客服"),
    (dict(at="今天"), "datetime"),
    (dict(notes="abc"), "notes 应是备注记录的列表"),
])
def test_add_note_other_checks(kwargs, message):
    args = dict(notes=(), order_id="O00001", flag="黄", text="已催付，等顾客回复", agent="禾悦-小雅", at=AT)
    args.update(kwargs)
    with pytest.raises(ValueError, match=message):
        add_note(**args)


# ---------------------------------------------------------------- quick phrases

SHOP_FACTS = Facts(prices=(129.0,), times=("16:00", "20:00", "15:00"), durations=("2～3天",),
                   gifts=("皮具护理套装",), guarantees=("运费险", "七天无理由退货"))


def test_every_phrase_passes_the_reply_rules_and_states_only_shop_facts():
    values = {"昵称": "橙子", "商品": "PU配皮托特包", "客服": "小雅", "自动关闭时间": "1月1日 20:00",
              "自动确认收货时间": "1月10日 15:00"}
    for phrase in QUICK_PHRASES:
        text = fill_phrase(phrase, **values)
        result = score_reply(text, facts=SHOP_FACTS, min_length=5)
        assert result.capped_by is None, (phrase.title, result.to_text())
        assert "{" not in text
    with pytest.raises(ValueError, match="快捷短语"):
        fill_phrase("问候")


def titles(state):
    return [p.title for p in phrases_for(state)]


def test_phrases_by_state():
    assert titles("等待买家付款") == ["问候", "提醒付款", "发货时间", "告别"]
    assert titles("待发货") == ["问候", "核对地址", "发货时间", "告别"]
    assert titles("退款中") == ["问候", "退款进度", "告别"]
    assert titles("交易关闭") == titles("退款成功") == ["问候", "未付款已关闭", "退款已完成", "告别"]  # an old name
    assert titles("交易成功") == ["问候", "邀请评价", "告别"]
    for bad in ["已评价", None]:
        with pytest.raises(ValueError, match="订单状态"):
            phrases_for(bad)


def test_phrase_values_from_an_order():
    values = phrase_values(row(付款时间=PLACED, 发货时间=PLACED + timedelta(hours=6)), "Lily_0815", ["保温杯"], "小雅",
                           now=datetime(2025, 12, 5))
    assert values == {"昵称": "Lily", "商品": "保温杯", "客服": "小雅", "自动确认收货时间": "12月11日 16:00"}
    text = fill_phrase(next(p for p in QUICK_PHRASES if p.title == "快到自动确认收货"), **values)
    assert text.startswith("Lily您好，您的订单将在12月11日 16:00自动确认收货")
    with pytest.raises(ValueError, match="还缺：自动关闭时间"):
        fill_phrase(next(p for p in QUICK_PHRASES if p.title == "提醒付款"), **values)


def test_notes_from_the_shop_table():
    table = pd.DataFrame({"订单编号": ["O00002", "O00002"], "备注时间": [T("2025-07-02 12:00"), T("2025-07-02 15:00")],
                          "客服编号": ["A01", "A04"], "旗帜": ["绿", "紫"], "备注内容": ["已付款", "售后：质量问题"]})
    agents = pd.DataFrame({"客服编号": ["A01", "A04"], "昵称": ["禾悦-小雅", "禾悦-阿木"]})
    notes = notes_from_table(table, agents)
    assert [(n.agent, n.flag) for n in notes] == [("禾悦-小雅", "绿"), ("禾悦-阿木", "紫")]
    assert current_notes(notes)["O00002"].text == "售后：质量问题"
    assert notes_from_table(table)[0].agent == "A01"


# ---------------------------------------------------------------- properties

@settings(max_examples=200)
@given(query=st.text(max_size=40), by=st.sampled_from(["自动", "订单编号", "昵称", "手机尾号"]))
def test_search_never_fails_with_anything_but_a_chinese_value_error(shop, query, by):
    orders, customers = shop
    try:
        found = search_orders(orders, customers, query, by=by)
    except ValueError as error:
        assert any("\u4e00" <= ch <= "\u9fff" for ch in str(error))
    else:
        assert list(found.columns) == RESULT_COLUMNS
        assert found["订单编号"].is_unique and set(found["订单编号"]) <= set(orders["订单编号"])
        assert found["拍下时间"].is_monotonic_decreasing


@given(st.text(max_size=250))
def test_note_checks_never_raise_and_saving_agrees_with_them(text):
    problems = note_problems(text)
    assert all(isinstance(p, str) and p for p in problems)
    try:
        notes = add_note((), "O00001", "黄", text, "禾悦-小雅", AT)
    except ValueError as error:
        assert problems and str(error).startswith("备注没有保存")
    else:
        assert not problems and notes[0].text == text.strip()


@given(st.lists(st.tuples(st.sampled_from(["O00001", "O00002"]), st.sampled_from(list(FLAGS)),
                          st.integers(0, 10_000)), max_size=12))
def test_current_note_is_the_latest_one(entries):
    notes: tuple[Note, ...] = ()
    for oid, flag, minutes in entries:
        notes = add_note(notes, oid, flag, "已处理，等顾客回复", "禾悦-小雅", AT + timedelta(minutes=minutes))
    latest = current_notes(notes)
    for oid in {e[0] for e in entries}:
        assert latest[oid].at == max(n.at for n in notes if n.order_id == oid)


@given(pay=st.one_of(st.none(), st.integers(0, 24 * 60 - 1)), ship=st.one_of(st.none(), st.integers(0, 5 * 24 * 60)),
       end=st.sampled_from(["", "确认收货", "申请退款", "退款"]))
def test_events_of_any_consistent_row_form_a_legal_sequence(pay, ship, end):
    times = {}
    state = "等待买家付款"
    if pay is None:
        times["关闭时间"] = PLACED + timedelta(days=1)
        state = "交易关闭"
    else:
        times["付款时间"] = PLACED + timedelta(minutes=pay)
        state = "买家已付款（待发货）"
        if ship is not None:
            times["发货时间"] = times["付款时间"] + timedelta(minutes=ship)
            state = "卖家已发货"
            if end == "确认收货":
                times["确认收货时间"] = times["发货时间"] + timedelta(days=2)
                state = "交易成功"
            elif end:
                times["申请退款时间"] = times["发货时间"] + timedelta(days=1)
                state = "退款中"
                if end == "退款":
                    times["退款时间"] = times["关闭时间"] = times["申请退款时间"] + timedelta(days=3)
                    state = "交易关闭"
    events = [e.event for e in order_events(row(**times))]
    check = validate_sequence(events)
    assert check.ok and check.final_state == state
    assert [e.at for e in order_events(row(**times))] == sorted(e.at for e in order_events(row(**times)))


# ---------------------------------------------------------------- the widget on the shop data (no browser)

@pytest.fixture(scope="module")
def bench_cls():
    from course_lib.views.workbench import Workbench
    return Workbench


def test_workbench_finds_a_buyer_and_reads_an_order(bench_cls):
    wb = bench_cls()
    assert wb._repr_mimebundle_()["text/plain"].startswith("【千牛工作台】")
    wb.query.value = "Lily_4148"                     # Enter in the box searches (continuous_update=False)
    assert "查到19笔订单，涉及1位顾客" in wb.summary.value
    assert wb.results.options[0][1] == "O01556"      # newest first
    wb.results.value = "O01339"
    detail = wb.detail.value
    for text in ("卖家已发货", "平邮", "PU双肩通勤包", "2026年1月1日 13:32", "还剩13小时", "接下来可能发生：确认收货、申请退款"):
        assert text in detail, text
    assert list(wb.phrase.options) == ["问候", "物流查询", "快到自动确认收货", "告别"]


def test_workbench_tail_search_shows_every_buyer_with_that_tail(bench_cls):
    wb = bench_cls()
    wb.query.value = "3723"
    wb.search_button.click()
    assert "查到21笔订单，涉及2位顾客" in wb.summary.value
    assert any("糖糖_3924" in label for label, _ in wb.results.options)
    wb.mode.value = "手机尾号"
    wb.query.value = "12"
    wb.search_button.click()
    assert "最后4位数字" in wb.summary.value and wb.results.options == ()
    wb.mode.value = "自动"
    wb.query.value = "   "
    wb.search_button.click()
    assert "请输入要查找的内容" in wb.summary.value


def test_workbench_notes_are_checked_then_shown(bench_cls):
    wb = bench_cls(query="O01339")
    assert wb.selected == "O01339" and "还没有备注" in wb.detail.value
    before = len(wb.notes)
    wb.flag.value = "黄"
    wb.note_text.value = "这个顾客很难缠"
    wb.save_button.click()
    assert "不写对顾客的评价" in wb.note_status.value and len(wb.notes) == before
    assert wb.note_text.value == "这个顾客很难缠"        # kept for editing
    wb.note_text.value = "12/31 20:10，平邮明天将满30天，已询问顾客是否收到，等回复"
    wb.save_button.click()
    assert "已保存" in wb.note_status.value and len(wb.notes) == before + 1 and wb.note_text.value == ""
    assert "平邮明天将满30天" in wb.detail.value and "黄旗" in wb.detail.value


def test_workbench_shows_the_data_s_notes_and_fills_phrases(bench_cls):
    from course_lib.shop.datasets import load_dataset

    table = load_dataset("order_notes")
    wb = bench_cls()
    refunded = table.loc[table["旗帜"] == "紫"].iloc[0]
    wb.query.value = refunded["订单编号"]
    assert "紫旗" in wb.detail.value and refunded["备注内容"] in wb.detail.value and "退款完成" in wb.detail.value
    assert wb.phrase.options == ("问候", "未付款已关闭", "退款已完成", "告别")
    wb.query.value = "O01339"
    wb.phrase.value = "快到自动确认收货"
    assert "Lily您好，您的订单将在1月1日 13:32自动确认收货" in wb.phrase_preview.value
    wb.draft.value = "稍等，我查一下～"
    wb.insert_button.click()
    assert wb.draft.value.startswith("稍等，我查一下～\nLily您好") and "延长收货时间" in wb.draft.value


def test_workbench_callback_errors_are_shown_not_raised(bench_cls, monkeypatch):
    from course_lib.views import workbench as view

    wb = bench_cls()
    monkeypatch.setattr(view, "search_orders", lambda *a, **k: 1 / 0)
    wb.search_button.click()
    assert "出了点问题" in wb.status.value
