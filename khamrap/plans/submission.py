"""Submission of a plan: the officer sends it, the governor approves or sends it back, OPDC returns it.

Each step locks the plan, asks :mod:`khamrap.accounts.access`, tests the state on :class:`PlanStatus` and
records an event; every submission keeps a snapshot (:mod:`khamrap.plans.snapshots` reads it back).
"""

from datetime import date, datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from khamrap.accounts.access import (
    APPROVE_PLAN,
    RETURN_PLAN,
    REVIEW_PLAN,
    can_approve_plan,
    can_return_plan,
    can_review_plan,
    ensure,
)
from khamrap.accounts.models import User
from khamrap.core.errors import DomainError
from khamrap.frameworks.models import FiscalYear
from khamrap.frameworks.selectors import expected_plan_weight, framework_for
from khamrap.orgs.models import Organisation
from khamrap.plans.editing import plan_lock, plan_lock_for_change
from khamrap.plans.models import Plan, PlanEvent, PlanEventKind, PlanSnapshot, PlanStatus, SubmissionExtension
from khamrap.plans.notices import (
    plan_approved_notify,
    plan_awaiting_approval_notify,
    plan_ready_notify,
    plan_resubmitted_notify,
    plan_returned_notify,
    plan_sent_back_notify,
)
from khamrap.plans.schema import PlanData, plan_problems
from khamrap.plans.selectors import plan_tree
from khamrap.plans.snapshots import plan_to_json
from khamrap.thai.dates import format_date


def extension_of(*, fiscal_year: FiscalYear, organisation: Organisation) -> SubmissionExtension | None:
    return SubmissionExtension.objects.filter(fiscal_year=fiscal_year, organisation=organisation).first()


def deadline_for(*, fiscal_year: FiscalYear, extension: SubmissionExtension | None) -> date:
    """The last day the organisation may submit: its extension's, or the year's deadline."""
    return extension.until if extension else fiscal_year.submission_deadline


def plan_needs_approval(plan: Plan) -> bool:
    """Whether the plan goes to the governor before OPDC (the framework of the organisation's kind says)."""
    framework = framework_for(fiscal_year=plan.fiscal_year, organisation_kind=plan.organisation.kind)
    return framework is not None and framework.requires_executive_approval


def plan_sent_back_note(plan: Plan) -> PlanEvent | None:
    """Why the plan is open for editing again: OPDC's return, or the governor's sending it back (the latest
    one, while the plan has not been sent again)."""
    if not plan.pk or not plan.is_editable:
        return None
    latest = (
        PlanEvent.objects.filter(
            plan=plan,
            kind__in=[
                PlanEventKind.RETURNED,
                PlanEventKind.WITHDRAWN,
                PlanEventKind.SUBMITTED,
                PlanEventKind.APPROVAL_REQUESTED,
            ],
        )
        .select_related("actor")
        .order_by("-pk")
        .first()
    )
    if latest is None or latest.kind not in {PlanEventKind.RETURNED, PlanEventKind.WITHDRAWN}:
        return None
    return latest


def _snapshot(plan: Plan, actor: User) -> None:
    PlanSnapshot.objects.create(
        plan=plan,
        version=plan.version,
        status=plan.status,
        created_by=actor,
        data=plan_to_json(plan_tree(plan)),
    )


def submission_problems(
    plan: Plan, *, tree: PlanData | None = None, expected_weight: Decimal | None = None
) -> list[str]:
    """Why the plan cannot be submitted yet, as sentences in Thai (empty when it can).

    A caller that has already read the tree or the expected weight passes them in.
    """
    tree = plan_tree(plan) if tree is None else tree
    if not tree.kpis() and plan.pk and plan.attachments.exists():
        return []  # the letter allows sending the action plan instead of the rows
    if expected_weight is None:
        expected_weight = expected_plan_weight(fiscal_year=plan.fiscal_year, organisation=plan.organisation)
    problems = plan_problems(tree, expected_weight=expected_weight)
    messages = list(problems.plan)
    for code, found in problems.by_kpi.items():
        messages += [f"ตัวชี้วัด {code}: {p.message_th}" for p in found]
    return messages


def _require_window_open(plan: Plan, when: datetime) -> None:
    if plan.version > 1:
        return  # a revision OPDC asked for after the deadline: it is due by the date of the return, not the window's
    extension = extension_of(fiscal_year=plan.fiscal_year, organisation=plan.organisation)
    if plan.fiscal_year.submission_open:
        return
    if extension and when <= plan.fiscal_year.deadline_end(extension.until):
        return
    raise DomainError(
        "สำนักงาน ก.พ.ร. ปิดรับแบบฟอร์มของปีงบประมาณนี้แล้ว กรุณาติดต่อขอขยายเวลา",
        "OPDC has closed submissions for this fiscal year",
    )


def _mark_received(plan: Plan, actor: User, when: datetime) -> None:
    extension = extension_of(fiscal_year=plan.fiscal_year, organisation=plan.organisation)
    deadline = deadline_for(fiscal_year=plan.fiscal_year, extension=extension)
    plan.status = (
        PlanStatus.RESUBMITTED
        if plan.status == PlanStatus.RETURNED or plan.version > 1
        else PlanStatus.SUBMITTED
    )
    if plan.submitted_at is None:
        # Lateness is judged on the first submission; a resubmission after OPDC's return is never "late".
        plan.submitted_at = when
        plan.is_late = when > plan.fiscal_year.deadline_end(deadline)
    plan.submitted_by = plan.submitted_by or actor
    plan.save()
    _snapshot(plan, actor)
    late = ""
    if plan.status == PlanStatus.RESUBMITTED and plan.revise_by and timezone.localdate(when) > plan.revise_by:
        late = f"ส่งฉบับแก้ไขหลังกำหนด {format_date(plan.revise_by)}"
    event = PlanEvent.objects.create(plan=plan, kind=PlanEventKind.SUBMITTED, actor=actor, note=late)
    if plan.status == PlanStatus.RESUBMITTED:
        plan_resubmitted_notify(plan=plan, event=event)


