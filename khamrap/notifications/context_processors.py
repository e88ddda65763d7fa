"""The unread count in every page's header."""

from django.http import HttpRequest

from khamrap.accounts.models import User
from khamrap.notifications.selectors import unread_count


def unread_notifications(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)  # none when a request is refused before the middleware ran
    if user is None or not user.is_authenticated or not isinstance(user, User):
        return {}
    return {"unread_notifications": unread_count(recipient=user)}
