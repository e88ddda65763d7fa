"""The deadline reminders (``khamrap notify_deadlines``), the closing of the window and extensions."""

import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from khamrap.accounts.models import User
from khamrap.frameworks.models import FiscalYear
from khamrap.notifications.models import Notification, NotificationKind
from khamrap.plans import submission
from khamrap.plans.models import Plan
from khamrap.tracking import notices as tracking_notices
from khamrap.tracking import services as tracking_services

ON_TIME = datetime(2007, 10, 8, 12, 0, tzinfo=ZoneInfo("Asia/Bangkok"))  # the deadline is 15 Oct 2007


def _notify_deadlines(today: str) -> str:
    out = io.StringIO()
    call_command("notify_deadlines", "--year", "2551", "--today", today, stdout=out)
    return out.getvalue()


def _reminded(days: int | None = None) -> list[str]:
    found = Notification.objects.filter(kind=NotificationKind.DEADLINE_NEAR)
    if days is not None:
        found = found.filter(key__contains=f":{days}:")
    return sorted(found.values_list("recipient__username", flat=True))


def _submitted(plan: Plan, officer: User, governor: User) -> None:
    submission.plan_submit(plan=plan, actor=officer, when=ON_TIME)
    submission.plan_approve(plan=plan, actor=governor, when=ON_TIME)


def test_it_reminds_those_still_to_send_on_each_reminder_day_once(  # type: ignore[no-untyped-def]
    plan: Plan, officer: User, governor: User, other_officer: User, cluster_officer: User, analyst: User
) -> None:
    # given Chiang Mai has submitted; Lamphun and the cluster NU1 have not
    _submitted(plan, officer, governor)

    assert _notify_deadlines("2007-10-08") == "2 reminder(s) for FY2551\n"
    assert _notify_deadlines("2007-10-08") == "0 reminder(s) for FY2551\n"
    assert _notify_deadlines("2007-10-09") == "0 reminder(s) for FY2551\n"  # 6 days: not a reminder day
    assert _notify_deadlines("2007-10-12") == "2 reminder(s) for FY2551\n"

    assert _reminded(7) == ["lp_officer", "nu1_officer"]
    assert _reminded(3) == ["lp_officer", "nu1_officer"]
    reminder = Notification.objects.filter(recipient=other_officer).order_by("pk").first()
    assert reminder is not None
    assert reminder.subject_th == "ถึงกำหนดส่งแบบฟอร์มเจรจาของลำพูนอีก 7 วัน"
    assert reminder.subject_en == "The negotiation form of Lamphun is due in 7 days"
    assert reminder.body_th.startswith("กำหนดส่งแบบฟอร์มเจรจา ปีงบประมาณ พ.ศ. 2551 คือ 15 ตุลาคม 2550 ")
    assert reminder.url == "/years/2551/plans/51/"


def test_a_missed_reminder_day_is_caught_up_by_the_next_run_once(  # type: ignore[no-untyped-def]
    plan: Plan, officer: User, governor: User, other_officer: User, cluster_officer: User
) -> None:
    # given Chiang Mai has submitted; the job did not run on 8 Oct (7 days before) nor on 12 Oct (3 days)
    _submitted(plan, officer, governor)

    # when it runs again on 10 Oct (5 days left), twice, and on 11 Oct
    first = _notify_deadlines("2007-10-10")
    again = [_notify_deadlines("2007-10-10"), _notify_deadlines("2007-10-11")]
    # and on 13 Oct (2 days left)
    later = _notify_deadlines("2007-10-13")

    # then each reminder day missed is sent once, at the next run, saying the days really left
    assert first == "2 reminder(s) for FY2551\n"
    assert again == ["0 reminder(s) for FY2551\n", "0 reminder(s) for FY2551\n"]
    assert later == "2 reminder(s) for FY2551\n"
    subjects = (
        Notification.objects.filter(recipient=other_officer).order_by("pk").values_list("subject_th", "key")
    )
    assert list(subjects) == [
        ("ถึงกำหนดส่งแบบฟอร์มเจรจาของลำพูนอีก 5 วัน", "deadline_near:2551:51:7:2007-10-15"),
        ("ถึงกำหนดส่งแบบฟอร์มเจรจาของลำพูนอีก 2 วัน", "deadline_near:2551:51:3:2007-10-15"),
    ]


def test_only_the_nearest_reminder_day_reached_is_sent_never_the_ones_passed(  # type: ignore[no-untyped-def]
    fy2551: FiscalYear, other_officer: User
) -> None:
    # given the job first runs on 14 Oct: the 7- and 3-day reminders were both missed
    sent = [_notify_deadlines(day) for day in ("2007-10-14", "2007-10-15", "2007-10-16")]

    # then one reminder on 14 Oct, the 1-day one; nothing on the deadline day (it was told) nor after it
    assert sent == ["1 reminder(s) for FY2551\n", "0 reminder(s) for FY2551\n", "0 reminder(s) for FY2551\n"]
    [reminder] = Notification.objects.filter(kind=NotificationKind.DEADLINE_NEAR)
    assert (reminder.recipient, reminder.subject_th, reminder.key) == (
        other_officer,
        "ถึงกำหนดส่งแบบฟอร์มเจรจาของลำพูนอีก 1 วัน",
        "deadline_near:2551:51:1:2007-10-15",
    )


def test_a_first_run_on_the_deadline_day_says_today(fy2551: FiscalYear, other_officer: User) -> None:
    _notify_deadlines("2007-10-15")

    [reminder] = Notification.objects.filter(kind=NotificationKind.DEADLINE_NEAR)
    assert (reminder.subject_en, reminder.key) == (
        "The negotiation form of Lamphun is due today",
        "deadline_near:2551:51:1:2007-10-15",
    )


