"""Writes of the review: the analyst's verdicts, comments, proposals and notes (autosaved), the return for
revision, the province's accepting or answering each comment, and marking the plan ready for negotiation.

Each write locks the plan (:func:`~khamrap.plans.editing.plan_lock`), so an answer and a resubmission, or two
analysts, never cross; each asks :mod:`khamrap.accounts.access` first.
"""

import copy
from dataclasses import dataclass, field
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
from khamrap.plans.models import Kpi, KpiType, Plan, PlanStatus
from khamrap.plans.notices import review_answered_notify
from khamrap.plans.schema import FIELDS, LEVELS, FieldProblem, field_label, kpi_problems
from khamrap.plans.selectors import kpi_data
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
# Proposed fields that only a quantitative KPI has (a milestone KPI is scored on its levels' descriptions).
QUANTITATIVE_ONLY = frozenset({"target", *(f"criteria_{n}" for n in LEVELS)})
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


def proposable(kpi_type: str) -> tuple[str, ...]:
    """The fields an analyst may propose for a KPI of this type."""
    return tuple(n for n in PROPOSED_FIELDS if kpi_type == KpiType.QUANTITATIVE or n not in QUANTITATIVE_ONLY)


def proposal_problems(kpi: Kpi, proposal: dict[str, str]) -> list[FieldProblem]:
    """What would be wrong with ``kpi`` once ``proposal`` is written into it: a field its type does not have,
    or what the registry's row checks find in the proposed fields against the KPI's other values (criteria
    out of the direction's order, a weight that does not count). Empty: the proposal can be accepted."""
    foreign = [name for name in proposal if name not in proposable(kpi.kpi_type)]
    if foreign:
        return [
            FieldProblem(
                name,
                f"{field_label(name, 'th')}: ตัวชี้วัดระดับความสำเร็จไม่มีช่องนี้",
                f"{field_label(name, 'en')}: a milestone KPI has no such field",
            )
            for name in foreign
        ]
    merged = copy.copy(kpi)
    for name, text in proposal.items():
        setattr(merged, name, _typed(name, text))
    criteria = any(name.startswith("criteria_") for name in proposal)
    return [
        problem
        for problem in kpi_problems(kpi_data(merged, []))
        if problem.field in proposal or (criteria and problem.field.startswith("criteria_"))
    ]


def problems_text(problems: list[FieldProblem], language: str | None) -> str:
    return "; ".join(problem.message(language) for problem in problems)


@dataclass(frozen=True)
class ReviewSave:
    kpi_review: KpiReview
    reviewed: int  # how many KPIs of the plan have a verdict now
    total: int
    # What would be wrong with the KPI if the province accepted the proposal as it stands.
    problems: list[FieldProblem] = field(default_factory=list)


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
    withdraws that proposal. Nothing sent is cleared by what was not. A field the KPI's type does not have
    is refused; a proposal that clashes with the KPI's other values is kept as a draft, and its problems
    are returned (the return refuses it until it is put right)."""
    plan = _lock_for_review(plan, actor)
    if verdict is not None and verdict not in Verdict.values:
        raise DomainError("ผลการพิจารณาไม่ถูกต้อง", "Unknown verdict")
    kpi = _kpi_of(plan, kpi_uid)
    foreign = [name for name in proposed or {} if name not in proposable(kpi.kpi_type)]
    if foreign:
        raise DomainError(
            "ตัวชี้วัดระดับความสำเร็จไม่มีค่าเป้าหมายและเกณฑ์ให้เสนอ กรุณาโหลดหน้าใหม่",
            "A milestone KPI has no target or criteria to propose; reload the page",
        )
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
    return ReviewSave(
        kpi_review=kpi_review,
        reviewed=reviewed,
        total=len(uids),
        problems=proposal_problems(kpi, kpi_review.proposal),
    )


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
    """A KPI the review asks something of, with its review; ``kpi`` is ``None`` once it has been dropped.

    With ``sent``, what it asks is what the province was sent at the last return (the answers page); without,
    the analyst's word as it stands (the next return)."""

    kpi: Kpi | None
    review: KpiReview
    sent: bool = False

    @property
    def code(self) -> str:
        return self.kpi.code if self.kpi else self.review.kpi_code

    @property
    def name(self) -> str:
        return self.kpi.name if self.kpi else self.review.kpi_name

    @property
    def verdict(self) -> str:
        return self.review.sent_verdict if self.sent else self.review.verdict

    @property
    def verdict_label(self) -> str:
        return str(Verdict(self.verdict).label)

    @property
    def comment(self) -> str:
        return self.review.sent_comment if self.sent else self.review.comment

    @property
    def proposal(self) -> dict[str, str]:
        proposal = self.review.sent_proposal if self.sent else self.review.proposal
        return {name: text for name, text in proposal.items() if name in FIELDS}

    def proposal_rows(self, language: str | None = "th") -> list[ProposalRow]:
        return [
            ProposalRow(
                field_label(name, language),
                shown_value(name, getattr(self.kpi, name), limit=None) if self.kpi else "",
                shown_value(name, _typed(name, text), limit=None),
            )
            for name, text in self.proposal.items()
        ]


