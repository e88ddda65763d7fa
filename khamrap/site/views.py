from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
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
