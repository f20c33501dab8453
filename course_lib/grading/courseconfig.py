"""The course gradebook's settings: a small YAML a teacher edits (``data/coursebook.yaml`` is
the documented default; copy it and pass ``--config``).  Every mistake is one Chinese
sentence naming the file and the item.

What it holds: the components of the 总评 (平时/实训/期末 …) with weights summing to 100,
each made of graded units or of a score file the teacher fills in (a paper exam); per unit
a due date and a column name; the late rule (:class:`.late.LateRule`); decimals; the
五级制 bands; the columns of the table for the school's 教务系统 (order and titles).

>>> c = parse_config({"components": [{"name": "平时成绩", "weight": 100, "units": ["u01"]}]}, Path("."), "示例")
>>> [(x.name, x.weight, x.units) for x in c.components], c.grade(Fraction(895, 10))
([('平时成绩', Fraction(100, 1), ('u01',))], '良好')
>>> parse_config({"components": [{"name": "平时成绩", "weight": 90, "units": ["u01"]}]}, Path("."), "示例")
Traceback (most recent call last):
...
course_lib.grading.courseconfig.ConfigError: 总评设置 示例：各部分的权重 weight 加起来应是100，现在是90。
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import datetime
from fractions import Fraction
from pathlib import Path

from ..files import dict_items
from ..settings import data_dir
from .late import LateError, LateRule, parse_due

FIXED_FIELDS = ("学号", "姓名", "班级", "总评", "等级", "备注")
DEFAULT_BANDS = (("优秀", 90), ("良好", 80), ("中等", 70), ("及格", 60), ("不及格", 0))
DEFAULT_FILE = "coursebook.yaml"
KEYS = {"components", "units", "late", "decimals", "grades", "columns", "roster"}
UNIT = re.compile(r"u\d\d")


class ConfigError(ValueError):
    """The course gradebook's settings are unusable; ``str(error)`` is a Chinese message."""


@dataclass(frozen=True)
class Component:
    """One part of the 总评: its units (``None``: every graded unit no other part names) or a score file."""

    name: str
    weight: Fraction
    units: tuple[str, ...] | None = ()
    scores: Path | None = None


@dataclass(frozen=True)
class CourseConfig:
    components: tuple[Component, ...]
    due: dict[str, datetime] = field(default_factory=dict)
    unit_columns: dict[str, str] = field(default_factory=dict)
    rule: LateRule = LateRule()
    decimals: int = 1
    bands: tuple[tuple[str, Fraction], ...] = tuple((n, Fraction(m)) for n, m in DEFAULT_BANDS)
    columns: tuple[tuple[str, str], ...] = ()
    roster: Path | None = None

    def grade(self, score: Fraction) -> str:
        """The 五级制 grade of a (rounded) 百分制 score: the first band whose ``min`` it reaches."""
        return next((name for name, least in self.bands if score >= least), self.bands[-1][0])

    def export_columns(self) -> tuple[tuple[str, str], ...]:
        """(field, title) of the 教务系统 table; by default 学号, 姓名, each part, 总评, 等级."""
        return self.columns or (("学号", "学号"), ("姓名", "姓名"), *((c.name, c.name) for c in self.components),
                                ("总评", "总评成绩"), ("等级", "五级制成绩"))


def _number(value, where: str, low: float = 0, high: float = 100) -> Fraction:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
        raise ConfigError(f"{where} 应是{low:g}到{high:g}之间的数，现在是“{value}”。")
    return Fraction(str(value))


def _text(value, where: str) -> str:
    if not isinstance(value, (str, int)) or not str(value).strip():
        raise ConfigError(f"{where} 应是一段文字，现在是“{value}”。")
    return str(value).strip()


def _units(value, where: str) -> tuple[str, ...] | None:
    if value == "all":
        return None
    if not isinstance(value, list) or not value:
        raise ConfigError(f"{where} 应是单元列表（例如 [u01, u02]）或 all，现在是“{value}”。")
    units = tuple(str(u).strip().lower() for u in value)
    bad = [u for u in units if not UNIT.fullmatch(u)]
    if bad:
        raise ConfigError(f"{where} 里的“{bad[0]}”不是单元编号（应写成 u01 这样）。")
    if len(set(units)) != len(units):
        raise ConfigError(f"{where} 里有重复的单元。")
    return units


