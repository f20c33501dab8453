"""Claims a reply makes, checked against the facts the shop really has.

An item's ``facts:`` block lists what a reply may claim: prices, clock times, delivery
times, gifts, guarantees, product features (卖点 such as 防水 that the product data states),
and whether the agent may discount, the shop is official (旗舰店/直营店) and stock is short.
:func:`invented_claims` extracts every price, time, delivery promise, gift, guarantee,
discount, official-status, scarcity and product-feature claim stated positively in a reply
(negated ones — “不能改价” — are not claims) and returns those the facts do not allow,
each quoting the reply; denying a gift or guarantee the shop does
have (“不送杯套”“没有运费险”) is reported too, and so is any of the item's ``wrong``
statements said positively (what contradicts the product facts or the rules, e.g. “暴晒”
for a PU bag whose care rules say 不暴晒).  Numbers and times the buyer wrote may be
echoed.  The vocabularies of guarantees, features, official status, scarcity and discounts
are data (``facts:`` in ``data/rubric.yaml``).

>>> vocab = ClaimVocab(discount=(r"便宜[0-9]+元?",))
>>> facts = Facts(prices=(359.0,), times=("16:00",))
>>> [c.quote for c in invented_claims("22:00前付款今天就发，再给您便宜10元", facts, vocab, Lexicon())]
['22:00', '便宜10元']
>>> invented_claims("下午4点前付款当天发，359元不议价", facts, vocab, Lexicon())
[]
>>> vocab = ClaimVocab(features={"防水": ("防水", "不怕雨")})
>>> [c.text() for c in invented_claims("这款包特别防水", Facts(), vocab, Lexicon())]
['「防水」（商品资料里没有“防水”这个卖点）']
>>> invented_claims("这款包不防水，下雨天要注意", Facts(), vocab, Lexicon(negations=("不",)))
[]
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from ..text import fold_reply
from .replytext import Hit, Lexicon, allowed_spans, find_patterns, find_words, judge

_CN = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10,
       "十一": 11, "十二": 12}
_LATE = ("下午", "晚上", "今晚", "傍晚", "夜里", "晚")
_CLOCK = re.compile(r"(?P<p>上午|下午|晚上|今晚|中午|早上|傍晚|凌晨|夜里)?(?<![0-9.])(?P<h>[0-9]{1,2})"
                    r"(?::(?P<m>[0-9]{2})(?![0-9])|(?:点|时)(?!钟头)(?P<half>半)?(?:(?P<m2>[0-9]{1,2})分)?)")
_CLOCK_CN = re.compile(r"(?P<p>上午|下午|晚上|今晚|中午|早上|傍晚|凌晨)?(?P<h>十[一二]?|[三四五六七八九])点(?P<half>半)?"
                       r"(?=前|后|以前|之前|以后|半|钟)")
_NUM = r"[0-9]+|十[一二]?|[一二两三四五六七八九]"
# a no-reason return of any other length than 七天 (“十五天无理由”, “30天内都能退”) is a guarantee the law and the shop do not give
_RETURN_DAYS = re.compile(r"(?<![0-9第一二两三四五六七八九十])(?P<n>[0-9]+|[一二两三四五六七八九十]{1,3})天"
                          r"(?:内|之内|以内)?(?:都|也)?(?:可以|能|支持|包)?(?:无理由|退换|退货|包退|退(?!款|回|还|给))"
                          r"|(?<![0-9第一二两三四五六七八九十])(?P<m>[0-9]+|[一二两三四五六七八九十]{1,3})天(?:内|之内|以内)"
                          r"[^,!?;。…\n~]{1,6}?无理由")      # “15天内不满意都能无理由退”
# a guess is still a date told to the buyer: “过两天应该就到了”, “明天估计能到”
_HEDGE = r"应该|估计|大概|差不多|可能|也许|预计"
# a day and 到/收到 that tell the buyer no delivery date: a person going somewhere (“您晚上到家后查收”,
# “我今天下午到网点问问”), the agent going to its own places (“我下午到仓库帮您看一下”), a message
# received (“今天收到您的反馈”); 到账 is a refund, not a parcel
_PERSON = ("我们", "咱们", "我", "您", "你")
_OWN_PLACES = ("仓库", "库房", "后台", "系统", "千牛", "公司", "办公室")
_RECEIVED = ("您的", "你的", "您发", "你发", "反馈", "消息", "留言", "评价", "信息", "通知", "投诉", "申请")
# a duration ("2～3天送到"), not an ordinal day: "第二天发货" is the next day, not two days
_SPAN = "(?:~|-|到|至|、)"       # 2～3天, 2到3天, 2、3天; nothing between (两三天) is a span too
_DURATION = re.compile(rf"(?<![0-9第])(?P<a>{_NUM})(?:{_SPAN}?(?P<b>{_NUM}))?个?(?P<u>天|小时|工作日)"
                       r"(?:内|之内|以内|左右)?(?:就|一般|能|可以|即可|便|会|基本|都|保证|肯定|一定|准|" + _HEDGE + r")*"
                       r"(?:送到|送达|到货|收到|到(?!账|款)|发货|发出)")
# a day ("明天就到", "后天前一定给您送到"), a day and its part ("明天一早"), or a part of the day alone ("下午就能送到您家")
_DATE_DELIVERY = re.compile(r"(?:(?:明天|后天|次日|隔天|隔日|第二天|当天|今天|今晚|(?:周|星期|礼拜)[一二三四五六日天])(?:前|之前|以前)?"
                            r"(?:一早|早上|上午|中午|下午|晚上)?|一早|早上|上午|中午|下午|晚上|傍晚)"
                            r"(?:就|一定|肯定|保证|一准|准保|保准|铁定|妥妥|稳稳|准|能|可以|会|基本|都|(?:给|帮)?(?:您|你)|"
                            + _HEDGE + r")*"
                            r"(?P<verb>送到|送达|到货|收到|(?:能)?到(?!账|款))(?![0-9上下中晚])")
_PRICE = re.compile(r"(?<![0-9.])(?:¥(?P<y>[0-9]+(?:\.[0-9]+)?)|(?P<v>[0-9]+(?:\.[0-9]+)?)(?:元|块|rmb)"
                    r"|(?P<w>[0-9]{2,5})(?=给您|卖您|卖给您|拿走))")
_GIFT = re.compile(r"(?:赠送|加送|附赠|附送|还送|再送|另送|多送|免费送|送给|就送|都送|会送|能送|可以送|直接送|额外送"
                   r"|补偿(?=[您你]|[一两0-9]?(?:个|套|份|根|只|副|条|张|瓶|盒|件|点|笔))"
                   r"|留(?=[您你]?(?:一)?(?:个|份|点)(?:小)?(?:惊喜|礼))"
                   r"|(?<=[单款买拍购包周天期])送|送(?=[您你]|[一两0-9]?(?:个|套|份|根|只|副|条|张|瓶|盒|件))|赠(?!品)"
                   r"|(?:当|作为|算作|当作)(?:小赠品|赠品))"
                   r"(?P<obj>[^,!?;、。…\n~]{0,12})")
_NOT_GIFT = tuple("到达货往去")            # 送到, 送达, 送货 … deliver, not give
_NOT_A_PRESENT = ("句", "祝福", "提醒", "建议", "温馨", "小贴士", "问候")   # “送您一句提醒”, “送您一份祝福”
_BUYERS_PRESENT = ("建议", "推荐", "适合", "打算", "准备", "想", "拿来", "用来")   # “建议送个收纳箱”: what the buyer gives
_THIRD_PERSON = ("她", "他", "同事", "朋友", "家人", "妈妈", "爸爸", "老公", "老婆", "女朋友", "男朋友", "孩子", "弟弟",
                 "妹妹", "哥哥", "姐姐", "长辈", "老师", "对方")                 # “直接送她一只同款”: the buyer's present
_QUANTITY = re.compile(r"^(?:您|你|给您|给你)?(?:一|两|[0-9])?(?:个|套|份|根|只|副|条|张|瓶|盒|件)?(?:您|你)?")
_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_CUT = re.compile(r"便宜|优惠|减|让|降|折|少")
_OFFERED = ("给您", "帮您", "给你", "帮你", "再", "能", "可以", "就", "算", "让", "还")   # “给您便宜10块” is a cut
_COMPARED = re.compile(r"(?:便宜|贵)[0-9]+(?:\.[0-9]+)?(?:元|块)?")      # a bare difference, not “给您便宜20”
# a size or capacity (“能放15寸笔记本”, “500ml”, “长42厘米”); 寸/英寸/吋, 厘米/公分/cm … are one unit each
_UNITS = {"英寸": "英寸", "寸": "英寸", "吋": "英寸", "厘米": "厘米", "公分": "厘米", "cm": "厘米",
          "毫升": "毫升", "ml": "毫升", "升": "升", "毫安时": "毫安", "毫安": "毫安", "mah": "毫安"}
_RANGE = re.compile(r"(?<![0-9.])(?P<a>[0-9]+(?:\.[0-9]+)?)(?:(?:~|-|到|至)(?P<b>[0-9]+(?:\.[0-9]+)?))?")   # 14, 11~17
_MEASURE = re.compile(_RANGE.pattern + "(?P<u>" + "|".join(sorted(_UNITS, key=len, reverse=True)) + ")")
# … stated as the product's: its dimension (“长42厘米”, “容量500毫升”) or what it holds (“能放15寸笔记本”,
# “15寸的电脑也放得下”); not the buyer's own things (“您的电脑要是15寸的，就放不下了”)
_SIZE_BEFORE = re.compile(r"(?:(?:放|装|塞)(?:得下|得进|下|进)?(?:去)?|(?:长|宽|高|厚|容量|大小|尺寸|直径)(?:是|有|约|大约|大概)?)$")
_SIZE_AFTER = re.compile(r"(?:的)?(?:笔记本电脑|笔记本|电脑|平板|手机)?(?:也|都)?(?:能|可以|放得下|装得下|放得进|装得进|没问题)")
_CLAUSE_END = re.compile(r"[,!?;、。…\n~]")
# the buyer pays the return postage — wrong when the shop gives 运费险 (unless the insurance is said to pay it back)
_FREIGHT_SELF = re.compile(r"(?:(?:退货|退回|寄回)?运费(?:得|要|需要|需|就|都)?(?:由)?(?:您|你|买家|顾客|亲)(?:自己)?"
                           r"(?:出|承担|负担|付|掏)|运费自理|(?:您|你)?自己?(?:出|付|承担|掏)运费)"
                           r"(?![^,!?;。…\n~]{0,12}(?:赔|报销|补给|理赔|退还|返还))")
# what may stand between a product's name and its price (“保温杯只要89元”, “散热架：39元”), or between a price
# and the name (“89元的保温杯”); a sum (“加支架一共64元”) or a budget (“100元以内的”) is not a product's price
_NAME_TO_PRICE = r"(?:的|是|为|只要|只需|仅需|仅|才|就|要|卖|售价|价格|价|标价|现价|一个|一只|一件|一套|一根|一条|也|:|\(|¥)*"
_PRICE_TO_NAME = r"(?:的|一个|一只|一件|一套|那款|这款)*"
_JOINED = ("加", "和", "跟", "连", "配", "加上", "送", "带")   # the second of a sum or a bundle: not its own price
_OTHER_SHOP = re.compile(r"别家|别的店|其他店|人家|外面|网上|超市|专柜|您说|你说")   # a price the buyer met elsewhere
_QUANTITY_BEFORE = re.compile(r"(?:[两二三四五六七八九十几0-9]|好几)[个件只套根条份盒](?:的)?$")


@lru_cache(maxsize=64)
def _names_pattern(price_of: tuple[tuple[str, float], ...]) -> str:
    """The product names of ``price_of`` as one alternation, longest first."""
    return "|".join(re.escape(n) for n, _ in sorted(price_of, key=lambda x: len(x[0]), reverse=True))


def _named_price(folded: str, m: re.Match, price_of: tuple[tuple[str, float], ...]) -> str:
    """Why a price next to a product's name is not that product's price ('' when it is, or none is named).

    >>> _named_price("保温杯只要79元", _PRICE.search("保温杯只要79元"), (("保温杯", 89.0), ("香薰蜡烛", 79.0)))
    '保温杯的价格是89元，不是79元'
    >>> _named_price("散热架加保温杯一共128元", _PRICE.search("散热架加保温杯一共128元"), (("保温杯", 89.0),))
    ''
    >>> _named_price("您买的两个充电宝258元", _PRICE.search("您买的两个充电宝258元"), (("充电宝", 129.0),))
    ''
    >>> _named_price("双肩包加护理套装也是149元", _PRICE.search("双肩包加护理套装也是149元"), (("护理套装", 39.0),))
    ''
    """
    names = _names_pattern(price_of)
    value = float(m["y"] or m["v"] or m["w"])
    before = re.search(f"({names})[,:]?{_NAME_TO_PRICE}$", folded[:m.start()])      # “保温杯，79元”
    after = re.match(f"{_PRICE_TO_NAME}({names})", folded[m.end():])
    start = max((e.end() for e in _CLAUSE_END.finditer(folded, 0, before.start())), default=0) if before else 0
    for found, head in ((before, folded[start:before.start()] if before else ""),
                        (after, folded[m.end():m.end() + after.start(1)] if after else "")):
        if found and not _QUANTITY_BEFORE.search(head) and not head.endswith(_JOINED):   # “两个充电宝258元”, “包加护理套装149元”
            price = dict(price_of)[found[1]]
            return "" if price == value else f"{found[1]}的价格是{price:g}元，不是{value:g}元"
    return ""


def _not_a_delivery(folded: str, m: re.Match) -> bool:
    """A 到 after a person or to the agent's own places, or a 收到 of a message, is not a parcel arriving."""
    if m["verb"] in ("到", "能到"):
        return (folded.startswith(_OWN_PLACES, m.end())
                or folded[:m.start()].endswith(_PERSON) and not folded.startswith("手", m.end()))
    return m["verb"] == "收到" and folded.startswith(_RECEIVED, m.end())


