"""A province officer's whole journey in a real browser: web form → workbook → submission → OPDC sees it."""

from decimal import Decimal
from io import BytesIO
from pathlib import Path

import pytest
from openpyxl import load_workbook

from khamrap.plans.models import Kpi, Plan, PlanStatus
from tests.browser.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Three strategic issues, eight KPIs: quantitative in both directions and milestone; weights add up to 35.
PLAN = [
    (
        "การท่องเที่ยวเชิงวัฒนธรรม",
        "รายได้จากการท่องเที่ยวเพิ่มขึ้น",
        [
            (
                "ร้อยละที่เพิ่มขึ้นของรายได้จากการท่องเที่ยว",
                "quantitative",
                "higher",
                "ร้อยละ",
                "5",
                ["3", "4", "5", "6", "7"],
            ),
            (
                "จำนวนนักท่องเที่ยวที่เพิ่มขึ้น",
                "quantitative",
                "higher",
                "คน",
                "4",
                ["130,000", "135,000", "140,000", "145,000", "150,000"],
            ),
            (
                "ระดับความสำเร็จของการพัฒนาแหล่งท่องเที่ยว",
                "milestone",
                "",
                "",
                "4",
                ["แต่งตั้งคณะทำงาน", "จัดทำแผน", "ดำเนินการตามแผน", "ติดตามผล", "สรุปผล"],
            ),
        ],
    ),
    (
        "ทรัพยากรธรรมชาติและสิ่งแวดล้อม",
        "คุณภาพอากาศดีขึ้น",
        [
            (
                "ร้อยละที่ลดลงของพื้นที่เผาไหม้ป่า",
                "quantitative",
                "higher",
                "ร้อยละ",
                "5",
                ["10", "12.5", "15", "17.5", "20"],
            ),
            (
                "จำนวนวันที่ค่าฝุ่นละอองเกินมาตรฐาน",
                "quantitative",
                "lower",
                "วัน",
                "๔",
                ["๔๐", "๓๕", "๓๐", "๒๕", "๒๐"],
            ),
        ],
    ),
    (
        "คุณภาพชีวิตและความปลอดภัย",
        "ประชาชนปลอดภัยและมีคุณภาพชีวิตที่ดี",
        [
            (
                "อัตราการเกิดอุบัติเหตุทางถนนต่อประชากรแสนคน",
                "quantitative",
                "lower",
                "ราย",
                "4",
                ["30", "28", "26", "24", "22"],
            ),
            (
                "ระดับความสำเร็จของการจัดทำแผนพัฒนาคุณภาพชีวิต",
                "milestone",
                "",
                "",
                "4",
                ["ขั้น 1", "ขั้น 2", "ขั้น 3", "ขั้น 4", "ขั้น 5"],
            ),
            (
                "ร้อยละของครัวเรือนที่ผ่านเกณฑ์ จปฐ.",
                "quantitative",
                "higher",
                "ร้อยละ",
                "5",
                ["96", "96.5", "97", "97.5", "98"],
            ),
        ],
    ),
]


def log_in(page, username: str) -> None:  # type: ignore[no-untyped-def]
    page.goto("/accounts/login/")
    assert page.locator("html").get_attribute("lang") == "th"
    page.get_by_label("ชื่อผู้ใช้").fill(username)
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    page.wait_for_load_state("networkidle")


def add_named(page, placeholder: str, name: str, button: str) -> None:  # type: ignore[no-untyped-def]
    page.get_by_placeholder(placeholder).last.fill(name)
    page.get_by_role("button", name=button).last.click()
    page.wait_for_load_state("networkidle")


def fill_kpi(page, kpi_type: str, direction: str, unit: str, weight: str, criteria: list[str]) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    article = page.locator("article.kpi").last
    article.locator("[name$='-weight']").fill(weight)
    if kpi_type == "quantitative":
        article.locator("[name$='-unit']").fill(unit)
        article.locator("[name$='-direction']").select_option(direction)
        for n, value in enumerate(criteria, start=1):
            article.locator(f"[name$='-criteria_{n}']").fill(value)
        article.locator("[name$='-target']").fill(criteria[2])
        article.locator("[name$='-baseline_3']").fill(criteria[1])
    else:
        for n, text in enumerate(criteria, start=1):
            article.locator(f"[name$='-level_{n}']").fill(text)
    article.locator("[name$='-weight']").press("Tab")
    expect(article.locator(".saved-indicator")).to_contain_text("บันทึกแล้ว")
    # every problem of the row solved: nothing is left next to any field
    expect(article.locator(".saved-indicator")).not_to_contain_text("ยังไม่ครบ")
    page.wait_for_load_state("networkidle")


