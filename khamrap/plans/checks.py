"""The appropriateness checks of stored plans: a plan's tree and its framework's thresholds turned into the
pure :mod:`khamrap.scoring.checks` facts and rules, and the findings read back.

Findings are computed on read from the current tree (pure and fast, docs/appropriateness.md), so they are
always those of the plan as it is now. :func:`plans_findings` reads every plan of a year in a fixed number
of queries (seven, however many plans), for the analysts' command and OPDC's overview.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Prefetch

from khamrap.core.errors import in_language
from khamrap.frameworks.models import FiscalYear, Framework, FrameworkIndicator
from khamrap.orgs.models import Organisation
from khamrap.plans.models import Goal, Kpi, MilestoneLevel, Plan, StrategicIssue
from khamrap.plans.schema import LEVELS, KpiData, PlanData
from khamrap.plans.selectors import plan_tree, plan_tree_of
from khamrap.scoring.checks import (
    CheckRules,
    Finding,
    GoalFacts,
    IssueFacts,
    KpiFacts,
    PlanFacts,
    Severity,
    plan_findings,
)
from khamrap.thai.words import content_words


def kpi_facts(kpi: KpiData) -> KpiFacts:
    descriptions = {level.level: level.description for level in kpi.levels}
    return KpiFacts(
        uid=kpi.uid or "",
        code=kpi.code,
        name=kpi.name,
        kind=kpi.kpi_type,
        direction=kpi.direction,
        unit=kpi.unit,
        weight=kpi.weight,
        baselines=kpi.baselines,
        target=kpi.target,
        criteria=kpi.criteria,
        level_descriptions=tuple(descriptions.get(n, "") for n in LEVELS),
        definition=kpi.definition,
        formula=kpi.formula,
        data_source=kpi.data_source,
        is_new=kpi.is_new,
        name_words=content_words(kpi.name),
    )


def plan_facts(data: PlanData) -> PlanFacts:
    """The plan tree as the checks' facts."""
    return PlanFacts(
        issues=tuple(
            IssueFacts(
                name=issue.name,
                goals=tuple(
                    GoalFacts(name=goal.name, kpis=tuple(kpi_facts(kpi) for kpi in goal.kpis))
                    for goal in issue.goals
                ),
            )
            for issue in data.issues
        )
    )


def check_rules_of(framework: Framework | None, indicators: Iterable[FrameworkIndicator]) -> CheckRules:
    """The thresholds of ``framework`` (its indicators already read); defaults without a framework."""
    if framework is None:
        return CheckRules()
    indicators = list(indicators)
    plan_indicator = next((i for i in indicators if i.is_plan_indicator), None)
    standards = tuple(i.name_th for i in indicators if not i.is_plan_indicator)
    defaults = CheckRules()
    return CheckRules(
        expected_weight=plan_indicator.weight if plan_indicator else defaults.expected_weight,
        weight_min=framework.kpi_weight_min,
        kpi_min=framework.kpi_count_min,
        kpi_max=framework.kpi_count_max,
        criteria_step_ratio=framework.criteria_step_ratio,
        level5_change_ratio=framework.level5_change_ratio,
        name_similarity=framework.name_similarity,
        standard_indicators=standards,
        standard_words=tuple(content_words(name) for name in standards),
    )


def check_rules_by_kind(fiscal_year: FiscalYear) -> dict[str, CheckRules]:
    """Each organisation kind's rules this year: two queries."""
    frameworks = Framework.objects.filter(fiscal_year=fiscal_year).prefetch_related(
        Prefetch("indicators", queryset=FrameworkIndicator.objects.order_by("position", "code", "pk"))
    )
    return {f.organisation_kind: check_rules_of(f, f.indicators.all()) for f in frameworks}


def check_rules_for(*, fiscal_year: FiscalYear, organisation: Organisation) -> CheckRules:
    """The thresholds the organisation's plans are checked against this year (two queries)."""
    return check_rules_by_kind(fiscal_year).get(organisation.kind, CheckRules())


