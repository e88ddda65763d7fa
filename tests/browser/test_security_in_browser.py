"""The strict Content-Security-Policy in a real browser: htmx saves, deletes ask first, an oversized file is
refused before it is sent; nothing is refused by the policy on the way (checked by ``new_page``)."""

from typing import Any

import pytest

from khamrap.accounts.models import Role, User
from khamrap.frameworks.services import fiscal_year_seed
from khamrap.orgs.models import Organisation
from khamrap.orgs.services import reference_data_load
from khamrap.plans.models import StrategicIssue

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "browser-test-pw-1"


@pytest.fixture
def officer(transactional_db: None) -> User:
    reference_data_load()
    fiscal_year_seed()
    return User.objects.create_user(
        username="officer",
        password=PASSWORD,
        role=Role.PROVINCE_OFFICER,
        organisation=Organisation.objects.get(code="50"),
    )


def _log_in(page: Any) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("ชื่อผู้ใช้").fill("officer")
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    page.wait_for_load_state("networkidle")


def test_htmx_saves_and_a_delete_asks_first_under_the_policy(officer: User, new_page: Any) -> None:
    from playwright.sync_api import expect

    page = new_page()
    _log_in(page)
    page.get_by_placeholder("ประเด็นยุทธศาสตร์ใหม่").fill("การท่องเที่ยว")
    page.get_by_role("button", name="เพิ่มประเด็นยุทธศาสตร์").click()
    page.wait_for_load_state("networkidle")

    # htmx saves the renamed issue in place
    name = page.get_by_label("ประเด็นยุทธศาสตร์", exact=True)
    name.fill("การท่องเที่ยวเชิงวัฒนธรรม")
    name.press("Tab")
    page.wait_for_load_state("networkidle")
    expect(page.locator("[id$='-saved']").first).not_to_be_empty()
    assert StrategicIssue.objects.get().name == "การท่องเที่ยวเชิงวัฒนธรรม"

    # the delete asks; "cancel" keeps the issue, "OK" deletes it
    questions: list[str] = []
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    page.get_by_role("button", name="ลบประเด็น").click()
    page.wait_for_load_state("networkidle")
    assert StrategicIssue.objects.count() == 1
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.accept()))
    page.get_by_role("button", name="ลบประเด็น").click()
    page.wait_for_load_state("networkidle")
    assert questions == ["ลบประเด็นยุทธศาสตร์นี้และตัวชี้วัดทั้งหมดภายใต้ประเด็นนี้?"] * 2
    assert not StrategicIssue.objects.exists()


def test_a_file_over_the_limit_is_refused_before_it_is_sent(
    officer: User, new_page: Any, settings: Any, tmp_path: Any
) -> None:
    settings.KHAMRAP_MAX_ATTACHMENT_BYTES = 1024 * 1024
    big = tmp_path / "แผน.pdf"
    big.write_bytes(b"%PDF-1.4\n" + b"0" * (2 * 1024 * 1024))
    page = new_page()
    _log_in(page)
    page.goto("/years/2551/plans/50/attachments/")
    posts: list[str] = []
    page.on("request", lambda request: posts.append(request.url) if request.method == "POST" else None)

    page.locator("input[type=file]").set_input_files(str(big))
    page.get_by_role("button", name="แนบไฟล์").click()

    message = page.locator("input[type=file]").evaluate("input => input.validationMessage")
    assert message == ("ไฟล์ที่เลือกมีขนาดรวมเกิน 1 MB ซึ่งเป็นขนาดสูงสุดที่หน้านี้รับได้ กรุณาลดขนาดไฟล์หรือแบ่งส่งทีละส่วน")
    assert posts == []
