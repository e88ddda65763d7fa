"""The printable negotiation form (issue 3, item 5; "Deadline day", item 5): Thai text that reads back
verbatim, BE dates, page numbers, repeated table headers, rows kept whole, the embedded Sarabun font, a cut
for huge fields and a constant number of queries.

The text is extracted with pypdf and with poppler's ``pdftotext -raw`` (text in the order it was written,
as viewers copy and search it) and compared as it comes out: no normalisation, no composing of ำ. The KPI
names are looked for in the details' title rows, which span the page, so no name is wrapped there.
``docs/documents.md`` has the measurements behind it.
"""

import io
import subprocess
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import cast

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject

from khamrap.accounts.models import User
from khamrap.documents.pdf import FONT_DIR, StaticOnlyFetcher
from khamrap.frameworks.models import FiscalYear
from khamrap.orgs.models import Organisation
from khamrap.plans.editing import plan_get_or_create, plan_tree_replace
from khamrap.plans.models import Plan, PlanStatus
from khamrap.plans.printable import plan_form_pdf
from khamrap.plans.schema import GoalData, IssueData, KpiData, PlanData
from khamrap.plans.selectors import plan_tree
from khamrap.site.samples import large_plan, sample_plan
from tests.conftest import login

PRINTED_ON = date(2007, 10, 15)  # 15 ต.ค. 2550
# Names with ำ (also after a tone mark: น้ำ), tone marks over upper vowels, and below vowels.
EXTRA_NAMES = (
    "ระดับความสำเร็จของการจัดทำแผน",
    "ปริมาณน้ำที่กักเก็บได้ในอ่างเก็บน้ำขนาดใหญ่",
    "ร้อยละของผู้สูงอายุที่ได้รับการดูแลสุขภาพ",
)
# A tone mark over the narrowed upper vowel of a tall consonant (ฟื้ ปั้ ฝั่), a lone NIKHAHIT (ํ, as in Pali
# words), ำ after every tone mark, and more stacks of marks.
STACKED_MARKS_NAME = "ร้อยละของพื้นที่ป่าที่ได้รับการฟื้นฟู ปั้นฝั่งคลอง สํสกฤต ค่ำ น้ำ ก๊ำ ก๋ำ ขึ้นซึ่งปู่"


def _plan(fiscal_year: FiscalYear, organisation_code: str, data: PlanData) -> Plan:
    plan = plan_get_or_create(
        fiscal_year=fiscal_year, organisation=Organisation.objects.get(code=organisation_code)
    )
    plan_tree_replace(plan=plan, data=data, actor=None)
    return Plan.objects.get(pk=plan.pk)


def _with_extra_names(data: PlanData) -> PlanData:
    first = data.issues[0]
    goal = first.goals[0]
    extra = tuple(replace(goal.kpis[0], name=name) for name in EXTRA_NAMES)
    issue = IssueData(name="การบริหารจัดการน้ำ", goals=(GoalData(name="น้ำเพียงพอต่อการเกษตร", kpis=extra),))
    return PlanData(issues=(*data.issues, issue))


def _one_kpi(kpi: KpiData) -> PlanData:
    return PlanData(issues=(IssueData(name="ป่าไม้", goals=(GoalData(name="ป่า", kpis=(kpi,)),)),))


def _pages(pdf: bytes) -> list[str]:
    """The text of each page, as pypdf extracts it."""
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def _pypdf(pdf: bytes) -> str:
    return "\n".join(_pages(pdf))


