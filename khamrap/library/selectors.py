"""The KPI library's reads: search by words with filters, and "how others measure this".

Words, not characters: the query is cut with the same tokenizer as the stored word columns
(:mod:`khamrap.plans.indexing`), every query word must be a word of the KPI's name, unit or definition, and
the results rank by how many of them are words of the name, then by year, newest first.

Who sees what: OPDC staff see every organisation's KPIs, drafts included; a province's or cluster's people see
their own organisation's KPIs and, of the others, only those of signed agreements — published work. Never
another province's draft or plan under review.
"""

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.db.models import Case, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce

from khamrap.accounts.access import can_view_plan, library_sees_everything
from khamrap.accounts.models import User
from khamrap.core.errors import DomainError
from khamrap.orgs.models import ClusterMembership, Organisation, OrganisationKind
from khamrap.plans.indexing import search_words
from khamrap.plans.models import Kpi, KpiType, MilestoneLevel, PlanStatus

PAGE_SIZE = 20
EXPORT_LIMIT = 5_000  # rows of one Excel export
QUERY_LENGTH = 200
# Words that join others and say nothing about what is measured: "how others measure this" skips them.
FUNCTION_WORDS = frozenset(
    {"ของ", "ที่", "และ", "การ", "ใน", "ให้", "ได้", "มี", "เป็น", "จาก", "ต่อ", "โดย", "ความ", "กับ", "แก่"}
)


@dataclass(frozen=True)
class LibraryFilters:
    text: str = ""
    year: int | None = None
    cluster: str = ""
    organisation: str = ""
    unit: str = ""
    kpi_type: str = ""

    @property
    def words(self) -> tuple[str, ...]:
        return search_words(self.text)

    @property
    def active(self) -> bool:
        return any(vars(self).values())

    def as_query(self) -> str:
        return urlencode({_PARAMETERS[k]: v for k, v in vars(self).items() if v})


# Each filter's name in the query string.
_PARAMETERS = {
    "text": "q",
    "year": "year",
    "cluster": "cluster",
    "organisation": "org",
    "unit": "unit",
    "kpi_type": "type",
}


def library_filters(params: Any) -> LibraryFilters:
    """The filters of a request's query string; a value that names nothing is refused in words."""
    year_text = (params.get("year") or "").strip()
    year = None
    if year_text:
        if not year_text.isdigit() or not 2400 < int(year_text) < 2700:
            raise DomainError(f"ปีงบประมาณ '{year_text}' ไม่ถูกต้อง", f"'{year_text}' is not a fiscal year")
        year = int(year_text)
    kpi_type = (params.get("type") or "").strip()
    if kpi_type and kpi_type not in KpiType.values:
        raise DomainError(f"ไม่มีประเภทตัวชี้วัด '{kpi_type}'", f"There is no KPI type '{kpi_type}'")
    return LibraryFilters(
        text=(params.get("q") or "").strip()[:QUERY_LENGTH],
        year=year,
        cluster=(params.get("cluster") or "").strip()[:16],
        organisation=(params.get("org") or "").strip()[:16],
        unit=(params.get("unit") or "").strip()[:100],
        kpi_type=kpi_type,
    )


def library_kpis(*, user: User) -> QuerySet[Kpi]:
    """Every KPI ``user`` may find in the library (see the module's docstring)."""
    kpis = Kpi.objects.all()
    if library_sees_everything(user):
        return kpis
    if user.organisation_id:
        return kpis.filter(Q(plan__organisation_id=user.organisation_id) | Q(plan__status=PlanStatus.SIGNED))
    return kpis.none()


def _contains(column: str, word: str) -> Q:
    return Q(**{f"{column}__contains": f" {word} "})


def _hits(column: str, words: tuple[str, ...]) -> Any:
    total: Any = Value(0)
    for word in words:
        total = total + Case(When(_contains(column, word), then=Value(1)), default=Value(0))
    return Coalesce(total, Value(0), output_field=IntegerField())


