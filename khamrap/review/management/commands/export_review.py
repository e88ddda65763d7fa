"""``khamrap export_review --year 2551 --out FILE.xlsx [--lang th|en]``: every plan's findings and the
analysts' verdicts, comments, proposals, internal notes and the provinces' answers of the year, as one Excel
file in Thai (the default) or English. Exit 2 on an unknown year or a file that cannot be written."""

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from khamrap.frameworks.models import FiscalYear
from khamrap.review.export import review_workbook


class Command(BaseCommand):
    help = "Write every plan's findings and verdicts of the year to Excel: khamrap export_review --year 2551 --out review.xlsx"

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--year", type=int, required=True, help="fiscal year in the Buddhist Era, e.g. 2551"
        )
        parser.add_argument("--out", required=True, help="the Excel file to write (.xlsx)")
        parser.add_argument(
            "--lang", choices=("th", "en"), default="th", help="the file's language: th (default) or en"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        year = options["year"]
        fiscal_year = FiscalYear.objects.filter(year=year).first()
        if fiscal_year is None:
            raise CommandError(f"ไม่พบปีงบประมาณ พ.ศ. {year} ในระบบ / No fiscal year {year}", returncode=2)
        out = Path(options["out"])
        data = review_workbook(fiscal_year=fiscal_year, language=options["lang"])
        try:
            out.write_bytes(data)
        except OSError as error:
            raise CommandError(
                f"เขียนไฟล์ {out} ไม่ได้: {error.strerror} / Cannot write {out}: {error.strerror}", returncode=2
            ) from error
        self.stdout.write(f"เขียน {out} แล้ว ({len(data):,} ไบต์) / Wrote {out}")
