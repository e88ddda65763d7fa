"""Fixtures of the review tests: Chiang Mai's sample plan as it reaches OPDC, and its assigned analyst."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from khamrap.accounts.models import Role, User
from khamrap.plans import submission
from khamrap.plans.models import Kpi, Plan
from khamrap.review import services
from tests.factories import PlanFactory

ON_TIME = datetime(2007, 10, 15, 12, 0, tzinfo=ZoneInfo("Asia/Bangkok"))


@pytest.fixture(autouse=True)
def media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def submitted(fy2551, org, officer, governor) -> Plan:  # type: ignore[no-untyped-def]
    """Chiang Mai's sample plan (eight KPIs), sent by its officer and approved by its governor."""
    plan = PlanFactory(fiscal_year=fy2551, organisation=org("50"), tree__actor=officer)
    submission.plan_submit(plan=plan, actor=officer, when=ON_TIME)
    return submission.plan_approve(plan=plan, actor=governor, when=ON_TIME)


@pytest.fixture
def assigned(analyst: User, org) -> User:  # type: ignore[no-untyped-def]
    """The analyst, assigned to Chiang Mai."""
    analyst.assigned_organisations.add(org("50"))
    return analyst


@pytest.fixture
def other_analyst(make_user, org) -> User:  # type: ignore[no-untyped-def]
    """An analyst assigned to Lamphun only."""
    user = make_user("analyst_lp", Role.ANALYST, "OPDC")
    user.assigned_organisations.add(org("51"))
    return user


def ask(
    plan: Plan,
    analyst: User,
    code: str,
    verdict: str = "revise",
    comment: str = "ความเห็น",
    *,
    returned: bool = True,
) -> Kpi:
    """The analyst's word on the KPI numbered ``code``, and (``returned``) the plan returned with it, due
    today; the KPI as it was."""
    kpi = Kpi.objects.get(plan=plan, code=code)
    services.kpi_review_save(
        plan=plan, kpi_uid=str(kpi.uid), actor=analyst, verdict=verdict, comment=comment, note="", proposed={}
    )
    if returned:
        services.review_return(plan=plan, actor=analyst, message="", revise_by=timezone.localdate())
    return kpi
