"""Changes to a plan's tree: the whole tree at once (the workbook) or piece by piece (the web form).

Every change locks the plan, asks :mod:`khamrap.accounts.access` whether the actor may make it, refuses a plan
that is not open for editing in one wording, renumbers the KPIs in one way and records itself.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, TypeVar

from django.db import IntegrityError, transaction
from django.db.models import F, Max, QuerySet
from django.utils import timezone

from khamrap.accounts.access import EDIT_PLAN, can_edit_plan, can_import_plan, ensure
from khamrap.accounts.models import User
from khamrap.core.errors import DomainError
from khamrap.frameworks.models import FiscalYear
from khamrap.frameworks.selectors import plan_indicator_code
from khamrap.orgs.models import Organisation
from khamrap.plans.diff import levels_text, plan_diff, same_value, stored_text
from khamrap.plans.indexing import INDEX_COLUMNS, INDEXED_FIELDS, kpi_index
from khamrap.plans.models import (
    Channel,
    Goal,
    Kpi,
    KpiType,
    MilestoneLevel,
    Plan,
    PlanEvent,
    PlanEventKind,
    StrategicIssue,
)
from khamrap.plans.schema import KPI_FIELDS, KpiData, LevelData, PlanData, kpi_values
from khamrap.plans.selectors import plan_tree


def plan_get_or_create(*, fiscal_year: FiscalYear, organisation: Organisation) -> Plan:
    plan, _ = Plan.objects.get_or_create(fiscal_year=fiscal_year, organisation=organisation)
    return plan


def plan_lock(plan: Plan) -> Plan:
    """The plan's row, locked for this transaction (created first if it is not stored yet).

    On PostgreSQL ``select_for_update`` holds the row; SQLite runs every transaction as IMMEDIATE, which
    holds the whole database for the writer, so two changes of one plan always run one after the other.
    """
    if plan.pk is None:
        plan = plan_get_or_create(fiscal_year=plan.fiscal_year, organisation=plan.organisation)
    return Plan.objects.select_for_update().select_related("fiscal_year", "organisation").get(pk=plan.pk)


def plan_require_editable(plan: Plan) -> None:
    """The one refusal of a change to a plan that is not open for editing."""
    if not plan.is_editable:
        raise DomainError(
            f"แบบฟอร์มอยู่ในสถานะ '{plan.get_status_display()}' จึงแก้ไขไม่ได้ จนกว่าสำนักงาน ก.พ.ร. จะส่งกลับ",
            f"The plan is {plan.status} and read-only until OPDC returns it",
        )


def plan_lock_for_change(*, plan: Plan, actor: User, allowed: Callable[[Plan], bool] | None = None) -> Plan:
    """Lock the plan row for this transaction and check that ``actor`` may change it now.

    ``allowed`` is the permission asked (default: :func:`~khamrap.accounts.access.can_edit_plan`).
    """
    plan = plan_lock(plan)
    permitted = allowed(plan) if allowed else can_edit_plan(actor, plan.organisation)
    ensure(permitted, EDIT_PLAN)
    plan_require_editable(plan)
    return plan


def change(field: str, old: Any, new: Any, *, kpi: Kpi | None = None) -> dict[str, str]:
    """One entry of the history: ``field`` of ``kpi`` (or of the plan's outline) went from ``old`` to ``new``."""
    return {
        "kpi": str(kpi.uid) if kpi else "",
        "code": kpi.code if kpi else "",
        "field": field,
        "old": stored_text(old),
        "new": stored_text(new),
    }


def plan_changed(
    *,
    plan: Plan,
    actor: User | None,
    kind: str = PlanEventKind.EDITED,
    note: str = "",
    changes: list[dict[str, str]] | None = None,
    channel: str = Channel.WEB,
) -> int:
    """Record a change: the revision moves (so open pages and stale workbooks can tell) and an event with
    who, when, through which channel and each field old → new joins the history. Returns the revision."""
    Plan.objects.filter(pk=plan.pk).update(revision=F("revision") + 1, updated_at=timezone.now())
    revision = Plan.objects.values_list("revision", flat=True).get(pk=plan.pk)
    if kind != PlanEventKind.EDITED or changes:
        PlanEvent.objects.create(
            plan=plan,
            kind=kind,
            actor=actor,
            note=note,
            changes=changes or [],
            channel=channel,
            revision=revision,
        )
    return revision


def kpi_code(prefix: str, number: int) -> str:
    """The code of indicator ``prefix``'s ``number``-th sub-KPI: ``kpi_code("1", 3) == "1.3"``."""
    return f"{prefix}.{number}"


def plan_renumber(plan: Plan) -> None:
    """Give indicator 1's sub-KPIs their codes (1.1, 1.2 …) in tree order."""
    prefix = plan_indicator_code(fiscal_year=plan.fiscal_year, organisation=plan.organisation)
    kpis = list(
        Kpi.objects.filter(plan=plan).order_by(
            "goal__issue__position", "goal__issue__pk", "goal__position", "goal__pk", "position", "pk"
        )
    )
    changed = []
    for number, kpi in enumerate(kpis, start=1):
        code = kpi_code(prefix, number)
        if kpi.code != code:
            kpi.code = code
            changed.append(kpi)
    Kpi.objects.bulk_update(changed, ["code"])


# --- the whole tree at once (the workbook import) -------------------------------------------------


@transaction.atomic
def plan_tree_replace(
    *,
    plan: Plan,
    data: PlanData,
    actor: User | None,
    note: str = "",
    channel: str = Channel.WORKBOOK,
    kind: str = PlanEventKind.IMPORTED,
) -> bool:
    """Make the plan's tree exactly ``data``, keeping each KPI's identity (``uid``). All or nothing.

    Returns False and writes nothing when ``data`` equals what is stored (an unchanged workbook).
    Issues and goals are matched by position and KPIs by uid, and only the rows that differ are
    written, so a workbook with two changed targets costs two KPI updates, not a rewrite of the tree.
    """
    plan = plan_lock(plan)
    ensure(can_import_plan(actor, plan.organisation), EDIT_PLAN)
    plan_require_editable(plan)
    prefix = plan_indicator_code(fiscal_year=plan.fiscal_year, organisation=plan.organisation)
    data = _identified(plan, data, prefix=prefix)
    diff = plan_diff(plan_tree(plan), data)  # after uids and codes are given: the history names them
    if diff.unchanged:
        return False
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
                values = {**kpi_values(item), "goal_id": goal.pk, "position": position, "code": item.code}
                kpi = existing.get(item.uid or "")
                if kpi is not None and str(kpi.uid) not in kept:
                    kept.add(str(kpi.uid))
                    if any(getattr(kpi, name) != value for name, value in values.items()):
                        for name, value in values.items():
                            setattr(kpi, name, value)
                        kpi_index(kpi)
                        to_update.append(kpi)
                    if _levels_of(kpi) != _wanted_levels(item):
                        relevel.append((kpi, item))
                else:
                    assert item.uid is not None  # every KPI has its uid by now (_identified)
                    kpi = Kpi(plan=plan, uid=item.uid, **values)
                    kpi_index(kpi)
                    to_create.append(kpi)
                    relevel.append((kpi, item))
    Kpi.objects.bulk_update(
        to_update, [*(f.name for f in KPI_FIELDS), *INDEX_COLUMNS, "goal_id", "position", "code"]
    )
    try:
        with transaction.atomic():  # a savepoint: the refusal below leaves the caller's transaction usable
            Kpi.objects.bulk_create(to_create)
    except IntegrityError as error:
        # A uid given back (an undo) was taken by another plan's KPI after _identified looked: nothing is
        # written, and the next attempt gives that KPI a new uid.
        raise DomainError(
            "มีการแก้ไขแบบฟอร์มอื่นพร้อมกันพอดี จึงยังไม่ได้บันทึก กรุณาลองอีกครั้ง",
            "Another plan changed at the same moment; nothing was saved, try again",
        ) from error
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
    plan_changed(
        plan=plan,
        actor=actor,
        kind=kind,
        note=note,
        changes=diff.changes(),
        channel=channel,
    )
    return True


def _identified(plan: Plan, data: PlanData, *, prefix: str) -> PlanData:
    """``data`` with the uid and code every KPI will have, before anything is written: a KPI of this plan
    keeps its uid; a KPI carrying a uid no KPI holds any more (an undo bringing back a deleted KPI) gets
    that uid back; any other (new, repeated, another plan's, malformed) gets a new one. Codes follow the
    tree's order. The history then records each added KPI under the uid and code it really has."""
    wanted = {uid for uid in (_canonical_uid(kpi.uid) for kpi in data.kpis()) if uid}
    held = dict(Kpi.objects.filter(uid__in=wanted).values_list("uid", "plan_id"))
    held_by = {str(uid): plan_id for uid, plan_id in held.items()}
    given: list[str] = []

    def uid_for(kpi: KpiData) -> KpiData:
        uid = _canonical_uid(kpi.uid)
        if uid is None or held_by.get(uid, plan.pk) != plan.pk or uid in given:
            uid = str(uuid.uuid4())
        given.append(uid)
        return replace(kpi, uid=uid, code=kpi_code(prefix, len(given)))

    return replace(
        data,
        issues=tuple(
            replace(
                issue,
                goals=tuple(replace(goal, kpis=tuple(uid_for(k) for k in goal.kpis)) for goal in issue.goals),
            )
            for issue in data.issues
        ),
    )


def _canonical_uid(text: str | None) -> str | None:
    """``text`` as the database writes a uid, or None when it is not one."""
    try:
        return str(uuid.UUID(text)) if text else None
    except ValueError:
        return None


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


def _next_position(siblings: QuerySet[Any]) -> int:
    """The position after the last of ``siblings``: new rows go at the end."""
    return int(siblings.aggregate(m=Max("position"))["m"] or 0) + 1


# --- piece by piece (the web form) ----------------------------------------------------------------


@transaction.atomic
def issue_add(*, plan: Plan, actor: User, name: str) -> StrategicIssue:
    plan = plan_lock_for_change(plan=plan, actor=actor)
    position = _next_position(StrategicIssue.objects.filter(plan=plan))
    issue = StrategicIssue.objects.create(plan=plan, name=name.strip(), position=position)
    plan_changed(plan=plan, actor=actor, changes=[change("issue", "", issue.name)])
    return issue


@transaction.atomic
def issue_rename(*, issue: StrategicIssue, actor: User, name: str) -> None:
    plan = plan_lock_for_change(plan=issue.plan, actor=actor)
    old = StrategicIssue.objects.values_list("name", flat=True).get(pk=issue.pk)
    StrategicIssue.objects.filter(pk=issue.pk).update(name=name.strip())
    if old != name.strip():
        plan_changed(plan=plan, actor=actor, changes=[change("issue", old, name.strip())])


@transaction.atomic
def issue_delete(*, issue: StrategicIssue, actor: User) -> None:
    plan = plan_lock_for_change(plan=issue.plan, actor=actor)
    gone = [change("kpi", kpi.name, "", kpi=kpi) for kpi in Kpi.objects.filter(goal__issue=issue)]
    issue.delete()
    plan_renumber(plan)
    plan_changed(plan=plan, actor=actor, changes=[change("issue", issue.name, ""), *gone])


@transaction.atomic
def goal_add(*, issue: StrategicIssue, actor: User, name: str) -> Goal:
    plan = plan_lock_for_change(plan=issue.plan, actor=actor)
    position = _next_position(Goal.objects.filter(issue=issue))
    goal = Goal.objects.create(issue=issue, name=name.strip(), position=position)
    plan_changed(plan=plan, actor=actor, changes=[change("goal", "", goal.name)])
    return goal


@transaction.atomic
def goal_rename(*, goal: Goal, actor: User, name: str) -> None:
    plan = plan_lock_for_change(plan=goal.issue.plan, actor=actor)
    old = Goal.objects.values_list("name", flat=True).get(pk=goal.pk)
    Goal.objects.filter(pk=goal.pk).update(name=name.strip())
    if old != name.strip():
        plan_changed(plan=plan, actor=actor, changes=[change("goal", old, name.strip())])


@transaction.atomic
def goal_delete(*, goal: Goal, actor: User) -> None:
    plan = plan_lock_for_change(plan=goal.issue.plan, actor=actor)
    gone = [change("kpi", kpi.name, "", kpi=kpi) for kpi in Kpi.objects.filter(goal=goal)]
    goal.delete()
    plan_renumber(plan)
    plan_changed(plan=plan, actor=actor, changes=[change("goal", goal.name, ""), *gone])


@transaction.atomic
def kpi_add(*, goal: Goal, actor: User, name: str, kpi_type: str = KpiType.QUANTITATIVE) -> Kpi:
    plan = plan_lock_for_change(plan=goal.issue.plan, actor=actor)
    position = _next_position(Kpi.objects.filter(goal=goal))
    kpi = Kpi(plan=plan, goal=goal, name=name.strip(), kpi_type=kpi_type, position=position)
    kpi_index(kpi)
    kpi.save(force_insert=True)
    plan_renumber(plan)
    kpi.refresh_from_db()
    plan_changed(plan=plan, actor=actor, changes=[change("kpi", "", kpi.name, kpi=kpi)])
    return kpi


@dataclass(frozen=True)
class Conflict:
    """A field someone else changed after the officer's page read it: both values (as stored, see
    :func:`~khamrap.plans.diff.stored_text`), to choose or merge."""

    field: str
    theirs: str
    mine: str
    by: str  # who changed it, as shown


@dataclass(frozen=True)
class KpiSave:
    kpi: Kpi
    revision: int  # the plan's revision after the save: the page's next base
    conflicts: tuple[Conflict, ...] = ()
    # Fields someone else changed that the officer had not touched: the page is given their current values,
    # so its next save does not send the old ones again.
    refreshed: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class _Since:
    base: str  # the field's value at the revision the page was read at, as the history shows it
    by: str  # who changed it last


def _changed_since(plan: Plan, kpi: Kpi, revision: int) -> dict[str, _Since]:
    """The fields of ``kpi`` changed after ``revision``: their value then, and who changed them last."""
    changed: dict[str, _Since] = {}
    events = PlanEvent.objects.filter(plan=plan, revision__gt=revision).select_related("actor").order_by("pk")
    for event in events:
        who = event.actor.display_name if event.actor else "ระบบ"
        for entry in event.changes:
            if entry.get("kpi") == str(kpi.uid):
                first = changed.get(entry["field"])
                changed[entry["field"]] = _Since(base=first.base if first else entry["old"], by=who)
    return changed


def _levels_of_kpi(kpi: Kpi) -> tuple[LevelData, ...]:
    return tuple(
        LevelData(lv.level, lv.description, tuple(lv.substeps)) for lv in kpi.levels.order_by("level")
    )


@transaction.atomic
def kpi_update(
    *,
    kpi: Kpi,
    actor: User,
    values: dict[str, Any],
    levels: dict[int, tuple[str, list[str]]],
    base_revision: int | None = None,
) -> KpiSave:
    """Save a draft of the fields of one KPI row that the officer changed (the web form autosaves here).

    With ``base_revision`` (the plan's revision the officer's page was read at), a field that someone else
    changed since then, to a value other than the officer's, is not overwritten: it comes back as a
    :class:`Conflict` with both values, and the other fields are saved (changes to different fields merge).
    """
    plan = plan_lock_for_change(plan=kpi.plan, actor=actor)
    # Read the row again under the lock and write only the changed fields: a move, renumbering or deletion
    # since the caller read it must not be undone (a plain save() would even re-insert a deleted KPI).
    current = Kpi.objects.filter(pk=kpi.pk, plan=plan).first()
    if current is None:
        raise DomainError("ตัวชี้วัดนี้ถูกลบไปแล้ว กรุณาเปิดแบบฟอร์มใหม่", "This KPI has been deleted; reload the plan")
    kpi = current
    since = _changed_since(plan, kpi, base_revision) if base_revision is not None else {}
    conflicts: list[Conflict] = []
    refreshed: list[tuple[str, str]] = []
    changes: list[dict[str, str]] = []
    for name, value in values.items():
        old = getattr(kpi, name)
        if same_value(old, value):
            continue
        other = since.get(name)
        if other is not None:
            mine = stored_text(value)
            if mine != other.base:  # the officer changed it too: theirs and mine both stand, to choose
                conflicts.append(Conflict(name, stored_text(old), mine, other.by))
            else:  # the officer's page still held the old value: the newer one stays, and the page gets it
                refreshed.append((name, stored_text(old)))
            continue
        changes.append(change(name, old, value, kpi=kpi))
        setattr(kpi, name, value)
    written = [entry["field"] for entry in changes]
    if set(written) & set(INDEXED_FIELDS):
        kpi_index(kpi)
        written += INDEX_COLUMNS
    kpi.save(update_fields=written)
    if kpi.kpi_type == KpiType.MILESTONE and levels:
        before = _levels_of_kpi(kpi)
        wanted = {lv.level: lv for lv in before}
        wanted.update({n: LevelData(n, d, tuple(steps)) for n, (d, steps) in levels.items()})
        after = tuple(wanted[n] for n in sorted(wanted))
        other = since.get("levels")
        if levels_text(after) != levels_text(before):
            if other is not None:
                if levels_text(after) != other.base:
                    conflicts.append(Conflict("levels", levels_text(before), levels_text(after), other.by))
            else:
                for level, (description, substeps) in levels.items():
                    MilestoneLevel.objects.update_or_create(
                        kpi=kpi, level=level, defaults={"description": description, "substeps": substeps}
                    )
                changes.append(change("levels", levels_text(before), levels_text(after), kpi=kpi))
    revision = plan_changed(plan=plan, actor=actor, changes=changes) if changes else plan.revision
    return KpiSave(kpi=kpi, revision=revision, conflicts=tuple(conflicts), refreshed=tuple(refreshed))


@transaction.atomic
def kpi_delete(*, kpi: Kpi, actor: User) -> None:
    plan = plan_lock_for_change(plan=kpi.plan, actor=actor)
    gone = change("kpi", kpi.name, "", kpi=kpi)
    kpi.delete()
    plan_renumber(plan)
    plan_changed(plan=plan, actor=actor, changes=[gone])


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
    before = issue.position
    moved = _swap_with_neighbour(siblings, issue, offset)
    StrategicIssue.objects.bulk_update(moved, ["position"])
    plan_renumber(plan)
    _moved(plan, actor, "issue", issue.name, before, next(i.position for i in moved if i.pk == issue.pk))


@transaction.atomic
def goal_move(*, goal: Goal, actor: User, offset: int) -> None:
    """Move a goal up (-1) or down (+1) within its strategic issue."""
    plan = plan_lock_for_change(plan=goal.issue.plan, actor=actor)
    siblings = list(Goal.objects.filter(issue_id=goal.issue_id).order_by("position", "pk"))
    before = goal.position
    moved = _swap_with_neighbour(siblings, goal, offset)
    Goal.objects.bulk_update(moved, ["position"])
    plan_renumber(plan)
    _moved(plan, actor, "goal", goal.name, before, next(g.position for g in moved if g.pk == goal.pk))


@transaction.atomic
def kpi_move(*, kpi: Kpi, actor: User, offset: int) -> None:
    """Move a KPI up (-1) or down (+1) within its goal; codes follow."""
    plan = plan_lock_for_change(plan=kpi.plan, actor=actor)
    siblings = list(Kpi.objects.filter(goal_id=kpi.goal_id).order_by("position", "pk"))
    old_code = kpi.code
    Kpi.objects.bulk_update(_swap_with_neighbour(siblings, kpi, offset), ["position"])
    plan_renumber(plan)
    kpi.refresh_from_db()
    moved = [change("code", old_code, kpi.code, kpi=kpi)] if kpi.code != old_code else []
    plan_changed(plan=plan, actor=actor, changes=moved)


def _moved(plan: Plan, actor: User, field: str, name: str, before: int, after: int) -> None:
    entry = {"kpi": "", "code": "", "field": field, "old": f"{name} ({before})", "new": f"{name} ({after})"}
    plan_changed(plan=plan, actor=actor, changes=[entry] if before != after else [])
