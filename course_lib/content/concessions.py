"""Bargaining role-plays (unit 09): the ``bargain:`` block, what each reply concedes, and its tone.

The dialogue side of the three-score report.  :func:`bargain_from_data` checks a scenario's
``bargain:`` block and :func:`concession_from_data` an option's ``concession:``; a task card
can never allow a price cut the scenario's facts forbid.  :func:`read_offer` reads what a
free-text reply gives away with the reply scorer's own claim finder (the same words the facts
check judges): allowed gifts offered, discounts promised, gifts the shop does not have.
:func:`tone` is the reply scorer's verdict on one message (general rules and the facts check).
:func:`bargain_inputs` collects a finished dialogue for ``course_lib.shop.bargain.bargain_report``,
which does the money; this package never imports the shop.

>>> from .claims import Facts
>>> facts = Facts(prices=(359.0,), gifts=("皮具护理套装", "手机支架"))
>>> read_offer("价格统一改不了，本周送护理套装，再加送您一个手机支架", facts)
{'gifts': ['皮具护理套装', '手机支架']}
>>> read_offer("给您便宜20，再送个保温杯", facts)
{'said': ['便宜20'], 'other': ['再送个保温杯']}
"""
from __future__ import annotations

import re
from typing import Any

from ..text import fold_reply
from .claims import Facts, gift_offers
from .loading import ContentError
from .replytext import find_patterns
from .rubric import score_reply
from .rubric_rules import default_rubric

_ID = re.compile(r"P[0-9]{2}")
RULE_KEYS = {"discount", "gifts", "max_gifts", "max_gift_cost", "aliases"}
BLOCK_KEYS = {"product", "quantity", "standard_gifts", "rules"}


def _ids(value: Any, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(g, str) and _ID.fullmatch(g) for g in value):
        raise ContentError(f"{where} 应是商品编号的列表，例如 [P10, P08]。")
    return value


def bargain_from_data(raw: Any, facts: Facts | None, where: str) -> dict:
    """A scenario's ``bargain:`` block, checked; ``rules.discount: true`` needs ``facts.discount: true``."""
    if not isinstance(raw, dict) or not isinstance(raw.get("product"), str) or not _ID.fullmatch(raw["product"]):
        raise ContentError(f"{where}：bargain 应是一个字典，product 写商品编号（例如 P02）。")
    if set(raw) - BLOCK_KEYS:
        raise ContentError(f"{where}：bargain 里有未知字段 {'、'.join(sorted(map(str, set(raw) - BLOCK_KEYS)))}。")
    quantity = raw.get("quantity", 1)
    if isinstance(quantity, bool) or not isinstance(quantity, int) or not 1 <= quantity <= 99:
        raise ContentError(f"{where}：bargain.quantity 应是1–99的整数。")
    if "standard_gifts" in raw:
        _ids(raw["standard_gifts"], f"{where}：bargain.standard_gifts")
    rules = raw.get("rules", {})
    if not isinstance(rules, dict) or set(rules) - RULE_KEYS:
        raise ContentError(f"{where}：bargain.rules 应是字典，只能写 {'、'.join(sorted(RULE_KEYS))}。")
    if not isinstance(rules.get("discount", False), bool):
        raise ContentError(f"{where}：bargain.rules.discount 应是 true 或 false。")
    if rules.get("discount") and not (facts is not None and facts.discount):
        raise ContentError(f"{where}：bargain.rules.discount 是 true，但情景的 facts 不允许降价（discount: false）。"
                           "店铺价格统一，任务卡不能让客服让价。")
    _ids(rules.get("gifts", []), f"{where}：bargain.rules.gifts")
    for key in ("max_gifts", "max_gift_cost"):
        value = rules.get(key, 0)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            raise ContentError(f"{where}：bargain.rules.{key} 应是不小于0的数。")
    aliases = rules.get("aliases", {})
    if not isinstance(aliases, dict) or not all(isinstance(v, list) and all(isinstance(w, str) and w for w in v)
                                                for v in aliases.values()):
        raise ContentError(f"{where}：bargain.rules.aliases 应写成 {{P08: [数据线]}} 这样的字典。")
    return raw


