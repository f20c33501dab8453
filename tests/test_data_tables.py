"""Datasets load with dtypes and Chinese errors; the 客服工作情况记录表 helpers."""
from __future__ import annotations

import pandas as pd
import pytest

from course_lib.shop.datasets import DatasetError, load_dataset
from course_lib.shop.records import (
    Notice,
    add_observation,
    check_observations,
    observation_template,
    summarise_observations,
)


def test_industry_dataset_types_and_seed_figures():
    df = load_dataset("industry")
    assert str(df["年份"].dtype) == "Int64" and df["数值"].dtype == "float64"
    value = df.set_index("指标")["数值"]
    assert value["网络购物交易额同比增长率"] == 39.4
    assert value["电子商务间接带动从业人员"] == 1680
    assert df.attrs["title"]


def test_dataset_errors_name_the_file(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_DATA", str(tmp_path))
    with pytest.raises(DatasetError, match="找不到数据文件 data/industry.csv"):
        load_dataset("industry")
    (tmp_path / "industry.csv").write_text("指标,年份\n网购,2013\n", encoding="utf-8")
    with pytest.raises(DatasetError, match="缺少列：数值"):
        load_dataset("industry")
    (tmp_path / "industry.csv").write_text("指标,年份,数值,单位,说明\n网购,二〇一三,1,亿元,\n", encoding="utf-8")
    with pytest.raises(DatasetError, match="列「年份」"):
        load_dataset("industry")
    (tmp_path / "industry.csv").write_bytes("指标,年份,数值,单位,说明\n".encode("gbk"))
    with pytest.raises(DatasetError, match="已损坏"):
        load_dataset("industry")
    with pytest.raises(DatasetError, match="没有名为"):
        load_dataset("orders_2099")


def filled():
    log = observation_template()
    log.loc[0] = ["A旗舰店", "天猫", "吊扇灯", 6, "是", "亲", 5, "是", 5, "售前售后分开", ""]
    log.loc[1] = ["B小店", "淘宝个人店", "吊扇灯", 95, "否", "你", 3, "否", 2, "一人多岗", "店主本人"]
    log.loc[2] = ["C企业店", "淘宝企业店", "吊扇灯", 12, "是", "您", 4, "是", 4, "不清楚", ""]
    return log


def test_summary_numbers():
    s = summarise_observations(filled())["结果"]
    assert s["观察店铺数"] == "3"
    assert s["平均首次响应秒数"] == "37.7"
    assert s["10秒内首次响应占比"] == "33%"
    assert s["用“您/亲”称呼占比"] == "67%"
    assert s["响应最快的店铺"] == "A旗舰店"


def test_bad_rows_are_listed_in_chinese():
    log = filled()
    log.loc[1, "首次响应秒数"] = -5
    log.loc[2, "服务态度"] = 9
    log.loc[0, "称呼"] = "老板"
    problems = check_observations(log)
    assert any("第2行的首次响应秒数" in p for p in problems)
    assert any("第3行的「服务态度」应是1–5分" in p for p in problems)
    assert any("第1行的「称呼」应填" in p for p in problems)
    notice = summarise_observations(log)
    assert isinstance(notice, Notice) and "需要修改" in repr(notice) and "<li>" in notice._repr_html_()


def test_add_observation_checks_by_column_name():
    log = observation_template()
    row = dict(店铺="甲店", 店铺类型="天猫", 咨询商品="吊扇灯", 首次响应秒数=8, 有欢迎语="是", 称呼="亲",
               解答专业=5, 主动推荐="是", 服务态度=5, 分工="售前售后分开")
    assert add_observation(log, **row) is log and len(log) == 1
    bad = add_observation(log, **{**row, "首次响应秒数": "很快"})
    assert isinstance(bad, Notice) and "首次响应秒数" in repr(bad) and len(log) == 2      # kept as typed
    assert log.loc[1, "首次响应秒数"] == "很快"
    # the summary at the end of the cell names the row, even when add_observation was not the last line
    assert "第2行的首次响应秒数「很快」" in repr(summarise_observations(log))
    log = log.drop(index=1).reset_index(drop=True)
    typo = add_observation(log, **{**row, "店名": "乙店"})
    assert "没有这些列：店名" in repr(typo) and len(log) == 2
    jd = add_observation(log, **{**row, "店铺类型": "京东"})
    assert "「店铺类型」应填" in repr(jd) and "第3行的「店铺类型」" in repr(summarise_observations(log))
    assert "DataFrame" in repr(add_observation([1], **row))


def test_empty_or_wrong_tables():
    assert "空的" in check_observations(observation_template())[0]
    assert "DataFrame" in check_observations([1, 2])[0]
    assert "缺少列" in check_observations(pd.DataFrame({"店铺": ["x"]}))[0]
    assert len(observation_template(2)) == 2
