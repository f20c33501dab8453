"""关怀计划: what the shop does for each RFM segment (unit 12), true to 「禾悦优选」's facts.

Prices are uniform and agents may not give discounts, coupons or red packets, so a plan
uses only what the shop really has: service, follow-up calls, the shop-wide campaign and
gift (this week: any 箱包 → a free 皮具护理套装).  Channels and frequencies follow the rules
of unit 12 (千牛 first, phone or SMS only with consent, stop when the buyer says so; 消保法
第二十九条).  Frequencies are **this course's suggestions**, a teacher may edit them, as with
:data:`course_lib.shop.performance.DEFAULT_SCHEME`.

>>> CARE_PLANS["重要挽留客户"].goal
'挽留'
>>> print(CARE_PLANS["一般挽留客户"].to_text().splitlines()[0])
【一般挽留客户】目标：低成本维护——很久没来、买得少
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CarePlan:
    segment: str
    goal: str
    who: str                      # who these customers are, in a few words
    actions: tuple[str, ...]
    channel: str
    frequency: str
    example: str                  # an example 千牛 message (only the shop's real facts)
    avoid: tuple[str, ...]

    @property
    def summary(self) -> str:
        """One line for a table column: the goal and the main actions."""
        return f"{self.goal}：{'；'.join(self.actions)}。"

    def to_text(self) -> str:
        return "\n".join([f"【{self.segment}】目标：{self.goal}——{self.who}",
                          *(f"  · {a}" for a in self.actions),
                          f"  渠道：{self.channel}；频率：{self.frequency}",
                          f"  示例消息：{self.example}",
                          f"  不要：{'；'.join(self.avoid)}"])


NO_DISCOUNT = "私自给折扣、优惠券或红包（价格统一，客服不能改价）"


def _plan(segment, goal, who, actions, channel, frequency, example, *avoid) -> CarePlan:
    return CarePlan(segment, goal, who, tuple(actions), channel, frequency, example, (*avoid, NO_DISCOUNT))


CARE_PLANS: dict[str, CarePlan] = {p.segment: p for p in (
    _plan("重要价值客户", "保持", "最近买过、买得多、花得多，是店铺最重要的顾客",
          ("优先接待，记住他的偏好（记进会员档案）", "售后问题优先处理，处理完回访一次",
           "店铺有新品或统一活动时，经顾客同意后第一时间告诉他"),
          "千牛消息", "每月不超过2次",
          "您好，我是禾悦优选的客服小雅～谢谢您一直以来的支持！您上次买的东西用着还顺手吗？有任何问题随时找我。",
          "频繁推送活动"),
    _plan("重要保持客户", "唤回", "以前常买、花得多，最近没来了",
          ("主动回访一次：先问上次买的东西用得怎么样", "了解最近没来的原因，记进会员档案，反馈给店里",
           "店铺有统一活动时，经顾客同意后告诉他"),
          "千牛消息为主；顾客同意后才打电话", "回访一次，之后按顾客的意愿",
          "您好，我是禾悦优选的客服小雅～好久没见您了，想问问之前买的东西用着怎么样？有不满意的地方我们好改进。",
          "一开口就推销"),
    _plan("重要发展客户", "培养", "最近买过、花得多，但只买过一两次",
          ("收货后做一次使用关怀（例如皮具的保养提醒）", "根据他买过的商品做关联推荐（第08单元）",
           "邀请关注店铺，方便以后看到新品和活动"),
          "千牛消息", "收货后一次，之后每月不超过1次",
          "您好，我是禾悦优选的客服小雅～您买的包收到了吗？平时用护理套装清洁保养就好，用着有问题随时找我。",
          "一次推荐很多商品"),
    _plan("重要挽留客户", "挽留", "花得多，但很久没来、只买过一两次",
          ("重点回访：先关怀上次买的商品，再了解没再来的原因", "认真听意见，记进会员档案，反馈给店里改进",
           "问清顾客愿意用什么方式、多久联系一次，记下来并照做"),
          "千牛消息为主；顾客同意后才打电话", "回访一次；顾客不愿意就停止联系",
          "您好，我是禾悦优选的客服小雅，打扰您一分钟～想问问您之前买的东西用着怎么样？有不满意的地方我们好改进。",
          "硬推销、催下单", "顾客说不要联系后还继续发"),
    _plan("一般价值客户", "提高客单价", "最近常买，但每次花得不多",
          ("根据买过的商品推荐搭配购买的商品（例如充电宝配数据线）", "介绍店铺统一的活动和赠品"),
          "千牛消息", "每月不超过1次",
          "您好，我是禾悦优选的客服小雅～您买过的快充数据线可以给充电宝和手机充电，出门补电更方便，有需要可以看看。",
          "为了提高客单价硬塞商品"),
    _plan("一般保持客户", "提醒", "以前常买小件，最近没来",
          ("店铺有统一活动时，经顾客同意后通知一次", "问问有没有需要改进的地方"),
          "千牛消息", "大促前一次",
          "您好，我是禾悦优选的客服小雅～店里本周有活动：买任意箱包送一套皮具护理套装，您有需要可以看看。",
          "每天群发"),
    _plan("一般发展客户", "培养复购", "新顾客，只买过一次小件",
          ("收货后做一次使用关怀和使用指导", "邀请关注店铺"),
          "千牛消息", "收货后一次",
          "您好，我是禾悦优选的客服小雅～您买的东西收到了吗？用着有问题随时找我，欢迎关注店铺。",
          "刚买完就推销别的"),
    _plan("一般挽留客户", "低成本维护", "很久没来、买得少",
          ("不单独投入太多时间", "大促前经顾客同意发一次活动通知"),
          "千牛消息", "大促前一次",
          "您好，我是禾悦优选的客服小雅～店里有新活动，有需要可以来看看，祝您生活愉快。",
          "频繁打扰"),
)}
