"""A plan's history as an Excel file: one row per change (an event without changes has one row), in Thai."""

from collections.abc import Iterable

from django.utils import translation

from khamrap.documents.sheets import report_bytes, report_sheet, report_text_rows
from khamrap.frameworks.models import FiscalYear
from khamrap.orgs.models import Organisation
from khamrap.plans.history import event_changes
from khamrap.plans.models import PlanEvent
from khamrap.thai.dates import format_datetime

HEADERS = ("วันที่และเวลา", "ผู้แก้ไข", "ช่องทาง", "รายการ", "ตัวชี้วัดที่", "ช่องที่แก้ไข", "ค่าเดิม", "ค่าใหม่", "หมายเหตุ")
WIDTHS = (24, 24, 16, 22, 10, 24, 40, 40, 30)


def history_rows(events: Iterable[PlanEvent]) -> list[list[str]]:
    """The rows of the export, in Thai, from the events as :func:`~khamrap.plans.history.plan_history`
    reads them (no query: the actor is already joined)."""
    rows = []
    with translation.override("th"):  # the file is Thai whatever the page's language
        for event in events:
            head = [
                format_datetime(event.at),
                event.actor.display_name if event.actor else "ระบบ",
                str(event.get_channel_display()),
                str(event.get_kind_display()),
            ]
            changes = event_changes(event, language="th")
            if not changes:
                rows.append([*head, "", "", "", "", event.note])
            for change in changes:
                rows.append([*head, change.code, change.label, change.old, change.new, event.note])
    return rows


def history_workbook(
    *, fiscal_year: FiscalYear, organisation: Organisation, events: Iterable[PlanEvent]
) -> bytes:
    book, sheet = report_sheet(
        name="ประวัติการแก้ไข",
        title=f"ประวัติการแก้ไขแบบฟอร์มเจรจา {organisation.name_th} ปีงบประมาณ พ.ศ. {fiscal_year.year}",
        headers=HEADERS,
    )
    report_text_rows(sheet, history_rows(events))
    return report_bytes(book, sheet, widths=WIDTHS)
