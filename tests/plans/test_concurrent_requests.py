"""Real concurrent requests against the real server (gunicorn, several worker processes, as `make run`).

The server runs in its own processes on the test database (a file on SQLite, see tests/conftest.py), so
writers really race: on SQLite for the database's write lock, on PostgreSQL for the plan's row lock.
"""

import html
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx
import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from khamrap.accounts.models import User
from khamrap.core.management.commands.serve import free_port, gunicorn_argv
from khamrap.plans.forms import KpiForm
from khamrap.plans.models import Kpi, Plan, PlanEvent, PlanEventKind, PlanSnapshot, PlanStatus

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db(transaction=True)


def _database_url() -> str:
    """The test database (created by pytest-django) as a URL the server process understands."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        name = str(settings["NAME"])
        assert not connection.is_in_memory_db(), "the SQLite test database must be a file"
        return f"sqlite:///{name}"
    url = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(url._replace(path=f"/{settings['NAME']}"))


@pytest.fixture(scope="module")
def server_url(django_db_setup, tmp_path_factory) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """gunicorn with three workers on the test database, for the tests of this module."""
    port = free_port(8150, 8199)
    data_dir = tmp_path_factory.mktemp("server")
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "KHAMRAP_DATA_DIR": str(data_dir),
        "SECRET_KEY": settings.SECRET_KEY,  # the sessions the tests make must be the server's too
        "DB_CONN_MAX_AGE": "0",  # no connection outlives a request: the tests empty the tables between them
    }
    log = (data_dir / "server.log").open("wb")
    argv = gunicorn_argv(bind=f"127.0.0.1:{port}", workers=3, timeout=30)
    server = subprocess.Popen([sys.executable, *argv[1:]], env=env, cwd=ROOT, stdout=log, stderr=log)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            assert server.poll() is None, (data_dir / "server.log").read_text()
            try:
                if httpx.get(f"{url}/accounts/login/", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.1)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()
    assert "Traceback" not in (data_dir / "server.log").read_text(), (data_dir / "server.log").read_text()


def _browser(server_url: str, user: User, page: str) -> httpx.Client:
    """An httpx client logged in as ``user`` that has opened ``page`` (for its CSRF cookie)."""
    session = Client()
    session.force_login(user)
    client = httpx.Client(
        base_url=server_url, timeout=30, cookies={"sessionid": session.cookies["sessionid"].value}
    )
    assert client.get(page).status_code == 200
    client.headers["X-CSRFToken"] = client.cookies["csrftoken"]
    return client


def _at_once(count: int, work: Callable[[int], Any]) -> list[Any]:
    """Run ``work(0)`` … ``work(count - 1)`` in threads released together; their results in order."""
    start = threading.Barrier(count)
    results: list[Any] = [None] * count

    def run(n: int) -> None:
        start.wait(timeout=10)
        try:
            results[n] = work(n)
        except Exception as error:  # reported by the test, not lost in the thread
            results[n] = error

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_officers_autosaving_one_plan_at_once_all_get_their_writes_kept(
    server_url, plan: Plan, officer
) -> None:  # type: ignore[no-untyped-def]
    # given four officers' tabs on the same plan, each editing its own KPI
    kpis = list(Kpi.objects.filter(plan=plan).order_by("position")[:4])
    page = "/years/2551/plans/50/"
    clients = [_browser(server_url, officer, page) for _ in kpis]
    revision = Plan.objects.get(pk=plan.pk).revision
    rounds = 5

    def autosave(n: int) -> list[int]:
        kpi, client = kpis[n], clients[n]
        form = {f"k{kpi.pk}-{k}": "" if v is None else str(v) for k, v in KpiForm.initial_for(kpi).items()}
        statuses = []
        for round_ in range(1, rounds + 1):
            form[f"k{kpi.pk}-remarks"] = f"แท็บ {n} รอบ {round_}"
            response = client.post(
                f"/years/2551/plans/50/kpis/{kpi.pk}/", data=form, headers={"HX-Request": "true"}
            )
            statuses.append(response.status_code)
        return statuses

    # when they all autosave at once, again and again
    results = _at_once(len(kpis), autosave)

    # then every save was answered 200, and every one is in the database
    assert results == [[200] * rounds] * len(kpis)
    assert Plan.objects.get(pk=plan.pk).revision == revision + rounds * len(kpis)
    assert [Kpi.objects.get(pk=k.pk).remarks for k in kpis] == [
        f"แท็บ {n} รอบ {rounds}" for n in range(len(kpis))
    ]
    # and nothing else of the KPIs moved: codes and positions are those before
    assert [
        (k.code, k.position) for k in Kpi.objects.filter(pk__in=[k.pk for k in kpis]).order_by("position")
    ] == [(k.code, k.position) for k in kpis]


def _post_and_read(client: httpx.Client, path: str) -> tuple[int, str]:
    """POST a plain form (no htmx) and read the page it leads back to, with its message."""
    response = client.post(path, follow_redirects=True)
    return response.status_code, response.text


def test_two_simultaneous_submits_send_the_plan_once(server_url, plan: Plan, officer) -> None:  # type: ignore[no-untyped-def]
    # given the officer's plan open in two tabs
    page = "/years/2551/plans/50/"
    tabs = [_browser(server_url, officer, page) for _ in range(2)]

    # when both tabs press "send" at the same moment
    results = _at_once(2, lambda n: _post_and_read(tabs[n], "/years/2551/plans/50/submit/"))

    # then neither fails; one sends the plan and the other is told why it cannot
    assert [status for status, _ in results] == [200, 200]
    sent = [body for _, body in results if "เสนอผู้ว่าราชการจังหวัดอนุมัติแล้ว" in body]
    refused = [body for _, body in results if "จึงแก้ไขไม่ได้" in body]
    assert (len(sent), len(refused)) == (1, 1)
    assert f"แบบฟอร์มอยู่ในสถานะ '{PlanStatus.AWAITING_APPROVAL.label}'" in html.unescape(refused[0])
    # and the plan was sent exactly once
    assert Plan.objects.get(pk=plan.pk).status == PlanStatus.AWAITING_APPROVAL
    assert PlanEvent.objects.filter(plan=plan, kind=PlanEventKind.APPROVAL_REQUESTED).count() == 1


def test_two_simultaneous_approvals_send_the_plan_to_opdc_once(
    server_url, plan: Plan, officer, governor
) -> None:  # type: ignore[no-untyped-def]
    # given a plan awaiting the governor, open in two of the governor's tabs
    from khamrap.plans import submission

    submission.plan_submit(plan=plan, actor=officer)
    page = "/years/2551/plans/50/"
    tabs = [_browser(server_url, governor, page) for _ in range(2)]

    # when both tabs approve at the same moment
    results = _at_once(2, lambda n: _post_and_read(tabs[n], "/years/2551/plans/50/approve/"))

    # then one approves and the other is told the plan no longer waits for approval
    assert [status for status, _ in results] == [200, 200]
    approved = [body for _, body in results if "อนุมัติและส่งแบบฟอร์มถึงสำนักงาน ก.พ.ร. แล้ว" in body]
    refused = [body for _, body in results if "แบบฟอร์มนี้ไม่ได้รออนุมัติ" in body]
    assert (len(approved), len(refused)) == (1, 1)
    # and the plan reached OPDC once: one approval, one submission, one snapshot
    assert Plan.objects.get(pk=plan.pk).status == PlanStatus.SUBMITTED
    kinds = list(PlanEvent.objects.filter(plan=plan).values_list("kind", flat=True))
    assert (kinds.count(PlanEventKind.APPROVED), kinds.count(PlanEventKind.SUBMITTED)) == (1, 1)
    assert PlanSnapshot.objects.filter(plan=plan).count() == 1
