"""What every page's layout needs: the current year and what the user may reach from the navigation."""

from django.conf import settings
from django.http import HttpRequest

from khamrap.accounts.access import (
    can_manage_submissions,
    can_read_reviews,
    can_track_submissions,
    can_use_admin_screens,
    can_use_library,
    own_plan_organisation,
)
from khamrap.accounts.models import User
from khamrap.frameworks.selectors import fiscal_year_current


def current_year(request: HttpRequest) -> dict[str, object]:
    # No user yet when a request is refused before the middleware ran (a foreign Host header: the 400 page).
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not isinstance(user, User):
        return {}
    return {
        "current_year": fiscal_year_current(),
        "own_plan_organisation": own_plan_organisation(user),
        "can": {
            "track": can_track_submissions(user),
            "manage": can_manage_submissions(user),
            "admin_screens": can_use_admin_screens(user),
            "library": can_use_library(user),
            "review": can_read_reviews(user),
        },
    }


def deployment(request: HttpRequest) -> dict[str, object]:
    """The demo says so on every page: its logins and password are published."""
    return {"demo_mode": settings.KHAMRAP_ENV == "demo"}
