"""Writes to fiscal years and frameworks, and the FY2551 seed."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction

from khamrap.frameworks.models import Dimension, FiscalYear, Framework, FrameworkIndicator, ReportRound
from khamrap.orgs.models import OrganisationKind

# FY2553's province framework (sourced) had dimension weights 50/20/10/20 with indicator 1 in dimension 1.
# FY2551's list and weights were not found: these are *assumptions* the administrator edits (DESIGN.md §4).
DIMENSIONS = [
    (1, "มิติด้านประสิทธิผลตามพันธกิจ", "Effectiveness", Decimal(50)),
    (2, "มิติด้านคุณภาพการให้บริการ", "Service quality", Decimal(20)),
    (3, "มิติด้านประสิทธิภาพของการปฏิบัติราชการ", "Efficiency", Decimal(10)),
    (4, "มิติด้านการพัฒนาองค์กร", "Organisational development", Decimal(20)),
]
INDICATORS: dict[str, list[tuple[int, str, str, str, Decimal, bool]]] = {
    OrganisationKind.PROVINCE: [
        (
            1,
            "1",
            "ระดับความสำเร็จของการบรรลุเป้าหมายตามแผนปฏิบัติราชการของจังหวัด",
            "Achievement of the province's action-plan goals",
            Decimal(35),
            True,
        ),
        (
            1,
            "2",
            "ระดับความสำเร็จของการดำเนินงานตามนโยบายสำคัญของรัฐบาล",
            "Delivery of key government policies",
            Decimal(15),
            False,
        ),
        (2, "3", "ระดับความสำเร็จของการพัฒนาคุณภาพการให้บริการ", "Service-quality improvement", Decimal(10), False),
        (2, "4", "ร้อยละของระดับความพึงพอใจของผู้รับบริการ", "Service-user satisfaction", Decimal(10), False),
        (3, "5", "ระดับความสำเร็จของการเบิกจ่ายงบประมาณ", "Budget disbursement", Decimal(5), False),
        (3, "6", "ระดับความสำเร็จของการดำเนินการตามมาตรการประหยัดพลังงาน", "Energy saving", Decimal(5), False),
        (
            4,
            "7",
            "ระดับความสำเร็จของการพัฒนาคุณภาพการบริหารจัดการภาครัฐ",
            "Public sector management quality (PMQA)",
            Decimal(20),
            False,
        ),
    ],
    OrganisationKind.CLUSTER: [
        (
            1,
            "1",
            "ระดับความสำเร็จของการบรรลุเป้าหมายตามแผนปฏิบัติราชการของกลุ่มจังหวัด",
            "Achievement of the cluster's action-plan goals",
            Decimal(50),
            True,
        ),
        (
            2,
            "2",
            "ระดับความสำเร็จของการพัฒนาคุณภาพการให้บริการของกลุ่มจังหวัด",
            "Service-quality improvement",
            Decimal(20),
            False,
        ),
        (3, "3", "ระดับความสำเร็จของการเบิกจ่ายงบประมาณของกลุ่มจังหวัด", "Budget disbursement", Decimal(10), False),
        (
            4,
            "4",
            "ระดับความสำเร็จของการพัฒนาระบบบริหารจัดการของกลุ่มจังหวัด",
            "Cluster management development",
            Decimal(20),
            False,
        ),
    ],
}
ASSUMPTION_NOTE = (
    "ข้อสมมติ: ไม่พบรายการตัวชี้วัดและน้ำหนักของปีงบประมาณ พ.ศ. 2551 จึงใช้โครงสร้างเดียวกับปี 2553 "
    "(มิติ 50/20/10/20 ตัวชี้วัดที่ 1 อยู่ในมิติที่ 1) ผู้ดูแลระบบแก้ไขได้"
)


@dataclass(frozen=True)
class CalendarSeed:
    year: int
    briefing_on: date
    submission_deadline: date
    negotiation_starts_on: date
    negotiation_ends_on: date


# From OPDC's letter of 21 Sep 2550; the negotiation dates ("early November") are an assumption.
FY2551 = CalendarSeed(
    year=2551,
    briefing_on=date(2007, 9, 24),
    submission_deadline=date(2007, 10, 15),
    negotiation_starts_on=date(2007, 11, 1),
    negotiation_ends_on=date(2007, 11, 15),
)


def _ce(be_year: int) -> int:
    return be_year - 543


@transaction.atomic
def fiscal_year_seed(*, seed: CalendarSeed = FY2551) -> FiscalYear:
    """Create the fiscal year with its calendar, report rounds and frameworks; leaves existing data alone."""
    start_ce = _ce(seed.year) - 1
    fiscal_year, _created = FiscalYear.objects.get_or_create(
        year=seed.year,
        defaults={
            "starts_on": date(start_ce, 10, 1),
            "ends_on": date(start_ce + 1, 9, 30),
            "briefing_on": seed.briefing_on,
            "submission_deadline": seed.submission_deadline,
            "negotiation_starts_on": seed.negotiation_starts_on,
            "negotiation_ends_on": seed.negotiation_ends_on,
            "structure_on": date(start_ce + 1, 9, 30),
        },
    )
    # Rounds at 6, 9 and 12 months; reports due a month after each period (assumption, editable).
    for months, period_end, due in (
        (6, date(start_ce + 1, 3, 31), date(start_ce + 1, 4, 30)),
        (9, date(start_ce + 1, 6, 30), date(start_ce + 1, 7, 31)),
        (12, date(start_ce + 1, 9, 30), date(start_ce + 1, 10, 31)),
    ):
        ReportRound.objects.get_or_create(
            fiscal_year=fiscal_year, months=months, defaults={"period_ends_on": period_end, "due_on": due}
        )
    for kind, label in ((OrganisationKind.PROVINCE, "จังหวัด"), (OrganisationKind.CLUSTER, "กลุ่มจังหวัด")):
        framework, created = Framework.objects.get_or_create(
            fiscal_year=fiscal_year,
            organisation_kind=kind,
            defaults={
                "name_th": f"กรอบการประเมินผลการปฏิบัติราชการของ{label} ประจำปีงบประมาณ พ.ศ. {seed.year}",
                "notes": ASSUMPTION_NOTE,
            },
        )
        if not created:
            continue
        dimensions = {
            number: Dimension.objects.create(
                framework=framework, number=number, name_th=name_th, name_en=name_en, weight=weight
            )
            for number, name_th, name_en, weight in DIMENSIONS
        }
        FrameworkIndicator.objects.bulk_create(
            FrameworkIndicator(
                framework=framework,
                dimension=dimensions[dimension],
                code=code,
                name_th=name_th,
                name_en=name_en,
                weight=weight,
                is_plan_indicator=is_plan,
                position=position,
            )
            for position, (dimension, code, name_th, name_en, weight, is_plan) in enumerate(INDICATORS[kind])
        )
    return fiscal_year
