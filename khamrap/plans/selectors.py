"""Reads of plans: the tree as plain data, in a constant number of queries."""

from django.db.models import Prefetch

from khamrap.frameworks.models import FiscalYear
from khamrap.orgs.models import Organisation
from khamrap.plans.models import Goal, Kpi, MilestoneLevel, Plan, StrategicIssue
from khamrap.plans.schema import (
    KPI_FIELDS,
    GoalData,
    IssueData,
    KpiData,
    LevelData,
    PlanData,
    kpi_from_values,
)


def plan_find(*, fiscal_year: FiscalYear, organisation: Organisation) -> Plan | None:
    return Plan.objects.filter(fiscal_year=fiscal_year, organisation=organisation).first()


def plan_or_blank(*, fiscal_year: FiscalYear, organisation: Organisation) -> Plan:
    """The organisation's plan of the year, or an unsaved empty one: reading a plan never writes one."""
    return plan_find(fiscal_year=fiscal_year, organisation=organisation) or Plan(
        fiscal_year=fiscal_year, organisation=organisation
    )


def kpi_data(kpi: Kpi, levels: list[MilestoneLevel]) -> KpiData:
    return kpi_from_values(
        {f.name: getattr(kpi, f.name) for f in KPI_FIELDS},
        uid=str(kpi.uid),
        code=kpi.code,
        levels=tuple(LevelData(lv.level, lv.description, tuple(lv.substeps)) for lv in levels),
    )


def plan_issues(plan: Plan) -> list[StrategicIssue]:
    """The plan's issues in order with their goals, KPIs and levels prefetched: four queries in all."""
    if plan.pk is None:
        return []
    return list(
        StrategicIssue.objects.filter(plan=plan)
        .order_by("position", "pk")
        .prefetch_related(
            Prefetch("goals", queryset=Goal.objects.order_by("position", "pk")),
            Prefetch(
                "goals__kpis",
                queryset=Kpi.objects.order_by("position", "pk").prefetch_related(
                    Prefetch("levels", queryset=MilestoneLevel.objects.order_by("level"))
                ),
            ),
        )
    )


def plan_tree(plan: Plan) -> PlanData:
    """The whole plan as plain data, in a constant number of queries (four)."""
    return plan_tree_of(plan_issues(plan))


def plan_tree_of(issues: list[StrategicIssue]) -> PlanData:
    """Plain data of issues already read by :func:`plan_issues` (no query)."""
    return PlanData(
        issues=tuple(
            IssueData(
                name=issue.name,
                goals=tuple(
                    GoalData(
                        name=goal.name,
                        kpis=tuple(kpi_data(kpi, list(kpi.levels.all())) for kpi in goal.kpis.all()),
                    )
                    for goal in issue.goals.all()
                ),
            )
            for issue in issues
        )
    )
