"""The shop world: the committed CSVs are what the generator makes, and they obey what the course teaches."""
from __future__ import annotations

import io
import re
from datetime import timedelta

import pandas as pd
import pytest

from course_lib.settings import data_dir, standards
from course_lib.shop import generator as shopgen
from course_lib.shop.catalogue import END
from course_lib.shop.datasets import DATASETS, load_dataset
from course_lib.shop.orders import validate_sequence
from course_lib.shop.reminder_log import reminder_success
from course_lib.shop.reminders import check_reminder
from course_lib.shop.sales import good_review_rate, inquiry_conversion, refund_rate
from course_lib.shop.timeouts import auto_close_at, auto_confirm_at

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
        assert len(data) < 1_000_000
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


def rule_violations(f) -> list[str]:
    """Every rule of the course the data must obey; an empty list means all hold."""
    problems = []
    o = f["orders"]
    unpaid = o[o["付款时间"].isna()]
    closed = unpaid[unpaid["订单状态"] == "交易关闭"]
    if not (closed["关闭时间"] == closed["拍下时间"] + timedelta(days=1)).all():
        problems.append("未付款订单没有在拍下1天后关闭")
    still_open = unpaid[unpaid["订单状态"] == "等待买家付款"]
    if not (still_open["拍下时间"] + timedelta(days=1) > END).all():
        problems.append("应该已经关闭的订单仍在等待付款")
    if (o["付款时间"] >= o["拍下时间"].map(auto_close_at)).any():
        problems.append("有订单在自动关闭之后付款")
    done = o[o["确认收货时间"].notna()]
    deadline = [auto_confirm_at(s, m) for s, m in zip(done["发货时间"], done["物流方式"])]
    auto = done["确认方式"] == "系统自动"
    if not (done.loc[auto, "确认收货时间"] == pd.Series(deadline, index=done.index)[auto]).all():
        problems.append("系统自动确认收货的时间不是发货后10天/30天")
    if not (done.loc[~auto, "确认收货时间"] <= pd.Series(deadline, index=done.index)[~auto]).all():
        problems.append("买家确认收货晚于自动确认期限")
    for _, row in o.iterrows():
        events = ["拍下"]
        if pd.notna(row["付款时间"]):
            events.append("付款")
            if pd.notna(row["发货时间"]):
                events.append("发货")
            if pd.notna(row["退款时间"]):
                events += ["申请退款", "退款完成"]
            elif pd.notna(row["确认收货时间"]):
                events.append("确认收货")
        elif pd.notna(row["关闭时间"]):
            events.append("关闭")
        check = validate_sequence(events)
        if not check.ok or check.states[-1] != row["订单状态"]:
            problems.append(f"订单{row['订单编号']}的状态不符合状态机：{events} → {row['订单状态']}")
            break
    r = f["reminders"].merge(o[["订单编号", "付款时间", "顾客编号"]], on=["订单编号", "顾客编号"])
    if len(r) != len(f["reminders"]):
        problems.append("催付登记表中有不存在的订单")
    for _, row in r.iterrows():
        issues = check_reminder(row["拍下时间"].to_pydatetime(), row["催付时间"].to_pydatetime(),
                                holidays=standards().holidays)
        if issues:
            problems.append(f"订单{row['订单编号']}的催付不符合时间表：{issues[0]}")
            break
    if not ((r["是否付款"]) == (r["付款时间"] > r["催付时间"])).all():
        problems.append("催付登记的“是否付款”与订单付款时间不一致")
    m = f["chat_messages"].sort_values(["会话编号", "序号"])
    if not m.groupby("会话编号")["发送时间"].apply(lambda s: s.is_monotonic_increasing).all():
        problems.append("会话内消息的时间顺序与序号不一致")
    ids = {"customers": "顾客编号", "agents": "客服编号", "products": "商品编号"}
    for table, column in [("orders", "顾客编号"), ("chat_sessions", "顾客编号"), ("reminders", "顾客编号")]:
        if not set(f[table][column].dropna()) <= set(f["customers"]["顾客编号"]):
            problems.append(f"{table} 中有不存在的{column}")
    for table in ("orders", "chat_sessions", "chat_messages", "reminders"):
        if not set(f[table]["客服编号"].dropna()) <= set(f["agents"]["客服编号"]):
            problems.append(f"{table} 中有不存在的客服编号")
    if not set(f["order_items"]["商品编号"]) <= set(f["products"]["商品编号"]):
        problems.append("订单明细中有不存在的商品")
    totals = f["order_items"].assign(金额=lambda d: d["数量"] * d["单价"]).groupby("订单编号")["金额"].sum()
    if not (o.set_index("订单编号")["订单金额"] - totals).abs().max() < 0.01:
        problems.append("订单金额不等于明细之和")
    reviewed = f["reviews"].merge(o, on="订单编号")
    if not (reviewed["订单状态"] == "交易成功").all() or not (reviewed["评价时间"] > reviewed["确认收货时间"]).all():
        problems.append("评价只能在交易成功、确认收货之后")
    del ids
    return problems


def test_committed_data_obeys_the_rules():
    assert rule_violations(frames()) == []


def test_another_seed_obeys_the_rules_too():
    assert rule_violations(frames(shopgen.generate(seed=7))) == []


def test_the_rule_check_can_fail():
    f = frames()
    broken = f["orders"].copy()
    first_closed = broken.index[broken["订单状态"] == "交易关闭"][0]
    broken.loc[first_closed, "关闭时间"] += timedelta(hours=3)
    assert "未付款订单没有在拍下1天后关闭" in rule_violations({**f, "orders": broken})
    late = f["reminders"].copy()
    late.loc[late.index[0], "催付时间"] = late.loc[late.index[0], "拍下时间"].normalize() + timedelta(hours=23)
    assert any("催付不符合时间表" in p for p in rule_violations({**f, "reminders": late}))


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
