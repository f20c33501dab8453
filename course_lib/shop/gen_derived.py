"""Values of the shop world computed from other tables, with no randomness.

* :func:`phone_tail` — the last four digits of a buyer's phone (unit 05 finds orders by them;
  only four digits are stored, as data minimisation asks).
* :func:`order_notes` — the seller's note each order shows when the data were taken (unit 05's
  订单备注): the last reminder's outcome, or the after-sale refund.

>>> phone_tail("C0001")
'0660'
"""
from __future__ import annotations

import hashlib

from .rows import OrderNote


def phone_tail(customer_id: str) -> str:
    """Four digits (leading zeros kept), the same for a 顾客编号 on every machine."""
    digest = hashlib.sha256(("heyue-phone:" + customer_id).encode("utf-8")).hexdigest()
    return f"{int(digest, 16) % 10000:04d}"


def order_notes(orders: list, reminders: list, sessions: list) -> list:
    """One note per order that has one, in 订单编号 order.

    Rules, later ones override earlier ones:

    1. the order's last reminder: 绿 “MM/DD HH:MM，{方式}催付（{原因}），顾客已付款” when it was
       paid, 绿 “…，未付款，订单已关闭” when the order closed unpaid, 黄 “…，等顾客回复” while it
       still waits for payment; written at the reminder's time by its agent;
    2. an after-sale refund: 紫 “售后：{退款原因}，已全额退款” at 退款时间, or “…，退款处理中” at
       申请退款时间 while the refund is open; written by the after-sale agent of the order.
    """
    status = {o.订单编号: o for o in orders}
    notes: dict[str, OrderNote] = {}
    for r in sorted(reminders, key=lambda r: (r.订单编号, r.第几次)):
        head = f"{r.催付时间:%m/%d %H:%M}，{r.催付方式}催付（{r.未付款原因}）"
        if r.是否付款:
            flag, text = "绿", head + "，顾客已付款"
        elif status[r.订单编号].订单状态 == "等待买家付款":
            flag, text = "黄", head + "，等顾客回复"
        else:
            flag, text = "绿", head + "，未付款，订单已关闭"
        notes[r.订单编号] = OrderNote(订单编号=r.订单编号, 备注时间=r.催付时间, 客服编号=r.客服编号, 旗帜=flag, 备注内容=text)
    helper = {s.订单编号: s.客服编号 for s in sessions if s.咨询类型 == "售后咨询"}
    for o in orders:
        if o.退款时间 is not None:
            notes[o.订单编号] = OrderNote(订单编号=o.订单编号, 备注时间=o.退款时间, 客服编号=helper[o.订单编号], 旗帜="紫",
                                      备注内容=f"售后：{o.退款原因}，已全额退款")
        elif o.申请退款时间 is not None:
            notes[o.订单编号] = OrderNote(订单编号=o.订单编号, 备注时间=o.申请退款时间, 客服编号=helper[o.订单编号], 旗帜="紫",
                                      备注内容=f"售后：{o.退款原因}，退款处理中")
    return [notes[key] for key in sorted(notes)]
