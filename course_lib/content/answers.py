"""Parse what students type into canonical answers.

Every parser takes any Python object and either returns a canonical value
(``str``, ``bool``, ``float``, ``tuple`` or ``dict`` of plain strings) or raises
:class:`AnswerFormatError` with a Chinese message.  ``...`` (and an empty string)
raises :class:`Unanswered`.  No other exception escapes, whatever the input, and
the student's own objects are never compared (their ``__eq__`` is not trusted).

>>> parse_choices("ａ、c", "ABCDE", multiple=True)
('A', 'C')
>>> parse_choices(["C", "a"], "ABCDE", multiple=True)
('A', 'C')
>>> parse_choices("B", "ABCD", multiple=False)
('B',)
>>> parse_truefalse("对")
True
>>> parse_ordering("C→A→D→B", "ABCD")
('C', 'A', 'D', 'B')
>>> parse_matching("1-B，2-A", ["1", "2"], "AB")
{'1': 'B', '2': 'A'}
>>> parse_number("７.９%")
7.9
>>> parse_choices(..., "AB", multiple=False)
Traceback (most recent call last):
...
course_lib.content.answers.Unanswered: 尚未作答
"""
from __future__ import annotations

import math
import numbers
import re
from collections.abc import Iterable

from ..settings import standards
from ..text import plain_str, to_halfwidth

MAX_ITEMS = 50       # elements allowed in a list or dict answer


class AnswerFormatError(ValueError):
    """The answer has the wrong form; ``str(error)`` is a Chinese message for the student."""


class Unanswered(AnswerFormatError):
    """The answer is still ``...`` (or empty)."""

    def __init__(self, message: str = "尚未作答") -> None:
        super().__init__(message)


_FILLERS = ("答案是", "答案为", "答案", "我选", "选项", "选择", "应选", "选")
_SEPARATORS = re.compile(r"[\s,;.:/|+&、;。:'\"“”‘’()\[\]{}（）【】《》<>\-—_=→>和与及或以]+")
_NUMBER = re.compile(r"^(?:约|大约|大概|等于|为|是)?([+-]?(?:\d+(?:\.\d*)?|\.\d+))(?:[eE]([+-]?\d+))?(%|[^\d]{0,6})$")
_PAIR = re.compile(r"(\d+)\s*[^\dA-Za-z]*\s*([A-Za-z])")


def _is_unanswered(value: object) -> bool:
    return value is Ellipsis or value is None or (isinstance(value, str) and not plain_str(value).strip())


def _short_text(value: object, what: str) -> str:
    """An exact, half-width, upper-case str from a str answer, or a format error."""
    if isinstance(value, bool) or not isinstance(value, str):
        raise AnswerFormatError(f"{what}请写成字符串，例如\"AC\"（记得加英文引号）。")
    text = plain_str(value)
    if len(text) > standards().answer_limit:
        raise AnswerFormatError(f"答案太长了（{len(text)}个字符），{what}只需要写选项字母。")
    return to_halfwidth(text).upper()


def _letters(text: str, valid: str, what: str) -> list[str]:
    """The letters of ``text`` in order, after dropping separators and filler words."""
    for filler in _FILLERS:
        text = text.replace(filler, " ")
    text = _SEPARATORS.sub("", text)
    if not text:
        raise Unanswered()
    bad = list(dict.fromkeys(ch for ch in text if ch not in valid))       # in the order the student typed
    if bad:
        if all(ch.isascii() for ch in bad):
            shown = "、".join(bad[:5])
        else:                                   # words, not letters: show what was typed (“是男士还是女士送”)
            shown = text if len(text) <= 12 else text[:12] + "…"
        span = f"{valid[0]}–{valid[-1]}" if len(valid) > 2 else "、".join(valid)
        raise AnswerFormatError(f"无法识别「{shown}」：{what}的选项只有{span}。")
    return list(text)


