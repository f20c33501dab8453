"""The shop world: a seeded generator for the course's datasets.

「禾悦优选」 is a fictional Taobao shop of 杭州禾悦电子商务有限公司 with three product
lines (箱包 in PU and leather, 数码配件, 家居日用), five agents and six months of
trading (2025-07-01 – 2025-12-31, with 国庆 and 双11).  ``python -m course_lib
generate-data`` writes the CSV files to ``data/shop/``; the same seed always gives
byte-identical files (Python's ``random.Random`` and the ``csv`` module only, no
numpy or pandas, so library upgrades cannot change the bytes).

The data obeys what the course teaches: unpaid orders close exactly one day after
拍下; receipt auto-confirms 10 days after shipping (30 for 平邮); reminders follow
the seed timetable and rest hours (:mod:`course_lib.reminders`).
"""
from __future__ import annotations

import csv
import io
import math
import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

from .reminders import is_allowed, plan_reminder
from .timeouts import auto_close_at, auto_confirm_at

SEED = 20251231
START = datetime(2025, 7, 1)
END = datetime(2025, 12, 31, 23, 59, 59)
HOLIDAYS = frozenset(date(2025, 10, d) for d in range(1, 9))          # 国庆、中秋 2025-10-01 – 10-08
PEAK_DAYS = {date(2025, 11, 11): 6.0, date(2025, 11, 10): 2.5, date(2025, 11, 12): 2.0,
             date(2025, 12, 12): 2.5, date(2025, 8, 8): 1.6}
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"

SHOP = {"店铺名称": "禾悦优选", "公司": "杭州禾悦电子商务有限公司", "平台": "淘宝（企业店铺）"}

# 商品编号, 商品名称, 品类, 材质, 售价, 成本, 物流方式
PRODUCTS = [
    ("P01", "PU配皮托特包", "箱包", "PU配皮", 129.0, 52.0, "快递"),
    ("P02", "头层牛皮斜挎包", "箱包", "头层牛皮", 359.0, 168.0, "快递"),
    ("P03", "PU双肩通勤包", "箱包", "PU", 149.0, 61.0, "快递"),
    ("P04", "牛皮短款钱包", "箱包", "头层牛皮", 169.0, 72.0, "快递"),
    ("P05", "皮具护理套装", "箱包", "—", 39.0, 14.0, "快递"),
    ("P06", "蓝牙耳机（入耳式）", "数码配件", "—", 199.0, 96.0, "快递"),
    ("P07", "20000毫安充电宝", "数码配件", "—", 129.0, 63.0, "快递"),
    ("P08", "快充数据线（两根装）", "数码配件", "—", 29.9, 9.5, "快递"),
    ("P09", "笔记本散热架", "数码配件", "铝合金", 39.0, 16.0, "快递"),
    ("P10", "手机支架", "数码配件", "铝合金", 25.0, 8.0, "快递"),
    ("P11", "延长保修服务（一年）", "数码配件", "—", 49.0, 12.0, "无需物流"),
    ("P12", "可折叠收纳箱（三个装）", "家居日用", "PP塑料", 59.0, 24.0, "快递"),
    ("P13", "不锈钢保温杯", "家居日用", "316不锈钢", 89.0, 33.0, "快递"),
    ("P14", "香薰蜡烛礼盒", "家居日用", "大豆蜡", 79.0, 27.0, "快递"),
    ("P15", "棉麻抱枕套（两个装）", "家居日用", "棉麻", 45.0, 15.0, "快递"),
]
# products often bought together (a bag with its care kit, a power bank with cables, …)
AFFINITY = {"P01": ["P05"], "P02": ["P05", "P04"], "P04": ["P05"], "P03": ["P05"], "P06": ["P11", "P08"],
            "P07": ["P08"], "P09": ["P10"], "P13": ["P14"], "P12": ["P15"], "P14": ["P15"]}

