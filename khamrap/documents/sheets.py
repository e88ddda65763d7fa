"""Excel reports (the tracking table, a plan's history, two versions compared, the KPI library): one look for
every table OPDC downloads.

A title on row 1, bold headers on row 2, data from row 3, frozen headers and a filter on them, in Sarabun.
"""

from collections.abc import Iterable, Sequence
from io import BytesIO

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

FONT = "Sarabun"
FIRST_DATA_ROW = 3
CELL_LENGTH = 32_767  # the most characters Excel holds in one cell


def report_sheet(*, name: str, title: str, headers: Sequence[str]) -> tuple[Workbook, Worksheet]:
    """A new workbook whose one sheet ``name`` has ``title`` and ``headers``; rows go from row 3."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    _headed(sheet, name=name, title=title, headers=headers)
    return book, sheet


def report_next_sheet(book: Workbook, *, name: str, title: str, headers: Sequence[str]) -> Worksheet:
    """Another sheet of a report, in the same look as the first."""
    sheet: Worksheet = book.create_sheet()
    _headed(sheet, name=name, title=title, headers=headers)
    return sheet


def _headed(sheet: Worksheet, *, name: str, title: str, headers: Sequence[str]) -> None:
    sheet.title = name
    sheet.append([title])
    sheet["A1"].font = Font(name=FONT, bold=True, size=14)
    sheet.append(list(headers))
    for cell in sheet[2]:
        cell.font = Font(name=FONT, bold=True)
        cell.fill = PatternFill("solid", fgColor="E9EDF5")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def report_text_rows(sheet: Worksheet, rows: Iterable[Sequence[str]]) -> None:
    """Write ``rows`` of text from row 3, top-aligned and wrapped; "" leaves the cell empty. Every value is
    text: one that begins with = + - @ stays text, never a live formula."""
    wrap = Alignment(vertical="top", wrap_text=True)
    for number, row in enumerate(rows, start=FIRST_DATA_ROW):
        for column, value in enumerate(row, start=1):
            cell = sheet.cell(number, column)
            cell.alignment = wrap
            if value == "":
                continue  # an empty cell, not an empty text
            cell.value = cell_text(value)
            cell.data_type = "s"


def cell_text(value: str) -> str:
    """``value`` as a cell holds it: without the characters Excel refuses, cut to a cell's length."""
    text = ILLEGAL_CHARACTERS_RE.sub("", value)
    return text if len(text) <= CELL_LENGTH else text[: CELL_LENGTH - 1] + "…"


def report_layout(sheet: Worksheet, *, widths: Sequence[float]) -> None:
    """A finished sheet: column widths, frozen headers and a filter over every row."""
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = f"A{FIRST_DATA_ROW}"
    sheet.auto_filter.ref = f"A2:{get_column_letter(len(widths))}{sheet.max_row}"


def report_bytes(book: Workbook, sheet: Worksheet, *, widths: Sequence[float]) -> bytes:
    """The finished report (its last sheet laid out with ``widths``)."""
    report_layout(sheet, widths=widths)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
