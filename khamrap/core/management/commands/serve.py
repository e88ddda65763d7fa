import os
import socket
import sys
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand


def default_workers() -> int:
    """gunicorn's rule of thumb, two per core plus one, unless WEB_CONCURRENCY says otherwise."""
    return int(os.environ.get("WEB_CONCURRENCY") or 2 * (os.cpu_count() or 1) + 1)


def free_port(first: int, last: int) -> int:
    """A loopback port in ``first``–``last`` that gunicorn can bind now (one in TIME_WAIT counts as free,
    as gunicorn binds with SO_REUSEADDR): the load script and the concurrency tests start servers on it."""
    for port in range(first, last + 1):
        with socket.socket() as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {first}-{last}")


def gunicorn_argv(*, bind: str, workers: int, timeout: int) -> list[str]:
    """The one command line that serves Khamrap: `make run`, the load script and the tests all use it."""
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "khamrap.wsgi:application",
        f"--bind={bind}",
        f"--workers={workers}",
        f"--timeout={timeout}",
        "--graceful-timeout=10",
        # Load Django once in the master and fork the workers: faster start, less memory.
        "--preload",
        # No control socket: its default path is shared by every gunicorn of the same user.
        "--no-control-socket",
    ]


class Command(BaseCommand):
    help = (
        "Serve the site with gunicorn (several worker processes; static files through WhiteNoise). "
        "The task worker runs separately: `khamrap db_worker`."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--bind", default="127.0.0.1:8000", help="host:port (default 127.0.0.1:8000)")
        parser.add_argument(
            "--workers", type=int, default=default_workers(), help="worker processes (default 2 × cores + 1)"
        )
        parser.add_argument("--timeout", type=int, default=60, help="seconds before a stuck worker restarts")

    def handle(self, *args: Any, **options: Any) -> None:
        argv = gunicorn_argv(bind=options["bind"], workers=options["workers"], timeout=options["timeout"])
        self.stdout.write(f"Khamrap: gunicorn with {options['workers']} workers on http://{options['bind']}")
        self.stdout.flush()
        # Each worker keeps its database connection between requests (a new PostgreSQL connection costs
        # more than most pages) unless DB_CONN_MAX_AGE says otherwise.
        os.environ.setdefault("DB_CONN_MAX_AGE", "600")
        os.execv(argv[0], argv)  # gunicorn takes over this process (signals, exit status)