# 客服编号, 昵称, 岗位, 入职日期, mean first-reply seconds, reply probability
AGENTS = [
    ("A01", "禾悦-小雅", "售前", "2024-03-01", 9.0, 0.99),
    ("A02", "禾悦-小暖", "售前", "2024-09-15", 14.0, 0.98),
    ("A03", "禾悦-小杰", "售前", "2025-06-20", 30.0, 0.95),
    ("A04", "禾悦-阿木", "售后", "2023-11-01", 20.0, 0.98),
    ("A05", "禾悦-可可", "售后", "2025-02-10", 26.0, 0.97),
]
PROVINCES = ["浙江", "江苏", "上海", "广东", "四川", "山东", "河南", "湖北", "湖南", "北京", "福建", "安徽",
             "河北", "陕西", "重庆", "辽宁", "江西", "广西", "云南", "天津"]
NICK_WORDS = ["木木", "阿杰", "小鱼", "橙子", "星星", "阿泽", "糖糖", "大熊", "晴天", "小北", "一一", "西瓜",
              "Lily", "Kevin", "可乐", "豆豆", "阿宁", "小满", "青柠", "团子"]
UNPAID_REASONS = {"议价不成功": 0.25, "多家比较": 0.35, "有所顾虑": 0.45, "忘记付款": 0.70}
CHANNELS = {"千牛消息": 0.0, "短信": -0.08, "电话": 0.10}
REFUND_REASONS = ["七天无理由退货", "尺寸/颜色不合适", "质量问题", "与描述不符", "物流破损"]
BAD_REASONS = {  # 原因分类: (评价内容 templates)
    "物流慢": ["等了一个星期才到，物流太慢了。", "快递一直不动，催了好几次。"],
    "质量问题": ["用了没几天就开线了。", "充电宝充不满，质量一般。", "拉链不顺，有点失望。"],
    "与描述不符": ["颜色和图片差别有点大。", "实物比图片小很多。"],
    "客服态度": ["问客服半天没人回。", "客服回复很敷衍。"],
    "包装破损": ["外包装压坏了，幸好东西没事。", "盒子破了，送人有点尴尬。"],
}
GOOD_TEXTS = ["质量很好，和描述一致，客服回复也很快。", "包包做工精细，皮面柔软，很满意！", "发货快，包装仔细，好评。",
              "耳机音质不错，客服耐心解答了很多问题。", "已经是第二次买了，一如既往地好。", "物流很快，东西实用，推荐。",
              "保温效果很好，颜色也好看。", "收纳箱很结实，折叠方便。", "价格实惠，客服推荐的搭配很合适。"]
MID_TEXTS = ["东西还行，就是物流有点慢。", "一般般吧，性价比还可以。", "颜色和图片有一点色差。", "包装简单了点。"]


