from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from khamrap.core.errors import DomainError
from khamrap.workbook.writer import plan_for_workbook, workbook_export


class Command(BaseCommand):
    help = (
        "Write an organisation's negotiation form as the Excel workbook (the data disk), pre-filled with "
        "what is entered: khamrap export_plan --year 2551 --org 50 --out FILE.xlsx"
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--year", type=int, required=True, help="fiscal year in the Buddhist Era, e.g. 2551"
        )
        parser.add_argument("--org", required=True, help="DOPA province code (50) or cluster code (NU1)")
        parser.add_argument("--out", required=True, help="the .xlsx file to write")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            plan = plan_for_workbook(year=options["year"], org_code=options["org"])
        except DomainError as error:
            raise CommandError(error.message_th) from None
        out = Path(options["out"])
        try:
            out.write_bytes(workbook_export(plan=plan))
        except OSError as error:
            raise CommandError(f"เขียนไฟล์ {out} ไม่ได้: {error}") from None
        self.stdout.write(
            f"{out}: {plan.organisation.code} {plan.organisation.name_th} {plan.fiscal_year.year}"
        )
