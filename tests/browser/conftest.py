"""Playwright driving Debian's chromium against the live test server. Never downloads a browser."""

import os
import shutil
from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.utils import timezone

from khamrap.accounts.models import Role, User
from khamrap.frameworks.models import FiscalYear
from khamrap.frameworks.services import fiscal_year_seed
from khamrap.orgs.models import Organisation
from khamrap.orgs.services import reference_data_load

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]

PASSWORD = "browser-test-pw-1"

# Playwright's sync API runs an event loop in this thread; the ORM calls made by the test itself are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not os.path.exists(CHROMIUM):
        pytest.fail("Debian's chromium is missing: run `make system-deps` (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, live_server):  # type: ignore[no-untyped-def]
    """``new_page()`` opens a fresh browser context (its own cookies) on the live server.

    Whatever the test does, the browser must not have refused anything under the Content-Security-Policy.
    """
    contexts = []
    refused: list[str] = []

    def make():  # type: ignore[no-untyped-def]
        context = browser.new_context(base_url=live_server.url, locale="th-TH", accept_downloads=True)
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
        return page

    yield make
    for context in contexts:
        context.close()
    assert refused == []


@pytest.fixture
def people(transactional_db: None) -> dict[str, User]:
    """FY2551 with its deadline five days ahead; Chiang Mai's officer and governor and an OPDC analyst."""
    reference_data_load()
    fiscal_year = fiscal_year_seed()
    FiscalYear.objects.filter(pk=fiscal_year.pk).update(
        submission_deadline=timezone.localdate() + timedelta(days=5)
    )
    people = {}
    for username, role, code in (
        ("officer", Role.PROVINCE_OFFICER, "50"),
        ("governor", Role.EXECUTIVE, "50"),
        ("analyst", Role.ANALYST, "OPDC"),
    ):
        people[username] = User.objects.create_user(
            username=username, password=PASSWORD, role=role, organisation=Organisation.objects.get(code=code)
        )
    return people
