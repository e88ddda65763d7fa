from django.http import HttpRequest

from khamrap.frameworks.selectors import fiscal_year_current


def current_year(request: HttpRequest) -> dict[str, object]:
    if not request.user.is_authenticated:
        return {}
    return {"current_year": fiscal_year_current()}
