"""OPDC's tracking table as an Excel file."""

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from khamrap.frameworks.models import FiscalYear
from khamrap.thai.dates import format_date, format_datetime
from khamrap.tracking.selectors import TrackingRow

HEADERS = (
    "รหัส", "หน่วยงาน", "ประเภท", "กลุ่มจังหวัด", "สถานะ", "จำนวนตัวชี้วัด",
    "วันที่ส่ง", "กำหนดส่ง", "เหลือ (วัน)", "ขยายเวลาถึง",
)  # fmt: skip
WIDTHS = (8, 30, 14, 32, 20, 14, 26, 16, 12, 16)


def tracking_workbook(*, fiscal_year: FiscalYear, rows: list[TrackingRow]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "ติดตามการส่ง"
    sheet.append([f"การส่งแบบฟอร์มเจรจาตัวชี้วัด ปีงบประมาณ พ.ศ. {fiscal_year.year}"])
    sheet["A1"].font = Font(name="Sarabun", bold=True, size=14)
    sheet.append(HEADERS)
    for cell in sheet[2]:
        cell.font = Font(name="Sarabun", bold=True)
        cell.fill = PatternFill("solid", fgColor="E9EDF5")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for row in rows:
        plan = row.plan
        sheet.append(
            [
                row.organisation.code,
                row.organisation.name_th,
                row.organisation.get_kind_display(),
                row.cluster.name_th if row.cluster else "",
                row.status_label,
                row.kpi_count,
                format_datetime(plan.submitted_at) if plan and plan.submitted_at else "",
                format_date(row.deadline),
                row.days_left if not (plan and plan.is_submitted) else "",
                format_date(row.extension.until) if row.extension else "",
            ]
        )
    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A3"
    sheet.auto_filter.ref = f"A2:{get_column_letter(len(HEADERS))}{sheet.max_row}"
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
