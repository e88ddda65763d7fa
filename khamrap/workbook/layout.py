"""The layout of the "data disk" (DESIGN.md §5), shared by the writer and the reader.

The workbook is written with openpyxl (``writer``) and read with python-calamine (``reader``); the layout is
described in ``docs/workbook.md``:

- ``คำชี้แจง`` — instructions in Thai;
- ``แบบฟอร์ม`` — one row per KPI, every field of DESIGN.md §5, headers on row 2, data from row 3;
- ``ระดับความสำเร็จ`` — one row per milestone KPI: the code and one cell per level (description on the
  first line, sub-steps on the following lines, each starting with ``-``);
- ``lists`` (hidden) — the choices behind the dropdowns (inline lists stop at 255 characters);
- ``meta`` (hidden) — format version, fiscal year, organisation, and each form row's KPI ``uid``, so a KPI
  keeps its identity through download → edit → upload.

Nothing is parsed before :func:`~khamrap.workbook.guard.workbook_guard` has looked at the raw zip within a memory and time bound:
hostile files (an executable renamed, a zip bomb, macros, formulas, 100,000 rows) never reach a parser.
Reading then collects every problem with sheet, row and column; it never stops at the first.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import TextChoices
from django.utils import translation
from openpyxl.utils import get_column_letter

from khamrap.plans.models import Direction, KpiType
from khamrap.plans.schema import KPI_FIELDS, LEVELS, Kind, KpiField, PlanData, field_label
from khamrap.workbook.guard import WorkbookProblem

FORMAT_NAME = "khamrap-plan-workbook"
FORMAT_VERSION = 1

SHEET_INSTRUCTIONS = "คำชี้แจง"
SHEET_FORM = "แบบฟอร์ม"
SHEET_MILESTONES = "ระดับความสำเร็จ"
SHEET_LISTS = "lists"
SHEET_META = "meta"
SHEET_ORDER = (SHEET_INSTRUCTIONS, SHEET_FORM, SHEET_MILESTONES, SHEET_LISTS, SHEET_META)

TITLE_ROW = 1
HEADER_ROW = 2
FIRST_DATA_ROW = 3
SPARE_FORM_ROWS = 100  # empty, unlocked rows for new KPIs
SPARE_MILESTONE_ROWS = 40
META_FIRST_KPI_ROW = 10  # the uid table of the meta sheet: form row, code, uid

FONT_NAME = "Sarabun"
FONT_SIZE = 12

DEFAULT_UNITS = (
    "ร้อยละ", "ระดับ", "คน", "ราย", "ครัวเรือน", "หมู่บ้าน", "ชุมชน", "ตำบล", "อำเภอ", "แห่ง", "โครงการ",
    "กิจกรรม", "ครั้ง", "เรื่อง", "วัน", "เดือน", "บาท", "ล้านบาท", "ไร่", "ตัน", "กิโลเมตร", "อัตรา",
    "ต่อแสนประชากร",
)  # fmt: skip


def _thai_labels(choices: type[TextChoices]) -> dict[str, str]:
    """A dropdown's Thai labels by stored value: the model's own labels, in Thai whatever the page's language
    (the workbook is always Thai)."""
    with translation.override("th"):
        return {str(value): str(label) for value, label in choices.choices}


KPI_TYPE_LABELS = _thai_labels(KpiType)
FLAG_YES = "ใช่"  # a yes/no field's cell: "ใช่", or blank for no
DIRECTION_LABELS = _thai_labels(Direction)


# --- results -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WorkbookRead:
    """What a workbook says: whose it is, the plan tree, and every problem found on the way."""

    fiscal_year: int | None
    org_code: str | None
    plan: PlanData
    problems: list[WorkbookProblem]
    refused: bool = False  # True when the guard refused the file before any parsing
    revision: int | None = None  # the plan's revision when the workbook was exported

    @property
    def ok(self) -> bool:
        return not self.problems


# --- the form's columns --------------------------------------------------------------------------


@dataclass(frozen=True)
class FormColumn:
    key: str
    label: str
    width: float
    kind: str = "text"  # text, long, number, code, phone, choice

    @property
    def is_number(self) -> bool:
        return self.kind == "number"


def _column(field: KpiField) -> FormColumn:
    kind = {Kind.NUMBER: "number", Kind.PHONE: "phone", Kind.LONG: "long"}.get(field.kind, "text")
    return FormColumn(field.name, field.heading, field.width, kind)


# Strategic issue, goal and the KPI's number, then every exported field of the registry, in its order.
FORM_COLUMNS: tuple[FormColumn, ...] = (
    FormColumn("issue", field_label("issue"), 28, "long"),
    FormColumn("goal", field_label("goal"), 28, "long"),
    FormColumn("code", field_label("code"), 9, "code"),
    *(_column(field) for field in KPI_FIELDS if field.exported),
)
# Columns added at the end after format version 1 was first shipped: a workbook exported before them (no
# heading there) still reads, their cells as empty.
LATE_COLUMNS = frozenset({"is_new"})
FORM_INDEX = {column.key: index for index, column in enumerate(FORM_COLUMNS)}
KPI_KEYS = tuple(column.key for column in FORM_COLUMNS[2:])  # everything right of issue and goal

MILESTONE_COLUMNS: tuple[FormColumn, ...] = (
    FormColumn("code", "ตัวชี้วัดที่", 10, "code"),
    FormColumn("name", "ชื่อตัวชี้วัด (เพื่ออ้างอิง ไม่นำเข้า)", 34, "long"),
    *(FormColumn(f"level_{n}", f"ระดับ {n}", 30, "long") for n in LEVELS),
)
MILESTONE_INDEX = {column.key: index for index, column in enumerate(MILESTONE_COLUMNS)}


def form_letter(key: str) -> str:
    """The Excel column letter of a form field: ``form_letter("target") == "L"``."""
    return get_column_letter(FORM_INDEX[key] + 1)


def milestone_letter(key: str) -> str:
    return get_column_letter(MILESTONE_INDEX[key] + 1)


def baseline_years(fiscal_year: int) -> tuple[int, int, int]:
    """The three previous fiscal years (as ``FiscalYear.baseline_years``; the reader has no model)."""
    return (fiscal_year - 3, fiscal_year - 2, fiscal_year - 1)


def baseline_header(year: int) -> str:
    return f"ข้อมูลพื้นฐาน ปี พ.ศ. {year}"


def form_headers(fiscal_year: int) -> list[str]:
    years = baseline_years(fiscal_year)
    return [
        baseline_header(years[int(column.key[-1]) - 1])
        if column.key.startswith("baseline_")
        else column.label
        for column in FORM_COLUMNS
    ]
