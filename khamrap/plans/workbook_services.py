"""Importing the "data disk": one workbook into its plan, or many at once (a zip, a folder, the task queue).

Every workbook is checked whole before anything is written (``workbook.workbook_read`` collects every
problem); then the plan is replaced all-or-nothing through ``services.plan_tree_replace``. Every workbook
received is kept (``WorkbookUpload``) with its outcome — except in a dry run, which stores nothing.
"""

from __future__ import annotations

import hashlib
import io
import logging
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import IO, Any
from zipfile import ZIP_STORED, BadZipFile, ZipFile, ZipInfo

from django.conf import settings
from django.core.files.base import ContentFile, File
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from khamrap.accounts.access import can_edit_plan_of
from khamrap.accounts.models import User
from khamrap.core.errors import DomainError
from khamrap.frameworks.models import FiscalYear
from khamrap.orgs.models import Organisation
from khamrap.plans.models import (
    BulkImport,
    BulkImportStatus,
    KpiType,
    Plan,
    WorkbookUpload,
    WorkbookUploadStatus,
)
from khamrap.plans.schema import FIELD_LABELS_TH, KpiData, PlanData, weight_check
from khamrap.plans.selectors import expected_plan_weight, plan_find, plan_tree
from khamrap.plans.services import plan_get_or_create, plan_tree_replace
from khamrap.plans.workbook import (
    DIRECTION_LABELS,
    KPI_TYPE_LABELS,
    WorkbookRead,
    level_cell_text,
    workbook_read,
)
from khamrap.plans.workbook_guard import WorkbookProblem, file_problem

logger = logging.getLogger(__name__)

PROBLEMS_SHOWN_PER_LINE = 3
MAX_ARCHIVE_MEMBERS = 1_000


# --- what changed ---------------------------------------------------------------------------------

COMPARED_FIELDS = (
    "issue", "goal", "name", "unit", "weight", "kpi_type", "direction",
    "baseline_1", "baseline_2", "baseline_3", "target",
    "criteria_1", "criteria_2", "criteria_3", "criteria_4", "criteria_5", "levels",
    "definition", "formula", "data_source", "supervisor_name", "supervisor_phone",
    "collector_name", "collector_phone", "remarks",
)  # fmt: skip
FIELD_LABELS = {**FIELD_LABELS_TH, "levels": "คำอธิบายระดับ"}


@dataclass(frozen=True)
class _Placed:
    issue: str
    goal: str
    kpi: KpiData


def _placed(data: PlanData) -> list[_Placed]:
    return [
        _Placed(issue.name, goal.name, kpi)
        for issue in data.issues
        for goal in issue.goals
        for kpi in goal.kpis
    ]


def _field_value(placed: _Placed, name: str) -> Any:
    kpi = placed.kpi
    if name in {"issue", "goal"}:
        return getattr(placed, name)
    if name.startswith("baseline_"):
        return kpi.baselines[int(name[-1]) - 1]
    if name.startswith("criteria_"):
        return kpi.criteria[int(name[-1]) - 1]
    if name == "levels":
        if kpi.kpi_type != KpiType.MILESTONE:
            return ()
        return tuple((lv.level, lv.description, lv.substeps) for lv in kpi.levels if lv.description.strip())
    return getattr(kpi, name)


def _comparable(value: Any) -> Any:
    return value.normalize() if isinstance(value, Decimal) else value


def _shown(name: str, placed: _Placed) -> str:
    value = _field_value(placed, name)
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    if name == "kpi_type":
        return KPI_TYPE_LABELS.get(str(value), str(value))
    if name == "direction":
        return DIRECTION_LABELS.get(str(value), str(value))
    if name == "levels":
        return " | ".join(
            f"{lv.level}: {level_cell_text(lv)}".replace("\n", " ")
            for lv in placed.kpi.levels
            if lv.description
        )
    text = str(value)
    return text if len(text) <= 200 else text[:199] + "…"


