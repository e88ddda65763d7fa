"""The one comparer of two plan trees: pure, on the dataclasses of :mod:`khamrap.plans.schema`.

KPIs are matched by ``uid`` (a renumbered or moved KPI is the same KPI), then compared field by field over
the registry's compared fields, their strategic issue and goal, and a milestone KPI's levels. Numbers are
compared by value (80 equals 80.0000). The workbook import previews and records with it, the plan's tree
replacement asks it whether anything changed, and any two snapshots can be compared with it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext

from khamrap.plans.models import Direction, KpiType
from khamrap.plans.schema import FIELDS, KPI_FIELDS, KpiData, LevelData, PlanData, field_label

SHOWN_LENGTH = 200


@dataclass(frozen=True)
class _Placed:
    issue: str
    goal: str
    kpi: KpiData


def _levels(kpi: KpiData) -> tuple[tuple[int, str, tuple[str, ...]], ...]:
    if kpi.kpi_type != KpiType.MILESTONE:
        return ()
    return tuple(
        sorted((lv.level, lv.description, tuple(lv.substeps)) for lv in kpi.levels if lv.description.strip())
    )


def level_text(level: LevelData) -> str:
    """One milestone level as text: the description, then one ``- sub-step`` per line."""
    return "\n".join([level.description, *(f"- {step}" for step in level.substeps)])


def _choice_label(choices: Any) -> Callable[[Any], str]:
    return lambda value: str(choices(value).label) if value in choices.values else str(value)


# (name, how to read it from a placed KPI, how to show it)
_COMPARED: tuple[tuple[str, Callable[[_Placed], Any]], ...] = (
    ("issue", lambda p: p.issue),
    ("goal", lambda p: p.goal),
    *((f.name, (lambda p, f=f: f.value(p.kpi))) for f in KPI_FIELDS if f.compared),
    ("levels", lambda p: _levels(p.kpi)),
)
_SHOW_CHOICE = {"kpi_type": _choice_label(KpiType), "direction": _choice_label(Direction)}


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, Decimal) and isinstance(b, Decimal):
        return a.normalize() == b.normalize()
    return bool(a == b)


def shown_value(name: str, value: Any, *, limit: int | None = SHOWN_LENGTH) -> str:
    """A field's value as a person reads it in a list of changes (numbers as typed, choices by label),
    cut at ``limit`` characters (the history keeps it whole)."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    if name in _SHOW_CHOICE:
        return _SHOW_CHOICE[name](value)
    if name in FIELDS and FIELDS[name].is_flag:
        return gettext("ใช่") if value in (True, "True") else gettext("ไม่ใช่")
    text = str(value)
    return text if limit is None or len(text) <= limit else text[: limit - 1] + "…"


def stored_text(value: Any) -> str:
    """A stored value as exact text, as the history keeps it: numbers by value, choices by their key."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    return str(value)


def levels_text(levels: tuple[LevelData, ...]) -> str:
    return " | ".join(f"{lv.level}: {level_text(lv)}".replace("\n", " ") for lv in levels if lv.description)


def same_value(a: Any, b: Any) -> bool:
    """Equal as stored values: numbers by value (80 == 80.0000)."""
    return _same(a, b)


def _stored(name: str, placed: _Placed, value: Any) -> str:
    return levels_text(placed.kpi.levels) if name == "levels" else stored_text(value)


def _shown(name: str, placed: _Placed, value: Any) -> str:
    if name == "levels":
        return levels_text(placed.kpi.levels)
    return shown_value(name, value)


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: str  # as a person reads it (choices by label, long texts cut)
    new: str
    stored_old: str = ""  # exact, as the history keeps it (see stored_text)
    stored_new: str = ""

    def label(self, language: str | None = "th") -> str:
        return field_label(self.field, language)


@dataclass(frozen=True)
class KpiChange:
    uid: str | None
    code: str
    name: str
    fields: tuple[FieldChange, ...] = ()
    old_code: str = ""  # ``before``'s code of a KPI found in both trees (a renumbered KPI shows both)


@dataclass(frozen=True)
class PlanDiff:
    """What turns ``before`` into ``after``: KPIs added, removed and changed, and the outline or order."""

    added: tuple[KpiChange, ...]
    removed: tuple[KpiChange, ...]
    changed: tuple[KpiChange, ...]
    outline_changed: bool
    order_changed: bool
    kpi_count: int
    same: tuple[KpiChange, ...] = ()  # KPIs found in both trees with no field changed (maybe renumbered)

    @property
    def unchanged(self) -> bool:
        return not (self.added or self.removed or self.changed or self.outline_changed or self.order_changed)

    def changes(self) -> list[dict[str, str]]:
        """The diff as the entries of a plan's history: a KPI added or removed, or a field old → new."""
        entries = [
            {"kpi": k.uid or "", "code": k.code, "field": "kpi", "old": "", "new": k.name} for k in self.added
        ]
        entries += [
            {"kpi": k.uid or "", "code": k.code, "field": f.field, "old": f.stored_old, "new": f.stored_new}
            for k in self.changed
            for f in k.fields
        ]
        entries += [
            {"kpi": k.uid or "", "code": k.code, "field": "kpi", "old": k.name, "new": ""}
            for k in self.removed
        ]
        return entries

    def counts(self) -> dict[str, int]:
        return {"added": len(self.added), "changed": len(self.changed), "removed": len(self.removed)}

    def as_dict(self) -> dict[str, Any]:
        """The summary kept with an upload (JSON): counts, the KPIs and, for changed ones, each field."""

        def ref(kpi: KpiChange) -> dict[str, str]:
            return {"code": kpi.code, "name": kpi.name}

        return {
            "kpi_count": self.kpi_count,
            "counts": self.counts(),
            "added": [ref(k) for k in self.added],
            "changed": [
                {
                    **ref(k),
                    "fields": [
                        {"field": f.field, "label": f.label(), "old": f.old, "new": f.new} for f in k.fields
                    ],
                }
                for k in self.changed
            ],
            "removed": [ref(k) for k in self.removed],
            "outline_changed": self.outline_changed,
            "order_changed": self.order_changed,
        }