def _sequence(value: object, valid: str, what: str) -> list[str]:
    """Letters from a string or from a list/tuple/set of strings."""
    if isinstance(value, (list, tuple, set, frozenset)):
        items = list(value)
        if len(items) > MAX_ITEMS:
            raise AnswerFormatError(f"列表太长了（{len(items)}项）。")
        if not items:
            raise Unanswered()
        out: list[str] = []
        for item in items:
            if _is_unanswered(item):
                raise Unanswered()
            out.extend(_letters(_short_text(item, what), valid, what))
        return out
    if _is_unanswered(value):
        raise Unanswered()
    return _letters(_short_text(value, what), valid, what)


def parse_choices(value: object, valid: Iterable[str], multiple: bool) -> tuple[str, ...]:
    """Chosen option letters, sorted and without repeats.

    >>> parse_choices("C,A", "ABCD", multiple=True)
    ('A', 'C')
    >>> parse_choices("AB", "ABCD", multiple=False)
    Traceback (most recent call last):
    ...
    course_lib.content.answers.AnswerFormatError: 单选题只能选一个选项，你写了A、B。
    """
    valid = "".join(valid)
    what = "多选题" if multiple else "单选题"
    chosen = tuple(sorted(set(_sequence(value, valid, what))))
    if not multiple and len(chosen) > 1:
        raise AnswerFormatError(f"单选题只能选一个选项，你写了{'、'.join(chosen)}。")
    return chosen


_TRUE = {"对", "正确", "是", "√", "✓", "✔", "T", "TRUE", "Y", "YES", "1", "对的", "正确的"}
_FALSE = {"错", "错误", "否", "不对", "×", "✗", "✘", "X", "F", "FALSE", "N", "NO", "0", "错的", "不正确"}


def parse_truefalse(value: object) -> bool:
    """True/False from ``True``, ``"对"``, ``"√"``, ``"F"``, ``0`` …

    >>> parse_truefalse("×"), parse_truefalse(True), parse_truefalse(" 正确 ")
    (False, True, True)
    """
    if _is_unanswered(value):
        raise Unanswered()
    if isinstance(value, bool):
        return bool(value)
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        try:
            number = int(value)
        except Exception:  # a hostile __int__
            number = None
        if number in (0, 1):
            return number == 1
    if isinstance(value, str):
        word = _SEPARATORS.sub("", to_halfwidth(plain_str(value)[:standards().answer_limit]).upper())
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
    raise AnswerFormatError("判断题请写True或False（也可以写“对”或“错”）。")


def parse_ordering(value: object, keys: Iterable[str]) -> tuple[str, ...]:
    """A permutation of ``keys`` in the order the student gave.

    >>> parse_ordering(["b", "a"], "AB")
    ('B', 'A')
    >>> parse_ordering("ABA", "ABC")
    Traceback (most recent call last):
    ...
    course_lib.content.answers.AnswerFormatError: 排序题每个选项只能出现一次：A重复了；还缺少C。
    >>> parse_ordering("AB", "ABC")
    Traceback (most recent call last):
    ...
    course_lib.content.answers.AnswerFormatError: 排序题要把每个选项都排进去，每个只出现一次：还缺少C。
    """
    keys = "".join(keys)
    order = _sequence(value, keys, "排序题")
    repeated = sorted({k for k in order if order.count(k) > 1})
    missing = [k for k in keys if k not in order]
    if repeated or missing:
        parts = []
        if repeated:
            parts.append(f"{'、'.join(repeated)}重复了")
        if missing:
            parts.append(f"还缺少{'、'.join(missing)}")
        rule = "排序题要把每个选项都排进去，每个只出现一次：" if missing and not repeated else "排序题每个选项只能出现一次："
        raise AnswerFormatError(rule + "；".join(parts) + "。")
    return tuple(order)


def _match_key(value: object) -> str:
    if isinstance(value, bool):
        raise AnswerFormatError("连线题左边的编号应是 1、2、3 这样的数字。")
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, str):
        return _SEPARATORS.sub("", to_halfwidth(plain_str(value)[:standards().answer_limit]))
    raise AnswerFormatError("连线题左边的编号应是 1、2、3 这样的数字。")


