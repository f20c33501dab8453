"""The 8 classic RFM segments (unit 12): (R, F, M) value levels → 客户类型.

Shared by :mod:`.rfm`, which puts each buyer in one, and :mod:`.care_plans`, which holds one
关怀计划 per segment.  高/低 are value levels: R高 means the buyer paid recently.

>>> SEGMENTS[(LOW, LOW, HIGH)]
'重要挽留客户'
"""
from __future__ import annotations

HIGH, LOW = "高", "低"

SEGMENTS: dict[tuple[str, str, str], str] = {
    (HIGH, HIGH, HIGH): "重要价值客户",
    (LOW, HIGH, HIGH): "重要保持客户",
    (HIGH, LOW, HIGH): "重要发展客户",
    (LOW, LOW, HIGH): "重要挽留客户",
    (HIGH, HIGH, LOW): "一般价值客户",
    (LOW, HIGH, LOW): "一般保持客户",
    (HIGH, LOW, LOW): "一般发展客户",
    (LOW, LOW, LOW): "一般挽留客户",
}
