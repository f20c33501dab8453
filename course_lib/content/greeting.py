"""The greeting builder of unit 07: build a 欢迎语 from the task card and score its elements.

教材: a greeting names the shop (店铺名/品牌名), the agent (客服昵称) and carries an emoji
(表情).  The course adds a greeting word, a polite address, an offer of help, one real
activity or service (optional) and a length; the points of each element, the card and the
choices are teacher-editable data in ``data/greeting.yaml``.  A greeting that promises what
the shop does not have (checked like a reply: :func:`course_lib.content.claims.invented_claims`
plus the file's promotion words) or uses 服务禁用语, pressure or threats (the cap rules of
``data/rubric.yaml``) is capped.  Deterministic, offline; no widgets.

>>> rules = greeting_rules()
>>> text = build_greeting(GreetingParts("禾悦-小雅", emoji="😊", activity=rules.activities[0]), rules)
>>> text
'您好，欢迎光临禾悦优选😊我是客服小雅，本周买任意箱包送一套皮具护理套装，请问有什么可以帮您？'
>>> score_greeting(text, nickname="禾悦-小雅").score
100
>>> r = score_greeting("您好，欢迎光临禾悦优选😊我是客服小雅，全场满200减30，请问有什么可以帮您？")
>>> r.score, r.capped_by
(40, '不写店铺没有的优惠和身份')
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..settings import data_dir
from ..text import fold_reply
from ..theme import text_colour
from .claims import Facts, invented_claims
from .loading import ContentError, read_content
from .replytext import counted
from .rubric import ScoreReport, mark
from .rubric_rules import default_rubric, facts_from_data

FILE = "greeting.yaml"
ELEMENTS = ("问候语", "礼貌称呼", "店铺名", "客服昵称", "表情", "主动提供帮助", "活动或服务", "长度")
_BRACKET = re.compile(r"\[[\u4e00-\u9fff]{1,4}\]")          # 千牛 emoticons such as [微笑]
_SPACE = re.compile(r"\s+")


class GreetingError(ContentError):
    """Bad input for the builder or the scorer; ``str(error)`` is Chinese."""


@dataclass(frozen=True)
class GreetingRules:
    """``data/greeting.yaml``: the card, the builder's choices, the elements' points and the caps."""

    shop: str
    nicknames: tuple[str, ...]
    activities: tuple[str, ...]
    activity_keys: tuple[tuple[str, ...], ...]
    facts: Facts
    salutations: tuple[str, ...]
    emojis: tuple[str, ...]
    help_lines: tuple[str, ...]
    points: dict
    words: dict
    emoji_range: tuple[int, int]
    length_range: tuple[int, int]
    invented_name: str
    invented_cap: int
    promo_words: tuple[str, ...]


@dataclass(frozen=True)
class GreetingParts:
    """The builder's choices (each from :class:`GreetingRules`)."""

    nickname: str
    emoji: str = ""
    activity: str = ""
    salutation: str = "您好"
    help_line: str = "请问有什么可以帮您？"


@dataclass(frozen=True)
class GreetingItem:
    name: str
    passed: bool
    message: str
    points: int = 0                     # what this element is worth (0 for a cap)


@dataclass(frozen=True, repr=False)
class GreetingScore(ScoreReport):
    """Score 0–100, one line per element and per cap that applied, one suggestion."""

    text: str
    score: int
    items: tuple[GreetingItem, ...]
    suggestion: str
    capped_by: str | None = None
    heading = "欢迎语得分"

    def label(self, item: GreetingItem) -> str:
        return f"{item.name}{f'（{item.points}分）' if item.points else ''}"

    def to_html(self) -> str:
        rows = "".join(
            f"<li style='{text_colour('ok' if i.passed else 'bad')}'>"
            f"{mark(i.passed)} <b>{html.escape(i.name)}</b>{f'（{i.points}分）' if i.points else ''}："
            f"{html.escape(i.message)}</li>" for i in self.items)
        return (f"<div class='course-greeting-score'><b>欢迎语得分：{self.score}/100</b><ul>{rows}</ul>"
                f"<div><b>建议：</b>{html.escape(self.suggestion)}</div></div>")


# ------------------------------------------------------------------ the rules file

def _strings(raw: Any, where: str, allow_empty: bool = False) -> tuple[str, ...]:
    if not isinstance(raw, list) or (not raw and not allow_empty) or not all(isinstance(x, str) and x for x in raw):
        raise GreetingError(f"{FILE}：{where} 应是文字列表。")
    return tuple(raw)


def _int(raw: Any, where: str, low: int = 0, high: int = 1000) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int) or not low <= raw <= high:
        raise GreetingError(f"{FILE}：{where} 应是{low}～{high}的整数。")
    return raw


