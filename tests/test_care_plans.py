"""Unit 12's 关怀计划 as data: ``data/care_plans.yaml`` gives the plans the course has always shown,
a broken copy gets a Chinese message naming the file, the segment and the field (never anything
else, whatever the YAML holds), ``validate`` reports it, and nothing is read at import."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from course_lib import cli
from course_lib.files import DataFileError, read_yaml
from course_lib.settings import data_dir
from course_lib.shop import care_plans as module
from course_lib.shop import rfm
from course_lib.shop.care_plans import CarePlanError, care_plans, parse_care_plans, validate_care_plans

FILE = "care_plans.yaml"
NO_DISCOUNT = "私自给折扣、优惠券或红包（价格统一，客服不能改价）"
# the eight segments in the order the unit's table has always shown them (written out by hand)
ORDER = ["重要价值客户", "重要保持客户", "重要发展客户", "重要挽留客户",
         "一般价值客户", "一般保持客户", "一般发展客户", "一般挽留客户"]


def raw() -> dict:
    """A fresh copy of the course's file, parsed."""
    return yaml.safe_load((data_dir() / FILE).read_text(encoding="utf-8"))


# ----------------------------------------------------------------------------- the course's plans

def test_the_file_gives_the_plans_the_unit_has_always_shown():
    plans = care_plans()
    assert list(plans) == ORDER
    lost = plans["重要挽留客户"]
    assert (lost.segment, lost.goal, lost.frequency) == ("重要挽留客户", "挽留", "回访一次；顾客不愿意就停止联系")
    assert lost.avoid == ("硬推销、催下单", "顾客说不要联系后还继续发", NO_DISCOUNT)
    assert lost.channel == "千牛消息为主；顾客同意后才打电话"
    assert plans["一般价值客户"].actions == ("根据买过的商品推荐搭配购买的商品（例如充电宝配数据线）", "介绍店铺统一的活动和赠品")
    assert plans["重要价值客户"].frequency == "每月不超过2次"
    assert plans["一般挽留客户"].to_text().splitlines()[0] == "【一般挽留客户】目标：低成本维护——很久没来、买得少"
    assert [len(p.actions) for p in plans.values()] == [3, 3, 3, 3, 2, 2, 2, 2]


def test_the_no_discount_line_is_written_once_and_ends_every_plan():
    text = (data_dir() / FILE).read_text(encoding="utf-8")
    assert text.count(NO_DISCOUNT) == 1
    for plan in care_plans().values():
        assert plan.avoid[-1] == NO_DISCOUNT and plan.avoid.count(NO_DISCOUNT) == 1 and len(plan.avoid) >= 2


def test_the_file_opens_with_a_chinese_guide_for_teachers():
    head = [line for line in (data_dir() / FILE).read_text(encoding="utf-8").splitlines() if line.startswith("#")]
    guide = "\n".join(head)
    assert head and all(line.startswith("# ") or line == "#" for line in head)
    for words in ("老师可以修改", "建议值", "不是平台规定", "python -m course_lib validate"):
        assert words in guide


def test_every_public_name_is_the_one_loaded_mapping():
    from course_lib import CARE_PLANS as public
    from course_lib.shop.care_plans import CARE_PLANS

    assert CARE_PLANS is care_plans() is public is module.CARE_PLANS
    assert rfm.SEGMENT_ACTIONS == {name: plan.summary for name, plan in CARE_PLANS.items()}
    assert list(rfm.SEGMENT_ACTIONS) == ORDER
    with pytest.raises(AttributeError):
        _ = module.CARE_PLAN
    with pytest.raises(AttributeError):
        _ = rfm.SEGMENT_ACTION


