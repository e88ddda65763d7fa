"""Reads of fiscal years and frameworks."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from khamrap.frameworks.models import Dimension, FiscalYear, Framework, FrameworkIndicator
from khamrap.orgs.models import Organisation


def fiscal_year_get(*, year: int) -> FiscalYear:
    return get_object_or_404(FiscalYear, year=year)


def fiscal_year_current() -> FiscalYear | None:
    return FiscalYear.objects.order_by("-year").first()


def frameworks_of_year(*, fiscal_year: FiscalYear) -> QuerySet[Framework]:
    return fiscal_year.frameworks.prefetch_related(
        Prefetch("dimensions", queryset=Dimension.objects.prefetch_related("indicators"))
    )


def framework_for(*, fiscal_year: FiscalYear, organisation_kind: str) -> Framework | None:
    return Framework.objects.filter(fiscal_year=fiscal_year, organisation_kind=organisation_kind).first()


def plan_indicator(*, fiscal_year: FiscalYear, organisation: Organisation) -> FrameworkIndicator | None:
    """Indicator 1 of the organisation's framework this year: the one whose sub-KPIs it proposes."""
    return (
        FrameworkIndicator.objects.filter(
            is_plan_indicator=True,
            framework__fiscal_year=fiscal_year,
            framework__organisation_kind=organisation.kind,
        )
        .order_by("pk")
        .first()
    )


def plan_indicator_code(*, fiscal_year: FiscalYear, organisation: Organisation) -> str:
    """The code the organisation's sub-KPIs are numbered under (1.1, 1.2 …): indicator 1's, or "1"."""
    indicator = plan_indicator(fiscal_year=fiscal_year, organisation=organisation)
    return indicator.code if indicator else "1"


def expected_plan_weight(*, fiscal_year: FiscalYear, organisation: Organisation) -> Decimal:
    """The weight indicator 1's sub-KPIs must add up to (100 where no framework says otherwise)."""
    indicator = plan_indicator(fiscal_year=fiscal_year, organisation=organisation)
    return indicator.weight if indicator else Decimal(100)


@dataclass(frozen=True)
class FrameworkSummary:
    framework: Framework
    dimension_total: Decimal
    indicator_total: Decimal


def framework_summary(framework: Framework) -> FrameworkSummary:
    dimensions = list(framework.dimensions.all())
    return FrameworkSummary(
        framework=framework,
        dimension_total=sum((d.weight for d in dimensions), Decimal(0)),
        indicator_total=sum((i.weight for d in dimensions for i in d.indicators.all()), Decimal(0)),
    )
