"""Automatic appropriateness checks of a plan (issue: appropriateness analysis) — pure Python, no Django.

A plan comes in as :class:`PlanFacts` (built by the review layer from the stored tree), the framework's
thresholds as :class:`CheckRules`; :func:`plan_findings` gives every :class:`Finding`, each with its rule
code, severity, the KPI (uid and code) or the issue/goal it concerns, and why it matters in Thai and English.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class Rule(StrEnum):
    WEIGHTS_TOTAL = "weights_total"
    WEIGHT_MIN = "weight_min"
    KPI_COUNT = "kpi_count"
    ISSUE_WITHOUT_KPI = "issue_without_kpi"
    CRITERIA_UNEVEN = "criteria_uneven"
    TARGET_NOT_LEVEL3 = "target_not_level3"
    TARGET_BELOW_BASELINE = "target_below_baseline"
    TARGET_BELOW_TREND = "target_below_trend"
    LEVEL5_UNREACHABLE = "level5_unreachable"
    BASELINE_MISSING = "baseline_missing"
    FIELD_MISSING = "field_missing"
    MILESTONE_UNDESCRIBED = "milestone_undescribed"
    DUPLICATE_KPI = "duplicate_kpi"
    DUPLICATES_STANDARD = "duplicates_standard"


@dataclass(frozen=True)
class CheckRules:
    """The framework's thresholds, edited by the administrator (frameworks.Framework)."""

    expected_weight: Decimal = Decimal(100)  # the sub-KPI weights must add up to this
    weight_min: Decimal = Decimal(0)  # a KPI's weight below this is a finding
    kpi_min: int = 1
    kpi_max: int = 99
    criteria_step_ratio: Decimal = Decimal(2)  # largest step between levels over k × the smallest
    level5_change_ratio: Decimal = Decimal(3)  # level 5 asks more than k × the best yearly change
    name_similarity: Decimal = Decimal("0.6")  # share of words two names have in common to count as one
    standard_indicators: tuple[str, ...] = ()  # names of the framework's other indicators


@dataclass(frozen=True)
class KpiFacts:
    uid: str
    code: str
    name: str
    kind: str = "quantitative"  # or "milestone"
    direction: str = "higher"  # or "lower"
    unit: str = ""
    weight: Decimal | None = None
    baselines: tuple[Decimal | None, Decimal | None, Decimal | None] = (None, None, None)
    target: Decimal | None = None
    criteria: tuple[Decimal | None, ...] = (None, None, None, None, None)
    level_descriptions: tuple[str, ...] = ("", "", "", "", "")  # milestone levels 1–5
    definition: str = ""
    formula: str = ""
    data_source: str = ""
    is_new: bool = False  # a new KPI: no baseline exists


@dataclass(frozen=True)
class GoalFacts:
    name: str
    kpis: tuple[KpiFacts, ...] = ()


@dataclass(frozen=True)
class IssueFacts:
    name: str
    goals: tuple[GoalFacts, ...] = ()


@dataclass(frozen=True)
class PlanFacts:
    issues: tuple[IssueFacts, ...] = ()

    def kpis(self) -> list[KpiFacts]:
        return [kpi for issue in self.issues for goal in issue.goals for kpi in goal.kpis]


@dataclass(frozen=True)
class Finding:
    rule: Rule
    severity: Severity
    message_th: str
    message_en: str
    kpi_uid: str = ""  # "" for a finding about the plan, an issue or a goal
    kpi_code: str = ""
    issue: str = ""  # the strategic issue (or goal) concerned, by name, for issue_without_kpi
    field: str = ""  # the registry field concerned (field_missing names it)
    extra: dict[str, str] = field(default_factory=dict, compare=False, hash=False)


def plan_findings(plan: PlanFacts, rules: CheckRules) -> tuple[Finding, ...]:
    """Every finding of ``plan`` under ``rules``, in plan order (plan-wide findings first)."""
    raise NotImplementedError
