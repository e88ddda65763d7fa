"""Reads of a user's inbox."""

from django.db.models import QuerySet

from khamrap.accounts.models import User
from khamrap.notifications.models import Notification


def inbox(*, recipient: User) -> QuerySet[Notification]:
    """The user's notifications, newest first."""
    return Notification.objects.filter(recipient=recipient)


def unread_count(*, recipient: User) -> int:
    return Notification.objects.filter(recipient=recipient, read_at__isnull=True).count()


def notification_of(*, recipient: User, pk: int) -> Notification | None:
    """The user's own notification ``pk``; someone else's is not found."""
    return Notification.objects.filter(recipient=recipient, pk=pk).first()
