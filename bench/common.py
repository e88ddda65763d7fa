"""What every benchmark needs: Django on a throwaway database, the best of N timings, and a PostgreSQL
database of the benchmark's own beside the one ``DATABASE_URL`` names."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit


def django_setup(data_dir: str, database_url: str | None = None) -> None:
    """Django in development mode on a database under ``data_dir`` (SQLite), or on ``database_url``."""
    os.environ["KHAMRAP_DATA_DIR"] = data_dir
    os.environ["KHAMRAP_MEDIA_ROOT"] = str(Path(data_dir) / "media")
    os.environ.pop("DATABASE_URL", None)
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    os.environ["KHAMRAP_ENV"] = "development"  # a throwaway database and key under the temporary folder
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "khamrap.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def best(runs: int, work: Callable[[], object]) -> float:
    """The shortest of ``runs`` timings of ``work``, in seconds."""
    shortest = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        work()
        shortest = min(shortest, time.perf_counter() - started)
    return shortest


def own_postgres_database(url: str, *, label: str) -> tuple[str, Callable[[], None]]:
    """A database of the benchmark's own on the server of ``url``, and how to drop it."""
    import psycopg

    name = f"khamrap_bench_{label}_{os.getpid()}"
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(url, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return urlunsplit(urlsplit(url)._replace(path=f"/{name}")), drop