@transaction.atomic
def plan_submit(*, plan: Plan, actor: User, when: datetime | None = None) -> Plan:
    """The officer sends the plan: to the governor first when the framework asks for approval."""
    when = when or timezone.now()
    plan = plan_lock_for_change(plan=plan, actor=actor)
    _require_window_open(plan, when)
    problems = submission_problems(plan)
    if problems:
        raise DomainError("ยังส่งไม่ได้: " + "; ".join(problems), "The plan is incomplete")
    if plan_needs_approval(plan):
        plan.status = PlanStatus.AWAITING_APPROVAL
        plan.save(update_fields=["status", "updated_at"])
        event = PlanEvent.objects.create(plan=plan, kind=PlanEventKind.APPROVAL_REQUESTED, actor=actor)
        plan_awaiting_approval_notify(plan=plan, event=event)
    else:
        _mark_received(plan, actor, when)
    return plan


def _require_awaiting_approval(plan: Plan) -> None:
    if not plan.is_awaiting_approval:
        raise DomainError("แบบฟอร์มนี้ไม่ได้รออนุมัติ", "The plan is not awaiting approval")


@transaction.atomic
def plan_approve(*, plan: Plan, actor: User, when: datetime | None = None) -> Plan:
    """The governor approves: the plan reaches OPDC now, and the time counts for the deadline."""
    when = when or timezone.now()
    plan = plan_lock(plan)
    ensure(can_approve_plan(actor, plan.organisation), APPROVE_PLAN)
    _require_awaiting_approval(plan)
    _require_window_open(plan, when)
    event = PlanEvent.objects.create(plan=plan, kind=PlanEventKind.APPROVED, actor=actor)
    _mark_received(plan, actor, when)
    plan_approved_notify(plan=plan, event=event)
    return plan


@transaction.atomic
def plan_send_back(*, plan: Plan, actor: User, note: str) -> Plan:
    """The governor sends the plan back to the officer instead of approving it."""
    plan = plan_lock(plan)
    ensure(can_approve_plan(actor, plan.organisation), APPROVE_PLAN)
    _require_awaiting_approval(plan)
    plan.status = PlanStatus.RETURNED if plan.version > 1 else PlanStatus.DRAFT
    plan.save(update_fields=["status", "updated_at"])
    event = PlanEvent.objects.create(plan=plan, kind=PlanEventKind.WITHDRAWN, actor=actor, note=note)
    plan_sent_back_notify(plan=plan, event=event)
    return plan


@transaction.atomic
def plan_return(
    *, plan: Plan, actor: User, note: str, revise_by: date | None = None, note_en: str = ""
) -> Plan:
    """OPDC returns a submitted plan for revision: it becomes editable again as a new version, due back by
    ``revise_by`` when a date is given. ``note`` is kept in the history; ``note_en``, when given, is what the
    English notification says instead."""
    plan = plan_lock(plan)
    ensure(can_return_plan(actor), RETURN_PLAN)
    if not plan.is_returnable:
        raise DomainError("ส่งกลับได้เฉพาะแบบฟอร์มที่ส่งแล้ว", "Only a submitted plan can be returned")
    if not note.strip():
        raise DomainError("กรุณาระบุสิ่งที่ต้องแก้ไข", "Say what must be revised")
    if revise_by is not None and revise_by < timezone.localdate():
        raise DomainError("กำหนดส่งฉบับแก้ไขต้องไม่ก่อนวันนี้", "The date the revision is due cannot be before today")
    plan.status = PlanStatus.RETURNED
    plan.version += 1
    plan.revise_by = revise_by
    plan.save(update_fields=["status", "version", "revise_by", "updated_at"])
    event = PlanEvent.objects.create(plan=plan, kind=PlanEventKind.RETURNED, actor=actor, note=note)
    plan_returned_notify(plan=plan, event=event, note_en=note_en)
    return plan


def plan_review_start(*, plan: Plan, actor: User) -> Plan:
    """The analyst's first step on a submitted (or resubmitted) plan puts it under review; afterwards, and
    in any other state, nothing changes. Called inside the review's transaction, under the plan's lock."""
    if plan.status not in {PlanStatus.SUBMITTED, PlanStatus.RESUBMITTED}:
        return plan
    ensure(can_review_plan(actor, plan.organisation), REVIEW_PLAN)
    plan.status = PlanStatus.UNDER_REVIEW
    plan.save(update_fields=["status", "updated_at"])
    PlanEvent.objects.create(plan=plan, kind=PlanEventKind.REVIEW_STARTED, actor=actor)
    return plan


@transaction.atomic
def plan_mark_ready(*, plan: Plan, actor: User, note: str = "") -> Plan:
    """The analyst is satisfied: the plan is ready for negotiation, and its people are told."""
    plan = plan_lock(plan)
    ensure(can_review_plan(actor, plan.organisation), REVIEW_PLAN)
    if not plan.is_returnable:
        raise DomainError(
            "พร้อมเจรจาได้เฉพาะแบบฟอร์มที่ส่งถึงสำนักงาน ก.พ.ร. แล้วและยังไม่ได้ส่งกลับ",
            "Only a plan that has reached OPDC and is not returned can be marked ready",
        )
    plan.status = PlanStatus.READY
    plan.save(update_fields=["status", "updated_at"])
    event = PlanEvent.objects.create(plan=plan, kind=PlanEventKind.READY, actor=actor, note=note)
    plan_ready_notify(plan=plan, event=event)
    return plan
