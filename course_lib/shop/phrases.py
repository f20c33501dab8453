"""快捷短语 of 「禾悦优选」 (unit 05's workbench): short ready-made replies for each order state.

Every phrase uses only the shop's real facts (16:00 cut-off, 快递一般2～3天, 七天无理由退货 …) and
no word the reply rubric forbids (``tests/test_workbench.py`` checks both).  Placeholders in
``{…}`` are filled from the selected order by :func:`phrase_values` and :func:`fill_phrase`.

>>> [p.title for p in phrases_for("卖家已发货")]
['问候', '物流查询', '快到自动确认收货', '告别']
"""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from ..text import plain_str, to_halfwidth
from .order_lookup import DATA_END, order_history
from .orders import CLOSED, PAID, REFUNDING, SHIPPED, STATES, SUCCESS, WAIT_PAY
from .timeline import format_moment


@dataclass(frozen=True)
class Phrase:
    """A 快捷短语: a title, the text with ``{占位符}`` and the order states it suits."""

    title: str
    text: str
    states: tuple[str, ...]

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(re.findall(r"\{(\w+)\}", self.text)))


QUICK_PHRASES = (
    Phrase("问候", "您好，欢迎光临禾悦优选，我是客服{客服}，请问有什么可以帮您？", STATES),
    Phrase("提醒付款", "{昵称}您好，我是禾悦优选的客服{客服}～您拍下的{商品}还没有付款，订单会在{自动关闭时间}自动关闭。"
           "16:00前付款当天发货，有问题随时找我～", (WAIT_PAY,)),
    Phrase("核对地址", "{昵称}您好，您的订单已付款，麻烦您核对一下收货地址和电话，确认无误我们就安排发货～", (PAID,)),
    Phrase("发货时间", "每天16:00前付款的订单当天发货，16:00以后付款的第二天发货，发货后您可以在订单里查看物流～",
           (WAIT_PAY, PAID)),
    Phrase("物流查询", "{昵称}您好，您的{商品}已经发出了，快递一般2～3天送到，偏远地区会久一些，您可以在订单里查看物流信息～",
           (SHIPPED,)),
    Phrase("快到自动确认收货", "{昵称}您好，您的订单将在{自动确认收货时间}自动确认收货，如果还没收到货，请告诉我，"
           "我帮您查物流、延长收货时间～", (SHIPPED,)),
    Phrase("邀请评价", "{昵称}您好，{商品}用得还满意吗？方便的话，欢迎按真实感受给我们评价，有问题随时找我～", (SUCCESS,)),
    Phrase("退款进度", "{昵称}您好，您的退款申请我们已经收到，售后同事正在处理，有进展我会马上告诉您～", (REFUNDING,)),
    Phrase("未付款已关闭", "{昵称}您好，这个订单没有付款，已经关闭了；如果还需要，可以重新拍下，有问题随时找我～", (CLOSED,)),
    Phrase("退款已完成", "{昵称}您好，这笔订单已经全额退款，交易关闭了，退款详情可以在订单里查看，有问题随时找我～",
           (CLOSED,)),
    Phrase("告别", "感谢您的支持，祝您生活愉快！有问题随时找{客服}～", STATES),
)
"""The shop's quick phrases, in the order the workbench lists them."""

_STATE_ALIASES = {"待发货": PAID, "买家已付款": PAID, "已发货": SHIPPED, "退款成功": CLOSED}


def phrases_for(state: str) -> tuple[Phrase, ...]:
    """The quick phrases that suit an order state (问候 and 告别 suit every state)."""
    if not isinstance(state, str):
        raise ValueError(f"订单状态应写成文字，订单状态有：{'、'.join(STATES)}。")
    text = "".join(to_halfwidth(plain_str(state)).split())[:20]
    text = next((s for s in STATES if "".join(to_halfwidth(s).split()) == text), _STATE_ALIASES.get(text, text))
    if text not in STATES:
        raise ValueError(f"「{text}」不是订单状态，订单状态有：{'、'.join(STATES)}。")
    return tuple(p for p in QUICK_PHRASES if text in p.states)


def fill_phrase(phrase: Phrase, **values: object) -> str:
    """The phrase with its ``{占位符}`` filled; ``ValueError`` names what is missing.

    >>> fill_phrase(QUICK_PHRASES[0], 客服="小雅")
    '您好，欢迎光临禾悦优选，我是客服小雅，请问有什么可以帮您？'
    >>> fill_phrase(QUICK_PHRASES[4], 昵称="橙子")
    Traceback (most recent call last):
    ...
    ValueError: 这条快捷短语还缺：商品。请先选中一个订单。
    """
    if not isinstance(phrase, Phrase):
        raise ValueError("请从 QUICK_PHRASES 里选一条快捷短语。")
    missing = [f for f in phrase.fields if not str(values.get(f) or "").strip()]
    if missing:
        raise ValueError(f"这条快捷短语还缺：{'、'.join(missing)}。请先选中一个订单。")
    return re.sub(r"\{(\w+)\}", lambda m: plain_str(str(values[m.group(1)])).strip(), phrase.text)


def phrase_values(row: Mapping, nickname: str, products: Sequence[str], agent: str,
                  now: datetime = DATA_END) -> dict[str, str]:
    """The values a quick phrase can use for one order (昵称 without the digits after “_”).

    >>> row = {"拍下时间": datetime(2025, 12, 31, 20, 0)}
    >>> phrase_values(row, "橙子_4350", ["PU配皮托特包"], "小雅")["自动关闭时间"]
    '1月1日 20:00'
    """
    values = {"昵称": plain_str(nickname).split("_")[0] if isinstance(nickname, str) else "",
              "商品": "、".join(str(p) for p in products), "客服": agent if isinstance(agent, str) else ""}
    for item in order_history(row, now):
        if item.kind == "期限":
            key = "自动关闭时间" if item.label == "自动关闭" else "自动确认收货时间"
            values[key] = format_moment(item.at)
    return values