def _plan_kpis(plan: Plan) -> list[Kpi]:
    return list(
        Kpi.objects.filter(plan=plan).order_by("goal__issue__position", "goal__position", "position", "pk")
    )


def asked_reviews(plan: Plan, *, sent: bool = False, dropped: bool = False) -> list[Asked]:
    """The plan's KPIs that the review asks something of, in the plan's order, each with its review; with
    ``sent``, those asked at the last return, as they were sent; with ``dropped``, also those the province
    has since dropped (last)."""
    if sent:
        rounds = PlanReview.objects.filter(plan=plan).values_list("rounds", flat=True).first() or 0
        found = KpiReview.objects.filter(review__plan=plan, sent_round=rounds, sent_round__gt=0)
    else:
        found = KpiReview.objects.filter(review__plan=plan)
    reviews = {
        r.kpi_uid: r for r in found.select_related("responded_by") if (r.sent_asks if sent else r.asks)
    }
    asked = [Asked(kpi, reviews.pop(kpi.uid), sent) for kpi in _plan_kpis(plan) if kpi.uid in reviews]
    if dropped:
        asked += [Asked(None, r, sent) for r in sorted(reviews.values(), key=lambda r: r.kpi_code)]
    return asked


def return_note(message: str, asked: list[Asked], language: str = "th") -> str:
    """The note of the return as the plan's history (in Thai) and the officers' notification carry it: the
    analyst's message, then each KPI asked about with its verdict and comment."""
    lines = [message.strip()] if message.strip() else []
    kpi, proposed = ("ตัวชี้วัด", "มีข้อเสนอ") if language == "th" else ("KPI", "values proposed")
    for item in asked:
        verdict = VERDICT_WORDS[language].get(item.verdict, proposed)
        comment = f": {item.comment.strip()}" if item.comment.strip() else ""
        lines.append(f"{kpi} {item.code} {item.name} ({verdict}){comment}")
    return "\n".join(lines)


VERDICT_WORDS: dict[str, dict[str, str]] = {
    "th": {Verdict.APPROPRIATE: "เหมาะสม", Verdict.REVISE: "ควรปรับปรุง", Verdict.DROP: "ควรตัดออก"},
    "en": {Verdict.APPROPRIATE: "appropriate", Verdict.REVISE: "to revise", Verdict.DROP: "to drop"},
}


def _pruned(proposal: dict[str, str], kpi: Kpi) -> dict[str, str]:
    """The proposal without the fields the KPI already holds (a proposal accepted, or made in the plan)."""
    return {
        name: text
        for name, text in proposal.items()
        if name in FIELDS and not same_value(getattr(kpi, name), _typed(name, text))
    }


def _asked_this_round(plan: Plan) -> list[Asked]:
    """What the next return asks: every KPI whose review asks something, less the proposals the plan already
    holds, and less what was answered at an earlier return and is said again unchanged."""
    asked = []
    for item in asked_reviews(plan):
        assert item.kpi is not None
        kpi_review = item.review
        pruned = _pruned(kpi_review.proposal, item.kpi)
        if pruned != kpi_review.proposal:
            kpi_review.proposal = pruned
            kpi_review.save(update_fields=["proposal", "updated_at"])
        if not kpi_review.asks:
            continue
        unchanged = (
            kpi_review.verdict == kpi_review.sent_verdict
            and kpi_review.comment == kpi_review.sent_comment
            and pruned == _pruned(kpi_review.sent_proposal, item.kpi)
        )
        if kpi_review.sent_round and kpi_review.response and unchanged:
            continue
        asked.append(item)
    return asked


@transaction.atomic
def review_return(*, plan: Plan, actor: User, message: str, revise_by: date | None) -> Plan:
    """Return the plan for revision with the review's comments and proposals, due back by ``revise_by``.

    What is asked becomes what the province is sent in this round (:meth:`KpiReview.send`): its earlier
    answer is cleared (it stays in the plan's history), and the analyst's later drafts are not shown to the
    province until the next return. A KPI answered before and not asked again keeps its answer."""
    plan = _lock_for_review(plan, actor)
    if revise_by is None:
        raise DomainError("กรุณาระบุกำหนดส่งฉบับแก้ไข", "Give the date the revision is due")
    asked = _asked_this_round(plan)
    if not asked and not message.strip():
        raise DomainError(
            "ยังไม่มีความเห็นให้จังหวัดแก้ไข: ระบุผล 'ควรปรับปรุง' หรือ 'ควรตัดออก' หรือข้อเสนอในตัวชี้วัด หรือเขียนข้อความถึงจังหวัด",
            "Nothing to revise yet: mark a KPI 'revise' or 'drop', propose values, or write a message",
        )
    clashes = [
        (item, found)
        for item in asked
        if item.kpi and (found := proposal_problems(item.kpi, item.review.proposal))
    ]
    if clashes:
        raise DomainError(
            "ข้อเสนอยังขัดกับค่าอื่นของตัวชี้วัด: "
            + "; ".join(f"ตัวชี้วัด {item.code} {problems_text(found, 'th')}" for item, found in clashes),
            "A proposal clashes with the KPI's other values: "
            + "; ".join(f"KPI {item.code} {problems_text(found, 'en')}" for item, found in clashes),
        )
    review = review_of(plan)
    review.rounds += 1
    for item in asked:
        item.review.send(review.rounds)
        item.review.save()
    review.updated_by = actor
    review.save(update_fields=["rounds", "updated_by", "updated_at"])
    return submission.plan_return(
        plan=plan,
        actor=actor,
        note=return_note(message, asked),
        note_en=return_note(message, asked, "en"),
        revise_by=revise_by,
    )


