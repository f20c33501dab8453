"""The shop world: a seeded generator for the course's datasets.

「禾悦优选」 is a fictional Taobao shop of 杭州禾悦电子商务有限公司 with three product
lines (箱包 in PU and leather, 数码配件, 家居日用), five agents and six months of
trading (2025-07-01 – 2025-12-31, with 国庆 and 双11); its fixed facts are in
:mod:`course_lib.shop.catalogue`.  ``python -m course_lib generate-data`` writes the CSV
files to ``data/shop/``; the same seed always gives byte-identical files (Python's
``random.Random`` and the ``csv`` module only, no numpy or pandas, so library upgrades
cannot change the bytes).  Orders, reviews and longer chats draw from separate random
streams, so a change to one does not reshuffle the others.

The data obey what the course teaches (``tests/test_shop_data.py`` checks each rule):

* an unpaid order closes exactly one day after 拍下 (关闭原因 超时未付款);
* reminders follow the timetable and rest hours, the first at least 30 minutes after
  拍下; a second one comes at least 2 hours later by another method
  (:mod:`course_lib.shop.reminders`);
* paid before 16:00 ships the same day before 19:00, later the next day 09:00–19:00;
* a refund is asked for at least a day after shipping and before receipt is confirmed;
  goods sent back take at least 3 days; a full refund closes the order (关闭原因 全额退款),
  and a refund still open at the end of the data leaves the order 退款中;
* receipt auto-confirms 10 days after shipping (30 for 平邮);
* reviews fit their orders (:mod:`course_lib.shop.gen_reviews`).
"""
from __future__ import annotations

import math
import random
from datetime import date, datetime, time, timedelta
from pathlib import Path

from ..settings import standards
from .catalogue import (
    AFFINITY,
    AGENTS,
    CHANNELS,
    DETAILS,
    END,
    NICK_WORDS,
    NO_RETURN,
    PEAK_DAYS,
    PRODUCTS,
    PROVINCES,
    REFUND_REASONS,
    SEED,
    START,
    UNPAID_REASONS,
    Agent,
)
from .gen_chat import longer_talks, reminder_messages, seconds, session_messages
from .gen_derived import order_notes, phone_tail
from .gen_reviews import review
from .reminders import plan_reminder, plan_second_reminder
from .rows import AgentRow, Customer, Item, Order, Product, Reminder, Session, Table, Target
from .timeouts import auto_close_at, auto_confirm_at
from .timetable import is_allowed

__all__ = ["SEED", "generate", "write"]

SHIP_START = time(9, 0)       # the warehouse ships 09:00–19:00
SHIP_END = time(19, 0)