def rules_from_data(raw: Any) -> GreetingRules:
    """Validate the parsed ``greeting.yaml``; every problem is a Chinese :class:`GreetingError`."""
    if not isinstance(raw, dict) or not all(isinstance(raw.get(k), dict) for k in ("card", "choices", "elements", "caps")):
        raise GreetingError(f"{FILE}：应有 card、choices、elements、caps 四节，每节是一个字典。")
    card, choices, elements = raw["card"], raw["choices"], raw["elements"]
    shop = card.get("shop")
    if not isinstance(shop, str) or not shop.strip():
        raise GreetingError(f"{FILE}：card.shop 应是店铺名。")
    activities = card.get("activities")
    if not isinstance(activities, list) or not activities or not all(
            isinstance(a, dict) and isinstance(a.get("text"), str) and a["text"] for a in activities):
        raise GreetingError(f"{FILE}：card.activities 应是列表，每项写 text（一句活动）和 keys（提到它的说法）。")
    facts = facts_from_data(card.get("facts") or {}, f"{FILE} card") or Facts()
    if sorted(map(str, elements)) != sorted(ELEMENTS):
        raise GreetingError(f"{FILE}：elements 应正好是这八项：{'、'.join(ELEMENTS)}。")
    points = {name: _int((elements[name] or {}).get("points"), f"elements.{name}.points", 0, 100) for name in ELEMENTS}
    if sum(points.values()) != 100:
        raise GreetingError(f"{FILE}：elements 的 points 加起来应是100，现在是{sum(points.values())}。")
    words = {name: _strings(elements[name].get("words"), f"elements.{name}.words")
             for name in ("问候语", "礼貌称呼", "主动提供帮助")}
    ranges = []
    for name in ("表情", "长度"):
        low = _int(elements[name].get("min"), f"elements.{name}.min")
        high = _int(elements[name].get("max"), f"elements.{name}.max")
        if low > high:
            raise GreetingError(f"{FILE}：elements.{name} 的 min 不能大于 max。")
        ranges.append((low, high))
    invented = raw["caps"].get("invented")
    if not isinstance(invented, dict) or not isinstance(invented.get("name"), str):
        raise GreetingError(f"{FILE}：caps.invented 应写 name、cap 和 words。")
    return GreetingRules(
        shop, _strings(card.get("nicknames"), "card.nicknames"), tuple(a["text"] for a in activities),
        tuple(_strings(a.get("keys"), f"card.activities「{a['text']}」.keys") for a in activities), facts,
        _strings(choices.get("salutations"), "choices.salutations"), _strings(choices.get("emojis"), "choices.emojis"),
        _strings(choices.get("help_lines"), "choices.help_lines"), points, words, ranges[0], ranges[1],
        invented["name"], _int(invented.get("cap"), "caps.invented.cap", 0, 100),
        _strings(invented.get("words", []), "caps.invented.words", allow_empty=True))


@lru_cache(maxsize=4)
def _rules(folder: str) -> GreetingRules:
    return rules_from_data(read_content(FILE))


def greeting_rules() -> GreetingRules:
    """The rules of ``data/greeting.yaml`` (read once per data folder)."""
    return _rules(str(data_dir()))


# ------------------------------------------------------------------ building and scoring

def short_name(nickname: str) -> str:
    """The name an agent signs with: the part after the shop prefix (``禾悦-小雅`` → ``小雅``)."""
    return nickname.split("-", 1)[1] if "-" in nickname else nickname


def count_emojis(text: str) -> int:
    """Emoji pictographs (a skin tone or a ZWJ sequence is one) plus 千牛 emoticons like ``[微笑]``.

    >>> count_emojis("您好😊[微笑]～"), count_emojis("您好！"), count_emojis("👍🏻"), count_emojis("👨\u200d👩\u200d👧")
    (2, 0, 1, 1)
    """
    n, previous = len(_BRACKET.findall(text)), ""
    for ch in text:
        code = ord(ch)
        joined = previous == "\u200d" or 0x1F3FB <= code <= 0x1F3FF or code == 0xFE0F
        if not joined and (code >= 0x1F000 or 0x2600 <= code <= 0x27BF or 0x2B00 <= code <= 0x2BFF):
            n += 1
        previous = ch
    return n


def build_greeting(parts: GreetingParts, rules: GreetingRules | None = None) -> str:
    """Join the chosen parts into one greeting; every choice must come from the rules' lists.

    >>> build_greeting(GreetingParts("禾悦-小杰"))
    '您好，欢迎光临禾悦优选！我是客服小杰，请问有什么可以帮您？'
    """
    rules = rules or greeting_rules()
    if not isinstance(parts, GreetingParts):
        raise GreetingError("请用 GreetingParts(...) 给出欢迎语的各部分。")
    checks = ((parts.nickname, rules.nicknames, "客服昵称"), (parts.emoji, ("",) + rules.emojis, "表情"),
              (parts.activity, ("",) + rules.activities, "活动或服务"), (parts.salutation, rules.salutations, "问候语"),
              (parts.help_line, rules.help_lines, "提供帮助的一句"))
    for value, allowed, name in checks:
        if value not in allowed:
            raise GreetingError(f"{name}应是{'、'.join(a or '（不写）' for a in allowed)}之一，现在是「{value}」。")
    activity = f"{parts.activity}，" if parts.activity else ""
    return (f"{parts.salutation}，欢迎光临{rules.shop}{parts.emoji or '！'}我是客服{short_name(parts.nickname)}，"
            f"{activity}{parts.help_line}")


