from typing import Any

from django.core.management.base import BaseCommand

from khamrap.accounts.services import DEMO_PASSWORD, demo_accounts_create
from khamrap.frameworks.selectors import fiscal_year_current
from khamrap.site.demo import demo_plans_create


class Command(BaseCommand):
    help = "Create demo accounts for every role and a few demo plans (local use only); print the logins."

    def handle(self, *args: Any, **options: Any) -> None:
        accounts = demo_accounts_create()
        fiscal_year = fiscal_year_current()
        if fiscal_year is not None:
            made = demo_plans_create(fiscal_year=fiscal_year)
            self.stdout.write(f"demo plans created: {made}")
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD})")
        for account in accounts:
            where = account.organisation_code or "-"
            self.stdout.write(f"  {account.username:<20} {account.role.label} [{where}]")
