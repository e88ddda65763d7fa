"""Many workbooks at once: files, folders and zips from the command line, and the administrator's bulk
import (a zip or a folder chosen in the browser) run on the task queue with its progress.

Each workbook goes through :class:`~khamrap.workbook.importer.WorkbookImporter` into the plan its meta sheet
names; zip members are read through the capped inflater of :mod:`khamrap.core.zips`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any
from zipfile import BadZipFile, ZipFile, ZipInfo

from django.conf import settings
from django.utils.translation import gettext_lazy

from khamrap.accounts.models import User
from khamrap.core.errors import DomainError, stored_in_language
from khamrap.core.zips import ZipRefused, read_member
from khamrap.frameworks.models import FiscalYear
from khamrap.orgs.models import Organisation
from khamrap.orgs.selectors import plan_organisations
from khamrap.plans.models import (
    OUTCOME_BADGES,
    BulkImport,
    Channel,
    Plan,
    WorkbookUpload,
    WorkbookUploadStatus,
)
from khamrap.plans.schema import field_label
from khamrap.plans.selectors import plan_or_blank
from khamrap.workbook.guard import WorkbookProblem, file_problem, too_large
from khamrap.workbook.importer import WorkbookImporter
from khamrap.workbook.reader import workbook_read

logger = logging.getLogger(__name__)

PROBLEMS_SHOWN_PER_LINE = 3
MAX_ARCHIVE_MEMBERS = 1_000


@dataclass(frozen=True)
class ImportLine:
    """The outcome of one file of a batch, as one line."""

    name: str
    status: str
    org_code: str = ""
    message_th: str = ""
    message_en: str = ""
    problems: tuple[dict[str, Any], ...] = ()
    summary: dict[str, Any] = field(default_factory=dict)

    @property
    def refused(self) -> bool:
        return self.status == WorkbookUploadStatus.REFUSED

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "status": self.status,
            "org_code": self.org_code,
            "message_th": self.message_th,
            "message_en": self.message_en,
            "problems": list(self.problems),
            "counts": self.summary.get("counts", {}),
            "badge": OUTCOME_BADGES.get(self.status, "none"),
        }


_LINE_LABELS: dict[str, Any] = {
    WorkbookUploadStatus.ACCEPTED: gettext_lazy("นำเข้าแล้ว"),
    WorkbookUploadStatus.UNCHANGED: gettext_lazy("ไม่มีการเปลี่ยนแปลง"),
    WorkbookUploadStatus.DRY_RUN: gettext_lazy("ตรวจแล้ว"),
    WorkbookUploadStatus.REFUSED: gettext_lazy("ไม่ผ่าน"),
}


def line_status_label(status: str) -> str:
    """A bulk import line's outcome in the page's language ("ล้มเหลว" when the import stopped on an error)."""
    return str(_LINE_LABELS.get(status, gettext_lazy("ล้มเหลว")))


def problem_text(problem: dict[str, Any], language: str | None = "th") -> str:
    """A stored problem as one line: ``sheet!cell: message``, the message in ``language``."""
    message = stored_in_language(problem, language)
    if not problem.get("sheet"):
        return message
    cell = f"{problem.get('column') or ''}{problem.get('row') or ''}"
    return f"{problem['sheet']}!{cell}: {message}" if cell else f"{problem['sheet']}: {message}"


def _line(name: str, upload: WorkbookUpload, org_code: str) -> ImportLine:
    counts = upload.summary.get("counts", {})
    added, changed, removed = (counts.get(k, 0) for k in ("added", "changed", "removed"))
    change_th = f"เพิ่ม {added} แก้ไข {changed} ลบ {removed} ตัวชี้วัด"
    change_en = f"{added} KPIs added, {changed} changed, {removed} removed"
    messages = {
        WorkbookUploadStatus.ACCEPTED: (f"นำเข้าแล้ว: {change_th}", f"Imported: {change_en}"),
        WorkbookUploadStatus.UNCHANGED: ("ไม่มีการเปลี่ยนแปลง", "No change"),
        WorkbookUploadStatus.DRY_RUN: (
            f"ตรวจแล้ว ผ่าน (ยังไม่บันทึก): {change_th}",
            f"Checked, passed (nothing saved): {change_en}",
        ),
        WorkbookUploadStatus.REFUSED: (
            f"ไม่ผ่านการตรวจสอบ {len(upload.problems)} ปัญหา",
            f"Refused: {len(upload.problems)} problem{'s' if len(upload.problems) != 1 else ''}",
        ),
    }
    message_th, message_en = messages.get(WorkbookUploadStatus(upload.status), ("", ""))
    return ImportLine(
        name=name,
        status=upload.status,
        org_code=org_code,
        message_th=message_th,
        message_en=message_en,
        problems=tuple(upload.problems),
        summary=upload.summary,
    )


class Batch:
    """Imports workbooks whose plan is found from their meta sheet; reference data loaded once."""

    def __init__(
        self,
        *,
        actor: User | None,
        dry_run: bool,
        fiscal_year: FiscalYear | None = None,
        channel: str = Channel.COMMAND,
        force: bool = False,
    ) -> None:
        self.force = force  # import a file even when the plan changed after it was downloaded
        self.actor = actor
        self.channel = channel
        self.dry_run = dry_run
        self.fiscal_year = fiscal_year
        self.organisations = {o.code: o for o in plan_organisations()}
        self.fiscal_years = {fy.year: fy for fy in FiscalYear.objects.all()}

    def refused(
        self,
        name: str,
        data: bytes,
        problems: list[WorkbookProblem],
        org_code: str = "",
        *,
        plan: Plan | None = None,
    ) -> ImportLine:
        importer = WorkbookImporter(plan=plan or Plan(), data=data, filename=name, actor=self.actor)
        upload = importer.record(WorkbookUploadStatus.REFUSED, problems=problems, save=not self.dry_run)
        return _line(name, upload, org_code)

    def run(self, name: str, data: bytes) -> ImportLine:
        read = workbook_read(data)
        if read.refused or read.fiscal_year is None or read.org_code is None:
            problems = read.problems or [
                file_problem("ไม่พบปีงบประมาณหรือหน่วยงานในไฟล์", "The file names no fiscal year or organisation")
            ]
            return self.refused(name, data, problems)
        if self.fiscal_year is not None and read.fiscal_year != self.fiscal_year.year:
            wrong_year = file_problem(
                f"ไฟล์นี้เป็นแบบฟอร์มของปีงบประมาณ พ.ศ. {read.fiscal_year} "
                f"แต่กำลังนำเข้าในปีงบประมาณ พ.ศ. {self.fiscal_year.year}",
                f"This file is the form of fiscal year {read.fiscal_year} B.E., but it is being imported in "
                f"fiscal year {self.fiscal_year.year} B.E.",
            )
            return self.refused(name, data, [wrong_year, *read.problems], read.org_code)
        fiscal_year = self.fiscal_years.get(read.fiscal_year)
        organisation = self.organisations.get(read.org_code)
        if fiscal_year is None or organisation is None:
            missing = (
                file_problem(
                    f"ไม่พบปีงบประมาณ พ.ศ. {read.fiscal_year} ในระบบ "
                    "กรุณาให้ผู้ดูแลระบบสร้างปีงบประมาณนี้ในหน้าผู้ดูแลระบบก่อนนำเข้า",
                    f"There is no fiscal year {read.fiscal_year} B.E. in the system; "
                    "ask the administrator to create this fiscal year before importing",
                )
                if fiscal_year is None
                else file_problem(
                    f"ไม่พบหน่วยงานรหัส '{read.org_code}' ในระบบ",
                    f"There is no organisation coded '{read.org_code}' in the system",
                )
            )
            return self.refused(name, data, [missing, *read.problems], read.org_code)
        plan = plan_or_blank(fiscal_year=fiscal_year, organisation=organisation)
        importer = WorkbookImporter(
            plan=plan, data=data, filename=name, actor=self.actor, channel=self.channel
        )
        validation = importer.validate(read=read)
        if validation.ok and validation.conflicts and not self.force:
            return self.refused(
                name, data, [file_problem(*stale_message(validation.conflicts))], read.org_code, plan=plan
            )
        if self.dry_run:
            return _line(name, importer.run(dry_run=True, read=read), read.org_code)
        return _line(name, importer.apply(validation, allow_conflicts=self.force), read.org_code)


def stale_message(since: list[dict[str, str]]) -> tuple[str, str]:
    """Why a file downloaded before later edits is refused, in Thai and English: the changes made since
    that it would replace."""

    def shown(language: str) -> str:
        return "; ".join(
            f"{c['code'] or '-'} {field_label(c['field'], language)} ({c['by']})" for c in since[:10]
        )

    more = len(since) - 10
    return (
        "แบบฟอร์มในระบบมีการแก้ไขหลังจากดาวน์โหลดไฟล์นี้: "
        f"{shown('th')}{f' และอีก {more} รายการ' if more > 0 else ''} — ไฟล์นี้จะแทนที่การแก้ไขเหล่านั้น "
        "จึงยังไม่นำเข้า (ดาวน์โหลดแบบฟอร์มใหม่ หรือใช้ --force ถ้าต้องการแทนที่)",
        "The plan was changed after this file was downloaded: "
        f"{shown('en')}{f' and {more} more' if more > 0 else ''} — the file would replace those changes, so "
        "it is not imported (download the form again, or use --force to replace them)",
    )


def is_workbook_name(name: str) -> bool:
    base = name.rsplit("/", 1)[-1]
    return (
        name.lower().endswith(".xlsx")
        and not name.startswith("__MACOSX/")
        and not base.startswith((".", "~$"))
    )


def archive_members(archive: ZipFile) -> list[ZipInfo]:
    infos = archive.infolist()
    if len(infos) > MAX_ARCHIVE_MEMBERS:
        raise DomainError(
            f"ไฟล์ zip มีไฟล์ย่อยมากเกินไป (ไม่เกิน {MAX_ARCHIVE_MEMBERS:,} ไฟล์)", "The zip has too many members"
        )
    return sorted(
        (i for i in infos if not i.is_dir() and is_workbook_name(i.filename)), key=lambda i: i.filename
    )


def _member_bytes(source: IO[bytes], info: ZipInfo) -> bytes | WorkbookProblem:
    """A member's bytes through the capped inflater, never more than the workbook size limit."""
    limit = settings.KHAMRAP_MAX_WORKBOOK_BYTES
    if info.file_size > limit:
        return file_problem(*too_large(info.file_size, limit))
    try:
        return read_member(source, info, cap=limit)
    except ZipRefused:
        return file_problem(
            "แตกไฟล์นี้ออกจาก zip ไม่ได้ (ไฟล์เสียหาย ถูกเข้ารหัส หรือขยายตัวผิดปกติ)",
            "This file cannot be taken out of the zip (damaged, encrypted or expanding abnormally)",
        )