def _in_cluster(code: str) -> Q:
    member = ClusterMembership.objects.filter(
        cluster__code=code,
        province_id=OuterRef("plan__organisation_id"),
        effective_from__lte=OuterRef("plan__fiscal_year__ends_on"),
    ).filter(Q(effective_to__isnull=True) | Q(effective_to__gte=OuterRef("plan__fiscal_year__starts_on")))
    return Q(plan__organisation__code=code, plan__organisation__kind=OrganisationKind.CLUSTER) | Q(
        Exists(member)
    )


def library_search(*, user: User, filters: LibraryFilters) -> QuerySet[Kpi]:
    """The KPIs ``user`` may see that match ``filters``: every query word a word of the KPI, ranked by the
    words found in the name, then the year (newest first); the plan, its year and organisation joined."""
    kpis = library_kpis(user=user)
    words = filters.words
    for word in words:
        kpis = kpis.filter(_contains("text_words", word))
    if filters.year:
        kpis = kpis.filter(plan__fiscal_year__year=filters.year)
    if filters.organisation:
        kpis = kpis.filter(plan__organisation__code=filters.organisation)
    if filters.cluster:
        kpis = kpis.filter(_in_cluster(filters.cluster))
    if filters.unit:
        kpis = kpis.filter(unit=filters.unit)
    if filters.kpi_type:
        kpis = kpis.filter(kpi_type=filters.kpi_type)
    order = ["-plan__fiscal_year__year", "plan__organisation__code", "position", "pk"]
    if words:
        kpis = kpis.annotate(name_hits=_hits("name_words", words))
        order = ["-name_hits", *order]
    return kpis.select_related("plan__fiscal_year", "plan__organisation").order_by(*order)


def with_levels(kpis: QuerySet[Kpi]) -> QuerySet[Kpi]:
    """``kpis`` with each milestone KPI's level descriptions read in one more query."""
    return kpis.prefetch_related(Prefetch("levels", queryset=MilestoneLevel.objects.order_by("level")))


def library_units(*, user: User) -> list[str]:
    """The units of the KPIs ``user`` may see, for the unit filter (one query)."""
    return list(
        library_kpis(user=user).exclude(unit="").order_by("unit").values_list("unit", flat=True).distinct()
    )


def library_organisations() -> QuerySet[Organisation]:
    return Organisation.objects.filter(
        kind__in=[OrganisationKind.PROVINCE, OrganisationKind.CLUSTER]
    ).order_by("kind", "name_th")


def similar_kpis(*, kpi: Kpi, user: User, limit: int = 5) -> list[Kpi]:
    """How others measure this: KPIs of other organisations (any year) and of the same one in earlier years,
    that ``user`` may see, with the most words of ``kpi``'s name in their names (function words aside).
    Two queries: the KPIs, then the level descriptions of milestone ones."""
    words = tuple(w for w in kpi.name_words.split() if w not in FUNCTION_WORDS)
    if not words:
        return []
    plan = kpi.plan
    others = ~Q(plan__organisation_id=plan.organisation_id)
    earlier = Q(plan__organisation_id=plan.organisation_id, plan__fiscal_year__year__lt=plan.fiscal_year.year)
    any_word = Q()
    for word in words:
        any_word |= _contains("name_words", word)
    found = (
        library_kpis(user=user)
        .filter(others | earlier)
        .filter(any_word)
        .annotate(name_hits=_hits("name_words", words))
        .select_related("plan__fiscal_year", "plan__organisation")
        .order_by("-name_hits", "-plan__fiscal_year__year", "plan__organisation__code", "pk")
    )
    return list(with_levels(found)[:limit])


@dataclass(frozen=True)
class LibraryResult:
    """A KPI found, with whether the user may open its plan; what ``library/_similar.html`` and the
    library's pages show."""

    kpi: Kpi
    can_open_plan: bool


def library_results(*, user: User, kpis: list[Kpi]) -> list[LibraryResult]:
    """``kpis`` (read by :func:`library_search` or :func:`similar_kpis`) as results for ``user``; no query."""
    return [LibraryResult(kpi, can_view_plan(user, kpi.plan.organisation)) for kpi in kpis]
