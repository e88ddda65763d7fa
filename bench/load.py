"""Deadline day: N officers autosave their KPIs and open their plan pages for T seconds, on loopback.

Run: ``make load`` or ``.venv/bin/python bench/load.py [--officers 40] [--seconds 60] [--url URL]``.

By default the script makes a fresh data folder (SQLite), or uses ``DATABASE_URL`` when it is set, migrates
it, loads the reference data, creates one officer account and one draft plan (``site.samples.sample_plan``, eight
KPIs) per province or cluster, and starts the server exactly as ``make run`` does (``khamrap serve``, i.e.
gunicorn, beside ``khamrap db_worker``) on a free port in 8101-8199. With ``--url`` it drives a server that
is already running instead; that server must use the database this script's environment points at
(``DATABASE_URL`` or ``KHAMRAP_DATA_DIR``), because the script creates the accounts there and reads the
writes back. Its ``load_*`` accounts and their plans are edited: never point it at real data.

Every officer logs in through the login form, then, until the time is up: opens the plan page and the login
page (the trivial page every request is compared with), and autosaves KPIs of the plan one after another
(the htmx POST the page sends, every field of the KPI form, a new remark and target each time) with a
think time between saves. It prints requests, errors, p50/p95 per page and the ratio of the plan page's
p95 to the trivial page's, then checks that every acknowledged autosave (HTTP 200) is in the database:
each plan's revision moved once per acknowledged save, and each KPI holds its last acknowledged values.

Exit status 1 when a request failed or an acknowledged write is missing (the end of the server's log is
printed then, or always with ``KHAMRAP_LOAD_SHOW_LOG=1``). Timing is reported, not judged by the exit status
(the machine may be shared: the CPU line says how much of it the server, this script and others used).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "load-officer-password"
PLAN, TRIVIAL, AUTOSAVE, LOGIN = "plan page", "login page (trivial)", "autosave", "logging in"
PAGES = (PLAN, TRIVIAL, AUTOSAVE)
RATIO_TARGET = 5


@dataclass
class Officer:
    username: str
    org_code: str
    plan_pk: int
    revision_before: int
    # kpi pk → the whole KPI form as the page sends it (prefixed names)
    forms: dict[int, dict[str, str]]


@dataclass
class Save:
    kpi_pk: int
    remarks: str
    target: str | None
    acknowledged: bool


@dataclass
class Result:
    timings: dict[str, list[float]] = field(default_factory=lambda: {p: [] for p in (*PAGES, LOGIN)})
    errors: dict[str, list[str]] = field(default_factory=lambda: {p: [] for p in (*PAGES, LOGIN)})
    saves: list[Save] = field(default_factory=list)
    # CPU seconds during the run: the server's processes, this script, and the whole machine (all cores)
    cpu: dict[str, float] = field(default_factory=dict)


# --- the database: accounts, plans, and reading the writes back ----------------------------------


def django_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "khamrap.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def officers_create(count: int, *, migrate: bool) -> tuple[int, list[Officer]]:
    """One officer and one editable plan (eight KPIs) per organisation; returns the fiscal year too."""
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command

    from khamrap.accounts.models import Role, User
    from khamrap.frameworks.selectors import fiscal_year_current
    from khamrap.frameworks.services import fiscal_year_seed
    from khamrap.orgs.selectors import participating_organisations
    from khamrap.orgs.services import reference_data_load
    from khamrap.plans import editing
    from khamrap.plans.forms import KpiForm
    from khamrap.plans.models import Kpi
    from khamrap.site.samples import sample_plan

    if migrate:
        call_command("migrate", verbosity=0)
        reference_data_load()
        fiscal_year_seed()
    fiscal_year = fiscal_year_current()
    if fiscal_year is None:
        raise SystemExit("no fiscal year in the database: run `khamrap load_reference` first")
    password = make_password(PASSWORD)  # hashed once: the hasher is slow on purpose
    officers: list[Officer] = []
    for organisation in participating_organisations(on=fiscal_year.structure_on):
        if len(officers) == count:
            break
        plan = editing.plan_get_or_create(fiscal_year=fiscal_year, organisation=organisation)
        if not plan.is_editable:
            continue
        role = Role.PROVINCE_OFFICER if organisation.is_province else Role.CLUSTER_OFFICER
        user, _ = User.objects.update_or_create(
            username=f"load_{organisation.code}".lower(),
            defaults={"role": role, "organisation": organisation, "password": password, "is_active": True},
        )
        if not plan.kpis.exists():
            editing.plan_tree_replace(plan=plan, data=sample_plan(), actor=user, note="load test")
        plan.refresh_from_db()
        forms = {}
        for kpi in Kpi.objects.filter(plan=plan).prefetch_related("levels").order_by("position"):
            initial = KpiForm.initial_for(kpi)
            forms[kpi.pk] = {f"k{kpi.pk}-{k}": "" if v is None else str(v) for k, v in initial.items()}
        officers.append(Officer(user.username, organisation.code, plan.pk, plan.revision, forms))
    if len(officers) < count:
        raise SystemExit(f"only {len(officers)} organisations have an editable plan; asked for {count}")
    return fiscal_year.year, officers


def writes_check(officers: list[Officer], result: Result) -> list[str]:
    """Every acknowledged autosave must be in the database; returns what is missing (empty: all there)."""
    from khamrap.plans.models import Kpi, Plan

    problems: list[str] = []
    revisions = dict(Plan.objects.filter(pk__in=[o.plan_pk for o in officers]).values_list("pk", "revision"))
    saves_by_kpi: dict[int, list[Save]] = {}
    for save in result.saves:
        saves_by_kpi.setdefault(save.kpi_pk, []).append(save)
    for officer in officers:
        saves = [s for kpi in officer.forms for s in saves_by_kpi.get(kpi, [])]
        acknowledged = sum(s.acknowledged for s in saves)
        moved = revisions[officer.plan_pk] - officer.revision_before
        # A save that failed may or may not have committed; an acknowledged one must have.
        if not acknowledged <= moved <= len(saves):
            problems.append(
                f"plan of {officer.org_code}: revision moved {moved} for {acknowledged} acknowledged saves"
            )
    stored = {k.pk: k for k in Kpi.objects.filter(pk__in=list(saves_by_kpi))}
    for kpi_pk, saves in saves_by_kpi.items():
        last = max((i for i, s in enumerate(saves) if s.acknowledged), default=None)
        if last is None:
            continue
        # What the KPI may hold: its last acknowledged save, or a later one whose answer was lost.
        allowed = [(s.remarks, s.target) for s in saves[last:]]
        kpi = stored[kpi_pk]
        target = None if kpi.target is None else f"{kpi.target.normalize():f}"
        if (kpi.remarks, target) not in allowed and (kpi.remarks, None) not in allowed:
            problems.append(f"KPI {kpi_pk}: holds {kpi.remarks!r}/{target}, expected {allowed[0]}")
    return problems


# --- the server -------------------------------------------------------------------------------------


def server_start(port: int, workers: int, log: Path) -> list[subprocess.Popen[bytes]]:
    """``make run``: gunicorn through ``khamrap serve`` beside the task worker, logs to ``log``."""
    out = log.open("ab")
    khamrap = [sys.executable, "-m", "khamrap"]
    processes = [
        subprocess.Popen(
            [*khamrap, "serve", f"--bind=127.0.0.1:{port}", f"--workers={workers}"],
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
        ),
        subprocess.Popen(
            [*khamrap, "db_worker", "--no-reload", "--interval", "1"],
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
        ),
    ]
    return processes


def server_wait(url: str, processes: list[subprocess.Popen[bytes]], *, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if any(p.poll() is not None for p in processes):
            raise SystemExit("the server stopped while starting (its log is above)")
        try:
            if httpx.get(f"{url}/accounts/login/", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"the server did not answer on {url} within {seconds:.0f} s")


def cpu_seconds(processes: list[subprocess.Popen[bytes]]) -> float:
    """CPU time used so far by the server's processes and their children (Linux ``/proc``)."""
    ticks = os.sysconf("SC_CLK_TCK")
    pids = [p.pid for p in processes]
    total = 0.0
    while pids:
        pid = pids.pop()
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            for task in Path(f"/proc/{pid}/task").iterdir():
                pids += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue  # the process has just ended
        total += (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
    return total


def server_stop(processes: list[subprocess.Popen[bytes]]) -> None:
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# --- the officers -----------------------------------------------------------------------------------


class Stopwatch:
    def __init__(self, result: Result, lock: threading.Lock) -> None:
        self.result, self.lock = result, lock

    def request(
        self, client: httpx.Client, page: str, method: str, path: str, *, expect: int = 200, **kwargs: Any
    ) -> httpx.Response | None:
        started = time.perf_counter()
        try:
            response = client.request(method, path, **kwargs)
        except httpx.HTTPError as error:
            with self.lock:
                self.result.errors[page].append(f"{type(error).__name__}: {error}")
            return None
        elapsed = time.perf_counter() - started
        with self.lock:
            self.result.timings[page].append(elapsed)
            if response.status_code != expect:
                self.result.errors[page].append(f"HTTP {response.status_code} {path}")
        return response if response.status_code == expect else None


def officer_run(
    officer: Officer,
    *,
    url: str,
    year: int,
    stopwatch: Stopwatch,
    ready: threading.Barrier,
    until: list[float],
    think: float,
    saves_per_visit: int,
    seed: int,
) -> None:
    rng = random.Random(seed)
    plan_path = f"/years/{year}/plans/{officer.org_code}/"
    with httpx.Client(base_url=url, timeout=30, follow_redirects=False) as client:
        stopwatch.request(client, LOGIN, "GET", "/accounts/login/")
        login = stopwatch.request(
            client,
            LOGIN,
            "POST",
            "/accounts/login/",
            expect=302,
            data={
                "username": officer.username,
                "password": PASSWORD,
                "csrfmiddlewaretoken": client.cookies.get("csrftoken", ""),
            },
        )
        ready.wait(timeout=300)
        if login is None:
            return
        kpis = list(officer.forms)
        sequence = 0
        # When the clock starts every officer is somewhere in their work, not all opening the page at once.
        saves = rng.randint(0, saves_per_visit)
        while time.monotonic() < until[0]:
            for _ in range(saves):
                time.sleep(think * rng.uniform(0.5, 1.5))
                if time.monotonic() >= until[0]:
                    break
                sequence += 1
                kpi_pk = kpis[sequence % len(kpis)]
                form = dict(officer.forms[kpi_pk])
                remarks = f"load {officer.org_code} #{sequence}"
                form[f"k{kpi_pk}-remarks"] = remarks
                target = None
                if form[f"k{kpi_pk}-kpi_type"] == "quantitative":
                    target = f"{rng.randint(1, 9_999)}.{sequence % 100:02d}".rstrip("0").rstrip(".")
                    form[f"k{kpi_pk}-target"] = target
                response = stopwatch.request(
                    client,
                    AUTOSAVE,
                    "POST",
                    f"/years/{year}/plans/{officer.org_code}/kpis/{kpi_pk}/",
                    data=form,
                    headers={"HX-Request": "true", "X-CSRFToken": client.cookies.get("csrftoken", "")},
                )
                with stopwatch.lock:
                    stopwatch.result.saves.append(Save(kpi_pk, remarks, target, response is not None))
            if time.monotonic() < until[0]:
                stopwatch.request(client, PLAN, "GET", plan_path)
                stopwatch.request(client, TRIVIAL, "GET", "/accounts/login/")
            saves = saves_per_visit


def machine_cpu_seconds() -> float:
    """Busy CPU time of the whole machine so far, all cores (``/proc/stat``): shows who else is working."""
    user, nice, system, _idle, _iowait, irq, softirq, steal = (
        int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]
    )
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def cpu_sample(processes: list[subprocess.Popen[bytes]]) -> dict[str, float]:
    return {"server": cpu_seconds(processes), "script": time.process_time(), "machine": machine_cpu_seconds()}


