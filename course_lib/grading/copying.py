"""Copy hints for the class statistics: pairs of students whose own free-text replies, or whole
answer sets, are suspiciously alike.  A hint for the teacher to read, never a verdict.

A reply is compared by its letters, digits and Chinese characters
(:func:`~course_lib.content.degenerate.content`) without the stock phrases of ``data/rubric.yaml``
(您好, 亲, 欢迎光临 …, longest first, removed before anything else so that an added 亲 or 呢 does
not break a stretch).  Its **own** characters are those outside every stretch of ≥ 4 characters
shared with the task card, the buyer's message or the reference reply: copying those is not
copying a classmate (the scorer judges copying the task or the buyer; the reference reply is not
in the student edition and the scorer does not look for it), so two students who both copied the
reference have (almost) no own text and are never paired (:func:`prepare`); nor has a reply that
only repeats a word (抱歉抱歉抱歉…).

:func:`similarity` is the share of the own characters of both replies that lie in a stretch of
≥ 4 characters also found in the other reply.  Chosen over ``SequenceMatcher`` blocks and a
3-gram Jaccard because it uses the scorer's own copy rule (stretches of ≥ 4,
:data:`~course_lib.content.degenerate.MIN_COPY_BLOCK`), a reordered clause still matches (there
is no single alignment), a changed character costs little more than itself, text copied from the
task or reference counts for nothing, and it is symmetric.

>>> task = "买家问：你们家的蓝牙耳机是正品吗？数码小铺的耳机有独立的序列号，可以在品牌官网查询；享受全国联保。"
>>> stock = ["亲", "您好", "在的", "请问", "的", "哦", "哈", "呢"]
>>> a = prepare("亲，您好～我们店的耳机有独立的序列号，可以在品牌官网查询，您买回去先对着盒子上的防伪码查一下，"
...             "不满意随时找我哈", [task], stock)
>>> a.own_text()
'我们店 您买回去先对着盒子上防伪码查一下不满意随时找我'
>>> b = prepare("您好！我们店的耳机都是正品，您买回去先对着盒子上防伪码查一下哦，不满意就随时找我", [task], stock)
>>> c = prepare("在的亲，数码小铺的耳机是正品，有序列号可以在品牌官网查询，还有全国联保，请问您平时用来做什么呢", [task], stock)
>>> round(similarity(a, b), 2), similarity(a, b) == similarity(b, a), similarity(a, c), similarity(a, a)
(0.92, True, 0.0, 1.0)
>>> replies = {"甲": "我们店的耳机都是正品，您买回去先对着盒子上防伪码查一下，不满意随时找我",
...            "乙": "亲～我们店的耳机都是正品，您买回去先对着盒子上防伪码查一下哦，不满意随时找我", "丙": "亲，在的"}
>>> [(p.exercise, p.a, p.b) for p in text_pairs({"u01.e5": replies}, {"u01.e5": [task]}, stock)]
[('u01.e5', '乙', '甲')]
"""
from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property

from ..content.degenerate import MIN_COPY_BLOCK, content, repeated_unit
from .feedback import plain
from .results import graded_in, natural_key

MIN_OWN_CHARS = 15        # shorter own texts (理解您 + 有需要随时找我) coincide honestly
TEXT_SIMILAR = 0.6        # no two honest replies of tests/replies reach it; near-copies reach 0.7–1
SET_ITEMS = 2             # one identical wrong answer is chance; two independent items are worth a look
COMMON_WRONG = 0.25       # a wrong answer given by more than a quarter of the class is a common mistake


@dataclass(frozen=True)
class TextPair:
    """Two students' replies to one free-text exercise, with their similarity (0–1)."""

    exercise: str
    a: str
    b: str
    similarity: float
    text_a: str
    text_b: str


@dataclass(frozen=True)
class SetPair:
    """Two students whose answer sets share rare identical wrong answers and similar replies."""

    a: str
    b: str
    same_wrong: tuple[str, ...]       # exercise ids with the same rare wrong answer
    similar_texts: tuple[str, ...]    # free-text exercise ids in :func:`text_pairs`
    compared: int                     # exercises both students answered

    @property
    def items(self) -> int:
        return len(self.same_wrong) + len(self.similar_texts)


Copies = tuple[list[TextPair], list[SetPair]]     # what :func:`find_copies` found in one unit


def _windows(chars: str) -> list[str]:
    return [chars[i:i + MIN_COPY_BLOCK] for i in range(len(chars) - MIN_COPY_BLOCK + 1)]


def _marked(chars: str, grams: set[str] | frozenset[str]) -> list[bool]:
    """Which characters of ``chars`` lie in a window of 4 found in ``grams``."""
    marked = [False] * len(chars)
    for i, window in enumerate(_windows(chars)):
        if window in grams:
            marked[i:i + MIN_COPY_BLOCK] = [True] * MIN_COPY_BLOCK
    return marked


