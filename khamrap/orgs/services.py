"""Loading the reference data shipped with the project (provinces and clusters)."""

import csv
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.db import transaction

from khamrap.orgs.models import ClusterMembership, Organisation, OrganisationKind

DATA_DIR = Path(__file__).resolve().parent / "data"

# Bangkok is a special administrative area: not one of the provinces of the agreement cycle.
SPECIAL_AREA_CODES = {"10"}


@dataclass(frozen=True)
class ReferenceLoadResult:
    organisations_created: int
    organisations_updated: int
    memberships_created: int


def _parse_date(raw: str) -> date | None:
    raw = raw.strip()
    return date.fromisoformat(raw) if raw else None


@transaction.atomic
def reference_data_load(*, data_dir: Path = DATA_DIR) -> ReferenceLoadResult:
    """Create or update provinces, clusters and memberships from the CSV files; safe to run twice."""
    created = updated = memberships = 0
    Organisation.objects.update_or_create(
        code="OPDC",
        defaults={"kind": OrganisationKind.OPDC, "name_th": "สำนักงาน ก.พ.ร.", "name_en": "OPDC"},
    )
    with (data_dir / "provinces.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            kind = (
                OrganisationKind.SPECIAL_AREA
                if row["code"] in SPECIAL_AREA_CODES
                else OrganisationKind.PROVINCE
            )
            _, was_created = Organisation.objects.update_or_create(
                code=row["code"],
                defaults={
                    "kind": kind,
                    "name_th": row["name_th"],
                    "name_en": row["name_en"],
                    "valid_from": _parse_date(row["valid_from"]),
                    "note": row["note"],
                },
            )
            created += was_created
            updated += not was_created
    provinces = {o.code: o for o in Organisation.objects.filter(kind=OrganisationKind.PROVINCE)}
    with (data_dir / "provincial_clusters.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            cluster, was_created = Organisation.objects.update_or_create(
                code=row["cluster_code"],
                defaults={
                    "kind": OrganisationKind.CLUSTER,
                    "name_th": row["name_th"],
                    "name_en": row["name_en"],
                },
            )
            created += was_created
            _, was_created = ClusterMembership.objects.get_or_create(
                cluster=cluster,
                province=provinces[row["province_code"]],
                effective_from=date.fromisoformat(row["effective_from"]),
                defaults={"source": row["source"]},
            )
            memberships += was_created
    return ReferenceLoadResult(created, updated, memberships)
