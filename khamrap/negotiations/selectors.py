"""The parties of a year's negotiation, as the pure scheduler takes them."""

from khamrap.frameworks.models import FiscalYear
from khamrap.orgs.models import OrganisationKind
from khamrap.orgs.selectors import cluster_codes_by_province, participating_organisations
from khamrap.plans.models import Plan, PlanStatus
from khamrap.scheduling import Party

READY_STATUSES = frozenset({PlanStatus.READY, PlanStatus.AGREED, PlanStatus.SIGNED})


def negotiation_parties(*, fiscal_year: FiscalYear) -> tuple[Party, ...]:
    """Every participating organisation of the year; ``ready`` when its plan is ready for negotiation."""
    on = fiscal_year.structure_on
    clusters = cluster_codes_by_province(on=on)
    ready = set(
        Plan.objects.filter(fiscal_year=fiscal_year, status__in=READY_STATUSES).values_list(
            "organisation_id", flat=True
        )
    )
    return tuple(
        Party(
            code=org.code,
            name=org.name_th,
            kind="cluster" if org.kind == OrganisationKind.CLUSTER else "province",
            cluster=clusters[org.pk].code if org.pk in clusters else None,
            ready=org.pk in ready,
        )
        for org in participating_organisations(on=on)
    )
