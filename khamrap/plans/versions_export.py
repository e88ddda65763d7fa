"""Two versions of a plan compared, as an Excel file: one row per KPI and field changed, then added and
dropped KPIs, in Thai, in the reports' one look (:mod:`khamrap.documents.sheets`)."""

from khamrap.documents.sheets import report_bytes, report_sheet, report_text_rows
from khamrap.frameworks.models import FiscalYear
from khamrap.orgs.models import Organisation
from khamrap.plans.versions import Comparison, VersionSide
from khamrap.thai.dates import format_datetime

HEADERS = ("ตัวชี้วัดที่ (ฉบับ ก)", "ตัวชี้วัดที่ (ฉบับ ข)", "ชื่อตัวชี้วัด", "การเปลี่ยนแปลง", "ช่อง", "ค่าในฉบับ ก", "ค่าในฉบับ ข")
WIDTHS = (12, 12, 40, 16, 24, 40, 40)


def side_name(side: VersionSide) -> str:
    if side.is_draft:
        return "ฉบับร่างปัจจุบัน"
    when = f" {format_datetime(side.at)}" if side.at else ""
    return f"ฉบับที่ {side.version}{when}"


def comparison_rows(comparison: Comparison) -> list[list[str]]:
    rows = [
        [k.code_a, k.code_b, k.name, "แก้ไข", f.label, f.a, f.b]
        for k in comparison.changed
        for f in k.changed_fields
    ]
    rows += [[k.code_a, k.code_b, k.name, "เพิ่มตัวชี้วัด", "", "", k.name] for k in comparison.added]
    rows += [[k.code_a, k.code_b, k.name, "ตัดตัวชี้วัดออก", "", k.name, ""] for k in comparison.dropped]
    return rows


def comparison_workbook(
    *, fiscal_year: FiscalYear, organisation: Organisation, comparison: Comparison
) -> bytes:
    book, sheet = report_sheet(
        name="เปรียบเทียบฉบับ",
        title=(
            f"เปรียบเทียบแบบฟอร์มเจรจา {organisation.name_th} ปีงบประมาณ พ.ศ. {fiscal_year.year}: "
            f"ฉบับ ก = {side_name(comparison.a)}, ฉบับ ข = {side_name(comparison.b)}"
        ),
        headers=HEADERS,
    )
    report_text_rows(sheet, comparison_rows(comparison))
    return report_bytes(book, sheet, widths=WIDTHS)