def parse_matching(value: object, left: Iterable[str], right: Iterable[str]) -> dict[str, str]:
    """``{left key: right letter}`` from a dict or a string like ``"1-B, 2-A"``.

    >>> parse_matching({1: "b", "2": "Ａ"}, ["1", "2"], "AB")
    {'1': 'B', '2': 'A'}
    """
    left = [str(k) for k in left]
    right = "".join(right)
    if _is_unanswered(value):
        raise Unanswered()
    pairs: list[tuple[str, str]] = []
    if isinstance(value, dict):
        if len(value) > MAX_ITEMS:
            raise AnswerFormatError("连线题的字典太长了。")
        for k, v in list(dict.items(value)):
            if _is_unanswered(v):
                raise Unanswered("尚未作答：还有没连上的项。")
            letters = _letters(_short_text(v, "连线题"), right, "连线题")
            if len(letters) != 1:
                raise AnswerFormatError("连线题每一项只能对应一个字母。")
            pairs.append((_match_key(k), letters[0]))
    elif isinstance(value, str):
        text = to_halfwidth(plain_str(value)[:standards().answer_limit]).upper()
        pairs = [(a, b) for a, b in _PAIR.findall(text)]
        if not pairs:
            raise AnswerFormatError("连线题请写成字典，例如{\"1\": \"B\", \"2\": \"A\"}。")
        for _, letter in pairs:
            if letter not in right:
                raise AnswerFormatError(f"无法识别「{letter}」：连线题右边只有{right[0]}–{right[-1]}。")
    else:
        raise AnswerFormatError("连线题请写成字典，例如{\"1\": \"B\", \"2\": \"A\"}。")
    result: dict[str, str] = {}
    for k, v in pairs:
        if k not in left:
            raise AnswerFormatError(f"连线题左边没有编号「{k}」，只有{'、'.join(left)}。")
        if k in result:
            raise AnswerFormatError(f"编号{k}连了两次。")
        result[k] = v
    missing = [k for k in left if k not in result]
    if missing:
        raise AnswerFormatError(f"还有编号{'、'.join(missing)}没有连线。")
    return {k: result[k] for k in left}


def parse_number(value: object) -> float:
    """A finite float from a number or a string like ``"7.9%"``, ``"约3456.7亿元"``, ``"1,680"``.

    >>> parse_number(3456.78), parse_number("1，680 万人"), parse_number("约3456.7亿元")
    (3456.78, 1680.0, 3456.7)
    """
    if _is_unanswered(value):
        raise Unanswered()
    if isinstance(value, bool):
        raise AnswerFormatError("这里需要一个数字，而不是 True/False。")
    if hasattr(value, "shape") and not isinstance(value, numbers.Real):
        raise AnswerFormatError("这里需要一个数字，而不是一张表或一列数据。请用.iloc[0]取出具体的数。")
    if isinstance(value, numbers.Real):
        try:
            number = float(value)
        except Exception:  # a hostile __float__
            raise AnswerFormatError("无法把这个答案当作数字。") from None
    elif isinstance(value, str):
        text = to_halfwidth(plain_str(value)[:standards().answer_limit])
        text = re.sub(r"[\s,]", "", text)
        match = _NUMBER.match(text)
        if not match:
            raise AnswerFormatError(f"无法把「{plain_str(value)[:20]}」当作数字，请只写一个数（可以带小数点），不要写汉字。")
        mantissa, exponent, _ = match.groups()
        number = float(mantissa + (f"e{exponent}" if exponent else ""))
    else:
        raise AnswerFormatError("这里需要一个数字，不加引号也可以，例如answer_e2 = 12.5。")
    if not math.isfinite(number):
        raise AnswerFormatError("这个数不是有效数字（NaN 或无穷大），请检查计算过程。")
    return number


def parse_text(value: object) -> str:
    """A stripped reply text of at most ``standards().reply_limit`` (2000) characters.

    >>> parse_text("  您好！ ")
    '您好！'
    """
    if _is_unanswered(value):
        raise Unanswered()
    if not isinstance(value, str):
        raise AnswerFormatError("回复请写成字符串，放在三引号 \"\"\"……\"\"\" 之间。")
    text = plain_str(value)
    limit = standards().reply_limit
    if len(text) > limit:
        raise AnswerFormatError(f"回复太长了（{len(text)}个字符），客服回复请控制在{limit}字以内。")
    return text.strip()
