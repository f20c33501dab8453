"""``load_dataset(name)``: the course's CSV files as typed DataFrames.

Each dataset is declared once in :data:`DATASETS` (file, columns, dtypes).  A
missing or damaged file gives a Chinese error naming the file.
"""
from __future__ import annotations

from dataclasses import dataclass

from .paths import data_dir


class DatasetError(ValueError):
    """The dataset file is missing or does not have the declared columns."""


@dataclass(frozen=True)
class DatasetSpec:
    file: str
    columns: dict          # column -> dtype ("str", "int", "float", "category", "datetime")
    title: str


DATASETS: dict[str, DatasetSpec] = {
    "industry": DatasetSpec(
        "industry.csv",
        {"指标": "category", "年份": "int", "数值": "float", "单位": "category", "说明": "str"},
        "网络购物与电商人才行业数据（2013年，艾瑞咨询、中国电子商务研究中心）",
    ),
}


def load_dataset(name: str):
    """Read ``data/<file>`` with the declared dtypes; returns a ``pandas.DataFrame``.

    >>> df = load_dataset("industry")
    >>> df.loc[df["指标"] == "网络购物交易额", "数值"].tolist()
    [18409.5, 44500.0]
    """
    import pandas as pd

    spec = DATASETS.get(name)
    if spec is None:
        raise DatasetError(f"没有名为「{name}」的数据集。可用的有：{'、'.join(sorted(DATASETS))}。")
    path = data_dir() / spec.file
    try:
        frame = pd.read_csv(path, encoding="utf-8", dtype=str, keep_default_na=False)
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
        return series.astype("string")
    if kind == "category":
        return series.astype("category")
    if kind == "int":
        return pd.to_numeric(series.mask(blank), errors="raise").astype("Int64")
    if kind == "float":
        return pd.to_numeric(series.mask(blank), errors="raise").astype("float64")
    if kind == "datetime":
        return pd.to_datetime(series.mask(blank), format="%Y-%m-%d %H:%M:%S", errors="raise")
    raise ValueError(f"unknown dtype {kind}")
