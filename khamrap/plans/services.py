"""Writes to plans. Every state change happens here, atomically, after checking the current state."""

from dataclasses import asdict
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TypeVar

from django.db import transaction
from django.db.models import F, Max, QuerySet
from django.utils import timezone

from khamrap.accounts.access import can_approve_plan_of, can_edit_plan_of
from khamrap.accounts.models import User
from khamrap.core.errors import DomainError
from khamrap.frameworks.models import FiscalYear
from khamrap.orgs.models import Organisation
from khamrap.plans.models import (
    Goal,
    Kpi,
    KpiType,
    MilestoneLevel,
    Plan,
    PlanEvent,
    PlanEventKind,
    PlanSnapshot,
    PlanStatus,
    StrategicIssue,
    SubmissionExtension,
)
from khamrap.plans.schema import KpiData, PlanData, plan_problems
from khamrap.plans.selectors import deadline_for, expected_plan_weight, plan_framework, plan_tree

KPI_FIELDS = (
    "name", "unit", "weight", "kpi_type", "direction", "target", "definition", "formula", "data_source",
    "supervisor_name", "supervisor_phone", "collector_name", "collector_phone", "remarks",
)  # fmt: skip


def plan_get_or_create(*, fiscal_year: FiscalYear, organisation: Organisation) -> Plan:
    plan, _ = Plan.objects.get_or_create(fiscal_year=fiscal_year, organisation=organisation)
    return plan


def _lock(plan: Plan) -> Plan:
    return Plan.objects.select_for_update().select_related("fiscal_year", "organisation").get(pk=plan.pk)


def _require_editable(plan: Plan, actor: User | None, *, action_th: str = "แก้ไข") -> None:
    if actor is not None and not can_edit_plan_of(actor, plan.organisation):
        raise DomainError(
            f"ท่านไม่มีสิทธิ์{action_th}แบบฟอร์มของหน่วยงานนี้", "You may not change this organisation's plan"
        )
    if not plan.is_editable:
        raise DomainError(
            f"แบบฟอร์มอยู่ในสถานะ '{plan.get_status_display()}' จึง{action_th}ไม่ได้ จนกว่าสำนักงาน ก.พ.ร. จะส่งกลับ",
            "The plan is read-only until OPDC returns it",
        )


def plan_lock_for_change(*, plan: Plan, actor: User | None, action_th: str = "แก้ไข") -> Plan:
    """Lock the plan row for this transaction and check that ``actor`` may change it now."""
    plan = _lock(plan)
    _require_editable(plan, actor, action_th=action_th)
    return plan


def plan_changed(*, plan: Plan, actor: User | None, kind: str = PlanEventKind.EDITED, note: str = "") -> None:
    """Record a change: the revision moves (so cached views of the plan do too) and, except for plain
    edits, an event joins the plan's history."""
    Plan.objects.filter(pk=plan.pk).update(revision=F("revision") + 1, updated_at=timezone.now())
    if kind != PlanEventKind.EDITED:
        PlanEvent.objects.create(plan=plan, kind=kind, actor=actor, note=note)


def plan_renumber(plan: Plan) -> None:
    """Give indicator 1's sub-KPIs their codes (1.1, 1.2 …) in tree order."""
    prefix = _plan_indicator_code(plan)
    kpis = list(
        Kpi.objects.filter(plan=plan).order_by(
            "goal__issue__position", "goal__issue__pk", "goal__position", "goal__pk", "position", "pk"
        )
    )
    changed = []
    for number, kpi in enumerate(kpis, start=1):
        code = f"{prefix}.{number}"
        if kpi.code != code:
            kpi.code = code
            changed.append(kpi)
    Kpi.objects.bulk_update(changed, ["code"])


# --- the whole tree at once (the workbook import) -------------------------------------------------


def _kpi_values(data: KpiData) -> dict[str, Any]:
    values = {name: getattr(data, name) for name in KPI_FIELDS}
    values.update({f"baseline_{n}": v for n, v in enumerate(data.baselines, start=1)})
    values.update({f"criteria_{n}": v for n, v in enumerate(data.criteria, start=1)})
    return values