def plan_changes(before: PlanData, after: PlanData) -> dict[str, Any]:
    """What importing ``after`` over ``before`` changes: KPIs added, removed, and changed field by field.

    KPIs are matched by ``uid``; codes are the ones the person sees (the workbook's for new and changed
    KPIs, the stored one for removed KPIs).
    """
    old = {p.kpi.uid: p for p in _placed(before) if p.kpi.uid}
    new = _placed(after)
    matched: set[str] = set()
    added: list[dict[str, str]] = []
    changed: list[dict[str, Any]] = []
    for placed in new:
        previous = old.get(placed.kpi.uid) if placed.kpi.uid else None
        if previous is None or placed.kpi.uid in matched:
            added.append({"code": placed.kpi.code, "name": placed.kpi.name})
            continue
        matched.add(previous.kpi.uid or "")
        fields = [
            {
                "field": name,
                "label": FIELD_LABELS.get(name, name),
                "old": _shown(name, previous),
                "new": _shown(name, placed),
            }
            for name in COMPARED_FIELDS
            if _comparable(_field_value(previous, name)) != _comparable(_field_value(placed, name))
        ]
        if fields:
            changed.append({"code": placed.kpi.code, "name": placed.kpi.name, "fields": fields})
    removed = [{"code": p.kpi.code, "name": p.kpi.name} for uid, p in old.items() if uid not in matched]
    outline = [(issue.name, tuple(goal.name for goal in issue.goals)) for issue in before.issues]
    new_outline = [(issue.name, tuple(goal.name for goal in issue.goals)) for issue in after.issues]
    return {
        "kpi_count": len(new),
        "counts": {"added": len(added), "changed": len(changed), "removed": len(removed)},
        "added": added,
        "changed": changed,
        "removed": removed,
        "outline_changed": outline != new_outline,
        "order_changed": [p.kpi.uid for p in _placed(before)] != [p.kpi.uid for p in new],
        "warnings": [],
    }


def plan_unchanged(changes: dict[str, Any]) -> bool:
    """True when :func:`plan_changes` found nothing: no KPI added, removed or changed, same outline and order."""
    return (
        not any(changes["counts"].values())
        and not changes["outline_changed"]
        and not changes["order_changed"]
    )


def _reconcile(read: PlanData, stored: PlanData) -> PlanData:
    """Keep the stored text where the workbook differs only by line endings or surrounding spaces.

    Text typed on the web may hold ``\\r\\n`` that a workbook cannot carry; that is not a change.
    """
    stored_kpis = {kpi.uid: kpi for kpi in stored.kpis() if kpi.uid}

    def same(a: str, b: str) -> bool:
        return a.replace("\r\n", "\n").strip() == b.replace("\r\n", "\n").strip()

    def kpi(item: KpiData) -> KpiData:
        before = stored_kpis.get(item.uid) if item.uid else None
        if before is None:
            return item
        keep = {
            name: getattr(before, name)
            for name, value in vars(item).items()
            if isinstance(value, str) and name not in {"uid", "code"} and same(value, getattr(before, name))
        }
        return replace(item, **keep) if keep else item

    return replace(
        read,
        issues=tuple(
            replace(
                issue,
                goals=tuple(replace(goal, kpis=tuple(kpi(k) for k in goal.kpis)) for goal in issue.goals),
            )
            for issue in read.issues
        ),
    )


# --- one workbook ---------------------------------------------------------------------------------


def _problem_dicts(problems: Iterable[WorkbookProblem]) -> list[dict[str, Any]]:
    return [p.as_dict() for p in problems]


def _record(
    *,
    plan: Plan | None,
    data: bytes,
    filename: str,
    actor: User | None,
    status: str,
    problems: list[WorkbookProblem],
    summary: dict[str, Any],
    dry_run: bool,
) -> WorkbookUpload:
    upload = WorkbookUpload(
        plan=plan if plan is not None and plan.pk else None,
        original_name=Path(filename).name[:255],
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by=actor,
        status=status,
        problems=_problem_dicts(problems),
        summary=summary,
    )
    if dry_run:
        return upload  # a dry run stores nothing, not even the file
    if len(data) <= settings.KHAMRAP_MAX_WORKBOOK_BYTES:
        # The original file is kept as sent; an oversized one only as its record (it was never read).
        upload.file.save("workbook.xlsx", ContentFile(data), save=False)
    upload.save()
    return upload


def _ownership_problems(plan: Plan, read: WorkbookRead) -> list[WorkbookProblem]:
    if read.fiscal_year is None or read.org_code is None:
        return []
    if read.fiscal_year == plan.fiscal_year.year and read.org_code == plan.organisation.code:
        return []
    owner = Organisation.objects.filter(code=read.org_code).first()
    owner_name = owner.name_th if owner else f"หน่วยงานรหัส {read.org_code}"
    return [
        file_problem(
            f"ไฟล์นี้เป็นแบบฟอร์มของ{owner_name} ปีงบประมาณ พ.ศ. {read.fiscal_year} "
            f"แต่กำลังนำเข้าให้{plan.organisation.name_th} ปีงบประมาณ พ.ศ. {plan.fiscal_year.year} "
            "กรุณาดาวน์โหลดแบบฟอร์มของหน่วยงานนี้"
        )
    ]


