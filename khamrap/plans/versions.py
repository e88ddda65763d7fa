"""Any two versions of a plan side by side: the submitted snapshots and the current draft.

The verdict (what was added, dropped or changed) is :func:`~khamrap.plans.diff.plan_diff`'s; this module only
lays it out per KPI, with every compared field of both sides, for the page and its Excel export. Reading the
list of versions skips the snapshots' trees; only the two compared are read (three or five queries in all).
"""

from dataclasses import dataclass
from datetime import datetime

from khamrap.core.errors import DomainError
from khamrap.plans.diff import PlanDiff, compared_values, plan_diff
from khamrap.plans.models import Plan, PlanSnapshot, PlanStatus
from khamrap.plans.schema import PlanData, field_label
from khamrap.plans.selectors import plan_tree
from khamrap.plans.snapshots import snapshot_tree

DRAFT = "draft"


@dataclass(frozen=True)
class VersionSide:
    key: str  # the version number, or "draft" for the tree as it is now
    version: int
    status: str
    by: str
    at: datetime | None

    @property
    def is_draft(self) -> bool:
        return self.key == DRAFT

    @property
    def status_label(self) -> str:
        return str(PlanStatus(self.status).label) if self.status in PlanStatus.values else self.status


@dataclass(frozen=True)
class FieldRow:
    name: str
    label: str
    a: str
    b: str
    changed: bool


@dataclass(frozen=True)
class KpiRow:
    uid: str | None
    code_a: str
    code_b: str
    name: str
    state: str  # "changed", "added", "dropped", "same"
    fields: tuple[FieldRow, ...]

    @property
    def renumbered(self) -> bool:
        return bool(self.code_a and self.code_b and self.code_a != self.code_b)

    @property
    def changed_fields(self) -> tuple[FieldRow, ...]:
        return tuple(f for f in self.fields if f.changed)

    @property
    def other_fields(self) -> tuple[FieldRow, ...]:
        return tuple(f for f in self.fields if not f.changed)


@dataclass(frozen=True)
class OutlineRow:
    kind: str  # "issue" or "goal"
    a: str
    b: str

    @property
    def changed(self) -> bool:
        return self.a != self.b


@dataclass(frozen=True)
class Comparison:
    a: VersionSide
    b: VersionSide
    diff: PlanDiff
    kpis: tuple[KpiRow, ...]
    outline: tuple[OutlineRow, ...]

    def rows(self, state: str) -> tuple[KpiRow, ...]:
        return tuple(k for k in self.kpis if k.state == state)

    @property
    def changed(self) -> tuple[KpiRow, ...]:
        return self.rows("changed")

    @property
    def added(self) -> tuple[KpiRow, ...]:
        return self.rows("added")

    @property
    def dropped(self) -> tuple[KpiRow, ...]:
        return self.rows("dropped")

    @property
    def same(self) -> tuple[KpiRow, ...]:
        return self.rows("same")


def plan_versions(*, plan: Plan) -> list[VersionSide]:
    """The plan's submitted versions, oldest first (one per version number: its latest snapshot), then the
    current draft. One query, without the snapshots' trees."""
    sides: dict[str, VersionSide] = {}
    if plan.pk is not None:
        snapshots = (
            PlanSnapshot.objects.filter(plan=plan)
            .defer("data")
            .select_related("created_by")
            .order_by("version", "pk")
        )
        for snapshot in snapshots:
            sides[str(snapshot.version)] = VersionSide(
                key=str(snapshot.version),
                version=snapshot.version,
                status=snapshot.status,
                by=snapshot.created_by.display_name,
                at=snapshot.created_at,
            )
    sides[DRAFT] = VersionSide(DRAFT, plan.version, plan.status, "", plan.updated_at if plan.pk else None)
    return list(sides.values())


def default_pair(versions: list[VersionSide]) -> tuple[str, str]:
    """The last two submitted versions; with one, it and the draft; with none, the draft twice."""
    submitted = [v.key for v in versions if not v.is_draft]
    if len(submitted) >= 2:
        return submitted[-2], submitted[-1]
    if submitted:
        return submitted[-1], DRAFT
    return DRAFT, DRAFT


def version_pick(versions: list[VersionSide], key: str | None, default: str) -> VersionSide:
    """The version ``key`` names (the default when none is given); a key naming none is refused."""
    by_key = {v.key: v for v in versions}
    chosen = by_key.get(key or default)
    if chosen is None:
        raise DomainError(f"ไม่พบฉบับที่ '{key}' ของแบบฟอร์มนี้", f"This plan has no version '{key}'")
    return chosen


def _tree(plan: Plan, side: VersionSide) -> PlanData:
    if side.is_draft:
        return plan_tree(plan)
    snapshot = PlanSnapshot.objects.filter(plan=plan, version=side.version).order_by("-pk").first()
    assert snapshot is not None
    return snapshot_tree(snapshot)


def _outline(a: PlanData, b: PlanData) -> tuple[OutlineRow, ...]:
    """Issues and goals side by side by position (as the tree's writer matches them)."""
    rows: list[OutlineRow] = []
    for i in range(max(len(a.issues), len(b.issues))):
        issue_a = a.issues[i] if i < len(a.issues) else None
        issue_b = b.issues[i] if i < len(b.issues) else None
        rows.append(OutlineRow("issue", issue_a.name if issue_a else "", issue_b.name if issue_b else ""))
        goals_a = issue_a.goals if issue_a else ()
        goals_b = issue_b.goals if issue_b else ()
        for g in range(max(len(goals_a), len(goals_b))):
            rows.append(
                OutlineRow(
                    "goal",
                    goals_a[g].name if g < len(goals_a) else "",
                    goals_b[g].name if g < len(goals_b) else "",
                )
            )
    return tuple(rows)


def plan_compare(
    *, plan: Plan, a: VersionSide, b: VersionSide, language: str | None = "th", limit: int | None = 200
) -> Comparison:
    """Version ``a`` beside version ``b``: every KPI of either, matched by uid, with every compared field."""
    tree_a, tree_b = _tree(plan, a), _tree(plan, b)
    diff = plan_diff(tree_a, tree_b)
    values_a = compared_values(tree_a, limit=limit)
    values_b = compared_values(tree_b, limit=limit)

    def fields(uid: str | None, changed: set[str]) -> tuple[FieldRow, ...]:
        left, right = values_a.get(uid or "", {}), values_b.get(uid or "", {})
        names = list(left or right)
        return tuple(
            FieldRow(n, field_label(n, language), left.get(n, ""), right.get(n, ""), n in changed)
            for n in names
        )

    rows = [
        KpiRow(k.uid, k.old_code, k.code, k.name, "changed", fields(k.uid, {f.field for f in k.fields}))
        for k in diff.changed
    ]
    rows += [KpiRow(k.uid, "", k.code, k.name, "added", fields(k.uid, set())) for k in diff.added]
    rows += [KpiRow(k.uid, k.code, "", k.name, "dropped", fields(k.uid, set())) for k in diff.removed]
    rows += [KpiRow(k.uid, k.old_code, k.code, k.name, "same", fields(k.uid, set())) for k in diff.same]
    return Comparison(a=a, b=b, diff=diff, kpis=tuple(rows), outline=_outline(tree_a, tree_b))
