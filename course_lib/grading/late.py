"""Late work: when a submission was handed in, each unit's due date, and the penalty rule.

All times are Beijing time (UTC+8, no daylight saving), whatever the machine's time zone:
a school server often runs on UTC, and a due date of ``2025-03-10 23:59`` means the
teacher's 23:59.

**When was it handed in** (:func:`time_in_name`, :meth:`Deadlines.submitted`): a time that
a learning platform wrote into the exported file's name wins; otherwise the time the grader
recorded for the file (its modification time, or the time stored in a zip export).  Names
are searched file name first, then the folders from the nearest; the first time found
counts.  Accepted forms (a date alone is not enough, and the parts need separators, so a
学号 is never read as a time):

- ``attempt_2025-03-10-23-59-12`` (Blackboard's download), and in general
  ``2025-03-10-23-59-12``, ``2025-03-10_23-59``, ``2025-03-10 23.59.12``,
  ``2025-03-10T23-59-12``, ``2025_03_10_23_59``;
- ``2025年3月10日23时59分``, ``2025年3月10日 23点59分08秒``.

A student could type such a time into their own file name; with a platform that writes no
time into names, set ``time_source: file`` (use only the recorded file time).

**The penalty rule** (:class:`LateRule`, teacher-editable in the course YAML): handed in
later than the due date plus ``grace_minutes`` is late; every started day late
(``ceil(lateness ÷ 24 h)``, counted from the due date) takes ``per_day`` points off the
unit's 百分制 score, at most ``max_deduction`` points and never below 0; later than
``zero_after_days`` days scores 0.  Without a YAML the rule is 10 points a day, at most 30.

>>> rule = LateRule()
>>> due = parse_due("2025-03-10 23:59", "u01")
>>> late = lateness(parse_time("2025-03-12 08:00:00"), due, rule)
>>> late.days, late.deduction, late.apply(85)
(2, 20, Fraction(65, 1))
>>> time_in_name("作业1_20230101_attempt_2025-03-10-23-59-12_01_intro.ipynb")
'2025-03-10 23:59:12'
>>> time_in_name("20230101_张三_01.ipynb") is None
True
"""
from __future__ import annotations

import json
import math
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from fractions import Fraction
from pathlib import PurePosixPath

from .identity import first_zip, uploader_id

BEIJING = timezone(timedelta(hours=8))
FORMAT = "%Y-%m-%d %H:%M:%S"
_SEP = r"[-_.]"
_NAME_TIMES = [
    re.compile(rf"(?<!\d)(\d{{4}})({_SEP})(\d{{1,2}})\2(\d{{1,2}})[ _T-](\d{{1,2}}){_SEP}(\d{{2}})(?:{_SEP}(\d{{2}}))?(?!\d)"),
    re.compile(r"(?<!\d)(\d{4})(年)(\d{1,2})月(\d{1,2})日\s*(\d{1,2})[时点](\d{1,2})分(?:(\d{1,2})秒)?"),
]
TIME_SOURCES = {"auto": "文件名中的时间优先，没有时用文件时间", "file": "只用文件时间（修改时间或压缩包里记录的时间）"}


class LateError(ValueError):
    """A due date or a late rule is unusable; ``str(error)`` is a Chinese message."""


def beijing(seconds: float) -> str:
    """A file time (seconds since the epoch) as Beijing time, ``YYYY-MM-DD HH:MM:SS``; ``''`` (time
    unknown) for a time no calendar holds — a file system may store one, and one file must not stop a batch.

    >>> beijing(0)
    '1970-01-01 08:00:00'
    >>> beijing(300_000_000_000), beijing(float("nan"))
    ('', '')
    """
    try:
        return datetime.fromtimestamp(seconds, BEIJING).strftime(FORMAT)
    except (OverflowError, ValueError, OSError):
        return ""


def parse_time(text: str) -> datetime | None:
    """A stored time ``YYYY-MM-DD HH:MM:SS`` (``None`` when empty or unreadable)."""
    try:
        return datetime.strptime(text.strip(), FORMAT)
    except (ValueError, AttributeError):
        return None


