"""The action plan (แผนปฏิบัติราชการ) attached to a plan as PDF, DOCX or XLSX (issue 3, item 3).

Only the organisation's own officers attach and remove files, and only while the plan is editable. A file is
judged by its content (:mod:`khamrap.documents.attachments`), stored through Django's storage under a
random name (``PlanAttachment.file``'s ``upload_to``), and its SHA-256 kept; the name the person gave it is
kept as data and only used to name the download.
"""

import hashlib
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from khamrap.accounts.access import can_edit_plan_of
from khamrap.accounts.models import User
from khamrap.core.errors import DomainError
from khamrap.documents.attachments import clean_filename, sniff_document
from khamrap.frameworks.models import FiscalYear
from khamrap.orgs.models import Organisation
from khamrap.plans.models import Plan, PlanAttachment, PlanEvent, PlanEventKind
from khamrap.plans.services import plan_get_or_create

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

MAX_ATTACHMENTS_PER_PLAN = 20


def attachment_list(*, plan: Plan) -> list[PlanAttachment]:
    """The plan's attachments, newest first, with who uploaded them (one query)."""
    return list(
        PlanAttachment.objects.filter(plan=plan).select_related("uploaded_by").order_by("-uploaded_at", "-pk")
    )


@transaction.atomic
def attachment_upload(
    *, fiscal_year: FiscalYear, organisation: Organisation, uploaded_file: "UploadedFile[bytes]", actor: User
) -> PlanAttachment:
    """:func:`attachment_add` to the organisation's plan of the year, starting the plan if there is none:
    the action plan may come before, or instead of, the rows of the form."""
    if not can_edit_plan_of(actor, organisation):
        raise _not_allowed()
    plan = plan_get_or_create(fiscal_year=fiscal_year, organisation=organisation)
    return attachment_add(plan=plan, uploaded_file=uploaded_file, actor=actor)


@transaction.atomic
def attachment_add(*, plan: Plan, uploaded_file: "UploadedFile[bytes]", actor: User) -> PlanAttachment:
    """Check ``uploaded_file`` and attach it to ``plan``; raises :class:`DomainError` and stores nothing if
    the actor may not, the plan is not editable, or the file is too big, a duplicate or not a document."""
    plan = _lock_editable(plan, actor)
    name = clean_filename(uploaded_file.name or "")
    size = uploaded_file.size or 0
    limit = settings.KHAMRAP_MAX_ATTACHMENT_BYTES
    if size == 0:
        raise DomainError(f'ไฟล์ "{name}" ว่างเปล่า', f'"{name}" is empty')
    if size > limit:
        raise DomainError(
            f'ไฟล์ "{name}" มีขนาด {_megabytes(size)} เกินกำหนด {_megabytes(limit)}',
            f'"{name}" is {size} bytes, more than the {limit} allowed',
        )
    kind = sniff_document(uploaded_file, name=name)
    digest = _sha256(uploaded_file)
    existing = list(PlanAttachment.objects.filter(plan=plan).values_list("sha256", flat=True))
    if digest in existing:
        raise DomainError(f'ไฟล์ "{name}" แนบไว้แล้ว', f'"{name}" is already attached')
    if len(existing) >= MAX_ATTACHMENTS_PER_PLAN:
        raise DomainError(
            f"แนบไฟล์ได้ไม่เกิน {MAX_ATTACHMENTS_PER_PLAN} ไฟล์ต่อแบบฟอร์ม กรุณาลบไฟล์ที่ไม่ใช้ก่อน",
            f"A plan holds at most {MAX_ATTACHMENTS_PER_PLAN} attachments",
        )
    attachment = PlanAttachment(
        plan=plan,
        original_name=name,
        content_type=kind.content_type,
        size=size,
        sha256=digest,
        uploaded_by=actor,
    )
    uploaded_file.seek(0)
    # upload_to gives the stored file a random name; the user's name never reaches the storage.
    attachment.file.save(name, uploaded_file, save=False)
    stored = str(attachment.file.name)
    try:
        attachment.save()
        _record(plan, actor, f"แนบไฟล์ {name} ({kind.label})")
    except Exception:
        # The row was not written: the stored file must not outlive it.
        attachment.file.storage.delete(stored)
        raise
    return attachment


@transaction.atomic
def attachment_delete(*, attachment: PlanAttachment, actor: User) -> None:
    """Remove ``attachment`` while its plan is editable; the stored file goes once the removal commits."""
    _lock_editable(attachment.plan, actor)
    storage, stored, name = attachment.file.storage, attachment.file.name, attachment.original_name
    attachment.delete()
    _record(attachment.plan, actor, f"ลบไฟล์แนบ {name}")
    if stored:
        transaction.on_commit(lambda: storage.delete(stored))


def _lock_editable(plan: Plan, actor: User) -> Plan:
    plan = Plan.objects.select_for_update().select_related("fiscal_year", "organisation").get(pk=plan.pk)
    if not can_edit_plan_of(actor, plan.organisation):
        raise _not_allowed()
    if not plan.is_editable:
        raise DomainError(
            f"แบบฟอร์มอยู่ในสถานะ '{plan.get_status_display()}' จึงแนบหรือลบไฟล์ไม่ได้ จนกว่าสำนักงาน ก.พ.ร. จะส่งกลับ",
            "The plan is read-only until OPDC returns it",
        )
    return plan


def _not_allowed() -> DomainError:
    return DomainError(
        "ท่านไม่มีสิทธิ์แนบหรือลบไฟล์ในแบบฟอร์มของหน่วยงานนี้",
        "You may not change this organisation's attachments",
    )


def _record(plan: Plan, actor: User, note: str) -> None:
    # Attachments count as a change of the plan: its revision moves, so cached pages of it do too.
    Plan.objects.filter(pk=plan.pk).update(revision=F("revision") + 1, updated_at=timezone.now())
    PlanEvent.objects.create(plan=plan, kind=PlanEventKind.ATTACHED, actor=actor, note=note)


def _sha256(uploaded_file: "UploadedFile[bytes]") -> str:
    digest = hashlib.sha256()
    for chunk in uploaded_file.chunks():
        digest.update(chunk)
    return digest.hexdigest()


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"