KINDS = ("价格", "时间", "到货时效", "赠品", "保障", "卖点", "尺寸", "优惠", "官方身份", "库存", "说错")


@dataclass(frozen=True)
class Facts:
    """What a reply may claim (an item's ``facts:`` block)."""

    prices: tuple[float, ...] = ()
    times: tuple[str, ...] = ()
    durations: tuple[str, ...] = ()
    gifts: tuple[str, ...] = ()
    guarantees: tuple[str, ...] = ()
    discount: bool = False
    official: bool = False
    stock_short: bool = False
    wrong: tuple[tuple[str, tuple[str, ...]], ...] = ()     # (what is wrong, the phrasings that say it)
    features: tuple[str, ...] = ()                           # 卖点 the product data states (names in the vocabulary)
    sizes: tuple[str, ...] = ()                              # the product data's sizes (“可放14英寸笔记本”); none: not checked
    price_of: tuple[tuple[str, float], ...] = ()             # (a product's name as a buyer says it, its price)

    def plus(self, other: Facts | None) -> Facts:
        """These facts and ``other``'s (a turn adds to its scenario's facts; flags: either allows)."""
        if other is None:
            return self
        lists = ("prices", "times", "durations", "gifts", "guarantees", "wrong", "features", "sizes", "price_of")
        return Facts(**{f: tuple(dict.fromkeys(getattr(self, f) + getattr(other, f))) for f in lists},
                     discount=self.discount or other.discount, official=self.official or other.official,
                     stock_short=self.stock_short or other.stock_short)