def time_in_name(rel: str) -> str | None:
    """The time a learning platform wrote into a path (see the module docstring), or ``None``.

    Inside a zip a student uploaded into their own folder the names are the student's: only the zip's
    name and the folders around it count (a learning platform's export zip keeps its inner names).

    >>> time_in_name("张三_20230101_作业_2025-03-10-23-59-12.zip/作业_2099-01-01-00-00-00.ipynb")
    '2099-01-01 00:00:00'
    >>> time_in_name("张三_20230101_files/作业_2025-03-10-23-59-12.zip/作业_2099-01-01-00-00-00.ipynb")
    '2025-03-10 23:59:12'
    """
    parts = [unicodedata.normalize("NFKC", p) for p in PurePosixPath(rel).parts]
    inside = first_zip(parts)
    if inside is not None and uploader_id(rel):
        parts = parts[:inside + 1]
    for part in [*parts[-1:], *reversed(parts[:-1])]:
        for pattern in _NAME_TIMES:
            for m in pattern.finditer(part):
                year, _, month, day, hour, minute, second = m.groups()
                try:
                    when = datetime(int(year), int(month), int(day), int(hour), int(minute), int(second or 0))
                except ValueError:
                    continue
                return when.strftime(FORMAT)
    return None


def parse_due(value, unit: str) -> datetime:
    """A due date from YAML or the command line: ``2025-03-10 23:59`` (seconds optional, ``T``
    allowed); a date alone means the end of that day (23:59:59).

    >>> parse_due("2025-03-10", "u01")
    datetime.datetime(2025, 3, 10, 23, 59, 59)
    >>> parse_due("3月10日", "u01")
    Traceback (most recent call last):
    ...
    course_lib.grading.late.LateError: 单元u01的截止时间“3月10日”看不懂，请写成 2025-03-10 23:59 这样（北京时间）。
    """
    if isinstance(value, datetime):
        return value.replace(tzinfo=None, microsecond=0)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, 23, 59, 59)
    text = unicodedata.normalize("NFKC", str(value)).strip().replace("T", " ")
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"):
        try:
            when = datetime.strptime(text, fmt)
        except ValueError:
            continue
        return when.replace(hour=23, minute=59, second=59) if fmt == "%Y-%m-%d" else when
    raise LateError(f"单元{unit}的截止时间“{str(value)[:40]}”看不懂，请写成 2025-03-10 23:59 这样（北京时间）。")


def _number(raw: dict, key: str, default, integer: bool = False, optional: bool = False):
    value = raw.get(key, default)
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0 or (integer and value != int(value)):
        kind = "不小于0的整数" if integer else "不小于0的数"
        raise LateError(f"迟交规则 late.{key} 应是{kind}，现在是“{value}”。")
    return int(value) if integer else value


@dataclass(frozen=True)
class LateRule:
    """The penalty rule of the module docstring; every number is teacher-editable."""

    grace_minutes: int = 0
    per_day: float = 10
    max_deduction: float = 30
    zero_after_days: int | None = None
    time_source: str = "auto"

    @classmethod
    def from_yaml(cls, raw) -> LateRule:
        if raw is None:
            return cls()
        if not isinstance(raw, dict):
            raise LateError("迟交规则 late 应是若干“名称: 值”，例如 per_day: 10。")
        unknown = sorted(set(raw) - set(cls.__dataclass_fields__))
        if unknown:
            raise LateError(f"迟交规则 late 里有不认识的项：{'、'.join(map(str, unknown))}"
                            "（可用 grace_minutes、per_day、max_deduction、zero_after_days、time_source）。")
        source = raw.get("time_source", "auto")
        if source not in TIME_SOURCES:
            raise LateError(f"迟交规则 late.time_source 应是 auto 或 file，现在是“{source}”。")
        return cls(_number(raw, "grace_minutes", 0, integer=True), _number(raw, "per_day", 10),
                   _number(raw, "max_deduction", 30), _number(raw, "zero_after_days", None, True, True), source)

    def text(self) -> str:
        """The rule in one Chinese sentence (for feedback and reports)."""
        grace = f"截止后{self.grace_minutes}分钟内不算迟交；" if self.grace_minutes else ""
        zero = f"迟交超过{self.zero_after_days}天按0分计；" if self.zero_after_days is not None else ""
        return (f"{grace}每迟交1天（不足1天按1天算）从本单元的百分制成绩中扣{_num(self.per_day)}分，"
                f"最多扣{_num(self.max_deduction)}分，扣到0分为止；{zero}时间一律按北京时间。")


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