def concession_from_data(raw: Any, block: dict, where: str) -> tuple[dict, bool]:
    """An option's ``concession:``; returns (the concession, does it break the task card?)."""
    if not isinstance(raw, dict) or not raw or set(raw) - {"gift", "gifts", "discount"}:
        raise ContentError(f"{where}：concession 应写成 {{gift: P10}}、{{gifts: [P10]}} 或 {{discount: 30}}。")
    gifts = _ids(([raw["gift"]] if "gift" in raw else []) + list(raw.get("gifts", [])), f"{where}：concession 的赠品")
    discount = raw.get("discount", 0)
    if isinstance(discount, bool) or not isinstance(discount, (int, float)) or discount < 0:
        raise ContentError(f"{where}：concession.discount 应是不小于0的金额（元）。")
    rules = block.get("rules", {})
    breaks = (discount > 0 and not rules.get("discount", False)) or any(g not in rules.get("gifts", []) for g in gifts)
    return raw, breaks


def check_option(score: int, best: bool, breaks: bool, where: str) -> None:
    """A concession outside the card is never the best reply and scores no more than the facts check leaves."""
    ceiling = default_rubric().facts.cap * 10 // 100
    if breaks and (best or score > ceiling):
        raise ContentError(f"{where}：这个选项的让步超出了任务卡（店铺价格统一、只能送任务卡上的小礼品），"
                           f"不能是最佳选项，最多{ceiling}分（回复评分的事实核对对编造的优惠封顶"
                           f"{default_rubric().facts.cap}分）。")


def read_offer(text: Any, facts: Facts) -> dict:
    """What a free-text reply gives away, read with the facts check's own claim finder:
    ``gifts`` (the facts' gifts offered), ``said`` (discounts promised though the facts allow
    none) and ``other`` (gifts the facts do not have).  Empty keys are left out."""
    text = text if isinstance(text, str) else ""
    rb = default_rubric()
    offer: dict[str, list[str]] = {"gifts": [], "said": [], "other": []}
    for hit, name in gift_offers(text, facts, rb.vocab, rb.lexicon):
        if hit.blocked:
            continue
        if name is None:
            offer["other"].append(hit.text)
        elif name and name not in offer["gifts"]:
            offer["gifts"].append(name)
    if not facts.discount:
        offer["said"] = [h.text for h in find_patterns(rb.vocab.discount, fold_reply(text), rb.lexicon) if not h.blocked]
    return {k: v for k, v in offer.items() if v}


def tone(text: str, facts: Facts | None) -> int:
    """One message's score by the reply scorer: general rules (address, banned words, pressure,
    length) and the facts check, without the turn's own points."""
    return score_reply(text, facts=facts).score


def bargain_inputs(dialogue: Any) -> dict:
    """Keyword arguments for ``course_lib.shop.bargain.bargain_report`` from a finished dialogue of a
    bargaining scenario: ``messages`` [(text, concession, tone)], ``deal``, ``outcome``, ``cap``.
    The caller adds ``setup`` (the shop's reading of ``dialogue.scenario.bargain``)."""
    scenario = dialogue.scenario
    if scenario.bargain is None:
        raise ContentError(f"情景 {scenario.id} 不是议价情景（没有 bargain）。")
    ending = dialogue.ending
    messages = []
    for step in dialogue.steps:
        turn = scenario.turns[step.turn_id]
        facts = turn.reply.facts if turn.is_reply else scenario.facts
        messages.append((step.reply, step.concession, tone(step.reply, facts)))
    return {"messages": messages, "deal": bool(ending.deal) if ending else False,
            "outcome": ending.outcome if ending else "未完成", "cap": default_rubric().facts.cap}