def _component(raw, number: int, base: Path, shown: str) -> Component:
    where = f"总评设置 {shown}：components 第{number}项"
    if not isinstance(raw, dict):
        raise ConfigError(f"{where} 应写成 name、weight 和 units（或 scores）。")
    unknown = sorted(set(raw) - {"name", "weight", "units", "scores"})
    if unknown:
        raise ConfigError(f"{where} 里有不认识的项：{'、'.join(map(str, unknown))}（可用 name、weight、units、scores）。")
    name = _text(raw.get("name"), f"{where} 的 name")
    if name in FIXED_FIELDS or UNIT.fullmatch(name):
        raise ConfigError(f"{where} 的名称“{name}”与表中固定的列重名，请换一个（例如“平时成绩”）。")
    weight = _number(raw.get("weight"), f"{where}（{name}）的权重 weight")
    if ("units" in raw) == ("scores" in raw):
        raise ConfigError(f"{where}（{name}）应写 units（由哪些单元组成）或 scores（成绩文件），二者选一。")
    if "units" in raw:
        return Component(name, weight, _units(raw["units"], f"{where}（{name}）的 units"))
    path = base / _text(raw["scores"], f"{where}（{name}）的 scores")
    if not path.is_file():
        raise ConfigError(f"{where}（{name}）的成绩文件 {path} 找不到（路径相对于设置文件所在的文件夹）。")
    return Component(name, weight, (), path)


def _bands(raw, shown: str) -> tuple[tuple[str, Fraction], ...]:
    where = f"总评设置 {shown}：grades（五级制）"
    items = dict_items(raw, {"name", "min"}, ConfigError, f"{where} 应是若干档，每档写 name 和 min，例如 - {{name: 优秀, min: 90}}。",
                       lambda number: f"{where} 第{number}档应写成 {{name: 名称, min: 最低分}}。")
    bands = [(_text(band["name"], f"{where} 第{number}档的 name"), _number(band["min"], f"{where} 第{number}档的 min"))
             for number, band in enumerate(items, 1)]
    if any(a[1] <= b[1] for a, b in zip(bands, bands[1:])) or bands[-1][1] != 0:
        raise ConfigError(f"{where} 应从高分档写到低分档（min 逐档变小），最后一档的 min 是0。")
    if len({n for n, _ in bands}) != len(bands):
        raise ConfigError(f"{where} 里有重名的档。")
    return tuple(bands)


def parse_config(raw, base: Path, shown: str) -> CourseConfig:
    """Validate the parsed YAML ``raw`` (paths relative to ``base``); :class:`ConfigError` in Chinese."""
    if not isinstance(raw, dict):
        raise ConfigError(f"总评设置 {shown} 应是若干“名称: 值”（见 data/{DEFAULT_FILE} 的写法）。")
    unknown = sorted(set(raw) - KEYS)
    if unknown:
        raise ConfigError(f"总评设置 {shown} 里有不认识的项：{'、'.join(map(str, unknown))}"
                          f"（可用 {'、'.join(sorted(KEYS))}）。")
    if not isinstance(raw.get("components"), list) or not raw["components"]:
        raise ConfigError(f"总评设置 {shown}：components 应列出总评的各部分（至少一项）。")
    components = tuple(_component(c, n, base, shown) for n, c in enumerate(raw["components"], 1))
    names = [c.name for c in components]
    if len(set(names)) != len(names):
        raise ConfigError(f"总评设置 {shown}：components 里有重名的部分。")
    total = sum(c.weight for c in components)
    if total != 100:
        raise ConfigError(f"总评设置 {shown}：各部分的权重 weight 加起来应是100，现在是{float(total):g}。")
    seen: dict[str, str] = {}
    for c in components:
        for unit in c.units or ():
            if unit in seen:
                raise ConfigError(f"总评设置 {shown}：单元{unit}同时出现在“{seen[unit]}”和“{c.name}”里。")
            seen[unit] = c.name
    if sum(c.units is None for c in components) > 1:
        raise ConfigError(f"总评设置 {shown}：units: all 只能用在一个部分里。")
    due, unit_columns = _unit_settings(raw.get("units") or {}, shown)
    decimals = raw.get("decimals", 1)
    if isinstance(decimals, bool) or decimals not in (0, 1, 2):
        raise ConfigError(f"总评设置 {shown}：decimals（保留几位小数）应是0、1或2，现在是“{decimals}”。")
    try:
        rule = LateRule.from_yaml(raw.get("late"))
    except LateError as error:
        raise ConfigError(f"总评设置 {shown}：{error}") from None
    bands = _bands(raw["grades"], shown) if "grades" in raw else CourseConfig.__dataclass_fields__["bands"].default
    config = CourseConfig(components, due, unit_columns, rule, decimals, bands, (),
                          base / _text(raw["roster"], f"总评设置 {shown}：roster") if raw.get("roster") else None)
    columns = _columns(raw.get("columns"), config, shown) if raw.get("columns") is not None else ()
    return replace(config, columns=columns)


