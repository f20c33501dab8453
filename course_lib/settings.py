"""The one home of the course's settings: where its data lives, the environment variables
it reads, and the teacher-editable standards.

The standards live in ``data/standards.yaml`` (response standards, reply lengths, holidays,
grader limits, unit titles) and are read once, on first use, by :func:`standards`.  The
package is installed from the repository (``pip install -e .``), so the data folder is the
``data/`` next to ``course_lib/``; ``COURSE_DATA`` moves it (the grader and the student
edition use that).

>>> s = standards()
>>> s.first_response, s.average_response, s.reply_limit
(10.0, 35.0, 2000)
>>> s.unit_titles["u10"]
'催付与订单处理'
>>> parse_standards({"response": {"first_seconds": -1}})
Traceback (most recent call last):
...
course_lib.files.DataFileError: standards.yaml：response.first_seconds 应是正数。
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date, time
from functools import lru_cache
from pathlib import Path
from typing import Any

from .files import DataFileError, read_yaml

# environment variables read by the course
ENV_MODE = "COURSE_MODE"            # "grade": check() compares with the key; "collect": the grader collects
ENV_DATA = "COURSE_DATA"            # another data folder (the student edition, the grader's box)
ENV_PROGRESS = "COURSE_PROGRESS"    # the practice progress file
ENV_ANSWERS = "COURSE_ANSWERS"      # where check() writes collected answers (collect mode)

FILE = "standards.yaml"


def repo_dir() -> Path:
    """The repository root (parent of ``course_lib/``)."""
    return Path(__file__).resolve().parent.parent


def data_dir() -> Path:
    """The folder holding datasets, question banks, scenarios and the standards."""
    override = os.environ.get(ENV_DATA)
    return Path(override) if override else repo_dir() / "data"


@dataclass(frozen=True)
class Standards:
    """The values of ``data/standards.yaml`` (see that file for what each one means)."""

    first_response: float = 10.0
    average_response: float = 35.0
    reply_min_chars: int = 10
    reply_max_chars: int = 150
    reply_limit: int = 2000
    answer_limit: int = 200
    good_reply: int = 90
    holidays: frozenset[date] = frozenset()
    shipping_cutoff: time = time(16, 0)
    cell_timeout: int = 30
    submission_timeout: int = 180
    max_submission_bytes: int = 20 * 1024 ** 2
    max_files_per_unit: int = 3
    max_answers_bytes: int = 2 * 1024 ** 2
    output_cap: int = 200_000
    memory_limit_bytes: int = 4 * 1024 ** 3
    file_limit_bytes: int = 50 * 1024 ** 2
    unit_titles: dict[str, str] = field(default_factory=dict, compare=False)


def _number(raw: dict, section: str, key: str, default: float, integer: bool = False) -> Any:
    value = (raw.get(section) or {}).get(key, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0 or (
            integer and not isinstance(value, int)):
        kind = "正整数" if integer else "正数"
        raise DataFileError(f"{FILE}：{section}.{key} 应是{kind}。")
    return value


def parse_standards(raw: Any) -> Standards:
    """Validate the parsed YAML; a missing value keeps its default."""
    if raw is None:
        raw = {}
    if not isinstance(raw, dict) or not all(isinstance(v, (dict, type(None))) for v in raw.values()):
        raise DataFileError(f"{FILE}：应分成 response、reply、shop、grader、units 几节，每节是一个字典。")
    d = Standards()
    holidays = (raw.get("shop") or {}).get("holidays", [])
    if not isinstance(holidays, list) or not all(isinstance(h, date) for h in holidays):
        raise DataFileError(f"{FILE}：shop.holidays 应是日期列表，每行写一个日期，例如 - 2025-10-01。")
    cutoff = str((raw.get("shop") or {}).get("shipping_cutoff", "16:00"))
    try:
        hour, minute = (int(x) for x in cutoff.split(":"))
        shipping_cutoff = time(hour, minute)
    except ValueError:
        raise DataFileError(f"{FILE}：shop.shipping_cutoff 应写成“16:00”这样的时间（加引号）。") from None
    units = raw.get("units") or {}
    if not all(isinstance(k, str) and isinstance(v, str) and v for k, v in units.items()):
        raise DataFileError(f"{FILE}：units 应写成“u01: 单元标题”。")
    low = _number(raw, "reply", "min_chars", d.reply_min_chars, True)
    high = _number(raw, "reply", "max_chars", d.reply_max_chars, True)
    if low > high:
        raise DataFileError(f"{FILE}：reply.min_chars 不能大于 reply.max_chars。")
    mb = 1024 ** 2
    return Standards(
        first_response=float(_number(raw, "response", "first_seconds", d.first_response)),
        average_response=float(_number(raw, "response", "average_seconds", d.average_response)),
        reply_min_chars=low, reply_max_chars=high,
        reply_limit=_number(raw, "reply", "limit_chars", d.reply_limit, True),
        answer_limit=_number(raw, "reply", "answer_limit_chars", d.answer_limit, True),
        good_reply=_number(raw, "reply", "good_score", d.good_reply, True),
        holidays=frozenset(holidays), shipping_cutoff=shipping_cutoff,
        cell_timeout=_number(raw, "grader", "cell_timeout_seconds", d.cell_timeout, True),
        submission_timeout=_number(raw, "grader", "submission_timeout_seconds", d.submission_timeout, True),
        max_submission_bytes=_number(raw, "grader", "max_submission_mb", 20, True) * mb,
        max_files_per_unit=_number(raw, "grader", "max_files_per_unit", d.max_files_per_unit, True),
        max_answers_bytes=_number(raw, "grader", "max_answers_kb", 2048, True) * 1024,
        output_cap=_number(raw, "grader", "output_cap_chars", d.output_cap, True),
        memory_limit_bytes=_number(raw, "grader", "memory_limit_mb", 4096, True) * mb,
        file_limit_bytes=_number(raw, "grader", "file_limit_mb", 50, True) * mb,
        unit_titles=dict(units),
    )


@lru_cache(maxsize=1)
def standards() -> Standards:
    """The course standards from ``data/standards.yaml`` (read once per process)."""
    return parse_standards(read_yaml(data_dir() / FILE, FILE))
