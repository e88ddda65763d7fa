"""The ``khamrap`` console script: runs any Django management command."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "khamrap.settings")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        settings.INSTALLED_APPS  # noqa: B018 - read the settings now, to say plainly what is missing
    except ImproperlyConfigured as error:
        sys.exit(f"khamrap: {error}")
    execute_from_command_line(["khamrap", *sys.argv[1:]])


if __name__ == "__main__":
    main()
