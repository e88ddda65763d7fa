"""Rounds of the review: what the province is sent at each return (and never the analyst's drafts of the
next one), what a second return asks again, proposals that do not fit the KPI, and who hears of what."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from khamrap.accounts.models import User
from khamrap.core.errors import DomainError
from khamrap.notifications.models import Notification, NotificationKind
from khamrap.plans import submission
from khamrap.plans.models import Kpi, KpiType, Plan, PlanEvent, PlanEventKind, PlanStatus
from khamrap.review import services
from khamrap.review.models import KpiReview, Response
from tests.conftest import login
from tests.review.conftest import ask

HTMX = {"HTTP_HX_REQUEST": "true"}


def _url(name: str, *extra: object) -> str:
    return reverse(name, args=[2551, "50", *extra])


def _resubmit(plan: Plan, officer: User, governor: User) -> Plan:
    submission.plan_submit(plan=Plan.objects.get(pk=plan.pk), actor=officer)
    return submission.plan_approve(plan=Plan.objects.get(pk=plan.pk), actor=governor)


def _propose(plan: Plan, analyst: User, code: str, **proposed: object) -> services.ReviewSave:
    kpi = Kpi.objects.get(plan=plan, code=code)
    return services.kpi_review_save(
        plan=plan, kpi_uid=str(kpi.uid), actor=analyst, verdict="revise", comment="ปรับ", proposed=proposed
    )


def _return(plan: Plan, analyst: User, message: str = "") -> Plan:
    return services.review_return(
        plan=Plan.objects.get(pk=plan.pk), actor=analyst, message=message, revise_by=timezone.localdate()
    )


def _answers_page(user: User) -> str:
    return login(user).get(_url("review-answers")).content.decode()


def test_the_province_sees_what_was_sent_not_the_next_rounds_draft(
    submitted: Plan, assigned, officer, governor
) -> None:  # type: ignore[no-untyped-def]
    kpi = ask(submitted, assigned, "1.1", "revise", "ความเห็นครั้งที่หนึ่ง")
    services.kpi_review_answer(plan=submitted, kpi_uid=str(kpi.uid), actor=officer, answer="ขอคงค่าเดิม")
    plan = _resubmit(submitted, officer, governor)
    services.kpi_review_save(
        plan=plan, kpi_uid=str(kpi.uid), actor=assigned, comment="ร่างความเห็นครั้งที่สอง", proposed={}
    )
    page = _answers_page(officer)
    assert "ความเห็นครั้งที่หนึ่ง" in page and "ขอคงค่าเดิม" in page
    assert "ร่างความเห็นครั้งที่สอง" not in page
    _return(plan, assigned)
    page = _answers_page(officer)
    assert "ร่างความเห็นครั้งที่สอง" in page and "ความเห็นครั้งที่หนึ่ง" not in page
    assert KpiReview.objects.get(kpi_uid=kpi.uid).response == Response.NONE  # asked again: a new answer


def test_a_second_return_asks_only_what_is_new_or_unanswered(
    submitted: Plan, assigned, officer, governor
) -> None:  # type: ignore[no-untyped-def]
    answered = ask(submitted, assigned, "1.1", "revise", "ทบทวนค่าเป้าหมาย", returned=False)
    accepted = Kpi.objects.get(plan=submitted, code="1.2")
    _propose(submitted, assigned, "1.2", target="145000")
    _return(submitted, assigned)
    services.kpi_review_answer(plan=submitted, kpi_uid=str(answered.uid), actor=officer, answer="ค่าฐานผันผวน")
    services.kpi_review_accept(plan=submitted, kpi_uid=str(accepted.uid), actor=officer)
    assert Kpi.objects.get(pk=accepted.pk).target == Decimal("145000")
    plan = _resubmit(submitted, officer, governor)
    # round two: nothing changed on 1.1 and 1.2, a new comment on 1.4
    new = Kpi.objects.get(plan=plan, code="1.4")
    services.kpi_review_save(plan=plan, kpi_uid=str(new.uid), actor=assigned, verdict="drop", comment="ซ้ำ")
    _return(plan, assigned)
    kept = KpiReview.objects.get(kpi_uid=answered.uid)
    assert (kept.response, kept.answer, kept.sent_round) == (Response.ANSWERED, "ค่าฐานผันผวน", 1)
    assert KpiReview.objects.get(kpi_uid=accepted.uid).proposal == {}  # applied: no longer a proposal
    assert KpiReview.objects.get(kpi_uid=new.uid).sent_round == 2
    codes = [a.code for a in services.asked_reviews(plan, sent=True)]
    assert codes == ["1.4"]
    note = PlanEvent.objects.filter(plan=plan, kind=PlanEventKind.RETURNED).order_by("-pk").first()
    assert note is not None and "1.1" not in note.note and "ตัวชี้วัด 1.4" in note.note


def test_a_milestone_kpi_takes_no_target_or_criteria(submitted: Plan, assigned) -> None:  # type: ignore[no-untyped-def]
    milestone = Kpi.objects.filter(plan=submitted, kpi_type=KpiType.MILESTONE).first()
    assert milestone is not None
    with pytest.raises(DomainError, match="ตัวชี้วัดระดับความสำเร็จไม่มีค่าเป้าหมาย"):
        services.kpi_review_save(
            plan=submitted, kpi_uid=str(milestone.uid), actor=assigned, proposed={"target": 5}
        )
    response = login(assigned).post(
        _url("review-kpi", milestone.uid), {f"r{milestone.pk}-proposed_criteria_3": "5"}, **HTMX
    )
    assert response.status_code == 409
    assert not KpiReview.objects.filter(kpi_uid=milestone.uid).exists()
    page = login(assigned).get(_url("review-plan")).content.decode()
    block = page.split(f'id="kpi-{milestone.uid}"')[1].split("</article>")[0]
    assert "proposed_target" not in block and "proposed_weight" in block


def test_a_proposal_that_no_longer_fits_is_refused_on_accept(submitted: Plan, assigned, officer) -> None:  # type: ignore[no-untyped-def]
    """Proposed a target while the KPI was quantitative; the province has made it a milestone KPI since."""
    kpi = Kpi.objects.get(plan=submitted, code="1.1")
    _propose(submitted, assigned, "1.1", target="6")
    _return(submitted, assigned)
    Kpi.objects.filter(pk=kpi.pk).update(kpi_type=KpiType.MILESTONE)
    response = login(officer).post(_url("review-accept", kpi.uid), follow=True)
    assert "ข้อเสนอนี้ใช้กับตัวชี้วัดในขณะนี้ไม่ได้" in response.content.decode()
    assert KpiReview.objects.get(kpi_uid=kpi.uid).response == Response.NONE
    assert Kpi.objects.get(pk=kpi.pk).target == Decimal("5")


def test_a_proposal_that_clashes_is_kept_as_a_draft_and_stops_the_return(submitted: Plan, assigned) -> None:  # type: ignore[no-untyped-def]
    kpi = Kpi.objects.get(plan=submitted, code="1.1")  # higher is better, criteria 3 4 5 6 7
    response = login(assigned).post(
        _url("review-kpi", kpi.uid),
        {f"r{kpi.pk}-verdict": "revise", f"r{kpi.pk}-proposed_criteria_3": "9"},
        **HTMX,
    )
    assert response.status_code == 200
    assert 'data-testid="proposal-problems"' in response.content.decode()
    assert "เกณฑ์ระดับ 4 ต้องมากกว่าเกณฑ์ระดับ 3 (9)" in response.content.decode()
    assert KpiReview.objects.get(kpi_uid=kpi.uid).proposal == {"criteria_3": "9"}
    with pytest.raises(DomainError, match=r"ตัวชี้วัด 1\.1 เกณฑ์ระดับ 4 ต้องมากกว่าเกณฑ์ระดับ 3"):
        _return(submitted, assigned, "แก้")
    assert Plan.objects.get(pk=submitted.pk).status != PlanStatus.RETURNED
    _propose(submitted, assigned, "1.1", criteria_3="5.5")
    assert _return(submitted, assigned).status == PlanStatus.RETURNED


def test_an_accepted_proposal_is_not_answered_afterwards(submitted: Plan, assigned, officer) -> None:  # type: ignore[no-untyped-def]
    kpi = Kpi.objects.get(plan=submitted, code="1.2")
    _propose(submitted, assigned, "1.2", weight="5")
    _return(submitted, assigned)
    services.kpi_review_accept(plan=submitted, kpi_uid=str(kpi.uid), actor=officer)
    response = login(officer).post(_url("review-answer", kpi.uid), {"answer": "ขอเปลี่ยนใจ"})
    assert response.status_code == 400
    assert "ยอมรับข้อเสนอของตัวชี้วัดนี้แล้ว" in response.content.decode()
    saved = KpiReview.objects.get(kpi_uid=kpi.uid)
    assert (saved.response, saved.answer) == (Response.ACCEPTED, "")


def test_a_refused_answer_keeps_what_was_typed(submitted: Plan, assigned, officer) -> None:  # type: ignore[no-untyped-def]
    kpi = ask(submitted, assigned, "1.1")
    typed = "ข" * 5001
    response = login(officer).post(_url("review-answer", kpi.uid), {"answer": typed})
    assert response.status_code == 400
    page = response.content.decode()
    assert f'data-testid="answer-text">{typed}</textarea>' in page
    assert 'data-testid="answer-error">กรุณาเขียนคำชี้แจง (ไม่เกิน 5,000 ตัวอักษร)' in page
    assert KpiReview.objects.get(kpi_uid=kpi.uid).answer == ""


def test_accepting_a_comment_without_values_says_so(submitted: Plan, assigned, officer) -> None:  # type: ignore[no-untyped-def]
    kpi = ask(submitted, assigned, "1.1", "revise", "เขียนนิยามให้ชัด")
    before = Plan.objects.get(pk=submitted.pk).revision
    response = login(officer).post(_url("review-accept", kpi.uid), follow=True)
    page = response.content.decode()
    assert "รับทราบความเห็นแล้ว กรุณาแก้ไขตัวชี้วัดในแบบฟอร์มตามความเห็น" in page
    assert "ค่าที่เสนอถูกบันทึกในแบบฟอร์ม" not in page
    assert Plan.objects.get(pk=submitted.pk).revision == before  # nothing written into the plan
    assert KpiReview.objects.get(kpi_uid=kpi.uid).response == Response.ACCEPTED


def test_a_long_proposed_name_is_shown_whole(submitted: Plan, assigned, officer) -> None:  # type: ignore[no-untyped-def]
    name = "ร้อยละของครัวเรือนที่มีรายได้เพิ่มขึ้น" * 12
    assert len(name) > 200
    _propose(submitted, assigned, "1.1", name=name)
    _return(submitted, assigned)
    assert f"<b>{name}</b>" in _answers_page(officer)


def test_the_reviewers_hear_once_every_comment_is_answered(
    submitted: Plan, assigned, officer, opdc_admin
) -> None:  # type: ignore[no-untyped-def]
    first = ask(submitted, assigned, "1.1", returned=False)
    second = ask(submitted, assigned, "1.2")
    services.kpi_review_answer(plan=submitted, kpi_uid=str(first.uid), actor=officer, answer="ชี้แจง")
    assert not Notification.objects.filter(kind=NotificationKind.ANSWERED).exists()
    services.kpi_review_accept(plan=submitted, kpi_uid=str(second.uid), actor=officer)
    sent = Notification.objects.filter(kind=NotificationKind.ANSWERED)
    assert [n.recipient for n in sent] == [assigned]
    services.kpi_review_answer(plan=submitted, kpi_uid=str(first.uid), actor=officer, answer="ชี้แจงเพิ่ม")
    assert sent.count() == 1  # once per return


def test_without_an_assigned_analyst_the_one_who_returned_hears(
    fy2551, org, officer, governor, opdc_admin
) -> None:  # type: ignore[no-untyped-def]
    from tests.factories import PlanFactory
    from tests.review.conftest import ON_TIME

    plan = PlanFactory(fiscal_year=fy2551, organisation=org("50"), tree__actor=officer)
    submission.plan_submit(plan=plan, actor=officer, when=ON_TIME)
    plan = submission.plan_approve(plan=plan, actor=governor, when=ON_TIME)
    kpi = ask(plan, opdc_admin, "1.1")
    services.kpi_review_answer(plan=plan, kpi_uid=str(kpi.uid), actor=officer, answer="ชี้แจง")
    _resubmit(plan, officer, governor)
    for kind in (NotificationKind.ANSWERED, NotificationKind.RESUBMITTED):
        assert [n.recipient for n in Notification.objects.filter(kind=kind)] == [opdc_admin]


def test_the_return_notice_gives_the_due_date_in_both_languages(submitted: Plan, assigned, officer) -> None:  # type: ignore[no-untyped-def]
    ask(submitted, assigned, "1.1", "drop", "ซ้ำกับตัวชี้วัด 1.2", returned=False)
    due = timezone.localdate() + timedelta(days=10)
    services.review_return(plan=submitted, actor=assigned, message="โปรดแก้ไข", revise_by=due)
    notice = Notification.objects.get(kind=NotificationKind.RETURNED, recipient=officer)
    from khamrap.thai.dates import format_date

    assert f"กรุณาส่งฉบับแก้ไขภายใน {format_date(due)}" in notice.body_th
    assert f"Send the revision by {format_date(due, lang='en')}." in notice.body_en
    assert "(to drop): ซ้ำกับตัวชี้วัด 1.2" in notice.body_en
    assert "ควรตัดออก" not in notice.body_en
    assert mail.outbox == [] or all("Traceback" not in m.body for m in mail.outbox)


def test_a_revision_sent_after_its_due_date_is_flagged(
    submitted: Plan, assigned, officer, governor, opdc_admin
) -> None:  # type: ignore[no-untyped-def]
    ask(submitted, assigned, "1.1")
    yesterday = timezone.localdate() - timedelta(days=1)
    Plan.objects.filter(pk=submitted.pk).update(revise_by=yesterday)
    overview = login(opdc_admin).get(reverse("review-overview", args=[2551])).content.decode()
    assert "เลยกำหนด" in overview.split('data-testid="revise-by-50">')[1].split("</td>")[0]
    assert 'data-testid="revise-late"' in _answers_page(officer)
    plan = _resubmit(submitted, officer, governor)
    event = PlanEvent.objects.filter(plan=plan, kind=PlanEventKind.SUBMITTED).order_by("-pk").first()
    assert event is not None and event.note.startswith("ส่งฉบับแก้ไขหลังกำหนด")
    notice = Notification.objects.get(kind=NotificationKind.RESUBMITTED)
    assert "ส่งฉบับแก้ไขหลังกำหนด" in notice.body_th
