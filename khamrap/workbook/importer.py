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

from khamrap.accounts.access import EDIT_PLAN, can_import_plan
from khamrap.accounts.models import User
from khamrap.core.errors import DomainError
from khamrap.frameworks.selectors import expected_plan_weight
from khamrap.orgs.models import Organisation
from khamrap.plans.diff import PlanDiff, plan_diff
from khamrap.plans.editing import plan_lock, plan_require_editable, plan_tree_replace
from khamrap.plans.models import Channel, Plan, WorkbookUpload, WorkbookUploadStatus
from khamrap.plans.schema import KpiData, PlanData, weight_check
from khamrap.plans.selectors import plan_tree
from khamrap.workbook.guard import WorkbookProblem, file_problem
from khamrap.workbook.layout import WorkbookRead
from khamrap.workbook.reader import workbook_read

STALE_WARNING = (
    "แบบฟอร์มในระบบมีการแก้ไขหลังจากดาวน์โหลดไฟล์นี้ ข้อมูลในไฟล์แทนที่ข้อมูลในระบบทั้งหมด กรุณาตรวจรายการเปลี่ยนแปลงให้ครบ"
)


@dataclass
class Validation:
    """What importing the workbook would do: its problems, or the tree it would write and the changes."""

    read: WorkbookRead
    problems: list[WorkbookProblem]
    tree: PlanData = field(default_factory=PlanData)
    diff: PlanDiff | None = None
    warnings: list[str] = field(default_factory=list)
    revision: int = 0  # the plan's revision the changes were computed against

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> dict[str, Any]:
        return {**(self.diff.as_dict() if self.diff else {}), "warnings": list(self.warnings)}


class _Refused(Exception):
    def __init__(self, problems: list[WorkbookProblem]) -> None:
        super().__init__(problems[0].message_th)
        self.problems = problems


class WorkbookImporter:
    """Import one workbook into ``plan`` (which may not be stored yet) on behalf of ``actor``, recorded in
    the plan's history as coming through ``channel`` (the command line when there is no actor)."""

    def __init__(
        self, *, plan: Plan, data: bytes, filename: str, actor: User | None, channel: str | None = None
    ) -> None:
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
            warnings.append(weights.message_th)
        if plan.pk and read.revision is not None and plan.revision > read.revision and not diff.unchanged:
            warnings.append(STALE_WARNING)
        return Validation(
            read=read, problems=[], tree=tree, diff=diff, warnings=warnings, revision=plan.revision
        )

    def _rule_problems(self) -> list[WorkbookProblem]:
        if not can_import_plan(self.actor, self.plan.organisation):
            return [file_problem(EDIT_PLAN.message_th)]
        try:
            plan_require_editable(self.plan)
        except DomainError as error:
            return [file_problem(error.message_th)]
        return []

    def apply(self, validation: Validation) -> WorkbookUpload:
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
                if self.plan.revision != validation.revision:
                    validation = self.validate(read=validation.read)
                    if not validation.ok:
                        raise _Refused(validation.problems)
                assert validation.diff is not None
                # An unchanged workbook is not sent to be compared a second time.
                written = not validation.diff.unchanged and plan_tree_replace(
                    plan=self.plan,
                    data=validation.tree,
                    actor=self.actor,
                    note=f"นำเข้าจากไฟล์ {Path(self.filename).name}",
                    channel=self.channel,
                )
                status = WorkbookUploadStatus.ACCEPTED if written else WorkbookUploadStatus.UNCHANGED
                return self.record(status, summary=validation.summary())
        except (DomainError, _Refused) as error:
            if unsaved.pk is None:
                self.plan = unsaved  # the plan stored for this import was rolled back with it
            problems = error.problems if isinstance(error, _Refused) else [file_problem(error.message_th)]
            return self.record(WorkbookUploadStatus.REFUSED, problems=problems)

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
    ) -> WorkbookUpload:
        """The upload's record, with the original file kept as sent (an oversized one only as its record)."""
        upload = WorkbookUpload(
            plan=self.plan if self.plan.pk else None,
            original_name=Path(self.filename).name[:255],
            sha256=hashlib.sha256(self.data).hexdigest(),
            uploaded_by=self.actor,
            status=status,
            problems=[p.as_dict() for p in problems or []],
            summary=summary if summary is not None and status != WorkbookUploadStatus.REFUSED else {},
        )
        if not save:
            return upload  # a dry run stores nothing, not even the file
        if len(self.data) <= settings.KHAMRAP_MAX_WORKBOOK_BYTES:
            upload.file.save("workbook.xlsx", ContentFile(self.data), save=False)
        upload.save()
        return upload


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
    owner_name = owner.name_th if owner else f"หน่วยงานรหัส {read.org_code}"
    return [
        file_problem(
            f"ไฟล์นี้เป็นแบบฟอร์มของ{owner_name} ปีงบประมาณ พ.ศ. {read.fiscal_year} "
            f"แต่กำลังนำเข้าให้{plan.organisation.name_th} ปีงบประมาณ พ.ศ. {plan.fiscal_year.year} "
            "กรุณาดาวน์โหลดแบบฟอร์มของหน่วยงานนี้"
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