def _may_edit(actor: User | None, plan: Plan) -> bool:
    # The administrator imports the disks that arrive by post on the organisation's behalf.
    return actor is None or actor.is_admin or can_edit_plan_of(actor, plan.organisation)


def workbook_import(
    *,
    plan: Plan,
    data: bytes,
    filename: str,
    actor: User | None,
    dry_run: bool = False,
    engine: str = "calamine",
) -> WorkbookUpload:
    """Check the whole workbook, then replace the plan's tree with it all-or-nothing.

    Returns the upload record: ``refused`` with every problem, ``unchanged`` (nothing written),
    ``accepted`` with a summary of the changes, or — for a dry run — ``dry_run``, unsaved.
    """
    read = workbook_read(data, engine=engine)
    problems = read.problems if read.refused else _ownership_problems(plan, read) + read.problems
    return _apply(
        plan=plan, read=read, problems=problems, data=data, filename=filename, actor=actor, dry_run=dry_run
    )


def _apply(
    *,
    plan: Plan,
    read: WorkbookRead,
    problems: list[WorkbookProblem],
    data: bytes,
    filename: str,
    actor: User | None,
    dry_run: bool,
) -> WorkbookUpload:
    def refuse(found: list[WorkbookProblem]) -> WorkbookUpload:
        return _record(
            plan=plan, data=data, filename=filename, actor=actor, status=WorkbookUploadStatus.REFUSED,
            problems=found, summary={}, dry_run=dry_run,
        )  # fmt: skip

    if not _may_edit(actor, plan):
        problems = [file_problem("ท่านไม่มีสิทธิ์แก้ไขแบบฟอร์มของหน่วยงานนี้"), *problems]
    elif not plan.is_editable:
        problems = [
            file_problem(
                f"แบบฟอร์มอยู่ในสถานะ '{plan.get_status_display()}' จึงนำเข้าไม่ได้ จนกว่าสำนักงาน ก.พ.ร. จะส่งกลับ"
            ),
            *problems,
        ]
    if problems:
        return refuse(problems)
    stored = plan_tree(plan) if plan.pk else PlanData()
    tree = _reconcile(read.plan, stored)
    summary = plan_changes(stored, tree)
    weights = weight_check(
        tree, expected=expected_plan_weight(fiscal_year=plan.fiscal_year, organisation=plan.organisation)
    )
    if tree.kpis() and not weights.ok:
        summary["warnings"].append(weights.message_th)
    if (
        plan.pk
        and read.revision is not None
        and plan.revision > read.revision
        and any(summary["counts"].values())
    ):
        summary["warnings"].append(
            "แบบฟอร์มในระบบมีการแก้ไขหลังจากดาวน์โหลดไฟล์นี้ ข้อมูลในไฟล์แทนที่ข้อมูลในระบบทั้งหมด "
            "กรุณาตรวจรายการเปลี่ยนแปลงให้ครบ"
        )
    if dry_run:
        return _record(
            plan=plan, data=data, filename=filename, actor=actor, status=WorkbookUploadStatus.DRY_RUN,
            problems=[], summary=summary, dry_run=True,
        )  # fmt: skip
    editor = None if actor is None or actor.is_admin else actor
    try:
        with transaction.atomic():
            if plan.pk is None:
                plan = plan_get_or_create(fiscal_year=plan.fiscal_year, organisation=plan.organisation)
            # An unchanged workbook (the diff above compares everything plan_tree_replace compares) is not
            # sent to be compared a second time.
            written = not plan_unchanged(summary) and plan_tree_replace(
                plan=plan, data=tree, actor=editor, note=f"นำเข้าจากไฟล์ {Path(filename).name}"
            )
            status = WorkbookUploadStatus.ACCEPTED if written else WorkbookUploadStatus.UNCHANGED
            if not written:
                summary = {**summary, "counts": {"added": 0, "changed": 0, "removed": 0}, "added": [],
                           "changed": [], "removed": []}  # fmt: skip
            return _record(
                plan=plan, data=data, filename=filename, actor=actor, status=status, problems=[],
                summary=summary, dry_run=False,
            )  # fmt: skip
    except DomainError as error:
        return refuse([file_problem(error.message_th)])


# --- many workbooks: the command line and the administrator's bulk import ------------------------


@dataclass(frozen=True)
class ImportLine:
    """The outcome of one file of a batch, as one line."""

    name: str
    status: str
    org_code: str = ""
    message_th: str = ""
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
            "problems": list(self.problems),
            "counts": self.summary.get("counts", {}),
        }


