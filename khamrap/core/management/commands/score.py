import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any, TextIO

from django.core.management.base import BaseCommand, CommandError

from khamrap.scoring import ScoringInputError
from khamrap.scoring.scenario import run


class Command(BaseCommand):
    help = (
        "Score a JSON scenario with the scoring rules and print the score sheet as JSON "
        "(docs/scoring.md). Needs no database. Exit status 2 when the scenario is invalid."
    )
    # Pure computation: no system checks (they would load every app's models) and no database.
    requires_system_checks: list[str] = []
    requires_migrations_checks = False
    stealth_options = ("stdin",)

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", help="scenario JSON file, or - to read standard input")

    def handle(self, *args: Any, **options: Any) -> None:
        text = self._read(options["file"], options.get("stdin") or sys.stdin)
        try:
            sheet = run(text)
        except ScoringInputError as error:
            raise CommandError(f"{error}\n{error.text_th}", returncode=2) from None
        self.stdout.write(sheet)

    def _read(self, name: str, stdin: TextIO) -> str:
        if name == "-":
            return stdin.read()
        try:
            return Path(name).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"cannot read {name}: {error}", returncode=2) from None
