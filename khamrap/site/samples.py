"""Realistic sample plans, used by the demo, the tests and the benchmarks.

The sample is data (``data/sample_plan.json``, in the snapshot form of :mod:`khamrap.plans.snapshots`):
Chiang Mai-like strategic issues, eight KPIs in both directions and of both types, weights adding to 35.
"""

import json
from dataclasses import replace
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from khamrap.plans.models import KpiType
from khamrap.plans.schema import GoalData, IssueData, KpiData, PlanData
from khamrap.plans.snapshots import plan_from_json

D = Decimal
PLAN_WEIGHT = D(35)  # indicator 1 of the seeded FY2551 province framework
SAMPLE_FILE = Path(__file__).resolve().parent / "data" / "sample_plan.json"


@lru_cache(maxsize=1)
def _sample() -> PlanData:
    return plan_from_json(json.loads(SAMPLE_FILE.read_text(encoding="utf-8")))


def _reweighted(data: PlanData, scale: Decimal) -> PlanData:
    def kpi(item: KpiData) -> KpiData:
        return replace(item, weight=item.weight * scale if item.weight is not None else None)

    return PlanData(
        issues=tuple(
            replace(
                issue,
                goals=tuple(replace(goal, kpis=tuple(kpi(k) for k in goal.kpis)) for goal in issue.goals),
            )
            for issue in data.issues
        )
    )


def sample_plan(*, total_weight: Decimal = PLAN_WEIGHT) -> PlanData:
    """Three strategic issues, eight KPIs (quantitative in both directions and milestone), weights = total."""
    scale = total_weight / PLAN_WEIGHT
    return _sample() if scale == 1 else _reweighted(_sample(), scale)


def large_plan(*, kpi_count: int = 30, total_weight: Decimal = PLAN_WEIGHT) -> PlanData:
    """A plan with ``kpi_count`` quantitative KPIs across three issues (for benchmarks)."""
    template = next(k for k in _sample().kpis() if k.kpi_type == KpiType.QUANTITATIVE)
    weight = (total_weight / kpi_count).quantize(D("0.0001"))
    criteria = tuple(D(v) for v in ("75", "80", "85", "90", "95"))
    kpis = []
    for n in range(kpi_count):
        name = f"ตัวชี้วัดที่ทดสอบลำดับ {n + 1} ร้อยละของความสำเร็จ"
        kpis.append(
            replace(
                template,
                name=name,
                weight=weight if n < kpi_count - 1 else total_weight - weight * (kpi_count - 1),
                baselines=(D("70"), D("72"), D("74")),
                target=criteria[2],
                criteria=criteria,
                definition=f"นิยาม: {name}",
            )
        )
    third = kpi_count // 3
    return PlanData(
        issues=tuple(
            IssueData(
                name=f"ประเด็นยุทธศาสตร์ที่ {i + 1}",
                goals=(GoalData(name=f"เป้าประสงค์ที่ {i + 1}", kpis=tuple(chunk)),),
            )
            for i, chunk in enumerate([kpis[:third], kpis[third : 2 * third], kpis[2 * third :]])
        )
    )
