"""The typing drill of unit 02: committed Chinese characters per minute and accuracy.

A student types a passage with a Chinese input method (IME).  What the drill receives is
the text in the box when he hands in, and the time taken.  Only **committed Chinese
characters** count: letters left over from an unfinished IME composition (``ni``,
``shi'``), punctuation, digits and spaces are neither counted nor errors; the letter runs
are listed so the student learns to commit every character.

The rules (stated in the notebook before any question uses them; the numbers are
:class:`TypingRules`, which a teacher sets in ``data/typing/u02.yaml``):

1. **Align, then count.** The typed characters are aligned to the start of the passage
   with the fewest errors (wrong + missing + extra characters; on a tie the alignment with
   more correct characters).  The untyped rest of the passage is not missing.  So a
   skipped character costs one error, not every character after it.
2. **Accuracy** = correct ÷ (correct + wrong + missing + extra).
3. **Speed** (字/分) = correct characters ÷ minutes, one decimal; the gross speed counts
   every typed character.
4. **Level**: below ``min_accuracy`` (95%) always 未达标; otherwise by speed: 60 优秀,
   50 可以上岗, 40 及格, below 40 未达标.

>>> r = score_typing("客服要有耐心。", "客服要有耐心", seconds=12)
>>> r.correct, r.accuracy, r.speed
(6, 1.0, 30.0)
>>> r = score_typing("客服要有耐心", "客服要耐心", seconds=12)   # 漏了“有”：只错一个
>>> r.correct, r.missing, r.level
(5, 1, '未达标')
>>> r = score_typing("客服要有耐心", "客服yao有耐心", seconds=12)  # 没选字的拼音不算字
>>> r.correct, r.missing, r.leftovers
(5, 1, ('yao',))
"""
from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field

__all__ = ["TypingRules", "TypingInputError", "Step", "TypingResult", "DEFAULT_RULES", "is_han", "han_only",
           "latin_runs", "align", "score_typing"]

# CJK unified ideographs: basic block, extension A, compatibility ideographs, extensions B–H
_HAN_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x3134F))
_LATIN = re.compile(r"[A-Za-z']+")


class TypingInputError(ValueError):
    """What was given cannot be scored; the message is Chinese, for the student."""


@dataclass(frozen=True)
class TypingRules:
    """The drill's numbers.  ``levels`` from the highest: (lowest speed, level name)."""

    levels: tuple[tuple[float, str], ...] = ((60, "优秀"), (50, "可以上岗"), (40, "及格"))
    below: str = "未达标"
    min_accuracy: float = 0.95      # under it the level is always ``below``
    min_seconds: float = 10         # shorter: no speed can be computed
    max_seconds: float = 3600
    max_passage: int = 1000         # characters in a passage at most
    max_typed: int = 1000           # characters typed at most (not a whole book pasted in)
    implausible_speed: float = 200  # faster than this is likely pasted: the teacher should look


DEFAULT_RULES = TypingRules()


def is_han(ch: str) -> bool:
    """Whether ``ch`` is one Chinese character.

    >>> is_han("客"), is_han("，"), is_han("a"), is_han("3")
    (True, False, False, False)
    """
    if len(ch) != 1:
        return False
    code = ord(ch)
    return any(lo <= code <= hi for lo, hi in _HAN_RANGES)


def han_only(text: str) -> str:
    """The Chinese characters of ``text`` (NFKC first: a compatibility ideograph counts as its standard form).

    >>> han_only("亲，您好！Hello 123")
    '亲您好'
    """
    return "".join(ch for ch in unicodedata.normalize("NFKC", text) if is_han(ch))


def latin_runs(text: str) -> tuple[str, ...]:
    """Runs of letters in the box (full-width folded to ASCII): most likely pinyin never committed.

    >>> latin_runs("客服ｙａｏ有 nai'xin 心")
    ('yao', "nai'xin")
    """
    return tuple(_LATIN.findall(unicodedata.normalize("NFKC", text)))


