"""Nobody sees or does in the review what they should not: every page and endpoint, every role."""

import pytest
from django.urls import reverse

from khamrap.plans.models import Kpi, Plan
from khamrap.review.models import KpiReview
from tests.conftest import login
from tests.review.conftest import ask

HTMX = {"HTTP_HX_REQUEST": "true"}


def _url(name: str, *args: object, org: str = "50") -> str:
    return reverse(name, args=[2551, org, *args])


@pytest.mark.parametrize("role", ["officer", "governor", "other_officer", "cluster_officer", "viewer"])
def test_outside_opdc_nobody_opens_the_review_or_the_overview(submitted: Plan, role: str, request) -> None:  # type: ignore[no-untyped-def]
    client = login(request.getfixturevalue(role))
    kpi = Kpi.objects.get(plan=submitted, code="1.1")
    assert client.get(_url("review-plan")).status_code == 403
    assert client.get(reverse("review-overview", args=[2551])).status_code == 403
    assert client.get(reverse("review-export", args=[2551])).status_code == 403
    assert client.get(_url("review-similar", kpi.uid)).status_code == 403
    assert client.post(_url("review-kpi", kpi.uid), {f"r{kpi.pk}-verdict": "drop"}, **HTMX).status_code == 403
    assert client.post(_url("review-notes"), {"notes": "x"}, **HTMX).status_code == 403
    assert client.post(_url("review-ready")).status_code == 403
    assert client.post(_url("review-return"), {"message": "x", "revise_by": "1/1/2570"}).status_code == 403
    assert client.post(reverse("review-assign", args=[2551]), {"organisation": "50"}).status_code == 403
    assert not KpiReview.objects.exists()


def test_an_analyst_not_assigned_reads_but_does_not_review(submitted: Plan, other_analyst) -> None:  # type: ignore[no-untyped-def]
    client = login(other_analyst)
    kpi = Kpi.objects.get(plan=submitted, code="1.1")
    page = client.get(_url("review-plan"))
    assert page.status_code == 200 and 'data-testid="review-readonly"' in page.content.decode()
    assert client.post(_url("review-kpi", kpi.uid), {f"r{kpi.pk}-verdict": "drop"}, **HTMX).status_code == 403
    assert client.post(_url("review-ready")).status_code == 403
    assert (
        client.post(
            reverse("review-assign", args=[2551]), {"organisation": "50", "analyst": str(other_analyst.pk)}
        ).status_code
        == 403
    )
    assert not KpiReview.objects.exists()
    assert list(other_analyst.assigned_organisations.values_list("code", flat=True)) == ["51"]


def test_only_the_provinces_own_people_see_its_comments(
    submitted: Plan, assigned, other_officer, officer, governor
) -> None:  # type: ignore[no-untyped-def]
    kpi = ask(submitted, assigned, "1.1", "revise", "ความเห็น")
    outsider = login(other_officer)
    assert outsider.get(_url("review-answers")).status_code == 403
    assert outsider.post(_url("review-accept", kpi.uid)).status_code == 403
    assert outsider.post(_url("review-answer", kpi.uid), {"answer": "x"}).status_code == 403
    assert Kpi.objects.get(pk=kpi.pk).target == kpi.target
    # the governor reads them but does not answer for the officers
    assert "ความเห็น" in login(governor).get(_url("review-answers")).content.decode()
    login(governor).post(_url("review-answer", kpi.uid), {"answer": "ผู้ว่าฯ"})
    assert KpiReview.objects.get(kpi_uid=kpi.uid).response == ""
    assert "ความเห็น" in login(officer).get(_url("review-answers")).content.decode()


def test_comments_reach_the_province_only_once_the_plan_is_returned(
    submitted: Plan, assigned, officer
) -> None:  # type: ignore[no-untyped-def]
    ask(submitted, assigned, "1.1", "drop", "ร่างความเห็น", returned=False)
    page = login(officer).get(_url("review-answers")).content.decode()
    assert "ร่างความเห็น" not in page and 'data-testid="no-comments"' in page


def test_the_administrator_reviews_any_plan(submitted: Plan, opdc_admin) -> None:  # type: ignore[no-untyped-def]
    kpi = Kpi.objects.get(plan=submitted, code="1.1")
    response = login(opdc_admin).post(
        _url("review-kpi", kpi.uid), {f"r{kpi.pk}-verdict": "appropriate"}, **HTMX
    )
    assert response.status_code == 200
    assert KpiReview.objects.get(kpi_uid=kpi.uid).verdict == "appropriate"


