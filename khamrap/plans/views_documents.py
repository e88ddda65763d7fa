"""The plan's documents: the printable form (PDF) and the attached action plan (แผนปฏิบัติราชการ).

Who: the organisation's own people (officer, governor/executive, cluster officer) and OPDC read; only the
organisation's officers attach and remove files. Anyone else gets 403, a missing year or organisation 404.
"""

from typing import TypeVar

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from khamrap.accounts.access import EDIT_PLAN, AuthenticatedRequest, can_edit_plan, require
from khamrap.core.errors import DomainError
from khamrap.documents.attachments import content_disposition, download_name, kind_for_content_type
from khamrap.frameworks.models import FiscalYear
from khamrap.orgs.models import Organisation
from khamrap.plans.attachments import attachment_delete, attachment_list, attachment_upload
from khamrap.plans.lookup import plan_page
from khamrap.plans.models import PlanAttachment
from khamrap.plans.printable import plan_form_pdf
from khamrap.plans.selectors import plan_or_blank

ACCEPT = ".pdf,.docx,.xlsx"
Response = TypeVar("Response", bound=HttpResponseBase)


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label="ไฟล์แผนปฏิบัติราชการ",
        error_messages={"required": "กรุณาเลือกไฟล์", "empty": "ไฟล์ว่างเปล่า", "invalid": "ไม่พบไฟล์ที่ส่งมา"},
    )


def _private(response: Response) -> Response:
    # Unpublished work of one organisation: never kept by a shared cache or sniffed into another type.
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
def plan_pdf(request: AuthenticatedRequest, year: int, org: str) -> HttpResponse:
    page = plan_page(request.user, year, org)
    fiscal_year, organisation, plan = page.fiscal_year, page.organisation, page.plan
    if plan.pk is None:
        raise Http404("ยังไม่มีแบบฟอร์มเจรจาของหน่วยงานนี้ในปีงบประมาณนี้")
    response = HttpResponse(plan_form_pdf(plan=plan), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(
        f"negotiation-form-{fiscal_year.year}-{organisation.code}.pdf", inline=True
    )
    return _private(response)


@login_required
@require_http_methods(["GET", "POST"])
def plan_attachments(request: AuthenticatedRequest, year: int, org: str) -> HttpResponse:
    user = request.user
    page = plan_page(user, year, org)
    fiscal_year, organisation = page.fiscal_year, page.organisation
    may_edit = can_edit_plan(user, organisation)
    form = AttachmentForm()
    status = 200
    if request.method == "POST":
        require(may_edit, EDIT_PLAN)
        form = AttachmentForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                attachment = attachment_upload(
                    fiscal_year=fiscal_year,
                    organisation=organisation,
                    uploaded_file=form.cleaned_data["file"],
                    actor=user,
                )
            except DomainError as error:
                form.add_error("file", error.message(get_language()))
            else:
                messages.success(request, _('แนบไฟล์ "%(name)s" แล้ว') % {"name": attachment.original_name})
                return redirect("plan-attachments", year=fiscal_year.year, org=organisation.code)
        status = 400
    plan = plan_or_blank(fiscal_year=fiscal_year, organisation=organisation)  # as it is after the upload
    context = {
        "fiscal_year": fiscal_year,
        "organisation": organisation,
        "plan": plan if plan.pk else None,
        "attachments": attachment_list(plan=plan) if plan.pk else [],
        "form": form,
        "can_change": may_edit and plan.is_editable,
        "accept": ACCEPT,
        "max_megabytes": settings.KHAMRAP_MAX_ATTACHMENT_BYTES // (1024 * 1024),
    }
    return render(request, "plans/attachments.html", context, status=status)


def _attachment(fiscal_year: FiscalYear, organisation: Organisation, pk: int) -> PlanAttachment:
    # Looked up within the organisation's plan of the year: another organisation's id is simply not found.
    return get_object_or_404(
        PlanAttachment.objects.select_related("plan"),
        pk=pk,
        plan__fiscal_year=fiscal_year,
        plan__organisation=organisation,
    )


@login_required
@require_GET
def plan_attachment_download(request: AuthenticatedRequest, year: int, org: str, pk: int) -> FileResponse:
    page = plan_page(request.user, year, org)
    attachment = _attachment(page.fiscal_year, page.organisation, pk)
    kind = kind_for_content_type(attachment.content_type)
    filename = download_name(attachment.original_name, kind) if kind else attachment.original_name
    response = FileResponse(attachment.file.open("rb"), content_type=attachment.content_type)
    response["Content-Disposition"] = content_disposition(filename)
    # Should a browser still open it, it runs nothing with this site's rights.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return _private(response)


@login_required
@require_POST
def plan_attachment_delete(request: AuthenticatedRequest, year: int, org: str, pk: int) -> HttpResponse:
    user = request.user
    page = plan_page(user, year, org, allowed=can_edit_plan, refusal=EDIT_PLAN)
    fiscal_year, organisation = page.fiscal_year, page.organisation
    attachment = _attachment(fiscal_year, organisation, pk)
    name = attachment.original_name
    try:
        attachment_delete(attachment=attachment, actor=user)
    except DomainError as error:
        messages.error(request, error.message(get_language()))
    else:
        messages.success(request, _('ลบไฟล์ "%(name)s" แล้ว') % {"name": name})
    return redirect("plan-attachments", year=fiscal_year.year, org=organisation.code)
