"""One workbook into its plan, the django-oscar way: :meth:`WorkbookImporter.validate` reads the file and
the stored tree once and returns every problem and every change; :meth:`WorkbookImporter.apply` writes in
one transaction as the real actor. Every workbook received is kept (``WorkbookUpload``) with its outcome,
except in a dry run, which stores nothing.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from khamrap.accounts.access import EDIT_PLAN, can_import_plan
from khamrap.accounts.models import User
from khamrap.core.errors import DomainError
from khamrap.frameworks.selectors import expected_plan_weight
from khamrap.orgs.models import Organisation
from khamrap.plans.diff import PlanDiff, plan_diff
from khamrap.plans.editing import plan_lock, plan_require_editable, plan_tree_replace
from khamrap.plans.models import Channel, Plan, PlanEvent, PlanEventKind, WorkbookUpload, WorkbookUploadStatus
from khamrap.plans.schema import KpiData, PlanData, field_label, weight_check
from khamrap.plans.selectors import plan_tree
from khamrap.plans.snapshots import plan_from_json, plan_to_json
from khamrap.workbook.guard import WorkbookProblem, file_problem
from khamrap.workbook.layout import WorkbookRead
from khamrap.workbook.reader import workbook_read

CONFLICT_REFUSAL_TH = "ไฟล์นี้จะแทนที่ข้อมูลที่มีผู้แก้ไขในระบบหลังจากดาวน์โหลดไฟล์ กรุณาตรวจรายการแล้วยืนยันการแทนที่"
CONFLICT_REFUSAL_EN = "The file replaces changes made after it was downloaded; confirm that they are replaced"
OUTLINE_FIELDS = ("issue", "goal")  # the history's entries of the plan's outline (no KPI)
STALE_WARNING = {
    "message_th": "แบบฟอร์มในระบบมีการแก้ไขหลังจากดาวน์โหลดไฟล์นี้ ข้อมูลในไฟล์แทนที่ข้อมูลในระบบทั้งหมด กรุณาตรวจรายการเปลี่ยนแปลงให้ครบ",
    "message_en": "The plan was changed after this file was downloaded; the file replaces everything in the "
    "system, so check every change listed",
}


@dataclass
class Validation:
    """What importing the workbook would do: its problems, or the tree it would write and the changes."""

    read: WorkbookRead
    problems: list[WorkbookProblem]
    tree: PlanData = field(default_factory=PlanData)
    diff: PlanDiff | None = None
    warnings: list[dict[str, str]] = field(default_factory=list)  # message_th / message_en pairs
    revision: int = 0  # the plan's revision the changes were computed against
    stored: PlanData = field(default_factory=PlanData)  # the tree the file replaces
    since: list[dict[str, str]] = field(default_factory=list)  # changes made after the file was downloaded

    @property
    def conflicts(self) -> list[dict[str, str]]:
        """Changes made in the system after the download that the file would undo, so the officer chooses
        explicitly: a field the file changes too; a KPI added since (the file removes it); a KPI deleted since
        (the file brings it back); a strategic issue or goal renamed, added, removed or moved since, when
        the file's outline differs from the system's; a KPI moved since, when the file's order differs."""
        diff = self.diff
        assert diff is not None
        in_file = {(k.uid, f.field) for k in diff.changed for f in k.fields}
        removed = {k.uid for k in diff.removed}
        added = {k.uid for k in diff.added if k.uid}

        def undone(change: dict[str, str]) -> bool:
            if not change["kpi"]:
                return change["field"] in OUTLINE_FIELDS and diff.outline_changed
            if change["field"] == "code" and diff.order_changed:
                return True
            if change["field"] == "kpi" and change["old"] and not change["new"]:
                return change["kpi"] in added  # a KPI deleted since, which the file brings back
            return (change["kpi"], change["field"]) in in_file or change["kpi"] in removed

        return [c for c in self.since if undone(c)]

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> dict[str, Any]:
        if self.diff is None:
            return {"warnings": list(self.warnings)}
        return {
            **self.diff.as_dict(),
            "warnings": list(self.warnings),
            "read_revision": self.read.revision,
            "preview_revision": self.revision,
            "since": self.since,
            "conflicts": self.conflicts,
        }


