from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from khamrap.accounts.access import AuthenticatedRequest
from khamrap.frameworks.selectors import fiscal_year_get, framework_summary, frameworks_of_year
from khamrap.orgs.selectors import clusters_on, provinces_on


@login_required
def fiscal_year_detail(request: AuthenticatedRequest, year: int) -> HttpResponse:
    fiscal_year = fiscal_year_get(year=year)
    rounds = list(fiscal_year.report_rounds.all())
    return render(request, "frameworks/fiscal_year.html", {"fiscal_year": fiscal_year, "rounds": rounds})


@login_required
def framework_list(request: AuthenticatedRequest, year: int) -> HttpResponse:
    fiscal_year = fiscal_year_get(year=year)
    summaries = [framework_summary(f) for f in frameworks_of_year(fiscal_year=fiscal_year)]
    return render(request, "frameworks/frameworks.html", {"fiscal_year": fiscal_year, "summaries": summaries})


@login_required
def organisation_list(request: AuthenticatedRequest, year: int) -> HttpResponse:
    fiscal_year = fiscal_year_get(year=year)
    clusters = clusters_on(on=fiscal_year.structure_on)
    provinces = list(provinces_on(on=fiscal_year.structure_on))
    in_cluster = {p.pk for c in clusters for p in c.provinces}
    return render(
        request,
        "orgs/organisations.html",
        {
            "fiscal_year": fiscal_year,
            "clusters": clusters,
            "province_count": len(provinces),
            "unclustered": [p for p in provinces if p.pk not in in_cluster],
        },
    )
