from argparse import ArgumentParser
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from khamrap.frameworks.models import FiscalYear
from khamrap.frameworks.selectors import fiscal_year_current
from khamrap.tracking.services import deadline_reminders_send


class Command(BaseCommand):
    help = (
        "Remind the officers of every organisation that has not submitted, on the year's reminder days "
        "before its deadline (FiscalYear.reminder_days). Run once a day; running it again sends nothing twice."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--year", type=int, help="fiscal year (B.E.); the latest year by default")
        parser.add_argument("--today", type=date.fromisoformat, help="the day to judge by, YYYY-MM-DD")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["year"]:
            fiscal_year = FiscalYear.objects.filter(year=options["year"]).first()
        else:
            fiscal_year = fiscal_year_current()
        if fiscal_year is None:
            raise CommandError("no such fiscal year")
        created = deadline_reminders_send(fiscal_year=fiscal_year, today=options["today"])
        self.stdout.write(f"{len(created)} reminder(s) for FY{fiscal_year.year}")
