"""The KPI library (คลังตัวชี้วัด): search and filters, a page of 20 results, its Excel export, and one KPI
with "how others measure this".

Who: OPDC staff and the people of a province or cluster (``can_use_library``; anyone else 403); what each
sees is ``selectors.library_kpis``'s. A filter that names nothing is a 400 that says which.
"""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from khamrap.accounts.access import USE_LIBRARY, AuthenticatedRequest, can_use_library, require
from khamrap.core.errors import DomainError
from khamrap.frameworks.models import FiscalYear
from khamrap.library.export import library_workbook
from khamrap.library.selectors import (
    EXPORT_LIMIT,
    PAGE_SIZE,
    LibraryFilters,
    library_filters,
    library_kpis,
    library_organisations,
    library_results,
    library_search,
    library_units,
    similar_kpis,
    with_levels,
)
from khamrap.plans.models import Kpi, KpiType
from khamrap.plans.views_history import XLSX_CONTENT_TYPE


@login_required
@require_GET
def library_page(request: AuthenticatedRequest) -> HttpResponse:
    require(can_use_library(request.user), USE_LIBRARY)
    status, error = 200, ""
    try:
        filters = library_filters(request.GET)
    except DomainError as refused:
        filters, error, status = LibraryFilters(), refused.message(get_language()), 400
    found = library_search(user=request.user, filters=filters) if not error else Kpi.objects.none()
    page = Paginator(with_levels(found), PAGE_SIZE).get_page(request.GET.get("page"))
    organisations = list(library_organisations())
    context = {
        "filters": filters,
        "error": error,
        "query": filters.as_query(),
        "page_obj": page,
        "results": library_results(user=request.user, kpis=list(page)),
        "years": FiscalYear.objects.order_by("-year").values_list("year", flat=True),
        "clusters": [o for o in organisations if o.is_cluster],
        "organisations": organisations,
        "units": library_units(user=request.user),
        "kinds": KpiType.choices,
    }
    return render(request, "library/library.html", context, status=status)


@login_required
@require_GET
def library_export(request: AuthenticatedRequest) -> HttpResponse:
    require(can_use_library(request.user), USE_LIBRARY)
    try:
        filters = library_filters(request.GET)
    except DomainError as refused:
        return HttpResponseBadRequest(
            refused.message(get_language()), content_type="text/plain; charset=utf-8"
        )
    kpis = with_levels(library_search(user=request.user, filters=filters))[:EXPORT_LIMIT]
    title = "คลังตัวชี้วัด" + (f": {filters.text}" if filters.text else "")
    response = HttpResponse(library_workbook(kpis=kpis, title=title), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="kpi-library.xlsx"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
def library_kpi(request: AuthenticatedRequest, uid: str) -> HttpResponse:
    require(can_use_library(request.user), USE_LIBRARY)
    kpi = (
        with_levels(library_kpis(user=request.user))
        .select_related("plan__fiscal_year", "plan__organisation")
        .filter(uid=uid)
        .first()
    )
    if kpi is None:
        raise Http404
    context = {
        "kpi": kpi,
        "self_result": library_results(user=request.user, kpis=[kpi])[0],
        "similar": library_results(user=request.user, kpis=similar_kpis(kpi=kpi, user=request.user)),
    }
    return render(request, "library/kpi.html", context)
