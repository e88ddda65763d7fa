"""Autosave as an officer meets it in a real browser: two tabs on one KPI, an expired session, a lost save."""

from decimal import Decimal
from typing import Any

import pytest
from django.contrib.sessions.models import Session

from khamrap.accounts.models import Role, User
from khamrap.frameworks.services import fiscal_year_seed
from khamrap.orgs.models import Organisation
from khamrap.orgs.services import reference_data_load
from khamrap.plans.models import Kpi
from tests.factories import PlanFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "browser-test-pw-1"


@pytest.fixture
def officer(transactional_db: None) -> User:
    reference_data_load()
    fiscal_year_seed()
    PlanFactory()  # Chiang Mai's sample plan: eight KPIs
    return User.objects.create_user(
        username="officer", password=PASSWORD, role=Role.PROVINCE_OFFICER,
        organisation=Organisation.objects.get(code="50"),
    )  # fmt: skip


def _log_in(page: Any) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("ชื่อผู้ใช้").fill("officer")
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    page.wait_for_load_state("networkidle")


def _kpi() -> Kpi:
    return Kpi.objects.get(plan__organisation__code="50", code="1.1")


def _status(page: Any, kpi: Kpi) -> Any:
    return page.locator(f"#kpi-{kpi.pk}-status")


def test_two_tabs_on_one_kpi_show_both_values_and_lose_nothing(officer: User, new_page: Any) -> None:
    from playwright.sync_api import expect

    kpi = _kpi()
    first = new_page()
    _log_in(first)
    second = first.context.new_page()
    for tab in (first, second):
        tab.goto("/years/2551/plans/50/")

    # when the first tab saves a target of 6 and the second, opened before that, types 7
    first.locator(f"[name='k{kpi.pk}-target']").fill("6")
    expect(_status(first, kpi)).to_have_attribute("data-state", "saved")
    second.locator(f"[name='k{kpi.pk}-target']").fill("7")

    # then the second save is refused with both values shown, and the first one stands
    conflict = _status(second, kpi).get_by_test_id("conflict")
    expect(conflict).to_be_visible()
    expect(conflict.get_by_test_id("theirs")).to_have_text("6")
    expect(conflict.get_by_test_id("mine")).to_have_text("7")
    assert _kpi().target == Decimal(6)

    # and the officer keeps the second tab's value on purpose
    conflict.get_by_test_id("keep-mine").click()
    expect(_status(second, kpi)).to_have_attribute("data-state", "saved")
    assert _kpi().target == Decimal(7)


def test_an_expired_session_asks_for_the_password_in_place_then_saves_what_was_typed(
    officer: User, new_page: Any
) -> None:
    from playwright.sync_api import expect

    kpi = _kpi()
    page = new_page()
    _log_in(page)
    page.goto("/years/2551/plans/50/")
    Session.objects.all().delete()  # the session ends over lunch

    page.locator(f"[name='k{kpi.pk}-unit']").fill("ร้อยละต่อปี")
    expect(_status(page, kpi)).to_have_attribute("data-state", "expired")
    dialog = page.get_by_test_id("relogin")
    expect(dialog).to_be_visible()
    dialog.get_by_label("รหัสผ่าน").fill(PASSWORD)
    dialog.get_by_test_id("relogin-submit").click()

    expect(_status(page, kpi)).to_have_attribute("data-state", "saved")
    assert _kpi().unit == "ร้อยละต่อปี"


def test_a_save_that_never_arrived_comes_back_after_a_reload(officer: User, new_page: Any) -> None:
    from playwright.sync_api import expect

    kpi = _kpi()
    page = new_page()
    _log_in(page)
    page.goto("/years/2551/plans/50/")
    page.route("**/kpis/**", lambda route: route.abort("internetdisconnected"))

    page.locator(f"[name='k{kpi.pk}-name']").fill("ร้อยละของรายได้จากการท่องเที่ยว (ใหม่)")
    expect(_status(page, kpi)).to_have_attribute("data-state", "offline")
    expect(_status(page, kpi)).to_contain_text("ยังไม่ได้บันทึก")
    assert _kpi().name != "ร้อยละของรายได้จากการท่องเที่ยว (ใหม่)"

    page.unroute("**/kpis/**")
    page.reload()
    expect(_status(page, kpi)).to_have_attribute("data-state", "saved")
    expect(page.locator(f"[name='k{kpi.pk}-name']")).to_have_value("ร้อยละของรายได้จากการท่องเที่ยว (ใหม่)")
    assert _kpi().name == "ร้อยละของรายได้จากการท่องเที่ยว (ใหม่)"