def _without_stock(text: str, stock: tuple[str, ...]) -> str:
    chars = content(text)
    for phrase in stock:
        chars = chars.replace(phrase, "")
    return chars


@dataclass(frozen=True, eq=False)
class Reply:
    """A reply prepared for comparing: its characters without stock phrases, which are its own."""

    chars: str
    own: tuple[bool, ...]
    windows: frozenset[str]                       # every window of 4 characters
    own_windows: Mapping[str, tuple[int, ...]]    # the windows holding an own character → own positions

    @cached_property
    def length(self) -> int:
        """How many characters are the student's own."""
        return sum(self.own)

    def covered(self, other: Reply) -> int:
        """How many own characters lie in a window of 4 that ``other`` has too."""
        return len(set().union(*(self.own_windows[w] for w in self.own_windows.keys() & other.windows)))

    def own_text(self) -> str:
        """The own characters, cut where a removed stretch was (a space)."""
        return " ".join("".join(c if o else " " for c, o in zip(self.chars, self.own)).split())


def stock_order(stock: Iterable[str]) -> tuple[str, ...]:
    """The stock phrases as content characters, longest first."""
    return tuple(sorted({content(p) for p in stock} - {""}, key=lambda p: (-len(p), p)))


def prepare(text: str, removals: Iterable[str] = (), stock: Iterable[str] = ()) -> Reply:
    """``text`` ready for :func:`similarity` (see the module docstring)."""
    stock = stock_order(stock)
    return _prepare(text, _removed_windows(removals, stock), stock)


def _removed_windows(removals: Iterable[str], stock: tuple[str, ...]) -> set[str]:
    """The windows of 4 characters of the task, buyer and reference texts (not the student's own)."""
    return set().union(*(_windows(_without_stock(r, stock)) for r in removals))


def _prepare(text: str, shared: set[str], stock: tuple[str, ...]) -> Reply:
    chars = _without_stock(text, stock)
    own = (False,) * len(chars) if repeated_unit(chars) else tuple(not m for m in _marked(chars, shared))
    own_windows: dict[str, set[int]] = {}
    for i, window in enumerate(_windows(chars)):
        mine = {j for j in range(i, i + MIN_COPY_BLOCK) if own[j]}
        if mine:
            own_windows.setdefault(window, set()).update(mine)
    return Reply(chars, own, frozenset(_windows(chars)), {w: tuple(sorted(j)) for w, j in own_windows.items()})


def similarity(a: Reply, b: Reply) -> float:
    """Own characters of both in a stretch of ≥ 4 also found in the other, over all their own characters."""
    total = a.length + b.length
    if not total:
        return 0.0
    return (a.covered(b) + b.covered(a)) / total


def text_pairs(texts: Mapping[str, Mapping[str, str]], removals: Mapping[str, Iterable[str]] | None = None,
               stock: Iterable[str] = ()) -> list[TextPair]:
    """Pairs at or above :data:`TEXT_SIMILAR` per exercise, most similar first.

    ``texts``: ``{exercise id: {student: reply}}``; ``removals``: ``{exercise id: [task, buyer,
    reference]}``; ``stock``: the stock phrases.  Own texts under :data:`MIN_OWN_CHARS` are skipped.
    """
    stock, removals, found = stock_order(stock), removals or {}, []
    for exercise, replies in texts.items():
        shared = _removed_windows(removals.get(exercise, ()), stock)
        ready = {s: _prepare(t, shared, stock) for s, t in replies.items()}
        long = sorted(s for s in ready if ready[s].length >= MIN_OWN_CHARS)
        for a, b in itertools.combinations(long, 2):
            value = similarity(ready[a], ready[b])
            if value >= TEXT_SIMILAR:
                found.append(TextPair(exercise, a, b, value, replies[a], replies[b]))
    return sorted(found, key=lambda p: (-p.similarity, natural_key(p.exercise), p.a, p.b))