def load_run(
    officers: list[Officer],
    *,
    url: str,
    year: int,
    seconds: float,
    think: float,
    saves_per_visit: int,
    processes: list[subprocess.Popen[bytes]],
) -> tuple[Result, float]:
    result = Result()
    stopwatch = Stopwatch(result, threading.Lock())
    until = [float("inf")]
    started = [0.0]
    cpu_before: dict[str, float] = {}

    def start_the_clock() -> None:  # once everyone has logged in (the password hasher is slow on purpose)
        cpu_before.update(cpu_sample(processes))
        started[0] = time.monotonic()
        until[0] = started[0] + seconds

    ready = threading.Barrier(len(officers) + 1, action=start_the_clock)
    threads = [
        threading.Thread(
            target=officer_run,
            kwargs={
                "officer": officer,
                "url": url,
                "year": year,
                "stopwatch": stopwatch,
                "ready": ready,
                "until": until,
                "think": think,
                "saves_per_visit": saves_per_visit,
                "seed": n,
            },
            daemon=True,
        )
        for n, officer in enumerate(officers)
    ]
    for thread in threads:
        thread.start()
    ready.wait(timeout=300)
    for thread in threads:
        thread.join(timeout=seconds + 120)
    elapsed = time.monotonic() - started[0]
    result.cpu = {k: v - cpu_before[k] for k, v in cpu_sample(processes).items()}
    return result, elapsed


