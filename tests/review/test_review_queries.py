"""The review's pages read in a number of queries that does not grow with the plan's KPIs or reviews."""

import uuid

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from khamrap.accounts.models import User
from khamrap.plans.models import Kpi, Plan
from khamrap.review import services
from tests.conftest import login


def _queries(client, url: str) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _more_kpis(plan: Plan, copies: int) -> None:
    """Copies of the plan's first KPI in the same goal (written straight to the table: the plan is with OPDC)."""
    first = Kpi.objects.filter(plan=plan).order_by("position").first()
    assert first is not None
    last = Kpi.objects.filter(goal=first.goal).order_by("-position").first()
    assert last is not None
    for n in range(1, copies + 1):
        copy = Kpi.objects.get(pk=first.pk)
        copy.pk, copy.uid, copy.position, copy.code = None, uuid.uuid4(), last.position + n, f"9.{n}"
        copy.save()


def _review_all(plan: Plan, analyst: User) -> None:
    for kpi in Kpi.objects.filter(plan=plan):
        services.kpi_review_save(
            plan=plan,
            kpi_uid=str(kpi.uid),
            actor=analyst,
            verdict="revise",
            comment=f"ความเห็น {kpi.code}",
            proposed={"weight": "3"},
        )


def test_the_review_page_reads_in_constant_queries(submitted: Plan, assigned) -> None:  # type: ignore[no-untyped-def]
    client = login(assigned)
    url = reverse("review-plan", args=[2551, "50"])
    client.get(url)  # the first read starts nothing; caches warm
    empty = _queries(client, url)
    _review_all(submitted, assigned)
    reviewed = _queries(client, url)
    _more_kpis(submitted, 5)
    _review_all(submitted, assigned)
    assert reviewed == _queries(client, url)
    assert reviewed == empty + 1  # the reviews themselves, read once


def test_the_answers_page_reads_in_constant_queries(submitted: Plan, assigned, officer) -> None:  # type: ignore[no-untyped-def]
    first = Kpi.objects.get(plan=submitted, code="1.1")
    services.kpi_review_save(
        plan=submitted, kpi_uid=str(first.uid), actor=assigned, verdict="revise", comment="x", proposed={}
    )
    services.review_return(plan=submitted, actor=assigned, message="", revise_by=timezone.localdate())
    services.kpi_review_answer(plan=submitted, kpi_uid=str(first.uid), actor=officer, answer="ชี้แจง")
    client = login(officer)
    url = reverse("review-answers", args=[2551, "50"])
    one = _queries(client, url)
    plan = Plan.objects.get(pk=submitted.pk)
    # a second round asking about every KPI, one of them since dropped, several answered
    from tests.review.test_review_rounds import _resubmit

    governor = User.objects.get(username="cm_governor")
    plan = _resubmit(plan, officer, governor)
    _more_kpis(plan, 3)
    _review_all(plan, assigned)
    services.review_return(plan=plan, actor=assigned, message="", revise_by=timezone.localdate())
    kpis = list(Kpi.objects.filter(plan=plan).order_by("pk"))
    for kpi in kpis[:4]:
        services.kpi_review_answer(plan=plan, kpi_uid=str(kpi.uid), actor=officer, answer="ชี้แจง")
    Kpi.objects.filter(pk=kpis[-1].pk).delete()
    assert one == _queries(client, url)