def _fmt(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime(TIME_FORMAT)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


@dataclass
class Table:
    name: str
    file: str
    columns: list[str]
    rows: list[list]

    def to_csv(self) -> bytes:
        buffer = io.StringIO(newline="")
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(self.columns)
        writer.writerows([[_fmt(v) for v in row] for row in self.rows])
        return buffer.getvalue().encode("utf-8")


class _World:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.tables: dict[str, Table] = {}

    # -- small helpers ----------------------------------------------------------------
    def moment(self, day: date) -> datetime:
        """A time of day for an order or chat: busy mornings, afternoons and evenings, a few at night."""
        hour = self.rng.choices(range(24), weights=[1.2, 0.6, 0.3, 0.2, 0.2, 0.3, 0.6, 1.2, 2.5, 4, 5.5, 5.5, 4,
                                                    4, 5, 5, 5, 4.5, 4, 5, 6.5, 7, 6, 3])[0]
        return datetime.combine(day, time(hour, self.rng.randrange(60), self.rng.randrange(60)))

    def delay(self, mean_seconds: float, low: float = 1.0) -> timedelta:
        return timedelta(seconds=round(max(low, self.rng.expovariate(1 / mean_seconds))))

    # -- tables -------------------------------------------------------------------------
    def build(self) -> dict[str, Table]:
        self.products()
        self.agents()
        self.customers()
        self.trading()
        return self.tables

    def products(self) -> None:
        rows = [list(p[:6]) + [p[6]] for p in PRODUCTS]
        self.tables["products"] = Table("商品", "products.csv",
                                        ["商品编号", "商品名称", "品类", "材质", "售价", "成本", "物流方式"], rows)

    def agents(self) -> None:
        rows = [[a[0], a[1], a[2], a[3]] for a in AGENTS]
        self.tables["agents"] = Table("客服", "agents.csv", ["客服编号", "昵称", "岗位", "入职日期"], rows)

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
            rows.append([f"C{i:04d}", nick, self.rng.choice(PROVINCES), registered, level])
        self.tables["customers"] = Table("顾客", "customers.csv", ["顾客编号", "昵称", "省份", "注册日期", "会员等级"], rows)
        # how likely each buyer is to come back: a few loyal buyers, many one-off
        self.loyalty = {r[0]: self.rng.choices([0.2, 1, 3, 7], weights=[45, 35, 15, 5])[0] for r in rows}

    def trading(self) -> None:
        orders, items, sessions, messages, reviews, reminders = [], [], [], [], [], []
        paid_count: dict[str, int] = {}
        customers = list(self.loyalty)
        weights = [self.loyalty[c] for c in customers]
        presale = [a for a in AGENTS if a[2] == "售前"]
        aftersale = [a for a in AGENTS if a[2] == "售后"]
        order_no = session_no = 0
        day = START.date()
        while day <= END.date():
            base = 7.5 * PEAK_DAYS.get(day, 1.0) * (1.2 if day.weekday() >= 5 else 1.0)
            for _ in range(self._poisson(base)):
                customer = self.rng.choices(customers, weights=weights)[0]
                placed = self.moment(day)
                if placed > END:
                    continue
                agent = self.rng.choice(presale) if self.rng.random() < 0.62 else None   # 62% ask first
                session_start = None
                if agent is not None:
                    session_start = placed - self.delay(900, 60)
                    session_no += 1
                    sid = f"S{session_no:05d}"
                    messages += self._chat(sid, customer, agent, session_start, self.rng.randint(2, 5))
                order_no += 1
                oid = f"O{order_no:05d}"
                sessions_row = None
                if agent is not None:
                    sessions_row = [sid, customer, agent[0], session_start, "售前咨询", True, oid]
                    sessions.append(sessions_row)
                order_items = self._basket(oid)
                items += order_items
                amount = round(sum(q * p for _, _, _, q, p in order_items), 2)
                method = self._method(order_items)
                repeat = paid_count.get(customer, 0) >= 2
                paid, reminder = self._payment(oid, customer, agent, placed, repeat, amount)
                if reminder:
                    reminders.append(reminder)
                    if reminder[4] == "千牛消息":
                        session_no += 1
                        rid = f"S{session_no:05d}"
                        sessions.append([rid, customer, reminder[7], reminder[5], "催付", paid is not None, oid])
                        messages += self._reminder_chat(rid, customer, reminder[7], reminder[5], paid)
                row, session_no = self._fulfil(oid, customer, agent, placed, paid, method, amount, aftersale,
                                               sessions, messages, reviews, session_no)
                orders.append(row)
                if paid is not None:
                    paid_count[customer] = paid_count.get(customer, 0) + 1
            # inquiries that did not lead to an order that day
            for _ in range(self._poisson(base * 1.1)):
                customer = self.rng.choices(customers, weights=weights)[0]
                agent = self.rng.choice(presale)
                start = self.moment(day)
                if start > END:
                    continue
                session_no += 1
                sid = f"S{session_no:05d}"
                sessions.append([sid, customer, agent[0], start, "售前咨询", False, ""])
                messages += self._chat(sid, customer, agent, start, self.rng.randint(1, 4))
            day += timedelta(days=1)
        self.tables["orders"] = Table("订单", "orders.csv", [
            "订单编号", "顾客编号", "客服编号", "拍下时间", "付款时间", "发货时间", "物流方式", "确认收货时间",
            "确认方式", "关闭时间", "退款时间", "退款原因", "订单状态", "订单金额"], orders)
        self.tables["order_items"] = Table("订单明细", "order_items.csv",
                                           ["订单编号", "商品编号", "商品名称", "数量", "单价"], items)
        sessions.sort(key=lambda r: (r[3], r[0]))
        self.tables["chat_sessions"] = Table("聊天会话", "chat_sessions.csv",
                                             ["会话编号", "顾客编号", "客服编号", "开始时间", "咨询类型", "是否下单", "订单编号"],
                                             sessions)
        self.tables["chat_messages"] = Table("聊天消息", "chat_messages.csv",
                                             ["会话编号", "顾客编号", "客服编号", "序号", "发送方", "发送时间"], messages)
        self.tables["reviews"] = Table("评价", "reviews.csv", [
            "订单编号", "评价时间", "评价等级", "描述相符", "服务态度", "物流服务", "原因分类", "评价内容"], reviews)
        self.tables["reminders"] = Table("催付登记表", "reminders.csv", [
            "订单编号", "顾客编号", "拍下时间", "未付款原因", "催付方式", "催付时间", "是否付款", "客服编号"], reminders)
        self._monthly_kpis()

    def _poisson(self, mean: float) -> int:
        # Knuth's method; fine for small means and stable across Python versions
        limit, k, p = math.exp(-mean), 0, 1.0
        while True:
            p *= self.rng.random()
            if p <= limit:
                return k
            k += 1

    def _basket(self, oid: str) -> list[list]:
        first = self.rng.choices(PRODUCTS, weights=[9, 4, 7, 5, 3, 8, 7, 6, 4, 4, 1, 5, 6, 4, 4])[0]
        chosen = [first]
        for partner in AFFINITY.get(first[0], []):
            if self.rng.random() < 0.3:
                chosen.append(next(p for p in PRODUCTS if p[0] == partner))
        if self.rng.random() < 0.08:
            extra = self.rng.choice(PRODUCTS)
            if extra not in chosen:
                chosen.append(extra)
        return [[oid, p[0], p[1], 1 if self.rng.random() < 0.9 else 2, p[4]] for p in chosen]

    def _method(self, order_items: list[list]) -> str:
        if all(next(p for p in PRODUCTS if p[0] == it[1])[6] == "无需物流" for it in order_items):
            return "无需物流"
        return self.rng.choices(["快递", "EMS", "平邮"], weights=[88, 8, 4])[0]

    def _payment(self, oid, customer, agent, placed, repeat, amount):
        """When (if ever) the order is paid, and the 催付 record if the agent reminded."""
        close = auto_close_at(placed)
        if self.rng.random() < 0.68:                          # pays at once
            paid = placed + self.delay(240, 20)
            return (paid if paid <= END else None), None
        reason = self.rng.choices(list(UNPAID_REASONS), weights=[20, 30, 25, 25])[0]
        plan = plan_reminder(placed, repeat_buyer=repeat, holidays=HOLIDAYS)
        if plan.suggested is None or self.rng.random() < 0.12:   # no reminder possible (or forgotten)
            paid = placed + self.delay(3 * 3600, 600) if self.rng.random() < 0.25 else None
            return (paid if paid and paid < close and paid <= END else None), None
        when = plan.suggested + timedelta(minutes=self.rng.randrange(0, 20), seconds=self.rng.randrange(60))
        if (plan.latest is not None and when > plan.latest) or not is_allowed(when, HOLIDAYS) or when >= close:
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
        reminder_agent = agent[0] if agent else self.rng.choice([a for a in AGENTS if a[2] == "售前"])[0]
        return paid, [oid, customer, placed, reason, channel, when, paid is not None, reminder_agent]

    def _fulfil(self, oid, customer, agent, placed, paid, method, amount, aftersale, sessions, messages,
                reviews, session_no):
        agent_id = agent[0] if agent else ""
        if paid is None:
            closed = auto_close_at(placed)
            if closed > END:                      # still open when the data were taken
                return [oid, customer, agent_id, placed, None, None, method, None, None, None, None,
                        None, "等待买家付款", amount], session_no
            return [oid, customer, agent_id, placed, None, None, method, None, None, closed, None,
                    None, "交易关闭", amount], session_no
        shipped = None
        if method != "无需物流":
            shipped = paid + self.delay(14 * 3600, 1800)
        else:
            shipped = paid + self.delay(120, 5)
        if shipped > END:
            return [oid, customer, agent_id, placed, paid, None, method, None, None, None, None, None,
                    "买家已付款（待发货）", amount], session_no
        deadline = auto_confirm_at(shipped, method)
        refund_reason = None
        refunded = None
        if self.rng.random() < 0.065:
            refund_reason = self.rng.choice(REFUND_REASONS)
            refunded = shipped + self.delay(3 * 86400, 3600)
            if refunded > END:
                refunded, refund_reason = None, None
        if refunded is not None:
            session_no += 1
            sid = f"S{session_no:05d}"
            helper = self.rng.choice(aftersale)
            start = refunded - self.delay(6 * 3600, 600)
            sessions.append([sid, customer, helper[0], start, "售后咨询", False, oid])
            messages += self._chat(sid, customer, helper, start, self.rng.randint(2, 5))
            return [oid, customer, agent_id, placed, paid, shipped, method, None, None, None, refunded,
                    refund_reason, "退款成功", amount], session_no
        if self.rng.random() < 0.72:
            confirmed = shipped + self.delay(3.5 * 86400, 86400)
            how = "买家确认"
            if confirmed > deadline:
                confirmed, how = deadline, "系统自动"
        else:
            confirmed, how = deadline, "系统自动"
        if confirmed > END:
            return [oid, customer, agent_id, placed, paid, shipped, method, None, None, None, None, None,
                    "卖家已发货", amount], session_no
        if self.rng.random() < 0.68:
            review = self._review(oid, confirmed, method)
            if review[1] <= END:
                reviews.append(review)
        return [oid, customer, agent_id, placed, paid, shipped, method, confirmed, how, None, None, None,
                "交易成功", amount], session_no

    def _review(self, oid, confirmed, method):
        when = confirmed + self.delay(20 * 3600, 600)
        level = self.rng.choices(["好评", "中评", "差评"], weights=[91, 6, 3])[0]
        if level == "好评":
            scores = [self.rng.choices([5, 4], weights=[85, 15])[0] for _ in range(3)]
            return [oid, when, level, *scores, "", self.rng.choice(GOOD_TEXTS)]
        reason = self.rng.choices(list(BAD_REASONS), weights=[30, 25, 20, 12, 13])[0]
        text = self.rng.choice(MID_TEXTS if level == "中评" else BAD_REASONS[reason])
        low = {"中评": [3, 4], "差评": [1, 2]}[level]
        scores = [self.rng.choice(low) if self.rng.random() < 0.6 else self.rng.choice([3, 4, 5]) for _ in range(3)]
        column = {"物流慢": 2, "包装破损": 2, "客服态度": 1, "质量问题": 0, "与描述不符": 0}[reason]
        scores[column] = min(low)
        return [oid, when, level, *scores, reason, text]

    def _chat(self, sid, customer, agent, start, rounds):
        """Messages of one session: buyer messages and agent replies, round by round."""
        rows, t, seq = [], start, 0
        mean, reply_p = agent[4], agent[5]
        for r in range(rounds):
            for _ in range(self.rng.choice([1, 1, 2])):
                seq += 1
                rows.append([sid, customer, agent[0], seq, "顾客", t])
                t += self.delay(8, 2)
            if r == 0 and self.rng.random() < 0.35:            # an auto-reply first: not a human reply
                seq += 1
                rows.append([sid, customer, agent[0], seq, "机器人", t + timedelta(seconds=1)])
            if self.rng.random() > reply_p:                     # the round is never answered
                t += self.delay(300, 30)
                continue
            busy = 2.2 if t.date() in PEAK_DAYS else 1.0
            answer = t + self.delay(mean * busy * (1.0 if r == 0 else 1.6), 2)
            seq += 1
            rows.append([sid, customer, agent[0], seq, "客服", answer])
            t = answer + self.delay(40, 5)
        return rows

    def _reminder_chat(self, sid, customer, agent_id, when, paid):
        rows = [[sid, customer, agent_id, 1, "客服", when]]
        if paid is not None or self.rng.random() < 0.4:
            reply = when + self.delay(600, 30)
            rows.append([sid, customer, agent_id, 2, "顾客", reply])
            rows.append([sid, customer, agent_id, 3, "客服", reply + self.delay(15, 3)])
        return rows

    def _monthly_kpis(self) -> None:
        """Monthly attendance and sales targets per pre-sale agent (the KPI sheet's inputs)."""
        rows = []
        month = START.date().replace(day=1)
        while month <= END.date():
            for agent in AGENTS:
                if agent[2] != "售前":
                    continue
                target = 8500 if month.month in (11, 12) else 6500
                attendance = round(self.rng.choice([1.0, 1.0, 1.0, 0.98, 0.95, 0.9]), 2)
                rows.append([month.strftime("%Y-%m"), agent[0], agent[1], float(target), attendance])
            month = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
        self.tables["agent_targets"] = Table("客服月度目标与出勤", "agent_targets.csv",
                                             ["月份", "客服编号", "昵称", "销售额目标", "出勤率"], rows)


def _frame(table: Table):
    """A table as a typed DataFrame, parsed from its own CSV text (as ``load_dataset`` does)."""
    import pandas as pd

    frame = pd.read_csv(io.BytesIO(table.to_csv()), dtype=str, keep_default_na=False)
    for column in frame.columns:
        if column.endswith("时间"):
            frame[column] = pd.to_datetime(frame[column].mask(frame[column] == ""), format=TIME_FORMAT)
        elif column in ("订单金额", "销售额目标", "出勤率"):
            frame[column] = pd.to_numeric(frame[column])
    return frame.replace({"": None}) if "客服编号" in frame.columns else frame


def agent_kpi_table(tables: dict[str, Table]) -> Table:
    """客服月度绩效: each pre-sale agent's monthly KPIs, computed with :mod:`course_lib.kpi`."""
    from . import kpi

    orders, sessions, messages = (_frame(tables[n]) for n in ("orders", "chat_sessions", "chat_messages"))
    targets = _frame(tables["agent_targets"])
    rows = []
    for _, target in targets.iterrows():
        month, agent = target["月份"], target["客服编号"]
        in_month = lambda frame, column: frame[frame[column].dt.strftime("%Y-%m") == month]  # noqa: E731
        m_orders = in_month(orders, "拍下时间")
        m_sessions = in_month(sessions, "开始时间")
        m_sessions = m_sessions[m_sessions["客服编号"] == agent]
        m_messages = messages[messages["会话编号"].isin(m_sessions["会话编号"])]
        mine = m_orders[(m_orders["客服编号"] == agent) & m_orders["付款时间"].notna()]
        sales = float(mine["订单金额"].sum())
        conversion = kpi.inquiry_conversion(m_sessions, m_orders)
        unit_price = kpi.closed_unit_price(mine)
        reply = kpi.reply_rate(m_messages)
        average = kpi.average_response_time(m_messages)
        first = kpi.first_response_time(m_messages)
        rows.append([month, agent, target["昵称"], sales, round(sales / target["销售额目标"], 4),
                     round(conversion, 4), round(unit_price, 2), round(reply, 4), round(average, 1),
                     round(float(first["首次响应秒数"].mean()), 1),
                     float(target["出勤率"])])
    columns = ["月份", "客服编号", "昵称", "销售额", "销售额目标完成率", "询单转化率", "落实客单价", "回复率",
               "平均响应秒数", "平均首次响应秒数", "出勤率"]
    return Table("客服月度绩效", "agent_kpi.csv", columns, [[_fixed(v) for v in r] for r in rows])


def _fixed(value):
    """Floats with a fixed number of decimals, so the CSV bytes do not depend on float noise."""
    if isinstance(value, float):
        return "" if math.isnan(value) else f"{value:.4f}".rstrip("0").rstrip(".")
    return value


def generate(seed: int = SEED) -> dict[str, Table]:
    """All tables of the shop world (deterministic for a seed)."""
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
