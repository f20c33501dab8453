"""议价的账（第09单元）: what an agent gave away in a bargaining dialogue, and the three-score report.

A bargaining role-play (``bargain:`` in its scenario) names the product sold, the campaign
gifts and the task card's concession rules: may the agent cut the price (only where the
scenario's facts allow a discount — the shop's prices are uniform, so in this course never),
which small gifts, how many, how dear.  Each agent message carries what it conceded: a gift
(by 商品编号 or name), a price cut in 元, a discount promised in words (``said``) or a gift the
facts do not have (``other``).  Concessions add up — a promise stays promised.
:func:`bargain_report` turns the messages into three scores of 0–100:

* ① 成交 — 100 when the ending is a deal, else 0;
* ② 毛利 — the margin kept (:mod:`.margin`) × 100 when there is a deal, else 0; a concession
  outside the task card caps it at ``cap`` (the reply scorer's cap for invented facts, 40);
* ③ 语气 — the mean of the messages' scores by the reply scorer (general rules and facts check),
  computed by the caller: this module never imports the scorer.

>>> setup = setup_from_data({"product": "P02", "rules": {"gifts": ["P10", "P08"], "max_gifts": 1, "max_gift_cost": 10}})
>>> r = bargain_report([("理解您～价格是统一的。", None, 100), ("再送您一个手机支架。", {"gift": "P10"}, 90)],
...                    deal=True, outcome="成交", setup=setup)
>>> r.deal_score, r.margin_score, r.tone_score, r.violations      # 169 ÷ 177 = 95.5 %
(100, 95, 95, ())
>>> r = bargain_report([("那就329吧。", {"discount": 30}, 60)], deal=True, outcome="成交", setup=setup)
>>> r.margin.kept > 0.83, r.margin_score, r.violations[0][:7]       # 147 ÷ 177 = 83.1 %, capped at 40
(True, 40, '私自让价30元')
"""
from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .margin import Item, Margin, MarginError, campaign_gifts, find_item, items_from_table, order_margin

GOOD_KEPT = 0.90        # 毛利保持率达到90%算“守住了利润”（本课程的参考线，老师可以改）
GOOD_TONE = 80          # 语气平均80分以上算“得体”
FACTS_CAP = 40          # 与回复评分规则 facts.cap 相同：违反任务卡的让步，毛利分最高40分
_GIFT_VERB = re.compile(r"^(?:免费|额外|直接|可以|能|会|都|就|再|还|另|多|加|附)*(?:赠送|送给|送|赠)")
_QUANTITY = re.compile(r"^(?:您|你|给您|给你)?(?:一|两|[0-9])?(?:个|套|份|根|只|副|条|张|瓶|盒|件)?(?:您|你)?")


class BargainError(MarginError):
    """A bargaining block or concession that cannot be used; Chinese message."""


@dataclass(frozen=True)
class Concession:
    """What one message gives away: a cut in 元, gifts (商品编号), and what was promised in words."""

    discount: float = 0.0
    gifts: tuple[str, ...] = ()
    said: tuple[str, ...] = ()          # discounts promised in words (quotes), amount or not
    other: tuple[str, ...] = ()         # gifts offered that the facts do not have (quotes)

    def __add__(self, other: Concession) -> Concession:
        return Concession(round(self.discount + other.discount, 2), self.gifts + other.gifts,
                          self.said + other.said, self.other + other.other)

    @property
    def empty(self) -> bool:
        return not (self.discount or self.gifts or self.said or self.other)


@dataclass(frozen=True)
class ConcessionRules:
    """The task card's limits on what the agent may give away."""

    gifts: tuple[str, ...] = ()
    max_gifts: int = 1
    max_gift_cost: float | None = None
    discount_allowed: bool = False
    aliases: dict = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class BargainSetup:
    """A scenario's ``bargain:`` block, resolved against the product table."""

    product: str
    quantity: int
    standard_gifts: tuple[str, ...]
    rules: ConcessionRules
    items: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def item(self) -> Item:
        return self.items[self.product]


