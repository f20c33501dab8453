"""The shop world: a seeded generator for the course's datasets.

「禾悦优选」 is a fictional Taobao shop of 杭州禾悦电子商务有限公司 with three product
lines (箱包 in PU and leather, 数码配件, 家居日用), five agents and six months of
trading (2025-07-01 – 2025-12-31, with 国庆 and 双11); its fixed facts are in
:mod:`course_lib.shop.catalogue`.  ``python -m course_lib generate-data`` writes the CSV
files to ``data/shop/``; the same seed always gives byte-identical files (Python's
``random.Random`` and the ``csv`` module only, no numpy or pandas, so library upgrades
cannot change the bytes).

The data obeys what the course teaches: unpaid orders close exactly one day after
拍下; receipt auto-confirms 10 days after shipping (30 for 平邮); reminders follow
the timetable and rest hours (:mod:`course_lib.shop.reminders`).
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
    BAD_REASONS,
    CHANNELS,
    END,
    GOOD_TEXTS,
    MID_TEXTS,
    NICK_WORDS,
    PEAK_DAYS,
    PRODUCTS,
    PROVINCES,
    REFUND_REASONS,
    SEED,
    START,
    UNPAID_REASONS,
    Agent,
)
from .reminders import plan_reminder
from .rows import AgentRow, Customer, Item, Message, Order, Product, Reminder, Review, Session, Table, Target
from .timeouts import auto_close_at, auto_confirm_at
from .timetable import is_allowed

__all__ = ["SEED", "generate", "write"]


class _World:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.holidays = standards().holidays
        self.tables: dict[str, Table] = {}
        self.presale = [a for a in AGENTS if a.role == "售前"]
        self.aftersale = [a for a in AGENTS if a.role == "售后"]

    # -- small helpers ----------------------------------------------------------------
    def moment(self, day: date) -> datetime:
        """A time of day for an order or chat: busy mornings, afternoons and evenings, a few at night."""
        hour = self.rng.choices(range(24), weights=[1.2, 0.6, 0.3, 0.2, 0.2, 0.3, 0.6, 1.2, 2.5, 4, 5.5, 5.5, 4,
                                                    4, 5, 5, 5, 4.5, 4, 5, 6.5, 7, 6, 3])[0]
        return datetime.combine(day, time(hour, self.rng.randrange(60), self.rng.randrange(60)))

    def delay(self, mean_seconds: float, low: float = 1.0) -> timedelta:
        return timedelta(seconds=round(max(low, self.rng.expovariate(1 / mean_seconds))))

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
                    物流方式=p.logistics) for p in PRODUCTS])
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
            rows.append(Customer(顾客编号=f"C{i:04d}", 昵称=nick, 省份=self.rng.choice(PROVINCES), 注册日期=registered,
                                 会员等级=level))
        self.tables["customers"] = Table("customers", rows)
        # how likely each buyer is to come back: a few loyal buyers, many one-off
        self.loyalty = {r.顾客编号: self.rng.choices([0.2, 1, 3, 7], weights=[45, 35, 15, 5])[0] for r in rows}

    def trading(self) -> None:
        self.orders, self.items, self.sessions, self.messages = [], [], [], []
        self.reviews, self.reminders = [], []
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
                    self.messages += self._chat(sid, customer, agent, session_start, self.rng.randint(2, 5))
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
                paid, reminder = self._payment(oid, customer, agent, placed, repeat)
                if reminder:
                    self.reminders.append(reminder)
                    if reminder.催付方式 == "千牛消息":
                        rid = self.new_session()
                        self.sessions.append(Session(会话编号=rid, 顾客编号=customer, 客服编号=reminder.客服编号,
                                                     开始时间=reminder.催付时间, 咨询类型="催付", 是否下单=paid is not None,
                                                     订单编号=oid))
                        self.messages += self._reminder_chat(rid, customer, reminder.客服编号, reminder.催付时间, paid)
                self.orders.append(self._fulfil(oid, customer, agent, placed, paid, method, amount))
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
                self.messages += self._chat(sid, customer, agent, start, self.rng.randint(1, 4))
            day += timedelta(days=1)
        self.sessions.sort(key=lambda r: (r.开始时间, r.会话编号))
        for name, rows in (("orders", self.orders), ("order_items", self.items), ("chat_sessions", self.sessions),
                           ("chat_messages", self.messages), ("reviews", self.reviews),
                           ("reminders", self.reminders)):
            self.tables[name] = Table(name, rows)

    def new_session(self) -> str:
        self.session_no += 1
        return f"S{self.session_no:05d}"

    def _basket(self, oid: str) -> list:
        first = self.rng.choices(PRODUCTS, weights=[9, 4, 7, 5, 3, 8, 7, 6, 4, 4, 1, 5, 6, 4, 4])[0]
        chosen = [first]
        for partner in AFFINITY.get(first.id, []):
            if self.rng.random() < 0.3:
                chosen.append(next(p for p in PRODUCTS if p.id == partner))
        if self.rng.random() < 0.08:
            extra = self.rng.choice(PRODUCTS)
            if extra not in chosen:
                chosen.append(extra)
        return [Item(订单编号=oid, 商品编号=p.id, 商品名称=p.name, 数量=1 if self.rng.random() < 0.9 else 2, 单价=p.price)
                for p in chosen]

    def _method(self, basket: list) -> str:
        if all(next(p for p in PRODUCTS if p.id == it.商品编号).logistics == "无需物流" for it in basket):
            return "无需物流"
        return self.rng.choices(["快递", "EMS", "平邮"], weights=[88, 8, 4])[0]

    def _payment(self, oid: str, customer: str, agent: Agent | None, placed: datetime, repeat: bool):
        """When (if ever) the order is paid, and the 催付 record if the agent reminded."""
        close = auto_close_at(placed)
        if self.rng.random() < 0.68:                          # pays at once
            paid = placed + self.delay(240, 20)
            return (paid if paid <= END else None), None
        reason = self.rng.choices(list(UNPAID_REASONS), weights=[20, 30, 25, 25])[0]
        plan = plan_reminder(placed, repeat_buyer=repeat, holidays=self.holidays)
        if plan.suggested is None or self.rng.random() < 0.12:   # no reminder possible (or forgotten)
            paid = placed + self.delay(3 * 3600, 600) if self.rng.random() < 0.25 else None
            return (paid if paid and paid < close and paid <= END else None), None
        when = plan.suggested + timedelta(minutes=self.rng.randrange(0, 20), seconds=self.rng.randrange(60))
        if (plan.latest is not None and when > plan.latest) or not is_allowed(when, self.holidays) or when >= close:
            when = plan.suggested
        channel = self.rng.choices(list(CHANNELS), weights=[60, 25, 15])[0]
        chance = UNPAID_REASONS[reason] + CHANNELS[channel]
        paid = None
        if self.rng.random() < chance:
            paid = when + self.delay(1800, 120)
            if paid >= close:
                paid = None
        if when > END:
            return None, None
        if paid is not None and paid > END:
            paid = None
        reminder_agent = agent.id if agent else self.rng.choice(self.presale).id
        return paid, Reminder(订单编号=oid, 顾客编号=customer, 拍下时间=placed, 未付款原因=reason, 催付方式=channel,
                              催付时间=when, 是否付款=paid is not None, 客服编号=reminder_agent)

    def _fulfil(self, oid: str, customer: str, agent: Agent | None, placed: datetime, paid: datetime | None,
                method: str, amount: float):
        """The order row: paid or not, shipped, confirmed, refunded — as far as the data period reaches."""
        def order(state, **times):
            return Order(订单编号=oid, 顾客编号=customer, 客服编号=agent.id if agent else "", 拍下时间=placed,
                         付款时间=paid, 发货时间=times.get("shipped"), 物流方式=method,
                         确认收货时间=times.get("confirmed"), 确认方式=times.get("how"), 关闭时间=times.get("closed"),
                         退款时间=times.get("refunded"), 退款原因=times.get("reason"), 订单状态=state, 订单金额=amount)

        if paid is None:
            closed = auto_close_at(placed)
            if closed > END:                      # still open when the data were taken
                return order("等待买家付款")
            return order("交易关闭", closed=closed)
        if method != "无需物流":
            shipped = paid + self.delay(14 * 3600, 1800)
        else:
            shipped = paid + self.delay(120, 5)
        if shipped > END:
            return order("买家已付款（待发货）")
        deadline = auto_confirm_at(shipped, method)
        refund_reason = refunded = None
        if self.rng.random() < 0.065:
            refund_reason = self.rng.choice(REFUND_REASONS)
            refunded = shipped + self.delay(3 * 86400, 3600)
            if refunded > END:
                refunded, refund_reason = None, None
        if refunded is not None:
            sid = self.new_session()
            helper = self.rng.choice(self.aftersale)
            start = refunded - self.delay(6 * 3600, 600)
            self.sessions.append(Session(会话编号=sid, 顾客编号=customer, 客服编号=helper.id, 开始时间=start,
                                         咨询类型="售后咨询", 是否下单=False, 订单编号=oid))
            self.messages += self._chat(sid, customer, helper, start, self.rng.randint(2, 5))
            return order("退款成功", shipped=shipped, refunded=refunded, reason=refund_reason)
        if self.rng.random() < 0.72:
            confirmed = shipped + self.delay(3.5 * 86400, 86400)
            how = "买家确认"
            if confirmed > deadline:
                confirmed, how = deadline, "系统自动"
        else:
            confirmed, how = deadline, "系统自动"
        if confirmed > END:
            return order("卖家已发货", shipped=shipped)
        if self.rng.random() < 0.68:
            review = self._review(oid, confirmed)
            if review.评价时间 <= END:
                self.reviews.append(review)
        return order("交易成功", shipped=shipped, confirmed=confirmed, how=how)

    def _review(self, oid: str, confirmed: datetime):
        when = confirmed + self.delay(20 * 3600, 600)
        level = self.rng.choices(["好评", "中评", "差评"], weights=[91, 6, 3])[0]
        if level == "好评":
            scores = [self.rng.choices([5, 4], weights=[85, 15])[0] for _ in range(3)]
            reason, text = "", self.rng.choice(GOOD_TEXTS)
        else:
            reason = self.rng.choices(list(BAD_REASONS), weights=[30, 25, 20, 12, 13])[0]
            text = self.rng.choice(MID_TEXTS if level == "中评" else BAD_REASONS[reason])
            low = {"中评": [3, 4], "差评": [1, 2]}[level]
            scores = [self.rng.choice(low) if self.rng.random() < 0.6 else self.rng.choice([3, 4, 5])
                      for _ in range(3)]
            column = {"物流慢": 2, "包装破损": 2, "客服态度": 1, "质量问题": 0, "与描述不符": 0}[reason]
            scores[column] = min(low)
        return Review(订单编号=oid, 评价时间=when, 评价等级=level, 描述相符=scores[0], 服务态度=scores[1],
                      物流服务=scores[2], 原因分类=reason, 评价内容=text)

    def _chat(self, sid: str, customer: str, agent: Agent, start: datetime, rounds: int) -> list:
        """Messages of one session: buyer messages and agent replies, round by round."""
        rows, t, seq = [], start, 0

        def say(who: str, when: datetime) -> None:
            nonlocal seq
            seq += 1
            rows.append(Message(会话编号=sid, 顾客编号=customer, 客服编号=agent.id, 序号=seq, 发送方=who, 发送时间=when))

        for r in range(rounds):
            for _ in range(self.rng.choice([1, 1, 2])):
                say("顾客", t)
                t += self.delay(8, 2)
            if r == 0 and self.rng.random() < 0.35:            # an auto-reply first: not a human reply
                say("机器人", t + timedelta(seconds=1))
            if self.rng.random() > agent.reply_chance:         # the round is never answered
                t += self.delay(300, 30)
                continue
            busy = 2.2 if t.date() in PEAK_DAYS else 1.0
            answer = t + self.delay(agent.reply_seconds * busy * (1.0 if r == 0 else 1.6), 2)
            say("客服", answer)
            t = answer + self.delay(40, 5)
        return rows

    def _reminder_chat(self, sid: str, customer: str, agent_id: str, when: datetime, paid) -> list:
        rows = [Message(会话编号=sid, 顾客编号=customer, 客服编号=agent_id, 序号=1, 发送方="客服", 发送时间=when)]
        if paid is not None or self.rng.random() < 0.4:
            reply = when + self.delay(600, 30)
            rows.append(Message(会话编号=sid, 顾客编号=customer, 客服编号=agent_id, 序号=2, 发送方="顾客", 发送时间=reply))
            rows.append(Message(会话编号=sid, 顾客编号=customer, 客服编号=agent_id, 序号=3, 发送方="客服",
                                发送时间=reply + self.delay(15, 3)))
        return rows

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


def generate(seed: int = SEED) -> dict[str, Table]:
    """All tables of the shop world (deterministic for a seed)."""
    from .agent_sheet import agent_kpi_table

    tables = _World(seed).build()
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