@dataclass(frozen=True)
class ClaimVocab:
    """How claims are recognised (``facts:`` in ``rubric.yaml``)."""

    guarantees: dict = field(default_factory=dict)         # name → tuple of phrasings
    features: dict = field(default_factory=dict)           # 卖点 name → tuple of phrasings
    official: tuple[str, ...] = ()
    scarcity: tuple[str, ...] = ()                           # regular expressions
    discount: tuple[str, ...] = ()                           # regular expressions
    allow: tuple[str, ...] = ()                              # harmless phrases (regular expressions): no claim
    wrong: dict = field(default_factory=dict)              # a platform rule → regular expressions that contradict it


@dataclass(frozen=True)
class Claim:
    kind: str
    quote: str
    reason: str

    def text(self) -> str:
        return f"「{self.quote}」（{self.reason}）"


def clock_times(folded: str) -> list[tuple[int, int, set[str]]]:
    """Every clock time in folded text: (start, end, the 24-hour readings it may mean).

    >>> [sorted(t) for _, _, t in clock_times("下午4点前、16:00前、4点半")]
    [['16:00'], ['16:00'], ['04:30', '16:30']]
    """
    found = []
    for rx in (_CLOCK, _CLOCK_CN):
        for m in rx.finditer(folded):
            hour = int(m["h"]) if m["h"].isdigit() else _CN[m["h"]]
            minute = 30 if m["half"] else int(m.groupdict().get("m") or m.groupdict().get("m2") or 0)
            if hour > 24 or minute > 59:
                continue
            period = m["p"] or ""
            if period in _LATE and hour < 12 or period == "中午" and hour < 3:
                readings = {hour + 12}
            elif period or hour >= 12:
                readings = {hour}
            else:
                readings = {hour, hour + 12}
            found.append((m.start() + len(period), m.end(), {f"{h % 24:02d}:{minute:02d}" for h in readings}))
    return sorted(found, key=lambda t: t[0])


