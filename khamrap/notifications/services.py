"""Writes of notifications: :func:`notify` (called by the plan and tracking services inside their
transactions), the email on the task queue, and marking read."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from khamrap.accounts.models import Role, User
from khamrap.notifications.models import Notification, NotificationKind
from khamrap.notifications.tasks import notification_email_run
from khamrap.orgs.models import Organisation

OFFICER_ROLES = (Role.PROVINCE_OFFICER, Role.CLUSTER_OFFICER)


@dataclass(frozen=True)
class Message:
    """What a notification says, in Thai and English, and where it leads."""

    subject_th: str
    subject_en: str
    body_th: str = ""
    body_en: str = ""
    url: str = ""


def officers_of(organisations: Iterable[Organisation]) -> list[User]:
    """The active province and cluster officers of these organisations."""
    return list(
        User.objects.filter(organisation__in=list(organisations), role__in=OFFICER_ROLES, is_active=True)
        .select_related("organisation")
        .order_by("pk")
    )


def executives_of(organisation: Organisation) -> list[User]:
    """The organisation's governor (or executive): who approves its plan."""
    return list(
        User.objects.filter(organisation=organisation, role=Role.EXECUTIVE, is_active=True).order_by("pk")
    )


def analysts_of(organisation: Organisation) -> list[User]:
    """The active analysts assigned to review the organisation's plan."""
    return list(
        User.objects.filter(assigned_organisations=organisation, role=Role.ANALYST, is_active=True).order_by(
            "pk"
        )
    )


def notify(
    *, recipients: Iterable[User], kind: NotificationKind, key: str, message: Message
) -> list[Notification]:
    """One notification per recipient that has none under ``key`` yet; their emails are queued once the
    caller's transaction commits. Returns the notifications created (none when all existed)."""
    created = []
    with transaction.atomic():
        for recipient in recipients:
            notification, is_new = Notification.objects.get_or_create(
                recipient=recipient,
                key=key,
                defaults={
                    "kind": kind,
                    "subject_th": message.subject_th[:200],
                    "subject_en": message.subject_en[:200],
                    "body_th": message.body_th,
                    "body_en": message.body_en,
                    "url": message.url,
                },
            )
            if is_new:
                created.append(notification)
        ids = [n.pk for n in created if n.recipient.email]
        if ids:
            transaction.on_commit(lambda: notification_email_run.enqueue(ids))
    return created


def notification_mark_read(*, notification: Notification) -> None:
    Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=timezone.now())


def notifications_mark_all_read(*, recipient: User) -> int:
    return Notification.objects.filter(recipient=recipient, read_at__isnull=True).update(
        read_at=timezone.now()
    )
