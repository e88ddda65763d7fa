from typing import Any

from django.core.management.base import BaseCommand

from khamrap.frameworks.services import fiscal_year_seed
from khamrap.orgs.services import reference_data_load


class Command(BaseCommand):
    help = "Load provinces, provincial clusters and the FY2551 calendar and frameworks (safe to run again)."

    def handle(self, *args: Any, **options: Any) -> None:
        result = reference_data_load()
        fiscal_year = fiscal_year_seed()
        self.stdout.write(
            f"reference data: {result.organisations_created} organisations created, "
            f"{result.organisations_updated} updated, {result.memberships_created} memberships created; "
            f"fiscal year {fiscal_year.year} ready"
        )
