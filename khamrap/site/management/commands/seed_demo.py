from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from khamrap.accounts.services import DEMO_PASSWORD, demo_accounts_create
from khamrap.frameworks.selectors import fiscal_year_current
from khamrap.site.demo import demo_plans_create, demo_reviews_create


class Command(BaseCommand):
    help = (
        "Create demo accounts for every role and a few demo plans (the demo only: their password is published); "
        "print the logins."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="run even with KHAMRAP_ENV=production: every demo login then opens the real site",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION and not options["allow_production"]:
            raise CommandError(
                "seed_demo refuses to run in production (KHAMRAP_ENV=production): the demo logins share a "
                "published password. Use `make run` for the demo, or pass --allow-production if you really mean it."
            )
        accounts = demo_accounts_create()
        fiscal_year = fiscal_year_current()
        if fiscal_year is not None:
            made = demo_plans_create(fiscal_year=fiscal_year)
            self.stdout.write(f"demo plans created: {made}")
            self.stdout.write(f"demo reviews created: {demo_reviews_create(fiscal_year=fiscal_year)}")
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD})")
        for account in accounts:
            where = account.organisation_code or "-"
            self.stdout.write(f"  {account.username:<20} {account.role.label} [{where}]")
