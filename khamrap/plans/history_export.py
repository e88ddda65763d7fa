"""A plan's history as an Excel file: one row per change (an event without changes has one row), in Thai."""

from collections.abc import Iterable

from django.utils import translation
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment

from khamrap.documents.sheets import report_bytes, report_sheet
from khamrap.frameworks.models import FiscalYear
from khamrap.orgs.models import Organisation
from khamrap.plans.history import event_changes
from khamrap.plans.models import PlanEvent
from khamrap.thai.dates import format_datetime

HEADERS = ("วันที่และเวลา", "ผู้แก้ไข", "ช่องทาง", "รายการ", "ตัวชี้วัดที่", "ช่องที่แก้ไข", "ค่าเดิม", "ค่าใหม่", "หมายเหตุ")
WIDTHS = (24, 24, 16, 22, 10, 24, 40, 40, 30)
CELL_LENGTH = 32767  # the most text an Excel cell holds


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
    wrap = Alignment(vertical="top", wrap_text=True)
    for number, row in enumerate(history_rows(events), start=3):
        for column, value in enumerate(row, start=1):
            cell = sheet.cell(number, column)
            cell.alignment = wrap
            if value == "":
                continue  # an empty cell, not an empty text
            cell.value = cell_text(value)
            cell.data_type = "s"  # text that begins with = + - @ stays text, never a live formula
    return report_bytes(book, sheet, widths=WIDTHS)


def cell_text(value: str) -> str:
    text = ILLEGAL_CHARACTERS_RE.sub("", value)
    return text if len(text) <= CELL_LENGTH else text[: CELL_LENGTH - 1] + "…"
