"""The fixed facts of the shop world 「禾悦优选」: products, agents, calendar, texts.

What the generator (:mod:`course_lib.shop.generator`) draws from.  The products and agents
are written to ``products.csv`` and ``agents.csv`` as they are; everything else shapes the
simulated trading.

>>> next(p for p in PRODUCTS if p.id == "P02").price
359.0
>>> [a.nick for a in AGENTS if a.role == "售前"]
['禾悦-小雅', '禾悦-小暖', '禾悦-小杰']
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

SEED = 20251231
START = datetime(2025, 7, 1)
END = datetime(2025, 12, 31, 23, 59, 59)
PEAK_DAYS = {date(2025, 11, 11): 6.0, date(2025, 11, 10): 2.5, date(2025, 11, 12): 2.0,
             date(2025, 12, 12): 2.5, date(2025, 8, 8): 1.6}

SHOP = {"店铺名称": "禾悦优选", "公司": "杭州禾悦电子商务有限公司", "平台": "淘宝（企业店铺）"}


@dataclass(frozen=True)
class Product:
    id: str            # 商品编号
    name: str          # 商品名称
    category: str      # 品类
    material: str      # 材质（“—”表示不适用）
    price: float       # 售价（元）
    cost: float        # 成本（元）
    logistics: str     # 物流方式


@dataclass(frozen=True)
class Agent:
    id: str              # 客服编号
    nick: str            # 昵称（千牛子账号）
    role: str            # 岗位：售前 / 售后
    hired: str           # 入职日期
    reply_seconds: float  # the agent's mean first-reply time in the simulation
    reply_chance: float   # the chance that the agent answers a round at all


PRODUCTS = [
    Product("P01", "PU配皮托特包", "箱包", "PU配皮", 129.0, 52.0, "快递"),
    Product("P02", "头层牛皮斜挎包", "箱包", "头层牛皮", 359.0, 168.0, "快递"),
    Product("P03", "PU双肩通勤包", "箱包", "PU", 149.0, 61.0, "快递"),
    Product("P04", "牛皮短款钱包", "箱包", "头层牛皮", 169.0, 72.0, "快递"),
    Product("P05", "皮具护理套装", "箱包", "—", 39.0, 14.0, "快递"),
    Product("P06", "蓝牙耳机（入耳式）", "数码配件", "—", 199.0, 96.0, "快递"),
    Product("P07", "20000毫安充电宝", "数码配件", "—", 129.0, 63.0, "快递"),
    Product("P08", "快充数据线（两根装）", "数码配件", "—", 29.9, 9.5, "快递"),
    Product("P09", "笔记本散热架", "数码配件", "铝合金", 39.0, 16.0, "快递"),
    Product("P10", "手机支架", "数码配件", "铝合金", 25.0, 8.0, "快递"),
    Product("P11", "延长保修服务（一年）", "数码配件", "—", 49.0, 12.0, "无需物流"),
    Product("P12", "可折叠收纳箱（三个装）", "家居日用", "PP塑料", 59.0, 24.0, "快递"),
    Product("P13", "不锈钢保温杯", "家居日用", "316不锈钢", 89.0, 33.0, "快递"),
    Product("P14", "香薰蜡烛礼盒", "家居日用", "大豆蜡", 79.0, 27.0, "快递"),
    Product("P15", "棉麻抱枕套（两个装）", "家居日用", "棉麻", 45.0, 15.0, "快递"),
]
# products often bought together (a bag with its care kit, a power bank with cables, …)
AFFINITY = {"P01": ["P05"], "P02": ["P05", "P04"], "P04": ["P05"], "P03": ["P05"], "P06": ["P11", "P08"],
            "P07": ["P08"], "P09": ["P10"], "P13": ["P14"], "P12": ["P15"], "P14": ["P15"]}

AGENTS = [
    Agent("A01", "禾悦-小雅", "售前", "2024-03-01", 9.0, 0.99),
    Agent("A02", "禾悦-小暖", "售前", "2024-09-15", 14.0, 0.98),
    Agent("A03", "禾悦-小杰", "售前", "2025-06-20", 30.0, 0.95),
    Agent("A04", "禾悦-阿木", "售后", "2023-11-01", 20.0, 0.98),
    Agent("A05", "禾悦-可可", "售后", "2025-02-10", 26.0, 0.97),
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