def problem_text(problem: dict[str, Any]) -> str:
    if not problem.get("sheet"):
        return str(problem["message_th"])
    cell = f"{problem.get('column') or ''}{problem.get('row') or ''}"
    return (
        f"{problem['sheet']}!{cell}: {problem['message_th']}"
        if cell
        else f"{problem['sheet']}: {problem['message_th']}"
    )


def _line(name: str, upload: WorkbookUpload, org_code: str) -> ImportLine:
    counts = upload.summary.get("counts", {})
    change_text = (
        f"เพิ่ม {counts.get('added', 0)} แก้ไข {counts.get('changed', 0)} ลบ {counts.get('removed', 0)} ตัวชี้วัด"
    )
    messages = {
        WorkbookUploadStatus.ACCEPTED: f"นำเข้าแล้ว: {change_text}",
        WorkbookUploadStatus.UNCHANGED: "ไม่มีการเปลี่ยนแปลง",
        WorkbookUploadStatus.DRY_RUN: f"ตรวจแล้ว ผ่าน (ยังไม่บันทึก): {change_text}",
        WorkbookUploadStatus.REFUSED: f"ไม่ผ่านการตรวจสอบ {len(upload.problems)} ปัญหา",
    }
    return ImportLine(
        name=name,
        status=upload.status,
        org_code=org_code,
        message_th=messages.get(WorkbookUploadStatus(upload.status), ""),
        problems=tuple(upload.problems),
        summary=upload.summary,
    )


class _Batch:
    """Imports workbooks whose plan is found from their meta sheet; reference data loaded once."""

    def __init__(self, *, actor: User | None, dry_run: bool, fiscal_year: FiscalYear | None = None) -> None:
        self.actor = actor
        self.dry_run = dry_run
        self.fiscal_year = fiscal_year
        self.organisations = {o.code: o for o in Organisation.objects.all()}
        self.fiscal_years = {fy.year: fy for fy in FiscalYear.objects.all()}

    def refused(
        self, name: str, data: bytes, problems: list[WorkbookProblem], org_code: str = ""
    ) -> ImportLine:
        upload = _record(
            plan=None, data=data, filename=name, actor=self.actor, status=WorkbookUploadStatus.REFUSED,
            problems=problems, summary={}, dry_run=self.dry_run,
        )  # fmt: skip
        return _line(name, upload, org_code)

    def run(self, name: str, data: bytes) -> ImportLine:
        read = workbook_read(data)
        if read.refused or read.fiscal_year is None or read.org_code is None:
            problems = read.problems or [file_problem("ไม่พบปีงบประมาณหรือหน่วยงานในไฟล์")]
            return self.refused(name, data, problems)
        if self.fiscal_year is not None and read.fiscal_year != self.fiscal_year.year:
            message = (
                f"ไฟล์นี้เป็นแบบฟอร์มของปีงบประมาณ พ.ศ. {read.fiscal_year} "
                f"แต่กำลังนำเข้าในปีงบประมาณ พ.ศ. {self.fiscal_year.year}"
            )
            return self.refused(name, data, [file_problem(message), *read.problems], read.org_code)
        fiscal_year = self.fiscal_years.get(read.fiscal_year)
        organisation = self.organisations.get(read.org_code)
        if fiscal_year is None or organisation is None:
            missing = (
                f"ไม่พบปีงบประมาณ พ.ศ. {read.fiscal_year} ในระบบ"
                if fiscal_year is None
                else f"ไม่พบหน่วยงานรหัส '{read.org_code}' ในระบบ"
            )
            return self.refused(name, data, [file_problem(missing), *read.problems], read.org_code)
        plan = plan_find(fiscal_year=fiscal_year, organisation=organisation) or Plan(
            fiscal_year=fiscal_year, organisation=organisation
        )
        upload = _apply(
            plan=plan, read=read, problems=read.problems, data=data, filename=name, actor=self.actor,
            dry_run=self.dry_run,
        )  # fmt: skip
        return _line(name, upload, read.org_code)


def _is_workbook_name(name: str) -> bool:
    base = name.rsplit("/", 1)[-1]
    return (
        name.lower().endswith(".xlsx")
        and not name.startswith("__MACOSX/")
        and not base.startswith((".", "~$"))
    )


def _archive_members(archive: ZipFile) -> list[ZipInfo]:
    infos = archive.infolist()
    if len(infos) > MAX_ARCHIVE_MEMBERS:
        raise DomainError(
            f"ไฟล์ zip มีไฟล์ย่อยมากเกินไป (ไม่เกิน {MAX_ARCHIVE_MEMBERS:,} ไฟล์)", "The zip has too many members"
        )
    return sorted(
        (i for i in infos if not i.is_dir() and _is_workbook_name(i.filename)), key=lambda i: i.filename
    )


