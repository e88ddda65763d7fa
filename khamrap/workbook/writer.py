"""The "data disk" written: the plan as a workbook with instructions, dropdowns and the KPIs' identities.

The layout is in :mod:`khamrap.workbook.layout` and ``docs/workbook.md``; the reader reads back what this
writes, and a LibreOffice re-save too.
"""

from __future__ import annotations

import io
from typing import Any, Literal

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from khamrap.core.errors import DomainError
from khamrap.frameworks.models import FiscalYear
from khamrap.orgs.selectors import plan_organisations
from khamrap.plans.models import KpiType, Plan
from khamrap.plans.schema import (
    FIELDS,
    KPI_FIELDS,
    LEVELS,
    KpiData,
    LevelData,
    PlanData,
    field_label,
    kpi_values,
)
from khamrap.plans.selectors import plan_or_blank, plan_tree
from khamrap.workbook.guard import MAX_SHEET_ROWS
from khamrap.workbook.layout import (
    DEFAULT_UNITS,
    DIRECTION_LABELS,
    FIRST_DATA_ROW,
    FLAG_YES,
    FONT_NAME,
    FONT_SIZE,
    FORM_COLUMNS,
    FORMAT_NAME,
    FORMAT_VERSION,
    HEADER_ROW,
    KPI_TYPE_LABELS,
    META_FIRST_KPI_ROW,
    MILESTONE_COLUMNS,
    SHEET_FORM,
    SHEET_INSTRUCTIONS,
    SHEET_LISTS,
    SHEET_META,
    SHEET_MILESTONES,
    SPARE_FORM_ROWS,
    SPARE_MILESTONE_ROWS,
    TITLE_ROW,
    FormColumn,
    baseline_years,
    form_headers,
    form_letter,
)

FLAG_FIELDS = tuple(f for f in KPI_FIELDS if f.is_flag and f.exported)
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
    for offset, (column, header) in enumerate(zip(FORM_COLUMNS, form_headers(fiscal_year), strict=True)):
        letter = get_column_letter(offset + 1)
        help_th = FIELDS[column.key].help_th if column.key in FIELDS else ""
        line = f"{letter}  {header}" + (f" — {help_th}" if help_th else "")
        ws.cell(start + 1 + offset, 1, line).style = "kh_text"


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
            cell = ws.cell(row_number, index + 1)
            _set_value(cell, values.get(column.key))
            cell.style = styles[index]
    ws.freeze_panes = f"{form_letter('name')}{FIRST_DATA_ROW}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    return uids


def _kpi_cells(kpi: KpiData) -> dict[str, Any]:
    cells: dict[str, Any] = {"code": kpi.code, **kpi_values(kpi)}
    cells["kpi_type"] = KPI_TYPE_LABELS.get(kpi.kpi_type, kpi.kpi_type)
    cells["direction"] = DIRECTION_LABELS.get(kpi.direction, kpi.direction)
    for field in FLAG_FIELDS:
        cells[field.name] = FLAG_YES if cells[field.name] else None
    return {key: (value if value != "" else None) for key, value in cells.items()}


def _set_value(cell: Any, value: Any) -> None:
    """Write ``value`` as it is: text that begins with ``= + - @`` stays text, never a live formula."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"


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
    flags: tuple[tuple[str, str, Literal["stop", "warning"], str], ...] = tuple(
        (f.name, f'"{FLAG_YES}"', "stop", f"ใส่ '{FLAG_YES}' หรือเว้นว่าง") for f in FLAG_FIELDS
    )
    for key, formula, error_style, error in (*specs, *flags):
        validation = DataValidation(
            type="list",
            formula1=formula,
            allow_blank=True,
            showErrorMessage=True,
            errorStyle=error_style,
            errorTitle=field_label(key),
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


def workbook_filename(*, fiscal_year: int, org_code: str) -> str:
    return f"khamrap-{fiscal_year}-{org_code}.xlsx"


def plan_for_workbook(*, year: int, org_code: str) -> Plan:
    """The plan behind ``export_plan --year --org``; raises DomainError in Thai for unknown year or code."""
    fiscal_year = FiscalYear.objects.filter(year=year).first()
    if fiscal_year is None:
        raise DomainError(f"ไม่พบปีงบประมาณ พ.ศ. {year} ในระบบ", f"No fiscal year {year}")
    organisation = plan_organisations().filter(code=org_code).first()
    if organisation is None:
        raise DomainError(f"ไม่พบหน่วยงานรหัส '{org_code}'", f"No organisation with code {org_code!r}")
    return plan_or_blank(fiscal_year=fiscal_year, organisation=organisation)
