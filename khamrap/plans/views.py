from django.http import HttpRequest, HttpResponse


def tracking(request: HttpRequest, year: int) -> HttpResponse:
    return HttpResponse("")


def plan_detail(request: HttpRequest, year: int, org: str) -> HttpResponse:
    return HttpResponse("")
