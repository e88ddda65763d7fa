"""The administrator's bulk import on the task queue (django-tasks, run by ``khamrap db_worker``): queued
after its transaction commits, claimed once, its progress written as it goes."""

from __future__ import annotations

import io
import logging
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any
from zipfile import ZIP_STORED, BadZipFile, ZipFile

from django.conf import settings
from django.core.files.base import File
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django_tasks import task

from khamrap.accounts.access import MANAGE_SUBMISSIONS, can_manage_submissions, ensure
from khamrap.accounts.models import User
from khamrap.core.errors import DomainError
from khamrap.frameworks.models import FiscalYear
from khamrap.plans.models import BulkImport, BulkImportStatus, Channel
from khamrap.workbook.bulk import MAX_ARCHIVE_MEMBERS, Batch, archive_lines, archive_members, is_workbook_name

logger = logging.getLogger(__name__)


@task()
def bulk_import_run(bulk_import_id: int) -> None:
    """Import every workbook of an administrator's zip (see :func:`bulk_import_process`)."""
    bulk_import_process(bulk_import_id=bulk_import_id)


def bulk_import_create(
    *, fiscal_year: FiscalYear, archive: IO[bytes], original_name: str, actor: User, dry_run: bool = False
) -> BulkImport:
    """Keep the administrator's zip and queue its import; the task runs after the transaction commits.

    ``archive`` is read from storage-friendly file objects (an upload spooled to disk stays on disk).
    """
    ensure(can_manage_submissions(actor), MANAGE_SUBMISSIONS)
    limit = settings.KHAMRAP_MAX_BULK_UPLOAD_BYTES
    size = archive.seek(0, io.SEEK_END)
    archive.seek(0)
    if size > limit:
        raise DomainError(f"ไฟล์ zip ใหญ่เกิน {limit / 1024 / 1024:,.0f} MB", "The zip is too large")
    try:
        with ZipFile(archive) as zipped:
            total = len(archive_members(zipped))
    except (BadZipFile, OSError, EOFError):
        raise DomainError("ไฟล์นี้ไม่ใช่ไฟล์ zip กรุณารวมไฟล์แบบฟอร์ม (.xlsx) ไว้ในไฟล์ zip", "Not a zip") from None
    if total == 0:
        raise DomainError("ไม่พบไฟล์แบบฟอร์ม (.xlsx) ในไฟล์ zip", "No workbook in the zip")
    archive.seek(0)
    with transaction.atomic():
        bulk = BulkImport(
            fiscal_year=fiscal_year,
            original_name=Path(original_name).name[:255],
            created_by=actor,
            total=total,
            dry_run=dry_run,
        )
        bulk.file.save("bulk.zip", File(archive), save=False)
        bulk.save()
        bulk_id = bulk.pk
        transaction.on_commit(lambda: bulk_import_run.enqueue(bulk_id))
    return bulk


def bulk_import_from_files(
    *, fiscal_year: FiscalYear, files: Sequence[UploadedFile[bytes]], actor: User, dry_run: bool = False
) -> BulkImport:
    """A folder chosen in the browser (many .xlsx files): packed into one zip, then :func:`bulk_import_create`.

    Files that are not .xlsx by name are left out, as they are from a zip; the contents are judged per file
    by the import itself.
    """
    workbooks = [f for f in files if is_workbook_name(f.name or "")]
    if not workbooks:
        raise DomainError("ไม่พบไฟล์แบบฟอร์ม (.xlsx) ในโฟลเดอร์ที่เลือก", "No workbook in the chosen folder")
    if len(workbooks) > MAX_ARCHIVE_MEMBERS:
        raise DomainError(
            f"เลือกไฟล์มากเกินไป (ไม่เกิน {MAX_ARCHIVE_MEMBERS:,} ไฟล์)", "Too many files in the chosen folder"
        )
    packed = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 - closed below
    try:
        with ZipFile(packed, "w", compression=ZIP_STORED) as archive:  # .xlsx files are zips already
            for number, upload in enumerate(workbooks, start=1):
                # Browsers send a folder's files with their relative paths; keep only the name, made unique.
                name = f"{number:03d}-{Path(upload.name or 'workbook.xlsx').name}"
                with archive.open(name, "w") as member:
                    for chunk in upload.chunks():
                        member.write(chunk)
        return bulk_import_create(
            fiscal_year=fiscal_year,
            archive=packed,
            original_name=f"โฟลเดอร์ ({len(workbooks)} ไฟล์)",
            actor=actor,
            dry_run=dry_run,
        )
    finally:
        packed.close()


def bulk_import_process(*, bulk_import_id: int) -> None:
    """Run a queued bulk import (the task's body): one result line per workbook, progress as it goes.

    Idempotent: only a queued import is claimed (a conditional update), so a task run twice does nothing.
    """
    claimed = BulkImport.objects.filter(pk=bulk_import_id, status=BulkImportStatus.QUEUED).update(
        status=BulkImportStatus.RUNNING
    )
    if not claimed:
        return
    bulk = BulkImport.objects.select_related("fiscal_year", "created_by").get(pk=bulk_import_id)
    results: list[dict[str, Any]] = []
    try:
        batch = Batch(
            actor=bulk.created_by, dry_run=bulk.dry_run, fiscal_year=bulk.fiscal_year, channel=Channel.BULK
        )
        with bulk.file.open("rb") as handle:
            for processed, line in enumerate(archive_lines(batch, handle, prefix=""), start=1):
                results.append(line.as_dict())
                BulkImport.objects.filter(pk=bulk.pk).update(processed=processed, results=results)
    except Exception:
        logger.exception("bulk import %s failed", bulk_import_id)
        results.append(
            {"name": "", "status": BulkImportStatus.FAILED, "org_code": "", "problems": [], "counts": {}, "badge": "bad",
             "message_th": "การนำเข้าหยุดกลางคันเพราะข้อผิดพลาดของระบบ กรุณาแจ้งผู้ดูแลระบบ",
             "message_en": "The import stopped part-way because of a system error; tell the administrator"}
        )  # fmt: skip
        BulkImport.objects.filter(pk=bulk.pk).update(status=BulkImportStatus.FAILED, results=results)
        return
    BulkImport.objects.filter(pk=bulk.pk).update(status=BulkImportStatus.DONE, results=results)
