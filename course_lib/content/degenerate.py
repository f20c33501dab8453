"""Replies with no real content: repetition, symbols only, copying, greeting only.

Each check returns a Chinese reason quoting what triggered it, or ``""``.  The scorer
puts such a reply near zero (``degenerate.cap`` in ``data/rubric.yaml``).

>>> degenerate_reason("您您您您您您您您您您您")
'回复只是在重复「您」，没有实际内容。'
>>> degenerate_reason("😀😀👍")
'回复只有表情或符号，没有文字内容。'
>>> degenerate_reason("Hi, yes it ships today before 4pm.")
'回复里没有中文：顾客在淘宝上用中文咨询，请用中文回复。'
>>> degenerate_reason("在吗？你们家的蓝牙耳机是正品吗？", buyer="在吗？你们家的蓝牙耳机是正品吗？")
'回复基本是照抄顾客的话（「在吗你们家的蓝牙耳机是正品吗」），没有自己的回答。'
>>> degenerate_reason("您好，耳机是正品行货，可以在品牌官网查询序列号。", buyer="你们家的蓝牙耳机是正品吗？")
''
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from difflib import SequenceMatcher

from ..text import fold_reply

_CONTENT = re.compile(r"[0-9a-z\u3400-\u9fff]")
_CHINESE = re.compile(r"[\u3400-\u9fff]")
_LETTERS = re.compile(r"[a-z]")
MIN_COPY_BLOCK = 4            # shared stretches shorter than this are coincidence
COPY_SHARE = 0.8              # this share of the reply copied …
COPY_OWN_CHARS = 8            # … and fewer own characters than this → a copy
COPY_MIN_CHARS = 8            # copying a short phrase (a fact from the task card) is not a copy


def content(text: str) -> str:
    """Only the letters, digits and Chinese characters of the folded text."""
    return "".join(_CONTENT.findall(fold_reply(text)))


def repeated_unit(chars: str) -> str:
    """The unit (1–6 characters) whose back-to-back repeats cover ≥ 60% of ``chars``, or ''.

    >>> repeated_unit("好的好的好的好的"), repeated_unit("哈哈哈，您好，耳机是正品")
    ('好的', '')
    """
    if len(chars) < 4:
        return ""
    best, best_cover = "", 0
    for k in range(1, 7):
        cover, i, unit = 0, 0, ""
        while i + k <= len(chars):
            piece, reps = chars[i:i + k], 1
            while chars[i + reps * k:i + (reps + 1) * k] == piece:
                reps += 1
            if reps >= 3:
                cover += reps * k
                unit = unit or piece
                i += reps * k
            else:
                i += 1
        if cover > best_cover:
            best, best_cover = unit, cover
    if best_cover >= 0.6 * len(chars) or (len(chars) >= 8 and len(set(chars)) <= 2):
        return best or chars[:2]
    return ""


def copied_share(reply: str, source: str) -> tuple[int, str]:
    """How many characters of ``reply`` come from ``source`` in stretches of ≥ 4, and the longest stretch."""
    if not reply or not source:
        return 0, ""
    blocks = [b for b in SequenceMatcher(None, reply, source, autojunk=False).get_matching_blocks()
              if b.size >= MIN_COPY_BLOCK]
    longest = max(blocks, key=lambda b: b.size, default=None)
    return sum(b.size for b in blocks), (reply[longest.a:longest.a + longest.size] if longest else "")


def is_copy(reply: str, source: str) -> str:
    """The copied stretch when ``reply`` is mostly a copy of ``source``, else ''."""
    copied, longest = copied_share(reply, source)
    if copied >= max(COPY_MIN_CHARS, COPY_SHARE * len(reply)) and len(reply) - copied < COPY_OWN_CHARS:
        return longest
    return ""


def only_stock_phrases(chars: str, stock: Iterable[str]) -> bool:
    """True when little (≤ 3 characters) is left after removing the stock phrases."""
    rest = chars
    for phrase in sorted((content(p) for p in stock), key=len, reverse=True):
        if phrase:
            rest = rest.replace(phrase, "")
    return len(rest) <= 3


def degenerate_reason(text: str, *, buyer: str = "", task: str = "", stock: Iterable[str] = (),
                      made_a_point: bool = True) -> str:
    """Why ``text`` has no real content (``""`` when it has).

    ``made_a_point``: the reply answered the buyer's question (made a gate point, or any point
    when the item has no gates); a reply that did not and holds nothing but stock phrases
    (您好, 在的, 请问 …) is greeting-only.
    """
    chars = content(text)
    if not chars:
        return "回复只有表情或符号，没有文字内容。" if fold_reply(text) else ""
    if not _CHINESE.search(chars) and len(_LETTERS.findall(chars)) >= 3:
        return "回复里没有中文：顾客在淘宝上用中文咨询，请用中文回复。"
    unit = repeated_unit(chars)
    if unit:
        return f"回复只是在重复「{unit}」，没有实际内容。"
    copied = is_copy(chars, content(buyer))
    if copied:
        return f"回复基本是照抄顾客的话（「{copied}」），没有自己的回答。"
    copied = is_copy(chars, content(task))
    if copied:
        return f"回复基本是照抄题目或任务说明（「{copied}」），没有自己的回答。"
    if not made_a_point and only_stock_phrases(chars, stock):
        return "回复只有问候和客套话，没有回答顾客关心的事。"
    return ""
