"""The shop world: the committed CSVs are what the generator makes, and they obey what the course teaches."""
from __future__ import annotations

import io
import re
from datetime import time, timedelta

import pandas as pd
import pytest

from course_lib.settings import data_dir, standards
from course_lib.shop import generator as shopgen
from course_lib.shop.catalogue import BAD_REASONS, END, GOOD_TEXTS, NO_RETURN, REASON_ITEM, WEEK_LONG
from course_lib.shop.datasets import DATASETS, load_dataset
from course_lib.shop.gen_derived import phone_tail
from course_lib.shop.orders import validate_sequence
from course_lib.shop.reminder_log import reminder_success
from course_lib.shop.reminders import check_frequency, check_reminder
from course_lib.shop.sales import good_review_rate, inquiry_conversion, refund_rate
from course_lib.shop.timeouts import auto_close_at, auto_confirm_at
from course_lib.shop.timetable import is_allowed

SHOP = data_dir() / "shop"
SHOP_SETS = {name: spec for name, spec in DATASETS.items() if spec.file.startswith("shop/")}


@pytest.fixture(scope="module")
def generated():
    return shopgen.generate()


def test_generator_reproduces_the_committed_files_byte_for_byte(generated):
    assert {t.file for t in generated.values()} == {p.name for p in SHOP.glob("*.csv")}
    for table in generated.values():
        assert table.to_csv() == (SHOP / table.file).read_bytes(), f"{table.file} differs from the generator"


def test_files_are_small_utf8_and_registered(generated):
    for table in generated.values():
        data = (SHOP / table.file).read_bytes()
        assert len(data) < 1_500_000       # the largest, chat_messages.csv, is about 1.2 MB
        data.decode("utf-8")
        assert any(spec.file == f"shop/{table.file}" for spec in SHOP_SETS.values())


@pytest.mark.parametrize("name", sorted(SHOP_SETS))
def test_every_dataset_loads_with_its_declared_columns(name):
    frame = load_dataset(name)
    assert list(frame.columns) == list(SHOP_SETS[name].columns) and len(frame) > 0


def test_data_dictionary_covers_every_column():
    text = (data_dir() / "README.md").read_text(encoding="utf-8")
    for spec in SHOP_SETS.values():
        file = spec.file.split("/")[1]
        section = text.split(f"### {file}")[1].split("\n### ")[0]
        documented = re.findall(r"^\| (\S+) \|", section, re.M)
        assert set(spec.columns) <= set(documented), f"{file}: {set(spec.columns) - set(documented)}"


def frames(tables=None):
    """Typed frames of a generated world (the committed files when ``tables`` is None)."""
    if tables is None:
        return {name: load_dataset(name) for name in SHOP_SETS}
    out = {}
    for name, spec in SHOP_SETS.items():
        raw = pd.read_csv(io.BytesIO(tables[name].to_csv()), dtype=str, keep_default_na=False)
        from course_lib.shop.datasets import _convert
        out[name] = pd.DataFrame({c: _convert(raw[c], kind, pd) for c, kind in spec.columns.items()})
    return out


# ------------------------------------------------------------------ the rules the data obey
# Each rule takes the typed frames and returns the problems it finds (an empty list: it holds).

def _orders_close_one_day_after_placing(f):
    o = f["orders"]
    unpaid = o[o["付款时间"].isna()]
    closed = unpaid[unpaid["订单状态"] == "交易关闭"]
    out = []
    if not (closed["关闭时间"] == closed["拍下时间"] + timedelta(days=1)).all():
        out.append("未付款订单没有在拍下1天后关闭")
    if not (unpaid[unpaid["订单状态"] == "等待买家付款"]["拍下时间"] + timedelta(days=1) > END).all():
        out.append("应该已经关闭的订单仍在等待付款")
    if (o["付款时间"] >= o["拍下时间"].map(auto_close_at)).any():
        out.append("有订单在自动关闭之后付款")
    return out


def _close_reason_tells_how_it_closed(f):
    o = f["orders"]
    closed = o["订单状态"] == "交易关闭"
    why = o["关闭原因"].astype("string")
    out = []
    if not (closed == why.notna()).all():
        out.append("关闭原因只在交易关闭的订单上填写，而且必须填写")
    if not ((why == "超时未付款").fillna(False) == (closed & o["付款时间"].isna())).all():
        out.append("超时未付款 ⇔ 关闭且没有付款")
    refunded = (why == "全额退款").fillna(False)
    if not (refunded == o["退款时间"].notna()).all() or not (o.loc[refunded, "关闭时间"] == o.loc[refunded, "退款时间"]).all():
        out.append("全额退款 ⇔ 有退款时间，关闭时间等于退款时间")
    return out


