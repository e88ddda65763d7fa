from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from khamrap.frameworks.selectors import fiscal_year_current


@login_required
def home(request: HttpRequest) -> HttpResponse:
    fiscal_year = fiscal_year_current()
    if fiscal_year is None:
        return render(request, "site/empty.html")
    user = request.user
    if user.organisation_id and not user.is_opdc:  # type: ignore[union-attr]
        return redirect("plan-detail", fiscal_year.year, user.organisation.code)  # type: ignore[union-attr]
    if user.is_opdc:  # type: ignore[union-attr]
        return redirect("tracking", fiscal_year.year)
    return redirect("fiscal-year", fiscal_year.year)