def test_importing_reads_no_file():
    code = ("import sys\nimport course_lib.shop.crm, course_lib.shop.rfm, course_lib.views.crm\n"
            "from course_lib.shop.care_plans import care_plans\n"
            "print(care_plans.cache_info().currsize, 'yaml' in sys.modules)\n"
            "from course_lib.shop.care_plans import CARE_PLANS\n"
            "print(care_plans.cache_info().currsize, len(CARE_PLANS))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["0", "False", "1", "8"]


# ----------------------------------------------------------------------------- broken files

def changed(change) -> dict:
    data = raw()
    change(data)
    return data


def _parent(data, path):
    """The container that holds ``path``'s last key, and that key."""
    for key in path[:-1]:
        data = data[key]
    return data, path[-1]


def _set(path, value):
    def change(data):
        node, last = _parent(data, path)
        node[last] = value
    return change


def _drop(path):
    def change(data):
        node, last = _parent(data, path)
        del node[last]
    return change


def _rename(old, new):
    def change(data):
        data["plans"] = {new if k == old else k: v for k, v in data["plans"].items()}
    return change


@pytest.mark.parametrize("change, message", [
    (_drop(("plans", "一般发展客户")), "care_plans.yaml：plans 里缺少客户类型 一般发展客户（八类客户都要写）。"),
    (_rename("重要价值客户", "重要价值客服"),
     "care_plans.yaml：plans 里有不认识的客户类型「重要价值客服」，只能写 重要价值客户、重要保持客户、"),
    (_set(("plans", "重要挽留客户", "remark"), "备注"), "care_plans.yaml：重要挽留客户 有不认识的项目「remark」，只能写 goal、who、"),
    (_set(("notes",), "说明"), "care_plans.yaml：有不认识的项目「notes」，只能写 always_avoid、plans。"),
    (_drop(("plans", "重要价值客户", "channel")), "care_plans.yaml：重要价值客户 缺少项目 channel。"),
    (_drop(("always_avoid",)), "care_plans.yaml：缺少项目 always_avoid。"),
    (_set(("plans", "重要发展客户", "actions"), []),
     "care_plans.yaml：重要发展客户 的 actions（做法）应是一个列表，至少写一条，每条一行、以“- ”开头（现在是「空」）。"),
    (_set(("plans", "一般保持客户", "goal"), 2),
     "care_plans.yaml：一般保持客户 的 goal（关怀目标）应是一段文字，不能空着（现在是「2」）。"),
    (_set(("plans", "一般保持客户", "frequency"), ["大促前一次"]),
     "一般保持客户 的 frequency（频率）应是一段文字，不能空着（现在是「一个列表」）"),
    (_set(("plans", "一般发展客户", "example"), "   "), "一般发展客户 的 example（示例消息）应是一段文字，不能空着"),
    (_set(("plans", "一般发展客户", "who"), None), "一般发展客户 的 who（这类顾客是谁）应是一段文字，不能空着（现在是「空」）"),
    (_set(("plans", "重要保持客户", "avoid"), "一开口就推销"), "重要保持客户 的 avoid（不要做的事）应是一个列表"),
    (_set(("plans", "重要保持客户", "actions", 1), {"做法": "回访"}),
     "重要保持客户 的 actions（做法）第2条应是一段文字，不能空着（现在是「几项内容」）"),
    (_set(("always_avoid",), NO_DISCOUNT), "care_plans.yaml：always_avoid（每一类都不要做的事）应是一个列表"),
    (_set(("plans",), ["重要价值客户"]), "care_plans.yaml：plans 应按客户类型各写一段"),
    (_set(("plans", "一般价值客户"), "提高客单价"),
     "care_plans.yaml：一般价值客户 应写 goal、who、actions、channel、frequency、example、avoid 这几项"),
])
def test_a_broken_file_names_the_file_the_segment_and_the_field(change, message):
    with pytest.raises(CarePlanError) as error:
        parse_care_plans(changed(change), FILE)
    assert message in str(error.value)


@pytest.mark.parametrize("data", [None, [], "关怀计划", 3])
def test_a_file_that_is_not_a_mapping_is_refused(data):
    with pytest.raises(CarePlanError, match="care_plans.yaml：应写 always_avoid 和 plans 两项"):
        parse_care_plans(data, FILE)


def test_surrounding_spaces_are_dropped_and_the_plans_keep_the_segment_order():
    data = raw()
    data["plans"] = dict(reversed(data["plans"].items()))                 # the file's order does not matter
    data["plans"]["重要挽留客户"]["goal"] = "  挽留\n"
    plans = parse_care_plans(data, FILE)
    assert list(plans) == ORDER and plans["重要挽留客户"].goal == "挽留"
    assert plans == care_plans()


def test_the_error_is_a_data_file_error():
    assert issubclass(CarePlanError, DataFileError) and issubclass(CarePlanError, ValueError)


# ----------------------------------------------------------------------------- whatever the YAML holds

SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=12), st.dates())
YAML_LIKE = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4),
    st.dictionaries(st.one_of(st.text(max_size=8), st.integers(), st.sampled_from(ORDER + ["plans", "always_avoid"])),
                    inner, max_size=4)), max_leaves=20)
