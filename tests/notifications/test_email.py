"""Each notification is emailed once, after the transaction that made it commits."""

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from khamrap.accounts.models import User
from khamrap.notifications.models import Notification, NotificationKind
from khamrap.notifications.services import Message, notify
from khamrap.notifications.tasks import notification_email_run, notification_email_send
from khamrap.plans import submission
from khamrap.plans.models import Plan

ON_TIME = datetime(2007, 10, 15, 12, 0, tzinfo=ZoneInfo("Asia/Bangkok"))
Capture = Callable[..., AbstractContextManager[list[Callable[[], None]]]]


def _notify(recipient: User, key: str = "test:1") -> list[Notification]:
    return notify(
        recipients=[recipient],
        kind=NotificationKind.APPROVED,
        key=key,
        message=Message(subject_th="อนุมัติแล้ว", subject_en="Approved", body_th="ข้อความ", url="/inbox/"),
    )


def test_the_email_is_queued_on_commit(
    plan: Plan, officer: User, governor: User, django_capture_on_commit_callbacks: Capture
) -> None:  # type: ignore[no-untyped-def]
    User.objects.filter(pk=governor.pk).update(email="governor@chiangmai.go.th")

    with django_capture_on_commit_callbacks() as callbacks:
        submission.plan_submit(plan=plan, actor=officer, when=ON_TIME)

    assert len(callbacks) == 1
    assert mail.outbox == []  # nothing is sent inside the request


def test_running_the_email_task_twice_sends_one_email(governor: User, settings) -> None:  # type: ignore[no-untyped-def]
    settings.KHAMRAP_SITE_URL = "https://khamrap.opdc.go.th"
    governor.email = "governor@chiangmai.go.th"
    governor.save()
    [notification] = _notify(governor)

    assert notification_email_send(notification_id=notification.pk) is True
    assert notification_email_send(notification_id=notification.pk) is False

    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert (email.to, email.subject) == (["governor@chiangmai.go.th"], "[คำรับรอง] อนุมัติแล้ว")
    assert (
        email.body
        == "ข้อความ\n\nhttps://khamrap.opdc.go.th/inbox/\n\n—\n\nApproved\n\nhttps://khamrap.opdc.go.th/inbox/"
    )
    assert Notification.objects.get().emailed_at is not None


def test_the_queued_task_sends_each_email_once(
    plan: Plan, officer: User, governor: User, django_capture_on_commit_callbacks: Capture
) -> None:  # type: ignore[no-untyped-def]
    User.objects.filter(pk=governor.pk).update(email="governor@chiangmai.go.th")
    with django_capture_on_commit_callbacks() as callbacks:
        submission.plan_submit(plan=plan, actor=officer, when=ON_TIME)
    ids = [n.pk for n in Notification.objects.all()]

    for _ in range(2):
        notification_email_run.call(ids)

    assert [m.to for m in mail.outbox] == [["governor@chiangmai.go.th"]]
    assert len(callbacks) == 1


def test_a_repeated_trigger_creates_and_sends_nothing_twice(governor: User) -> None:
    governor.email = "governor@chiangmai.go.th"
    governor.save()

    first, again = _notify(governor), _notify(governor)

    assert (len(first), again) == (1, [])
    assert Notification.objects.count() == 1


def test_no_address_no_email(governor: User) -> None:
    [notification] = _notify(governor)

    assert notification_email_send(notification_id=notification.pk) is False
    assert mail.outbox == []
    assert Notification.objects.get().emailed_at is None


def test_a_failed_send_releases_the_claim(governor: User, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    governor.email = "governor@chiangmai.go.th"
    governor.save()
    [notification] = _notify(governor)

    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError("connection refused")

    monkeypatch.setattr("khamrap.notifications.tasks.send_mail", refuse)
    with pytest.raises(OSError):
        notification_email_send(notification_id=notification.pk)

    assert Notification.objects.get().emailed_at is None
