"""What the submission steps tell people: the governor when a plan awaits approval, the officers when it is
approved, sent back or returned. Called by :mod:`khamrap.plans.submission` inside its transactions."""

from django.urls import reverse

from khamrap.accounts.models import User
from khamrap.notifications.models import NotificationKind
from khamrap.notifications.services import Message, analysts_of, executives_of, notify, officers_of
from khamrap.plans.models import Plan, PlanEvent, PlanEventKind
from khamrap.thai.dates import format_date


def _names(plan: Plan) -> tuple[str, str, str]:
    organisation = plan.organisation
    url = reverse("plan-detail", args=[plan.fiscal_year.year, organisation.code])
    return organisation.name_th, organisation.name_en or organisation.name_th, url


def _note(label_th: str, label_en: str, note: str) -> tuple[str, str]:
    return (f"\n{label_th}: {note}", f"\n{label_en}: {note}") if note.strip() else ("", "")


def plan_awaiting_approval_notify(*, plan: Plan, event: PlanEvent) -> None:
    name_th, name_en, url = _names(plan)
    actor = event.actor.display_name if event.actor else ""
    notify(
        recipients=executives_of(plan.organisation),
        kind=NotificationKind.APPROVAL_REQUESTED,
        key=f"{NotificationKind.APPROVAL_REQUESTED}:event:{event.pk}",
        message=Message(
            subject_th=f"แบบฟอร์มเจรจาของ{name_th}รอท่านอนุมัติ",
            subject_en=f"The negotiation form of {name_en} awaits your approval",
            body_th=f"{actor} ส่งแบบฟอร์มเจรจา ปีงบประมาณ พ.ศ. {plan.fiscal_year.year} ฉบับที่ {plan.version} "
            "ให้ท่านพิจารณาอนุมัติก่อนส่งถึงสำนักงาน ก.พ.ร.",
            body_en=f"{actor} sent the FY{plan.fiscal_year.year} negotiation form (version {plan.version}) "
            "for your approval before it reaches OPDC.",
            url=url,
        ),
    )


def plan_approved_notify(*, plan: Plan, event: PlanEvent) -> None:
    name_th, name_en, url = _names(plan)
    notify(
        recipients=officers_of([plan.organisation]),
        kind=NotificationKind.APPROVED,
        key=f"{NotificationKind.APPROVED}:event:{event.pk}",
        message=Message(
            subject_th=f"ผู้ว่าราชการจังหวัดอนุมัติแบบฟอร์มเจรจาของ{name_th}แล้ว",
            subject_en=f"The governor approved the negotiation form of {name_en}",
            body_th=f"แบบฟอร์มเจรจา ปีงบประมาณ พ.ศ. {plan.fiscal_year.year} ฉบับที่ {plan.version} "
            "ส่งถึงสำนักงาน ก.พ.ร. แล้ว",
            body_en=f"The FY{plan.fiscal_year.year} negotiation form (version {plan.version}) has reached OPDC.",
            url=url,
        ),
    )


def plan_sent_back_notify(*, plan: Plan, event: PlanEvent) -> None:
    name_th, name_en, url = _names(plan)
    note_th, note_en = _note("ความเห็นของผู้ว่าราชการจังหวัด", "The governor's note", event.note)
    notify(
        recipients=officers_of([plan.organisation]),
        kind=NotificationKind.SENT_BACK,
        key=f"{NotificationKind.SENT_BACK}:event:{event.pk}",
        message=Message(
            subject_th=f"ผู้ว่าราชการจังหวัดส่งแบบฟอร์มเจรจาของ{name_th}กลับมาแก้ไข",
            subject_en=f"The governor sent the negotiation form of {name_en} back",
            body_th=f"แบบฟอร์มเจรจา ปีงบประมาณ พ.ศ. {plan.fiscal_year.year} ยังไม่ได้รับการอนุมัติ "
            f"กรุณาแก้ไขแล้วส่งใหม่{note_th}",
            body_en=f"The FY{plan.fiscal_year.year} negotiation form was not approved; "
            f"revise it and send it again.{note_en}",
            url=url,
        ),
    )


def reviewers_of(plan: Plan) -> list[User]:
    """Who hears of the province's answers and revisions: the analysts assigned to the organisation, or,
    when none is, whoever returned the plan last."""
    assigned = analysts_of(plan.organisation)
    if assigned:
        return assigned
    returned = (
        PlanEvent.objects.filter(plan=plan, kind=PlanEventKind.RETURNED, actor__is_active=True)
        .select_related("actor")
        .order_by("-at", "-pk")
        .first()
    )
    return [returned.actor] if returned and returned.actor else []


def _due(plan: Plan) -> tuple[str, str]:
    if plan.revise_by is None:
        return "", ""
    return (
        f" กรุณาส่งฉบับแก้ไขภายใน {format_date(plan.revise_by)}",
        f" Send the revision by {format_date(plan.revise_by, lang='en')}.",
    )