@dataclass(frozen=True)
class Late:
    """How late one submission was: ``days`` started days (0: on time), the points deducted
    from the unit's 百分制 score, and ``zero`` when it was too late to count."""

    days: int = 0
    deduction: float = 0
    zero: bool = False

    def apply(self, percent) -> Fraction:
        """The 百分制 score after the penalty (never below 0), exactly."""
        if self.zero:
            return Fraction(0)
        return max(Fraction(0), Fraction(str(percent)) - Fraction(str(self.deduction)))

    def text(self) -> str:
        if not self.days:
            return "按时提交"
        if self.zero:
            return f"迟交{self.days}天，超过规定天数，本单元按0分计"
        return f"迟交{self.days}天，扣{_num(self.deduction)}分（百分制）"


def lateness(submitted: datetime | None, due: datetime, rule: LateRule) -> Late:
    """Apply ``rule``: on time, or the days late and the deduction (an unknown time is on time)."""
    if submitted is None or submitted - due <= timedelta(minutes=rule.grace_minutes):
        return Late()
    days = math.ceil((submitted - due) / timedelta(days=1))
    if rule.zero_after_days is not None and days > rule.zero_after_days:
        return Late(days, 100, True)
    return Late(days, min(rule.per_day * days, rule.max_deduction))


@dataclass(frozen=True)
class Deadlines:
    """The due dates of a grading run (unit → time) with the rule; kept in the gradebook so a
    later run and the reports use the same ones."""

    due: dict[str, datetime] = field(default_factory=dict)
    rule: LateRule = LateRule()
    labelled: bool = False       # files start with the name of their results folder (:mod:`.collect`)

    def submitted(self, result) -> tuple[datetime | None, str]:
        """(when ``result`` was handed in, where that time comes from)."""
        file = result.file.split("/", 1)[-1] if self.labelled else result.file
        named = time_in_name(file) if self.rule.time_source == "auto" else None
        if named:
            return parse_time(named), "文件名中教学平台记录的时间"
        when = parse_time(getattr(result, "submitted", "") or "")
        if when is None:
            return None, "时间未知"
        if ".zip/" not in file.lower():
            return when, "文件修改时间"
        return when, "压缩包文件的修改时间" if uploader_id(file) else "压缩包里记录的时间"

    def late(self, result) -> Late | None:
        """The lateness of ``result`` (``None`` when its unit has no due date)."""
        due = self.due.get(result.unit)
        return None if due is None else lateness(self.submitted(result)[0], due, self.rule)

    def lines(self, result) -> list[str]:
        """Markdown lines for the feedback of ``result`` (none without a due date)."""
        late = self.late(result)
        if late is None:
            return []
        when, source = self.submitted(result)
        shown = when.strftime("%Y-%m-%d %H:%M") if when else "未知"
        lines = [f"- 提交时间：{shown}（{source}）", f"- 截止时间：{self.due[result.unit]:%Y-%m-%d %H:%M}（北京时间）"]
        if late.days:
            lines.append(f"- 迟交：{late.text()}。迟交规则：{self.rule.text()}")
            if getattr(result, "max", 0):
                percent = Fraction(str(result.total)) / Fraction(str(result.max)) * 100
                lines.append(f"- 本单元计入成绩：{_num(round(float(percent), 2))} → {_num(round(float(late.apply(percent)), 2))}"
                             "（百分制，扣除迟交后）")
        return lines

    def to_json(self) -> str:
        return json.dumps({"due": {u: d.strftime(FORMAT) for u, d in sorted(self.due.items())},
                           "rule": {k: getattr(self.rule, k) for k in LateRule.__dataclass_fields__}},
                          ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Deadlines | None:
        if not text:
            return None
        raw = json.loads(text)
        return cls({u: parse_due(d, u) for u, d in raw["due"].items()}, LateRule.from_yaml(raw["rule"]))


def due_option(text: str) -> tuple[str, datetime]:
    """``--due u01=2025-03-10 23:59`` → ('u01', the time); :class:`LateError` in Chinese.

    >>> due_option("u01=2025-03-10T23:59")
    ('u01', datetime.datetime(2025, 3, 10, 23, 59))
    """
    unit, sep, when = unicodedata.normalize("NFKC", text).partition("=")
    unit = unit.strip().lower()
    if not sep or not re.fullmatch(r"u\d\d", unit):
        raise LateError(f"--due 应写成 单元=截止时间，例如 --due \"u01=2025-03-10 23:59\"，现在是“{text[:40]}”。")
    return unit, parse_due(when, unit)