def plan_findings_of(plan: Plan, *, tree: PlanData | None = None) -> tuple[Finding, ...]:
    """The findings of ``plan`` as it is now (``tree``: its tree, when the caller has read it already)."""
    if tree is None:
        tree = plan_tree(plan) if plan.pk else PlanData()
    rules = check_rules_for(fiscal_year=plan.fiscal_year, organisation=plan.organisation)
    return plan_findings(plan_facts(tree), rules)


@dataclass(frozen=True)
class ShownFinding:
    """A finding as a page shows it: in the reader's language, with its severity's label."""

    rule: str
    severity: str
    severity_label: str
    message: str
    kpi_uid: str
    kpi_code: str
    issue: str

    @classmethod
    def of(cls, finding: Finding, language: str | None) -> "ShownFinding":
        return cls(
            rule=str(finding.rule),
            severity=str(finding.severity),
            severity_label=in_language(*SEVERITY_LABELS[finding.severity], language),
            message=in_language(finding.message_th, finding.message_en, language),
            kpi_uid=finding.kpi_uid,
            kpi_code=finding.kpi_code,
            issue=finding.issue,
        )


SEVERITY_LABELS: dict[Severity, tuple[str, str]] = {
    Severity.ERROR: ("ต้องแก้ไข", "Error"),
    Severity.WARNING: ("ควรทบทวน", "Warning"),
    Severity.INFO: ("ข้อสังเกต", "Note"),
}


@dataclass(frozen=True)
class PlanFindings:
    plan: Plan
    findings: tuple[Finding, ...]


def plans_trees(
    *, fiscal_year: FiscalYear, organisations: Iterable[Organisation] | None = None
) -> dict[int, tuple[Plan, PlanData]]:
    """Every plan of the year (of ``organisations``, when given) with its tree, by plan id: five queries."""
    plans = Plan.objects.filter(fiscal_year=fiscal_year).select_related("organisation", "fiscal_year")
    if organisations is not None:
        plans = plans.filter(organisation__in=list(organisations))
    by_id = {plan.pk: plan for plan in plans.order_by("organisation__code")}
    issues = (
        StrategicIssue.objects.filter(plan_id__in=list(by_id))
        .order_by("plan_id", "position", "pk")
        .prefetch_related(
            Prefetch("goals", queryset=Goal.objects.order_by("position", "pk")),
            Prefetch(
                "goals__kpis",
                queryset=Kpi.objects.order_by("position", "pk").prefetch_related(
                    Prefetch("levels", queryset=MilestoneLevel.objects.order_by("level"))
                ),
            ),
        )
    )
    grouped: dict[int, list[StrategicIssue]] = defaultdict(list)
    for issue in issues:
        grouped[issue.plan_id].append(issue)
    return {pk: (plan, plan_tree_of(grouped[pk])) for pk, plan in by_id.items()}


def year_findings(
    *, fiscal_year: FiscalYear, organisations: Iterable[Organisation] | None = None
) -> list[PlanFindings]:
    """Every plan of the year (of ``organisations``, when given) with its findings, in organisation code
    order: seven queries however many plans."""
    rules = check_rules_by_kind(fiscal_year)
    return [
        PlanFindings(plan, plan_findings(plan_facts(tree), rules.get(plan.organisation.kind, CheckRules())))
        for plan, tree in plans_trees(fiscal_year=fiscal_year, organisations=organisations).values()
    ]


def plans_findings(
    *, fiscal_year: FiscalYear, organisations: Iterable[Organisation] | None = None
) -> dict[int, tuple[Finding, ...]]:
    """The findings of every plan of the year, by plan id (seven queries)."""
    return {
        found.plan.pk: found.findings
        for found in year_findings(fiscal_year=fiscal_year, organisations=organisations)
    }
