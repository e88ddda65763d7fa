"""A plan tree as JSON and back: how a submission's snapshot is kept, and how any version is read again.

The JSON is the tree's dataclasses with every number as its exact decimal text; :func:`plan_from_json` gives
back an equal :class:`~khamrap.plans.schema.PlanData`, so two snapshots compare with
:func:`khamrap.plans.diff.plan_diff`. The sample plans shipped with the project use the same form.
"""

from collections.abc import Mapping
from dataclasses import asdict
from decimal import Decimal
from typing import Any

from khamrap.plans.models import PlanSnapshot
from khamrap.plans.schema import GoalData, IssueData, KpiData, LevelData, PlanData

_NUMBERS = ("weight", "target")
_NUMBER_TUPLES = ("baselines", "criteria")


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
    values: dict[str, Any] = {}
    for name, value in raw.items():
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
