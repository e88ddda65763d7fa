"""Demo plans for `make run`: one draft, one submitted on time, one late, one awaiting the governor; the
analyst's review of two of them (one under review, one returned with comments to answer)."""

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from khamrap.accounts.models import Role, User
from khamrap.frameworks.models import BANGKOK, FiscalYear
from khamrap.orgs.models import Organisation
from khamrap.plans import editing, submission
from khamrap.plans.models import Kpi, Plan, PlanStatus
from khamrap.review import services as review
from khamrap.review.models import PlanReview
from khamrap.site.samples import sample_plan


def _actor(organisation: Organisation, role: Role) -> User:
    user, _ = User.objects.get_or_create(
        username=f"demo_{role}_{organisation.code}".lower(),
        defaults={"role": role, "organisation": organisation, "is_active": False},
    )
    return user


@transaction.atomic
def demo_plans_create(*, fiscal_year: FiscalYear) -> int:
    """Create the demo plans that do not exist yet; returns how many were made."""
    deadline = datetime.combine(fiscal_year.submission_deadline, time(10, 0), tzinfo=BANGKOK)
    # code → when the governor approved it (None: leave at that stage)
    scenarios: dict[str, tuple[str, datetime | None]] = {
        "50": ("draft", None),
        "51": ("submitted", deadline - timedelta(days=2)),
        "52": ("submitted", deadline + timedelta(days=3)),
        "58": ("awaiting", None),
        "NU1": ("draft", None),
    }
    made = 0
    organisations = Organisation.objects.in_bulk(list(scenarios), field_name="code")
    existing = set(
        Plan.objects.filter(fiscal_year=fiscal_year, organisation__code__in=scenarios).values_list(
            "organisation__code", flat=True
        )
    )
    for code, (stage, when) in scenarios.items():
        if code in existing or code not in organisations:
            continue
        organisation = organisations[code]
        officer_role = Role.PROVINCE_OFFICER if organisation.is_province else Role.CLUSTER_OFFICER
        officer = _actor(organisation, officer_role)
        plan = editing.plan_get_or_create(fiscal_year=fiscal_year, organisation=organisation)
        editing.plan_tree_replace(plan=plan, data=sample_plan(), actor=officer)
        if stage in {"submitted", "awaiting"}:
            submission.plan_submit(plan=plan, actor=officer, when=when or deadline)
        if stage == "submitted" and when is not None:
            submission.plan_approve(plan=plan, actor=_actor(organisation, Role.EXECUTIVE), when=when)
        made += 1
    return made


# The demo analyst's word on some KPIs: (plan's organisation, KPI code, verdict, comment, proposal).
DEMO_VERDICTS: tuple[tuple[str, str, str, str, dict[str, Decimal]], ...] = (
    (
        "51",
        "1.1",
        "revise",
        "ค่าเป้าหมายต่ำกว่าแนวโน้มของข้อมูลพื้นฐาน 3 ปี เสนอให้ปรับเป็นร้อยละ 6",
        {"target": Decimal(6)},
    ),
    ("51", "1.2", "revise", "กรุณาระบุสูตรการคำนวณและแหล่งข้อมูลให้ชัดเจน", {}),
    ("51", "1.3", "appropriate", "", {}),
    ("52", "1.1", "appropriate", "", {}),
    ("52", "1.2", "drop", "ซ้ำกับตัวชี้วัดมาตรฐานของกรอบการประเมินผล", {}),
)
DEMO_ANALYST = "opdc_analyst"


@transaction.atomic
def demo_reviews_create(*, fiscal_year: FiscalYear) -> int:
    """The demo analyst assigned to the demo organisations, reviewing Lamphun's plan (returned for revision,
    due in two weeks) and Lampang's (under review). Plans already reviewed are left alone; returns how
    many reviews were made."""
    analyst = User.objects.filter(username=DEMO_ANALYST).first()
    if analyst is None:
        return 0
    organisations = Organisation.objects.filter(code__in=["50", "51", "52", "58", "NU1"])
    analyst.assigned_organisations.add(*organisations)
    plans = {
        p.organisation.code: p
        for p in Plan.objects.filter(
            fiscal_year=fiscal_year, organisation__code__in=["51", "52"]
        ).select_related("organisation", "fiscal_year")
    }
    reviewed = set(
        PlanReview.objects.filter(plan__in=plans.values()).values_list("plan__organisation__code", flat=True)
    )
    made = set()
    for code, kpi_code, verdict, comment, proposal in DEMO_VERDICTS:
        plan = plans.get(code)
        if plan is None or code in reviewed or plan.status not in review.REVIEWING_STATUSES:
            continue
        kpi = Kpi.objects.get(plan=plan, code=kpi_code)
        review.kpi_review_save(
            plan=plan,
            kpi_uid=str(kpi.uid),
            actor=analyst,
            verdict=verdict,
            comment=comment,
            note="",
            proposed=proposal,
        )
        made.add(code)
    if "51" in made:
        review.plan_review_notes_save(
            plan=plans["51"], actor=analyst, notes="จังหวัดขอหารือเรื่องตัวชี้วัดการท่องเที่ยวก่อนวันเจรจา"
        )
        lamphun = Plan.objects.get(pk=plans["51"].pk)
        if lamphun.status != PlanStatus.RETURNED:
            review.review_return(
                plan=lamphun,
                actor=analyst,
                message="กรุณาพิจารณาความเห็นรายตัวชี้วัดและส่งฉบับแก้ไข",
                revise_by=timezone.localdate() + timedelta(days=14),
            )
    return len(made)