def _caps(text: str, folded: str, rules: GreetingRules) -> list[tuple[str, int, str]]:
    """(name, cap, message) of every cap the greeting triggers."""
    rb = default_rubric()
    out = []
    without_real = folded
    for phrase in rules.activities:
        without_real = without_real.replace(fold_reply(phrase), "")
    promos = [w for w in rules.promo_words if fold_reply(w) in without_real]
    claims = [c.text() for c in invented_claims(text, rules.facts, rb.vocab, rb.lexicon)]
    if promos or claims:
        found = [f"「{w}」" for w in promos] + claims
        out.append((rules.invented_name, rules.invented_cap,
                    f"写了{'、'.join(found)}，这不是任务卡上店铺真有的活动或情况。欢迎语里只能写真实的活动"
                    f"（出现这一项，欢迎语最多{rules.invented_cap}分）。"))
    for rule in rb.rules:
        if rule.cap is None or rule.kind not in ("contains_none", "patterns_none"):
            continue
        found = counted(rule.hits(folded, rb.lexicon))
        if found:
            out.append((rule.name, rule.cap, f"出现了「{'」「'.join(found)}」（欢迎语最多{rule.cap}分）。{rule.fail_msg}"))
    return out


def score_greeting(text: str, nickname: str | None = None, rules: GreetingRules | None = None) -> GreetingScore:
    """Score a greeting (built or typed) by the elements of ``data/greeting.yaml``.

    ``nickname``: the agent's own 子账号 (then only that name counts); ``None`` accepts any
    nickname on the card.  Never raises for a string.

    >>> score_greeting("在").score
    0
    >>> score_greeting("您好，欢迎光临禾悦优选！我是客服小雅，请问有什么可以帮您？").score
    75
    """
    rules = rules or greeting_rules()
    if not isinstance(text, str):
        raise GreetingError(f"欢迎语应是文字（写在引号里），现在是{type(text).__name__}。")
    if nickname is not None and nickname not in rules.nicknames:
        raise GreetingError(f"客服昵称应是{'、'.join(rules.nicknames)}之一，现在是「{nickname}」。")
    text = text[:2000]
    folded = fold_reply(text)
    names = (nickname,) if nickname else rules.nicknames
    named = [n for n in names if fold_reply(short_name(n)) in folded]
    emojis = count_emojis(text)
    length = len(_SPACE.sub("", text))
    greet = [w for w in rules.words["问候语"] if fold_reply(w) in folded]
    polite = [w for w in rules.words["礼貌称呼"] if fold_reply(w) in folded]
    helps = [w for w in rules.words["主动提供帮助"] if fold_reply(w) in folded]
    activity = [k for keys in rules.activity_keys for k in keys if fold_reply(k) in folded]
    (e_low, e_high), (l_low, l_high) = rules.emoji_range, rules.length_range
    shop = fold_reply(rules.shop) in folded
    checks = {
        "问候语": (bool(greet), f"有问候语（{greet[0]}）。" if greet else "缺少问候语，例如“您好”“欢迎光临”。"),
        "礼貌称呼": (bool(polite), "用“您”或“亲”称呼顾客。" if polite else "没有用“您”或“亲”称呼顾客。"),
        "店铺名": (shop, f"写出了店铺名「{rules.shop}」。" if shop else f"缺少店铺名：写上「{rules.shop}」，顾客才知道进的是哪家店。"),
        "客服昵称": (bool(named), f"报出了客服昵称（{short_name(named[0])}）。" if named
                 else f"缺少客服昵称：写上“我是客服{short_name(names[0])}”。"),
        "表情": (e_low <= emojis <= e_high, f"用了{emojis}个表情，亲切又不过头。" if e_low <= emojis <= e_high else
               "没有表情：加一个笑脸，语气会亲切很多。" if emojis < e_low else
               f"用了{emojis}个表情，太多显得不专业，{e_low}～{e_high}个就够了。"),
        "主动提供帮助": (bool(helps), "主动询问顾客的需要。" if helps else "缺少主动提供帮助的一句，例如“请问有什么可以帮您？”"),
        "活动或服务": (bool(activity), "提到了店铺真实的活动或服务。" if activity
                  else f"（选做）可以加一句店铺真实的活动或服务，例如“{rules.activities[0]}”。"),
        "长度": (l_low <= length <= l_high, f"{length}个字，长度合适。" if l_low <= length <= l_high
               else f"{length}个字，欢迎语宜在{l_low}～{l_high}个字之间。"),
    }
    items = [GreetingItem(name, *checks[name], rules.points[name]) for name in ELEMENTS]
    score = sum(i.points for i in items if i.passed) if folded else 0
    capped_by = None
    for name, cap, message in _caps(text, folded, rules):
        items.append(GreetingItem(name, False, message))
        if score > cap:
            score, capped_by = cap, name
    if capped_by:
        suggestion = next(i.message for i in items if i.name == capped_by)
    else:
        missing = [i for i in items if not i.passed]
        suggestion = (max(missing, key=lambda i: i.points or 100).message if missing else "欢迎语要素齐全，亲切又专业！")
    return GreetingScore(text, int(score), tuple(items), suggestion, capped_by)
