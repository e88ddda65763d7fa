"""The "data disk" on the web: download the workbook, upload it back, and the administrator's bulk import.

Who: the workbook is downloaded by the organisation's officers and OPDC; uploaded only by the
organisation's own officers; the bulk import is the administrator's. Anyone else gets 403, an unknown
year or organisation 404.
"""

from typing import cast

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from khamrap.accounts.access import can_edit_plan_of, require_admin
from khamrap.accounts.models import User
from khamrap.core.errors import DomainError
from khamrap.frameworks.models import FiscalYear
from khamrap.frameworks.selectors import fiscal_year_get
from khamrap.orgs.models import Organisation, OrganisationKind
from khamrap.plans.models import BulkImport, BulkImportStatus
from khamrap.plans.services import plan_get_or_create
from khamrap.plans.workbook import plan_or_blank, workbook_export, workbook_filename
from khamrap.plans.workbook_guard import XLSX_CONTENT_TYPE
from khamrap.plans.workbook_services import (
    bulk_import_create,
    bulk_import_from_files,
    bulk_imports_recent,
    workbook_import,
    workbook_uploads_recent,
)


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


def _target(request: HttpRequest, year: int, org: str) -> tuple[User, FiscalYear, Organisation]:
    fiscal_year = fiscal_year_get(year=year)
    organisation = get_object_or_404(
        Organisation, code=org, kind__in=[OrganisationKind.PROVINCE, OrganisationKind.CLUSTER]
    )
    return cast(User, request.user), fiscal_year, organisation


@login_required
@require_GET
def plan_workbook(request: HttpRequest, year: int, org: str) -> HttpResponse:
    user, fiscal_year, organisation = _target(request, year, org)
    if not (user.is_opdc or can_edit_plan_of(user, organisation)):
        raise PermissionDenied("เฉพาะเจ้าหน้าที่ของหน่วยงานนี้และสำนักงาน ก.พ.ร. ดาวน์โหลดแบบฟอร์มได้")
    content = workbook_export(plan=plan_or_blank(fiscal_year=fiscal_year, organisation=organisation))
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    name = workbook_filename(fiscal_year=fiscal_year.year, org_code=organisation.code)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def plan_workbook_upload(request: HttpRequest, year: int, org: str) -> HttpResponse:
    user, fiscal_year, organisation = _target(request, year, org)
    if not can_edit_plan_of(user, organisation):
        raise PermissionDenied("เฉพาะเจ้าหน้าที่ของหน่วยงานนี้นำเข้าแบบฟอร์มได้")
    form = WorkbookForm(request.POST, request.FILES) if request.method == "POST" else WorkbookForm()
    upload = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            sent = form.cleaned_data["workbook"]
            # Never more than the limit in memory: a larger file is refused by its size alone.
            data = sent.read(settings.KHAMRAP_MAX_WORKBOOK_BYTES + 1)
            plan = plan_get_or_create(fiscal_year=fiscal_year, organisation=organisation)
            upload = workbook_import(plan=plan, data=data, filename=sent.name or "workbook.xlsx", actor=user)
        else:
            status = 400
    plan_now = plan_or_blank(fiscal_year=fiscal_year, organisation=organisation)
    context = {
        "fiscal_year": fiscal_year,
        "organisation": organisation,
        "plan": plan_now,
        "form": form,
        "upload": upload,
        "recent": workbook_uploads_recent(fiscal_year=fiscal_year, organisation=organisation),
        "max_megabytes": settings.KHAMRAP_MAX_WORKBOOK_BYTES // (1024 * 1024),
    }
    return render(request, "plans/workbook_upload.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def bulk_import(request: HttpRequest, year: int) -> HttpResponse:
    user = cast(User, request.user)
    require_admin(user)
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
                form.add_error("archive", error.message_th)
            else:
                return redirect("bulk-import-detail", fiscal_year.year, bulk.pk)
        status = 400
    context = {
        "fiscal_year": fiscal_year,
        "form": form,
        "imports": bulk_imports_recent(fiscal_year=fiscal_year),
        "max_megabytes": settings.KHAMRAP_MAX_BULK_UPLOAD_BYTES // (1024 * 1024),
    }
    return render(request, "plans/workbook_bulk.html", context, status=status)


@login_required
@require_GET
def bulk_import_detail(request: HttpRequest, year: int, pk: int) -> HttpResponse:
    """The import's progress; htmx asks for the progress part again every second until it is done."""
    require_admin(cast(User, request.user))
    bulk = get_object_or_404(
        BulkImport.objects.select_related("fiscal_year", "created_by"), pk=pk, fiscal_year__year=year
    )
    context = {
        "fiscal_year": bulk.fiscal_year,
        "bulk": bulk,
        "running": bulk.status in {BulkImportStatus.QUEUED, BulkImportStatus.RUNNING},
        "percent": (100 * bulk.processed // bulk.total) if bulk.total else 0,
    }
    template = "plans/workbook_bulk_progress.html" if request.htmx else "plans/workbook_bulk_detail.html"  # type: ignore[attr-defined]
    return render(request, template, context)
