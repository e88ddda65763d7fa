"""OPDC's tracking page: every organisation's submission, the window and extensions. Views stay thin."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from khamrap.accounts.access import (
    MANAGE_SUBMISSIONS,
    TRACK_SUBMISSIONS,
    AuthenticatedRequest,
    can_manage_submissions,
    can_track_submissions,
    require,
    visible_organisations,
)
from khamrap.core.errors import DomainError, in_language
from khamrap.core.templatetags.thai import thai_date
from khamrap.frameworks.models import FiscalYear
from khamrap.frameworks.selectors import fiscal_year_get
from khamrap.orgs.models import OrganisationKind
from khamrap.orgs.selectors import clusters_on, participating_organisations
from khamrap.plans.lookup import plan_organisation
from khamrap.thai.dates import ThaiDateError, parse_be_date
from khamrap.tracking.export import tracking_workbook
from khamrap.tracking.selectors import TrackingStatus, organisations_matching, tracking_counts, tracking_rows
from khamrap.tracking.services import extension_grant, submission_window_set


def _tracking_filter(
    request: AuthenticatedRequest, fiscal_year: FiscalYear
) -> tuple[list[Any], dict[str, Any]]:
    require(can_track_submissions(request.user), TRACK_SUBMISSIONS)
    organisations = visible_organisations(
        request.user, participating_organisations(on=fiscal_year.structure_on)
    )
    cluster_code = request.GET.get("cluster", "")
    clusters = clusters_on(on=fiscal_year.structure_on)
    if cluster_code:
        chosen = next((c for c in clusters if c.cluster.code == cluster_code), None)
        if chosen is None:
            raise DomainError("ไม่พบกลุ่มจังหวัดที่เลือก", "Unknown cluster")
        organisations = organisations.filter(pk__in=[chosen.cluster.pk, *(p.pk for p in chosen.provinces)])
    search = request.GET.get("q", "")[:100]
    organisations = organisations_matching(organisations, search)
    rows = tracking_rows(fiscal_year=fiscal_year, organisations=organisations)
    counts = tracking_counts(rows)
    status = request.GET.get("status", "")
    if status in TrackingStatus.LABELS:
        rows = [r for r in rows if r.status == status]
    kind = request.GET.get("kind", "")
    if kind in {OrganisationKind.PROVINCE, OrganisationKind.CLUSTER}:
        rows = [r for r in rows if r.organisation.kind == kind]
    return rows, {
        "clusters": clusters,
        "cluster": cluster_code,
        "search": search,
        "status": status,
        "kind": kind,
        "counts": counts,
    }


@login_required
@require_GET
def tracking(request: AuthenticatedRequest, year: int) -> HttpResponse:
    fiscal_year = fiscal_year_get(year=year)
    try:
        rows, filters = _tracking_filter(request, fiscal_year)
    except DomainError as error:
        messages.error(request, error.message(get_language()))
        return redirect("tracking", year)
    today = timezone.localdate()
    return render(
        request,
        "tracking/tracking.html",
        {
            "fiscal_year": fiscal_year,
            "rows": rows,
            "status_labels": [
                (key, TrackingStatus.LABELS[key], filters["counts"][key]) for key in TrackingStatus.ORDER
            ],
            "days_left": (fiscal_year.submission_deadline - today).days,
            "total": sum(filters["counts"].values()),
            "query": request.GET.urlencode(),
            **filters,
        },
    )


@login_required
@require_GET
def tracking_export(request: AuthenticatedRequest, year: int) -> HttpResponse:
    fiscal_year = fiscal_year_get(year=year)
    try:
        rows, _ = _tracking_filter(request, fiscal_year)
    except DomainError as error:
        return HttpResponseBadRequest(error.message(get_language()))
    response = HttpResponse(
        tracking_workbook(fiscal_year=fiscal_year, rows=rows),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="khamrap-tracking-{year}.xlsx"'
    return response


@login_required
@require_POST
def submission_window_update(request: AuthenticatedRequest, year: int) -> HttpResponse:
    fiscal_year = fiscal_year_get(year=year)
    require(can_manage_submissions(request.user), MANAGE_SUBMISSIONS)
    is_open = request.POST.get("open") == "1"
    try:
        submission_window_set(
            fiscal_year=fiscal_year,
            is_open=is_open,
            actor=request.user,
            confirmed=request.POST.get("confirm") == "1",
        )
    except DomainError as error:
        messages.error(request, error.message(get_language()))
        return redirect("tracking", year)
    messages.success(request, _("เปิดรับแบบฟอร์มแล้ว") if is_open else _("ปิดรับแบบฟอร์มแล้ว"))
    return redirect("tracking", year)


@login_required
@require_POST
def extension_create(request: AuthenticatedRequest, year: int) -> HttpResponse:
    fiscal_year = fiscal_year_get(year=year)
    require(can_manage_submissions(request.user), MANAGE_SUBMISSIONS)
    organisation = plan_organisation(request.POST.get("organisation", ""))
    try:
        until = parse_be_date(request.POST.get("until", "")[:100])
    except ThaiDateError as error:
        messages.error(request, in_language(error.message_th, error.message_en, get_language()))
        return redirect("tracking", year)
    try:
        extension_grant(
            fiscal_year=fiscal_year,
            organisation=organisation,
            until=until,
            reason=request.POST.get("reason", "")[:300],
            actor=request.user,
            confirm_submitted=request.POST.get("confirm_submitted") == "1",
        )
    except DomainError as error:
        messages.error(request, error.message(get_language()))
    else:
        language = get_language()
        name = in_language(organisation.name_th, organisation.name_en or organisation.name_th, language)
        messages.success(
            request, _("ขยายเวลาให้%(name)sถึง %(until)s แล้ว") % {"name": name, "until": thai_date(until)}
        )
    return redirect("tracking", year)
