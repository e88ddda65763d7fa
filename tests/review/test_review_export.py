"""OPDC's review workbook in Thai and in English, with the verdicts on KPIs the province has since deleted,
in a constant number of queries."""

import io
import uuid

from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook
from openpyxl.workbook import Workbook

from khamrap.frameworks.models import FiscalYear
from khamrap.plans.models import Kpi, Plan
from khamrap.review import services
from khamrap.review.export import review_workbook
from khamrap.review.models import KpiReview, PlanReview
from tests.factories import PlanFactory
from tests.review.conftest import ask

THAI_VERDICT_HEADERS = [
    "รหัสหน่วยงาน",
    "หน่วยงาน",
    "สถานะแบบฟอร์ม",
    "นักวิเคราะห์",
    "ตัวชี้วัดที่",
    "รหัสตัวชี้วัด (uid)",
    "ชื่อตัวชี้วัด",
    "ผลการพิจารณา",
    "ความเห็นถึงจังหวัด",
    "ค่าที่เสนอ",
    "บันทึกภายใน",
    "คำตอบของจังหวัด",
    "คำชี้แจง",
]
ENGLISH_VERDICT_HEADERS = [
    "Organisation code",
    "Organisation",
    "Form status",
    "Analysts",
    "KPI no.",
    "KPI id (uid)",
    "KPI name",
    "Verdict",
    "Comment to the province",
    "Proposed values",
    "Internal note",
    "Province's response",
    "Province's answer",
]


def _book(fiscal_year: FiscalYear, language: str = "th") -> Workbook:
    return load_workbook(io.BytesIO(review_workbook(fiscal_year=fiscal_year, language=language)))


def _row(book: Workbook, sheet: str, number: int) -> list[object]:
    return [c.value for c in book[sheet][number]]


def _review_first(plan: Plan, analyst) -> Kpi:  # type: ignore[no-untyped-def]
    kpi = Kpi.objects.get(plan=plan, code="1.1")
    services.kpi_review_save(
        plan=plan,
        kpi_uid=str(kpi.uid),
        actor=analyst,
        verdict="revise",
        comment="ปรับเป้า",
        note="ภายใน",
        proposed={"target": 7},
    )
    return kpi


def test_the_thai_workbook_keeps_its_sheets_titles_and_headers(submitted: Plan, assigned, fy2551) -> None:  # type: ignore[no-untyped-def]
    _review_first(submitted, assigned)
    book = _book(fy2551)
    assert book.sheetnames == ["ข้อสังเกต", "ผลการพิจารณา", "บันทึกภายใน"]
    assert _row(book, "ข้อสังเกต", 1)[0] == "ข้อสังเกตจากการตรวจอัตโนมัติ ปีงบประมาณ พ.ศ. 2551"
    assert _row(book, "ข้อสังเกต", 2) == [
        "รหัสหน่วยงาน",
        "หน่วยงาน",
        "ตัวชี้วัดที่",
        "รหัสตัวชี้วัด (uid)",
        "ข้อสังเกต",
        "ระดับ",
        "คำอธิบาย",
    ]
    assert _row(book, "ผลการพิจารณา", 1)[0] == "ผลการพิจารณาความเหมาะสมของตัวชี้วัด ปีงบประมาณ พ.ศ. 2551"
    assert _row(book, "ผลการพิจารณา", 2) == THAI_VERDICT_HEADERS
    assert _row(book, "บันทึกภายใน", 1)[0] == "บันทึกภายในของนักวิเคราะห์ (จังหวัดไม่เห็น)"
    assert _row(book, "บันทึกภายใน", 2) == [
        "รหัสหน่วยงาน",
        "หน่วยงาน",
        "จำนวนครั้งที่ส่งกลับ",
        "บันทึกภายในของแบบฟอร์ม",
    ]
    first = _row(book, "ผลการพิจารณา", 3)
    assert first[:2] == ["50", "เชียงใหม่"]
    assert first[4] == "1.1"
    assert first[7:13] == ["ควรปรับปรุง", "ปรับเป้า", "ค่าเป้าหมาย: 7", "ภายใน", None, None]
    assert _row(book, "ข้อสังเกต", 3)[5] in {"ต้องแก้ไข", "ควรทบทวน", "ข้อสังเกต"}