def setup_from_data(raw: Any, products: Any = None, discount_allowed: bool = False) -> BargainSetup:
    """A ``bargain:`` block: ``product``, ``quantity`` (1), ``standard_gifts`` (default: this week's
    campaign), ``rules: {discount, gifts, max_gifts, max_gift_cost, aliases}``.  ``discount_allowed``
    says whether the scenario's facts let the agent cut the price; ``rules.discount: true`` without
    it is an error, so no task card can hand out a discount the shop's facts forbid.

    >>> setup_from_data({"product": "P02", "rules": {"discount": True}})
    Traceback (most recent call last):
    ...
    course_lib.shop.bargain.BargainError: bargain.rules.discount：店铺价格统一，情景的 facts 不允许降价，任务卡也不能允许客服让价。
    """
    if not isinstance(raw, Mapping):
        raise BargainError("bargain 应是一个字典（product、rules……）。")
    items = items_from_table(products)
    product = find_item(items, raw.get("product")).id
    quantity = raw.get("quantity", 1)
    if isinstance(quantity, bool) or not isinstance(quantity, int) or not 1 <= quantity <= 99:
        raise BargainError("bargain.quantity 应是1–99的整数。")
    std = raw.get("standard_gifts")
    standard = campaign_gifts(product) if std is None else tuple(find_item(items, g).id for g in std)
    rules_raw = raw.get("rules", {}) or {}
    if not isinstance(rules_raw, Mapping):
        raise BargainError("bargain.rules 应是一个字典（discount、gifts、max_gifts、max_gift_cost）。")
    if rules_raw.get("discount") and not discount_allowed:
        raise BargainError("bargain.rules.discount：店铺价格统一，情景的 facts 不允许降价，任务卡也不能允许客服让价。")
    aliases = {str(k): tuple(v) for k, v in (rules_raw.get("aliases") or {}).items()}
    gifts = tuple(find_item(items, g, aliases).id for g in rules_raw.get("gifts", []))
    cap = rules_raw.get("max_gift_cost")
    for gid in gifts:
        if cap is not None and items[gid].cost > cap:
            raise BargainError(f"bargain.rules.gifts：{items[gid].name}成本{items[gid].cost:g}元，超过了 max_gift_cost {cap:g}元。")
    rules = ConcessionRules(gifts, int(rules_raw.get("max_gifts", 1)), None if cap is None else float(cap),
                            bool(rules_raw.get("discount", False)), aliases)
    return BargainSetup(product, quantity, standard, rules, items)


def _gift_object(quote: str) -> str:
    return _QUANTITY.sub("", _GIFT_VERB.sub("", quote))


def _other_gift(quote: str, items: Mapping[str, Item]) -> Item | None:
    """The product a gift quote (“再送您一个保温杯”) names, if one does."""
    obj = _gift_object(quote)
    if len(obj) < 2:
        return None
    for item in items.values():
        short = re.sub(r"[(（].*?[)）]", "", item.name)
        if obj in short or short in obj or (len(obj) >= 3 and obj[-3:] in short):
            return item
    return None


def discount_from_quote(quote: str, price: float) -> float | None:
    """The amount a promised discount gives away, if the words say it (else ``None``).

    >>> [discount_from_quote(q, 359) for q in ("便宜20", "给您打9折", "改成329", "抹个零", "优惠券")]
    [20.0, 35.9, 30.0, 9.0, None]
    """
    text = quote.replace("元", "").replace("块", "")
    m = re.search(r"(?:便宜|优惠|减|少收|让|降)(?:了|您|你|给您)?([0-9]+(?:\.[0-9]+)?)", text)
    if m:
        return round(float(m[1]), 2)
    m = re.search(r"([0-9])(\.[0-9])?折", text) or re.search(r"([一二三四五六七八九])折", text)
    if m:
        tenth = float(m[1] + (m[2] or "")) if m[1].isdigit() else "一二三四五六七八九".index(m[1]) + 1.0
        return round(price * (1 - tenth / 10), 2)
    m = re.search(r"(?:改成|改到)?([0-9]{2,5})(?:给您|卖您|卖给您|拿走)?", text)
    if m and ("改" in text or re.search(r"给您|卖您|拿走", text)) and 0 < float(m[1]) < price:
        return round(price - float(m[1]), 2)
    if "抹" in text and "零" in text and price % 10:
        return round(float(price % 10), 2)
    return None


