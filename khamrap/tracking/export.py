"""OPDC's tracking table as an Excel file."""

from khamrap.documents.sheets import report_bytes, report_sheet
from khamrap.frameworks.models import FiscalYear
from khamrap.thai.dates import format_date, format_datetime
from khamrap.tracking.selectors import TrackingRow

HEADERS = (
    "รหัส", "หน่วยงาน", "ประเภท", "กลุ่มจังหวัด", "สถานะ", "จำนวนตัวชี้วัด",
    "วันที่ส่ง", "กำหนดส่ง", "เหลือ (วัน)", "ขยายเวลาถึง",
)  # fmt: skip
WIDTHS = (8, 30, 14, 32, 20, 14, 26, 16, 12, 16)


def tracking_workbook(*, fiscal_year: FiscalYear, rows: list[TrackingRow]) -> bytes:
    book, sheet = report_sheet(
        name="ติดตามการส่ง", title=f"การส่งแบบฟอร์มเจรจาตัวชี้วัด ปีงบประมาณ พ.ศ. {fiscal_year.year}", headers=HEADERS
    )
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
    return report_bytes(book, sheet, widths=WIDTHS)
