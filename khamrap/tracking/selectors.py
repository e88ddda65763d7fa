"""Reads of OPDC's tracking: one row per province and cluster of the year, in a constant number of queries."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from khamrap.frameworks.models import FiscalYear
from khamrap.orgs.models import Organisation
from khamrap.orgs.selectors import cluster_codes_by_province, participating_organisations
from khamrap.plans.models import Plan, PlanStatus, SubmissionExtension
from khamrap.plans.submission import deadline_for
from khamrap.thai.text import normalise


class TrackingStatus:
    """Where an organisation stands on the tracking page: its plan's state, or that it has not started."""

    NOT_STARTED = "not_started"
    DRAFT = PlanStatus.DRAFT.value
    AWAITING_APPROVAL = PlanStatus.AWAITING_APPROVAL.value
    SUBMITTED = PlanStatus.SUBMITTED.value
    LATE = "late"
    EXTENSION = "extension"
    RETURNED = PlanStatus.RETURNED.value
    RESUBMITTED = PlanStatus.RESUBMITTED.value
    BADGES = {SUBMITTED: "ok", LATE: "bad", NOT_STARTED: "none", RETURNED: "bad", RESUBMITTED: "info"}

    LABELS = {
        NOT_STARTED: _("ยังไม่เริ่ม"),
        DRAFT: _("ร่าง"),
        AWAITING_APPROVAL: _("รอผู้ว่าฯ อนุมัติ"),
        SUBMITTED: _("ส่งแล้ว (ตรงเวลา)"),
        LATE: _("ส่งล่าช้า"),
        EXTENSION: _("ได้รับขยายเวลา"),
        RETURNED: _("ส่งกลับให้แก้ไข"),
        RESUBMITTED: _("ส่งฉบับแก้ไขแล้ว"),
    }
    ORDER = (NOT_STARTED, DRAFT, AWAITING_APPROVAL, EXTENSION, SUBMITTED, LATE, RETURNED, RESUBMITTED)


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
    def badge(self) -> str:
        return TrackingStatus.BADGES.get(self.status, "warn")

    @property
    def status_label(self) -> str:
        return str(TrackingStatus.LABELS[self.status])


def organisations_matching(organisations: QuerySet[Organisation], text: str) -> QuerySet[Organisation]:
    """The organisations whose Thai or English name contains ``text``, or whose code is ``text``."""
    text = normalise(text)
    if not text:
        return organisations
    return organisations.filter(
        Q(name_th__icontains=text) | Q(name_en__icontains=text) | Q(code__iexact=text)
    )


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
    # OPDC's return is the news, whatever the extension or the first submission's lateness.
    if plan is not None and plan.status == PlanStatus.RETURNED:
        return TrackingStatus.RETURNED
    if plan is not None and plan.status == PlanStatus.RESUBMITTED:
        return TrackingStatus.RESUBMITTED
    if plan is not None and plan.is_submitted:
        return TrackingStatus.LATE if plan.is_late else TrackingStatus.SUBMITTED
    if plan is not None and plan.is_awaiting_approval:
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
