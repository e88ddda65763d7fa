"""The "data disk" on the web: download the workbook, upload it back, and the administrator's bulk import.

Who: the workbook is downloaded by the organisation's officers and OPDC; uploaded only by the
organisation's own officers; the bulk import is the administrator's. Anyone else gets 403, an unknown
year or organisation 404.
"""

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from khamrap.accounts.access import (
    DOWNLOAD_WORKBOOK,
    EDIT_PLAN,
    MANAGE_SUBMISSIONS,
    AuthenticatedRequest,
    can_download_workbook,
    can_edit_plan,
    can_manage_submissions,
    require,
)
from khamrap.core.errors import DomainError, stored_in_language
from khamrap.frameworks.selectors import fiscal_year_get
from khamrap.plans.editing import plan_get_or_create
from khamrap.plans.lookup import PlanPage, plan_page
from khamrap.plans.models import BulkImport, BulkImportStatus, WorkbookUpload
from khamrap.plans.schema import field_labels
from khamrap.plans.selectors import plan_or_blank
from khamrap.workbook.bulk import (
    bulk_imports_recent,
    line_status_label,
    problem_text,
    workbook_uploads_recent,
)
from khamrap.workbook.guard import XLSX_CONTENT_TYPE
from khamrap.workbook.importer import WorkbookImporter, workbook_upload_confirm, workbook_upload_undo
from khamrap.workbook.tasks import bulk_import_create, bulk_import_from_files
from khamrap.workbook.writer import workbook_export, workbook_filename


class WorkbookForm(forms.Form):
    workbook = forms.FileField(
        label="ไฟล์แบบฟอร์ม Excel (.xlsx)",
        error_messages={"required": "กรุณาเลือกไฟล์", "empty": "ไฟล์ว่างเปล่า", "invalid": "ไม่พบไฟล์ที่ส่งมา"},
    )


class BulkImportForm(forms.Form):
    archive = forms.FileField(
        required=False,
        label="ไฟล์ zip ที่รวมแบบฟอร์ม Excel (.xlsx) ไว้",
        error_messages={"required": "กรุณาเลือกไฟล์", "empty": "ไฟล์ว่างเปล่า", "invalid": "ไม่พบไฟล์ที่ส่งมา"},
    )
    dry_run = forms.BooleanField(label="ตรวจอย่างเดียว ยังไม่บันทึก", required=False)


@login_required
@require_GET
def plan_workbook(request: AuthenticatedRequest, year: int, org: str) -> HttpResponse:
    page = plan_page(request.user, year, org, allowed=can_download_workbook, refusal=DOWNLOAD_WORKBOOK)
    fiscal_year, organisation = page.fiscal_year, page.organisation
    content = workbook_export(plan=page.plan)
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    name = workbook_filename(fiscal_year=fiscal_year.year, org_code=organisation.code)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def plan_workbook_upload(request: AuthenticatedRequest, year: int, org: str) -> HttpResponse:
    user = request.user
    page = plan_page(user, year, org, allowed=can_edit_plan, refusal=EDIT_PLAN)
    fiscal_year, organisation = page.fiscal_year, page.organisation
    form = WorkbookForm(request.POST, request.FILES) if request.method == "POST" else WorkbookForm()
    upload = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            sent = form.cleaned_data["workbook"]
            # Never more than the limit in memory: a larger file is refused by its size alone.
            data = sent.read(settings.KHAMRAP_MAX_WORKBOOK_BYTES + 1)
            # The plan is stored now, refused or not, so its page lists every file it was sent.
            plan = plan_get_or_create(fiscal_year=fiscal_year, organisation=organisation)
            importer = WorkbookImporter(
                plan=plan, data=data, filename=sent.name or "workbook.xlsx", actor=user
            )
            upload = importer.preview()  # nothing is written before the officer confirms
        else:
            status = 400
    return _upload_page(request, page, form=form, upload=upload, status=status)


def _upload_page(
    request: AuthenticatedRequest,
    page: PlanPage,
    *,
    form: forms.Form | None = None,
    upload: WorkbookUpload | None = None,
    status: int = 200,
    error: str = "",
) -> HttpResponse:
    fiscal_year, organisation = page.fiscal_year, page.organisation
    plan_now = plan_or_blank(fiscal_year=fiscal_year, organisation=organisation)
    recent = workbook_uploads_recent(fiscal_year=fiscal_year, organisation=organisation)
    last_import = next((u for u in recent if u.is_accepted), None)
    context = {
        "fiscal_year": fiscal_year,
        "organisation": organisation,
        "plan": plan_now,
        "form": form or WorkbookForm(),
        "upload": upload,
        "error": error,
        "undoable": last_import
        if last_import
        and last_import.tree_before is not None
        and not last_import.undone_at
        and last_import.summary.get("revision_after") == plan_now.revision
        else None,
        "recent": recent,
        "labels": field_labels(get_language()),
        "max_megabytes": settings.KHAMRAP_MAX_WORKBOOK_BYTES // (1024 * 1024),
    }
    return render(request, "workbook/upload.html", context, status=status)


