"""Excel reports (the tracking table, a plan's history): one look for every table OPDC downloads.

A title on row 1, bold headers on row 2, data from row 3, frozen headers and a filter on them, in Sarabun.
"""

from collections.abc import Sequence
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

FONT = "Sarabun"
FIRST_DATA_ROW = 3


def report_sheet(*, name: str, title: str, headers: Sequence[str]) -> tuple[Workbook, Worksheet]:
    """A new workbook whose one sheet ``name`` has ``title`` and ``headers``; rows go from row 3."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = name
    sheet.append([title])
    sheet["A1"].font = Font(name=FONT, bold=True, size=14)
    sheet.append(list(headers))
    for cell in sheet[2]:
        cell.font = Font(name=FONT, bold=True)
        cell.fill = PatternFill("solid", fgColor="E9EDF5")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    return book, sheet


def report_bytes(book: Workbook, sheet: Worksheet, *, widths: Sequence[float]) -> bytes:
    """The finished report: column widths, frozen headers and a filter over every row."""
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = f"A{FIRST_DATA_ROW}"
    sheet.auto_filter.ref = f"A2:{get_column_letter(len(widths))}{sheet.max_row}"
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