def plan_returned_notify(*, plan: Plan, event: PlanEvent, note_en: str = "") -> None:
    name_th, name_en, url = _names(plan)
    note_th, _ = _note("สิ่งที่ต้องแก้ไข", "To revise", event.note)
    _, note_en = _note("สิ่งที่ต้องแก้ไข", "To revise", note_en or event.note)
    due_th, due_en = _due(plan)
    notify(
        recipients=officers_of([plan.organisation]),
        kind=NotificationKind.RETURNED,
        key=f"{NotificationKind.RETURNED}:event:{event.pk}",
        message=Message(
            subject_th=f"สำนักงาน ก.พ.ร. ส่งแบบฟอร์มเจรจาของ{name_th}กลับให้แก้ไข",
            subject_en=f"OPDC returned the negotiation form of {name_en} for revision",
            body_th=f"แบบฟอร์มเจรจา ปีงบประมาณ พ.ศ. {plan.fiscal_year.year} แก้ไขได้อีกครั้งเป็นฉบับที่ "
            f"{plan.version}{due_th}{note_th}",
            body_en=f"The FY{plan.fiscal_year.year} negotiation form can be edited again as version "
            f"{plan.version}.{due_en}{note_en}",
            url=url,
        ),
    )


def plan_resubmitted_notify(*, plan: Plan, event: PlanEvent) -> None:
    """The analysts assigned to the organisation: the revised plan is back, with the province's answers."""
    name_th, name_en, _url = _names(plan)
    review_url = reverse("review-plan", args=[plan.fiscal_year.year, plan.organisation.code])
    late_th, late_en = _note("หมายเหตุ", "Note", event.note)
    notify(
        recipients=reviewers_of(plan),
        kind=NotificationKind.RESUBMITTED,
        key=f"{NotificationKind.RESUBMITTED}:event:{event.pk}",
        message=Message(
            subject_th=f"{name_th}ส่งแบบฟอร์มเจรจาฉบับแก้ไขแล้ว",
            subject_en=f"{name_en} sent the revised negotiation form",
            body_th=f"แบบฟอร์มเจรจา ปีงบประมาณ พ.ศ. {plan.fiscal_year.year} ฉบับที่ {plan.version} "
            f"ส่งกลับมาแล้ว พร้อมคำตอบของจังหวัดต่อความเห็นแต่ละตัวชี้วัด{late_th}",
            body_en=f"The FY{plan.fiscal_year.year} negotiation form (version {plan.version}) is back, with "
            f"the organisation's answers to each comment.{late_en}",
            url=review_url,
        ),
    )


def plan_ready_notify(*, plan: Plan, event: PlanEvent) -> None:
    """The organisation's officers and governor: the plan is ready for negotiation."""
    name_th, name_en, url = _names(plan)
    note_th, note_en = _note("ความเห็น", "Note", event.note)
    notify(
        recipients=[*officers_of([plan.organisation]), *executives_of(plan.organisation)],
        kind=NotificationKind.READY,
        key=f"{NotificationKind.READY}:event:{event.pk}",
        message=Message(
            subject_th=f"แบบฟอร์มเจรจาของ{name_th}พร้อมเจรจาแล้ว",
            subject_en=f"The negotiation form of {name_en} is ready for negotiation",
            body_th=f"สำนักงาน ก.พ.ร. พิจารณาแบบฟอร์มเจรจา ปีงบประมาณ พ.ศ. {plan.fiscal_year.year} "
            f"ฉบับที่ {plan.version} แล้ว พร้อมเข้าสู่การเจรจา{note_th}",
            body_en=f"OPDC has reviewed the FY{plan.fiscal_year.year} negotiation form (version "
            f"{plan.version}); it is ready for negotiation.{note_en}",
            url=url,
        ),
    )


def review_answered_notify(*, plan: Plan, round_: int) -> None:
    """The plan's reviewers: the province has accepted or answered every comment of this return (once per
    return; the revised plan itself follows when the province sends it)."""
    name_th, name_en, _url = _names(plan)
    review_url = reverse("review-plan", args=[plan.fiscal_year.year, plan.organisation.code])
    notify(
        recipients=reviewers_of(plan),
        kind=NotificationKind.ANSWERED,
        key=f"{NotificationKind.ANSWERED}:plan:{plan.pk}:round:{round_}",
        message=Message(
            subject_th=f"{name_th}ตอบความเห็นครบทุกตัวชี้วัดแล้ว",
            subject_en=f"{name_en} has answered every comment",
            body_th=f"จังหวัดยอมรับหรือชี้แจงความเห็นของสำนักงาน ก.พ.ร. ครบทุกตัวชี้วัดของการส่งกลับครั้งที่ {round_} "
            "แล้ว แบบฟอร์มฉบับแก้ไขจะถึงท่านเมื่อจังหวัดส่ง",
            body_en=f"The organisation has accepted or answered every comment of return {round_}; the revised "
            "form reaches you when it is sent.",
            url=review_url,
        ),
    )
