from django.conf import settings
from django.http import HttpRequest

from khamrap.frameworks.selectors import fiscal_year_current


def current_year(request: HttpRequest) -> dict[str, object]:
    # No user yet when a request is refused before the middleware ran (a foreign Host header: the 400 page).
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"current_year": fiscal_year_current()}


def deployment(request: HttpRequest) -> dict[str, object]:
    """The demo says so on every page: its logins and password are published."""
    return {"demo_mode": settings.KHAMRAP_ENV == "demo"}
