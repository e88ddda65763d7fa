"""Reads of plans: the tree as plain data, and OPDC's tracking of every organisation."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from khamrap.frameworks.models import FiscalYear, Framework
from khamrap.frameworks.selectors import framework_for, plan_indicator
from khamrap.orgs.models import Organisation
from khamrap.orgs.selectors import cluster_codes_by_province, participating_organisations
from khamrap.plans.models import (
    Goal,
    Kpi,
    MilestoneLevel,
    Plan,
    PlanStatus,
    StrategicIssue,
    SubmissionExtension,
)
from khamrap.plans.schema import GoalData, IssueData, KpiData, LevelData, PlanData


def plan_find(*, fiscal_year: FiscalYear, organisation: Organisation) -> Plan | None:
    return Plan.objects.filter(fiscal_year=fiscal_year, organisation=organisation).first()


def kpi_data(kpi: Kpi, levels: list[MilestoneLevel]) -> KpiData:
    return KpiData(
        uid=str(kpi.uid),
        code=kpi.code,
        name=kpi.name,
        unit=kpi.unit,
        weight=kpi.weight,
        kpi_type=kpi.kpi_type,
        direction=kpi.direction,
        baselines=(kpi.baseline_1, kpi.baseline_2, kpi.baseline_3),
        target=kpi.target,
        criteria=kpi.criteria,
        levels=tuple(LevelData(lv.level, lv.description, tuple(lv.substeps)) for lv in levels),
        definition=kpi.definition,
        formula=kpi.formula,
        data_source=kpi.data_source,
        supervisor_name=kpi.supervisor_name,
        supervisor_phone=kpi.supervisor_phone,
        collector_name=kpi.collector_name,
        collector_phone=kpi.collector_phone,
        remarks=kpi.remarks,
    )


def plan_issues(plan: Plan) -> list[StrategicIssue]:
    """The plan's issues in order with their goals, KPIs and levels prefetched: four queries in all."""
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


def expected_plan_weight(*, fiscal_year: FiscalYear, organisation: Organisation) -> Decimal:
    """The weight indicator 1's sub-KPIs must add up to, from the framework of the organisation's kind."""
    framework = framework_for(fiscal_year=fiscal_year, organisation_kind=organisation.kind)
    indicator = plan_indicator(framework=framework) if framework else None
    return indicator.weight if indicator else Decimal(100)


def plan_framework(plan: Plan) -> Framework | None:
    return framework_for(fiscal_year=plan.fiscal_year, organisation_kind=plan.organisation.kind)


def deadline_for(*, fiscal_year: FiscalYear, extension: SubmissionExtension | None) -> date:
    return extension.until if extension else fiscal_year.submission_deadline


class TrackingStatus:
    NOT_STARTED = "not_started"
    DRAFT = "draft"
    AWAITING_APPROVAL = "awaiting_approval"
    SUBMITTED = "submitted"
    LATE = "late"
    EXTENSION = "extension"

    LABELS = {
        NOT_STARTED: _("ยังไม่เริ่ม"),
        DRAFT: _("ร่าง"),
        AWAITING_APPROVAL: _("รอผู้ว่าฯ อนุมัติ"),
        SUBMITTED: _("ส่งแล้ว (ตรงเวลา)"),
        LATE: _("ส่งล่าช้า"),
        EXTENSION: _("ได้รับขยายเวลา"),
    }
    ORDER = (NOT_STARTED, DRAFT, AWAITING_APPROVAL, EXTENSION, SUBMITTED, LATE)


@dataclass(frozen=True)
class TrackingRow:
    organisation: Organisation
    cluster: Organisation | None
    plan: Plan | None
    kpi_count: int
    status: str
    extension: SubmissionExtension | None
    deadline: date
    days_left: int

    @property
    def status_label(self) -> str:
        return str(TrackingStatus.LABELS[self.status])


def tracking_rows(
    *, fiscal_year: FiscalYear, organisations: QuerySet[Organisation] | None = None, today: date | None = None
) -> list[TrackingRow]:
    """One row per province and cluster of the year, in a constant number of queries."""
    today = today or timezone.localdate()
    orgs = list(
        organisations
        if organisations is not None
        else participating_organisations(on=fiscal_year.structure_on)
    )
    plans = {
        p.organisation_id: p
        for p in Plan.objects.filter(fiscal_year=fiscal_year, organisation__in=orgs).annotate(
            kpi_total=Count("kpis", distinct=True), attachment_total=Count("attachments", distinct=True)
        )
    }
    extensions = {
        e.organisation_id: e
        for e in SubmissionExtension.objects.filter(fiscal_year=fiscal_year, organisation__in=orgs)
    }
    clusters = cluster_codes_by_province(on=fiscal_year.structure_on)
    rows = []
    for org in orgs:
        plan = plans.get(org.pk)
        extension = extensions.get(org.pk)
        kpi_count = getattr(plan, "kpi_total", 0)
        deadline = deadline_for(fiscal_year=fiscal_year, extension=extension)
        rows.append(
            TrackingRow(
                organisation=org,
                cluster=clusters.get(org.pk),
                plan=plan,
                kpi_count=kpi_count,
                status=_status_from_counts(plan, kpi_count, extension),
                extension=extension,
                deadline=deadline,
                days_left=(deadline - today).days,
            )
        )
    return rows


def _status_from_counts(plan: Plan | None, kpi_count: int, extension: SubmissionExtension | None) -> str:
    # Attachments and KPIs were counted up front: no query per row.
    if plan is not None and plan.is_submitted:
        return TrackingStatus.LATE if plan.is_late else TrackingStatus.SUBMITTED
    if plan is not None and plan.status == PlanStatus.AWAITING_APPROVAL:
        return TrackingStatus.AWAITING_APPROVAL
    if extension is not None:
        return TrackingStatus.EXTENSION
    started = plan is not None and (
        kpi_count or getattr(plan, "attachment_total", 0) or plan.status != PlanStatus.DRAFT
    )
    return TrackingStatus.DRAFT if started else TrackingStatus.NOT_STARTED


def tracking_counts(rows: list[TrackingRow]) -> dict[str, int]:
    counts = dict.fromkeys(TrackingStatus.ORDER, 0)
    for row in rows:
        counts[row.status] += 1
    return counts