def archive_lines(batch: Batch, source: IO[bytes], prefix: str) -> Iterator[ImportLine]:
    with ZipFile(source) as archive:
        members = archive_members(archive)
    for info in members:
        name = f"{prefix}{info.filename}"
        content = _member_bytes(source, info)
        if isinstance(content, WorkbookProblem):
            yield batch.refused(name, b"", [content])
        else:
            yield batch.run(name, content)


def _expand(paths: Iterable[str | Path]) -> Iterator[Path]:
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            yield from sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in {".xlsx", ".zip"}
            )
        else:
            yield path


def import_paths(
    paths: Iterable[str | Path], *, dry_run: bool, actor: User | None = None, force: bool = False
) -> list[ImportLine]:
    """Import workbooks given as files, folders (searched for .xlsx and .zip) or zips; one line per file.

    Each workbook goes to the plan its meta sheet names (organisation and fiscal year).
    """
    batch = Batch(actor=actor, dry_run=dry_run, force=force)
    lines: list[ImportLine] = []
    limit = settings.KHAMRAP_MAX_WORKBOOK_BYTES
    for path in _expand(paths):
        name = str(path)
        if not path.is_file():
            lines.append(batch.refused(name, b"", [file_problem("ไม่พบไฟล์นี้", "This file was not found")]))
            continue
        if path.suffix.lower() == ".zip":
            try:
                with path.open("rb") as source:
                    lines += archive_lines(batch, source, prefix=f"{name}:")
            except (BadZipFile, OSError):
                lines.append(
                    batch.refused(
                        name,
                        b"",
                        [file_problem("ไฟล์ zip นี้เสียหายหรือไม่ใช่ไฟล์ zip", "This zip is damaged or not a zip")],
                    )
                )
            except DomainError as error:
                lines.append(batch.refused(name, b"", [file_problem(error.message_th, error.message_en)]))
            continue
        with path.open("rb") as handle:
            data = handle.read(limit + 1)  # an oversized file is refused by the guard without reading it all
        lines.append(batch.run(name, data))
    return lines


# --- reads for the pages --------------------------------------------------------------------------


def workbook_uploads_recent(
    *, fiscal_year: FiscalYear, organisation: Organisation, limit: int = 10
) -> list[WorkbookUpload]:
    return list(
        WorkbookUpload.objects.filter(plan__fiscal_year=fiscal_year, plan__organisation=organisation)
        .select_related("uploaded_by")
        .order_by("-uploaded_at", "-pk")[:limit]
    )


def bulk_imports_recent(*, fiscal_year: FiscalYear, limit: int = 20) -> list[BulkImport]:
    return list(
        BulkImport.objects.filter(fiscal_year=fiscal_year)
        .select_related("created_by")
        .order_by("-created_at", "-pk")[:limit]
    )
