"""The entries of a list section in a practice file, checked one by one.

>>> list(text_entries([{"id": " p1 ", "title": "开场", "n": 2}], "u02.yaml", "段原文", "id、title 两项",
...                   ("id", "title"), ValueError))
[({'id': ' p1 ', 'title': '开场', 'n': 2}, ('p1', '开场'))]
>>> list(text_entries([{"id": "p1"}], "u02.yaml", "段原文", "id、title 两项", ("id", "title"), ValueError))
Traceback (most recent call last):
...
ValueError: u02.yaml：第1段原文缺少 title（文字）。
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence


def text_entries(items: Sequence[object], where: str, what: str, form: str, keys: Sequence[str],
                 error: type[Exception]) -> Iterator[tuple[dict, tuple[str, ...]]]:
    """Each entry as (entry, its ``keys`` as stripped text), checked as it comes.

    An entry that is not a dict, or whose ``keys`` are not all non-blank text, raises
    ``error`` with a Chinese message: 「第i{what}应写成 {form}。」 or 「第i{what}缺少 key（文字）。」.
    """
    for i, item in enumerate(items, 1):
        if not isinstance(item, dict):
            raise error(f"{where}：第{i}{what}应写成 {form}。")
        for key in keys:
            if not isinstance(item.get(key), str) or not item[key].strip():
                raise error(f"{where}：第{i}{what}缺少 {key}（文字）。")
        yield item, tuple(item[key].strip() for key in keys)