def _receipt_confirms_in_time(f):
    o = f["orders"]
    done = o[o["确认收货时间"].notna()]
    deadline = pd.Series([auto_confirm_at(s, m) for s, m in zip(done["发货时间"], done["物流方式"])], index=done.index)
    auto = done["确认方式"] == "系统自动"
    out = []
    if not (done.loc[auto, "确认收货时间"] == deadline[auto]).all():
        out.append("系统自动确认收货的时间不是发货后10天/30天")
    if not (done.loc[~auto, "确认收货时间"] <= deadline[~auto]).all():
        out.append("买家确认收货晚于自动确认期限")
    return out


def _events(row) -> list[str]:
    """An order's events in the 状态机's words, from which of its time columns are filled in."""
    filled = {column for column, value in row.items() if pd.notna(value)}
    if "付款时间" not in filled:
        return ["拍下", "关闭"] if "关闭时间" in filled else ["拍下"]
    after_payment = [("发货时间", "发货")] + ([("申请退款时间", "申请退款"), ("退款时间", "退款完成")]
                                          if "申请退款时间" in filled else [("确认收货时间", "确认收货")])
    return ["拍下", "付款"] + [event for column, event in after_payment if column in filled]


def _states_follow_the_state_machine(f):
    for _, row in f["orders"].iterrows():
        events = _events(row)
        check = validate_sequence(events)
        if not check.ok or check.states[-1] != row["订单状态"]:
            return [f"订单{row['订单编号']}的状态不符合状态机：{events} → {row['订单状态']}"]
    return []


def _parcels_ship_by_the_cutoff(f):
    o = f["orders"]
    parcels = o[o["发货时间"].notna() & (o["物流方式"] != "无需物流")]
    cutoff = standards().shipping_cutoff
    early = parcels["付款时间"].dt.time < cutoff
    same_day = parcels["发货时间"].dt.normalize() == parcels["付款时间"].dt.normalize()
    next_day = parcels["发货时间"].dt.normalize() == parcels["付款时间"].dt.normalize() + timedelta(days=1)
    hours = parcels["发货时间"].dt.time.between(time(9, 0), time(19, 0), inclusive="left")
    out = []
    if not (early <= (same_day & (parcels["发货时间"] > parcels["付款时间"]))).all():
        out.append("16:00前付款的订单没有当天发货")
    if not ((~early) <= next_day).all():
        out.append("16:00以后付款的订单没有次日发货")
    if not hours.all():
        out.append("有订单不在09:00–19:00发货")
    return out


def _refunds_follow_the_after_sale_rules(f):
    o = f["orders"]
    asked = o[o["申请退款时间"].notna()]
    out = []
    deadline = pd.Series([auto_confirm_at(s, m) for s, m in zip(asked["发货时间"], asked["物流方式"])], index=asked.index)
    if not ((asked["申请退款时间"] >= asked["发货时间"] + timedelta(days=1)) & (asked["申请退款时间"] < deadline)).all():
        out.append("申请退款不在发货1天后、自动确认收货之前")
    done = asked[asked["退款时间"].notna()]
    goods_back = done["退款原因"] != NO_RETURN
    if not (done["退款时间"] >= done["发货时间"] + timedelta(days=1)).all() or \
            not (done.loc[goods_back, "退款时间"] >= done.loc[goods_back, "发货时间"] + timedelta(days=3)).all():
        out.append("退款时间早于发货后1天（寄回商品的早于3天）")
    if not (done["退款时间"] <= done["申请退款时间"] + timedelta(days=10)).all():
        out.append("退款在申请10天后仍未完成")
    if (asked["物流方式"] == "无需物流").any():
        out.append("无需物流的订单有退款")
    if o["退款时间"].notna().sum() != len(done) or ((o["订单状态"] == "退款中") != (o["申请退款时间"].notna()
                                                                           & o["退款时间"].isna())).any():
        out.append("退款中 ⇔ 已申请退款、尚未退款")
    s = f["chat_sessions"]
    after = s[s["咨询类型"] == "售后咨询"].merge(o, on="订单编号")
    if len(after) != len(asked) or not (after["开始时间"] == after["申请退款时间"]).all():
        out.append("每个退款订单都有一次售后咨询，开始于申请退款时间")
    return out