def set_pairs(wrong: Mapping[str, Mapping[str, str]], answered: Mapping[str, set[str]],
              texts: Iterable[TextPair]) -> list[SetPair]:
    """Pairs whose answer sets share at least :data:`SET_ITEMS` items, most items first.

    An item is a choice (or other keyed) exercise where both gave the same wrong answer that at
    most ``max(2, COMMON_WRONG × class)`` students gave (identical correct answers, and common
    mistakes, are no evidence), or a free-text exercise in ``texts``.  ``wrong``: ``{exercise id:
    {student: wrong answer}}``; ``answered``: ``{student: exercise ids answered}`` (the class).
    """
    rare = max(2, COMMON_WRONG * len(answered))
    items: dict[tuple[str, str], tuple[list[str], list[str]]] = {}
    for exercise, given in wrong.items():
        counts = Counter(given.values())
        for a, b in itertools.combinations(sorted(given), 2):
            if given[a] == given[b] and counts[given[a]] <= rare:
                items.setdefault((a, b), ([], []))[0].append(exercise)
    for p in texts:
        items.setdefault((p.a, p.b), ([], []))[1].append(p.exercise)
    found = [SetPair(a, b, tuple(sorted(w, key=natural_key)), tuple(sorted(set(t), key=natural_key)),
                     len(answered.get(a, set()) & answered.get(b, set())))
             for (a, b), (w, t) in items.items() if len(w) + len(t) >= SET_ITEMS]
    return sorted(found, key=lambda p: (-p.items, p.a, p.b))


# ----------------------------------------------------------------------------- from graded results

def _label(result) -> str:
    return f"{result.student_id} {result.name}".strip() or result.file


def find_copies(results, unit: str) -> Copies:
    """:func:`text_pairs` and :func:`set_pairs` of the graded results of ``unit``.

    The texts to remove come from the unit's exercise bank (task, buyer, reference reply of each
    free-text question) and the stock phrases from ``data/rubric.yaml``.
    """
    from ..content.banks import load_exercises
    from ..content.qtypes import TYPES
    from ..content.rubric_rules import default_rubric

    try:
        questions = load_exercises(unit).questions
    except ValueError:
        questions = ()
    removals = {q.id: [q.reply.task, q.reply.buyer, q.reference] for q in questions if q.free_text and q.reply}
    texts: dict[str, dict[str, str]] = {}
    wrong: dict[str, dict[str, str]] = {}
    answered: dict[str, set[str]] = {}
    for r in sorted(graded_in(results, unit), key=lambda r: (r.student_id, r.name, r.file)):
        student = _label(r) if _label(r) not in answered else f"{_label(r)}（{r.file}）"
        answered[student] = set()
        for e in r.exercises:
            answer = e.answer.strip()
            if e.status == "unanswered" or not answer:
                continue
            answered[student].add(e.id)
            if e.type in TYPES and TYPES[e.type].free_text:
                texts.setdefault(e.id, {})[student] = e.answer
            elif e.status in ("wrong", "partial"):
                wrong.setdefault(e.id, {})[student] = answer
    pairs = text_pairs(texts, removals, default_rubric().stock_phrases)
    return pairs, set_pairs(wrong, answered, pairs)


def pair_count(copies: Copies) -> int:
    """How many pairs of students :func:`find_copies` named (each pair once)."""
    pairs, sets = copies
    return len({(p.a, p.b) for p in pairs} | {(p.a, p.b) for p in sets})


def _cell(text: str) -> str:
    return " ".join(plain(text).split()).replace("|", "\\|")


def copy_section(copies: Copies) -> list[str]:
    """The lines of the ``## 疑似雷同`` section of the statistics report, from :func:`find_copies`."""
    pairs, sets = copies
    lines = ["## 疑似雷同", "",
             "比较简答题时先去掉与题目、顾客原话、参考回复连续4个字以上相同的部分和问候客套话（亲、您好、欢迎光临等），"
             f"只比较学生自己写的部分（不到{MIN_OWN_CHARS}个字的不比较，两人都照抄参考回复的不算雷同）；"
             "整套作答另看相同的少见错误答案。这只是提示老师核对，不是结论。", ""]
    if not pairs and not sets:
        return lines + ["未发现疑似雷同的作答。", ""]
    for p in pairs:
        lines += [f"### {p.exercise}：{p.a} 与 {p.b}（相似度{100 * p.similarity:.0f}%）", "",
                  f"| {_cell(p.a)} | {_cell(p.b)} |", "|---|---|", f"| {_cell(p.text_a)} | {_cell(p.text_b)} |", ""]
    if sets:
        lines += ["### 整套作答", "",
                  f"相同的错误答案（同样答错的人不超过全班的{100 * COMMON_WRONG:.0f}%或2人；相同的正确答案不算）"
                  f"与相似的简答题合计至少{SET_ITEMS}题的两人：", "",
                  "| 学生 | 学生 | 相同的错误答案 | 相似的简答题 | 占两人都作答的练习 |", "|---|---|---|---|---:|"]
        lines += [f"| {_cell(p.a)} | {_cell(p.b)} | {'、'.join(p.same_wrong) or '—'} | "
                  f"{'、'.join(p.similar_texts) or '—'} | {p.items}/{p.compared} |" for p in sets]
        lines.append("")
    return lines