@transaction.atomic
def plan_tree_replace(*, plan: Plan, data: PlanData, actor: User | None, note: str = "") -> bool:
    """Make the plan's tree exactly ``data``, keeping each KPI's identity (``uid``). All or nothing.

    Returns False and writes nothing when ``data`` equals what is stored (an unchanged workbook).
    Issues and goals are matched by position and KPIs by uid, and only the rows that differ are
    written, so a workbook with two changed targets costs two KPI updates, not a rewrite of the tree.
    """
    plan = plan_lock_for_change(plan=plan, actor=actor)
    if _comparable(plan_tree(plan)) == _comparable(data):
        return False
    prefix = _plan_indicator_code(plan)
    issues = _rows_by_position(
        list(StrategicIssue.objects.filter(plan=plan).order_by("position", "pk")),
        [StrategicIssue(plan=plan, position=i, name=d.name) for i, d in enumerate(data.issues)],
        model=StrategicIssue,
    )
    old_goals: dict[int, list[Goal]] = {}
    for goal in Goal.objects.filter(issue__plan=plan).order_by("position", "pk"):
        old_goals.setdefault(goal.issue_id, []).append(goal)
    wanted_goals = [
        Goal(issue=issue, position=g, name=goal_data.name)
        for issue, issue_data in zip(issues, data.issues, strict=True)
        for g, goal_data in enumerate(issue_data.goals)
    ]
    goals = _rows_by_position(
        [goal for issue in issues for goal in old_goals.get(issue.pk, [])],
        wanted_goals,
        model=Goal,
        key=lambda goal: (goal.issue_id, goal.position),
    )
    goal_of = {(goal.issue_id, goal.position): goal for goal in goals}
    existing = {str(k.uid): k for k in Kpi.objects.filter(plan=plan).prefetch_related("levels")}
    kept: set[str] = set()
    to_create: list[Kpi] = []
    to_update: list[Kpi] = []
    relevel: list[tuple[Kpi, KpiData]] = []
    position = 0
    for issue, issue_data in zip(issues, data.issues, strict=True):
        for g, goal_data in enumerate(issue_data.goals):
            goal = goal_of[(issue.pk, g)]
            for item in goal_data.kpis:
                position += 1
                values = {**_kpi_values(item), "goal_id": goal.pk, "position": position}
                values["code"] = f"{prefix}.{position}"
                kpi = existing.get(item.uid or "")
                if kpi is not None and str(kpi.uid) not in kept:
                    kept.add(str(kpi.uid))
                    if any(getattr(kpi, name) != value for name, value in values.items()):
                        for name, value in values.items():
                            setattr(kpi, name, value)
                        to_update.append(kpi)
                    if _levels_of(kpi) != _wanted_levels(item):
                        relevel.append((kpi, item))
                else:
                    kpi = Kpi(plan=plan, **values)
                    to_create.append(kpi)
                    relevel.append((kpi, item))
    Kpi.objects.bulk_update(to_update, [*_kpi_values(KpiData(name="")).keys(), "goal_id", "position", "code"])
    Kpi.objects.bulk_create(to_create)
    Kpi.objects.filter(plan=plan).exclude(
        uid__in=[k.uid for k in to_update + to_create] + list(kept)
    ).delete()
    Goal.objects.filter(issue__plan=plan).exclude(pk__in=[g.pk for g in goals]).delete()
    StrategicIssue.objects.filter(plan=plan).exclude(pk__in=[i.pk for i in issues]).delete()
    MilestoneLevel.objects.filter(kpi__in=[kpi for kpi, _ in relevel if kpi.pk]).delete()
    MilestoneLevel.objects.bulk_create(
        MilestoneLevel(kpi=kpi, level=level, description=description, substeps=list(substeps))
        for kpi, item in relevel
        for level, description, substeps in _wanted_levels(item)
    )
    plan_changed(plan=plan, actor=actor, kind=PlanEventKind.IMPORTED, note=note)
    return True


def _plan_indicator_code(plan: Plan) -> str:
    """The code of indicator 1 in the plan's framework: its sub-KPIs are numbered under it."""
    framework = plan_framework(plan)
    indicator = framework.indicators.filter(is_plan_indicator=True).first() if framework else None
    return indicator.code if indicator else "1"