def _cn_number(text: str) -> int:
    return int(text) if text.isdigit() else _CN.get(text, 0)


def duration_key(text: str) -> tuple[int, int, str] | None:
    """“2～3天”, “两三天”, “48小时” → (low, high, unit); ``None`` when there is no duration.

    >>> duration_key("快递一般2、3天就到") == duration_key("2～3天")
    True
    """
    m = re.search(rf"(?P<a>{_NUM})(?:{_SPAN}?(?P<b>{_NUM}))?个?(?P<u>天|小时|工作日)", fold_reply(text))
    if not m:
        return None
    low = _cn_number(m["a"])
    return low, _cn_number(m["b"]) if m["b"] else low, m["u"]


def size_ranges(text: str) -> set[tuple[str, float, float]]:
    """(unit, low, high) for every number of a size text: the numbers of “长30×高42×宽14厘米”
    all take its unit; a range (“11～17英寸”) is one.  Nothing when the text has no unit.

    >>> sorted(size_ranges("长30×高42×宽14厘米，可放14英寸笔记本"))
    [('厘米', 14.0, 14.0), ('厘米', 30.0, 30.0), ('厘米', 42.0, 42.0), ('英寸', 14.0, 14.0)]
    >>> sorted(size_ranges("适用于11～17英寸笔记本电脑"))
    [('英寸', 11.0, 17.0)]
    """
    folded, out, start = fold_reply(text), set(), 0
    for m in _MEASURE.finditer(folded):             # each unit takes the numbers since the last one
        for n in _RANGE.finditer(folded, start, m.end()):
            out.add((_UNITS[m["u"]], float(n["a"]), float(n["b"] or n["a"])))
        start = m.end()
    return out


