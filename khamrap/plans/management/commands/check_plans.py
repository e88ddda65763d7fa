"""``khamrap check_plans --year 2551 [--org CODE] [--json]``: every finding of the automatic appropriateness
checks, for the analysts' bulk work. Exit 0 whatever is found; 2 on an unknown year or organisation."""

import json
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from khamrap.frameworks.models import FiscalYear
from khamrap.orgs.selectors import plan_organisations
from khamrap.plans.checks import year_findings


class Command(BaseCommand):
    help = (
        "Print every finding of the automatic appropriateness checks of the year's plans: "
        "khamrap check_plans --year 2551 [--org 50] [--json]"
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--year", type=int, required=True, help="fiscal year in the Buddhist Era, e.g. 2551"
        )
        parser.add_argument("--org", help="only this organisation: DOPA province code (50) or cluster code")
        parser.add_argument(
            "--json",
            action="store_true",
            help="a JSON list of {org, kpi_uid, kpi_code, rule, severity, message_th, message_en, issue, field}",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        year = options["year"]
        fiscal_year = FiscalYear.objects.filter(year=year).first()
        if fiscal_year is None:
            raise CommandError(f"ไม่พบปีงบประมาณ พ.ศ. {year} ในระบบ / No fiscal year {year}", returncode=2)
        organisations = None
        if options["org"] is not None:
            organisation = plan_organisations().filter(code=options["org"]).first()
            if organisation is None:
                raise CommandError(
                    f"ไม่พบหน่วยงานรหัส '{options['org']}' / No organisation with code {options['org']!r}",
                    returncode=2,
                )
            organisations = [organisation]
        rows = [
            {
                "org": found.plan.organisation.code,
                "kpi_uid": finding.kpi_uid,
                "kpi_code": finding.kpi_code,
                "rule": str(finding.rule),
                "severity": str(finding.severity),
                "message_th": finding.message_th,
                "message_en": finding.message_en,
                "issue": finding.issue,
                "field": finding.field,
            }
            for found in year_findings(fiscal_year=fiscal_year, organisations=organisations)
            for finding in found.findings
        ]
        if options["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1))
            return
        for row in rows:
            where = row["kpi_code"] or row["issue"] or "-"
            self.stdout.write("\t".join((row["org"], where, row["rule"], row["severity"], row["message_th"])))
