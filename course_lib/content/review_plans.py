"""The 中差评 handling planner (unit 11): cause → what to check → contact message → public reply.

A plan file ``data/practice/<id>.yaml`` (``kind: review_plans``) holds, for every cause of
a 中评 or 差评 (the 原因分类 of the review table, plus 恶意评价), what to check, the remedies
the shop's rules allow, and two rubric blocks in the format of ``data/README_content.md`` §4:
one for the 千牛 message to the reviewer (``contact``) and one for the public reply under the
review (``reply``).  Shared keys (facts, lengths, the ``avoid`` patterns: no private data, no
blaming, no asking for a changed review) sit at the top of the file and are merged into each
cause.  Both texts are scored by the course's reply scorer, so the planner, the graded
exercise and the role-play judge a reply the same way.  The widget is
:class:`course_lib.views.aftersale.ReviewPlanner`.

>>> plans = load_review_plans("u11_review_plans")
>>> plan = plans.plan(" 物流 慢")
>>> plan.cause, plan.dsr_item, len(plan.steps())
('物流慢', '物流服务', 5)
>>> plans.check_reply(plan.reply_reference, "物流慢").score >= 90
True
>>> plans.check_reply("您自己地址偏，怪不了我们。", "物流慢").score < 60
True
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from ..text import fold_reply, plain_str
from .loading import ContentError, ContentFile, read_content
from .rubric import ReplySpec, RubricResult, spec_from_data

LEVELS = ("中评", "差评")
DSR_ITEMS = ("描述相符", "服务态度", "物流服务")
STEPS = ("找原因", "联系顾客", "解决问题", "公开解释", "记录与改进")
REVIEW_COLUMNS = ("订单编号", "评价时间", "评价等级", "原因分类", "评价内容")


@dataclass(frozen=True)
class CausePlan:
    """The plan for one cause of a 中差评."""

    cause: str
    dsr_item: str | None          # the DSR item this cause drags down (None for 恶意评价)
    check: tuple[str, ...]        # 找原因：what to check
    remedies: tuple[str, ...]     # 解决问题：what the shop's rules allow
    contact: ReplySpec
    reply: ReplySpec
    contact_reference: str
    reply_reference: str

    def steps(self) -> tuple[str, ...]:
        """The five steps of handling a 中差评, filled in for this cause."""
        points = lambda spec: "、".join(p.name for p in spec.gates + spec.required)  # noqa: E731
        return (f"① {STEPS[0]}：核实{'；'.join(self.check)}",
                f"② {STEPS[1]}：用千牛联系一次，{points(self.contact)}",
                f"③ {STEPS[2]}：{'；'.join(self.remedies)}",
                f"④ {STEPS[3]}：{points(self.reply)}；不指责顾客、不泄露顾客信息",
                f"⑤ {STEPS[4]}：在售后登记表里写明原因和处理结果，找出根源")


@dataclass(frozen=True)
class ReviewView:
    """One row of the 评价表 and the plan for its cause."""

    order_id: str
    level: str
    text: str
    scores: Mapping[str, int]
    plan: CausePlan

    @property
    def lowest(self) -> tuple[str, ...]:
        """The DSR item(s) with the lowest stars."""
        if not self.scores:
            return ()
        low = min(self.scores.values())
        return tuple(k for k, v in self.scores.items() if v == low)


@dataclass(frozen=True)
class ReviewPlans(ContentFile):
    causes: Mapping[str, CausePlan]

    def plan(self, cause: object) -> CausePlan:
        """The plan of one cause; spaces and full-width forms are ignored."""
        if isinstance(cause, str):
            folded = fold_reply(plain_str(cause)[:40])
            for name, plan in self.causes.items():
                if fold_reply(name) == folded:
                    return plan
        shown = plain_str(cause)[:20] if isinstance(cause, str) else type(cause).__name__
        raise ContentError(f"「{shown}」不是可以规划的原因，请从这些原因中选：{'、'.join(self.causes)}。")

    def for_review(self, row: Mapping[str, Any]) -> ReviewView:
        """The plan for one row of the 评价表 (订单编号, 评价等级, 原因分类, 评价内容, the DSR items)."""
        if not isinstance(row, Mapping):
            raise ContentError("请传入评价表中的一行（例如 reviews.iloc[0].to_dict()）。")
        level = row.get("评价等级")
        if level == "好评":
            raise ContentError("这是一条好评，不需要按中差评处理；可以感谢顾客，做好回访。")
        if level not in LEVELS:
            raise ContentError(f"评价等级应是中评或差评，现在是「{str(level)[:10]}」。")
        plan = self.plan(row.get("原因分类"))
        scores = {}
        for item in DSR_ITEMS:
            try:
                value = int(row.get(item))
            except (TypeError, ValueError):
                continue
            if 1 <= value <= 5:
                scores[item] = value
        text = row.get("评价内容")
        return ReviewView(str(row.get("订单编号", "")), str(level), text if isinstance(text, str) else "", scores, plan)

    def check_contact(self, text: object, cause: object, review: str = "") -> RubricResult:
        """Score a 千牛 message to the reviewer (``review``: the review's text; copying it is empty)."""
        spec = self.plan(cause).contact
        return (replace(spec, buyer=review) if review else spec).score(text)

    def check_reply(self, text: object, cause: object, review: str = "") -> RubricResult:
        """Score a public reply under the review."""
        spec = self.plan(cause).reply
        return (replace(spec, buyer=review) if review else spec).score(text)


# ----------------------------------------------------------------------------- loading

def _strings(raw: Any, where: str) -> tuple[str, ...]:
    if not isinstance(raw, list) or not raw or not all(isinstance(s, str) and s.strip() for s in raw):
        raise ContentError(f"{where}应是非空的文字列表。")
    return tuple(s.strip() for s in raw)


def _spec(shared: Any, own: Any, where: str) -> tuple[ReplySpec, str]:
    if not isinstance(shared, Mapping) or not isinstance(own, Mapping):
        raise ContentError(f"{where}：应是一个字典（gates、required、reference）。")
    reference = own.get("reference")
    if not isinstance(reference, str) or not reference.strip():
        raise ContentError(f"{where}：缺少参考写法 reference。")
    merged = {**shared, **{k: v for k, v in own.items() if k != "reference"}}
    spec = spec_from_data(merged, where)
    if not spec.gates:
        raise ContentError(f"{where}：至少要写一条 gates（这段话非说不可的事）。")
    return spec, reference.strip()


def plans_from_data(raw: Any, filename: str) -> ReviewPlans:
    """Validate a parsed plan file; raises :class:`ContentError` naming the file and the cause."""
    if not isinstance(raw, Mapping):
        raise ContentError(f"{filename}：内容应是一个字典（kind、id、unit、title、contact、reply、causes）。")
    if raw.get("kind") != "review_plans":
        raise ContentError(f"{filename}：kind 应是 review_plans（中差评处理规划）。")
    for key in ("id", "unit", "title"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            raise ContentError(f"{filename}：缺少 {key}（文字）。")
    causes = raw.get("causes")
    if not isinstance(causes, list) or not causes:
        raise ContentError(f"{filename}：缺少 causes（每种原因的规划）。")
    plans: dict[str, CausePlan] = {}
    for n, c in enumerate(causes, 1):
        where = f"{filename} 第{n}种原因"
        if not isinstance(c, Mapping) or not isinstance(c.get("cause"), str) or not c["cause"].strip():
            raise ContentError(f"{where}：缺少 cause（原因的名称）。")
        name = c["cause"].strip()
        where = f"{filename} 原因「{name}」"
        if name in plans:
            raise ContentError(f"{where}：重复了。")
        item = c.get("dsr_item")
        if item is not None and item not in DSR_ITEMS:
            raise ContentError(f"{where}：dsr_item 应是 {'、'.join(DSR_ITEMS)} 之一，或者不写。")
        contact, contact_ref = _spec(raw.get("contact", {}), c.get("contact"), f"{where} 的 contact")
        reply, reply_ref = _spec(raw.get("reply", {}), c.get("reply"), f"{where} 的 reply")
        if c.get("calm") is True:                       # no apology required (e.g. a malicious review)
            contact, reply = replace(contact, complaint=False), replace(reply, complaint=False)
        plans[name] = CausePlan(name, item, _strings(c.get("check"), f"{where} 的 check"),
                                _strings(c.get("remedies"), f"{where} 的 remedies"), contact, reply,
                                contact_ref, reply_ref)
    return ReviewPlans(raw["id"].strip(), raw["unit"].strip(), raw["title"].strip(), plans)


@lru_cache(maxsize=8)
def load_review_plans(plans_id: str) -> ReviewPlans:
    """The plan file ``data/practice/<plans_id>.yaml``."""
    filename = f"practice/{plans_id}.yaml"
    return plans_from_data(read_content(filename), filename)


def review_choices(reviews) -> list[tuple[str, dict]]:
    """(label, row) for every 中评 and 差评 of a 评价表, newest first (for a dropdown).

    ``reviews`` is a DataFrame with 订单编号, 评价时间, 评价等级, 原因分类, 评价内容 and the DSR items.
    """
    columns = getattr(reviews, "columns", ())
    missing = [c for c in REVIEW_COLUMNS if c not in columns]
    if missing:
        raise ContentError(f"请传入评价表（缺少这些列：{'、'.join(missing)}）。")
    rows = [r for r in reviews.to_dict("records") if str(r["评价等级"]) in LEVELS]
    rows.sort(key=lambda r: (str(r["评价时间"]), str(r["订单编号"])), reverse=True)
    return [(f"{r['订单编号']}｜{r['评价等级']}｜{r['原因分类']}｜{str(r['评价内容'])[:14]}", r) for r in rows]
