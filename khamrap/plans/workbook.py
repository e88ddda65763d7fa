"""The "data disk" (DESIGN.md §5): the negotiation form as an Excel workbook, and reading it back.

Written with openpyxl, read with python-calamine (``engine="openpyxl"`` reads the same through openpyxl,
for the benchmark). The layout is described in ``docs/workbook.md``:

- ``คำชี้แจง`` — instructions in Thai;
- ``แบบฟอร์ม`` — one row per KPI, every field of DESIGN.md §5, headers on row 2, data from row 3;
- ``ระดับความสำเร็จ`` — one row per milestone KPI: the code and one cell per level (description on the
  first line, sub-steps on the following lines, each starting with ``-``);
- ``lists`` (hidden) — the choices behind the dropdowns (inline lists stop at 255 characters);
- ``meta`` (hidden) — format version, fiscal year, organisation, and each form row's KPI ``uid``, so a KPI
  keeps its identity through download → edit → upload.

Nothing is parsed before :func:`~khamrap.plans.workbook_guard.workbook_guard` has looked at the raw zip within a memory and time bound:
hostile files (an executable renamed, a zip bomb, macros, formulas, 100,000 rows) never reach a parser.
Reading then collects every problem with sheet, row and column; it never stops at the first.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, Literal

from django.utils import timezone
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from khamrap.core.errors import DomainError
from khamrap.frameworks.models import FiscalYear
from khamrap.orgs.models import Organisation
from khamrap.plans.models import Direction, Goal, Kpi, KpiType, Plan, StrategicIssue
from khamrap.plans.schema import (
    FIELD_LABELS_TH,
    LEVELS,
    GoalData,
    IssueData,
    KpiData,
    LevelData,
    PlanData,
    kpi_problems,
)
from khamrap.plans.selectors import plan_find, plan_tree
from khamrap.plans.workbook_guard import MAX_SHEET_ROWS, WorkbookProblem, file_problem, workbook_guard
from khamrap.thai.numbers import ThaiNumberError, parse_decimal, to_arabic_digits

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

# Limits on what a workbook may be; they bound memory and time before any parser runs.

DEFAULT_UNITS = (
    "ร้อยละ", "ระดับ", "คน", "ราย", "ครัวเรือน", "หมู่บ้าน", "ชุมชน", "ตำบล", "อำเภอ", "แห่ง", "โครงการ",
    "กิจกรรม", "ครั้ง", "เรื่อง", "วัน", "เดือน", "บาท", "ล้านบาท", "ไร่", "ตัน", "กิโลเมตร", "อัตรา",
    "ต่อแสนประชากร",
)  # fmt: skip

KPI_TYPE_LABELS = {KpiType.QUANTITATIVE.value: "เชิงปริมาณ", KpiType.MILESTONE.value: "ระดับความสำเร็จ"}
DIRECTION_LABELS = {Direction.HIGHER.value: "ยิ่งมากยิ่งดี", Direction.LOWER.value: "ยิ่งน้อยยิ่งดี"}


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


def _label(key: str) -> str:
    return FIELD_LABELS_TH[key]


FORM_COLUMNS: tuple[FormColumn, ...] = (
    FormColumn("issue", _label("issue"), 28, "long"),
    FormColumn("goal", _label("goal"), 28, "long"),
    FormColumn("code", "ตัวชี้วัดที่", 9, "code"),
    FormColumn("name", _label("name"), 40, "long"),
    FormColumn("unit", _label("unit"), 12, "choice"),
    FormColumn("weight", "น้ำหนัก (ร้อยละ)", 10, "number"),
    FormColumn("kpi_type", _label("kpi_type"), 16, "choice"),
    FormColumn("direction", _label("direction"), 15, "choice"),
    *(FormColumn(f"baseline_{n}", "ข้อมูลพื้นฐาน", 13, "number") for n in (1, 2, 3)),
    FormColumn("target", _label("target"), 12, "number"),
    *(FormColumn(f"criteria_{n}", _label(f"criteria_{n}"), 11, "number") for n in LEVELS),
    FormColumn("definition", _label("definition"), 40, "long"),
    FormColumn("formula", _label("formula"), 30, "long"),
    FormColumn("data_source", _label("data_source"), 24, "long"),
    FormColumn("supervisor_name", _label("supervisor_name"), 22),
    FormColumn("supervisor_phone", _label("supervisor_phone"), 15, "phone"),
    FormColumn("collector_name", _label("collector_name"), 22),
    FormColumn("collector_phone", _label("collector_phone"), 15, "phone"),
    FormColumn("remarks", _label("remarks"), 30, "long"),
)
FORM_INDEX = {column.key: index for index, column in enumerate(FORM_COLUMNS)}
KPI_KEYS = tuple(column.key for column in FORM_COLUMNS[2:])  # everything right of issue and goal
TEXT_KEYS = (
    "unit", "definition", "formula", "data_source", "supervisor_name", "supervisor_phone",
    "collector_name", "collector_phone", "remarks",
)  # fmt: skip

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


# --- export --------------------------------------------------------------------------------------

_THIN = Side(style="thin", color="9AA5B8")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def _styles() -> dict[str, NamedStyle]:
    font = Font(name=FONT_NAME, size=FONT_SIZE)
    top_wrap = Alignment(vertical="top", wrap_text=True)
    unlocked = Protection(locked=False)
    return {
        "title": NamedStyle(
            "kh_title", font=Font(name=FONT_NAME, size=FONT_SIZE + 4, bold=True, color="1C3664")
        ),
        "text": NamedStyle("kh_text", font=font, alignment=top_wrap),
        "bold": NamedStyle(
            "kh_bold", font=Font(name=FONT_NAME, size=FONT_SIZE, bold=True), alignment=top_wrap
        ),
        "header": NamedStyle(
            "kh_header",
            font=Font(name=FONT_NAME, size=FONT_SIZE, bold=True, color="1C3664"),
            fill=PatternFill("solid", fgColor="E9EDF5"),
            alignment=Alignment(horizontal="center", vertical="center", wrap_text=True),
            border=_BORDER,
        ),
        "cell": NamedStyle("kh_cell", font=font, alignment=top_wrap, border=_BORDER, protection=unlocked),
        "cell_text": NamedStyle(
            "kh_cell_text",
            font=font,
            alignment=top_wrap,
            border=_BORDER,
            protection=unlocked,
            number_format="@",
        ),
        "cell_number": NamedStyle(
            "kh_cell_number",
            font=font,
            alignment=Alignment(vertical="top", horizontal="right"),
            border=_BORDER,
            protection=unlocked,
            number_format="General",
        ),
    }


def _cell_style(column: FormColumn) -> str:
    if column.kind in {"code", "phone"}:
        return "kh_cell_text"
    if column.is_number:
        return "kh_cell_number"
    return "kh_cell"


def _protect(ws: Worksheet) -> None:
    # A convenience against accidental edits of headers, not security: there is no password.
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    ws.protection.insertRows = False
    ws.protection.deleteRows = False


def workbook_export(*, plan: Plan) -> bytes:
    """The plan as the "data disk" workbook, pre-filled with what is already entered.

    A plan not saved yet exports as an empty form. Queries: the plan tree (four) and nothing per KPI.
    """
    data = plan_tree(plan) if plan.pk else PlanData()
    fiscal_year = plan.fiscal_year.year
    organisation = plan.organisation
    wb = Workbook()
    for style in _styles().values():
        wb.add_named_style(style)
    instructions = wb.active
    assert instructions is not None
    instructions.title = SHEET_INSTRUCTIONS
    form = wb.create_sheet(SHEET_FORM)
    milestones = wb.create_sheet(SHEET_MILESTONES)
    lists = wb.create_sheet(SHEET_LISTS)
    meta = wb.create_sheet(SHEET_META)
    title = f"แบบฟอร์มเจรจาข้อตกลงตัวชี้วัด ตัวชี้วัดที่ 1 · {organisation.name_th} · ปีงบประมาณ พ.ศ. {fiscal_year}"

    _write_instructions(instructions, title=title, fiscal_year=fiscal_year)
    form_uids = _write_form(form, data=data, title=title, fiscal_year=fiscal_year)
    _write_milestones(milestones, data=data)
    unit_count = _write_lists(lists, data=data)
    _add_dropdowns(form, unit_count=unit_count)
    _write_meta(meta, plan=plan, form_uids=form_uids)

    for ws in (instructions, form, milestones):
        _protect(ws)
    for ws in (lists, meta):
        _protect(ws)
        ws.sheet_state = "hidden"
    wb.active = 1  # open on the form, and only it selected: two selected tabs are "grouped" in Excel
    instructions.sheet_view.tabSelected = False
    form.sheet_view.tabSelected = True
    wb.security = WorkbookProtection(lockStructure=True)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


INSTRUCTIONS = (
    "วิธีกรอกแบบฟอร์ม",
    "1. กรอกตัวชี้วัดในแผ่น 'แบบฟอร์ม' หนึ่งแถวต่อหนึ่งตัวชี้วัด ตามหัวคอลัมน์ในแถวที่ 2 "
    "(เฉพาะช่องสีขาวที่แก้ไขได้ หัวตารางถูกป้องกันไว้โดยไม่มีรหัสผ่าน)",
    "2. ประเด็นยุทธศาสตร์และเป้าประสงค์: ระบุในทุกแถว หรือเว้นว่างเมื่อเหมือนแถวก่อนหน้า "
    "แถวที่มีเฉพาะประเด็นยุทธศาสตร์/เป้าประสงค์ (ไม่มีตัวชี้วัด) ก็บันทึกได้",
    "3. ตัวชี้วัดที่: คงรหัสเดิมของตัวชี้วัดที่มีอยู่แล้วไว้ (ระบบใช้รหัสนี้ติดตามตัวชี้วัดเดิม) "
    "ตัวชี้วัดใหม่ให้ตั้งรหัสที่ไม่ซ้ำ เช่น 1.9 ระบบจะเรียงเลขใหม่ตามลำดับแถวให้เอง",
    "4. หน่วยวัด ประเภทตัวชี้วัด และทิศทาง: เลือกจากรายการ (หน่วยวัดอื่นพิมพ์เองได้)",
    "5. ตัวเลข: น้ำหนัก ข้อมูลพื้นฐาน ค่าเป้าหมาย และเกณฑ์ ใส่เป็นตัวเลข ทศนิยมไม่เกิน 4 ตำแหน่ง "
    "ใช้เลขไทยหรือจุลภาคคั่นหลักพันได้ (เช่น ๑,๒๓๔.๕) ห้ามใส่เครื่องหมาย %",
    "6. ข้อมูลพื้นฐาน: ผลการดำเนินงานของ 3 ปีงบประมาณก่อนหน้า ตามปี พ.ศ. ที่หัวคอลัมน์",
    "7. เกณฑ์การให้คะแนน ระดับ 1–5: ถ้ายิ่งมากยิ่งดี ค่าต้องเพิ่มขึ้นจากระดับ 1 ถึง 5 "
    "ถ้ายิ่งน้อยยิ่งดี ค่าต้องลดลง ค่าเป้าหมายโดยปกติคือค่าของระดับ 3",
    "8. ตัวชี้วัดประเภทระดับความสำเร็จ: ไม่ต้องกรอกเกณฑ์ในแผ่น 'แบบฟอร์ม' แต่กรอกคำอธิบายแต่ละระดับ "
    "ในแผ่น 'ระดับความสำเร็จ' หนึ่งแถวต่อหนึ่งตัวชี้วัด โดยใช้รหัสตัวชี้วัดเดียวกัน "
    "บรรทัดแรกของแต่ละช่องคือคำอธิบายระดับ บรรทัดถัดไปที่ขึ้นต้นด้วย '-' คือขั้นตอนย่อย "
    "(ขึ้นบรรทัดใหม่ในเซลล์: Alt+Enter ใน Excel, Ctrl+Enter ใน LibreOffice)",
    "9. ลบตัวชี้วัด: ลบข้อความทั้งแถว (แถวว่างจะถูกข้าม)",
    "10. ห้ามใช้สูตรคำนวณหรือมาโคร ห้ามเปลี่ยนชื่อหรือลบแผ่นงาน และบันทึกเป็นไฟล์ .xlsx เท่านั้น "
    "(ถ้าคัดลอกจากไฟล์อื่นที่มีสูตร ให้วางแบบค่า: วางแบบพิเศษ → ค่า)",
    "11. นำเข้า: อัปโหลดไฟล์ที่หน้าแบบฟอร์มเจรจาของหน่วยงาน ระบบจะตรวจทั้งไฟล์ก่อน "
    "แจ้งปัญหาทุกจุดพร้อมแผ่นงาน แถว และคอลัมน์ แล้วจึงบันทึกทั้งหมดพร้อมกัน "
    "(ถ้ามีปัญหาแม้จุดเดียว จะไม่บันทึกข้อมูลใดเลย) ไฟล์นี้ใช้ได้กับหน่วยงานและปีงบประมาณข้างต้นเท่านั้น",
)


def _write_instructions(ws: Worksheet, *, title: str, fiscal_year: int) -> None:
    ws.column_dimensions["A"].width = 130
    ws.cell(1, 1, title).style = "kh_title"
    years = " ".join(str(y) for y in baseline_years(fiscal_year))
    ws.cell(2, 1, f"ข้อมูลพื้นฐาน: ปีงบประมาณ พ.ศ. {years}").style = "kh_text"
    for offset, line in enumerate(INSTRUCTIONS):
        cell = ws.cell(4 + offset, 1, line)
        cell.style = "kh_bold" if offset == 0 else "kh_text"
    start = 6 + len(INSTRUCTIONS)
    ws.cell(start, 1, "คอลัมน์ในแผ่น 'แบบฟอร์ม'").style = "kh_bold"
    for offset, header in enumerate(form_headers(fiscal_year)):
        letter = get_column_letter(offset + 1)
        ws.cell(start + 1 + offset, 1, f"{letter}  {header}").style = "kh_text"


def _write_form(ws: Worksheet, *, data: PlanData, title: str, fiscal_year: int) -> list[tuple[int, str, str]]:
    """Write the KPI rows; return (form row, code, uid) of each KPI row for the meta sheet."""
    ws.cell(TITLE_ROW, 1, title).style = "kh_title"
    for index, (column, header) in enumerate(
        zip(FORM_COLUMNS, form_headers(fiscal_year), strict=True), start=1
    ):
        ws.cell(HEADER_ROW, index, header).style = "kh_header"
        ws.column_dimensions[get_column_letter(index)].width = column.width
    ws.row_dimensions[HEADER_ROW].height = 48
    rows: list[dict[str, Any]] = []
    uids: list[tuple[int, str, str]] = []
    for issue in data.issues:
        if not issue.goals:
            rows.append({"issue": issue.name})
        for goal in issue.goals:
            if not goal.kpis:
                rows.append({"issue": issue.name, "goal": goal.name})
            for kpi in goal.kpis:
                rows.append({"issue": issue.name, "goal": goal.name, **_kpi_cells(kpi)})
                uids.append((FIRST_DATA_ROW + len(rows) - 1, kpi.code, kpi.uid or ""))
    filled = FIRST_DATA_ROW + len(rows) - 1
    last_row = max(filled, min(filled + SPARE_FORM_ROWS, MAX_SHEET_ROWS))
    styles = [_cell_style(column) for column in FORM_COLUMNS]
    for row_number in range(FIRST_DATA_ROW, last_row + 1):
        values = rows[row_number - FIRST_DATA_ROW] if row_number - FIRST_DATA_ROW < len(rows) else {}
        for index, column in enumerate(FORM_COLUMNS):
            cell = ws.cell(row_number, index + 1, values.get(column.key))
            cell.style = styles[index]
    ws.freeze_panes = f"{form_letter('name')}{FIRST_DATA_ROW}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    return uids


def _kpi_cells(kpi: KpiData) -> dict[str, Any]:
    cells: dict[str, Any] = {
        "code": kpi.code,
        "name": kpi.name,
        "weight": kpi.weight,
        "kpi_type": KPI_TYPE_LABELS.get(kpi.kpi_type, kpi.kpi_type),
        "direction": DIRECTION_LABELS.get(kpi.direction, kpi.direction),
        "target": kpi.target,
        **{f"baseline_{n}": value for n, value in enumerate(kpi.baselines, start=1)},
        **{f"criteria_{n}": value for n, value in enumerate(kpi.criteria, start=1)},
        **{key: getattr(kpi, key) for key in TEXT_KEYS},
    }
    return {key: (value if value != "" else None) for key, value in cells.items()}


def level_cell_text(level: LevelData) -> str:
    """One milestone level as one cell: the description, then one ``- sub-step`` per line."""
    return "\n".join([level.description, *(f"- {step}" for step in level.substeps)])


def _write_milestones(ws: Worksheet, *, data: PlanData) -> None:
    ws.cell(
        TITLE_ROW, 1, "คำอธิบายระดับของตัวชี้วัดประเภทระดับความสำเร็จ (บรรทัดที่ขึ้นต้นด้วย - คือขั้นตอนย่อย)"
    ).style = "kh_title"
    for index, column in enumerate(MILESTONE_COLUMNS, start=1):
        ws.cell(HEADER_ROW, index, column.label).style = "kh_header"
        ws.column_dimensions[get_column_letter(index)].width = column.width
    milestone_kpis = [kpi for kpi in data.kpis() if kpi.kpi_type == KpiType.MILESTONE]
    last_row = FIRST_DATA_ROW + len(milestone_kpis) + SPARE_MILESTONE_ROWS - 1
    styles = [_cell_style(column) for column in MILESTONE_COLUMNS]
    for row_number in range(FIRST_DATA_ROW, last_row + 1):
        offset = row_number - FIRST_DATA_ROW
        values: dict[str, Any] = {}
        if offset < len(milestone_kpis):
            kpi = milestone_kpis[offset]
            values = {"code": kpi.code, "name": kpi.name}
            values.update(
                {f"level_{lv.level}": level_cell_text(lv) for lv in kpi.levels if lv.level in LEVELS}
            )
            lines = max((str(v).count("\n") + 1 for v in values.values()), default=1)
            ws.row_dimensions[row_number].height = max(20, 18 * lines)
        for index, column in enumerate(MILESTONE_COLUMNS):
            ws.cell(row_number, index + 1, values.get(column.key)).style = styles[index]
    ws.freeze_panes = f"C{FIRST_DATA_ROW}"


def _write_lists(ws: Worksheet, *, data: PlanData) -> int:
    units = list(DEFAULT_UNITS)
    units += sorted({kpi.unit for kpi in data.kpis() if kpi.unit and kpi.unit not in DEFAULT_UNITS})
    for row, label in enumerate(KPI_TYPE_LABELS.values(), start=1):
        ws.cell(row, 1, label)
    for row, label in enumerate(DIRECTION_LABELS.values(), start=1):
        ws.cell(row, 2, label)
    for row, unit in enumerate(units, start=1):
        ws.cell(row, 3, unit)
    return len(units)


def _add_dropdowns(ws: Worksheet, *, unit_count: int) -> None:
    last = ws.max_row
    specs: tuple[tuple[str, str, Literal["stop", "warning"], str], ...] = (
        ("kpi_type", f"={SHEET_LISTS}!$A$1:$A${len(KPI_TYPE_LABELS)}", "stop", "เลือกประเภทตัวชี้วัดจากรายการ"),
        ("direction", f"={SHEET_LISTS}!$B$1:$B${len(DIRECTION_LABELS)}", "stop", "เลือกทิศทางจากรายการ"),
        ("unit", f"={SHEET_LISTS}!$C$1:$C${unit_count}", "warning", "หน่วยวัดนี้ไม่อยู่ในรายการ ใช้ต่อหรือไม่"),
    )
    for key, formula, error_style, error in specs:
        validation = DataValidation(
            type="list",
            formula1=formula,
            allow_blank=True,
            showErrorMessage=True,
            errorStyle=error_style,
            errorTitle=FIELD_LABELS_TH[key],
            error=error,
        )
        letter = form_letter(key)
        validation.add(f"{letter}{FIRST_DATA_ROW}:{letter}{last}")
        ws.add_data_validation(validation)


def _write_meta(ws: Worksheet, *, plan: Plan, form_uids: list[tuple[int, str, str]]) -> None:
    header = (
        ("format", FORMAT_NAME),
        ("version", str(FORMAT_VERSION)),
        ("fiscal_year", str(plan.fiscal_year.year)),
        ("organisation", plan.organisation.code),
        ("revision", str(plan.revision if plan.pk else 0)),
        ("exported_at", timezone.now().isoformat(timespec="seconds")),
    )
    for row, (key, value) in enumerate(header, start=1):
        ws.cell(row, 1, key)
        ws.cell(row, 2, value)
    ws.cell(META_FIRST_KPI_ROW - 1, 1, "form_row")
    ws.cell(META_FIRST_KPI_ROW - 1, 2, "code")
    ws.cell(META_FIRST_KPI_ROW - 1, 3, "uid")
    for offset, (form_row, code, uid) in enumerate(form_uids):
        ws.cell(META_FIRST_KPI_ROW + offset, 1, str(form_row))
        ws.cell(META_FIRST_KPI_ROW + offset, 2, code)
        ws.cell(META_FIRST_KPI_ROW + offset, 3, uid)


# --- reading -------------------------------------------------------------------------------------

Grid = list[list[Any]]
WANTED_SHEETS = (SHEET_FORM, SHEET_MILESTONES, SHEET_META)


def _load_sheets(data: bytes, engine: str) -> dict[str, Grid]:
    """The wanted sheets as grids whose [0][0] is cell A1, whatever the engine."""
    if engine == "calamine":
        from python_calamine import CalamineWorkbook

        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        try:
            return {
                name: book.get_sheet_by_name(name).to_python(skip_empty_area=False)
                for name in book.sheet_names
                if name in WANTED_SHEETS
            }
        finally:
            book.close()
    if engine == "openpyxl":
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            return {
                name: [list(row) for row in wb[name].iter_rows(min_row=1, min_col=1, values_only=True)]
                for name in wb.sheetnames
                if name in WANTED_SHEETS
            }
        finally:
            wb.close()
    raise ValueError(f"unknown engine {engine!r}")


def workbook_read(data: bytes, *, engine: str = "calamine") -> WorkbookRead:
    """Read a workbook into plan data, collecting every problem with sheet, row and column."""
    problems = workbook_guard(data)
    if problems:
        return WorkbookRead(fiscal_year=None, org_code=None, plan=PlanData(), problems=problems, refused=True)
    try:
        sheets = _load_sheets(data, engine)
    except Exception:  # the engines raise their own types for files they cannot read
        problem = file_problem("อ่านไฟล์นี้ไม่ได้ ไฟล์อาจเสียหาย กรุณาเปิดแล้วบันทึกเป็น .xlsx ใหม่อีกครั้ง")
        return WorkbookRead(
            fiscal_year=None, org_code=None, plan=PlanData(), problems=[problem], refused=True
        )
    return _Reader(sheets).read()


def cell_text(value: Any) -> str:
    """A cell as text: whole-number floats (calamine gives ``1.0``) without ``.0``, line ends as ``\\n``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, str):
        return value.replace("\r\n", "\n").replace("\r", "\n").strip()
    return str(value).strip()