def _pdftotext(pdf: bytes) -> str:
    """The text as poppler's ``pdftotext -raw`` extracts it (pages end with a form feed)."""
    return subprocess.run(
        ["pdftotext", "-raw", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()


EXTRACTORS = pytest.mark.parametrize("extract", [_pypdf, _pdftotext], ids=["pypdf", "pdftotext"])


@EXTRACTORS
@pytest.mark.parametrize(
    "data",
    [_with_extra_names(sample_plan()), large_plan(kpi_count=30)],
    ids=["sample plan with more names", "large plan"],
)
def test_every_kpi_name_reads_back_verbatim(
    extract: Callable[[bytes], str], data: PlanData, fy2551: FiscalYear
) -> None:
    # given the demo plans, whose KPI names carry ำ, tone marks and upper and lower vowels
    plan = _plan(fy2551, "50", data)

    # when printed and the text extracted
    text = extract(plan_form_pdf(plan=plan, today=PRINTED_ON))

    # then every name is there exactly as written, and so are the words people search for
    kpis = plan_tree(plan).kpis()
    assert [kpi.name for kpi in kpis] == [kpi.name for kpi in data.kpis()]
    for kpi in kpis:
        assert f"ตัวชี้วัดที่ {kpi.code} {kpi.name}\n" in text, kpi.name
    for word in ("สำนักงาน", "คำรับรอง", "ประจำปีงบประมาณ", "น้ำหนัก"):
        assert word in text, word
    # and nothing else is in between: no ํ + า for ำ, no invisible marks
    assert "\u0e4d" not in text
    assert "\u200b" not in text


@EXTRACTORS
def test_stacked_marks_and_tall_consonants_read_back_verbatim(
    extract: Callable[[bytes], str], fy2551: FiscalYear
) -> None:
    kpi = replace(sample_plan().kpis()[0], name=STACKED_MARKS_NAME)
    plan = _plan(fy2551, "50", _one_kpi(kpi))

    text = extract(plan_form_pdf(plan=plan, today=PRINTED_ON))

    assert f"ตัวชี้วัดที่ 1.1 {STACKED_MARKS_NAME}\n" in text  # bold, across the page
    # regular, wrapped in the table's first column
    assert "1.1 ร้อยละของพื้นที่ป่าที่ได้รับ\nการฟื้นฟู ปั้นฝั่งคลอง สํสกฤต\nค่ำ น้ำ ก๊ำ ก๋ำ ขึ้นซึ่งปู่\n" in text


def test_a_sara_am_written_as_nikhahit_and_sara_aa_prints_as_sara_am(fy2551: FiscalYear) -> None:
    # ํ + า, as text copied out of some PDFs; the data is stored as it came
    kpi = replace(sample_plan().kpis()[0], name="ร้อยละของส\u0e4d\u0e32นักงานที่ส่งน\u0e4d\u0e49\u0e32หนักครบ")
    plan = _plan(fy2551, "50", _one_kpi(kpi))

    text = _pypdf(plan_form_pdf(plan=plan, today=PRINTED_ON))

    assert "ตัวชี้วัดที่ 1.1 ร้อยละของสำนักงานที่ส่งน้ำหนักครบ\n" in text


@EXTRACTORS
def test_thai_words_are_not_broken_across_lines(extract: Callable[[bytes], str], fy2551: FiscalYear) -> None:
    # A milestone level in a narrow column wraps between words.
    plan = _plan(fy2551, "50", sample_plan())

    text = extract(plan_form_pdf(plan=plan, today=PRINTED_ON))

    assert "\nจัดทำ\nแผนการ\nดำเนินงาน\n" in text


def test_a_huge_field_is_cut_with_a_note(fy2551: FiscalYear) -> None:
    # given a definition of 2.5 million characters (the fields are not capped at input yet)
    definition = "ประเมินผล " * 250_000
    kpi = replace(sample_plan().kpis()[0], definition=definition)
    plan = _plan(fy2551, "50", _one_kpi(kpi))

    # when printed
    pdf = plan_form_pdf(plan=plan, today=PRINTED_ON)

    # then the first 3,000 characters are printed, and a note says how much was left out
    pages = _pages(pdf)
    assert len(pages) <= 5
    # (the words wrap over many lines in the narrow column: compared without the white space)
    text = "".join("".join(pages).split())
    assert "ประเมินผลประเมินผล…(ตัดความยาว:พิมพ์2,999จาก2,500,000ตัวอักษร)" in text


def test_the_form_shows_title_organisation_and_be_dates_of_a_draft(fy2551: FiscalYear) -> None:
    plan = _plan(fy2551, "50", sample_plan())

    pdf = plan_form_pdf(plan=plan, today=PRINTED_ON)

    pages = _pages(pdf)
    metadata = PdfReader(io.BytesIO(pdf)).metadata
    assert metadata is not None
    assert metadata.title == (
        "แบบฟอร์มเอกสารสำหรับการเจรจาความเหมาะสมของตัวชี้วัด เป้าหมาย และเกณฑ์การให้คะแนนตามคำรับรอง"
        "การปฏิบัติราชการ กลุ่มจังหวัด และจังหวัด ประจำปีงบประมาณ พ.ศ. 2551 (ตัวชี้วัดที่ 1) – จังหวัดเชียงใหม่"
    )  # the metadata keeps the text exactly as written

    first = pages[0]
    assert (
        "แบบฟอร์มเอกสารสำหรับการเจรจาความเหมาะสมของตัวชี้วัด เป้าหมาย และเกณฑ์การให้คะแนน\n"
        "ตามคำรับรองการปฏิบัติราชการ กลุ่มจังหวัด และจังหวัด ประจำปีงบประมาณ พ.ศ. 2551 (ตัวชี้วัดที่ 1)"
    ) in first
    assert "จังหวัดเชียงใหม่" in first
    assert "ฉบับที่ 1 · สถานะ: ร่าง" in first
    assert "ร่าง – ยังไม่ได้ส่งสำนักงาน ก.พ.ร." in first
    assert "ปี 2548 ปี 2549 ปี 2550" in first
    assert "ส่งเมื่อ" not in first
    for page in pages:
        assert "จังหวัดเชียงใหม่ ปีงบประมาณ พ.ศ. 2551" in page  # the running header
        assert "พิมพ์เมื่อ 15 ต.ค. 2550" in page  # the running footer


def test_a_submitted_form_shows_when_it_was_sent_and_no_draft_mark(fy2551: FiscalYear) -> None:
    plan = _plan(fy2551, "50", sample_plan())
    Plan.objects.filter(pk=plan.pk).update(
        status=PlanStatus.SUBMITTED, submitted_at=datetime(2007, 10, 15, 3, 30, tzinfo=UTC), is_late=False
    )
    plan.refresh_from_db()

    text = _pypdf(plan_form_pdf(plan=plan, today=date(2007, 10, 16)))

    assert "ฉบับที่ 1 · สถานะ: ส่งแล้ว · ส่งเมื่อ 15 ต.ค. 2550 เวลา 10:30 น." in text
    assert "พิมพ์เมื่อ 16 ต.ค. 2550" in text
    assert "ยังไม่ได้ส่ง" not in text
    assert "\nร่าง\n" not in text


def test_a_late_submission_says_so(fy2551: FiscalYear) -> None:
    plan = _plan(fy2551, "50", sample_plan())
    Plan.objects.filter(pk=plan.pk).update(
        status=PlanStatus.SUBMITTED, submitted_at=datetime(2007, 10, 16, 2, 0, tzinfo=UTC), is_late=True
    )
    plan.refresh_from_db()

    text = _pages(plan_form_pdf(plan=plan, today=PRINTED_ON))[0]

    assert "ส่งเมื่อ 16 ต.ค. 2550 เวลา 09:00 น. (ส่งล่าช้า)" in text


def test_milestone_levels_show_their_descriptions_and_sub_steps(fy2551: FiscalYear) -> None:
    plan = _plan(fy2551, "50", sample_plan())

    text = _pypdf(plan_form_pdf(plan=plan, today=PRINTED_ON))

    assert "3.1 จัดทำร่าง" in text
    assert "แต่งตั้งคณะ\nทำงาน" in text
    assert "คน 4 120,000 125,000 131,000 140,000 130,000 135,000 140,000 145,000 150,000" in text
    assert "รวมน้ำหนัก 35" in text
    assert "นายสมชาย ใจดี\nโทร. 0 5311 2345" in text


def test_a_long_plan_has_page_numbers_repeated_headers_and_whole_rows(fy2551: FiscalYear) -> None:
    # given thirty KPIs: the table and the details each run over several pages
    plan = _plan(fy2551, "50", large_plan(kpi_count=30))

    # when printed
    pages = _pages(plan_form_pdf(plan=plan, today=PRINTED_ON))

    # then every page is numbered "หน้า X / Y"
    count = len(pages)
    assert count >= 4
    for number, page in enumerate(pages, start=1):
        assert f"หน้า {number} / {count}" in page
    # and every page repeats its table's column headers
    first_details = next(n for n, page in enumerate(pages) if "รายละเอียดตัวชี้วัด" in page)
    table_pages, detail_pages = pages[:first_details], pages[first_details:]
    assert len(table_pages) >= 2
    assert len(detail_pages) >= 2
    for page in table_pages:
        assert "ตัวชี้วัด หน่วยวัด น้ำหนัก(ร้อยละ) ข้อมูลพื้นฐาน ค่าเป้าหมาย เกณฑ์การให้คะแนน" in page
    for page in detail_pages:
        assert "คำอธิบาย / นิยาม สูตรการคำนวณ แหล่งข้อมูล ผู้กำกับดูแลตัวชี้วัด ผู้จัดเก็บข้อมูล หมายเหตุ" in page
    # and no row is split across two pages: each page holds whole rows (name, both lines, all values)
    for page in table_pages:
        rows = page.count("ตัวชี้วัดที่ทดสอบลำดับ")
        assert rows > 0
        assert page.count("ร้อยละของความสำเร็จ\n") == rows
        assert page.count(" 70 72 74 85 75 80 85 90 95") == rows
    all_details = "\n".join(detail_pages)
    for n in range(1, 31):
        assert f"ตัวชี้วัดที่ 1.{n} ตัวชี้วัดที่ทดสอบลำดับ {n} ร้อยละของความสำเร็จ\n" in all_details


def test_every_page_uses_only_the_embedded_sarabun_font(fy2551: FiscalYear) -> None:
    plan = _plan(fy2551, "50", large_plan(kpi_count=30))

    reader = PdfReader(io.BytesIO(plan_form_pdf(plan=plan, today=PRINTED_ON)))

    for page in reader.pages:
        fonts = cast(DictionaryObject, cast(DictionaryObject, page["/Resources"])["/Font"])
        assert len(fonts) >= 2
        for reference in fonts.values():
            font = cast(DictionaryObject, reference.get_object())
            assert "Sarabun" in str(font["/BaseFont"])
            descendant = cast(DictionaryObject, cast(ArrayObject, font["/DescendantFonts"])[0].get_object())
            descriptor = cast(DictionaryObject, descendant["/FontDescriptor"].get_object())
            assert "/FontFile2" in descriptor  # the TrueType program is in the file


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "https://example.com/font.ttf", "file:///work/../etc/hosts", "data:,x"]
)
def test_pdf_rendering_reads_nothing_outside_the_static_folder(url: str) -> None:
    with pytest.raises(ValueError, match="may not"):
        StaticOnlyFetcher().fetch(url)


