"""Reads of the review: OPDC's overview (one row per organisation, in a constant number of queries) and the
review page of one plan."""

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, QuerySet

from khamrap.accounts.models import Role, User
from khamrap.frameworks.models import FiscalYear
from khamrap.orgs.models import Organisation
from khamrap.orgs.selectors import cluster_codes_by_province, participating_organisations
from khamrap.plans.checks import check_rules_by_kind, plan_facts, plans_trees
from khamrap.plans.models import Plan, PlanStatus
from khamrap.review.models import KpiReview, PlanReview, Response
from khamrap.scoring.checks import CheckRules, Finding, Severity, plan_findings


@dataclass
class OverviewRow:
    """One organisation on OPDC's review overview."""

    organisation: Organisation
    cluster: Organisation | None
    plan: Plan | None
    analysts: list[User]
    findings: Counter[str] = field(default_factory=Counter)  # by severity
    kpi_total: int = 0
    reviewed: int = 0  # KPIs with a verdict
    asked: int = 0  # KPIs the review asks something of
    answered: int = 0  # of those, accepted or answered by the province
    rounds: int = 0

    @property
    def progress(self) -> int:
        """Per cent of the plan's KPIs that have a verdict."""
        return round(100 * self.reviewed / self.kpi_total) if self.kpi_total else 0

    @property
    def status(self) -> str:
        return self.plan.status if self.plan else ""

    def sort_key(self, name: str) -> Any:
        keys: dict[str, Any] = {
            "code": self.organisation.code,
            "name": self.organisation.name_th,
            "status": self.status,
            "analyst": self.analysts[0].display_name if self.analysts else "\uffff",
            "errors": -self.findings[Severity.ERROR],
            "warnings": -self.findings[Severity.WARNING],
            "findings": -sum(self.findings.values()),
            "progress": self.progress,
        }
        return (keys.get(name, self.organisation.code), self.organisation.code)


SORTS = ("code", "name", "status", "analyst", "errors", "warnings", "findings", "progress")


def analysts() -> QuerySet[User]:
    return User.objects.filter(role=Role.ANALYST, is_active=True).order_by("first_name", "username")


def overview_rows(
    *, fiscal_year: FiscalYear, organisations: Iterable[Organisation] | None = None
) -> list[OverviewRow]:
    """One row per province and cluster of the year with its plan's findings, analysts and review progress;
    a constant number of queries however many organisations."""
    orgs = list(
        organisations
        if organisations is not None
        else participating_organisations(on=fiscal_year.structure_on)
    )
    trees = plans_trees(fiscal_year=fiscal_year, organisations=orgs)
    rules = check_rules_by_kind(fiscal_year)
    plans = {plan.organisation_id: (plan, tree) for plan, tree in trees.values()}
    by_org: dict[int, list[User]] = defaultdict(list)
    for analyst in analysts().prefetch_related(
        Prefetch("assigned_organisations", queryset=Organisation.objects.filter(pk__in=[o.pk for o in orgs]))
    ):
        for org in analyst.assigned_organisations.all():
            by_org[org.pk].append(analyst)
    reviews: dict[int, list[KpiReview]] = defaultdict(list)
    for kpi_review in KpiReview.objects.filter(
        review__plan__in=[p for p, _ in plans.values()]
    ).select_related("review"):
        reviews[kpi_review.review.plan_id].append(kpi_review)
    rounds = dict(
        PlanReview.objects.filter(plan__in=[p for p, _ in plans.values()]).values_list("plan_id", "rounds")
    )
    clusters = cluster_codes_by_province(on=fiscal_year.structure_on)
    rows = []
    for org in orgs:
        row = OverviewRow(organisation=org, cluster=clusters.get(org.pk), plan=None, analysts=by_org[org.pk])
        if org.pk in plans:
            plan, tree = plans[org.pk]
            row.plan = plan
            found = plan_findings(plan_facts(tree), rules.get(org.kind, CheckRules()))
            row.findings = Counter(str(f.severity) for f in found)
            uids = {kpi.uid for kpi in tree.kpis()}
            mine = [r for r in reviews[plan.pk] if str(r.kpi_uid) in uids]
            row.kpi_total = len(uids)
            row.reviewed = sum(1 for r in mine if r.verdict)
            row.asked = sum(1 for r in mine if r.asks)
            row.answered = sum(1 for r in mine if r.asks and r.response != Response.NONE)
            row.rounds = rounds.get(plan.pk, 0)
        rows.append(row)
    return rows


@dataclass(frozen=True)
class OverviewFilters:
    analyst: str = ""  # a user id, or "none" for organisations nobody reviews
    status: str = ""
    errors: bool = False  # only plans with an error finding
    text: str = ""
    sort: str = "code"

    @classmethod
    def of(cls, params: Any) -> "OverviewFilters":
        sort = str(params.get("sort", "code"))
        return cls(
            analyst=str(params.get("analyst", ""))[:20],
            status=str(params.get("status", ""))[:24],
            errors=params.get("errors") == "1",
            text=str(params.get("q", ""))[:100].strip(),
            sort=sort if sort.lstrip("-") in SORTS else "code",
        )

    def apply(self, rows: list[OverviewRow]) -> list[OverviewRow]:
        if self.analyst == "none":
            rows = [r for r in rows if not r.analysts]
        elif self.analyst.isascii() and self.analyst.isdecimal() and len(self.analyst) <= 18:
            rows = [r for r in rows if any(a.pk == int(self.analyst) for a in r.analysts)]
        if self.status == "none":
            rows = [r for r in rows if r.plan is None]
        elif self.status in PlanStatus.values:
            rows = [r for r in rows if r.status == self.status]
        if self.errors:
            rows = [r for r in rows if r.findings[Severity.ERROR]]
        if self.text:
            text = self.text.lower()
            rows = [
                r
                for r in rows
                if text in r.organisation.name_th.lower()
                or text in (r.organisation.name_en or "").lower()
                or text == r.organisation.code.lower()
            ]
        name = self.sort.lstrip("-")
        return sorted(rows, key=lambda r: r.sort_key(name), reverse=self.sort.startswith("-"))


def findings_by_kpi(findings: Iterable[Finding]) -> dict[str, list[Finding]]:
    grouped: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        grouped[finding.kpi_uid].append(finding)
    return grouped