def test_a_kpi_of_another_plan_is_not_found(submitted: Plan, assigned, fy2551, org, other_officer) -> None:  # type: ignore[no-untyped-def]
    from tests.factories import PlanFactory

    other = PlanFactory(fiscal_year=fy2551, organisation=org("51"), tree__actor=other_officer)
    foreign = Kpi.objects.filter(plan=other).first()
    assert foreign is not None
    response = login(assigned).post(
        _url("review-kpi", foreign.uid), {f"r{foreign.pk}-verdict": "drop"}, **HTMX
    )
    assert response.status_code == 404


@pytest.mark.parametrize("role", ["other_analyst", "evaluator_user"])
def test_only_the_plans_reviewers_are_led_from_the_plan_page_to_the_return(
    submitted: Plan, role: str, request, make_user, assigned
) -> None:  # type: ignore[no-untyped-def]
    """The plan page has no return of its own (it would bypass the review's due date and round): the plan's
    reviewers get a link to the review's return, nobody else does."""
    from khamrap.accounts.models import Role

    user = (
        request.getfixturevalue(role)
        if role != "evaluator_user"
        else make_user("evaluator", Role.EVALUATOR, "OPDC")
    )
    link = reverse("review-plan", args=[2551, "50"]) + "#return"
    assert link not in login(user).get(_url("plan-detail")).content.decode()
    assert link in login(assigned).get(_url("plan-detail")).content.decode()
    assert login(assigned).post("/years/2551/plans/50/return/", {"note": "แก้"}).status_code in {404, 405}


def test_the_overview_assigns_two_analysts_and_keeps_both(
    submitted: Plan, opdc_admin, analyst, other_analyst
) -> None:  # type: ignore[no-untyped-def]
    client = login(opdc_admin)
    url = reverse("review-assign", args=[2551])
    client.post(url, {"organisation": "50", "analyst": [str(analyst.pk), str(other_analyst.pk)]})
    page = client.get(reverse("review-overview", args=[2551])).content.decode()
    cell = page.split('data-testid="analysts-50">')[1].split("</td>")[0]
    assert cell.count("selected") == 2
    assert set(submitted.organisation.assigned_analysts.all()) == {analyst, other_analyst}


def test_an_id_too_large_for_the_database_is_no_error(submitted: Plan, opdc_admin) -> None:  # type: ignore[no-untyped-def]
    client = login(opdc_admin)
    big = "9" * 30
    assert (
        client.post(reverse("review-assign", args=[2551]), {"organisation": "50", "analyst": big}).status_code
        == 302
    )
    assert client.get(reverse("review-overview", args=[2551]), {"analyst": big}).status_code == 200


@pytest.mark.parametrize(
    ("role", "reads"),
    [
        ("anonymous", None),
        ("other_officer", False),
        ("cluster_officer", False),
        ("viewer", False),
        ("governor", True),
        ("assigned", True),
        ("other_analyst", True),
        ("opdc_admin", True),
    ],
)
def test_only_the_officers_accept_or_answer_and_only_insiders_read(
    submitted: Plan, assigned, role: str, reads: bool | None, request
) -> None:  # type: ignore[no-untyped-def]
    """Every role on the answers page and its two posts: anonymous users go to the sign-in page, outsiders
    get a 403, OPDC and the governor read but their posts change nothing."""
    from django.test import Client

    kpi = ask(submitted, assigned, "1.2", "drop", "ซ้ำซ้อน")
    client = Client() if role == "anonymous" else login(request.getfixturevalue(role))
    page = client.get(_url("review-answers"))
    accept = client.post(_url("review-accept", kpi.uid))
    answer = client.post(_url("review-answer", kpi.uid), {"answer": "คงไว้"})
    if reads is None:
        for response in (page, accept, answer):
            assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    elif not reads:
        assert {page.status_code, accept.status_code, answer.status_code} == {403}
    else:
        assert page.status_code == 200 and "ซ้ำซ้อน" in page.content.decode()
        assert 'data-testid="accept"' not in page.content.decode()
        assert accept.status_code == 302 and answer.status_code == 400
    assert Kpi.objects.filter(pk=kpi.pk).exists()
    assert KpiReview.objects.get(kpi_uid=kpi.uid).response == ""
