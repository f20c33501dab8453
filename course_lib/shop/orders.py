"""The order state machine of unit 05 (客服工具与工作流程).

Rule source: 教材 (交易流程, 订单状态, 退换货订单处理) and the buyer's trade flow
浏览 → 拍下 → 付款 → 等待送货 → 确认收货 → 评价.  States and events are the Chinese
words a Taobao/千牛 seller sees; the legal moves are data in :data:`TRANSITIONS`:

========================  ==========================================================
state                     event → next state
========================  ==========================================================
等待买家付款              付款 → 买家已付款（待发货）；关闭 → 交易关闭
买家已付款（待发货）      发货 → 卖家已发货；申请退款 → 退款中
卖家已发货                确认收货 → 交易成功；申请退款 → 退款中
交易成功                  申请退款 → 退款中（售后）
退款中                    退款完成 → 交易关闭（售后退款：交易成功）；撤销退款 → 申请退款前的状态
交易关闭                  final: no event allowed
========================  ==========================================================

Every order starts with the event 拍下 (→ 等待买家付款); 拍下 is never legal later.
撤销退款 returns to the state the order was in before 申请退款, and 退款完成 depends on
it too: a full refund before the trade succeeded closes the trade (交易关闭, as on
Taobao, where 退款成功 is the refund's status, not the order's); a 售后 refund after
交易成功 leaves the trade 交易成功.  So :func:`next_state` needs ``before_refund`` for
both, and :func:`validate_sequence` remembers it.  「退款成功」 is still accepted as
an old name of the state 交易关闭.

>>> next_state("等待买家付款", "付款")
'买家已付款（待发货）'
>>> next_state("卖家已发货", "付款")
Traceback (most recent call last):
...
course_lib.shop.orders.OrderStateError: 「卖家已发货」状态下不能「付款」，可以：确认收货、申请退款
>>> validate_sequence(["拍下", "付款", "发货", "申请退款", "撤销退款", "确认收货"]).ok
True
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from types import MappingProxyType

from ..text import plain_str, to_halfwidth

WAIT_PAY = "等待买家付款"
PAID = "买家已付款（待发货）"
SHIPPED = "卖家已发货"
SUCCESS = "交易成功"
CLOSED = "交易关闭"
REFUNDING = "退款中"
REFUNDED = "退款成功"
STATES = (WAIT_PAY, PAID, SHIPPED, SUCCESS, CLOSED, REFUNDING)
FINAL_STATES = (CLOSED,)
REFUND_STATUS = REFUNDED
"""退款成功 is the status of a refund (shown in 千牛 beside the order), not an order state."""

PLACE = "拍下"
EVENTS = ("拍下", "付款", "发货", "确认收货", "关闭", "申请退款", "退款完成", "撤销退款")
START_EVENT = PLACE
START_STATE = WAIT_PAY

BEFORE_REFUND = "申请退款前的状态"
"""Target of 撤销退款 in :data:`TRANSITIONS`: the state the order had before 申请退款."""

AFTER_REFUND = "退款完成后的状态"
"""Target of 退款完成: 交易关闭, or 交易成功 when the refund was a 售后 refund after 交易成功."""

TRANSITIONS = MappingProxyType({
    WAIT_PAY: MappingProxyType({"付款": PAID, "关闭": CLOSED}),
    PAID: MappingProxyType({"发货": SHIPPED, "申请退款": REFUNDING}),
    SHIPPED: MappingProxyType({"确认收货": SUCCESS, "申请退款": REFUNDING}),
    SUCCESS: MappingProxyType({"申请退款": REFUNDING}),
    REFUNDING: MappingProxyType({"退款完成": AFTER_REFUND, "撤销退款": BEFORE_REFUND}),
    CLOSED: MappingProxyType({}),
})
"""``{state: {event: next state}}``; a pair not listed is illegal (read-only)."""

_ALIASES = {"买家已付款": PAID, "待发货": PAID, "已发货": SHIPPED, "退款成功": CLOSED, "退款完毕": CLOSED}


class OrderStateError(ValueError):
    """An illegal or unknown state/event; ``str(error)`` is a Chinese message."""


def _fold(text: str) -> str:
    return "".join(to_halfwidth(text).split())


def _canonical(value: object, names: Iterable[str], aliases: dict[str, str]) -> str | None:
    if not isinstance(value, str):
        return None
    folded = _fold(plain_str(value)[:50])
    for name in names:
        if _fold(name) == folded:
            return name
    return aliases.get(folded)


def _shown(value: object) -> str:
    return plain_str(value)[:20] if isinstance(value, str) else repr(value)[:20]


def _state(state: object) -> str:
    found = _canonical(state, STATES, _ALIASES)
    if found is None:
        raise OrderStateError(f"「{_shown(state)}」不是订单状态，订单状态有：{'、'.join(STATES)}")
    return found


def _event(event: object) -> str:
    found = _canonical(event, EVENTS, {})
    if found is None:
        raise OrderStateError(f"「{_shown(event)}」不是订单事件，可用的事件有：{'、'.join(EVENTS)}")
    return found


def legal_events(state: str) -> tuple[str, ...]:
    """The events allowed in ``state``, in the order of :data:`EVENTS` (empty when final).

    >>> legal_events("买家已付款（待发货）")
    ('发货', '申请退款')
    >>> legal_events("交易关闭")
    ()
    """
    moves = TRANSITIONS[_state(state)]
    return tuple(e for e in EVENTS if e in moves)


def next_state(state: str, event: str, before_refund: str | None = None) -> str:
    """The state after ``event`` happens in ``state``, or :class:`OrderStateError`.

    ``before_refund`` is the state before 申请退款; it is needed for 撤销退款 and 退款完成.

    >>> next_state("退款中", "撤销退款", before_refund="卖家已发货")
    '卖家已发货'
    >>> next_state("退款中", "退款完成", before_refund="买家已付款（待发货）")
    '交易关闭'
    >>> next_state("交易关闭", "付款")
    Traceback (most recent call last):
    ...
    course_lib.shop.orders.OrderStateError: 「交易关闭」状态下不能「付款」：交易已经结束，不能再进行任何操作
    """
    state, event = _state(state), _event(event)
    target = TRANSITIONS[state].get(event)
    if target is None:
        if state in FINAL_STATES:
            raise OrderStateError(f"「{state}」状态下不能「{event}」：交易已经结束，不能再进行任何操作")
        raise OrderStateError(f"「{state}」状态下不能「{event}」，可以：{'、'.join(legal_events(state))}")
    if target in (BEFORE_REFUND, AFTER_REFUND):
        refundable = [s for s in STATES if "申请退款" in TRANSITIONS[s]]
        if before_refund is None:
            raise OrderStateError(f"「{event}」后的状态取决于申请退款前的状态，请用 before_refund 写明是哪一个："
                                  f"{'、'.join(refundable)}")
        previous = _state(before_refund)
        if previous not in refundable:
            raise OrderStateError(f"「{previous}」状态下不能申请退款，申请退款前的状态只能是："
                                  f"{'、'.join(refundable)}")
        if target == AFTER_REFUND:
            return SUCCESS if previous == SUCCESS else CLOSED
        return previous
    return target


@dataclass(frozen=True)
class SequenceCheck:
    """Result of :func:`validate_sequence`.

    ``states`` holds the state after each accepted event (so ``states[i]`` follows
    ``events[i]``); ``error_index`` is the 0-based position of the first bad event.
    """

    ok: bool
    states: tuple[str, ...]
    error_index: int | None
    message: str

    @property
    def final_state(self) -> str | None:
        """The state reached by the last accepted event (``None`` if none was accepted)."""
        return self.states[-1] if self.states else None


def validate_sequence(events: list[str]) -> SequenceCheck:
    """Check a whole event list, starting with 拍下. Never raises, whatever ``events`` is.

    >>> check = validate_sequence(["拍下", "付款", "发货", "付款"])
    >>> check.ok, check.error_index, check.final_state
    (False, 3, '卖家已发货')
    >>> check.message
    '第4步：「卖家已发货」状态下不能「付款」，可以：确认收货、申请退款'
    >>> validate_sequence(["拍下", "关闭"]).message
    '事件顺序合法，最终状态是「交易关闭」。'
    """
    if isinstance(events, (str, bytes)) or not isinstance(events, (list, tuple)):
        return SequenceCheck(False, (), 0, "请把事件写成列表，例如 [\"拍下\", \"付款\"]。")
    if not events:
        return SequenceCheck(False, (), 0, "事件列表是空的：订单应从「拍下」开始。")
    states: list[str] = []
    before_refund: str | None = None
    for index, raw in enumerate(events):
        try:
            event = _event(raw)
            if index == 0:
                if event != START_EVENT:
                    raise OrderStateError(f"订单应从「{START_EVENT}」开始，第一步不能是「{event}」")
                state = START_STATE
            else:
                current = states[-1]
                state = next_state(current, event, before_refund)
                if event == "申请退款":
                    before_refund = current
        except OrderStateError as error:
            return SequenceCheck(False, tuple(states), index, f"第{index + 1}步：{error}")
        states.append(state)
    return SequenceCheck(True, tuple(states), None, f"事件顺序合法，最终状态是「{states[-1]}」。")
