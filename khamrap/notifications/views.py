"""The inbox: a user's notifications, paged; opening one marks it read. Views stay thin."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.views.decorators.http import require_GET, require_POST

from khamrap.accounts.access import AuthenticatedRequest
from khamrap.notifications.selectors import inbox as inbox_of
from khamrap.notifications.selectors import notification_of
from khamrap.notifications.services import notification_mark_read, notifications_mark_all_read

PAGE_SIZE = 20


@login_required
@require_GET
def inbox(request: AuthenticatedRequest) -> HttpResponse:
    page = Paginator(inbox_of(recipient=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    language = get_language()
    rows = [(n, n.subject(language), n.body(language)) for n in page]
    return render(request, "notifications/inbox.html", {"page_obj": page, "rows": rows})


@login_required
@require_POST
def notification_read(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Mark the notification read, then follow its link (or back to the inbox)."""
    notification = notification_of(recipient=request.user, pk=pk)
    if notification is None:
        raise Http404
    notification_mark_read(notification=notification)
    if request.POST.get("open") == "1" and url_has_allowed_host_and_scheme(
        notification.url, allowed_hosts=None
    ):
        return redirect(notification.url or "inbox")
    return redirect("inbox")


@login_required
@require_POST
def notifications_read_all(request: AuthenticatedRequest) -> HttpResponse:
    notifications_mark_all_read(recipient=request.user)
    return redirect("inbox")