def _placed(data: PlanData) -> list[_Placed]:
    return [
        _Placed(issue.name, goal.name, kpi)
        for issue in data.issues
        for goal in issue.goals
        for kpi in goal.kpis
    ]


def _outline(data: PlanData) -> list[tuple[str, tuple[str, ...]]]:
    return [(issue.name, tuple(goal.name for goal in issue.goals)) for issue in data.issues]


def plan_diff(before: PlanData, after: PlanData) -> PlanDiff:
    """Compare two plan trees. Codes are those a person sees: ``after``'s for added and changed KPIs,
    ``before``'s for removed ones."""
    old = {p.kpi.uid: p for p in _placed(before) if p.kpi.uid}
    new = _placed(after)
    matched: set[str] = set()
    added: list[KpiChange] = []
    changed: list[KpiChange] = []
    same: list[KpiChange] = []
    for placed in new:
        uid = placed.kpi.uid
        previous = old.get(uid) if uid else None
        if previous is None or uid in matched:
            # A new KPI keeps its uid; a second KPI claiming an already matched uid is new without one.
            fresh = uid if previous is None and uid not in matched else None
            if fresh:
                matched.add(fresh)
            added.append(KpiChange(uid=fresh, code=placed.kpi.code, name=placed.kpi.name))
            continue
        matched.add(uid or "")
        fields = []
        for name, read in _COMPARED:
            a, b = read(previous), read(placed)
            if not _same(a, b):
                fields.append(
                    FieldChange(
                        name,
                        _shown(name, previous, a),
                        _shown(name, placed, b),
                        _stored(name, previous, a),
                        _stored(name, placed, b),
                    )
                )
        found = KpiChange(uid, placed.kpi.code, placed.kpi.name, tuple(fields), old_code=previous.kpi.code)
        (changed if fields else same).append(found)
    removed = [
        KpiChange(uid=uid, code=p.kpi.code, name=p.kpi.name) for uid, p in old.items() if uid not in matched
    ]
    return PlanDiff(
        added=tuple(added),
        removed=tuple(removed),
        changed=tuple(changed),
        outline_changed=_outline(before) != _outline(after),
        order_changed=[p.kpi.uid for p in _placed(before)] != [p.kpi.uid for p in new],
        kpi_count=len(new),
        same=tuple(same),
    )


def compared_values(data: PlanData, *, limit: int | None = SHOWN_LENGTH) -> dict[str, dict[str, str]]:
    """Every compared field of each KPI of ``data`` as a person reads it, by uid then field name, in the
    comparer's order: what a side-by-side page shows beside :func:`plan_diff`'s verdict."""
    return {
        placed.kpi.uid: {
            name: _stored(name, placed, read(placed))
            if name == "levels"
            else shown_value(name, read(placed), limit=limit)
            for name, read in _COMPARED
        }
        for placed in _placed(data)
        if placed.kpi.uid
    }