def concession_from_data(raw: Any, setup: BargainSetup, where: str = "回复") -> Concession:
    """An option's ``concession:`` (``{gift: P10}``, ``{gifts: [P10]}``, ``{discount: 30}``) or what
    the dialogue read in a free-text reply (``{gifts: [手机支架], said: [便宜20], other: [送您保温杯]}``).
    Campaign gifts named in a reply are not concessions."""
    if raw is None:
        return Concession()
    if isinstance(raw, Concession):
        return raw
    if not isinstance(raw, Mapping):
        raise BargainError(f"{where}：让步应写成 {{gift: P10}} 或 {{discount: 30}}。")
    unknown = set(raw) - {"gift", "gifts", "discount", "said", "other"}
    if unknown:
        raise BargainError(f"{where}：让步里有未知字段 {'、'.join(sorted(map(str, unknown)))}。")
    names = ([raw["gift"]] if "gift" in raw else []) + list(raw.get("gifts", []))
    gifts = tuple(g for g in (find_item(setup.items, n, setup.rules.aliases).id for n in names)
                  if g not in setup.standard_gifts)
    discount = raw.get("discount", 0)
    if isinstance(discount, bool) or not isinstance(discount, (int, float)) or not 0 <= discount < 10_000:
        raise BargainError(f"{where}：discount 应是不小于0的金额（元）。")
    said = tuple(map(str, raw.get("said", [])))
    # the quotes of one reply describe one price cut (“便宜30元……改成329元”): the largest, not their sum
    discount += max((discount_from_quote(q, setup.item.price * setup.quantity) or 0.0 for q in said), default=0.0)
    return Concession(round(float(discount), 2), gifts, said, tuple(map(str, raw.get("other", []))))


def check_concessions(total: Concession, setup: BargainSetup) -> list[str]:
    """The task-card rules a dialogue broke, one Chinese sentence each (empty: none)."""
    rules, problems = setup.rules, []
    if (total.discount or total.said) and not rules.discount_allowed:
        amount = f"{total.discount:g}元" if total.discount else "（金额没说清）"
        quotes = f"（「{'」「'.join(total.said)}」）" if total.said else ""
        problems.append(f"私自让价{amount}{quotes}：任务卡规定价格统一，客服不能改价。")
    for gid in total.gifts:
        gift = setup.items[gid]
        if gid not in rules.gifts:
            problems.append(f"加送「{gift.name}」：不在任务卡允许加送的小礼品里。")
        elif rules.max_gift_cost is not None and gift.cost > rules.max_gift_cost:
            problems.append(f"加送「{gift.name}」：成本{gift.cost:g}元，超过任务卡规定的单件上限{rules.max_gift_cost:g}元。")
    for quote in total.other:
        problems.append(f"答应了店铺没有的赠品「{quote}」：只能送任务卡上的小礼品。")
    if len(total.gifts) > rules.max_gifts:
        problems.append(f"一共加送了{len(total.gifts)}件小礼品：任务卡规定每单最多加送{rules.max_gifts}件。")
    return problems


def describe(concession: Concession, setup: BargainSetup) -> str:
    """One line for the feedback of a turn: “这一步让出：手机支架（成本8元）”; '' when nothing."""
    parts = [f"{setup.items[g].name}（成本{setup.items[g].cost:g}元）" for g in concession.gifts]
    if concession.discount:
        parts.append(f"让价{concession.discount:g}元")
    elif concession.said:
        parts.append(f"答应让价（「{'」「'.join(concession.said)}」）")
    parts += [f"店铺没有的赠品（「{q}」）" for q in concession.other]
    return "这一步让出：" + "、".join(parts) if parts else ""