class _Refused(Exception):
    def __init__(self, problems: list[WorkbookProblem]) -> None:
        super().__init__(problems[0].message_th)
        self.problems = problems


class WorkbookImporter:
    """Import one workbook into ``plan`` (which may not be stored yet) on behalf of ``actor``, recorded in
    the plan's history as coming through ``channel`` (the command line when there is no actor)."""

    def __init__(
        self,
        *,
        plan: Plan,
        data: bytes,
        filename: str,
        actor: User | None,
        channel: str | None = None,
        upload: WorkbookUpload | None = None,
    ) -> None:
        self.upload = upload  # a pending upload being confirmed: its record is updated, not made again
        self.plan = plan
        self.data = data
        self.filename = filename
        self.actor = actor
        self.channel = channel or (Channel.WORKBOOK if actor is not None else Channel.COMMAND)

    def validate(self, *, read: WorkbookRead | None = None, engine: str = "calamine") -> Validation:
        """Every problem of the file, or the changes it makes; reads the stored tree once, writes nothing."""
        read = read or workbook_read(self.data, engine=engine)
        plan = self.plan
        problems = list(read.problems) if read.refused else _ownership_problems(plan, read) + read.problems
        if not read.refused:
            problems = self._rule_problems() + problems
        if problems:
            return Validation(read=read, problems=problems)
        stored = plan_tree(plan)
        tree = _reconcile(read.plan, stored)
        diff = plan_diff(stored, tree)
        warnings = []
        weights = weight_check(
            tree, expected=expected_plan_weight(fiscal_year=plan.fiscal_year, organisation=plan.organisation)
        )
        if tree.kpis() and not weights.ok:
            warnings.append({"message_th": weights.message_th, "message_en": weights.message_en})
        since: list[dict[str, str]] = []
        if plan.pk and read.revision is not None and plan.revision > read.revision and not diff.unchanged:
            warnings.append(dict(STALE_WARNING))
            since = changes_since(plan, read.revision)
        return Validation(
            read=read,
            problems=[],
            tree=tree,
            diff=diff,
            warnings=warnings,
            revision=plan.revision,
            stored=stored,
            since=since,
        )

    def _rule_problems(self) -> list[WorkbookProblem]:
        if not can_import_plan(self.actor, self.plan.organisation):
            return [file_problem(EDIT_PLAN.message_th, EDIT_PLAN.message_en)]
        try:
            plan_require_editable(self.plan)
        except DomainError as error:
            return [file_problem(error.message_th, error.message_en)]
        return []

    def apply(self, validation: Validation, *, allow_conflicts: bool = True) -> WorkbookUpload:
        """Write what ``validation`` found, all or nothing; a refused file is only recorded.

        Under the plan's lock the revision is checked: when the plan changed after the validation (another
        tab, another import), the file is validated again against the plan as it is now.
        """
        if not validation.ok:
            return self.record(WorkbookUploadStatus.REFUSED, problems=validation.problems)
        unsaved = self.plan
        try:
            with transaction.atomic():
                self.plan = plan_lock(self.plan)
                if self.upload is not None:
                    # A pending upload is confirmed once: a second click finds it done and changes nothing.
                    locked = WorkbookUpload.objects.select_for_update().get(pk=self.upload.pk)
                    if not locked.is_pending:
                        raise DomainError(
                            "ไฟล์นี้ไม่ได้รอการยืนยันแล้ว", "This upload is not waiting for confirmation"
                        )
                if self.plan.revision != validation.revision:
                    validation = self.validate(read=validation.read)
                    if not validation.ok:
                        raise _Refused(validation.problems)
                if validation.conflicts and not allow_conflicts:
                    raise DomainError(CONFLICT_REFUSAL_TH, CONFLICT_REFUSAL_EN)
                assert validation.diff is not None
                # An unchanged workbook is not sent to be compared a second time.
                written = not validation.diff.unchanged and plan_tree_replace(
                    plan=self.plan,
                    data=validation.tree,
                    actor=self.actor,
                    note=f"นำเข้าจากไฟล์ {Path(self.filename).name}",
                    channel=self.channel,
                )
                if not written:
                    return self.record(WorkbookUploadStatus.UNCHANGED, summary=validation.summary())
                after = Plan.objects.values_list("revision", flat=True).get(pk=self.plan.pk)
                return self.record(
                    WorkbookUploadStatus.ACCEPTED,
                    summary={**validation.summary(), "revision_after": after},
                    tree_before=plan_to_json(validation.stored),
                )
        except (DomainError, _Refused) as error:
            if unsaved.pk is None:
                self.plan = unsaved  # the plan stored for this import was rolled back with it
            if self.upload is not None and isinstance(error, DomainError):
                raise  # confirming a pending upload: the officer is told, the upload stays as it was
            problems = (
                error.problems
                if isinstance(error, _Refused)
                else [file_problem(error.message_th, error.message_en)]
            )
            return self.record(WorkbookUploadStatus.REFUSED, problems=problems)

    def preview(self) -> WorkbookUpload:
        """Check the file and keep it, waiting for the officer's confirmation: nothing of the plan is written.

        A refused or unchanged file needs no confirmation and is recorded as such at once.
        """
        validation = self.validate()
        if not validation.ok:
            return self.record(WorkbookUploadStatus.REFUSED, problems=validation.problems)
        assert validation.diff is not None
        if validation.diff.unchanged:
            return self.record(WorkbookUploadStatus.UNCHANGED, summary=validation.summary())
        return self.record(WorkbookUploadStatus.PENDING, summary=validation.summary())

    def run(
        self, *, dry_run: bool = False, read: WorkbookRead | None = None, engine: str = "calamine"
    ) -> WorkbookUpload:
        validation = self.validate(read=read, engine=engine)
        if dry_run:
            status = WorkbookUploadStatus.DRY_RUN if validation.ok else WorkbookUploadStatus.REFUSED
            return self.record(status, problems=validation.problems, summary=validation.summary(), save=False)
        return self.apply(validation)

    def record(
        self,
        status: str,
        *,
        problems: list[WorkbookProblem] | None = None,
        summary: dict[str, Any] | None = None,
        save: bool = True,
        tree_before: dict[str, Any] | None = None,
    ) -> WorkbookUpload:
        """The upload's record, with the original file kept as sent (an oversized one only as its record)."""
        values = {
            "plan": self.plan if self.plan.pk else None,
            "status": status,
            "problems": [p.as_dict() for p in problems or []],
            "summary": summary if summary is not None and status != WorkbookUploadStatus.REFUSED else {},
            "tree_before": tree_before,
        }
        if self.upload is not None:
            for name, value in values.items():
                setattr(self.upload, name, value)
            self.upload.save()
            return self.upload
        upload = WorkbookUpload(
            original_name=Path(self.filename).name[:255],
            sha256=hashlib.sha256(self.data).hexdigest(),
            uploaded_by=self.actor,
            **values,
        )
        if not save:
            return upload  # a dry run stores nothing, not even the file
        if len(self.data) <= settings.KHAMRAP_MAX_WORKBOOK_BYTES:
            upload.file.save("workbook.xlsx", ContentFile(self.data), save=False)
        upload.save()
        return upload


