from typing import Any

from django.core.management.base import BaseCommand

from khamrap.accounts.services import DEMO_PASSWORD, demo_accounts_create


class Command(BaseCommand):
    help = "Create demo accounts for every role (local use only) and print them."

    def handle(self, *args: Any, **options: Any) -> None:
        accounts = demo_accounts_create()
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD})")
        for account in accounts:
            where = account.organisation_code or "-"
            self.stdout.write(f"  {account.username:<20} {account.role.label} [{where}]")
