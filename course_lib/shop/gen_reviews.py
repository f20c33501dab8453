"""Reviews of the shop world, consistent with the orders they belong to.

Used by :mod:`course_lib.shop.generator`, with a random stream of its own so that changing the
reviews never changes the orders.  The rules (checked by ``tests/test_shop_data.py``):

* only 交易成功 orders are reviewed, after 确认收货 and within 15 days of it;
* 好评 scores all three DSR items 4–5, 中评 2–4, 差评 1–3;
* a 中评 or 差评 has a reason (原因分类), a 好评 none; the DSR item of the reason is the lowest
  of the three (1 or 2 for a 差评, at most 3 for a 中评);
* the text fits the reason, or for a 好评 the category of what was bought;
* 物流慢 only for deliveries of at least 4 days (texts saying 一个星期 at least 7), 物流慢 and
  包装破损 only for parcels, 客服态度 only when the buyer talked to an agent.
"""
from __future__ import annotations

import random
from datetime import datetime, timedelta

from .catalogue import BAD_REASONS, GOOD_TEXTS, REASON_ITEM, WEEK_LONG
from .gen_chat import seconds
from .rows import Review

REVIEW_WINDOW = timedelta(days=15)
ITEMS = ("描述相符", "服务态度", "物流服务")
_REASON_WEIGHTS = {"物流慢": 30, "质量问题": 25, "与描述不符": 20, "客服态度": 12, "包装破损": 13}


def review(rng: random.Random, oid: str, shipped: datetime, confirmed: datetime, end: datetime, category: str,
           parcel: bool, talked: bool) -> Review | None:
    """The review of one 交易成功 order, or ``None`` (no review, or not yet written by ``end``).

    ``category`` is the 品类 of the order's main product; ``parcel`` whether it was shipped
    (not 无需物流); ``talked`` whether the buyer chatted with an agent about it.
    """
    writes = rng.random() < 0.68
    when = confirmed + min(seconds(rng, 20 * 3600, 600), REVIEW_WINDOW)
    level = rng.choices(["好评", "中评", "差评"], weights=[91, 6, 3])[0]
    general = rng.random() < 0.4
    pick = rng.random()
    tone = rng.random()
    scores = [rng.random() for _ in ITEMS]
    if not writes or when > end:
        return None
    if level == "好评":
        texts = GOOD_TEXTS["通用" if general or category not in GOOD_TEXTS else category]
        dsr = [5 if s < 0.85 else 4 for s in scores]
        return Review(订单编号=oid, 评价时间=when, 评价等级=level, 描述相符=dsr[0], 服务态度=dsr[1], 物流服务=dsr[2],
                      原因分类="", 评价内容=texts[int(pick * len(texts))])
    days = (confirmed - shipped) / timedelta(days=1)
    allowed = {reason: weight for reason, weight in _REASON_WEIGHTS.items()
               if (reason != "物流慢" or (parcel and days >= 4)) and (reason != "包装破损" or parcel)
               and (reason != "客服态度" or talked)}
    reason = rng.choices(list(allowed), weights=list(allowed.values()))[0]
    bad, middling = BAD_REASONS[reason]
    texts = [t for t in (bad if level == "差评" else middling) if WEEK_LONG not in t or days >= 7]
    low, high = (1, 3) if level == "差评" else (2, 4)
    worst = low + int(tone * 2)                            # 差评: 1–2, 中评: 2–3
    item = ITEMS.index(REASON_ITEM[reason])
    dsr = [worst if i == item else worst + int(s * (high - worst + 1)) for i, s in enumerate(scores)]
    return Review(订单编号=oid, 评价时间=when, 评价等级=level, 描述相符=dsr[0], 服务态度=dsr[1], 物流服务=dsr[2],
                  原因分类=reason, 评价内容=texts[int(pick * len(texts))])