@dataclass(frozen=True)
class Step:
    """One step of the alignment: ``kind`` 对 / 错 / 漏 / 多; the passage's and the typed character ('' if none)."""

    kind: str
    expected: str
    typed: str


def align(passage: str, typed: str) -> tuple[Step, ...]:
    """Align ``typed`` to the start of ``passage`` (both Chinese characters only).

    Cost = wrong + missing + extra characters, the least; on a tie the most correct
    characters; then the longest stretch of the passage (a wrong last character is
    wrong, not extra).  The passage after the end of the alignment does not count.

    >>> [s.kind for s in align("我们是禾悦", "我是禾")]
    ['对', '漏', '对', '对']
    >>> [s.kind for s in align("我们是", "我们们是")]
    ['对', '多', '对', '对']
    >>> [s.kind for s in align("我们是", "我门是")]
    ['对', '错', '对']
    >>> align("我们是", "")
    ()
    """
    n = len(typed)
    if n == 0:
        return ()
    # aligning to a prefix longer than 2n costs at least n+1 missing characters, more than
    # the n wrong characters of the first n: only the first 2n characters can matter
    p = passage[: 2 * n + 1]
    m = len(p)
    big = n + m + 1                     # cost = errors × big − correct: errors first, then correct characters
    prev = [j * big for j in range(m + 1)]
    moves: list[bytes] = [bytes([0] + [2] * m)]    # 0 diagonal (对/错), 1 down (多), 2 right (漏)
    for i in range(1, n + 1):
        cur = [i * big] + [0] * m
        mv = bytearray(m + 1)
        mv[0] = 1
        t = typed[i - 1]
        for j in range(1, m + 1):
            best, how = prev[j - 1] + (-1 if p[j - 1] == t else big), 0
            down = prev[j] + big
            if down < best:
                best, how = down, 1
            right = cur[j - 1] + big
            if right < best:
                best, how = right, 2
            cur[j] = best
            mv[j] = how
        prev = cur
        moves.append(bytes(mv))
    end = min(range(m + 1), key=lambda j: (prev[j], -j))
    steps: list[Step] = []
    i, j = n, end
    while i > 0 or j > 0:
        how = moves[i][j]
        if how == 0:
            steps.append(Step("对" if p[j - 1] == typed[i - 1] else "错", p[j - 1], typed[i - 1]))
            i, j = i - 1, j - 1
        elif how == 1:
            steps.append(Step("多", "", typed[i - 1]))
            i -= 1
        else:
            steps.append(Step("漏", p[j - 1], ""))
            j -= 1
    steps.reverse()
    return tuple(steps)


@dataclass(frozen=True)
class TypingResult:
    """One drill: the counts, the level and notes for the student; ``to_text()`` is the plain rendering."""

    seconds: float
    typed_han: int          # Chinese characters typed
    attempted: int          # characters of the passage the alignment reached
    correct: int
    wrong: int
    missing: int
    extra: int
    accuracy: float         # 0–1
    speed: float            # correct characters per minute, one decimal
    gross_speed: float      # typed characters per minute, one decimal
    level: str
    leftovers: tuple[str, ...] = ()
    suspicious: bool = False
    notes: tuple[str, ...] = ()
    steps: tuple[Step, ...] = field(default=(), repr=False)

    def to_text(self) -> str:
        minutes, secs = divmod(round(self.seconds), 60)
        lines = [
            f"用时：{minutes}分{secs:02d}秒；录入汉字{self.typed_han}个，对照到原文的{self.attempted}个字。",
            f"正确{self.correct}个，错字{self.wrong}个，漏字{self.missing}个，多字{self.extra}个；"
            f"正确率{self.accuracy * 100:.1f}%。",
            f"速度：{self.speed:.1f}字/分（录入速度{self.gross_speed:.1f}字/分）。等级：{self.level}。",
        ]
        return "\n".join(lines + list(self.notes))

    def marked(self, limit: int = 80) -> str:
        """The alignment in one line (at most ``limit`` steps): 错字 [原→打], 漏字 [漏原], 多字 [多打].

        >>> score_typing("我们是禾悦", "我门是禾悦", seconds=30).marked()
        '我[们→门]是禾悦'
        """
        marks = {"对": "{e}", "错": "[{e}→{t}]", "漏": "[漏{e}]", "多": "[多{t}]"}
        out = "".join(marks[s.kind].format(e=s.expected, t=s.typed) for s in self.steps[:limit])
        return out + ("……" if len(self.steps) > limit else "")