RowT = TypeVar("RowT", StrategicIssue, Goal)


def _rows_by_position(
    old: list[RowT], wanted: list[RowT], *, model: type[RowT], key: Any = None
) -> list[RowT]:
    """Reuse the stored rows in order for the wanted ones (renaming where needed); create the rest."""
    by_key = {key(row): row for row in old} if key else dict(enumerate(old))
    result: list[RowT] = []
    renamed: list[RowT] = []
    new: list[RowT] = []
    for index, row in enumerate(wanted):
        stored = by_key.get(key(row) if key else index)
        if stored is None:
            new.append(row)
            result.append(row)
            continue
        if (stored.name, stored.position) != (row.name, row.position):
            stored.name, stored.position = row.name, row.position
            renamed.append(stored)
        result.append(stored)
    model.objects.bulk_update(renamed, ["name", "position"])
    model.objects.bulk_create(new)
    return result


def _levels_of(kpi: Kpi) -> list[tuple[int, str, tuple[str, ...]]]:
    return [(lv.level, lv.description, tuple(lv.substeps)) for lv in kpi.levels.all()]


def _wanted_levels(item: KpiData) -> list[tuple[int, str, tuple[str, ...]]]:
    if item.kpi_type != KpiType.MILESTONE:
        return []
    return sorted(
        (lv.level, lv.description, tuple(lv.substeps)) for lv in item.levels if lv.description.strip()
    )


def _comparable(data: PlanData) -> dict[str, Any]:
    """Plan data without codes, normalised so that 80 == 80.0000 and levels only count for milestones."""

    def norm(value: Any) -> Any:
        if isinstance(value, Decimal):
            return value.normalize()
        if isinstance(value, (list, tuple)):
            return [norm(v) for v in value]
        if isinstance(value, dict):
            return {k: norm(v) for k, v in value.items() if k != "code"}
        return value

    raw = asdict(data)
    for issue in raw["issues"]:
        for goal in issue["goals"]:
            for kpi in goal["kpis"]:
                if kpi["kpi_type"] != KpiType.MILESTONE:
                    kpi["levels"] = []
                else:
                    kpi["levels"] = [lv for lv in kpi["levels"] if lv["description"].strip()]
    return norm(raw)  # type: ignore[no-any-return]


def _next_position(siblings: QuerySet[Any]) -> int:
    """The position after the last of ``siblings``: new rows go at the end."""
    return int(siblings.aggregate(m=Max("position"))["m"] or 0) + 1


# --- piece by piece (the web form) ----------------------------------------------------------------


@transaction.atomic
def issue_add(*, plan: Plan, actor: User, name: str) -> StrategicIssue:
    plan = plan_lock_for_change(plan=plan, actor=actor)
    position = _next_position(StrategicIssue.objects.filter(plan=plan))
    issue = StrategicIssue.objects.create(plan=plan, name=name.strip(), position=position)
    plan_changed(plan=plan, actor=actor)
    return issue


@transaction.atomic
def issue_rename(*, issue: StrategicIssue, actor: User, name: str) -> None:
    plan = plan_lock_for_change(plan=issue.plan, actor=actor)
    StrategicIssue.objects.filter(pk=issue.pk).update(name=name.strip())
    plan_changed(plan=plan, actor=actor)


@transaction.atomic
def issue_delete(*, issue: StrategicIssue, actor: User) -> None:
    plan = plan_lock_for_change(plan=issue.plan, actor=actor)
    issue.delete()
    plan_renumber(plan)
    plan_changed(plan=plan, actor=actor)


@transaction.atomic
def goal_add(*, issue: StrategicIssue, actor: User, name: str) -> Goal:
    plan = plan_lock_for_change(plan=issue.plan, actor=actor)
    position = _next_position(Goal.objects.filter(issue=issue))
    goal = Goal.objects.create(issue=issue, name=name.strip(), position=position)
    plan_changed(plan=plan, actor=actor)
    return goal


