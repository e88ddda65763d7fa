"""The email of each notification, on the task queue (django-tasks, run by ``khamrap db_worker``)."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from khamrap.notifications.models import Notification

logger = logging.getLogger(__name__)


@task()
def notification_email_run(notification_ids: list[int]) -> None:
    """Email each notification (see :func:`notification_email_send`); one that fails does not stop the
    others, and the task fails at the end so the failure is seen (its claim released for a later run)."""
    failed = []
    for notification_id in notification_ids:
        try:
            notification_email_send(notification_id=notification_id)
        except Exception:  # logged by notification_email_send; the rest are still sent
            failed.append(notification_id)
    if failed:
        raise RuntimeError(f"emails of notifications {failed} failed")


def email_text(notification: Notification) -> tuple[str, str]:
    """The subject and body of the email: Thai first, English below."""
    link = f"{settings.KHAMRAP_SITE_URL.rstrip('/')}{notification.url}" if notification.url else ""
    parts = [notification.body_th, link, "—", notification.subject_en, notification.body_en, link]
    return f"[คำรับรอง] {notification.subject_th}", "\n\n".join(p for p in parts if p)


def notification_email_send(*, notification_id: int) -> bool:
    """Send one notification's email, once: it is claimed with a conditional update, so a task run twice
    sends nothing twice. If sending fails the claim is released, for the next run to try again."""
    now = timezone.now()
    claimed = Notification.objects.filter(
        ~Q(recipient__email=""), pk=notification_id, emailed_at__isnull=True
    ).update(emailed_at=now)
    if not claimed:
        return False
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    subject, body = email_text(notification)
    try:
        send_mail(subject, body, None, [notification.recipient.email])
    except Exception:
        logger.exception("email of notification %s failed", notification_id)
        Notification.objects.filter(pk=notification_id, emailed_at=now).update(emailed_at=None)
        raise
    return True