@pytest.mark.parametrize(
    ("days_left", "due"), [(8, None), (7, 7), (5, 7), (3, 3), (2, 3), (1, 1), (0, 1), (-1, None)]
)
def test_the_reminder_due_is_the_nearest_reminder_day_reached(days_left: int, due: int | None) -> None:
    assert tracking_services.reminder_due(frozenset({7, 3, 1}), days_left) == due


def test_the_reminder_days_are_the_years(fy2551: FiscalYear, other_officer: User) -> None:
    FiscalYear.objects.filter(pk=fy2551.pk).update(reminder_days="5")

    _notify_deadlines("2007-10-08")
    _notify_deadlines("2007-10-10")

    assert _reminded(5) == ["lp_officer"]
    assert _reminded() == ["lp_officer"]


def test_an_extension_moves_the_reminders_and_a_closed_window_stops_them(  # type: ignore[no-untyped-def]
    fy2551: FiscalYear, org, opdc_admin: User, officer: User, other_officer: User
) -> None:
    # given the window is closed and only Lamphun has an extension, to 20 Oct
    tracking_services.extension_grant(
        fiscal_year=fy2551, organisation=org("51"), until=date(2007, 10, 20), reason="น้ำท่วม", actor=opdc_admin
    )
    tracking_services.submission_window_set(
        fiscal_year=fy2551, is_open=False, actor=opdc_admin, confirmed=True
    )

    _notify_deadlines("2007-10-13")  # 7 days before Lamphun's deadline; 2 before the year's

    assert _reminded() == ["lp_officer"]
    assert Notification.objects.get(kind=NotificationKind.DEADLINE_NEAR).subject_th == (
        "ถึงกำหนดส่งแบบฟอร์มเจรจาของลำพูนอีก 7 วัน"
    )


def test_granting_an_extension_tells_that_organisations_officers(  # type: ignore[no-untyped-def]
    fy2551: FiscalYear, org, opdc_admin: User, officer: User, other_officer: User
) -> None:
    for _ in range(2):  # granted twice with the same date: told once
        tracking_services.extension_grant(
            fiscal_year=fy2551, organisation=org("51"), until=date(2007, 10, 20), reason="", actor=opdc_admin
        )

    [told] = Notification.objects.all()
    assert (told.recipient, told.kind) == (other_officer, NotificationKind.EXTENSION_GRANTED)
    assert told.body_th == "สำนักงาน ก.พ.ร. ขยายเวลาส่งแบบฟอร์มเจรจา ปีงบประมาณ พ.ศ. 2551 ถึง 20 ตุลาคม 2550"


def test_closing_the_window_tells_those_still_to_send(  # type: ignore[no-untyped-def]
    plan: Plan,
    fy2551: FiscalYear,
    org,
    officer: User,
    governor: User,
    other_officer: User,
    cluster_officer: User,
    opdc_admin: User,
) -> None:
    # given Chiang Mai has submitted and the cluster NU1 holds an extension
    _submitted(plan, officer, governor)
    tracking_services.extension_grant(
        fiscal_year=fy2551, organisation=org("NU1"), until=date(2007, 10, 20), reason="", actor=opdc_admin
    )

    tracking_services.submission_window_set(
        fiscal_year=fy2551, is_open=False, actor=opdc_admin, confirmed=True
    )
    tracking_services.submission_window_set(
        fiscal_year=fy2551, is_open=False, actor=opdc_admin, confirmed=True
    )  # no change

    closed = Notification.objects.filter(kind=NotificationKind.WINDOW_CLOSED)
    assert list(closed.values_list("recipient__username", flat=True)) == ["lp_officer"]


def _closed_to(username: str) -> int:
    return Notification.objects.filter(
        kind=NotificationKind.WINDOW_CLOSED, recipient__username=username
    ).count()


def test_the_same_close_told_again_notifies_nobody_twice(  # type: ignore[no-untyped-def]
    fy2551: FiscalYear, org, opdc_admin: User, other_officer: User
) -> None:
    # given the window was closed once: Lamphun's officer was told
    tracking_services.submission_window_set(
        fiscal_year=fy2551, is_open=False, actor=opdc_admin, confirmed=True
    )
    fy2551.refresh_from_db()
    assert _closed_to("lp_officer") == 1

    # when the same close is processed again (a retried task, a second worker), later
    tracking_notices.window_closed_notify(
        fiscal_year=fy2551, organisations=[org("51")], change=fy2551.submission_window_changes
    )

    # then nothing more
    assert _closed_to("lp_officer") == 1


def test_closing_again_after_a_reopening_is_told_once_more(  # type: ignore[no-untyped-def]
    fy2551: FiscalYear, opdc_admin: User, other_officer: User
) -> None:
    def window(is_open: bool) -> None:
        tracking_services.submission_window_set(
            fiscal_year=fy2551, is_open=is_open, actor=opdc_admin, confirmed=True
        )

    window(False)
    window(True)
    window(False)
    window(False)  # the window is already closed: no new close

    keys = Notification.objects.filter(recipient=other_officer).order_by("pk").values_list("key", flat=True)
    assert list(keys) == ["window_closed:2551:1", "window_closed:2551:3"]


def test_reminder_days_are_numbers_separated_by_commas(fy2551: FiscalYear) -> None:
    fy2551.reminder_days = "7, x"
    with pytest.raises(ValidationError):
        fy2551.full_clean()

    fy2551.reminder_days = "14,7,1"
    fy2551.full_clean()
    assert fy2551.reminder_day_numbers == {14, 7, 1}