def _member_bytes(archive: ZipFile, info: ZipInfo) -> bytes | WorkbookProblem:
    """A member's bytes, never more than the workbook size limit (zipfile stops at the declared size too)."""
    limit = settings.KHAMRAP_MAX_WORKBOOK_BYTES
    if info.file_size > limit:
        return file_problem(
            f"ไฟล์มีขนาด {info.file_size / 1024 / 1024:,.1f} MB เกินกว่าที่รับได้ ({limit / 1024 / 1024:,.0f} MB)"
        )
    try:
        with archive.open(info) as member:
            return member.read(limit + 1)
    except (BadZipFile, OSError, NotImplementedError, RuntimeError, EOFError):
        return file_problem("แตกไฟล์นี้ออกจาก zip ไม่ได้ (ไฟล์เสียหายหรือถูกเข้ารหัส)")


def _archive_lines(batch: _Batch, archive: ZipFile, prefix: str) -> Iterator[ImportLine]:
    for info in _archive_members(archive):
        name = f"{prefix}{info.filename}"
        content = _member_bytes(archive, info)
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
    paths: Iterable[str | Path], *, dry_run: bool, actor: User | None = None
) -> list[ImportLine]:
    """Import workbooks given as files, folders (searched for .xlsx and .zip) or zips; one line per file.

    Each workbook goes to the plan its meta sheet names (organisation and fiscal year).
    """
    batch = _Batch(actor=actor, dry_run=dry_run)
    lines: list[ImportLine] = []
    limit = settings.KHAMRAP_MAX_WORKBOOK_BYTES
    for path in _expand(paths):
        name = str(path)
        if not path.is_file():
            lines.append(batch.refused(name, b"", [file_problem("ไม่พบไฟล์นี้")]))
            continue
        if path.suffix.lower() == ".zip":
            try:
                with ZipFile(path) as archive:
                    lines += _archive_lines(batch, archive, prefix=f"{name}:")
            except (BadZipFile, OSError):
                lines.append(batch.refused(name, b"", [file_problem("ไฟล์ zip นี้เสียหายหรือไม่ใช่ไฟล์ zip")]))
            except DomainError as error:
                lines.append(batch.refused(name, b"", [file_problem(error.message_th)]))
            continue
        with path.open("rb") as handle:
            data = handle.read(limit + 1)  # an oversized file is refused by the guard without reading it all
        lines.append(batch.run(name, data))
    return lines


def bulk_import_create(
    *, fiscal_year: FiscalYear, archive: IO[bytes], original_name: str, actor: User, dry_run: bool = False
) -> BulkImport:
    """Keep the administrator's zip and queue its import; the task runs after the transaction commits.

    ``archive`` is read from storage-friendly file objects (an upload spooled to disk stays on disk).
    """
    from khamrap.plans.tasks import bulk_import_run

    if not actor.is_admin:
        raise DomainError("เฉพาะผู้ดูแลระบบนำเข้าหลายไฟล์พร้อมกันได้", "Only the administrator imports in bulk")
    limit = settings.KHAMRAP_MAX_BULK_UPLOAD_BYTES
    size = archive.seek(0, io.SEEK_END)
    archive.seek(0)
    if size > limit:
        raise DomainError(f"ไฟล์ zip ใหญ่เกิน {limit / 1024 / 1024:,.0f} MB", "The zip is too large")
    try:
        with ZipFile(archive) as zipped:
            total = len(_archive_members(zipped))
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
    workbooks = [f for f in files if _is_workbook_name(f.name or "")]
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
        batch = _Batch(actor=bulk.created_by, dry_run=bulk.dry_run, fiscal_year=bulk.fiscal_year)
        with bulk.file.open("rb") as handle, ZipFile(handle) as archive:
            for processed, line in enumerate(_archive_lines(batch, archive, prefix=""), start=1):
                results.append(line.as_dict())
                BulkImport.objects.filter(pk=bulk.pk).update(processed=processed, results=results)
    except Exception:
        logger.exception("bulk import %s failed", bulk_import_id)
        results.append(
            {"name": "", "status": "failed", "org_code": "", "problems": [], "counts": {},
             "message_th": "การนำเข้าหยุดกลางคันเพราะข้อผิดพลาดของระบบ กรุณาแจ้งผู้ดูแลระบบ"}
        )  # fmt: skip
        BulkImport.objects.filter(pk=bulk.pk).update(status=BulkImportStatus.FAILED, results=results)
        return
    BulkImport.objects.filter(pk=bulk.pk).update(status=BulkImportStatus.DONE, results=results)


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