def _states_size(folded: str, m: re.Match) -> bool:
    return bool(_SIZE_BEFORE.search(folded, max(0, m.start() - 6), m.start()) or _SIZE_AFTER.match(folded, m.end()))


def _size_allowed(m: re.Match, allowed: set[tuple[str, float, float]]) -> bool:
    unit = _UNITS[m["u"]]
    return all(any(u == unit and low <= float(n) <= high for u, low, high in allowed) for n in (m["a"], m["b"]) if n)


def _numbers(text: str) -> set[float]:
    return {float(n) for n in _NUMBER.findall(fold_reply(text))}


def _overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(start < b and a < end for a, b in spans)


def _gift_named(obj: str, facts: Facts, vocab: ClaimVocab) -> str | None:
    """The facts' gift an offered object names; '' when it is no gift to judge (too short, an
    allowed guarantee); ``None`` when the facts have no such gift."""
    obj = _QUANTITY.sub("", obj)
    if len(obj) < 2 or obj.startswith(_NOT_A_PRESENT):
        return ""
    for name in facts.gifts:
        gift = fold_reply(name)
        n = min(len(gift), 3)
        if any(gift[i:i + n] in obj for i in range(len(gift) - n + 1)):
            return name
    if any(_guarantee_allowed(name, word, facts) and fold_reply(word) in obj
           for name, words in vocab.guarantees.items() for word in words):
        return ""
    return None


