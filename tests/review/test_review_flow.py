"""The review as the people who use it go through it, over HTTP: the administrator assigns the analyst, the
analyst gives verdicts, comments and proposals (autosaved) and internal notes, returns the plan with a due
date; the province sees each comment beside its KPI, accepts one (the proposed values go into the plan) and
answers another, resubmits; the analyst sees the answers and marks the plan ready for negotiation. Each step
tells whom it concerns."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from khamrap.accounts.models import User
from khamrap.core.errors import DomainError
from khamrap.notifications.models import Notification, NotificationKind
from khamrap.plans import submission
from khamrap.plans.models import Kpi, Plan, PlanEvent, PlanEventKind, PlanStatus
from khamrap.review import services
from khamrap.review.models import KpiReview, Response, Verdict
from tests.conftest import login
from tests.review.conftest import ON_TIME, ask

HTMX = {"HTTP_HX_REQUEST": "true"}


def _url(name: str, *args: object) -> str:
    return reverse(name, args=[2551, "50", *args])


def _be(days: int) -> str:
    day = timezone.localdate() + timedelta(days=days)
    return f"{day.day}/{day.month}/{day.year + 543}"


def _verdict(client, kpi: Kpi, **fields: str):  # type: ignore[no-untyped-def]
    data = {f"r{kpi.pk}-{name}": value for name, value in fields.items()}
    return client.post(_url("review-kpi", kpi.uid), data, **HTMX)


def test_the_review_goes_from_assignment_to_ready(  # type: ignore[no-untyped-def]
    submitted: Plan, opdc_admin, analyst, officer, governor
) -> None:
    kpi_a = Kpi.objects.get(plan=submitted, code="1.1")
    kpi_b = Kpi.objects.get(plan=submitted, code="1.2")
    # the administrator assigns the analyst to Chiang Mai on the overview
    admin = login(opdc_admin)
    response = admin.post(
        reverse("review-assign", args=[2551]), {"organisation": "50", "analyst": str(analyst.pk)}
    )
    assert response.status_code == 302
    assert list(analyst.assigned_organisations.values_list("code", flat=True)) == ["50"]

    # the analyst autosaves a verdict with a comment, a proposal and an internal note
    reviewer = login(analyst)
    page = reviewer.get(_url("review-plan")).content.decode()
    assert 'data-testid="review-progress">0 / 8<' in page
    response = _verdict(
        reviewer,
        kpi_a,
        verdict="revise",
        comment="ค่าเป้าหมายต่ำกว่าแนวโน้ม",
        proposed_target="6",
        proposed_weight="",
        note="เทียบกับลำพูนแล้วต่ำ",
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "บันทึกแล้ว" in body and 'hx-swap-oob="true">1 / 8<' in body
    assert Plan.objects.get(pk=submitted.pk).status == PlanStatus.UNDER_REVIEW
    _verdict(reviewer, kpi_b, verdict="revise", comment="นิยามไม่ชัด")
    saved = KpiReview.objects.get(kpi_uid=kpi_a.uid)
    assert (saved.verdict, saved.comment, saved.proposal, saved.note) == (
        Verdict.REVISE,
        "ค่าเป้าหมายต่ำกว่าแนวโน้ม",
        {"target": "6"},
        "เทียบกับลำพูนแล้วต่ำ",
    )

    # it returns the plan with a due date: the officers are told, with each KPI's comment
    response = reviewer.post(_url("review-return"), {"message": "กรุณาปรับตามความเห็น", "revise_by": _be(14)})
    assert response.status_code == 302
    plan = Plan.objects.get(pk=submitted.pk)
    assert (plan.status, plan.version, plan.revise_by) == (
        PlanStatus.RETURNED,
        2,
        timezone.localdate() + timedelta(days=14),
    )
    told = Notification.objects.get(recipient=officer, kind=NotificationKind.RETURNED)
    assert "ตัวชี้วัด 1.1" in told.body_th and "ค่าเป้าหมายต่ำกว่าแนวโน้ม" in told.body_th
    assert "เทียบกับลำพูน" not in told.body_th  # the internal note stays inside OPDC

    # the province sees each comment and proposal beside its KPI, never the internal notes
    province = login(officer)
    plan_page = province.get(_url("plan-detail")).content.decode()
    assert 'data-testid="answers-link"' in plan_page
    answers = province.get(_url("review-answers")).content.decode()
    assert answers.count('data-testid="asked-kpi"') == 2
    assert "ค่าเป้าหมายต่ำกว่าแนวโน้ม" in answers and "นิยามไม่ชัด" in answers
    assert "เทียบกับลำพูน" not in answers
    assert "<td>5</td><td><b>6</b></td>" in answers  # the KPI's target beside the proposed one

    # it accepts the first (the proposed target is written, in the plan's history) and answers the second
    assert province.post(_url("review-accept", kpi_a.uid)).status_code == 302
    assert Kpi.objects.get(pk=kpi_a.pk).target == Decimal(6)
    edit = PlanEvent.objects.filter(plan=plan, kind=PlanEventKind.EDITED).latest("pk")
    assert {"field": "target", "old": "5", "new": "6"}.items() <= edit.changes[0].items()
    province.post(_url("review-answer", kpi_b.uid), {"answer": "นิยามตามกรมการปกครอง"})
    assert {r.kpi_uid: r.response for r in KpiReview.objects.all()} == {
        kpi_a.uid: Response.ACCEPTED,
        kpi_b.uid: Response.ANSWERED,
    }

    # it resubmits (through the governor): the analyst is told and sees the answers
    submission.plan_submit(plan=plan, actor=officer, when=ON_TIME)
    submission.plan_approve(plan=Plan.objects.get(pk=plan.pk), actor=governor, when=ON_TIME)
    assert Notification.objects.filter(recipient=analyst, kind=NotificationKind.RESUBMITTED).count() == 1
    page = reviewer.get(_url("review-plan")).content.decode()
    assert "นิยามตามกรมการปกครอง" in page and page.count('data-testid="province-response"') == 2

    # satisfied, the analyst marks it ready: its officers and governor are told
    response = reviewer.post(_url("review-ready"), {"note": ""})
    assert response.status_code == 302
    assert Plan.objects.get(pk=plan.pk).status == PlanStatus.READY
    assert {n.recipient for n in Notification.objects.filter(kind=NotificationKind.READY)} == {
        officer,
        governor,
    }


def test_a_proposal_out_of_bounds_is_refused_by_field_and_the_rest_is_saved(
    submitted: Plan, assigned
) -> None:  # type: ignore[no-untyped-def]
    kpi = Kpi.objects.get(plan=submitted, code="1.1")
    response = _verdict(login(assigned), kpi, verdict="revise", comment="ปรับน้ำหนัก", proposed_weight="150")
    body = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="review-errors"' in body and "น้ำหนัก" in body
    saved = KpiReview.objects.get(kpi_uid=kpi.uid)
    assert (saved.verdict, saved.comment, saved.proposal) == (Verdict.REVISE, "ปรับน้ำหนัก", {})


def test_a_proposal_equal_to_the_provinces_value_is_no_proposal(submitted: Plan, assigned) -> None:  # type: ignore[no-untyped-def]
    kpi = Kpi.objects.get(plan=submitted, code="1.1")
    _verdict(login(assigned), kpi, verdict="appropriate", proposed_target="5.0", proposed_name=kpi.name)
    assert KpiReview.objects.get(kpi_uid=kpi.uid).proposal == {}


def test_accepting_a_drop_deletes_the_kpi_and_the_page_still_shows_it(
    submitted: Plan, assigned, officer
) -> None:  # type: ignore[no-untyped-def]
    kpi = ask(submitted, assigned, "1.3", "drop", "ซ้ำกับ 1.2")
    province = login(officer)
    province.post(_url("review-accept", kpi.uid))
    assert not Kpi.objects.filter(uid=kpi.uid).exists()
    answers = province.get(_url("review-answers")).content.decode()
    assert 'data-testid="dropped"' in answers and kpi.name in answers


def test_a_return_needs_a_due_date_and_something_to_revise(submitted: Plan, assigned) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DomainError, match="กำหนดส่งฉบับแก้ไข"):
        services.review_return(plan=submitted, actor=assigned, message="แก้ไข", revise_by=None)
    with pytest.raises(DomainError, match="ยังไม่มีความเห็นให้จังหวัดแก้ไข"):
        services.review_return(plan=submitted, actor=assigned, message=" ", revise_by=timezone.localdate())
    with pytest.raises(DomainError, match="ต้องไม่ก่อนวันนี้"):
        services.review_return(
            plan=submitted, actor=assigned, message="แก้ไข", revise_by=timezone.localdate() - timedelta(days=1)
        )
    assert Plan.objects.get(pk=submitted.pk).status == PlanStatus.SUBMITTED  # a refused return writes nothing


def test_a_bad_due_date_keeps_the_message_and_says_what_is_wrong(submitted: Plan, assigned) -> None:  # type: ignore[no-untyped-def]
    client = login(assigned)
    message = "ปรับเกณฑ์ตัวชี้วัด 1.1 ให้สอดคล้องกับค่าฐาน\nและทบทวนน้ำหนัก"
    response = client.post(_url("review-return"), {"message": message, "revise_by": "31/02/2569"})
    assert response.status_code == 400
    page = response.content.decode()
    assert f'data-testid="return-message">{message}</textarea>' in page
    assert 'value="31/02/2569"' in page
    assert 'data-testid="revise-by-error"' in page
    assert Plan.objects.get(pk=submitted.pk).status == PlanStatus.SUBMITTED


def test_a_message_too_long_is_refused_not_cut(submitted: Plan, assigned) -> None:  # type: ignore[no-untyped-def]
    ask(submitted, assigned, "1.1", returned=False)
    response = login(assigned).post(_url("review-return"), {"message": "ก" * 5001, "revise_by": "31/10/2569"})
    assert response.status_code == 400
    assert "ก" * 5001 in response.content.decode()
    assert Plan.objects.get(pk=submitted.pk).status != PlanStatus.RETURNED


def test_a_refused_return_keeps_what_was_typed(submitted: Plan, assigned) -> None:  # type: ignore[no-untyped-def]
    """Nothing asked and no message: the service refuses; the page says why and keeps the date."""
    response = login(assigned).post(_url("review-return"), {"message": "", "revise_by": "31/10/2569"})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'data-testid="return-error">ยังไม่มีความเห็นให้จังหวัดแก้ไข' in page
    assert 'value="31/10/2569"' in page


def test_the_review_is_closed_while_the_province_revises(submitted: Plan, assigned) -> None:  # type: ignore[no-untyped-def]
    kpi = Kpi.objects.get(plan=submitted, code="1.1")
    services.review_return(plan=submitted, actor=assigned, message="แก้ไข", revise_by=timezone.localdate())
    response = _verdict(login(assigned), kpi, verdict="drop")
    assert response.status_code == 409
    assert "ไม่อยู่ในขั้นพิจารณา" in response.content.decode()
    assert not KpiReview.objects.filter(kpi_uid=kpi.uid).exists()


def test_an_answer_cannot_be_empty(submitted: Plan, assigned, officer) -> None:  # type: ignore[no-untyped-def]
    kpi = ask(submitted, assigned, "1.1", "revise", "x")
    response = login(officer).post(_url("review-answer", kpi.uid), {"answer": "   "}, follow=True)
    assert "กรุณาเขียนคำชี้แจง" in response.content.decode()
    assert KpiReview.objects.get(kpi_uid=kpi.uid).response == Response.NONE


def test_notes_autosave_and_stay_inside_opdc(submitted: Plan, assigned, officer) -> None:  # type: ignore[no-untyped-def]
    client = login(assigned)
    response = client.post(_url("review-notes"), {"notes": "ติดตามตัวชี้วัด 1.4 กับกลุ่มจังหวัด"}, **HTMX)
    assert response.status_code == 200 and "บันทึกแล้ว" in response.content.decode()
    assert "ติดตามตัวชี้วัด 1.4" in client.get(_url("review-plan")).content.decode()
    services.review_return(plan=submitted, actor=assigned, message="แก้ไข", revise_by=timezone.localdate())
    province = login(officer)
    for name in ("plan-detail", "review-answers"):
        assert "ติดตามตัวชี้วัด 1.4" not in province.get(_url(name)).content.decode()


def test_the_review_page_reads_in_english(submitted: Plan, assigned: User) -> None:
    client = login(assigned)
    client.post(reverse("set_language"), {"language": "en"})
    page = client.get(_url("review-plan")).content.decode()
    assert "Review the appropriateness of the KPIs" in page
    assert "Verdict" in page


def test_a_returned_plan_is_resubmitted_after_the_window_closed(
    submitted: Plan, assigned, officer, governor
) -> None:  # type: ignore[no-untyped-def]
    services.review_return(plan=submitted, actor=assigned, message="แก้ไขเกณฑ์", revise_by=timezone.localdate())
    type(submitted.fiscal_year).objects.filter(pk=submitted.fiscal_year_id).update(submission_open=False)
    plan = Plan.objects.get(pk=submitted.pk)
    submission.plan_submit(plan=plan, actor=officer)
    plan = submission.plan_approve(plan=Plan.objects.get(pk=plan.pk), actor=governor)
    assert plan.status == PlanStatus.RESUBMITTED


def test_an_autosave_changes_only_what_was_sent_and_valid(submitted: Plan, assigned) -> None:  # type: ignore[no-untyped-def]
    kpi = Kpi.objects.get(plan=submitted, code="1.1")
    client = login(assigned)
    _verdict(client, kpi, verdict="revise", comment="ปรับน้ำหนัก", proposed_weight="10", proposed_target="6")
    # a weight out of bounds, an unknown verdict and a comment alone: none of them clears what is stored
    _verdict(client, kpi, verdict="nonsense", proposed_weight="150")
    _verdict(client, kpi, note="ภายใน")
    saved = KpiReview.objects.get(kpi_uid=kpi.uid)
    assert (saved.verdict, saved.comment, saved.note, saved.proposal) == (
        Verdict.REVISE,
        "ปรับน้ำหนัก",
        "ภายใน",
        {"weight": "10", "target": "6"},
    )
    # a proposed field sent blank withdraws that proposal only
    _verdict(client, kpi, proposed_weight="")
    assert KpiReview.objects.get(kpi_uid=kpi.uid).proposal == {"target": "6"}


def test_the_overview_takes_any_analyst_filter_without_an_error(submitted: Plan, assigned) -> None:  # type: ignore[no-untyped-def]
    client = login(assigned)
    assert client.get(reverse("review-overview", args=[2551]), {"analyst": "²"}).status_code == 200
