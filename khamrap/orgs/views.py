from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from khamrap.frameworks.selectors import fiscal_year_get
from khamrap.orgs.selectors import clusters_on, provinces_on


@login_required
def organisation_list(request: HttpRequest, year: int) -> HttpResponse:
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