def test_officer_enters_plan_round_trips_workbook_and_submits_on_time(
    people, new_page, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    page = new_page()
    log_in(page, "officer")
    expect(page.locator("h1")).to_contain_text("เชียงใหม่")

    # the plan, typed into the web form
    for issue_name, goal_name, kpis in PLAN:
        add_named(page, "ประเด็นยุทธศาสตร์ใหม่", issue_name, "เพิ่มประเด็นยุทธศาสตร์")
        add_named(page, "เป้าประสงค์ใหม่", goal_name, "เพิ่มเป้าประสงค์")
        for name, kpi_type, direction, unit, weight, criteria in kpis:
            page.get_by_placeholder("ชื่อตัวชี้วัดใหม่").last.fill(name)
            page.get_by_label("ประเภทตัวชี้วัด").last.select_option(kpi_type)
            page.get_by_role("button", name="เพิ่มตัวชี้วัด").last.click()
            page.wait_for_load_state("networkidle")
            fill_kpi(page, kpi_type, direction, unit, weight, criteria)

    plan = Plan.objects.get(organisation__code="50")
    kpis = sorted(Kpi.objects.filter(plan=plan), key=lambda k: int(k.code.split(".")[1]))
    assert [k.code for k in kpis] == [f"1.{n}" for n in range(1, 9)]
    assert kpis[1].criteria[4] == Decimal(150000)  # typed as 150,000
    assert kpis[4].criteria == (
        Decimal(40),
        Decimal(35),
        Decimal(30),
        Decimal(25),
        Decimal(20),
    )  # Thai digits
    page.reload()
    expect(page.get_by_test_id("weight-total")).to_contain_text("35.00 / 35.00")

    # the data disk: download, change two targets as in Excel, upload, see exactly those two changes
    with page.expect_download() as download_info:
        page.get_by_role("link", name="ดาวน์โหลดแบบฟอร์ม Excel").click()
    original = tmp_path / "plan.xlsx"
    download_info.value.save_as(original)
    edited = tmp_path / "plan-edited.xlsx"
    edited.write_bytes(change_two_targets(original.read_bytes()))
    page.get_by_role("link", name="นำเข้าจาก Excel").click()
    page.locator("input[type=file]").set_input_files(str(edited))
    page.get_by_role("button", name="ตรวจและนำเข้า").click()
    page.wait_for_load_state("networkidle")
    # the changes are shown first, and written only once the officer confirms
    expect(page.get_by_test_id("workbook-result")).to_have_attribute("data-status", "pending")
    expect(page.get_by_test_id("workbook-changes").locator("tbody tr")).to_have_count(2)
    assert Kpi.objects.get(plan=plan, code="1.1").target != Decimal("5.5")
    page.get_by_test_id("confirm-import").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_test_id("workbook-result")).to_have_attribute("data-status", "accepted")
    changes = page.get_by_test_id("workbook-changes").locator("tbody tr")
    expect(changes).to_have_count(2)
    assert [changes.nth(i).locator("td").first.inner_text() for i in range(2)] == ["1.1", "1.6"]
    for i in range(2):
        expect(changes.nth(i)).to_contain_text("ค่าเป้าหมาย")
    assert Kpi.objects.get(plan=plan, code="1.1").target == Decimal("5.5")
    assert Kpi.objects.get(plan=plan, code="1.6").target == Decimal("25")
    assert Kpi.objects.get(plan=plan, code="1.2").target == Decimal(140000)

    # submission: the officer sends, the governor approves
    page.goto("/years/2551/plans/50/")
    # the button says where the plan goes, and asks first
    expect(page.get_by_test_id("submit-plan")).to_have_text("เสนอผู้ว่าราชการจังหวัดอนุมัติ")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id("submit-plan").click()
    expect(page.get_by_test_id("plan-status")).to_contain_text("รอผู้ว่าราชการจังหวัดอนุมัติ")
    governor = new_page()
    log_in(governor, "governor")
    governor.get_by_test_id("approve-plan").click()
    expect(governor.get_by_test_id("plan-status")).to_contain_text("ส่งแล้ว")
    plan.refresh_from_db()
    assert (plan.status, plan.is_late) == (PlanStatus.SUBMITTED, False)

    # OPDC's tracking page shows Chiang Mai as submitted on time
    opdc = new_page()
    log_in(opdc, "analyst")
    expect(opdc.get_by_test_id("status-50")).to_have_text("ส่งแล้ว (ตรงเวลา)")
    expect(opdc.get_by_test_id("count-submitted")).to_have_text("1")
    opdc.screenshot(path=str(tmp_path / "tracking.png"), full_page=False)


def change_two_targets(data: bytes) -> bytes:
    """What the officer does in Excel: targets of KPI 1.1 (5 → 5.5) and 1.6 (26 → 25)."""
    book = load_workbook(BytesIO(data))
    sheet = book["แบบฟอร์ม"]
    header_row, columns = _header(sheet)
    changed = 0
    for row in sheet.iter_rows(min_row=header_row + 1):
        code = row[columns["code"]].value
        if code == "1.1":
            row[columns["target"]].value = 5.5
            changed += 1
        elif code == "1.6":
            row[columns["target"]].value = 25
            changed += 1
    assert changed == 2
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _header(sheet):  # type: ignore[no-untyped-def]
    for row in sheet.iter_rows(min_row=1, max_row=10):
        texts = [str(c.value or "") for c in row]
        if any("ค่าเป้าหมาย" in t for t in texts) and any(t.startswith("ตัวชี้วัด") or t == "รหัส" for t in texts):
            code = next(i for i, t in enumerate(texts) if t in {"รหัส", "ตัวชี้วัดที่", "รหัสตัวชี้วัด"})
            return row[0].row, {
                "code": code,
                "target": next(i for i, t in enumerate(texts) if "ค่าเป้าหมาย" in t),
            }
    raise AssertionError("no header row with the KPI code and target")