class _CellError(Exception):
    pass


def cell_decimal(value: Any, label: str) -> Decimal | None:
    """A number cell as an exact Decimal; raises ``_CellError`` with a Thai message."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise _CellError(f"{label} ต้องเป็นตัวเลข (พบค่า {'TRUE' if value else 'FALSE'})")
    if isinstance(value, datetime | date | time | timedelta):
        raise _CellError(
            f"{label} ต้องเป็นตัวเลข แต่เซลล์นี้เป็นวันที่หรือเวลา (Excel อาจแปลงให้เอง) กรุณาจัดรูปแบบเซลล์เป็นตัวเลขแล้วพิมพ์ใหม่"
        )
    if isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise _CellError(f"{label} ต้องเป็นตัวเลข")
        number = Decimal(repr(value))  # the shortest text that round-trips: 12.5, not 12.4999…
    else:
        try:
            number = parse_decimal(str(value))
        except ThaiNumberError:
            raise _CellError(f'{label} ต้องเป็นตัวเลข (พบ "{str(value).strip()}")') from None
    normal = number.normalize()
    exponent = normal.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -4:
        raise _CellError(f"{label} มีทศนิยมได้ไม่เกิน 4 ตำแหน่ง (พบ {number:f})")
    if normal.adjusted() >= 16:
        raise _CellError(f"{label} มีค่ามากเกินไป ({number:f})")
    return number


def _choice(text: str, labels: dict[str, str]) -> str:
    """The stored value of a dropdown cell: its Thai label or the stored value itself; else the text."""
    squeezed = re.sub(r"\s+", "", text)
    for value, label in labels.items():
        if squeezed in {label, value} or squeezed.lower() == value:
            return value
    return text


def _max_length(model: type[Kpi] | type[StrategicIssue] | type[Goal], name: str) -> int | None:
    return getattr(model._meta.get_field(name), "max_length", None)


MAX_LENGTHS: dict[str, int | None] = {
    "issue": _max_length(StrategicIssue, "name"),
    "goal": _max_length(Goal, "name"),
    "code": _max_length(Kpi, "code"),
    **{key: _max_length(Kpi, key) for key in ("name", *TEXT_KEYS)},
}


@dataclass
class _FormRow:
    row: int
    issue: str
    goal: str
    kpi: KpiData | None
    failed: set[str] = field(default_factory=set)  # fields that already have a problem


@dataclass
class _MilestoneRow:
    row: int
    levels: tuple[LevelData, ...]


def _padded(row: Sequence[Any], width: int) -> list[Any]:
    values = list(row[:width])
    return values + [None] * (width - len(values))


def parse_level_cell(text: str, level: int) -> LevelData:
    """The inverse of :func:`level_cell_text`: lines starting with ``-``/``•``/``*`` are sub-steps."""
    description: list[str] = []
    steps: list[str] = []
    for line in text.split("\n"):
        marker = re.match(r"\s*[-•*]\s?", line)
        if marker:
            step = line[marker.end() :].strip()
            if step:
                steps.append(step)
        elif line.strip():
            description.append(line.strip())
    return LevelData(level=level, description="\n".join(description), substeps=tuple(steps))


class _Reader:
    def __init__(self, sheets: dict[str, Grid]) -> None:
        self.sheets = sheets
        self.problems: list[WorkbookProblem] = []
        self.form_readable = True  # False when the form sheet is missing or its columns moved
        self.revision: int | None = None

    def problem(self, sheet: str, row: int | None, column: str, message: str) -> None:
        self.problems.append(WorkbookProblem(sheet, row, column, message))

    def read(self) -> WorkbookRead:
        fiscal_year, org_code, uid_by_row, uid_by_code = self._meta()
        revision = self.revision
        form_rows = self._form(fiscal_year)
        milestone_rows = self._milestones()
        form_rows = self._attach_identity_and_levels(form_rows, milestone_rows, uid_by_row, uid_by_code)
        for form_row in form_rows:
            if form_row.kpi is not None:
                self._check_kpi(form_row, milestone_rows)
        plan = _tree(form_rows)
        order = {name: index for index, name in enumerate(("", *SHEET_ORDER))}
        self.problems.sort(key=lambda p: (order.get(p.sheet, 99), p.row or 0, len(p.column), p.column))
        return WorkbookRead(
            fiscal_year=fiscal_year, org_code=org_code, plan=plan, problems=self.problems, revision=revision
        )

    # the hidden meta sheet: whose workbook, and the KPI identities

    def _meta(self) -> tuple[int | None, str | None, dict[tuple[int, str], str], dict[str, str]]:
        grid = self.sheets.get(SHEET_META)
        if grid is None:
            self.problem(
                "", None, "", "ไม่พบข้อมูลระบบ (แผ่น meta) ในไฟล์ กรุณาดาวน์โหลดแบบฟอร์มจากระบบแล้วกรอกในไฟล์นั้น"
            )
            return None, None, {}, {}
        values = {
            cell_text(row[0]): cell_text(row[1]) for row in grid[: META_FIRST_KPI_ROW - 1] if len(row) >= 2
        }
        if values.get("format") != FORMAT_NAME:
            self.problem("", None, "", "ไฟล์นี้ไม่ใช่แบบฟอร์มเจรจาที่ดาวน์โหลดจากระบบ กรุณาดาวน์โหลดแบบฟอร์มใหม่")
            return None, None, {}, {}
        if values.get("version") != str(FORMAT_VERSION):
            self.problem("", None, "", "แบบฟอร์มนี้เป็นรุ่นเก่าที่ระบบไม่รองรับแล้ว กรุณาดาวน์โหลดแบบฟอร์มใหม่แล้วกรอกอีกครั้ง")
        revision_text = values.get("revision", "")
        self.revision = int(revision_text) if revision_text.isdigit() else None
        year_text = to_arabic_digits(values.get("fiscal_year", ""))
        fiscal_year = int(year_text) if year_text.isdigit() else None
        org_code = values.get("organisation") or None
        if fiscal_year is None or org_code is None:
            self.problem("", None, "", "ข้อมูลระบบในไฟล์ไม่ครบ (ปีงบประมาณหรือหน่วยงาน) กรุณาดาวน์โหลดแบบฟอร์มใหม่")
        uid_by_row: dict[tuple[int, str], str] = {}
        uid_by_code: dict[str, str] = {}
        codes_seen: set[str] = set()
        for row in grid[META_FIRST_KPI_ROW - 1 :]:
            form_row, code, uid = (cell_text(v) for v in _padded(row, 3))
            if not uid or not form_row.isdigit():
                continue
            uid_by_row[(int(form_row), code)] = uid
            if code in codes_seen:
                uid_by_code.pop(code, None)  # ambiguous: identity only by row then
            else:
                uid_by_code[code] = uid
                codes_seen.add(code)
        return fiscal_year, org_code, uid_by_row, uid_by_code

    # the form sheet

    def _form(self, fiscal_year: int | None) -> list[_FormRow]:
        grid = self.sheets.get(SHEET_FORM)
        if grid is None:
            self.problem("", None, "", f"ไม่พบแผ่นงาน '{SHEET_FORM}' ในไฟล์ (ห้ามเปลี่ยนชื่อหรือลบแผ่นงาน)")
            self.form_readable = False
            return []
        if not self._headers_ok(grid, fiscal_year):
            self.form_readable = False
            return []
        rows: list[_FormRow] = []
        issue = goal = ""
        codes: dict[str, int] = {}
        width = len(FORM_COLUMNS)
        for row_number, raw in enumerate(grid[FIRST_DATA_ROW - 1 :], start=FIRST_DATA_ROW):
            values = _padded(raw, width)
            if len(raw) > width and any(cell_text(v) for v in raw[width:]):
                column = next(i for i, v in enumerate(raw) if i >= width and cell_text(v))
                self.problem(
                    SHEET_FORM,
                    row_number,
                    get_column_letter(column + 1),
                    "มีข้อมูลนอกคอลัมน์ของแบบฟอร์ม ระบบไม่นำเข้า กรุณาย้ายไปไว้ในคอลัมน์ที่ถูกต้องหรือลบออก",
                )
            texts = {key: cell_text(values[FORM_INDEX[key]]) for key in ("issue", "goal")}
            has_kpi = any(cell_text(values[FORM_INDEX[key]]) for key in KPI_KEYS)
            if not texts["issue"] and not texts["goal"] and not has_kpi:
                continue
            failed: set[str] = set()
            if texts["issue"] and texts["issue"] != issue:
                issue, goal = texts["issue"], ""
            if texts["goal"]:
                goal = texts["goal"]
            if not issue:
                failed.add("issue")
                self.problem(SHEET_FORM, row_number, form_letter("issue"), "กรุณาระบุประเด็นยุทธศาสตร์")
            if has_kpi and not goal:
                failed.add("goal")
                self.problem(SHEET_FORM, row_number, form_letter("goal"), "กรุณาระบุเป้าประสงค์")
            for key, text in (("issue", issue), ("goal", goal)):
                self._check_length(row_number, key, text, failed)
            kpi = self._kpi(row_number, values, failed, codes, fiscal_year) if has_kpi else None
            if failed & {"issue", "goal"} and kpi is None:
                continue
            rows.append(_FormRow(row=row_number, issue=issue, goal=goal, kpi=kpi, failed=failed))
        return rows

    def _headers_ok(self, grid: Grid, fiscal_year: int | None) -> bool:
        header = _padded(grid[HEADER_ROW - 1], len(FORM_COLUMNS)) if len(grid) >= HEADER_ROW else []
        header = header or [None] * len(FORM_COLUMNS)
        expected_years = baseline_years(fiscal_year) if fiscal_year else None
        columns_ok = True
        for index, column in enumerate(FORM_COLUMNS):
            letter = get_column_letter(index + 1)
            text = cell_text(header[index])
            if column.key.startswith("baseline_"):
                if not text.startswith("ข้อมูลพื้นฐาน"):
                    columns_ok = False
                    self.problem(
                        SHEET_FORM, HEADER_ROW, letter, f"หัวคอลัมน์ต้องเป็น 'ข้อมูลพื้นฐาน ปี พ.ศ. ...' (พบ '{text}')"
                    )
                    continue
                year_match = re.search(r"[0-9]{4}", to_arabic_digits(text))
                if expected_years is None:
                    continue
                expected = expected_years[int(column.key[-1]) - 1]
                if year_match is None or int(year_match.group()) != expected:
                    found = year_match.group() if year_match else "ไม่ระบุปี"
                    self.problem(
                        SHEET_FORM,
                        HEADER_ROW,
                        letter,
                        f"ปีของข้อมูลพื้นฐานต้องเป็น พ.ศ. {expected} (พบ {found}) เพราะข้อมูลพื้นฐานของ"
                        f"ปีงบประมาณ พ.ศ. {fiscal_year} คือผลของปี {expected_years[0]}–{expected_years[2]}",
                    )
            elif re.sub(r"\s+", " ", text) != column.label:
                columns_ok = False
                self.problem(SHEET_FORM, HEADER_ROW, letter, f"หัวคอลัมน์ต้องเป็น '{column.label}' (พบ '{text}')")
        if not columns_ok:
            self.problem(
                SHEET_FORM,
                HEADER_ROW,
                "",
                "คอลัมน์ของแบบฟอร์มถูกย้าย เพิ่ม หรือลบ ระบบจึงไม่อ่านข้อมูลในแผ่นนี้ กรุณาดาวน์โหลดแบบฟอร์มใหม่แล้วคัดลอกข้อมูลลงไป",
            )
        return columns_ok

    def _check_length(self, row: int, key: str, text: str, failed: set[str]) -> None:
        limit = MAX_LENGTHS.get(key)
        if limit is not None and len(text) > limit and key not in failed:
            failed.add(key)
            label = "ตัวชี้วัดที่" if key == "code" else FIELD_LABELS_TH[key]
            self.problem(
                SHEET_FORM, row, form_letter(key), f"{label} ยาวได้ไม่เกิน {limit:,} ตัวอักษร (มี {len(text):,})"
            )

    def _kpi(
        self, row: int, values: list[Any], failed: set[str], codes: dict[str, int], fiscal_year: int | None
    ) -> KpiData:
        def text(key: str) -> str:
            value = cell_text(values[FORM_INDEX[key]])
            self._check_length(row, key, value, failed)
            return value

        def number(key: str) -> Decimal | None:
            try:
                return cell_decimal(values[FORM_INDEX[key]], self._number_label(key, fiscal_year))
            except _CellError as error:
                failed.add(key)
                self.problem(SHEET_FORM, row, form_letter(key), str(error))
                return None

        code = text("code")
        if code:
            if code in codes:
                failed.add("code")
                self.problem(
                    SHEET_FORM,
                    row,
                    form_letter("code"),
                    f"รหัสตัวชี้วัด {code} ซ้ำกับแถวที่ {codes[code]} กรุณาตั้งรหัสที่ไม่ซ้ำกัน",
                )
            else:
                codes[code] = row
        kpi_type = _choice(text("kpi_type"), KPI_TYPE_LABELS)
        direction = _choice(text("direction"), DIRECTION_LABELS)
        if kpi_type == KpiType.MILESTONE and not direction:
            direction = Direction.HIGHER  # a milestone KPI's levels go up; the dropdown may be left empty
        return KpiData(
            name=text("name"),
            code=code,
            unit=text("unit"),
            weight=number("weight"),
            kpi_type=kpi_type,
            direction=direction,
            baselines=(number("baseline_1"), number("baseline_2"), number("baseline_3")),
            target=number("target"),
            criteria=tuple(number(f"criteria_{n}") for n in LEVELS),
            definition=text("definition"),
            formula=text("formula"),
            data_source=text("data_source"),
            supervisor_name=text("supervisor_name"),
            supervisor_phone=text("supervisor_phone"),
            collector_name=text("collector_name"),
            collector_phone=text("collector_phone"),
            remarks=text("remarks"),
        )

    @staticmethod
    def _number_label(key: str, fiscal_year: int | None) -> str:
        if key.startswith("baseline_") and fiscal_year:
            return f"ข้อมูลพื้นฐานปี {baseline_years(fiscal_year)[int(key[-1]) - 1]}"
        return FIELD_LABELS_TH[key]

    # the milestone sheet

    def _milestones(self) -> dict[str, _MilestoneRow]:
        grid = self.sheets.get(SHEET_MILESTONES)
        if grid is None:
            self.problem("", None, "", f"ไม่พบแผ่นงาน '{SHEET_MILESTONES}' ในไฟล์ (ห้ามเปลี่ยนชื่อหรือลบแผ่นงาน)")
            return {}
        header = _padded(grid[HEADER_ROW - 1], len(MILESTONE_COLUMNS)) if len(grid) >= HEADER_ROW else []
        for index, column in enumerate(MILESTONE_COLUMNS):
            found = cell_text(header[index]) if header else ""
            if found != column.label:
                self.problem(
                    SHEET_MILESTONES,
                    HEADER_ROW,
                    get_column_letter(index + 1),
                    f"หัวคอลัมน์ต้องเป็น '{column.label}' (พบ '{found}') ระบบจึงไม่อ่านข้อมูลในแผ่นนี้",
                )
                return {}
        rows: dict[str, _MilestoneRow] = {}
        width = len(MILESTONE_COLUMNS)
        for row_number, raw in enumerate(grid[FIRST_DATA_ROW - 1 :], start=FIRST_DATA_ROW):
            values = _padded(raw, width)
            code = cell_text(values[MILESTONE_INDEX["code"]])
            cells = {n: cell_text(values[MILESTONE_INDEX[f"level_{n}"]]) for n in LEVELS}
            if not code and not any(cells.values()):
                continue
            if not code:
                self.problem(
                    SHEET_MILESTONES,
                    row_number,
                    milestone_letter("code"),
                    "กรุณาระบุรหัสตัวชี้วัด (ตัวชี้วัดที่) ให้ตรงกับแผ่น 'แบบฟอร์ม'",
                )
                continue
            if code in rows:
                self.problem(
                    SHEET_MILESTONES,
                    row_number,
                    milestone_letter("code"),
                    f"ตัวชี้วัด {code} มีคำอธิบายระดับซ้ำกับแถวที่ {rows[code].row} กรุณารวมไว้แถวเดียว",
                )
                continue
            levels = tuple(parse_level_cell(text, n) for n, text in cells.items() if text)
            for lv in levels:
                if not lv.description:
                    self.problem(
                        SHEET_MILESTONES,
                        row_number,
                        milestone_letter(f"level_{lv.level}"),
                        f"ระดับ {lv.level}: บรรทัดแรกต้องเป็นคำอธิบายระดับ (บรรทัดที่ขึ้นต้นด้วย - คือขั้นตอนย่อย)",
                    )
            rows[code] = _MilestoneRow(row=row_number, levels=tuple(lv for lv in levels if lv.description))
        return rows

    # both sheets together

    def _attach_identity_and_levels(
        self,
        form_rows: list[_FormRow],
        milestone_rows: dict[str, _MilestoneRow],
        uid_by_row: dict[tuple[int, str], str],
        uid_by_code: dict[str, str],
    ) -> list[_FormRow]:
        form_codes = {r.kpi.code: r for r in form_rows if r.kpi is not None and r.kpi.code}
        for code, milestone in milestone_rows.items() if self.form_readable else ():
            form_row = form_codes.get(code)
            if form_row is None:
                self.problem(
                    SHEET_MILESTONES,
                    milestone.row,
                    milestone_letter("code"),
                    f"ไม่พบตัวชี้วัด {code} ในแผ่น '{SHEET_FORM}' กรุณาตรวจรหัสตัวชี้วัด",
                )
            elif form_row.kpi is not None and form_row.kpi.kpi_type == KpiType.QUANTITATIVE:
                self.problem(
                    SHEET_MILESTONES,
                    milestone.row,
                    milestone_letter("code"),
                    f"ตัวชี้วัด {code} เป็นประเภทเชิงปริมาณ จึงไม่มีคำอธิบายระดับ "
                    "กรุณาเปลี่ยนประเภทเป็นระดับความสำเร็จ หรือลบแถวนี้",
                )
        result = []
        used: set[str] = set()
        for form_row in form_rows:
            kpi = form_row.kpi
            if kpi is not None:
                uid = (
                    (uid_by_row.get((form_row.row, kpi.code)) or uid_by_code.get(kpi.code))
                    if kpi.code
                    else None
                )
                if uid in used:
                    uid = None
                if uid:
                    used.add(uid)
                levels: tuple[LevelData, ...] = ()
                if kpi.kpi_type == KpiType.MILESTONE:
                    found = milestone_rows.get(kpi.code) if kpi.code else None
                    levels = found.levels if found else ()
                form_row = replace(form_row, kpi=replace(kpi, uid=uid, levels=levels))
            result.append(form_row)
        return result

    def _check_kpi(self, form_row: _FormRow, milestone_rows: dict[str, _MilestoneRow]) -> None:
        kpi = form_row.kpi
        assert kpi is not None
        milestone = milestone_rows.get(kpi.code) if kpi.code else None
        if kpi.kpi_type == KpiType.MILESTONE and milestone is None:
            letter = form_letter("code") if not kpi.code else form_letter("kpi_type")
            self.problem(
                SHEET_FORM,
                form_row.row,
                letter,
                (
                    f"ตัวชี้วัดประเภทระดับความสำเร็จต้องมีรหัส (ตัวชี้วัดที่) เพื่อใช้กรอกคำอธิบายระดับในแผ่น '{SHEET_MILESTONES}'"
                    if not kpi.code
                    else f"ตัวชี้วัด {kpi.code} เป็นประเภทระดับความสำเร็จ แต่ยังไม่มีคำอธิบายระดับ 1–5 "
                    f"ในแผ่น '{SHEET_MILESTONES}'"
                ),
            )
            form_row.failed.update(f"level_{n}" for n in LEVELS)
        for found in kpi_problems(kpi):
            if found.field in form_row.failed:
                continue
            if found.field.startswith("level_"):
                assert milestone is not None
                self.problem(SHEET_MILESTONES, milestone.row, milestone_letter(found.field), found.message_th)
            else:
                key = "criteria_1" if found.field == "criteria" else found.field
                self.problem(SHEET_FORM, form_row.row, form_letter(key), found.message_th)


def _tree(rows: list[_FormRow]) -> PlanData:
    """Group the rows into issues → goals → KPIs by name, in order of first appearance."""
    issues: dict[str, dict[str, list[KpiData]]] = {}
    for row in rows:
        goals = issues.setdefault(row.issue, {})
        if row.goal:
            kpis = goals.setdefault(row.goal, [])
            if row.kpi is not None:
                kpis.append(row.kpi)
    return PlanData(
        issues=tuple(
            IssueData(
                name=issue,
                goals=tuple(GoalData(name=goal, kpis=tuple(kpis)) for goal, kpis in goals.items()),
            )
            for issue, goals in issues.items()
        )
    )


def workbook_filename(*, fiscal_year: int, org_code: str) -> str:
    return f"khamrap-{fiscal_year}-{org_code}.xlsx"


def plan_or_blank(*, fiscal_year: FiscalYear, organisation: Organisation) -> Plan:
    """The organisation's plan of the year, or an unsaved empty one to export (a GET writes nothing)."""
    return plan_find(fiscal_year=fiscal_year, organisation=organisation) or Plan(
        fiscal_year=fiscal_year, organisation=organisation
    )


def plan_for_workbook(*, year: int, org_code: str) -> Plan:
    """The plan behind ``export_plan --year --org``; raises DomainError in Thai for unknown year or code."""
    fiscal_year = FiscalYear.objects.filter(year=year).first()
    if fiscal_year is None:
        raise DomainError(f"ไม่พบปีงบประมาณ พ.ศ. {year} ในระบบ", f"No fiscal year {year}")
    organisation = Organisation.objects.filter(code=org_code).first()
    if organisation is None:
        raise DomainError(f"ไม่พบหน่วยงานรหัส '{org_code}'", f"No organisation with code {org_code!r}")
    return plan_or_blank(fiscal_year=fiscal_year, organisation=organisation)
