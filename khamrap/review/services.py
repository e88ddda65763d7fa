"""Writes of the review: the analyst's verdicts, comments, proposals and notes (autosaved), the return for
revision, the province's accepting or answering each comment, and marking the plan ready for negotiation.

Each write locks the plan (:func:`~khamrap.plans.editing.plan_lock`), so an answer and a resubmission, or two
analysts, never cross; each asks :mod:`khamrap.accounts.access` first.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from khamrap.accounts.access import ANSWER_REVIEW, REVIEW_PLAN, can_answer_review, can_review_plan, ensure
from khamrap.accounts.models import Role, User
from khamrap.core.errors import DomainError
from khamrap.orgs.models import Organisation
from khamrap.plans import editing, submission
from khamrap.plans.diff import same_value, shown_value, stored_text
from khamrap.plans.models import Kpi, Plan, PlanStatus
from khamrap.plans.schema import FIELDS, field_label
from khamrap.review.models import KpiReview, PlanReview, Response, Verdict

# What an analyst may propose in place of the province's values: the registry's fields of these names.
PROPOSED_FIELDS = (
    "name",
    "weight",
    "target",
    "criteria_1",
    "criteria_2",
    "criteria_3",
    "criteria_4",
    "criteria_5",
)
# States in which the analyst's review is open: the plan has reached OPDC and is not back with the province.
REVIEWING_STATUSES = frozenset({PlanStatus.SUBMITTED, PlanStatus.UNDER_REVIEW, PlanStatus.RESUBMITTED})

NOT_REVIEWING = DomainError(
    "แบบฟอร์มนี้ไม่อยู่ในขั้นพิจารณาของสำนักงาน ก.พ.ร. จึงแก้ไขผลการพิจารณาไม่ได้",
    "This plan is not under OPDC's review; the review cannot be changed now",
)


@transaction.atomic
def analysts_assign(*, organisation: Organisation, analysts: list[User]) -> None:
    """The analysts who review ``organisation``'s plan from now on (the administrator's choice); any others
    assigned before are no longer."""
    for analyst in organisation.assigned_analysts.exclude(pk__in=[a.pk for a in analysts]):
        analyst.assigned_organisations.remove(organisation)
    for analyst in analysts:
        if analyst.role != Role.ANALYST:
            raise DomainError("มอบหมายได้เฉพาะนักวิเคราะห์", "Only analysts are assigned")
        analyst.assigned_organisations.add(organisation)


def review_of(plan: Plan) -> PlanReview:
    """The plan's review, created empty the first time it is asked for."""
    review, _ = PlanReview.objects.get_or_create(plan=plan)
    return review


def _lock_for_review(plan: Plan, actor: User) -> Plan:
    plan = editing.plan_lock(plan)
    ensure(can_review_plan(actor, plan.organisation), REVIEW_PLAN)
    if plan.status not in REVIEWING_STATUSES:
        raise NOT_REVIEWING
    return submission.plan_review_start(plan=plan, actor=actor)


def _kpi_of(plan: Plan, kpi_uid: str) -> Kpi:
    kpi = Kpi.objects.filter(plan=plan, uid=kpi_uid).first()
    if kpi is None:
        raise DomainError(
            "ไม่พบตัวชี้วัดนี้ในแบบฟอร์ม กรุณาโหลดหน้าใหม่", "This KPI is not in the plan; reload the page"
        )
    return kpi


def proposal_of(kpi: Kpi, values: dict[str, Any]) -> dict[str, str]:
    """The proposed values that differ from the KPI's own, as stored text by field name; a blank is no
    proposal."""
    proposal = {}
    for name in PROPOSED_FIELDS:
        if name not in values:
            continue
        value = values[name]
        if value is None or value == "":
            continue
        if not same_value(getattr(kpi, name), value):
            proposal[name] = stored_text(value)
    return proposal


@dataclass(frozen=True)
class ReviewSave:
    kpi_review: KpiReview
    reviewed: int  # how many KPIs of the plan have a verdict now
    total: int


