from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from khamrap.core.backup import backup_restore
from khamrap.core.errors import DomainError


class Command(BaseCommand):
    help = (
        "Restore a `khamrap backup` archive into an EMPTY database and media folder (migrating it first), "
        "after checking every file's sha256. See docs/security.md."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("archive", type=Path, help="the .tar.gz written by `khamrap backup`")
        parser.add_argument(
            "--force",
            action="store_true",
            help="restore over existing data: the database is emptied first, the media folder moved aside",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = backup_restore(archive=options["archive"], force=options["force"])
        except DomainError as error:
            raise CommandError(f"{error.message_th}\n{error.message_en}") from None
        self.stdout.write(f"restored: {summary.rows} rows, {summary.files} files")
        if summary.media_set_aside:
            self.stdout.write(f"the media files that were there are kept in {summary.media_set_aside}")
