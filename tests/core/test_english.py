"""The English switch: with the language cookie the pages render from the English catalogue; without it, Thai."""

import pytest
from django.test import Client
from django.urls import reverse

from khamrap.accounts.models import User
from khamrap.frameworks.models import FiscalYear
from tests.conftest import login

# Main navigation and page furniture from base.html, in Thai: none of it may remain in English mode.
THAI_NAVIGATION = ("ปฏิทิน", "ออกจากระบบ", "จังหวัดและกลุ่มจังหวัด", "ระบบคำรับรองการปฏิบัติราชการ")


def _in_english(client: Client) -> Client:
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    return client


def _body(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _assert_english_chrome(body: str) -> None:
    assert '<html lang="en">' in body
    assert "Office of the Public Sector Development Commission (OPDC)" in body
    for thai in THAI_NAVIGATION:
        assert thai not in body, thai


def _assert_english_navigation(body: str) -> None:
    _assert_english_chrome(body)
    assert "Calendar" in body
    assert "Provinces and clusters" in body
    assert "Evaluation framework" in body
    assert "Log out" in body


def test_the_login_page_in_english(fy2551: FiscalYear) -> None:
    body = _body(_in_english(Client()), reverse("login"))
    _assert_english_chrome(body)
    assert "Log in" in body and "Username" in body and "Password" in body
    assert "เข้าสู่ระบบ" not in body and "รหัสผ่าน" not in body
    # The switch offers the way back to Thai.
    assert "ภาษาไทย" in body


def test_the_calendar_in_english(analyst: User) -> None:
    body = _body(_in_english(login(analyst)), reverse("fiscal-year", args=[2551]))
    _assert_english_navigation(body)
    assert "FY 2551 calendar" in body
    assert "Deadline for negotiation forms and data disks" in body
    assert "Negotiation of KPIs, targets and scoring criteria" in body
    assert "6-month results report" in body
    assert "OPDC analyst" in body  # the role label comes from the model choices
    assert "ปฏิทินปีงบประมาณ" not in body and "กำหนดส่ง" not in body


def test_the_organisations_page_in_english(analyst: User) -> None:
    body = _body(_in_english(login(analyst)), reverse("organisations", args=[2551]))
    _assert_english_navigation(body)
    assert "Provinces and provincial clusters, FY 2551" in body
    assert "Provincial cluster structure as of" in body
    assert "Member provinces" in body
    assert "จังหวัดในกลุ่ม" not in body


def test_the_frameworks_page_in_english(analyst: User) -> None:
    body = _body(_in_english(login(analyst)), reverse("frameworks", args=[2551]))
    _assert_english_navigation(body)
    assert "Evaluation framework, FY 2551" in body
    assert "Scoring method" in body and "Per-KPI scoring criteria (interpolated)" in body
    assert "Dimension 1" in body
    assert "Sub-KPIs set by the province" in body
    assert "วิธีคำนวณคะแนน" not in body and "จังหวัดกำหนดตัวชี้วัดย่อย" not in body


def test_the_tracking_page_in_english(analyst: User) -> None:
    body = _body(_in_english(login(analyst)), reverse("tracking", args=[2551]))
    _assert_english_navigation(body)
    assert "Submission tracking" in body
    assert "Negotiation form submissions, FY 2551" in body
    assert "All organisations" in body and "All provincial clusters" in body
    assert "Export to Excel" in body and "Filter" in body
    assert "ติดตามการส่ง" not in body and "ส่งออก Excel" not in body


def test_the_officers_plan_page_in_english(officer: User) -> None:
    body = _body(_in_english(login(officer)), reverse("plan-detail", args=[2551, "50"]))
    _assert_english_navigation(body)
    assert "KPI negotiation form (KPI 1)" in body
    assert "Negotiation form" in body  # the officer's own navigation link
    assert "Draft" in body  # the plan status, from the model choices
    assert "Download the Excel form" in body
    assert "Send to the governor for approval" in body  # where the plan goes first, honestly
    assert "Add strategic issue" in body
    assert "Province officer" in body
    assert "แบบฟอร์มเจรจาตัวชี้วัด" not in body and "เพิ่มประเด็นยุทธศาสตร์" not in body


def test_switching_back_to_thai(analyst: User) -> None:
    client = _in_english(login(analyst))
    client.post(reverse("set_language"), {"language": "th", "next": "/"})
    body = _body(client, reverse("fiscal-year", args=[2551]))
    assert "ปฏิทินปีงบประมาณ พ.ศ. 2551" in body and "FY 2551 calendar" not in body


@pytest.mark.parametrize(
    ("who", "url_name", "args", "thai", "english"),
    [
        (None, "login", [], "เข้าสู่ระบบ", "Log in"),
        ("analyst", "fiscal-year", [2551], "ปฏิทินปีงบประมาณ พ.ศ. 2551", "FY 2551 calendar"),
        ("analyst", "organisations", [2551], "จังหวัดในกลุ่ม", "Member provinces"),
        ("analyst", "frameworks", [2551], "กรอบการประเมินผล ปีงบประมาณ พ.ศ. 2551", "Evaluation framework, FY"),
        ("analyst", "tracking", [2551], "ติดตามการส่งแบบฟอร์มเจรจา", "Submission tracking"),
        ("officer", "plan-detail", [2551, "50"], "แบบฟอร์มเจรจาตัวชี้วัด (ตัวชี้วัดที่ 1)", "KPI negotiation form"),
    ],
)
def test_without_the_cookie_pages_stay_thai(
    request: pytest.FixtureRequest, fy2551: FiscalYear, who, url_name, args, thai, english
) -> None:  # type: ignore[no-untyped-def]
    client = login(request.getfixturevalue(who)) if who else Client()
    # A browser asking for English does not switch the site: only the cookie does.
    body = client.get(reverse(url_name, args=args), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="th">' in body
    assert thai in body
    assert english not in body
    assert "Office of the Public Sector Development Commission" not in body
    if who:
        assert "ปฏิทิน" in body and "ออกจากระบบ" in body
        assert "Log out" not in body


def test_flash_messages_and_refusals_come_from_the_english_catalogue(
    officer: User, other_officer: User
) -> None:
    client = _in_english(login(officer))
    client.post(reverse("issue-create", args=[2551, "50"]), {"name": "ประเด็น"})
    issue_pk = officer.organisation.plans.get().issues.get().pk  # type: ignore[union-attr]

    body = client.post(reverse("issue-delete", args=[2551, "50", issue_pk]), follow=True).content.decode()

    assert "Strategic issue deleted" in body and "ลบประเด็นยุทธศาสตร์แล้ว" not in body
    refused = _in_english(login(other_officer)).get(reverse("plan-attachments", args=[2551, "50"]))
    assert refused.status_code == 403
    assert "You may not see this organisation&#x27;s data" in refused.content.decode()


def test_the_english_catalogue_is_complete() -> None:
    import re
    from pathlib import Path

    import khamrap

    catalogue = Path(khamrap.__file__).parent / "locale" / "en" / "LC_MESSAGES" / "django.po"
    entries = catalogue.read_text(encoding="utf-8").split("\n\n")[1:]  # the first is the header
    untranslated = [
        entry.splitlines()[-2:]
        for entry in entries
        if "#, fuzzy" in entry or re.search(r'^msgstr(\[0\])? ""$(?!\n")', entry, re.MULTILINE)
    ]
    assert untranslated == []
