"""关怀计划: what the shop does for each RFM segment (unit 12), true to 「禾悦优选」's facts.

The plans are data a teacher edits: ``data/care_plans.yaml`` (read once per process by
:func:`care_plans`, checked by :func:`parse_care_plans` and by ``python -m course_lib validate``).
Prices are uniform and agents may not give discounts, coupons or red packets, so a plan
uses only what the shop really has: service, follow-up calls, the shop-wide campaign and
gift (this week: any 箱包 → a free 皮具护理套装).  Channels and frequencies follow the rules
of unit 12 (千牛 first, phone or SMS only with consent, stop when the buyer says so; 消保法
第二十九条); the frequencies are **this course's suggestions**, not platform rules.

``CARE_PLANS`` (the plans by segment, in :data:`~.segments.SEGMENTS` order) is the same
mapping as ``care_plans()``, looked up when first used, not at import.

>>> from course_lib.shop.care_plans import CARE_PLANS
>>> CARE_PLANS["重要挽留客户"].goal
'挽留'
>>> print(care_plans()["一般挽留客户"].to_text().splitlines()[0])
【一般挽留客户】目标：低成本维护——很久没来、买得少
>>> parse_care_plans({"plans": {}, "notes": "备注"}, "care_plans.yaml")
Traceback (most recent call last):
...
course_lib.shop.care_plans.CarePlanError: care_plans.yaml：有不认识的项目「notes」，只能写 always_avoid、plans。
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from ..files import DataFileError, read_yaml
from ..settings import data_dir
from .segments import SEGMENTS

FILE = "care_plans.yaml"
# a plan's fields in the file, with the words a teacher sees in a message
FIELDS = {"goal": "关怀目标", "who": "这类顾客是谁", "actions": "做法", "channel": "渠道", "frequency": "频率",
          "example": "示例消息", "avoid": "不要做的事"}
LISTS = ("actions", "avoid")
TOP = ("always_avoid", "plans")


class CarePlanError(DataFileError):
    """``data/care_plans.yaml`` is missing or invalid; the message names the file, the segment and the field."""


@dataclass(frozen=True)
class CarePlan:
    segment: str
    goal: str
    who: str                      # who these customers are, in a few words
    actions: tuple[str, ...]
    channel: str
    frequency: str
    example: str                  # an example 千牛 message (only the shop's real facts)
    avoid: tuple[str, ...]

    @property
    def summary(self) -> str:
        """One line for a table column: the goal and the main actions."""
        return f"{self.goal}：{'；'.join(self.actions)}。"

    def to_text(self) -> str:
        return "\n".join([f"【{self.segment}】目标：{self.goal}——{self.who}",
                          *(f"  · {a}" for a in self.actions),
                          f"  渠道：{self.channel}；频率：{self.frequency}",
                          f"  示例消息：{self.example}",
                          f"  不要：{'；'.join(self.avoid)}"])


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise CarePlanError(f"{where}应是一段文字，不能空着（现在是「{_shown(value)}」）。")
    return value.strip()


def _texts(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        raise CarePlanError(f"{where}应是一个列表，至少写一条，每条一行、以“- ”开头（现在是「{_shown(value)}」）。")
    return tuple(_text(item, f"{where}第{number}条") for number, item in enumerate(value, 1))


def _shown(value: Any) -> str:
    """What was written instead, in a few words."""
    if value is None or (isinstance(value, (str, dict, list)) and not value):
        return "空"
    if isinstance(value, (dict, list)):
        return "几项内容" if isinstance(value, dict) else "一个列表"
    text = str(value)
    return text if len(text) <= 30 else text[:30] + "…"


def _names(raw: dict, allowed, where: str, kind: str = "项目", note: str = "") -> None:
    """Refuse unknown names first (a misspelt one would otherwise read as a missing one), then missing ones."""
    unknown = [str(k) for k in raw if k not in allowed]
    if unknown:
        raise CarePlanError(f"{where}有不认识的{kind}「{'」「'.join(unknown)}」，只能写 {'、'.join(allowed)}。")
    missing = [k for k in allowed if k not in raw]
    if missing:
        raise CarePlanError(f"{where}缺少{kind} {'、'.join(missing)}{note}。")


def _plan(segment: str, raw: Any, always: tuple[str, ...], shown: str) -> CarePlan:
    where = f"{shown}：{segment} "
    if not isinstance(raw, dict):
        raise CarePlanError(f"{where}应写 {'、'.join(FIELDS)} 这几项（现在是「{_shown(raw)}」）。")
    _names(raw, tuple(FIELDS), where)
    value = {key: (_texts if key in LISTS else _text)(raw[key], f"{where}的 {key}（{label}）")
             for key, label in FIELDS.items()}
    return CarePlan(segment, value["goal"], value["who"], value["actions"], value["channel"], value["frequency"],
                    value["example"], (*value["avoid"], *always))


def parse_care_plans(raw: Any, shown: str = FILE) -> dict[str, CarePlan]:
    """Check the parsed YAML of the care plans strictly and build them, in :data:`SEGMENTS` order.

    The file holds ``always_avoid`` (what no segment's plan may do, added at the end of every
    ``avoid``) and ``plans``: exactly the eight segments, each with every field of
    :data:`FIELDS` as non-empty text or a non-empty list of texts.  Anything else raises
    :class:`CarePlanError` with a Chinese message naming ``shown``, the segment and the field.
    """
    if not isinstance(raw, dict):
        raise CarePlanError(f"{shown}：应写 always_avoid 和 plans 两项（见文件开头的说明）。")
    _names(raw, TOP, f"{shown}：")
    always = _texts(raw["always_avoid"], f"{shown}：always_avoid（每一类都不要做的事）")
    plans = raw["plans"]
    names = tuple(SEGMENTS.values())
    if not isinstance(plans, dict):
        raise CarePlanError(f"{shown}：plans 应按客户类型各写一段，例如“重要价值客户:”下面写这一类的计划。")
    _names(plans, names, f"{shown}：plans 里", "客户类型", "（八类客户都要写）")
    return {name: _plan(name, plans[name], always, shown) for name in names}


def _read() -> dict[str, CarePlan]:
    return parse_care_plans(read_yaml(data_dir() / FILE, FILE, CarePlanError), FILE)


@lru_cache(maxsize=1)
def care_plans() -> dict[str, CarePlan]:
    """The 关怀计划 of ``data/care_plans.yaml`` by segment (read once per process)."""
    return _read()


def validate_care_plans() -> list[str]:
    """The problem of ``data/care_plans.yaml`` (a Chinese message), empty when it loads; never cached."""
    try:
        _read()
    except CarePlanError as error:
        return [str(error)]
    return []


if TYPE_CHECKING:
    CARE_PLANS: dict[str, CarePlan]


def __getattr__(name: str) -> Any:
    """``CARE_PLANS``: the plans of :func:`care_plans`, read on first use (PEP 562), not at import."""
    if name == "CARE_PLANS":
        return care_plans()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
