"""Text normalisation for answers and replies typed by Chinese students.

Students type full-width letters (ＡＣ), Chinese punctuation (、，；), spaces and
mixed case.  Everything is folded to one canonical form before it is compared.

>>> to_halfwidth("ＡＢ，Ｃ")
'AB,C'
>>> fold_reply("您好 ！亲，ＶＸ号")
'您好!亲,vx号'
>>> char_count(" 您好，\\n欢迎 ")
5
"""
from __future__ import annotations

import re
import unicodedata

_SPACE = re.compile(r"\s+")


def to_halfwidth(text: str) -> str:
    """Full-width letters, digits and punctuation become their ASCII forms (NFKC)."""
    return unicodedata.normalize("NFKC", text)


def fold_reply(text: str) -> str:
    """Canonical form of a reply for word matching: NFKC, lower case, no whitespace."""
    return _SPACE.sub("", to_halfwidth(text)).lower()


def char_count(text: str) -> int:
    """Number of visible characters (whitespace not counted)."""
    return len(_SPACE.sub("", text))


def plain_str(value: object) -> str:
    """An exact ``str`` copy of a ``str`` (or subclass), bypassing overridden methods."""
    return str.__str__(value)  # type: ignore[arg-type]