def _reminders_follow_the_timetable(f):
    o = f["orders"]
    r = f["reminders"].merge(o[["订单编号", "付款时间", "顾客编号"]], on=["订单编号", "顾客编号"])
    out = []
    if len(r) != len(f["reminders"]):
        out.append("催付登记表中有不存在的订单")
    first = r[r["第几次"] == 1]
    for _, row in first.iterrows():
        issues = check_reminder(row["拍下时间"].to_pydatetime(), row["催付时间"].to_pydatetime(),
                                holidays=standards().holidays)
        if issues:
            out.append(f"订单{row['订单编号']}的催付不符合时间表：{issues[0]}")
            break
    for number, group in r.groupby("订单编号"):
        if sorted(group["第几次"]) not in ([1], [1, 2]):
            out.append(f"订单{number}的催付次数不对：{sorted(group['第几次'])}")
            break
        problems = check_frequency(group["催付时间"].dt.to_pydatetime(), group["催付方式"].astype(str))
        if problems:
            out.append(f"订单{number}：{problems[0]}")
            break
        if len(group) == 2 and bool(group.loc[group["第几次"] == 1, "是否付款"].iloc[0]):
            out.append(f"订单{number}第一次催付后已付款，不应再催")
            break
    if not all(is_allowed(t.to_pydatetime(), standards().holidays) for t in r["催付时间"]):
        out.append("有催付在客户休息时间")
    if not (r["催付时间"] < r["拍下时间"].map(auto_close_at)).all():
        out.append("有催付在订单关闭以后")
    last = r.sort_values("第几次").groupby("订单编号").tail(1)
    if not (last["是否付款"] == (last["付款时间"] > last["催付时间"])).all():
        out.append("催付登记的“是否付款”与订单付款时间不一致")
    return out


def _chats_are_ordered(f):
    m = f["chat_messages"]
    out = []
    if not m.groupby("会话编号", sort=False)["发送时间"].apply(lambda s: s.is_monotonic_increasing).all():
        out.append("会话内消息的时间顺序与序号不一致")
    if not m.groupby("会话编号", sort=False)["序号"].apply(lambda s: list(s) == list(range(1, len(s) + 1))).all():
        out.append("会话内的序号不是1、2、3……")
    if (m["发送时间"] > END).any():
        out.append("有消息晚于数据截止时间")
    return out


def _ids_exist(f):
    o = f["orders"]
    out = []
    for table, column in [("orders", "顾客编号"), ("chat_sessions", "顾客编号"), ("reminders", "顾客编号")]:
        if not set(f[table][column].dropna()) <= set(f["customers"]["顾客编号"]):
            out.append(f"{table} 中有不存在的{column}")
    for table in ("orders", "chat_sessions", "chat_messages", "reminders", "order_notes"):
        if not set(f[table]["客服编号"].dropna()) <= set(f["agents"]["客服编号"]):
            out.append(f"{table} 中有不存在的客服编号")
    if not set(f["order_items"]["商品编号"]) <= set(f["products"]["商品编号"]):
        out.append("订单明细中有不存在的商品")
    totals = f["order_items"].assign(金额=lambda d: d["数量"] * d["单价"]).groupby("订单编号")["金额"].sum()
    if not (o.set_index("订单编号")["订单金额"] - totals).abs().max() < 0.01:
        out.append("订单金额不等于明细之和")
    return out


