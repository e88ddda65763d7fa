from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from khamrap.accounts.access import AuthenticatedRequest, can_track_submissions, own_plan_organisation
from khamrap.frameworks.selectors import fiscal_year_current


@login_required
def home(request: AuthenticatedRequest) -> HttpResponse:
    fiscal_year = fiscal_year_current()
    if fiscal_year is None:
        return render(request, "site/empty.html")
    user = request.user
    own = own_plan_organisation(user)
    if own is not None:
        return redirect("plan-detail", fiscal_year.year, own.code)
    if can_track_submissions(user):
        return redirect("tracking", fiscal_year.year)
    return redirect("fiscal-year", fiscal_year.year)


def login_locked_out(
    request: HttpRequest, response: HttpResponse | None = None, credentials: dict[str, Any] | None = None
) -> HttpResponse:
    """django-axes' answer once a username is locked out from an address: the login page saying why (429)."""
    username = str((credentials or {}).get("username") or request.POST.get("username", ""))
    context = {
        "form": AuthenticationForm(request, initial={"username": username}),
        "next": request.POST.get("next", request.GET.get("next", "")),
        "locked_out_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }
    return render(request, "registration/login.html", context, status=429)