@dataclass(frozen=True)
class BargainReport:
    """Three separate scores (0–100): the deal, the margin kept, the tone."""

    outcome: str
    deal: bool
    margin: Margin
    tone_items: tuple[tuple[str, int], ...]
    violations: tuple[str, ...]
    cap: int = FACTS_CAP
    good_kept: float = GOOD_KEPT

    @property
    def deal_score(self) -> int:
        return 100 if self.deal else 0

    @property
    def margin_score(self) -> int:
        if not self.deal or not math.isfinite(self.margin.kept):
            return 0
        score = max(0, min(100, round(self.margin.kept * 100)))
        return min(score, self.cap) if self.violations else score

    @property
    def tone_score(self) -> int:
        if not self.tone_items:
            return 0
        return round(sum(s for _, s in self.tone_items) / len(self.tone_items))

    def advice(self) -> list[str]:
        lines = []
        if not self.deal:
            lines.append("没有成交：守住价格的同时也要留住顾客，试试用商品的价值、真实的活动或任务卡允许的小礼品回应。")
        if self.violations:
            lines.append(f"违反了任务卡，毛利分最高{self.cap}分：" + "".join(self.violations))
        kept = self.margin.kept
        if self.deal and math.isfinite(kept) and kept < self.good_kept:
            lines.append(f"让出去的太多：毛利只保住了{kept:.1%}（{self.good_kept:.0%}以上才算守住了利润）。")
        if self.tone_items and self.tone_score < GOOD_TONE:
            worst = min(self.tone_items, key=lambda item: item[1])
            lines.append(f"语气需要改进：得分最低的一句是「{_short(worst[0])}」（{worst[1]}分）。")
        if not lines:
            lines.append("三项都不错：买家觉得买值了，店铺也有钱赚——这就是教材说的“度”。")
        return lines

    def to_text(self) -> str:
        m = self.margin
        kept = f"{m.kept:.1%}" if math.isfinite(m.kept) else "—"
        if self.deal:
            money = f"这一单毛利{m.profit:.2f}元，标准毛利{m.standard_profit:.2f}元，保住了{kept}"
            detail = (f"   售价{m.price * m.quantity:.2f}元 − 让价{m.discount:.2f}元 = 实收{m.paid:.2f}元；"
                      f"商品成本{m.goods_cost:.2f}元；赠品成本{m.gift_cost:.2f}元（{m.gift_text()}）")
        else:
            money = "没有成交，这一单没有毛利"
            detail = "   （如果按对话中答应的条件成交：" + m.to_text().replace("\n", "；") + "）"
        lines = [
            f"【议价实训报告】结局：{self.outcome}",
            f"① 成交：{'是' if self.deal else '否'}——{self.deal_score}分",
            f"② 毛利：{money}——{self.margin_score}分",
            detail,
            f"③ 语气：{len(self.tone_items)}句回复平均{self.tone_score}分"
            f"（回复评分规则：礼貌称呼、服务禁用语、施压、长度，并核对事实）——{self.tone_score}分",
            "违反任务卡：" + ("；".join(v.rstrip("。") for v in self.violations) + "。" if self.violations else "无"),
        ]
        lines += [f"建议：{a}" for a in self.advice()]
        return "\n".join(lines)

    def __repr__(self) -> str:
        return self.to_text()


def _short(text: str, n: int = 16) -> str:
    return text if len(text) <= n else text[:n] + "…"


def bargain_report(messages: Sequence[tuple[str, Any, int]], *, deal: Any, outcome: str, setup: BargainSetup,
                   cap: int = FACTS_CAP, good_kept: float = GOOD_KEPT) -> BargainReport:
    """The end report of one bargaining dialogue.

    ``messages``: the agent's replies in order, each ``(text, concession, tone)`` — the concession
    as :func:`concession_from_data` reads it (or ``None``), the tone 0–100 from the reply scorer.
    ``cap``: the most the margin score can be when a concession breaks the task card.
    """
    if not isinstance(deal, bool):
        raise BargainError("deal 应是 true 或 false。")
    total, tone = Concession(), []
    for n, item in enumerate(messages, 1):
        if not isinstance(item, (tuple, list)) or len(item) != 3:
            raise BargainError(f"第{n}句回复应写成(文字, 让步, 语气分)。")
        text, raw, score = item
        total = total + concession_from_data(raw, setup, f"第{n}句回复")
        if isinstance(score, bool) or not isinstance(score, (int, float)) or not 0 <= score <= 100:
            raise BargainError(f"语气评分应是0–100的数，第{n}句得到「{score}」。")
        tone.append((text if isinstance(text, str) else "", int(round(score))))
    extra = list(total.gifts)
    for quote in total.other:
        found = _other_gift(quote, setup.items)
        if found is not None:
            extra.append(found.id)
    price = setup.item.price * setup.quantity
    margin = order_margin(setup.product, setup.items, quantity=setup.quantity, discount=min(total.discount, price),
                          extra_gifts=extra, standard_gifts=setup.standard_gifts)
    return BargainReport(outcome, deal, margin, tuple(tone), tuple(check_concessions(total, setup)),
                         cap, good_kept)
