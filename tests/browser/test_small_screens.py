"""At 375 px (a phone) the header folds into a menu and no page scrolls sideways; a stale workbook is
shown before it replaces anything."""

import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from khamrap.accounts.models import Role, User
from khamrap.frameworks.services import fiscal_year_seed
from khamrap.orgs.models import Organisation
from khamrap.orgs.services import reference_data_load
from khamrap.plans import editing
from khamrap.plans.models import Kpi, Plan
from tests.factories import PlanFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "browser-test-pw-1"


@pytest.fixture
def people(transactional_db: None) -> dict[str, User]:
    reference_data_load()
    fiscal_year_seed()
    PlanFactory()
    return {
        name: User.objects.create_user(
            username=name, password=PASSWORD, role=role, organisation=Organisation.objects.get(code=code)
        )
        for name, role, code in (("officer", Role.PROVINCE_OFFICER, "50"), ("analyst", Role.ANALYST, "OPDC"))
    }


def _log_in(page: Any, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("ชื่อผู้ใช้").fill(username)
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize(
    ("who", "url"),
    [
        ("officer", "/years/2551/plans/50/"),
        ("officer", "/years/2551/plans/50/attachments/"),
        ("officer", "/years/2551/plans/50/history/"),
        ("analyst", "/years/2551/tracking/"),
    ],
)
def test_no_page_scrolls_sideways_on_a_phone(
    people: dict[str, User], new_page: Any, who: str, url: str
) -> None:
    page = new_page()
    page.set_viewport_size({"width": 375, "height": 800})
    _log_in(page, who)
    page.goto(url)

    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    header = page.locator("header").bounding_box()
    assert header is not None and header["height"] <= 120


def test_the_header_menu_opens_on_a_phone(people: dict[str, User], new_page: Any) -> None:
    from playwright.sync_api import expect

    page = new_page()
    page.set_viewport_size({"width": 375, "height": 800})
    _log_in(page, "officer")
    nav = page.locator("header nav")
    expect(nav).to_be_hidden()
    page.get_by_test_id("menu-toggle").click()
    expect(nav).to_be_visible()
    expect(nav.get_by_role("link", name="แบบฟอร์มเจรจา")).to_be_visible()


def test_a_stale_workbook_shows_the_conflicting_fields_and_writes_nothing_until_confirmed(
    people: dict[str, User], new_page: Any, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    page = new_page()
    _log_in(page, "officer")
    page.goto("/years/2551/plans/50/")
    with page.expect_download() as download:
        page.get_by_role("link", name="ดาวน์โหลดแบบฟอร์ม Excel").click()
    book = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    book["แบบฟอร์ม"]["L3"] = 6  # 1.1's target in the file
    edited = tmp_path / "stale.xlsx"
    book.save(edited)
    kpi = Kpi.objects.get(plan__organisation__code="50", code="1.1")
    editing.kpi_update(
        kpi=kpi, actor=people["officer"], values={"target": Decimal(7)}, levels={}
    )  # then on the web

    page.goto("/years/2551/plans/50/workbook/upload/")
    page.locator("input[type=file]").set_input_files(str(edited))
    page.get_by_role("button", name="ตรวจและนำเข้า").click()

    expect(page.get_by_test_id("workbook-result")).to_have_attribute("data-status", "pending")
    expect(page.get_by_test_id("changed-since")).to_contain_text("ค่าเป้าหมาย")
    expect(page.get_by_test_id("conflicting-field")).to_have_count(1)
    assert Kpi.objects.get(pk=kpi.pk).target == Decimal(7)
    page.get_by_test_id("replace-newer").check()
    page.get_by_test_id("confirm-import").click()
    expect(page.get_by_test_id("workbook-result")).to_have_attribute("data-status", "accepted")
    assert Kpi.objects.get(pk=kpi.pk).target == Decimal(6)
    assert Plan.objects.get(organisation__code="50").events.filter(kind="imported").exists()
