"""``load_dataset(name)``: the course's CSV files as typed DataFrames.

Each dataset is declared once in :data:`DATASETS` (file, columns, dtypes).  A
missing or damaged file gives a Chinese error naming the file.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..settings import data_dir


class DatasetError(ValueError):
    """The dataset file is missing or does not have the declared columns."""


@dataclass(frozen=True)
class DatasetSpec:
    file: str
    columns: dict          # column -> kind: "str", "category", "int", "float", "datetime", "date", "bool"
    title: str


T = "datetime"
DATASETS: dict[str, DatasetSpec] = {
    "industry": DatasetSpec(
        "industry.csv",
        {"指标": "category", "年份": "int", "数值": "float", "单位": "category", "说明": "str"},
        "网络购物与电商人才行业数据（2013年，艾瑞咨询、中国电子商务研究中心）",
    ),
    # the shop world 「禾悦优选」 (python -m course_lib generate-data; dictionary in data/README.md)
    "products": DatasetSpec("shop/products.csv", {
        "商品编号": "str", "商品名称": "str", "品类": "category", "材质": "category", "售价": "float",
        "成本": "float", "物流方式": "category", "材质说明": "str", "规格尺寸": "str", "重量": "int", "优点": "str",
        "不足": "str", "保养要点": "str", "搭配商品": "str", "搭配理由": "str"}, "禾悦优选·商品表"),
    "agents": DatasetSpec("shop/agents.csv", {
        "客服编号": "str", "昵称": "str", "岗位": "category", "入职日期": "date"}, "禾悦优选·客服表"),
    "customers": DatasetSpec("shop/customers.csv", {
        "顾客编号": "str", "昵称": "str", "省份": "category", "注册日期": "date", "会员等级": "category",
        "手机尾号": "str"},
        "禾悦优选·顾客表"),
    "orders": DatasetSpec("shop/orders.csv", {
        "订单编号": "str", "顾客编号": "str", "客服编号": "str", "拍下时间": T, "付款时间": T, "发货时间": T,
        "物流方式": "category", "确认收货时间": T, "确认方式": "category", "关闭时间": T, "关闭原因": "category",
        "申请退款时间": T, "退款时间": T, "退款原因": "category", "订单状态": "category", "订单金额": "float"},
        "禾悦优选·订单表"),
    "order_items": DatasetSpec("shop/order_items.csv", {
        "订单编号": "str", "商品编号": "str", "商品名称": "str", "数量": "int", "单价": "float"},
        "禾悦优选·订单明细"),
    "chat_sessions": DatasetSpec("shop/chat_sessions.csv", {
        "会话编号": "str", "顾客编号": "str", "客服编号": "str", "开始时间": T, "咨询类型": "category",
        "是否下单": "bool", "订单编号": "str"}, "禾悦优选·聊天会话"),
    "chat_messages": DatasetSpec("shop/chat_messages.csv", {
        "会话编号": "str", "顾客编号": "str", "客服编号": "str", "序号": "int", "发送方": "category",
        "发送时间": T}, "禾悦优选·聊天消息（每条消息的发送时间）"),
    "reviews": DatasetSpec("shop/reviews.csv", {
        "订单编号": "str", "评价时间": T, "评价等级": "category", "描述相符": "int", "服务态度": "int",
        "物流服务": "int", "原因分类": "category", "评价内容": "str"}, "禾悦优选·评价表"),
    "reminders": DatasetSpec("shop/reminders.csv", {
        "订单编号": "str", "顾客编号": "str", "拍下时间": T, "未付款原因": "category", "第几次": "int",
        "催付方式": "category", "催付时间": T, "是否付款": "bool", "客服编号": "str"}, "禾悦优选·催付登记表"),
    "order_notes": DatasetSpec("shop/order_notes.csv", {
        "订单编号": "str", "备注时间": T, "客服编号": "str", "旗帜": "category", "备注内容": "str"},
        "禾悦优选·订单备注（数据截止时每单显示的卖家备注）"),
    "agent_targets": DatasetSpec("shop/agent_targets.csv", {
        "月份": "str", "客服编号": "str", "昵称": "str", "销售额目标": "float", "出勤率": "float"},
        "禾悦优选·客服月度目标与出勤"),
    "agent_kpi": DatasetSpec("shop/agent_kpi.csv", {
        "月份": "str", "客服编号": "str", "昵称": "str", "销售额": "float", "销售额目标完成率": "float",
        "询单转化率": "float", "落实客单价": "float", "回复率": "float", "平均响应秒数": "float",
        "平均首次响应秒数": "float", "出勤率": "float"}, "禾悦优选·客服月度绩效（由 course_lib.shop 的KPI函数计算）"),
}


def load_dataset(name: str):
    """Read ``data/<file>`` with the declared dtypes; returns a ``pandas.DataFrame``.

    >>> df = load_dataset("industry")
    >>> df.loc[df["指标"] == "网络购物交易额", "数值"].tolist()
    [18409.5, 44500.0]
    """
    spec = DATASETS.get(name)
    if spec is None:
        raise DatasetError(f"没有名为「{name}」的数据集。可用的有：{'、'.join(sorted(DATASETS))}。")
    return read_table(data_dir() / spec.file, spec)


def read_table(source, spec: DatasetSpec):
    """A CSV (a path, or the bytes of one) as a DataFrame typed by ``spec``.

    Column kinds: ``str`` (``string`` dtype), ``category``, ``int`` (``Int64``), ``float``,
    ``datetime`` (``YYYY-MM-DD HH:MM:SS``), ``date`` (``YYYY-MM-DD``) and ``bool`` (是/否);
    an empty cell is missing (``<NA>``/``NaN``/``NaT``), and a ``bool`` cell must be 是 or 否.
    Raises :class:`DatasetError` with a Chinese message naming the file.
    """
    import io

    import pandas as pd

    try:
        frame = pd.read_csv(io.BytesIO(source) if isinstance(source, bytes) else source, encoding="utf-8",
                            dtype=str, keep_default_na=False)
    except FileNotFoundError:
        raise DatasetError(f"找不到数据文件 data/{spec.file}，请检查 data 文件夹是否完整。") from None
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        raise DatasetError(f"数据文件 data/{spec.file} 已损坏，无法读取（{type(error).__name__}）。"
                           "请从课程资料中重新复制该文件。") from None
    missing = [c for c in spec.columns if c not in frame.columns]
    if missing:
        raise DatasetError(f"数据文件 data/{spec.file} 缺少列：{'、'.join(missing)}。")
    frame = frame[list(spec.columns)]
    try:
        for column, kind in spec.columns.items():
            frame[column] = _convert(frame[column], kind, pd)
    except (ValueError, TypeError) as error:
        raise DatasetError(f"数据文件 data/{spec.file} 的列「{column}」有无法识别的值：{error}") from None
    frame.attrs["title"] = spec.title
    return frame


def _convert(series, kind: str, pd):
    blank = series.str.strip() == ""
    if kind == "str":
        return series.mask(blank).astype("string")
    if kind == "category":
        return series.mask(blank).astype("category")
    if kind == "int":
        return pd.to_numeric(series.mask(blank), errors="raise").astype("Int64")
    if kind == "float":
        return pd.to_numeric(series.mask(blank), errors="raise").astype("float64")
    if kind == "datetime":
        return pd.to_datetime(series.mask(blank), format="%Y-%m-%d %H:%M:%S", errors="raise")
    if kind == "date":
        return pd.to_datetime(series.mask(blank), format="%Y-%m-%d", errors="raise")
    if kind == "bool":
        bad = ~series.isin(["是", "否"])
        if bad.any():
            raise ValueError(f"「{series[bad].iloc[0]}」不是“是”或“否”")
        return series == "是"
    raise ValueError(f"unknown dtype {kind}")
