from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """Notifications: an inbox per user and an email for each, sent once on the task queue."""

    name = "khamrap.notifications"
    label = "notifications"
