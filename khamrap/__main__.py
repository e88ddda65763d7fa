"""The ``khamrap`` console script: runs any Django management command."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "khamrap.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["khamrap", *sys.argv[1:]])


if __name__ == "__main__":
    main()