def changes_since(plan: Plan, revision: int) -> list[dict[str, str]]:
    """The field changes made to ``plan`` after ``revision`` (a workbook's download), newest last, each with
    who made it."""
    entries = []
    events = PlanEvent.objects.filter(plan=plan, revision__gt=revision).select_related("actor").order_by("pk")
    for event in events:
        who = event.actor.display_name if event.actor else "ระบบ"
        entries += [{**change, "by": who, "label": field_label(change["field"])} for change in event.changes]
    return entries


def workbook_upload_confirm(*, upload: WorkbookUpload, actor: User, replace_newer: bool) -> WorkbookUpload:
    """Import a pending upload the officer has looked at. When the plan changed after the file was downloaded
    and the file would replace such a change, nothing is written unless ``replace_newer`` says so."""
    if not upload.is_pending or upload.plan is None:
        raise DomainError("ไฟล์นี้ไม่ได้รอการยืนยันแล้ว กรุณาอัปโหลดใหม่", "This upload is not waiting for confirmation")
    with upload.file.open("rb") as handle:
        data = handle.read(settings.KHAMRAP_MAX_WORKBOOK_BYTES + 1)
    importer = WorkbookImporter(
        plan=upload.plan, data=data, filename=upload.original_name, actor=actor, upload=upload
    )
    validation = importer.validate()
    if validation.ok and upload.summary.get("preview_revision") != validation.revision:
        # The plan changed after the officer looked at the changes: show them again, as they are now.
        importer.record(WorkbookUploadStatus.PENDING, summary=validation.summary())
        raise DomainError(
            "แบบฟอร์มมีการแก้ไขหลังจากที่ท่านตรวจไฟล์นี้ กรุณาตรวจรายการเปลี่ยนแปลงอีกครั้งแล้วยืนยัน",
            "The plan changed after you checked this file; check the changes again and confirm",
        )
    if validation.ok and validation.conflicts and not replace_newer:
        importer.record(WorkbookUploadStatus.PENDING, summary=validation.summary())
        raise DomainError(CONFLICT_REFUSAL_TH, CONFLICT_REFUSAL_EN)
    return importer.apply(validation, allow_conflicts=replace_newer)