# --- the report -------------------------------------------------------------------------------------


def percentile(values: list[float], q: int) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def report(result: Result, elapsed: float, problems: list[str], log: Path | None) -> int:
    print(f"\n{'page':<22}{'requests':>10}{'errors':>8}{'p50 ms':>9}{'p95 ms':>9}")
    total = errors = 0
    for page in PAGES:
        times, failed = result.timings[page], result.errors[page]
        total, errors = total + len(times), errors + len(failed)
        print(
            f"{page:<22}{len(times):>10}{len(failed):>8}"
            f"{percentile(times, 50) * 1000:>9.1f}{percentile(times, 95) * 1000:>9.1f}"
        )
    print(f"{'all':<22}{total:>10}{errors:>8}   ({total / elapsed:.1f} requests/s over {elapsed:.0f} s)")
    cpu = result.cpu
    if cpu.get("server"):
        print(
            f"CPU over the run: server {cpu['server']:.1f} s ({cpu['server'] / total * 1000:.1f} ms a request), "
            f"this script {cpu['script']:.1f} s, the whole machine {cpu['machine']:.1f} s "
            f"of {elapsed * (os.cpu_count() or 1):.0f} s ({os.cpu_count()} cores)"
        )
    ratio = percentile(result.timings[PLAN], 95) / percentile(result.timings[TRIVIAL], 95)
    verdict = "within" if ratio <= RATIO_TARGET else "OVER"
    print(f"plan page p95 / trivial page p95 = {ratio:.2f}× ({verdict} the target of {RATIO_TARGET}×)")
    for page, failed in result.errors.items():
        for message in sorted(set(failed))[:5]:
            print(f"  error on {page}: {message} ×{failed.count(message)}")
    if log is not None and log.exists():
        locked = len(re.findall("database is locked", log.read_text(errors="replace")))
        print(f"'database is locked' in the server log: {locked}")
    acknowledged = sum(s.acknowledged for s in result.saves)
    print(
        f"acknowledged autosaves: {acknowledged} of {len(result.saves)}; "
        + (f"MISSING or wrong: {len(problems)}" if problems else "every one is in the database")
    )
    for problem in problems[:10]:
        print(f"  {problem}")
    failed_any = errors or result.errors[LOGIN] or problems
    return 1 if failed_any else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--officers", type=int, default=40)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--think", type=float, default=1.0, help="mean seconds between two autosaves")
    parser.add_argument("--saves-per-visit", type=int, default=8, help="autosaves between two page opens")
    parser.add_argument("--url", help="drive this running server instead of starting one")
    parser.add_argument("--workers", type=int, help="gunicorn workers (default: as `khamrap serve`)")
    args = parser.parse_args()
    if args.officers < 1 or args.seconds <= 0 or args.saves_per_visit < 1 or args.think < 0:
        parser.error("--officers and --saves-per-visit must be at least 1, --seconds more than 0")
    if args.url and not re.match(r"^http://(127\.0\.0\.1|localhost)(:\d+)?/?$", args.url):
        parser.error("--url must be a loopback address, e.g. http://127.0.0.1:8101")

    data_dir = Path(tempfile.mkdtemp(prefix="khamrap-load-"))
    processes: list[subprocess.Popen[bytes]] = []
    log: Path | None = None
    status = 1
    try:
        if not args.url:
            os.environ["KHAMRAP_DATA_DIR"] = str(data_dir)  # a fresh SQLite file unless DATABASE_URL is set
        django_setup()
        from django.db import connection

        year, officers = officers_create(args.officers, migrate=not args.url)
        connection.close()  # the server and this script must not share a connection
        url = (args.url or "").rstrip("/")
        server = "the running server"
        if not url:
            from khamrap.core.management.commands.serve import default_workers, free_port

            port = free_port(8101, 8199)
            url = f"http://127.0.0.1:{port}"
            log = data_dir / "server.log"
            workers = args.workers or default_workers()
            processes = server_start(port, workers, log)
            server_wait(url, processes)
            server = f"khamrap serve: gunicorn, {workers} workers, + db_worker"
        print(
            f"Khamrap load: {args.officers} officers × {args.seconds:.0f} s on {url} ({server}, "
            f"{connection.vendor}); an autosave every ~{args.think:g} s, the plan page and the login page "
            f"again after {args.saves_per_visit} of them. Logging in…"
        )
        result, elapsed = load_run(
            officers,
            url=url,
            year=year,
            seconds=args.seconds,
            think=args.think,
            saves_per_visit=args.saves_per_visit,
            processes=processes,
        )
        server_stop(processes)
        processes = []
        problems = writes_check(officers, result)
        status = report(result, elapsed, problems, log)
        return status
    finally:
        server_stop(processes)
        if log is not None and log.exists() and (status or os.environ.get("KHAMRAP_LOAD_SHOW_LOG")):
            print(f"--- the end of the server's log\n{log.read_text(errors='replace')[-5000:]}")
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
