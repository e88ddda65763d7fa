"""View decorators about who is signed in."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse

View = Callable[..., HttpResponse]


def signed_in(view: View) -> View:
    """``login_required`` that answers a background request (htmx) with 401 instead of the login page.

    A page's autosave must not put the whole login page into a status slot when the session has expired;
    the page sees the 401, keeps what was typed, and asks for the password in place.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            return view(request, *args, **kwargs)
        if request.headers.get("HX-Request") == "true":
            return HttpResponse(status=401, headers={"HX-Reswap": "none"})
        return redirect_to_login(request.get_full_path())

    return wrapper
