"""A plan's whole history: the page (filtered, 50 events a page) and its Excel export with the same filters.

Who: whoever sees the plan (:func:`~khamrap.plans.lookup.plan_page`): the organisation's own people and
OPDC; anyone else gets 403. A filter with an unknown value is a 400 that says which one.
"""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from khamrap.accounts.access import AuthenticatedRequest
from khamrap.core.errors import DomainError
from khamrap.plans.history import (
    PAGE_SIZE,
    SCAN_LIMIT,
    HistoryFilters,
    event_changes,
    history_actors,
    history_filters,
    plan_history,
)
from khamrap.plans.history_export import history_workbook
from khamrap.plans.lookup import plan_page
from khamrap.plans.models import Channel, PlanEvent, PlanEventKind

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
@require_GET
def plan_history_page(request: AuthenticatedRequest, year: int, org: str) -> HttpResponse:
    page = plan_page(request.user, year, org)
    actors = history_actors(plan=page.plan)
    status = 200
    error = ""
    try:
        filters = history_filters(request.GET, actors=actors)
    except DomainError as refused:
        filters, error, status = HistoryFilters(), refused.message(get_language()), 400
    events = plan_history(plan=page.plan, **vars(filters)) if not error else PlanEvent.objects.none()
    shown = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    language = get_language()
    context = {
        "fiscal_year": page.fiscal_year,
        "organisation": page.organisation,
        "plan": page.plan,
        "filters": filters,
        "error": error,
        "query": filters.as_query(),
        "page_obj": shown,
        "rows": [(event, event_changes(event, language=language)) for event in shown],
        "actors": actors,
        "kinds": PlanEventKind.choices,
        "channels": Channel.choices,
        "scan_limit": SCAN_LIMIT,
    }
    return render(request, "plans/plan_history.html", context, status=status)


@login_required
@require_GET
def plan_history_export(request: AuthenticatedRequest, year: int, org: str) -> HttpResponse:
    page = plan_page(request.user, year, org)
    try:
        filters = history_filters(request.GET, actors=history_actors(plan=page.plan))
    except DomainError as refused:
        return HttpResponseBadRequest(
            refused.message(get_language()), content_type="text/plain; charset=utf-8"
        )
    content = history_workbook(
        fiscal_year=page.fiscal_year,
        organisation=page.organisation,
        events=plan_history(plan=page.plan, **vars(filters)),
    )
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    name = f"plan-history-{page.fiscal_year.year}-{page.organisation.code}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    # Unpublished work of one organisation: never kept by a shared cache or sniffed into another type.
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
