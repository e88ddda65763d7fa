"""Where a request comes from, for the login lockout (django-axes)."""

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """Behind the production reverse proxy, the address it appended last to X-Forwarded-For; else the peer's.

    The last entry is the one the proxy saw; earlier ones are whatever the client chose to send.
    """
    if settings.KHAMRAP_BEHIND_PROXY:
        forwarded = [part.strip() for part in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")]
        if forwarded[-1]:
            return forwarded[-1]
    return str(request.META.get("REMOTE_ADDR", ""))
