"""Thai first (the language cookie), the headers every page carries, upload limits and the session's lifetime."""

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from khamrap.core.uploads import body_too_large, upload_limit, upload_refusal, upload_refused


class ThaiFirstLocaleMiddleware:
    """Unlike Django's LocaleMiddleware, the browser's Accept-Language is ignored: Thai is the default."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.languages = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in self.languages else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response


class PermissionsPolicyMiddleware:
    """No page needs the camera, microphone, location, sensors, payment or USB: the browser refuses them all."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.KHAMRAP_PERMISSIONS_POLICY)
        return response


class UploadLimitMiddleware:
    """Refuses a body over its page's limit with a Thai page (413) before CSRF or the view reads any of it.

    A multipart body is parsed here, through :class:`khamrap.core.uploads.UploadLimitHandler`, so a file that
    grows past the limit while arriving is refused the same way.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., HttpResponse], args: object, kwargs: object
    ) -> HttpResponse | None:
        limit = upload_limit(request)
        if body_too_large(request, limit=limit):
            return upload_refusal(request, limit=limit)
        if request.method == "POST" and request.content_type == "multipart/form-data":
            request.POST  # noqa: B018 - parse now, under the limit
            if upload_refused(request):
                return upload_refusal(request, limit=limit)
        return None


SIGNED_IN_AT = "khamrap_signed_in_at"


class SessionLifetimeMiddleware:
    """Ends a session ``KHAMRAP_SESSION_MAX_AGE`` seconds after sign-in however busy it is.

    The idle limit is the session cookie's own age, renewed on every request (``SESSION_SAVE_EVERY_REQUEST``).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            signed_in_at = int(request.session.setdefault(SIGNED_IN_AT, now))
            if now - signed_in_at > settings.KHAMRAP_SESSION_MAX_AGE:
                logout(request)
                messages.info(request, _("ครบเวลาการใช้งานต่อครั้งแล้ว กรุณาเข้าสู่ระบบอีกครั้ง"))
                return redirect_to_login(request.get_full_path())
        return self.get_response(request)