def _reviews_fit_their_orders(f):
    o, rv = f["orders"], f["reviews"]
    x = rv.merge(o, on="订单编号")
    out = []
    if not (x["订单状态"] == "交易成功").all() or not ((x["评价时间"] > x["确认收货时间"])
                                                   & (x["评价时间"] <= x["确认收货时间"] + timedelta(days=15))).all():
        out.append("评价只能在交易成功、确认收货后15天内")
    scores = x[["描述相符", "服务态度", "物流服务"]]
    ranges = {"好评": (4, 5), "中评": (2, 4), "差评": (1, 3)}
    for level, (low, high) in ranges.items():
        part = scores[x["评价等级"] == level]
        if not ((part >= low) & (part <= high)).all().all():
            out.append(f"{level}的DSR不在{low}–{high}之间")
    reason = x["原因分类"].astype("string")
    if not ((x["评价等级"] == "好评") == reason.isna()).all():
        out.append("原因分类为空 ⇔ 好评")
    bad = x[reason.notna()]
    for _, row in bad.iterrows():
        item = REASON_ITEM[row["原因分类"]]
        values = row[["描述相符", "服务态度", "物流服务"]]
        if row[item] != values.min() or row[item] > (2 if row["评价等级"] == "差评" else 3):
            out.append(f"订单{row['订单编号']}：原因「{row['原因分类']}」对应的{item}不是最低分")
            break
        texts = BAD_REASONS[row["原因分类"]][0 if row["评价等级"] == "差评" else 1]
        if row["评价内容"] not in texts:
            out.append(f"订单{row['订单编号']}：评价内容与原因分类不一致")
            break
    days = (x["确认收货时间"] - x["发货时间"]).dt.total_seconds() / 86400
    if (days[reason == "物流慢"] < 4).any() or (days[x["评价内容"].str.contains(WEEK_LONG)] < 7).any():
        out.append("物流慢的评价出现在4天内送到的订单上（“一个星期”要7天以上）")
    if (x.loc[reason.isin(["物流慢", "包装破损"]).fillna(False), "物流方式"] == "无需物流").any():
        out.append("无需物流的订单有物流方面的差评")
    if (x.loc[(reason == "客服态度").fillna(False), "客服编号"].isna()).any():
        out.append("没有咨询过客服的订单有“客服态度”的差评")
    main = f["order_items"].groupby("订单编号", sort=False).head(1).set_index("订单编号")["商品编号"]
    category = main.map(f["products"].set_index("商品编号")["品类"])
    good = x[x["评价等级"] == "好评"]
    fits = [t in GOOD_TEXTS["通用"] or t in GOOD_TEXTS.get(str(category[n]), []) for n, t in zip(good["订单编号"], good["评价内容"])]
    if not all(fits):
        out.append("好评内容与所买商品的品类不一致")
    return out


def _phone_tails_and_notes(f):
    c, notes, o = f["customers"], f["order_notes"], f["orders"]
    out = []
    if not c["手机尾号"].str.fullmatch(r"\d{4}").all() or not (c["手机尾号"] == c["顾客编号"].map(phone_tail)).all():
        out.append("手机尾号不是4位数字或与公式不符")
    if notes["订单编号"].duplicated().any() or not set(notes["订单编号"]) <= set(o["订单编号"]):
        out.append("订单备注的订单编号重复或不存在")
    purple = set(notes.loc[notes["旗帜"] == "紫", "订单编号"])
    if purple != set(o.loc[o["申请退款时间"].notna(), "订单编号"]):
        out.append("紫旗 ⇔ 申请过退款")
    if not set(notes["订单编号"]) - purple <= set(f["reminders"]["订单编号"]):
        out.append("绿旗、黄旗的备注只写在催付过的订单上")
    return out


RULES = [_orders_close_one_day_after_placing, _close_reason_tells_how_it_closed, _receipt_confirms_in_time,
         _states_follow_the_state_machine, _parcels_ship_by_the_cutoff, _refunds_follow_the_after_sale_rules,
         _reminders_follow_the_timetable, _chats_are_ordered, _ids_exist, _reviews_fit_their_orders,
         _phone_tails_and_notes]


def rule_violations(f) -> list[str]:
    """Every rule of the course the data must obey; an empty list means all hold."""
    return [problem for rule in RULES for problem in rule(f)]


@pytest.fixture(scope="module")
def committed():
    return frames()


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.__name__.strip("_"))
def test_committed_data_obeys_the_rule(committed, rule):
    assert rule(committed) == []


def test_another_seed_obeys_the_rules_too():
    assert rule_violations(frames(shopgen.generate(seed=7))) == []


def _change(f, table, column, pick, value):
    frame = f[table].copy()
    rows = frame.index[pick(frame)]
    frame.loc[rows[0], column] = value(frame.loc[rows[0]])
    return {**f, table: frame}