def test_pdf_rendering_reads_the_project_fonts() -> None:
    font = StaticOnlyFetcher().fetch((FONT_DIR / "Sarabun-Regular.ttf").as_uri())

    assert font.read(4) == b"\x00\x01\x00\x00"  # a TrueType font


def test_the_form_is_built_in_a_constant_number_of_queries(fy2551: FiscalYear) -> None:
    small = _plan(fy2551, "50", sample_plan())
    large = _plan(fy2551, "51", large_plan(kpi_count=30))
    counts = []
    for plan in (small, large):
        plan = Plan.objects.get(pk=plan.pk)
        with CaptureQueriesContext(connection) as queries:
            plan_form_pdf(plan=plan, today=PRINTED_ON)
        counts.append(len(queries))

    # fiscal year, organisation, indicator 1 (one query), the tree (4), the attachments' names
    assert counts == [8, 8]


@pytest.mark.parametrize("who", ["officer", "governor", "analyst", "opdc_admin"])
def test_the_organisation_and_opdc_download_the_pdf(
    who: str, fy2551: FiscalYear, request: pytest.FixtureRequest
) -> None:
    _plan(fy2551, "50", sample_plan())
    user: User = request.getfixturevalue(who)

    response = login(user).get(reverse("plan-pdf", args=[2551, "50"]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        "inline; filename=\"negotiation-form-2551-50.pdf\"; filename*=UTF-8''negotiation-form-2551-50.pdf"
    )
    assert response["Cache-Control"] == "private, no-store"
    assert response.content.startswith(b"%PDF-")


def test_a_cluster_officer_prints_the_cluster_plan(fy2551: FiscalYear, cluster_officer: User) -> None:
    _plan(fy2551, "NU1", sample_plan())

    response = login(cluster_officer).get(reverse("plan-pdf", args=[2551, "NU1"]))

    assert response.status_code == 200
    assert "กลุ่มจังหวัดภาคเหนือตอนบน 1" in _pages(response.content)[0]


@pytest.mark.parametrize("who", ["other_officer", "cluster_officer", "viewer"])
def test_nobody_else_may_print_the_form(who: str, fy2551: FiscalYear, request: pytest.FixtureRequest) -> None:
    _plan(fy2551, "50", sample_plan())

    response = login(request.getfixturevalue(who)).get(reverse("plan-pdf", args=[2551, "50"]))

    assert response.status_code == 403


def test_printing_needs_a_login(fy2551: FiscalYear) -> None:
    response = Client().get(reverse("plan-pdf", args=[2551, "50"]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    ("year", "code"),
    [(2551, "50"), (2551, "XX"), (2599, "50")],
    ids=["no plan yet", "unknown organisation", "unknown year"],
)
def test_missing_things_are_404(year: int, code: str, fy2551: FiscalYear, officer: User) -> None:
    response = login(officer).get(reverse("plan-pdf", args=[year, code]))

    assert response.status_code == 404


def test_a_new_kpi_says_so_under_its_name(fy2551: FiscalYear) -> None:
    data = sample_plan()
    goal = data.issues[0].goals[0]
    first = replace(goal.kpis[0], is_new=True, baselines=(None, None, None))
    data = replace(
        data,
        issues=(
            replace(
                data.issues[0], goals=(replace(goal, kpis=(first, *goal.kpis[1:])), *data.issues[0].goals[1:])
            ),
            *data.issues[1:],
        ),
    )
    plan = _plan(fy2551, "50", data)

    text = _pypdf(plan_form_pdf(plan=plan, today=PRINTED_ON))

    assert text.count("ตัวชี้วัดใหม่") == 1
