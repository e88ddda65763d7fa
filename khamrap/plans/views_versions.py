"""Two versions of a plan side by side (the page and its Excel export): ``?a=<version>&b=<version>``, where a
version is a submitted version's number or ``draft`` (the plan as it is now); by default the last two
submitted versions.

Who: whoever sees the plan (:func:`~khamrap.plans.lookup.plan_page`); anyone else gets 403. A version the
plan does not have is a 400 that says which.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from khamrap.accounts.access import AuthenticatedRequest
from khamrap.core.errors import DomainError
from khamrap.plans.lookup import PlanPage, plan_page
from khamrap.plans.versions import Comparison, default_pair, plan_compare, plan_versions, version_pick
from khamrap.plans.versions_export import comparison_workbook
from khamrap.plans.views_history import XLSX_CONTENT_TYPE


def _comparison(request: AuthenticatedRequest, page: PlanPage, *, limit: int | None) -> Comparison:
    versions = plan_versions(plan=page.plan)
    first, second = default_pair(versions)
    a = version_pick(versions, request.GET.get("a"), first)
    b = version_pick(versions, request.GET.get("b"), second)
    return plan_compare(plan=page.plan, a=a, b=b, language=get_language(), limit=limit)


@login_required
@require_GET
def plan_versions_page(request: AuthenticatedRequest, year: int, org: str) -> HttpResponse:
    page = plan_page(request.user, year, org)
    versions = plan_versions(plan=page.plan)
    context = {
        "fiscal_year": page.fiscal_year,
        "organisation": page.organisation,
        "plan": page.plan,
        "versions": versions,
        "submitted": [v for v in versions if not v.is_draft],
    }
    try:
        comparison = _comparison(request, page, limit=None)
    except DomainError as refused:
        context["error"] = refused.message(get_language())
        return render(request, "plans/plan_versions.html", context, status=400)
    context["comparison"] = comparison
    context["query"] = f"a={comparison.a.key}&b={comparison.b.key}"
    return render(request, "plans/plan_versions.html", context)


@login_required
@require_GET
def plan_versions_export(request: AuthenticatedRequest, year: int, org: str) -> HttpResponse:
    page = plan_page(request.user, year, org)
    try:
        comparison = _comparison(request, page, limit=None)
    except DomainError as refused:
        return HttpResponseBadRequest(
            refused.message(get_language()), content_type="text/plain; charset=utf-8"
        )
    content = comparison_workbook(
        fiscal_year=page.fiscal_year, organisation=page.organisation, comparison=comparison
    )
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    name = f"plan-versions-{page.fiscal_year.year}-{page.organisation.code}-{comparison.a.key}-{comparison.b.key}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