def _lock_for_answer(plan: Plan, actor: User, kpi_uid: str) -> tuple[Plan, Kpi, KpiReview]:
    plan = editing.plan_lock(plan)
    ensure(can_answer_review(actor, plan.organisation), ANSWER_REVIEW)
    if plan.status != PlanStatus.RETURNED:
        raise DomainError(
            "ตอบความเห็นได้เฉพาะเมื่อแบบฟอร์มถูกส่งกลับให้แก้ไข", "Comments are answered while the plan is returned"
        )
    kpi = _kpi_of(plan, kpi_uid)
    rounds = PlanReview.objects.filter(plan=plan).values_list("rounds", flat=True).first() or 0
    kpi_review = KpiReview.objects.filter(review__plan=plan, kpi_uid=kpi.uid, sent_round=rounds).first()
    if kpi_review is None or not kpi_review.sent_asks:
        raise DomainError("ตัวชี้วัดนี้ไม่มีความเห็นให้ตอบ", "There is no comment on this KPI to answer")
    if kpi_review.response == Response.ACCEPTED:
        raise DomainError(
            "จังหวัดยอมรับข้อเสนอของตัวชี้วัดนี้แล้ว จึงตอบซ้ำไม่ได้", "This proposal has already been accepted"
        )
    return plan, kpi, kpi_review


def _responded(plan: Plan, kpi_review: KpiReview, actor: User, response: str, answer: str) -> KpiReview:
    """Record the province's answer; once every KPI asked in this round is answered, the analysts hear."""
    kpi_review.response = response
    kpi_review.answer = answer
    kpi_review.responded_by = actor
    kpi_review.responded_at = timezone.now()
    kpi_review.save(update_fields=["response", "answer", "responded_by", "responded_at", "updated_at"])
    rounds = kpi_review.sent_round
    waiting = KpiReview.objects.filter(review__plan=plan, sent_round=rounds, response=Response.NONE)
    if not any(r.sent_asks for r in waiting):
        review_answered_notify(plan=plan, round_=rounds)
    return kpi_review


@transaction.atomic
def kpi_review_accept(*, plan: Plan, kpi_uid: str, actor: User) -> KpiReview:
    """The province accepts OPDC's word on a KPI, as it was sent: the proposed values are written into the
    plan (recorded in its history like any edit); a KPI OPDC proposes to drop is deleted; a comment without
    proposed values is acknowledged (the province revises the KPI itself). A proposal that no longer fits
    the KPI (its type or its other values changed since) is refused: the province answers it instead."""
    plan, kpi, kpi_review = _lock_for_answer(plan, actor, kpi_uid)
    if kpi_review.sent_verdict == Verdict.DROP:
        editing.kpi_delete(kpi=kpi, actor=actor)
    elif proposal := {n: t for n, t in kpi_review.sent_proposal.items() if n in FIELDS}:
        if found := proposal_problems(kpi, proposal):
            raise DomainError(
                f"ข้อเสนอนี้ใช้กับตัวชี้วัดในขณะนี้ไม่ได้ ({problems_text(found, 'th')}) กรุณาชี้แจงหรือแก้ไขตัวชี้วัดเอง",
                f"This proposal no longer fits the KPI ({problems_text(found, 'en')}); answer it or revise the KPI",
            )
        values = {name: _typed(name, text) for name, text in proposal.items()}
        editing.kpi_update(kpi=kpi, actor=actor, values=values, levels={})
    return _responded(plan, kpi_review, actor, Response.ACCEPTED, "")


def _typed(name: str, text: str) -> Any:
    return Decimal(text) if FIELDS[name].is_number else text


@transaction.atomic
def kpi_review_answer(*, plan: Plan, kpi_uid: str, actor: User, answer: str) -> KpiReview:
    """The province answers OPDC's comment on a KPI instead of accepting it (why the KPI stays as it is)."""
    if not answer.strip():
        raise DomainError("กรุณาเขียนคำชี้แจง", "Write your answer")
    plan, _, kpi_review = _lock_for_answer(plan, actor, kpi_uid)
    return _responded(plan, kpi_review, actor, Response.ANSWERED, answer.strip())


@transaction.atomic
def review_mark_ready(*, plan: Plan, actor: User, note: str = "") -> Plan:
    """The analyst is satisfied: the plan is ready for negotiation."""
    plan = _lock_for_review(plan, actor)
    review = review_of(plan)
    review.updated_by = actor
    review.save(update_fields=["updated_by", "updated_at"])
    return submission.plan_mark_ready(plan=plan, actor=actor, note=note)