# one broken copy of the data per rule: each rule must notice its own break
BREAKS = {
    "orders_close_one_day_after_placing": lambda f: _change(
        f, "orders", "关闭时间", lambda d: d["关闭原因"] == "超时未付款", lambda r: r["关闭时间"] + timedelta(hours=3)),
    "close_reason_tells_how_it_closed": lambda f: _change(
        f, "orders", "关闭原因", lambda d: d["关闭原因"] == "全额退款", lambda r: "超时未付款"),
    "receipt_confirms_in_time": lambda f: _change(
        f, "orders", "确认收货时间", lambda d: d["确认方式"] == "买家确认", lambda r: r["发货时间"] + timedelta(days=11)),
    "states_follow_the_state_machine": lambda f: _change(
        f, "orders", "订单状态", lambda d: d["关闭原因"] == "全额退款", lambda r: "交易成功"),
    "parcels_ship_by_the_cutoff": lambda f: _change(
        f, "orders", "发货时间", lambda d: (d["物流方式"] == "快递") & (d["付款时间"].dt.hour < 12),
        lambda r: r["付款时间"] + timedelta(days=1)),
    "refunds_follow_the_after_sale_rules": lambda f: _change(
        f, "orders", "退款时间", lambda d: (d["退款原因"] == "七天无理由退货") & d["退款时间"].notna(),
        lambda r: r["发货时间"] + timedelta(days=2)),
    "reminders_follow_the_timetable": lambda f: _change(
        f, "reminders", "催付时间", lambda d: d["第几次"] == 1, lambda r: r["拍下时间"] + timedelta(minutes=5)),
    "chats_are_ordered": lambda f: _change(
        f, "chat_messages", "发送时间", lambda d: d["序号"] == 2, lambda r: r["发送时间"] - timedelta(hours=1)),
    "ids_exist": lambda f: _change(f, "orders", "顾客编号", lambda d: d.index == 0, lambda r: "C9999"),
    "reviews_fit_their_orders": lambda f: _change(
        f, "reviews", "服务态度", lambda d: d["原因分类"] == "客服态度", lambda r: 5),
    "phone_tails_and_notes": lambda f: _change(f, "customers", "手机尾号", lambda d: d.index == 0, lambda r: "12345"),
}


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.__name__.strip("_"))
def test_each_rule_can_fail(committed, rule):
    broken = BREAKS[rule.__name__.strip("_")](committed)
    assert rule(broken) != [], f"{rule.__name__} did not notice its break"


def test_second_reminders_change_method_and_wait(committed):
    r = committed["reminders"]
    two = r[r["第几次"] == 2].merge(r[r["第几次"] == 1], on="订单编号", suffixes=("", "_1"))
    assert len(two) >= 20                                   # the taught rule shows up in the data
    assert (two["催付方式"] != two["催付方式_1"]).all()
    assert ((two["催付时间"] - two["催付时间_1"]) >= timedelta(hours=2)).all()
    wait = r.loc[r["第几次"] == 1, "催付时间"] - r.loc[r["第几次"] == 1, "拍下时间"]
    assert wait.min() >= timedelta(minutes=30)


def test_longer_talks_only_append(generated):
    plain = shopgen.generate(chat_rounds=False)
    for name, table in generated.items():
        if name not in ("chat_messages", "agent_kpi"):
            assert table.to_csv() == plain[name].to_csv(), name
    before = {(m.会话编号, m.序号): m for m in plain["chat_messages"].rows}
    after = {(m.会话编号, m.序号): m for m in generated["chat_messages"].rows}
    assert set(before) < set(after) and all(after[key] == row for key, row in before.items())
    rounds = pd.Series([m.序号 for m in generated["chat_messages"].rows]).max()
    assert rounds >= 20                                     # a full reception: a dozen rounds, two dozen messages


def test_rates_are_plausible_and_as_documented():
    f = frames()
    o = f["orders"]
    paid_share = o["付款时间"].notna().mean()
    assert 0.70 <= paid_share <= 0.85
    assert 0.03 <= refund_rate(o) <= 0.12
    assert 0.85 <= good_review_rate(f["reviews"]) <= 0.97
    assert 0.35 <= inquiry_conversion(f["chat_sessions"], o) <= 0.70
    success = reminder_success(f["reminders"])["成功率"]
    assert success.index[0] == "忘记付款" and success.index[-1] in ("多家比较", "议价不成功")
    text = (data_dir() / "README.md").read_text(encoding="utf-8")
    assert f"| 订单数 | {len(o)} |" in text
    assert f"约{round(paid_share * 100)}%" in text


def test_agents_differ_in_speed_for_the_performance_lessons():
    kpi = load_dataset("agent_kpi").groupby("昵称")["平均响应秒数"].mean()
    assert kpi["禾悦-小雅"] < kpi["禾悦-小暖"] < kpi["禾悦-小杰"]