def gift_offers(text: str, facts: Facts, vocab: ClaimVocab, lex: Lexicon) -> list[tuple[Hit, str | None]]:
    """Every gift ``text`` offers (送/赠/加送 … stated positively): the hit and the facts' gift
    it names ('' for no gift to judge, ``None`` for a gift the facts do not have).

    >>> facts, lex = Facts(gifts=("手机支架",)), Lexicon(negations=("不能",))
    >>> offers = gift_offers("再加送您一个手机支架，不能再送您保温杯", facts, ClaimVocab(), lex)
    >>> [(h.text, name, h.blocked) for h, name in offers]
    [('加送您一个手机支架', '手机支架', ''), ('再送您保温杯', None, 'negated')]
    >>> [name for _, name in gift_offers("给您多放了一个杯套当赠品", facts, ClaimVocab(), lex)]
    [None]
    """
    folded = fold_reply(text)
    offers = []
    for m in _GIFT.finditer(folded):
        if m["obj"].startswith(_NOT_GIFT + _THIRD_PERSON) or folded[m.start() - 1:m.start()] in ("配", "发", "运", "接", "护"):
            continue
        if folded[max(0, m.start() - 4):m.start()].endswith(_BUYERS_PRESENT + tuple(w + "您" for w in _BUYERS_PRESENT)):
            continue
        if m.group(0).startswith(("当", "作为", "算作")):       # “多放了一个杯套当赠品”: the gift stands before
            name = _gift_named(_CLAUSE_END.split(folded[:m.start()])[-1], facts, vocab)
            offers.append((judge(folded, m.start(), m.end(), lex), name))
            continue
        name = _gift_named(m["obj"], facts, vocab)
        if not name:                # the gift named before the verb: “数据线可以送您一份（两根装的）”
            topic = _CLAUSE_END.split(folded[:m.start()])[-1]
            name = (_gift_named(topic, facts, vocab) or None) if name is None else _gift_named(topic, facts, vocab) or ""
        offers.append((judge(folded, m.start(), m.end(), lex), name))
    return offers


def _guarantee_allowed(name: str, word: str, facts: Facts) -> bool:
    allowed = [fold_reply(g) for g in facts.guarantees]
    word, name = fold_reply(word), fold_reply(name)
    return any(name == g or word in g for g in allowed)


def _listed(values) -> str:
    return "、".join(values)