def test_the_english_workbook_is_english_throughout(submitted: Plan, assigned, fy2551) -> None:  # type: ignore[no-untyped-def]
    _review_first(submitted, assigned)
    services.plan_review_notes_save(plan=submitted, actor=assigned, notes="นัดหารือ 1 พ.ย.")
    book = _book(fy2551, "en")
    assert book.sheetnames == ["Findings", "Verdicts", "Internal notes"]
    assert _row(book, "Findings", 1)[0] == "Automatic check findings, fiscal year B.E. 2551"
    assert _row(book, "Findings", 2) == [
        "Organisation code",
        "Organisation",
        "KPI no.",
        "KPI id (uid)",
        "Check",
        "Severity",
        "Description",
    ]
    assert _row(book, "Verdicts", 1)[0] == "KPI appropriateness verdicts, fiscal year B.E. 2551"
    assert _row(book, "Verdicts", 2) == ENGLISH_VERDICT_HEADERS
    assert _row(book, "Internal notes", 1)[0] == "Analysts' internal notes (not shown to the province)"
    assert _row(book, "Internal notes", 2) == [
        "Organisation code",
        "Organisation",
        "Times returned",
        "Internal notes on the form",
    ]
    first = _row(book, "Verdicts", 3)
    assert first[:3] == ["50", "Chiang Mai", "Under review"]
    assert first[7:13] == ["Revise", "ปรับเป้า", "Target: 7", "ภายใน", None, None]
    findings = [[c.value for c in row] for row in book["Findings"].iter_rows(min_row=3)]
    assert findings and all(row[1] == "Chiang Mai" for row in findings)
    assert {row[5] for row in findings} <= {"Error", "Warning", "Note"}
    missing = next(row for row in findings if row[4] == "field_missing")
    assert missing[6] and not any("\u0e00" <= ch <= "\u0e7f" for ch in str(missing[6]))
    assert _row(book, "Internal notes", 3) == ["50", "Chiang Mai", "0", "นัดหารือ 1 พ.ย."]


def test_a_dropped_kpis_verdict_stays_in_the_workbook(submitted: Plan, assigned, officer, fy2551) -> None:  # type: ignore[no-untyped-def]
    kpi = ask(submitted, assigned, "1.3", "drop", "ซ้ำกับ 1.2")
    services.kpi_review_accept(plan=submitted, kpi_uid=str(kpi.uid), actor=officer)
    assert not Kpi.objects.filter(uid=kpi.uid).exists()
    for language, name, verdict, response in (
        ("th", f"{kpi.name} (ตัดออกจากแบบฟอร์มแล้ว)", "ควรตัดออก", "ยอมรับข้อเสนอ"),
        ("en", f"{kpi.name} (Dropped from the plan)", "Drop", "Accept the proposal"),
    ):
        book = _book(fy2551, language)
        rows = [[c.value for c in row] for row in book.worksheets[1].iter_rows(min_row=3)]
        assert len(rows) == 8  # seven live KPIs, then the dropped one
        live = {str(uid) for uid in Kpi.objects.filter(plan=submitted).values_list("uid", flat=True)}
        assert {row[5] for row in rows[:7]} == live
        marker = name[len(kpi.name) :]
        assert all(row[6] and not str(row[6]).endswith(marker) for row in rows[:7])  # live KPIs: no marker
        dropped = rows[7]
        assert dropped[4:9] == ["1.3", str(kpi.uid), name, verdict, "ซ้ำกับ 1.2"]
        assert dropped[11] == response


def test_export_review_writes_english_with_lang_en(submitted: Plan, assigned, tmp_path) -> None:  # type: ignore[no-untyped-def]
    _review_first(submitted, assigned)
    out = tmp_path / "review-en.xlsx"
    call_command("export_review", "--year", "2551", "--out", str(out), "--lang", "en", stdout=io.StringIO())
    book = load_workbook(out)
    assert book.sheetnames == ["Findings", "Verdicts", "Internal notes"]
    assert _row(book, "Verdicts", 2) == ENGLISH_VERDICT_HEADERS
    thai = tmp_path / "review-th.xlsx"
    call_command("export_review", "--year", "2551", "--out", str(thai), stdout=io.StringIO())
    assert _row(load_workbook(thai), "ผลการพิจารณา", 2) == THAI_VERDICT_HEADERS


def _dropped_review(plan: Plan) -> None:
    review, _ = PlanReview.objects.get_or_create(plan=plan)
    KpiReview.objects.create(
        review=review, kpi_uid=uuid.uuid4(), kpi_code="9.9", kpi_name="ตัดแล้ว", verdict="drop", comment="ซ้ำ"
    )


def test_the_workbook_reads_in_a_constant_number_of_queries(
    submitted: Plan, assigned, fy2551, org, other_officer
) -> None:  # type: ignore[no-untyped-def]
    _review_first(submitted, assigned)
    _dropped_review(submitted)
    for language in ("th", "en"):
        with CaptureQueriesContext(connection) as one:
            review_workbook(fiscal_year=fy2551, language=language)
        others = []
        if language == "th":
            for code in ("51", "52"):
                others.append(PlanFactory(fiscal_year=fy2551, organisation=org(code), tree__actor=None))
            for plan in others:
                _dropped_review(plan)
            assigned.assigned_organisations.add(org("51"), org("52"))
        with CaptureQueriesContext(connection) as three:
            book = load_workbook(io.BytesIO(review_workbook(fiscal_year=fy2551, language=language)))
        assert len(three) == len(one)
        dropped = [
            row for row in book.worksheets[1].iter_rows(min_row=3, values_only=True) if row[4] == "9.9"
        ]
        assert [row[0] for row in dropped] == ["50", "51", "52"]
