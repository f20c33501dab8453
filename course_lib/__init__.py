"""《电子商务客服管理》课程辅助库 — the public API the notebooks import.

Notebooks import only from here::

    from course_lib import setup, Quiz, RolePlay, check, load_dataset
    setup("u01")
    Quiz("u01", group="s1")
    RolePlay("u01_thinkpad")
    check("u01.e1", answer_e1)

Importing ``course_lib`` loads nothing heavy: every name below is looked up in its
home module (see :data:`PUBLIC`) the first time it is used, so pandas, matplotlib and
ipywidgets load only when a function or view that needs them is called.

The package is grouped by capability (the README's "仓库结构" explains it):

- :mod:`course_lib.content` — answers, question types and banks, ``check()``, the reply
  scorer, role-play scenarios;
- :mod:`course_lib.shop` — the shop world 「禾悦优选」: generator, datasets, platform rules,
  reminders, KPIs, RFM, bundles, performance sheet, record sheets;
- :mod:`course_lib.practice` — practice tools with no key: the typing drill, the self-assessment;
- :mod:`course_lib.views` — the ipywidgets views (quiz, role-play, planners, practice tools, apps);
- :mod:`course_lib.grading` — release, submissions, the sandboxed runner, gradebook, reports;
- :mod:`course_lib.publish` — offline HTML and slides;
- :mod:`course_lib.notebook` — notebook transformations and the notebook runner.
"""
from __future__ import annotations

__version__ = "0.1.0"

# public name -> home module (relative to this package)
PUBLIC: dict[str, str] = {
    # the course session
    "setup": "session",
    "standards": "settings",
    # content: exercises, quizzes, role-plays, the reply scorer
    "check": "content.exercises",
    "score_reply": "content.rubric",
    "Quiz": "views.quiz",
    "RolePlay": "views.roleplay",
    "roleplay_app": "views.app",
    # the shop world's data
    "load_dataset": "shop.datasets",
    "fmt_rate": "shop.tables",
    # platform rules (units 04, 05)
    "order_deadlines": "shop.timeouts",
    "auto_close_at": "shop.timeouts",
    "auto_confirm_at": "shop.timeouts",
    "validate_sequence": "shop.orders",
    "legal_events": "shop.orders",
    "TRANSITIONS": "shop.orders",
    # 催付 (unit 10)
    "plan_reminder": "shop.reminders",
    "check_reminder": "shop.reminders",
    "check_frequency": "shop.reminders",
    "plan_second_reminder": "shop.reminders",
    "ReminderRules": "shop.timetable",
    "TIMETABLE": "shop.timetable",
    "reminder_success": "shop.reminder_log",
    "reminder_slot": "shop.reminder_log",
    "ReminderPlanner": "views.planner",
    # the observation record sheet (unit 01)
    "observation_template": "shop.records",
    "add_observation": "shop.records",
    "summarise_observations": "shop.records",
    # KPIs, RFM, bundles, performance (units 06, 08, 11, 12)
    "inquiry_conversion": "shop.sales",
    "closed_unit_price": "shop.sales",
    "refund_rate": "shop.sales",
    "good_review_rate": "shop.sales",
    "dsr": "shop.sales",
    "first_response_time": "shop.chat",
    "average_response_time": "shop.chat",
    "response_times": "shop.chat",
    "three_minute_rate": "shop.chat",
    "reply_rate": "shop.chat",
    "rfm_table": "shop.rfm",
    "rfm_segments": "shop.rfm",
    "segment_summary": "shop.rfm",
    "co_purchase": "shop.bundles",
    "bundle_suggestions": "shop.bundles",
    "basket_value_effect": "shop.bundles",
    "score_sheet": "shop.performance",
    "describe_scheme": "shop.performance",
    "DEFAULT_SCHEME": "shop.performance",
    # charts
    "bar_chart": "charts",
    # unit 04: 订单时间线计算器（平台超时规则的期限、活动订单、延长收货）
    "order_timeline": "shop.timeline",
    "OrderTimelineCalculator": "views.timeline",
    # unit 05: 千牛工作台（查找订单、读时间线、写备注、快捷短语）
    "search_orders": "shop.order_lookup",
    "order_events": "shop.order_lookup",
    "note_problems": "shop.notes",
    "Workbench": "views.workbench",
    # unit 06: 与顾客的有效沟通 — the multi-buyer reception simulator
    "ReceptionSimulator": "views.reception",
    # unit 07: 售前接待流程与话术 — the greeting builder
    "GreetingBuilder": "views.greeting",
    "score_greeting": "content.greeting",
    # unit 08 and unit 09: the buyer-type identifier; the cost of a concession (毛利计算器)
    "BuyerTypeIdentifier": "views.buyers",
    "order_margin": "shop.margin",
    "MarginCalculator": "views.bargain",
    # unit 02: the typing drill and the self-assessment radar
    "TypingDrill": "views.typing_drill",
    "score_typing": "practice.typing_drill",
    "SelfRadar": "views.self_radar",
    "load_assessment": "practice.loading",
    "assess": "practice.loading",
    "radar_chart": "charts",
    # unit 03: the product-knowledge card
    "ProductCard": "views.product_card",
    "load_catalogue": "shop.product_card",
    # unit 11: after-sale service — the 中差评 planner and the 过错方 judgement practice
    "ReviewPlanner": "views.aftersale",
    "FaultJudge": "views.aftersale",
    # unit 12: customer relations and performance — care plans, the RFM explorer, the team dashboard
    "CARE_PLANS": "shop.care_plans",
    "RfmExplorer": "views.crm",
    "KpiDashboard": "views.crm",
}
__all__ = sorted(PUBLIC)


def __getattr__(name: str):
    module = PUBLIC.get(name)
    if module is None:
        raise AttributeError(f"module 'course_lib' has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