class _World:
    def __init__(self, seed: int, chat_rounds: bool = True) -> None:
        self.seed = seed
        self.rng = random.Random(seed)                       # customers, orders, payments, chats
        self.review_rng = random.Random(seed * 1000 + 11)    # reviews
        self.chat_rounds = chat_rounds
        self.holidays = standards().holidays
        self.cutoff = standards().shipping_cutoff
        self.tables: dict[str, Table] = {}
        self.presale = [a for a in AGENTS if a.role == "售前"]
        self.aftersale = [a for a in AGENTS if a.role == "售后"]
        self.products = {p.id: p for p in PRODUCTS}

    # -- small helpers ----------------------------------------------------------------
    def moment(self, day: date) -> datetime:
        """A time of day for an order or chat: busy mornings, afternoons and evenings, a few at night."""
        hour = self.rng.choices(range(24), weights=[1.2, 0.6, 0.3, 0.2, 0.2, 0.3, 0.6, 1.2, 2.5, 4, 5.5, 5.5, 4,
                                                    4, 5, 5, 5, 4.5, 4, 5, 6.5, 7, 6, 3])[0]
        return datetime.combine(day, time(hour, self.rng.randrange(60), self.rng.randrange(60)))

    def delay(self, mean_seconds: float, low: float = 1.0) -> timedelta:
        return seconds(self.rng, mean_seconds, low)

    def _poisson(self, mean: float) -> int:
        # Knuth's method; fine for small means and stable across Python versions
        limit, k, p = math.exp(-mean), 0, 1.0
        while True:
            p *= self.rng.random()
            if p <= limit:
                return k
            k += 1

    # -- tables -------------------------------------------------------------------------
    def build(self) -> dict[str, Table]:
        self.tables["products"] = Table("products", [
            Product(商品编号=p.id, 商品名称=p.name, 品类=p.category, 材质=p.material, 售价=p.price, 成本=p.cost,
                    物流方式=p.logistics, 材质说明=d.description, 规格尺寸=d.size, 重量=d.weight, 优点=d.pros,
                    不足=d.cons, 保养要点=d.care, 搭配商品=d.matches, 搭配理由=d.match_reason)
            for p in PRODUCTS for d in [DETAILS[p.id]]])
        self.tables["agents"] = Table("agents", [
            AgentRow(客服编号=a.id, 昵称=a.nick, 岗位=a.role, 入职日期=a.hired) for a in AGENTS])
        self.customers()
        self.trading()
        self.targets()
        return self.tables

    def customers(self, n: int = 620) -> None:
        rows, used = [], set()
        for i in range(1, n + 1):
            while True:
                nick = f"{self.rng.choice(NICK_WORDS)}_{self.rng.randrange(1000, 10000)}"
                if nick not in used:
                    used.add(nick)
                    break
            registered = date(2019, 1, 1) + timedelta(days=self.rng.randrange(0, 2370))
            level = self.rng.choices(["普通会员", "银卡会员", "金卡会员"], weights=[70, 22, 8])[0]
            cid = f"C{i:04d}"
            rows.append(Customer(顾客编号=cid, 昵称=nick, 省份=self.rng.choice(PROVINCES), 注册日期=registered,
                                 会员等级=level, 手机尾号=phone_tail(cid)))
        self.tables["customers"] = Table("customers", rows)
        # how likely each buyer is to come back: a few loyal buyers, many one-off
        self.loyalty = {r.顾客编号: self.rng.choices([0.2, 1, 3, 7], weights=[45, 35, 15, 5])[0] for r in rows}

    def trading(self) -> None:
        self.orders, self.items, self.sessions, self.messages = [], [], [], []
        self.reminders, self.reviews = [], []
        self.session_no = 0
        paid_count: dict[str, int] = {}
        customers = list(self.loyalty)
        weights = [self.loyalty[c] for c in customers]
        order_no = 0
        day = START.date()
        while day <= END.date():
            base = 7.5 * PEAK_DAYS.get(day, 1.0) * (1.2 if day.weekday() >= 5 else 1.0)
            for _ in range(self._poisson(base)):
                customer = self.rng.choices(customers, weights=weights)[0]
                placed = self.moment(day)
                if placed > END:
                    continue
                agent = self.rng.choice(self.presale) if self.rng.random() < 0.62 else None   # 62% ask first
                session_start = sid = None
                if agent is not None:
                    session_start = placed - self.delay(900, 60)
                    sid = self.new_session()
                    self.messages += session_messages(self.rng, sid, customer, agent, session_start,
                                                      self.rng.randint(2, 5))
                order_no += 1
                oid = f"O{order_no:05d}"
                if agent is not None:
                    self.sessions.append(Session(会话编号=sid, 顾客编号=customer, 客服编号=agent.id, 开始时间=session_start,
                                                 咨询类型="售前咨询", 是否下单=True, 订单编号=oid))
                basket = self._basket(oid)
                self.items += basket
                amount = round(sum(it.数量 * it.单价 for it in basket), 2)
                method = self._method(basket)
                repeat = paid_count.get(customer, 0) >= 2
                paid = self._payment(oid, customer, agent, placed, repeat)
                category = self.products[basket[0].商品编号].category
                self.orders.append(self._fulfil(oid, customer, agent, placed, paid, method, amount, category))
                if paid is not None:
                    paid_count[customer] = paid_count.get(customer, 0) + 1
            # inquiries that did not lead to an order that day
            for _ in range(self._poisson(base * 1.1)):
                customer = self.rng.choices(customers, weights=weights)[0]
                agent = self.rng.choice(self.presale)
                start = self.moment(day)
                if start > END:
                    continue
                sid = self.new_session()
                self.sessions.append(Session(会话编号=sid, 顾客编号=customer, 客服编号=agent.id, 开始时间=start,
                                             咨询类型="售前咨询", 是否下单=False, 订单编号=""))
                self.messages += session_messages(self.rng, sid, customer, agent, start, self.rng.randint(1, 4))
            day += timedelta(days=1)
        self.sessions.sort(key=lambda r: (r.开始时间, r.会话编号))
        if self.chat_rounds:
            placed = {o.订单编号: o.拍下时间 for o in self.orders}
            self.messages = longer_talks(random.Random(self.seed * 1000 + 6), self.sessions, self.messages, placed)
        for name, rows in (("orders", self.orders), ("order_items", self.items), ("chat_sessions", self.sessions),
                           ("chat_messages", self.messages), ("reviews", self.reviews),
                           ("reminders", self.reminders)):
            self.tables[name] = Table(name, rows)
        self.tables["order_notes"] = Table("order_notes", order_notes(self.orders, self.reminders, self.sessions))

    def new_session(self) -> str:
        self.session_no += 1
        return f"S{self.session_no:05d}"

    def _basket(self, oid: str) -> list:
        first = self.rng.choices(PRODUCTS, weights=[9, 4, 7, 5, 3, 8, 7, 6, 4, 4, 1, 5, 6, 4, 4])[0]
        chosen = [first]
        for partner in AFFINITY.get(first.id, []):
            if self.rng.random() < 0.3:
                chosen.append(self.products[partner])
        if self.rng.random() < 0.08:
            extra = self.rng.choice(PRODUCTS)
            if extra not in chosen:
                chosen.append(extra)
        return [Item(订单编号=oid, 商品编号=p.id, 商品名称=p.name, 数量=1 if self.rng.random() < 0.9 else 2, 单价=p.price)
                for p in chosen]

    def _method(self, basket: list) -> str:
        if all(self.products[it.商品编号].logistics == "无需物流" for it in basket):
            return "无需物流"
        return self.rng.choices(["快递", "EMS", "平邮"], weights=[88, 8, 4])[0]

    # -- payment and 催付 ----------------------------------------------------------------
    def _payment(self, oid: str, customer: str, agent: Agent | None, placed: datetime, repeat: bool):
        """When (if ever) the order is paid; records the reminders sent for it."""
        close = auto_close_at(placed)
        if self.rng.random() < 0.68:                          # pays within minutes, no reminder needed
            paid = placed + self.delay(240, 20)
            return paid if paid <= END else None
        reason = self.rng.choices(list(UNPAID_REASONS), weights=[20, 30, 25, 25])[0]
        plan = plan_reminder(placed, repeat_buyer=repeat, holidays=self.holidays)
        if plan.suggested is None or self.rng.random() < 0.12:   # no reminder possible (or forgotten)
            paid = placed + self.delay(3 * 3600, 600) if self.rng.random() < 0.25 else None
            return paid if paid and paid < close and paid <= END else None
        first = plan.suggested + timedelta(minutes=self.rng.randrange(0, 20), seconds=self.rng.randrange(60))
        if (plan.latest is not None and first >= plan.latest) or not is_allowed(first, self.holidays) or first >= close:
            first = plan.suggested
        helper = agent.id if agent else self.rng.choice(self.presale).id
        channel = self.rng.choices(list(CHANNELS), weights=[60, 25, 15])[0]
        paid = self._remind(oid, customer, helper, placed, reason, 1, channel, first,
                            UNPAID_REASONS[reason] + CHANNELS[channel], close)
        if paid is not None or first > END or self.rng.random() >= 0.55:
            return paid
        second = plan_second_reminder(placed, first, self.holidays)
        if second is None:
            return None
        second += timedelta(minutes=self.rng.randrange(0, 20), seconds=self.rng.randrange(60))
        if not is_allowed(second, self.holidays) or second >= close:
            second = plan_second_reminder(placed, first, self.holidays)
        others = [c for c in CHANNELS if c != channel]
        channel = others[0] if self.rng.random() < 0.5 else others[1]
        return self._remind(oid, customer, helper, placed, reason, 2, channel, second,
                            0.6 * (UNPAID_REASONS[reason] + CHANNELS[channel]), close)

    def _remind(self, oid, customer, helper, placed, reason, number, channel, when, chance, close):
        """One reminder: whether the buyer pays after it, its row and (for 千牛消息) its chat."""
        paid = when + self.delay(1800, 120) if self.rng.random() < chance else None
        if paid is not None and (paid >= close or paid > END):
            paid = None
        if when > END:
            return None
        self.reminders.append(Reminder(订单编号=oid, 顾客编号=customer, 拍下时间=placed, 未付款原因=reason, 第几次=number,
                                       催付方式=channel, 催付时间=when, 是否付款=paid is not None, 客服编号=helper))
        if channel == "千牛消息":
            rid = self.new_session()
            self.sessions.append(Session(会话编号=rid, 顾客编号=customer, 客服编号=helper, 开始时间=when, 咨询类型="催付",
                                         是否下单=paid is not None, 订单编号=oid))
            self.messages += reminder_messages(self.rng, rid, customer, helper, when, paid)
        return paid

    # -- after payment -------------------------------------------------------------------
    def _ship(self, paid: datetime, method: str) -> datetime:
        """Paid before the cut-off: shipped the same day before 19:00; later: the next day 09:00–19:00."""
        if method == "无需物流":
            return paid + self.delay(120, 5)
        if paid.time() < self.cutoff:
            start = max(paid + timedelta(minutes=20), datetime.combine(paid.date(), SHIP_START))
            end = datetime.combine(paid.date(), SHIP_END)
        else:
            start = datetime.combine(paid.date() + timedelta(days=1), SHIP_START)
            end = datetime.combine(paid.date() + timedelta(days=1), SHIP_END)
        return start + timedelta(seconds=int(self.rng.random() * (end - start).total_seconds()))

    def _fulfil(self, oid: str, customer: str, agent: Agent | None, placed: datetime, paid: datetime | None,
                method: str, amount: float, category: str):
        """The order row: paid or not, shipped, confirmed, refunded — as far as the data period reaches."""
        def order(state, **times):
            return Order(订单编号=oid, 顾客编号=customer, 客服编号=agent.id if agent else "", 拍下时间=placed,
                         付款时间=paid, 发货时间=times.get("shipped"), 物流方式=method,
                         确认收货时间=times.get("confirmed"), 确认方式=times.get("how"), 关闭时间=times.get("closed"),
                         关闭原因=times.get("why"), 申请退款时间=times.get("asked"), 退款时间=times.get("refunded"),
                         退款原因=times.get("reason"), 订单状态=state, 订单金额=amount)

        if paid is None:
            closed = auto_close_at(placed)
            if closed > END:                      # still open when the data were taken
                return order("等待买家付款")
            return order("交易关闭", closed=closed, why="超时未付款")
        shipped = self._ship(paid, method)
        if shipped > END:
            return order("买家已付款（待发货）")
        deadline = auto_confirm_at(shipped, method)
        if method != "无需物流" and self.rng.random() < 0.065:
            reason = self.rng.choice(REFUND_REASONS)
            asked = min(shipped + timedelta(days=1) + self.delay(2 * 86400, 60), deadline - timedelta(hours=1))
            # goods sent back travel about two days before the shop refunds; a broken parcel is refunded at once
            travel = timedelta(days=0 if reason == NO_RETURN else 2)
            refunded = asked + travel + min(self.delay(1.5 * 86400, 1800), timedelta(days=7))
            if asked <= END:
                self._after_sale(oid, customer, asked)
                if refunded > END:
                    return order("退款中", shipped=shipped, asked=asked, reason=reason)
                return order("交易关闭", shipped=shipped, closed=refunded, why="全额退款", asked=asked,
                             refunded=refunded, reason=reason)
        if self.rng.random() < 0.72:
            confirmed = shipped + self.delay(3.5 * 86400, 86400)
            how = "买家确认"
            if confirmed > deadline:
                confirmed, how = deadline, "系统自动"
        else:
            confirmed, how = deadline, "系统自动"
        if confirmed > END:
            return order("卖家已发货", shipped=shipped)
        written = review(self.review_rng, oid, shipped, confirmed, END, category, method != "无需物流", agent is not None)
        if written is not None:
            self.reviews.append(written)
        return order("交易成功", shipped=shipped, confirmed=confirmed, how=how)

    def _after_sale(self, oid: str, customer: str, asked: datetime) -> None:
        """The buyer's after-sale chat that asks for the refund."""
        sid = self.new_session()
        helper = self.rng.choice(self.aftersale)
        self.sessions.append(Session(会话编号=sid, 顾客编号=customer, 客服编号=helper.id, 开始时间=asked,
                                     咨询类型="售后咨询", 是否下单=False, 订单编号=oid))
        self.messages += session_messages(self.rng, sid, customer, helper, asked, self.rng.randint(2, 5))

    def targets(self) -> None:
        """Monthly attendance and sales targets per pre-sale agent (the KPI sheet's inputs)."""
        rows = []
        month = START.date().replace(day=1)
        while month <= END.date():
            for agent in self.presale:
                target = 8500 if month.month in (11, 12) else 6500
                attendance = round(self.rng.choice([1.0, 1.0, 1.0, 0.98, 0.95, 0.9]), 2)
                rows.append(Target(月份=month.strftime("%Y-%m"), 客服编号=agent.id, 昵称=agent.nick,
                                   销售额目标=float(target), 出勤率=attendance))
            month = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
        self.tables["agent_targets"] = Table("agent_targets", rows)


def generate(seed: int = SEED, chat_rounds: bool = True) -> dict[str, Table]:
    """All tables of the shop world (deterministic for a seed).

    ``chat_rounds=False`` leaves out the longer talks (:func:`course_lib.shop.gen_chat.longer_talks`),
    for tests that compare the two.
    """
    from .agent_sheet import agent_kpi_table

    tables = _World(seed, chat_rounds).build()
    tables["agent_kpi"] = agent_kpi_table(tables)
    return tables


def write(folder: Path, seed: int = SEED) -> list[Path]:
    """Write every table as UTF-8 CSV into ``folder``; returns the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for table in generate(seed).values():
        path = folder / table.file
        path.write_bytes(table.to_csv())
        paths.append(path)
    return paths