@transaction.atomic
def goal_rename(*, goal: Goal, actor: User, name: str) -> None:
    plan = plan_lock_for_change(plan=goal.issue.plan, actor=actor)
    Goal.objects.filter(pk=goal.pk).update(name=name.strip())
    plan_changed(plan=plan, actor=actor)


@transaction.atomic
def goal_delete(*, goal: Goal, actor: User) -> None:
    plan = plan_lock_for_change(plan=goal.issue.plan, actor=actor)
    goal.delete()
    plan_renumber(plan)
    plan_changed(plan=plan, actor=actor)


@transaction.atomic
def kpi_add(*, goal: Goal, actor: User, name: str, kpi_type: str = KpiType.QUANTITATIVE) -> Kpi:
    plan = plan_lock_for_change(plan=goal.issue.plan, actor=actor)
    position = _next_position(Kpi.objects.filter(goal=goal))
    kpi = Kpi.objects.create(plan=plan, goal=goal, name=name.strip(), kpi_type=kpi_type, position=position)
    plan_renumber(plan)
    plan_changed(plan=plan, actor=actor)
    kpi.refresh_from_db()
    return kpi


@transaction.atomic
def kpi_update(
    *, kpi: Kpi, actor: User, values: dict[str, Any], levels: dict[int, tuple[str, list[str]]]
) -> Kpi:
    """Save a draft of one KPI row (the web form autosaves through here)."""
    plan = plan_lock_for_change(plan=kpi.plan, actor=actor)
    # Read the row again under the lock and write only the form's fields: a move, renumbering or deletion
    # since the caller read it must not be undone (a plain save() would even re-insert a deleted KPI).
    current = Kpi.objects.filter(pk=kpi.pk, plan=plan).first()
    if current is None:
        raise DomainError("ตัวชี้วัดนี้ถูกลบไปแล้ว กรุณาเปิดแบบฟอร์มใหม่", "This KPI has been deleted; reload the plan")
    kpi = current
    for name, value in values.items():
        setattr(kpi, name, value)
    kpi.save(update_fields=list(values))
    if kpi.kpi_type == KpiType.MILESTONE:
        for level, (description, substeps) in levels.items():
            MilestoneLevel.objects.update_or_create(
                kpi=kpi, level=level, defaults={"description": description, "substeps": substeps}
            )
    plan_changed(plan=plan, actor=actor)
    return kpi


@transaction.atomic
def kpi_delete(*, kpi: Kpi, actor: User) -> None:
    plan = plan_lock_for_change(plan=kpi.plan, actor=actor)
    kpi.delete()
    plan_renumber(plan)
    plan_changed(plan=plan, actor=actor)


SiblingT = TypeVar("SiblingT", StrategicIssue, Goal, Kpi)


def _swap_with_neighbour(siblings: list[SiblingT], item: SiblingT, offset: int) -> list[SiblingT]:
    """The siblings renumbered after moving ``item`` up (-1) or down (+1); unchanged at either end."""
    index = next(i for i, sibling in enumerate(siblings) if sibling.pk == item.pk)
    target = index + offset
    if 0 <= target < len(siblings):
        siblings[index], siblings[target] = siblings[target], siblings[index]
    for position, sibling in enumerate(siblings, start=1):
        sibling.position = position
    return siblings


@transaction.atomic
def issue_move(*, issue: StrategicIssue, actor: User, offset: int) -> None:
    """Move a strategic issue up (-1) or down (+1); the codes of the KPIs under it follow."""
    plan = plan_lock_for_change(plan=issue.plan, actor=actor)
    siblings = list(StrategicIssue.objects.filter(plan=plan).order_by("position", "pk"))
    StrategicIssue.objects.bulk_update(_swap_with_neighbour(siblings, issue, offset), ["position"])
    plan_renumber(plan)
    plan_changed(plan=plan, actor=actor)


@transaction.atomic
def goal_move(*, goal: Goal, actor: User, offset: int) -> None:
    """Move a goal up (-1) or down (+1) within its strategic issue."""
    plan = plan_lock_for_change(plan=goal.issue.plan, actor=actor)
    siblings = list(Goal.objects.filter(issue_id=goal.issue_id).order_by("position", "pk"))
    Goal.objects.bulk_update(_swap_with_neighbour(siblings, goal, offset), ["position"])
    plan_renumber(plan)
    plan_changed(plan=plan, actor=actor)


