import sys
from argparse import ArgumentParser
from collections import Counter
from typing import Any

from django.core.management.base import BaseCommand

from khamrap.core.errors import in_language, stored_in_language
from khamrap.workbook.bulk import PROBLEMS_SHOWN_PER_LINE, import_paths, problem_text


class Command(BaseCommand):
    help = (
        "Import negotiation-form workbooks (files, folders or zips), each into the plan its meta sheet "
        "names. Prints one line per file, in Thai or with --language en in English; exit status 1 if any file was "
        "refused."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("paths", nargs="+", help=".xlsx files, folders or .zip files")
        parser.add_argument("--dry-run", action="store_true", help="check every file and write nothing")
        parser.add_argument(
            "--force",
            action="store_true",
            help="import a file even when its plan was changed after the file was downloaded (those changes are replaced)",
        )
        parser.add_argument(
            "--language", choices=["th", "en"], default="th", help="the language of the outcomes and problems"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        lines = import_paths(options["paths"], dry_run=options["dry_run"], force=options["force"])
        language = options["language"]
        for line in lines:
            text = f"{line.status:<9} {line.name}  [{line.org_code or '-'}]  {stored_in_language(line.as_dict(), language)}"
            if line.refused:
                shown = [problem_text(p, language) for p in line.problems[:PROBLEMS_SHOWN_PER_LINE]]
                more = len(line.problems) - len(shown)
                rest = in_language(f"; และอีก {more} ปัญหา", f"; and {more} more", language)
                text += ": " + "; ".join(shown) + (rest if more > 0 else "")
            self.stdout.write(text)
        counts = Counter(line.status for line in lines)
        self.stdout.write(
            f"{len(lines)} files: " + ", ".join(f"{counts[status]} {status}" for status in sorted(counts))
        )
        if counts["refused"]:
            sys.exit(1)