@transaction.atomic
def workbook_upload_undo(*, upload: WorkbookUpload, actor: User) -> None:
    """Put the plan back as it was before ``upload`` was imported, if nothing changed it since."""
    if upload.plan is None or not upload.is_accepted or upload.tree_before is None or upload.undone_at:
        raise DomainError("ย้อนการนำเข้านี้ไม่ได้", "This import cannot be undone")
    plan = plan_lock(upload.plan)
    if plan.revision != upload.summary.get("revision_after"):
        raise DomainError(
            "มีการแก้ไขแบบฟอร์มหลังการนำเข้าไฟล์นี้แล้ว จึงย้อนไม่ได้ (ดูประวัติการแก้ไข)",
            "The plan has changed since this import; it cannot be undone",
        )
    plan_tree_replace(
        plan=plan,
        data=plan_from_json(upload.tree_before),
        actor=actor,
        note=f"ย้อนการนำเข้าไฟล์ {upload.original_name}",
        channel=Channel.WORKBOOK,
        kind=PlanEventKind.IMPORT_UNDONE,
    )
    WorkbookUpload.objects.filter(pk=upload.pk).update(undone_at=timezone.now())


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
    return WorkbookImporter(plan=plan, data=data, filename=filename, actor=actor).run(
        dry_run=dry_run, engine=engine
    )


def _ownership_problems(plan: Plan, read: WorkbookRead) -> list[WorkbookProblem]:
    if read.fiscal_year is None or read.org_code is None:
        return []
    if read.fiscal_year == plan.fiscal_year.year and read.org_code == plan.organisation.code:
        return []
    owner = Organisation.objects.filter(code=read.org_code).first()
    owner_th = owner.name_th if owner else f"หน่วยงานรหัส {read.org_code}"
    owner_en = (owner.name_en or owner.name_th) if owner else f"the organisation coded {read.org_code}"
    here = plan.organisation
    return [
        file_problem(
            f"ไฟล์นี้เป็นแบบฟอร์มของ{owner_th} ปีงบประมาณ พ.ศ. {read.fiscal_year} "
            f"แต่กำลังนำเข้าให้{here.name_th} ปีงบประมาณ พ.ศ. {plan.fiscal_year.year} "
            "กรุณาดาวน์โหลดแบบฟอร์มของหน่วยงานนี้",
            f"This file is the form of {owner_en} for fiscal year {read.fiscal_year} B.E., but it is being "
            f"imported for {here.name_en or here.name_th}, fiscal year {plan.fiscal_year.year} B.E.; "
            "download this organisation's form",
        )
    ]


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
