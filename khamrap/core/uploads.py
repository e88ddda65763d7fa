"""Request bodies capped while they stream in: an upload over its page's limit is cut off before it reaches disk.

Each upload page has its own limit (``KHAMRAP_UPLOAD_LIMITS`` names the setting per URL name); every other URL
takes the largest. A body declaring more than the limit is refused by :class:`UploadLimitMiddleware` before
anything reads it; a body whose files grow past the limit while arriving is stopped by
:class:`UploadLimitHandler`, which runs before Django's handlers keep any of it in memory or on disk.
"""

from typing import Any

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve

# Room for the form's other fields and the multipart headers on top of the files themselves.
FORM_ALLOWANCE_BYTES = 1024 * 1024
_REFUSED = "_khamrap_upload_refused"


def upload_limit(request: HttpRequest) -> int:
    """The most file bytes one request to this URL may carry: its page's own limit, else the largest of all."""
    limits = {
        name: int(getattr(settings, setting)) for name, setting in settings.KHAMRAP_UPLOAD_LIMITS.items()
    }
    match = request.resolver_match
    if match is None:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            match = None
    own = limits.get(match.view_name) if match is not None else None
    return own if own is not None else max(limits.values())


def declared_length(request: HttpRequest) -> int:
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0  # Django reads nothing of a body whose length it cannot read


def body_too_large(request: HttpRequest, *, limit: int) -> bool:
    return declared_length(request) > limit + FORM_ALLOWANCE_BYTES


def upload_refused(request: HttpRequest) -> bool:
    return bool(getattr(request, _REFUSED, False))


def upload_refusal(request: HttpRequest, *, limit: int) -> HttpResponse:
    """The Thai page (413) for a body over the limit; nothing of the request was kept."""
    context = {"max_megabytes": f"{limit / 1024 / 1024:,.0f}", "back": request.path}
    return render(request, "413.html", context, status=413)


class UploadLimitHandler(FileUploadHandler):
    """First of ``FILE_UPLOAD_HANDLERS``: counts each file's bytes as they arrive and stops past the limit."""

    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.limit = upload_limit(request) if request is not None else 0
        self.declared = 0
        self.received = 0

    def handle_raw_input(
        self,
        input_data: Any,
        META: dict[str, str],
        content_length: int,
        boundary: str,
        encoding: str | None = None,
    ) -> None:
        self.declared = content_length
        return None  # the parsing itself stays Django's

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        if self.request is not None and self.declared > self.limit + FORM_ALLOWANCE_BYTES:
            self._refuse()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.request is not None and self.received > self.limit:
            self._refuse()
        return raw_data  # passed on to the handler that keeps it

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler makes the file

    def _refuse(self) -> None:
        setattr(self.request, _REFUSED, True)
        # connection_reset: the parser reads no more of the body; the page is then refused as a whole.
        raise StopUpload(connection_reset=True)
