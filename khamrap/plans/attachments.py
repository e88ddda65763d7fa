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

from khamrap.accounts.access import EDIT_PLAN, can_edit_plan, ensure
from khamrap.accounts.models import User
from khamrap.core.errors import DomainError
from khamrap.documents.attachments import clean_filename, sniff_document
from khamrap.frameworks.models import FiscalYear
from khamrap.orgs.models import Organisation
from khamrap.plans.editing import plan_changed, plan_lock_for_change
from khamrap.plans.models import Plan, PlanAttachment, PlanEventKind
from khamrap.plans.selectors import plan_or_blank

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
    ensure(can_edit_plan(actor, organisation), EDIT_PLAN)
    plan = plan_or_blank(fiscal_year=fiscal_year, organisation=organisation)
    return attachment_add(plan=plan, uploaded_file=uploaded_file, actor=actor)


@transaction.atomic
def attachment_add(*, plan: Plan, uploaded_file: "UploadedFile[bytes]", actor: User) -> PlanAttachment:
    """Check ``uploaded_file`` and attach it to ``plan``; raises :class:`DomainError` and stores nothing if
    the actor may not, the plan is not editable, or the file is too big, a duplicate or not a document."""
    plan = plan_lock_for_change(plan=plan, actor=actor)
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
        plan_changed(
            plan=plan, actor=actor, kind=PlanEventKind.ATTACHED, note=f"แนบไฟล์ {name} ({kind.label})"
        )
    except Exception:
        # The row was not written: the stored file must not outlive it.
        attachment.file.storage.delete(stored)
        raise
    return attachment


@transaction.atomic
def attachment_delete(*, attachment: PlanAttachment, actor: User) -> None:
    """Remove ``attachment`` while its plan is editable; the stored file goes once the removal commits."""
    plan_lock_for_change(plan=attachment.plan, actor=actor)
    storage, stored, name = attachment.file.storage, attachment.file.name, attachment.original_name
    attachment.delete()
    plan_changed(plan=attachment.plan, actor=actor, kind=PlanEventKind.DETACHED, note=f"ลบไฟล์แนบ {name}")
    if stored:
        transaction.on_commit(lambda: storage.delete(stored))


def _sha256(uploaded_file: "UploadedFile[bytes]") -> str:
    digest = hashlib.sha256()
    for chunk in uploaded_file.chunks():
        digest.update(chunk)
    return digest.hexdigest()


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"