def invented_claims(text: str, facts: Facts, vocab: ClaimVocab, lex: Lexicon, buyer: str = "") -> list[Claim]:
    """Claims in ``text`` that ``facts`` (and the buyer's own message) do not allow."""
    folded = fold_reply(text)
    claims: list[Claim] = []
    taken: list[tuple[int, int]] = []

    def add(hit: Hit, kind: str, reason: str) -> None:
        if not hit.blocked and not _overlaps(hit.start, hit.end, taken):
            taken.append((hit.start, hit.end))
            claims.append(Claim(kind, hit.text, reason))

    def regex_hits(rx: re.Pattern) -> list[tuple[Hit, re.Match]]:
        return [(judge(folded, m.start(), m.end(), lex), m) for m in rx.finditer(folded)]

    prices = set(facts.prices) | _numbers(buyer)
    gaps = {round(abs(a - b), 2) for a in prices for b in prices}                          # 89 − 79 is 10
    if not facts.discount:
        for hit in find_patterns(vocab.discount, folded, lex, allow=vocab.allow):     # allow: a price comparison
            if _numbers(hit.text) and _numbers(hit.text) <= set(facts.prices) and not _CUT.search(hit.text):
                continue                        # “149就能拿下”: the list price, said as a price, is no cut
            if _numbers(hit.text) and _numbers(hit.text) <= gaps and _COMPARED.fullmatch(hit.text) \
                    and not folded[:hit.start].endswith(_OFFERED):
                continue                        # “托特包好看、便宜20块”: the difference of two real prices
            add(hit, "优惠", "店铺价格统一，客服不能降价、打折或改价")
    if not facts.official:
        for hit in find_words(vocab.official, folded, lex, negation_only=True):
            add(hit, "官方身份", "店铺不是官方店、旗舰店或直营店")
    if not facts.stock_short:
        for hit in find_patterns(vocab.scarcity, folded, lex):
            add(hit, "库存", "店铺的库存并不紧张")
    compared = allowed_spans(folded, vocab.allow)                                         # “比蜡烛贵10元”
    buyers_own = _numbers(buyer) - set(facts.prices)            # the buyer's budget or another shop's price
    for hit, m in regex_hits(_PRICE):
        value = float(m["y"] or m["v"] or m["w"])
        before = folded[:m.start()]
        if value in gaps and (any(a <= m.start() and m.end() <= b for a, b in compared)
                              or before.endswith(("便宜", "贵")) and not before[:-2].endswith(_OFFERED)):
            continue                        # a true difference: “比蜡烛贵10元”, “蜡烛更便宜10块”
        if value not in prices:
            add(hit, "价格", "店铺情况里没有这个价格" + (f"，可以说的价格：{_listed(f'{p:g}元' for p in facts.prices)}"
                                                         if facts.prices else ""))
        elif facts.price_of and value not in buyers_own \
                and not _OTHER_SHOP.search(_CLAUSE_END.split(folded[:m.start()])[-1]) \
                and (named := _named_price(folded, m, facts.price_of)):
            add(hit, "价格", named)
    times = {t for f in facts.times for *_, r in clock_times(fold_reply(f)) for t in r}
    times |= {t for *_, r in clock_times(fold_reply(buyer)) for t in r}
    for start, end, readings in clock_times(folded):
        about = folded.startswith("多", end)                    # “现在15点多”: some time in that hour
        if not readings & times and not (about and {r[:2] for r in readings} & {t[:2] for t in times}):
            add(judge(folded, start, end, lex), "时间",
                "店铺情况里没有这个时间" + (f"，可以说的时间：{_listed(facts.times)}" if facts.times else ""))
    durations = {duration_key(d) for d in (*facts.durations, buyer)} - {None}
    dates = [(hit, m) for hit, m in regex_hits(_DATE_DELIVERY) if not _not_a_delivery(folded, m)]
    for hit, m in regex_hits(_DURATION) + dates:
        if duration_key(m.group(0)) not in durations:
            add(hit, "到货时效", "店铺没有这样承诺过" + (f"，可以说：一般{_listed(facts.durations)}" if facts.durations else "")
                + ("；带着“应该”“估计”说出的日子，顾客也会当成承诺" if re.search(_HEDGE, m.group(0))
                   else "；到货日期不能打包票"))
    guarantees = [(name, hit) for name, words in vocab.guarantees.items()
                  for hit in find_words(words, folded, lex, allow=vocab.allow)]
    listed = [(h.start, h.end) for name, h in guarantees if not h.blocked and _guarantee_allowed(name, h.text, facts)]
    for name, hit in guarantees:
        if any(a <= hit.start and hit.end <= b for a, b in listed):
            continue                    # inside a listed guarantee's phrasing: 全国保修 is 全国联保, not 保修
        if not _guarantee_allowed(name, hit.text, facts):
            add(hit, "保障", f"店铺没有“{name}”这项保障"
                + (f"，可以说的保障：{_listed(facts.guarantees)}" if facts.guarantees else ""))
        elif hit.blocked == "negated":
            add(Hit(hit.start, hit.end, hit.context), "说错", f"店铺其实有“{name}”，不能说没有")
    if any(fold_reply(g) == "运费险" for g in facts.guarantees):
        for hit, _m in regex_hits(_FREIGHT_SELF):
            add(hit, "说错", "店铺每单送运费险，退货运费由运费险赔付，不能说要顾客自己出")
    for hit, m in regex_hits(_RETURN_DAYS):
        if (m["n"] or m["m"]) not in ("7", "七"):
            add(hit, "保障", "无理由退货是七天（签收次日起算），不能随口说成别的天数")
    for hit in find_words(facts.gifts, folded, lex, negation_only=True):
        if hit.blocked:
            add(Hit(hit.start, hit.end, hit.context), "说错", "店铺其实送这项赠品，不能说不送")
    for hit, name in gift_offers(text, facts, vocab, lex):
        if name is None:
            add(hit, "赠品", "店铺没有这项赠品" + (f"，可以送的：{_listed(facts.gifts)}" if facts.gifts else ""))
    for name, words in facts.wrong:
        for hit in find_words(words, folded, lex):
            add(hit, "说错", name)
    for name, patterns in vocab.wrong.items():             # the platform's rules, the same in every shop
        for hit in find_patterns(patterns, folded, lex, allow=vocab.allow):
            add(hit, "说错", name)
    if facts.sizes:
        sizes = {r for text in facts.sizes for r in size_ranges(text)}
        sizes |= {(unit, n, n) for unit in set(_UNITS.values()) for n in _numbers(buyer)}
        for hit, m in regex_hits(_MEASURE):
            if _states_size(folded, m) and not _size_allowed(m, sizes):
                add(hit, "尺寸", f"商品资料里没有这个尺寸，资料写的是：{_listed(facts.sizes)}")
    for name, words in vocab.features.items():      # after 说错: a feature the item names as wrong says why
        if name not in facts.features:
            for hit in find_words(words, folded, lex, allow=vocab.allow):
                add(hit, "卖点", f"商品资料里没有“{name}”这个卖点")
    return sorted(claims, key=lambda c: folded.find(c.quote))