@transaction.atomic
def kpi_review_save(
    *,
    plan: Plan,
    kpi_uid: str,
    actor: User,
    verdict: str | None = None,
    comment: str | None = None,
    note: str | None = None,
    proposed: dict[str, Any] | None = None,
) -> ReviewSave:
    """Save what the analyst changed of one KPI's review (the review page autosaves here): ``None`` leaves
    a field as it is, and ``proposed`` holds only the proposed fields sent, already checked against the
    registry's bounds (``KpiReviewForm``); a proposed field sent blank, or equal to the province's value,
    withdraws that proposal. Nothing sent is cleared by what was not."""
    plan = _lock_for_review(plan, actor)
    if verdict is not None and verdict not in Verdict.values:
        raise DomainError("ผลการพิจารณาไม่ถูกต้อง", "Unknown verdict")
    kpi = _kpi_of(plan, kpi_uid)
    review = review_of(plan)
    kpi_review = KpiReview.objects.filter(review=review, kpi_uid=kpi.uid).first() or KpiReview(
        review=review, kpi_uid=kpi.uid
    )
    for name, value in (("verdict", verdict), ("comment", comment), ("note", note)):
        if value is not None:
            setattr(kpi_review, name, value)
    if proposed:
        kept = {name: text for name, text in kpi_review.proposal.items() if name not in proposed}
        kpi_review.proposal = {**kept, **proposal_of(kpi, proposed)}
    kpi_review.kpi_code, kpi_review.kpi_name, kpi_review.updated_by = kpi.code, kpi.name, actor
    kpi_review.save()
    PlanReview.objects.filter(pk=review.pk).update(updated_by=actor, updated_at=timezone.now())
    uids = set(Kpi.objects.filter(plan=plan).values_list("uid", flat=True))
    reviewed = review.kpis.filter(kpi_uid__in=uids).exclude(verdict="").count()
    return ReviewSave(kpi_review=kpi_review, reviewed=reviewed, total=len(uids))


@transaction.atomic
def plan_review_notes_save(*, plan: Plan, actor: User, notes: str) -> PlanReview:
    """The analyst's internal notes on the whole plan; the province never sees them."""
    plan = _lock_for_review(plan, actor)
    review = review_of(plan)
    review.notes = notes
    review.updated_by = actor
    review.save(update_fields=["notes", "updated_by", "updated_at"])
    return review


@dataclass(frozen=True)
class ProposalRow:
    label: str
    current: str
    proposed: str


@dataclass(frozen=True)
class Asked:
    """A KPI the review asks something of, with its review; ``kpi`` is ``None`` once it has been dropped."""

    kpi: Kpi | None
    review: KpiReview

    @property
    def code(self) -> str:
        return self.kpi.code if self.kpi else self.review.kpi_code

    @property
    def name(self) -> str:
        return self.kpi.name if self.kpi else self.review.kpi_name

    def proposal_rows(self, language: str | None = "th") -> list[ProposalRow]:
        return [
            ProposalRow(
                field_label(name, language),
                shown_value(name, getattr(self.kpi, name)) if self.kpi else "",
                shown_value(name, _typed(name, text)),
            )
            for name, text in self.review.proposal.items()
            if name in FIELDS
        ]


def asked_reviews(plan: Plan, *, dropped: bool = False) -> list[Asked]:
    """The plan's KPIs that the review asks something of, in the plan's order, each with its review; with
    ``dropped``, also those the province has since dropped (last)."""
    reviews = {
        r.kpi_uid: r
        for r in KpiReview.objects.filter(review__plan=plan).select_related("responded_by")
        if r.asks
    }
    kpis = Kpi.objects.filter(plan=plan).order_by("goal__issue__position", "goal__position", "position", "pk")
    asked = [Asked(kpi, reviews.pop(kpi.uid)) for kpi in kpis if kpi.uid in reviews]
    if dropped:
        asked += [Asked(None, r) for r in sorted(reviews.values(), key=lambda r: r.kpi_code)]
    return asked


def return_note(message: str, asked: list[Asked]) -> str:
    """The note of the return as the plan's history and the officers' notification carry it: the analyst's
    message, then each KPI asked about with its verdict and comment (in Thai, as the history is kept)."""
    lines = [message.strip()] if message.strip() else []
    for item in asked:
        verdict = VERDICT_TH.get(item.review.verdict, "มีข้อเสนอ")
        comment = f": {item.review.comment.strip()}" if item.review.comment.strip() else ""
        lines.append(f"ตัวชี้วัด {item.code} {item.name} ({verdict}){comment}")
    return "\n".join(lines)


VERDICT_TH: dict[str, str] = {
    Verdict.APPROPRIATE: "เหมาะสม",
    Verdict.REVISE: "ควรปรับปรุง",
    Verdict.DROP: "ควรตัดออก",
}