FIELDS = ["goal", "who", "actions", "channel", "frequency", "example", "avoid"]


def only_our_error(data):
    """``parse_care_plans(data)`` builds the eight plans or raises CarePlanError naming the file."""
    try:
        plans = parse_care_plans(data, FILE)
    except CarePlanError as error:
        assert str(error).startswith(("care_plans.yaml：", "内容文件 care_plans.yaml", "找不到内容文件 care_plans.yaml"))
        return str(error)
    assert list(plans) == ORDER
    return None


@settings(max_examples=300, deadline=None)
@given(YAML_LIKE)
def test_any_yaml_value_is_plans_or_our_chinese_error(data):
    only_our_error(data)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(ORDER), st.sampled_from(FIELDS), YAML_LIKE)
def test_a_bad_field_is_named_with_its_segment(segment, field, value):
    data = raw()
    data["plans"][segment][field] = value
    message = only_our_error(data)
    if message is not None:
        assert f"{segment} 的 {field}" in message
    else:
        plan = parse_care_plans(data, FILE)[segment]
        shown = getattr(plan, field)
        expected = value.strip() if isinstance(value, str) else tuple(v.strip() for v in value)
        assert shown == (expected + (NO_DISCOUNT,) if field == "avoid" else expected)


def near_files():
    """The course's file with a line dropped, or some text put into it."""
    lines = (data_dir() / FILE).read_text(encoding="utf-8").splitlines()
    return st.tuples(st.integers(0, len(lines) - 1), st.booleans(), st.text(max_size=15)).map(
        lambda t: "\n".join(lines[:t[0]] + ([] if t[1] else [t[2] + lines[t[0]]]) + lines[t[0] + 1:]) + "\n")


@settings(max_examples=200, deadline=None)
@given(st.one_of(near_files(), st.text(max_size=60)))
def test_any_text_in_the_file_is_plans_or_our_chinese_error(text):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / FILE
        path.write_text(text, encoding="utf-8")
        try:
            data = read_yaml(path, FILE, CarePlanError)
        except CarePlanError as error:
            assert "care_plans.yaml" in str(error)
            return
        only_our_error(data)


# ----------------------------------------------------------------------------- validate

def test_validate_reports_a_broken_copy_and_a_missing_file(tmp_path, monkeypatch, capsys):
    data = tmp_path / "数据"
    shutil.copytree(data_dir(), data)
    monkeypatch.setenv("COURSE_DATA", str(data))
    assert validate_care_plans() == []
    text = (data / FILE).read_text(encoding="utf-8")
    (data / FILE).write_text(text.replace("    channel: 千牛消息\n", "    channel:\n", 1), encoding="utf-8")
    broken = "care_plans.yaml：重要价值客户 的 channel（渠道）应是一段文字，不能空着（现在是「空」）。"
    assert validate_care_plans() == [broken]
    assert cli.main(["validate"]) == 1
    assert f"✘ {broken}" in capsys.readouterr().out.splitlines()
    (data / FILE).write_text("plans: [\n", encoding="utf-8")
    assert "内容文件 care_plans.yaml 第2行格式有误" in validate_care_plans()[0]
    (data / FILE).unlink()
    assert validate_care_plans() == ["找不到内容文件 care_plans.yaml，请检查 data 文件夹是否完整。"]
    assert list(care_plans()) == ORDER                    # the plans already read stay as they were


def test_a_broken_file_does_not_stop_the_graders_warm_up(tmp_path):
    """The grading process reads every public name before it forks; unit 12's notebooks report the file, not the grader."""
    data = tmp_path / "data"
    shutil.copytree(data_dir(), data, ignore=shutil.ignore_patterns("shop"))
    (data / FILE).write_text("plans: [\n", encoding="utf-8")
    code = "from course_lib.grading.zygote import warm_up\nwarm_up()\nprint('warm')"   # ASCII: a C locale cannot pass Chinese in argv
    env = {**os.environ, "COURSE_DATA": str(data), "MPLBACKEND": "Agg"}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 0 and result.stdout.strip() == "warm", result.stderr[-2000:]