def _unit_settings(raw, shown: str) -> tuple[dict[str, datetime], dict[str, str]]:
    if not isinstance(raw, dict):
        raise ConfigError(f"总评设置 {shown}：units 应写成“u01: {{due: 截止时间, column: 列名}}”。")
    due, columns = {}, {}
    for unit, settings in raw.items():
        unit = str(unit).strip().lower()
        where = f"总评设置 {shown}：units 里的 {unit}"
        if not UNIT.fullmatch(unit):
            raise ConfigError(f"{where} 不是单元编号（应写成 u01 这样）。")
        if not isinstance(settings, dict) or not set(settings) <= {"due", "column"}:
            raise ConfigError(f"{where} 应写成 {{due: 截止时间, column: 列名}}（两项都可以不写）。")
        if settings.get("due") is not None:
            try:
                due[unit] = parse_due(settings["due"], unit)
            except LateError as error:
                raise ConfigError(f"总评设置 {shown}：{error}") from None
        if settings.get("column") is not None:
            columns[unit] = _text(settings["column"], f"{where} 的 column")
    return due, columns


def _columns(raw, config: CourseConfig, shown: str) -> tuple[tuple[str, str], ...]:
    where = f"总评设置 {shown}：columns（教务系统表的列）"
    if not isinstance(raw, list) or not raw:
        raise ConfigError(f"{where} 应是若干列，每列写 field 和 title，例如 - {{field: 总评, title: 总评成绩}}。")
    known = set(FIXED_FIELDS) | {c.name for c in config.components} | set(config.unit_columns)
    known |= {u for c in config.components for u in c.units or ()}
    out = []
    for number, item in enumerate(raw, 1):
        if not isinstance(item, dict) or set(item) != {"field", "title"}:
            raise ConfigError(f"{where} 第{number}列应写成 {{field: 内容, title: 列名}}。")
        name = _text(item["field"], f"{where} 第{number}列的 field")
        if name not in known and not (UNIT.fullmatch(name) and any(c.units is None for c in config.components)):
            raise ConfigError(f"{where} 第{number}列的 field“{name}”不认识；可用："
                              f"{'、'.join([*FIXED_FIELDS, *(c.name for c in config.components)])}或单元编号。")
        out.append((name, _text(item["title"], f"{where} 第{number}列的 title")))
    if len({t for _, t in out}) != len(out):
        raise ConfigError(f"{where} 里有重名的列。")
    return tuple(out)


def load_config(path: Path | None = None) -> CourseConfig:
    """The settings in ``path`` (default ``data/coursebook.yaml``)."""
    path = Path(path) if path is not None else data_dir() / DEFAULT_FILE
    if not path.is_file():
        raise ConfigError(f"找不到总评设置文件：{path}")
    import yaml

    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError:
        raise ConfigError(f"总评设置 {path.name} 不是 UTF-8 编码，请用 UTF-8 另存。") from None
    except yaml.YAMLError as problem:
        mark = getattr(problem, "problem_mark", None)
        where = f"第{mark.line + 1}行" if mark is not None else ""
        raise ConfigError(f"总评设置 {path.name} {where}格式有误（YAML的写法：冒号后要有空格，括号和引号要配对，"
                          "同一级的缩进要对齐），请对照 data/coursebook.yaml 修改。") from None
    return parse_config(raw, path.parent, path.name)


def deadlines_from(config: Path | None, dues: list[str]):
    """The due dates and rule of ``grade --config … --due …`` (``None`` when neither is given):
    the settings' due dates and rule, then each ``--due 单元=时间`` on top."""
    from .late import Deadlines, due_option

    if config is None and not dues:
        return None
    settings = load_config(config) if config is not None else None
    due = dict(settings.due) if settings else {}
    try:
        due.update(due_option(text) for text in dues)
    except LateError as error:
        raise ConfigError(str(error)) from None
    return Deadlines(due, settings.rule) if settings else Deadlines(due)