def _upload_of(page: PlanPage, pk: int) -> WorkbookUpload:
    # Looked up within the organisation's plan of the year: another organisation's upload is simply not found.
    if page.plan.pk is None:
        raise Http404("ไม่พบไฟล์ที่อัปโหลด")
    return get_object_or_404(WorkbookUpload.objects.select_related("plan"), pk=pk, plan_id=page.plan.pk)


@login_required
@require_POST
def plan_workbook_confirm(request: AuthenticatedRequest, year: int, org: str, pk: int) -> HttpResponse:
    """The officer has looked at the changes a pending upload makes and imports it."""
    page = plan_page(request.user, year, org, allowed=can_edit_plan, refusal=EDIT_PLAN)
    upload = _upload_of(page, pk)
    try:
        upload = workbook_upload_confirm(
            upload=upload, actor=request.user, replace_newer=request.POST.get("replace_newer") == "1"
        )
    except DomainError as error:
        upload.refresh_from_db()
        return _upload_page(request, page, upload=upload, status=409, error=error.message(get_language()))
    return _upload_page(request, page, upload=upload)


@login_required
@require_POST
def plan_workbook_undo(request: AuthenticatedRequest, year: int, org: str, pk: int) -> HttpResponse:
    """Put the plan back as it was before the last import."""
    page = plan_page(request.user, year, org, allowed=can_edit_plan, refusal=EDIT_PLAN)
    upload = _upload_of(page, pk)
    try:
        workbook_upload_undo(upload=upload, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message(get_language()))
    else:
        messages.success(request, _("ย้อนการนำเข้าไฟล์ %(name)s แล้ว") % {"name": upload.original_name})
    return redirect("plan-workbook-upload", year=year, org=org)


@login_required
@require_http_methods(["GET", "POST"])
def bulk_import(request: AuthenticatedRequest, year: int) -> HttpResponse:
    user = request.user
    require(can_manage_submissions(user), MANAGE_SUBMISSIONS)
    fiscal_year = fiscal_year_get(year=year)
    form = BulkImportForm(request.POST, request.FILES) if request.method == "POST" else BulkImportForm()
    status = 200
    if request.method == "POST":
        folder = request.FILES.getlist("folder")
        if form.is_valid() and not (form.cleaned_data["archive"] or folder):
            form.add_error("archive", "กรุณาเลือกไฟล์ zip หรือโฟลเดอร์ที่มีแบบฟอร์ม")
        if form.is_valid():
            sent = form.cleaned_data["archive"]
            dry_run = form.cleaned_data["dry_run"]
            try:
                if sent:
                    bulk = bulk_import_create(
                        fiscal_year=fiscal_year,
                        archive=sent,
                        original_name=sent.name or "bulk.zip",
                        actor=user,
                        dry_run=dry_run,
                    )
                else:
                    bulk = bulk_import_from_files(
                        fiscal_year=fiscal_year, files=folder, actor=user, dry_run=dry_run
                    )
            except DomainError as error:
                form.add_error("archive", error.message(get_language()))
            else:
                return redirect("bulk-import-detail", fiscal_year.year, bulk.pk)
        status = 400
    context = {
        "fiscal_year": fiscal_year,
        "form": form,
        "imports": bulk_imports_recent(fiscal_year=fiscal_year),
        "max_megabytes": settings.KHAMRAP_MAX_BULK_UPLOAD_BYTES // (1024 * 1024),
    }
    return render(request, "workbook/bulk.html", context, status=status)


@login_required
@require_GET
def bulk_import_detail(request: AuthenticatedRequest, year: int, pk: int) -> HttpResponse:
    """The import's progress; htmx asks for the progress part again every second until it is done."""
    require(can_manage_submissions(request.user), MANAGE_SUBMISSIONS)
    bulk = get_object_or_404(
        BulkImport.objects.select_related("fiscal_year", "created_by"), pk=pk, fiscal_year__year=year
    )
    context = {
        "fiscal_year": bulk.fiscal_year,
        "bulk": bulk,
        "running": bulk.status in {BulkImportStatus.QUEUED, BulkImportStatus.RUNNING},
        "percent": (100 * bulk.processed // bulk.total) if bulk.total else 0,
        "lines": [_shown_line(line, get_language()) for line in bulk.results],
    }
    template = "workbook/bulk_progress.html" if request.htmx else "workbook/bulk_detail.html"
    return render(request, template, context)


def _shown_line(line: dict[str, Any], language: str | None) -> dict[str, Any]:
    """A bulk import's line as the page shows it: its outcome and problems in the page's language."""
    return {
        **line,
        "status_label": line_status_label(line["status"]),
        "message": stored_in_language(line, language),
        "problem_texts": [problem_text(p, language) for p in line["problems"]],
    }
