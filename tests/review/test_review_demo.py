"""The demo (`make run`) has a review to show: the demo analyst assigned, Lamphun's plan returned with
comments for its demo officer to answer, Lampang's under review; seeding twice makes nothing twice."""

from io import StringIO

from django.core.management import call_command
from django.urls import reverse

from khamrap.accounts.models import User
from khamrap.notifications.models import Notification, NotificationKind
from khamrap.plans.models import Plan, PlanStatus
from khamrap.review.models import KpiReview
from tests.conftest import login


def test_the_demo_shows_a_review_at_each_stage(fy2551) -> None:  # type: ignore[no-untyped-def]
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())
    statuses = dict(
        Plan.objects.filter(organisation__code__in=["51", "52"]).values_list("organisation__code", "status")
    )
    assert statuses == {"51": PlanStatus.RETURNED, "52": PlanStatus.UNDER_REVIEW}
    assert KpiReview.objects.count() == 5
    officer = User.objects.get(username="lamphun_officer")
    assert Notification.objects.filter(recipient=officer, kind=NotificationKind.RETURNED).count() == 1
    page = login(officer).get(reverse("review-answers", args=[2551, "51"])).content.decode()
    assert page.count('data-testid="asked-kpi"') == 2
    analyst = User.objects.get(username="opdc_analyst")
    overview = login(analyst).get(reverse("review-overview", args=[2551]), {"analyst": str(analyst.pk)})
    assert overview.content.decode().count("<tr data-org=") == 5