def _seconds(value: object, rules: TypingRules) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypingInputError("用时应是一个数字（单位：秒）。")
    if not math.isfinite(value):
        raise TypingInputError("用时不是有效的数字。")
    if value < rules.min_seconds:
        raise TypingInputError(f"用时不足{rules.min_seconds:g}秒，太短了，算不出速度：请继续打字，过一会儿再交卷。")
    if value > rules.max_seconds:
        raise TypingInputError(f"用时超过{rules.max_seconds / 60:g}分钟，请重新开始一次测速。")
    return float(value)


def score_typing(passage: str, typed: str | None, seconds: float, rules: TypingRules = DEFAULT_RULES) -> TypingResult:
    """Score one drill.  ``typed`` is everything in the box when the student hands in.

    Input that cannot be scored raises :class:`TypingInputError` (Chinese); an empty box is
    not an error: the result has 0 characters and says why.

    >>> r = score_typing("欢迎光临禾悦优选，请问有什么可以帮您？", "欢迎光临禾悦优选请问有什么可以帮您", seconds=20)
    >>> r.correct, r.speed, r.level
    (17, 51.0, '可以上岗')
    """
    if not isinstance(passage, str):
        raise TypingInputError("原文应是一段文字。")
    if typed is None:
        typed = ""
    if not isinstance(typed, str):
        raise TypingInputError("录入的内容应是文字。")
    secs = _seconds(seconds, rules)
    target = han_only(passage)
    if not target:
        raise TypingInputError("原文里没有汉字，不能用来测速。")
    if len(target) > rules.max_passage:
        raise TypingInputError(f"原文超过{rules.max_passage}个汉字，请换一段短一些的。")
    got = han_only(typed)
    if len(got) > rules.max_typed:
        raise TypingInputError(f"录入的汉字超过{rules.max_typed}个，不像是一次测速，请重新开始。")

    steps = align(target, got)
    count = {k: sum(1 for s in steps if s.kind == k) for k in ("对", "错", "漏", "多")}
    correct, wrong, missing, extra = count["对"], count["错"], count["漏"], count["多"]
    total = correct + wrong + missing + extra
    accuracy = correct / total if total else 0.0
    minutes = secs / 60
    speed, gross = round(correct / minutes, 1), round(len(got) / minutes, 1)
    leftovers = latin_runs(typed)

    notes: list[str] = []
    if not got:
        notes.append("没有录入汉字：请确认输入法已经选字上屏，再交卷。")
    if leftovers:
        shown = "、".join(leftovers[:5]) + ("等" if len(leftovers) > 5 else "")
        notes.append(f"发现{len(leftovers)}处字母（多半是没选字的拼音）：{shown}。它们不算字；"
                     "打字时记得按空格或数字键选字上屏。")
    if got and accuracy < rules.min_accuracy:
        level = rules.below
        notes.append(f"正确率{accuracy * 100:.1f}%，低于{rules.min_accuracy * 100:g}%：先求准，再求快。")
    else:
        level = next((name for low, name in rules.levels if speed >= low), rules.below)
    suspicious = speed > rules.implausible_speed
    if suspicious:
        notes.append(f"速度超过{rules.implausible_speed:g}字/分，不太像手工录入，请老师核实（是否粘贴了原文？）。")
    if got and correct == len(target) == total:
        notes.append("整段原文都打完了，而且全对！")
    return TypingResult(secs, len(got), correct + wrong + missing, correct, wrong, missing, extra, accuracy,
                        speed, gross, level, leftovers, suspicious, tuple(notes), steps)
