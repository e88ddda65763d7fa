"""A plan tree as JSON and back: how a submission's snapshot is kept, and how any version is read again.

The JSON is the tree's dataclasses with every number as its exact decimal text; :func:`plan_from_json` gives
back an equal :class:`~khamrap.plans.schema.PlanData`, so two snapshots compare with
:func:`khamrap.plans.diff.plan_diff`. The sample plans shipped with the project use the same form.
"""

from collections.abc import Mapping
from dataclasses import asdict, fields
from decimal import Decimal
from typing import Any

from khamrap.plans.models import PlanSnapshot
from khamrap.plans.schema import KPI_FIELDS, GoalData, IssueData, KpiData, LevelData, PlanData

# KpiData's attributes that hold numbers (from the registry; the baselines and criteria are tuples of them).
_NUMBER_GROUPS = {"baseline_": "baselines", "criteria_": "criteria"}
_NUMBERS = {f.name for f in KPI_FIELDS if f.is_number and not f.name.startswith(tuple(_NUMBER_GROUPS))}
_NUMBER_TUPLES = set(_NUMBER_GROUPS.values())
_KPI_ATTRIBUTES = {f.name for f in fields(KpiData)}


def plan_to_json(data: PlanData) -> dict[str, Any]:
    return _json_safe(asdict(data))  # type: ignore[no-any-return]


def _json_safe(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list | tuple):
        return [_json_safe(v) for v in value]
    if isinstance(value, dict):
        return {k: _json_safe(v) for k, v in value.items()}
    return value


def _decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _kpi(raw: Mapping[str, Any]) -> KpiData:
    """A KPI of a snapshot; a field the snapshot has and KpiData no longer has is left out, so every
    older version stays readable after a field is renamed or removed."""
    values: dict[str, Any] = {}
    for name, value in raw.items():
        if name not in _KPI_ATTRIBUTES:
            continue
        if name in _NUMBERS:
            values[name] = _decimal(value)
        elif name in _NUMBER_TUPLES:
            values[name] = tuple(_decimal(v) for v in value)
        elif name == "levels":
            values[name] = tuple(
                LevelData(
                    level=int(lv["level"]), description=lv["description"], substeps=tuple(lv["substeps"])
                )
                for lv in value
            )
        else:
            values[name] = value
    return KpiData(**values)


def plan_from_json(raw: Mapping[str, Any]) -> PlanData:
    return PlanData(
        issues=tuple(
            IssueData(
                name=issue["name"],
                goals=tuple(
                    GoalData(name=goal["name"], kpis=tuple(_kpi(kpi) for kpi in goal["kpis"]))
                    for goal in issue["goals"]
                ),
            )
            for issue in raw["issues"]
        )
    )


def snapshot_tree(snapshot: PlanSnapshot) -> PlanData:
    """The plan as it was when ``snapshot`` was taken."""
    return plan_from_json(snapshot.data)
