"""Reads of organisations as they stood in a fiscal year."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet

from khamrap.orgs.models import ClusterMembership, Organisation, OrganisationKind


def _valid_on(on: date) -> Q:
    return (Q(valid_from__isnull=True) | Q(valid_from__lte=on)) & (
        Q(valid_to__isnull=True) | Q(valid_to__gte=on)
    )


def provinces_on(*, on: date) -> QuerySet[Organisation]:
    return Organisation.objects.filter(_valid_on(on), kind=OrganisationKind.PROVINCE).order_by("code")


def memberships_on(*, on: date) -> QuerySet[ClusterMembership]:
    return (
        ClusterMembership.objects.filter(effective_from__lte=on)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=on))
        .select_related("cluster", "province")
        .order_by("cluster__code", "province__code")
    )


@dataclass(frozen=True)
class ClusterWithMembers:
    cluster: Organisation
    provinces: tuple[Organisation, ...]


def clusters_on(*, on: date) -> list[ClusterWithMembers]:
    """Clusters and their member provinces in force on ``on``, in one query."""
    grouped: dict[int, tuple[Organisation, list[Organisation]]] = {}
    for membership in memberships_on(on=on):
        grouped.setdefault(membership.cluster_id, (membership.cluster, []))[1].append(membership.province)
    return [ClusterWithMembers(cluster=c, provinces=tuple(p)) for c, p in grouped.values()]


def cluster_codes_by_province(*, on: date) -> dict[int, Organisation]:
    """Province id → its cluster on ``on``."""
    return {m.province_id: m.cluster for m in memberships_on(on=on)}


def participating_organisations(*, on: date) -> QuerySet[Organisation]:
    """Provinces and clusters that make agreements: the provinces valid on ``on`` and clusters in force."""
    cluster_ids = memberships_on(on=on).values("cluster_id")
    return Organisation.objects.filter(
        (Q(kind=OrganisationKind.PROVINCE) & _valid_on(on)) | Q(pk__in=cluster_ids)
    ).order_by("kind", "code")


def plan_organisations() -> QuerySet[Organisation]:
    """The organisations that have plans: provinces and provincial clusters (never OPDC itself)."""
    return Organisation.objects.filter(kind__in=[OrganisationKind.PROVINCE, OrganisationKind.CLUSTER])
