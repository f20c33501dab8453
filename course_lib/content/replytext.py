"""Finding words and patterns in a reply, aware of negation and questions.

A reply is folded first (:func:`course_lib.text.fold_reply`: NFKC, lower case, no
whitespace) and split into clauses at punctuation.  An occurrence of a word is
*negated* when a negation cue (不是, 没有, 不能 …) stands shortly before it in the same
clause with nothing in between that ends the cue's scope (可以, 也, 都 …), or when 不了/
不到 follows it; it is *questioned* when its clause asks (ends with ? or 吗, or holds an
A-not-A form such as 是不是 or 有没有 before it).  The cue lists are data
(``matching:`` in ``data/rubric.yaml``).

>>> lex = Lexicon(negations=("不是", "没有", "不能", "不用", "不"), not_negations=("不满意",), resets=("可以",))
>>> [h.blocked for h in find_words(["原装", "发票", "验货"], fold_reply("这款不是原装的，没有发票也不能验货"), lex)]
['negated', 'negated', 'negated']
>>> find_words(["正品"], fold_reply("是不是正品您收到就知道啦"), lex)[0].blocked
'question'
>>> counted(find_words(["七天无理由"], fold_reply("不满意可以七天无理由退货"), lex))
('七天无理由',)
>>> counted(find_patterns(["赶紧付"], fold_reply("不着急，不用赶紧付款"), lex))
()
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from ..text import fold_reply

__all__ = ["Hit", "Lexicon", "counted", "find_patterns", "find_words", "fold_reply", "judge"]

# clause boundaries in folded text: ，。！？；、… and a ~ that is not a range such as 2~3
_BOUNDARY = re.compile(r"[,!?;、。…\n]|\.(?![0-9])|(?<![0-9])~|~(?![0-9])")
_A_NOT_A = re.compile(r"([\u4e00-\u9fff]{1,2})[不没]\1")
_POST_NEGATION = ("不了", "不到", "不起")
_SENTENCE_END = re.compile(r"[!?;。…\n]|\.(?![0-9])")


@dataclass(frozen=True)
class Lexicon:
    """The cue words of ``matching:`` in ``rubric.yaml``."""

    negations: tuple[str, ...] = ()
    not_negations: tuple[str, ...] = ()
    resets: tuple[str, ...] = ()
    generic: frozenset[str] = field(default_factory=frozenset)
    window: int = 6
    courtesy: tuple[str, ...] = ()    # 给您, 帮您 …: may stand inside a point's phrase (今天就能给您发 says 今天就能发)
    fillers: tuple[str, ...] = ()     # 您的 …: may stand inside a point's phrase or be left out of it
    disowned: tuple[str, ...] = ()    # 这种话, 我不敢 …: after a phrase in its clause, the speaker disowns it

    def __post_init__(self) -> None:      # longest first, so 不是 wins over 不
        object.__setattr__(self, "negations", tuple(sorted(map(fold_reply, self.negations), key=len, reverse=True)))
        object.__setattr__(self, "not_negations", tuple(sorted(map(fold_reply, self.not_negations), key=len, reverse=True)))
        object.__setattr__(self, "courtesy", tuple(sorted(map(fold_reply, self.courtesy), key=len, reverse=True)))
        object.__setattr__(self, "fillers", tuple(sorted(map(fold_reply, self.fillers), key=len, reverse=True)))
        object.__setattr__(self, "disowned", tuple(map(fold_reply, self.disowned)))


@dataclass(frozen=True)
class Hit:
    """One occurrence: ``text`` as found; ``blocked`` is '' (counts), 'negated' or 'question'."""

    start: int
    end: int
    text: str
    blocked: str = ""
    context: str = ""                 # the negated or questioned stretch, for messages


def counted(hits: Iterable[Hit]) -> tuple[str, ...]:
    """The distinct texts of the hits that count, in order; a hit overlapping an earlier one is skipped."""
    texts, end = [], -1
    for h in sorted(hits, key=lambda h: (h.start, -h.end)):
        if not h.blocked and h.start >= end:
            texts.append(h.text)
            end = h.end
    return tuple(dict.fromkeys(texts))


def _clause(folded: str, start: int, end: int) -> tuple[int, int]:
    before = [m.end() for m in _BOUNDARY.finditer(folded, 0, start)]
    after = _BOUNDARY.search(folded, end)
    return (before[-1] if before else 0), (after.start() if after else len(folded))


def _a_not_a(folded: str, at: int) -> bool:
    """True when the 不/没 at ``at`` belongs to an A-not-A question (是不是, 付不付款, 正品不正品)."""
    if folded[at:at + 1] not in ("不", "没"):
        return False
    return any(at >= n and folded[at - n:at] == folded[at + 1:at + 1 + n] for n in (1, 2))


def _negation(folded: str, start: int, end: int, clause_start: int, lex: Lexicon, clause_end: int | None = None) -> str:
    """The negating stretch before (or 不了 after) an occurrence, '' when there is none; a phrase the
    speaker disowns later in its clause (“后天一准能到这种话我不敢说”) counts as negated too."""
    if folded.startswith(_POST_NEGATION, end):
        return folded[start:end + 2]
    if lex.disowned:
        # the rest of the clause, across a list's 、 (“专柜小票、专柜同款这些说法都谈不上”), and the start of
        # the next clause when it opens with the disowning words (“……跟新的一样，这种话我不会说”)
        rest = _SENTENCE_END.search(folded, end)
        tail = folded[end:rest.start() if rest else len(folded)]
        tail = tail[:14] if "," not in tail[:14] else tail[:tail.index(",")]
        comma = end + len(tail)
        after = folded[comma + 1:comma + 9] if folded[comma:comma + 1] == "," else ""
        disowned = next((w for w in lex.disowned if w in tail or w in after), "")
        if disowned:
            return folded[start:end + len(tail)]
    low = max(clause_start, start - lex.window)
    longest = max(map(len, lex.negations), default=1)
    cue_at, cue = -1, ""
    i = max(clause_start, low - longest + 1)        # a long cue may start before the window if it ends inside it
    while i < start:
        found = next((c for c in lex.negations if folded.startswith(c, i)), "")
        if found and i + len(found) <= low:
            found = ""
        skip = next((w for w in lex.not_negations if folded.startswith(w, i)), "")
        if skip and len(skip) >= len(found):          # the longer word wins: 要不是 over 要不
            i += len(skip)
            continue
        if found and _a_not_a(folded, i):
            i += 1
            continue
        if found:
            cue_at, cue = i, found
            i += len(found)
            continue
        i += 1
    if cue_at < 0:
        return ""
    between = folded[cue_at + len(cue):start]
    if any(r and r in between for r in lex.resets):
        return ""
    return folded[cue_at:end]


def _question(folded: str, start: int, end: int, clause: tuple[int, int]) -> str:
    text = folded[clause[0]:clause[1]]
    if folded[clause[1]:clause[1] + 1] == "?" or text.endswith(("吗", "么")):
        return text
    for m in _A_NOT_A.finditer(folded, clause[0], clause[1]):
        if m.start() < end:
            return text
    return ""


def judge(folded: str, start: int, end: int, lex: Lexicon, asks: bool = False, negation_only: bool = True) -> Hit:
    """The occurrence ``folded[start:end]``, judged for negation (and, unless ``negation_only``, question)."""
    clause = _clause(folded, start, end)
    if not negation_only and not asks:
        asked = _question(folded, start, end, clause)
        if asked:
            return Hit(start, end, folded[start:end], "question", asked)
    negated = _negation(folded, start, end, clause[0], lex, clause[1])
    if negated:
        return Hit(start, end, folded[start:end], "negated", negated)
    return Hit(start, end, folded[start:end])


def allowed_spans(folded: str, allow: Iterable[str]) -> list[tuple[int, int]]:
    """Where the harmless phrases ``allow`` (regular expressions) stand in the folded reply."""
    return [m.span() for pattern in allow for m in re.finditer(pattern, folded)]


_NEGATORS = tuple("不没别未无非")


@lru_cache(maxsize=8192)
def _courteous(needle: str, courtesy: tuple[str, ...], fillers: tuple[str, ...] = ()) -> re.Pattern[str]:
    """``needle`` as a student may word it: a courtesy word or a filler may stand between two of its
    characters, and one inside it (not first or last, not right after a negation) may be left out; a
    lookahead, so that occurrences may overlap as with ``str.find``.

    >>> _courteous("今天就能发", ("给您", "帮您")).search("今天就能给您发出").group(1)
    '今天就能给您发'
    >>> p = _courteous("没法帮您查", ("帮您",), ("也", "会"))
    >>> p.search("这个我没法查").group(1), p.search("不会帮您查") is None
    ('没法查', True)
    >>> _courteous("当天就会安排发", (), ("会", "就")).search("当天就安排发货").group(1)
    '当天就安排发'
    >>> _courteous("不会掉色", (), ("会",)).search("不掉色") is None      # 会 after a negation stays
    True
    """
    units: list[tuple[str, bool]] = []            # (text, may be left out)
    soft = sorted(courtesy + fillers, key=len, reverse=True)
    i = 0
    while i < len(needle):
        word = next((w for w in soft if needle.startswith(w, i)), None)
        if word and 0 < i and i + len(word) < len(needle) and needle[i - 1] not in _NEGATORS:
            units.append((word, True))
            i += len(word)
        else:
            units.append((needle[i], False))
            i += 1
    if sum(len(u) for u, optional in units if not optional) < 2:
        units = [(c, False) for c in needle]
    inside = "(?:" + "|".join(map(re.escape, soft)) + ")?" if soft else ""
    polite = "(?:" + "|".join(map(re.escape, courtesy)) + ")?" if courtesy else ""
    parts = []
    for k, (text, optional) in enumerate(units):
        parts.append(f"(?:{re.escape(text)})?" if optional else re.escape(text))
        if k < len(units) - 1:
            parts.append(polite if text[-1] in _NEGATORS else inside)
    return re.compile("(?=(" + "".join(parts) + "))")


def _occurrences(needle: str, folded: str, courtesy: tuple[str, ...],
                 fillers: tuple[str, ...] = ()) -> Iterable[tuple[int, int]]:
    if (courtesy or fillers) and len(needle) > 1:
        for m in _courteous(needle, courtesy, fillers).finditer(folded):
            yield m.span(1)
        return
    at = folded.find(needle)
    while at >= 0:
        yield at, at + len(needle)
        at = folded.find(needle, at + 1)


def find_words(words: Iterable[str], folded: str, lex: Lexicon, *, asks: bool = False,
               negation_only: bool = False, allow: Iterable[str] = (), courteous: bool = False) -> list[Hit]:
    """Every occurrence of every word in the folded reply, each judged for negation/question.

    ``asks``: the point may be made as a question (a question does not block it);
    ``negation_only``: only negation blocks (for banned words and claims);
    ``allow``: regular expressions of harmless phrases — occurrences inside them are skipped;
    ``courteous``: a word of ``lex.courtesy`` may stand inside a word (for the points a reply
    makes: a student who writes 今天就能给您发 has said 今天就能发).
    """
    spans = allowed_spans(folded, allow)
    courtesy, fillers = (lex.courtesy, lex.fillers) if courteous else ((), ())
    hits = []
    for word in words:
        needle = fold_reply(word)
        if not needle:
            continue
        for at, end in _occurrences(needle, folded, courtesy, fillers):
            if not any(a <= at and end <= b for a, b in spans):
                hits.append(judge(folded, at, end, lex, asks, negation_only))
    return sorted(hits, key=lambda h: h.start)


def find_patterns(patterns: Iterable[str], folded: str, lex: Lexicon, *,
                  allow: Iterable[str] = ()) -> list[Hit]:
    """Every match of every regular expression; only negation blocks (used for caps and claims)."""
    spans = allowed_spans(folded, allow)
    hits = []
    for pattern in patterns:
        for m in re.finditer(pattern, folded):
            if m.end() > m.start() and not any(a <= m.start() and m.end() <= b for a, b in spans):
                hits.append(judge(folded, m.start(), m.end(), lex))
    return sorted(hits, key=lambda h: h.start)