@transaction.atomic
def kpi_move(*, kpi: Kpi, actor: User, offset: int) -> None:
    """Move a KPI up (-1) or down (+1) within its goal; codes follow."""
    plan = plan_lock_for_change(plan=kpi.plan, actor=actor)
    siblings = list(Kpi.objects.filter(goal_id=kpi.goal_id).order_by("position", "pk"))
    Kpi.objects.bulk_update(_swap_with_neighbour(siblings, kpi, offset), ["position"])
    plan_renumber(plan)
    plan_changed(plan=plan, actor=actor)


# --- submission -----------------------------------------------------------------------------------


def _extension(plan: Plan) -> SubmissionExtension | None:
    return SubmissionExtension.objects.filter(
        fiscal_year=plan.fiscal_year, organisation=plan.organisation
    ).first()


def _snapshot(plan: Plan, actor: User) -> None:
    tree = plan_tree(plan)
    PlanSnapshot.objects.create(
        plan=plan,
        version=plan.version,
        status=plan.status,
        created_by=actor,
        data=_json_safe(asdict(tree)),
    )


def _json_safe(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [_json_safe(v) for v in value]
    if isinstance(value, dict):
        return {k: _json_safe(v) for k, v in value.items()}
    return value


def submission_problems(
    plan: Plan, *, tree: PlanData | None = None, expected_weight: Decimal | None = None
) -> list[str]:
    """Why the plan cannot be submitted yet, as sentences in Thai (empty when it can).

    A caller that has already read the tree or the expected weight passes them in.
    """
    tree = plan_tree(plan) if tree is None else tree
    if not tree.kpis() and plan.attachments.exists():
        return []  # the letter allows sending the action plan instead of the rows
    if expected_weight is None:
        expected_weight = expected_plan_weight(fiscal_year=plan.fiscal_year, organisation=plan.organisation)
    problems = plan_problems(tree, expected_weight=expected_weight)
    messages = list(problems.plan)
    for code, found in problems.by_kpi.items():
        messages += [f"ตัวชี้วัด {code}: {p.message_th}" for p in found]
    return messages


def _require_window_open(plan: Plan, when: datetime) -> None:
    extension = _extension(plan)
    if plan.fiscal_year.submission_open:
        return
    if extension and when <= plan.fiscal_year.deadline_end(extension.until):
        return
    raise DomainError(
        "สำนักงาน ก.พ.ร. ปิดรับแบบฟอร์มของปีงบประมาณนี้แล้ว กรุณาติดต่อขอขยายเวลา",
        "OPDC has closed submissions for this fiscal year",
    )


def _mark_received(plan: Plan, actor: User, when: datetime) -> None:
    extension = _extension(plan)
    deadline = deadline_for(fiscal_year=plan.fiscal_year, extension=extension)
    plan.status = (
        PlanStatus.RESUBMITTED
        if plan.status == PlanStatus.RETURNED or plan.version > 1
        else PlanStatus.SUBMITTED
    )
    if plan.submitted_at is None:
        # Lateness is judged on the first submission; a resubmission after OPDC's return is never "late".
        plan.submitted_at = when
        plan.is_late = when > plan.fiscal_year.deadline_end(deadline)
    plan.submitted_by = plan.submitted_by or actor
    plan.save()
    _snapshot(plan, actor)
    PlanEvent.objects.create(plan=plan, kind=PlanEventKind.SUBMITTED, actor=actor)


@transaction.atomic
def plan_submit(*, plan: Plan, actor: User, when: datetime | None = None) -> Plan:
    """The officer sends the plan: to the governor first when the framework asks for approval."""
    when = when or timezone.now()
    plan = plan_lock_for_change(plan=plan, actor=actor)
    _require_window_open(plan, when)
    problems = submission_problems(plan)
    if problems:
        raise DomainError("ยังส่งไม่ได้: " + "; ".join(problems), "The plan is incomplete")
    framework = plan_framework(plan)
    if framework is not None and framework.requires_executive_approval:
        plan.status = PlanStatus.AWAITING_APPROVAL
        plan.save(update_fields=["status", "updated_at"])
        PlanEvent.objects.create(plan=plan, kind=PlanEventKind.APPROVAL_REQUESTED, actor=actor)
    else:
        _mark_received(plan, actor, when)
    return plan


@transaction.atomic
def plan_approve(*, plan: Plan, actor: User, when: datetime | None = None) -> Plan:
    """The governor approves: the plan reaches OPDC now, and the time counts for the deadline."""
    when = when or timezone.now()
    plan = _lock(plan)
    if not can_approve_plan_of(actor, plan.organisation):
        raise DomainError(
            "เฉพาะผู้ว่าราชการจังหวัดของหน่วยงานนี้อนุมัติได้", "Only this organisation's executive approves"
        )
    if plan.status != PlanStatus.AWAITING_APPROVAL:
        raise DomainError("แบบฟอร์มนี้ไม่ได้รออนุมัติ", "The plan is not awaiting approval")
    _require_window_open(plan, when)
    PlanEvent.objects.create(plan=plan, kind=PlanEventKind.APPROVED, actor=actor)
    _mark_received(plan, actor, when)
    return plan


@transaction.atomic
def plan_send_back(*, plan: Plan, actor: User, note: str) -> Plan:
    """The governor sends the plan back to the officer instead of approving it."""
    plan = _lock(plan)
    if not can_approve_plan_of(actor, plan.organisation):
        raise DomainError("เฉพาะผู้ว่าราชการจังหวัดของหน่วยงานนี้", "Only this organisation's executive")
    if plan.status != PlanStatus.AWAITING_APPROVAL:
        raise DomainError("แบบฟอร์มนี้ไม่ได้รออนุมัติ", "The plan is not awaiting approval")
    plan.status = PlanStatus.RETURNED if plan.version > 1 else PlanStatus.DRAFT
    plan.save(update_fields=["status", "updated_at"])
    PlanEvent.objects.create(plan=plan, kind=PlanEventKind.WITHDRAWN, actor=actor, note=note)
    return plan


@transaction.atomic
def plan_return(*, plan: Plan, actor: User, note: str) -> Plan:
    """OPDC returns a submitted plan for revision: it becomes editable again as a new version."""
    plan = _lock(plan)
    if not actor.is_opdc:
        raise DomainError("เฉพาะเจ้าหน้าที่สำนักงาน ก.พ.ร.", "Only OPDC staff")
    if plan.status not in {PlanStatus.SUBMITTED, PlanStatus.RESUBMITTED, PlanStatus.UNDER_REVIEW}:
        raise DomainError("ส่งกลับได้เฉพาะแบบฟอร์มที่ส่งแล้ว", "Only a submitted plan can be returned")
    if not note.strip():
        raise DomainError("กรุณาระบุสิ่งที่ต้องแก้ไข", "Say what must be revised")
    plan.status = PlanStatus.RETURNED
    plan.version += 1
    plan.save(update_fields=["status", "version", "updated_at"])
    PlanEvent.objects.create(plan=plan, kind=PlanEventKind.RETURNED, actor=actor, note=note)
    return plan


@transaction.atomic
def extension_grant(
    *, fiscal_year: FiscalYear, organisation: Organisation, until: date, reason: str, actor: User
) -> SubmissionExtension:
    if not actor.is_admin:
        raise DomainError("เฉพาะผู้ดูแลระบบขยายเวลาได้", "Only the administrator grants extensions")
    if until <= fiscal_year.submission_deadline:
        raise DomainError("วันที่ขยายต้องอยู่หลังกำหนดส่งเดิม", "The extension must end after the deadline")
    extension, _ = SubmissionExtension.objects.update_or_create(
        fiscal_year=fiscal_year,
        organisation=organisation,
        defaults={"until": until, "reason": reason, "granted_by": actor},
    )
    return extension


@transaction.atomic
def submission_window_set(*, fiscal_year: FiscalYear, is_open: bool, actor: User) -> None:
    if not actor.is_admin:
        raise DomainError("เฉพาะผู้ดูแลระบบ", "Only the administrator")
    FiscalYear.objects.filter(pk=fiscal_year.pk).update(submission_open=is_open)
