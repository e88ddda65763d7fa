from argparse import ArgumentParser
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from khamrap.core.backup import backup_create


class Command(BaseCommand):
    help = (
        "Back up the database (portable JSON) and every uploaded file into one .tar.gz with a sha256 manifest; "
        "restore it with `khamrap restore`. See docs/security.md."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--output",
            type=Path,
            help="the archive to write (default: var/backups/khamrap-YYYYMMDD-HHMMSS.tar.gz under the data folder)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        output = options["output"] or (
            Path(settings.DATA_DIR) / "backups" / f"khamrap-{datetime.now():%Y%m%d-%H%M%S}.tar.gz"
        )
        summary = backup_create(output=output)
        self.stdout.write(
            f"backup written: {summary.path} ({summary.size / 1024 / 1024:,.1f} MB; "
            f"{summary.rows} rows, {summary.files} files)"
        )