@transaction.atomic
def review_return(*, plan: Plan, actor: User, message: str, revise_by: date | None) -> Plan:
    """Return the plan for revision with the review's comments and proposals, due back by ``revise_by``.

    The province's answers of an earlier round are cleared for the KPIs asked again, so each round's answers
    are its own (the earlier ones stay in the plan's history)."""
    plan = _lock_for_review(plan, actor)
    if revise_by is None:
        raise DomainError("กรุณาระบุกำหนดส่งฉบับแก้ไข", "Give the date the revision is due")
    asked = asked_reviews(plan)
    if not asked and not message.strip():
        raise DomainError(
            "ยังไม่มีความเห็นให้จังหวัดแก้ไข: ระบุผล 'ควรปรับปรุง' หรือ 'ควรตัดออก' หรือข้อเสนอในตัวชี้วัด หรือเขียนข้อความถึงจังหวัด",
            "Nothing to revise yet: mark a KPI 'revise' or 'drop', propose values, or write a message",
        )
    review = review_of(plan)
    KpiReview.objects.filter(pk__in=[item.review.pk for item in asked]).update(
        response=Response.NONE, answer="", responded_at=None, responded_by=None
    )
    review.rounds += 1
    review.updated_by = actor
    review.save(update_fields=["rounds", "updated_by", "updated_at"])
    return submission.plan_return(
        plan=plan, actor=actor, note=return_note(message, asked), revise_by=revise_by
    )


def _lock_for_answer(plan: Plan, actor: User, kpi_uid: str) -> tuple[Plan, Kpi, KpiReview]:
    plan = editing.plan_lock(plan)
    ensure(can_answer_review(actor, plan.organisation), ANSWER_REVIEW)
    if plan.status != PlanStatus.RETURNED:
        raise DomainError(
            "ตอบความเห็นได้เฉพาะเมื่อแบบฟอร์มถูกส่งกลับให้แก้ไข", "Comments are answered while the plan is returned"
        )
    kpi = _kpi_of(plan, kpi_uid)
    kpi_review = KpiReview.objects.filter(review__plan=plan, kpi_uid=kpi.uid).first()
    if kpi_review is None or not kpi_review.asks:
        raise DomainError("ตัวชี้วัดนี้ไม่มีความเห็นให้ตอบ", "There is no comment on this KPI to answer")
    return plan, kpi, kpi_review


def _responded(kpi_review: KpiReview, actor: User, response: str, answer: str) -> KpiReview:
    kpi_review.response = response
    kpi_review.answer = answer
    kpi_review.responded_by = actor
    kpi_review.responded_at = timezone.now()
    kpi_review.save(update_fields=["response", "answer", "responded_by", "responded_at", "updated_at"])
    return kpi_review


@transaction.atomic
def kpi_review_accept(*, plan: Plan, kpi_uid: str, actor: User) -> KpiReview:
    """The province accepts OPDC's word on a KPI: the proposed values are written into the plan (recorded in
    its history like any edit); a KPI OPDC proposes to drop is deleted."""
    plan, kpi, kpi_review = _lock_for_answer(plan, actor, kpi_uid)
    if kpi_review.verdict == Verdict.DROP:
        editing.kpi_delete(kpi=kpi, actor=actor)
    elif kpi_review.proposal:
        values = {name: _typed(name, text) for name, text in kpi_review.proposal.items() if name in FIELDS}
        editing.kpi_update(kpi=kpi, actor=actor, values=values, levels={})
    return _responded(kpi_review, actor, Response.ACCEPTED, "")


def _typed(name: str, text: str) -> Any:
    return Decimal(text) if FIELDS[name].is_number else text


@transaction.atomic
def kpi_review_answer(*, plan: Plan, kpi_uid: str, actor: User, answer: str) -> KpiReview:
    """The province answers OPDC's comment on a KPI instead of accepting it (why the KPI stays as it is)."""
    if not answer.strip():
        raise DomainError("กรุณาเขียนคำชี้แจง", "Write your answer")
    _, _, kpi_review = _lock_for_answer(plan, actor, kpi_uid)
    return _responded(kpi_review, actor, Response.ANSWERED, answer.strip())


@transaction.atomic
def review_mark_ready(*, plan: Plan, actor: User, note: str = "") -> Plan:
    """The analyst is satisfied: the plan is ready for negotiation."""
    plan = _lock_for_review(plan, actor)
    review = review_of(plan)
    review.updated_by = actor
    review.save(update_fields=["updated_by", "updated_at"])
    return submission.plan_mark_ready(plan=plan, actor=actor, note=note)
