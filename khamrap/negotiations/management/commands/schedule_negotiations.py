"""``khamrap schedule_negotiations --year 2551 --constraints FILE.json [--json] [--allow-not-ready]``.

Exit 0 with the schedule, 1 when no schedule exists (the constraint named on stderr), 2 on bad arguments or
a bad file."""

import json
from pathlib import Path
from typing import Any, NoReturn

from django.core.management.base import BaseCommand, CommandParser

from khamrap.core.errors import DomainError
from khamrap.frameworks.models import FiscalYear
from khamrap.negotiations.constraints_file import constraints_read
from khamrap.negotiations.selectors import negotiation_parties
from khamrap.scheduling import Infeasible, Problem, schedule
from khamrap.thai.dates import format_date


class Command(BaseCommand):
    help = "จัดตารางการเจรจา / Schedule the negotiation sessions of a fiscal year"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, required=True, help="ปีงบประมาณ พ.ศ. / fiscal year (BE)")
        parser.add_argument("--constraints", type=Path, required=True, help="JSON constraints file")
        parser.add_argument("--json", action="store_true", help="print the schedule as JSON")
        parser.add_argument("--allow-not-ready", action="store_true", help="schedule plans not yet ready")
        parser.add_argument("--time-limit", type=float, default=10.0, help="solver seconds")

    def handle(self, *args: Any, **options: Any) -> None:
        fiscal_year = FiscalYear.objects.filter(year=options["year"]).first()
        if fiscal_year is None:
            self._fail(2, f"ไม่พบปีงบประมาณ {options['year']}", f"no fiscal year {options['year']}")
        try:
            constraints = constraints_read(path=options["constraints"])
        except DomainError as error:
            self._fail(2, error.message_th, error.message_en)
        parties = negotiation_parties(fiscal_year=fiscal_year)
        problem = Problem(constraints, parties, allow_not_ready=options["allow_not_ready"])
        result = schedule(problem, time_limit=options["time_limit"])
        if isinstance(result, Infeasible):
            for reason in result.reasons:
                self.stderr.write(f"[{reason.rule}] {reason.message_th}\n{reason.message_en}")
            raise SystemExit(1)
        for warning in result.warnings:
            self.stderr.write(f"[{warning.rule}] {warning.message_th}\n{warning.message_en}")
        slots = sorted(result.slots, key=lambda s: (s.day, s.start, s.room))
        if options["json"]:
            rows = [
                {
                    "org": s.party,
                    "date": s.day.isoformat(),
                    "start": s.start.strftime("%H:%M"),
                    "end": s.end.strftime("%H:%M"),
                    "room": s.room,
                    "committee": s.committee,
                }
                for s in slots
            ]
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        names = {p.code: p.name for p in parties}
        self.stdout.write("วันที่\tเวลา\tห้อง\tคณะกรรมการ\tหน่วยงาน")
        for s in slots:
            when = f"{s.start:%H:%M}–{s.end:%H:%M}"
            self.stdout.write(
                f"{format_date(s.day)}\t{when}\t{s.room}\t{s.committee}\t{names[s.party]} ({s.party})"
            )
        self.stdout.write(
            f"รวม {len(slots)} การเจรจา ใน {len(result.days)} วัน / {len(slots)} sessions on {len(result.days)} days"
        )

    def _fail(self, code: int, message_th: str, message_en: str) -> NoReturn:
        self.stderr.write(f"{message_th}\n{message_en}")
        raise SystemExit(code)
