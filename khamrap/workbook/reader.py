"""The "data disk" read back: every problem with sheet, row and column, never stopping at the first.

Nothing is parsed before :func:`~khamrap.workbook.guard.workbook_guard` has looked at the raw zip within a
memory and time bound. Read with python-calamine; ``engine="openpyxl"`` reads the same through openpyxl,
for the benchmark.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from khamrap.core.errors import in_language
from khamrap.plans.models import Direction, KpiType
from khamrap.plans.schema import (
    CODE_LENGTH,
    FIELDS,
    KPI_FIELDS,
    LEVELS,
    NAME_LENGTH,
    GoalData,
    IssueData,
    KpiData,
    KpiField,
    LevelData,
    PlanData,
    field_label,
    kpi_from_values,
    kpi_problems,
    number_problem,
)
from khamrap.thai.numbers import ThaiNumberError, parse_decimal, to_arabic_digits
from khamrap.workbook.guard import WorkbookProblem, file_problem, workbook_guard
from khamrap.workbook.layout import (
    DIRECTION_LABELS,
    FIRST_DATA_ROW,
    FLAG_YES,
    FORM_COLUMNS,
    FORM_INDEX,
    FORMAT_NAME,
    FORMAT_VERSION,
    HEADER_ROW,
    KPI_KEYS,
    KPI_TYPE_LABELS,
    LATE_COLUMNS,
    META_FIRST_KPI_ROW,
    MILESTONE_COLUMNS,
    MILESTONE_INDEX,
    SHEET_FORM,
    SHEET_META,
    SHEET_MILESTONES,
    SHEET_ORDER,
    WorkbookRead,
    baseline_years,
    form_letter,
    milestone_letter,
)

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
        problem = file_problem(
            "อ่านไฟล์นี้ไม่ได้ ไฟล์อาจเสียหาย กรุณาเปิดแล้วบันทึกเป็น .xlsx ใหม่อีกครั้ง",
            "This file cannot be read and may be damaged; open it and save it as .xlsx again",
        )
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
    def __init__(self, message_th: str, message_en: str) -> None:
        super().__init__(message_th)
        self.message_th = message_th
        self.message_en = message_en


def cell_decimal(value: Any, label: str, field: KpiField, label_en: str = "") -> Decimal | None:
    """A number cell as an exact Decimal within ``field``'s bounds; raises ``_CellError`` in Thai and
    English (``label`` and ``label_en`` name the cell)."""
    label_en = label_en or label
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        found = "TRUE" if value else "FALSE"
        raise _CellError(
            f"{label} ต้องเป็นตัวเลข (พบค่า {found})", f"{label_en} must be a number (found {found})"
        )
    if isinstance(value, datetime | date | time | timedelta):
        raise _CellError(
            f"{label} ต้องเป็นตัวเลข แต่เซลล์นี้เป็นวันที่หรือเวลา (Excel อาจแปลงให้เอง) กรุณาจัดรูปแบบเซลล์เป็นตัวเลขแล้วพิมพ์ใหม่",
            f"{label_en} must be a number, but this cell is a date or time (Excel may have converted it); "
            "format the cell as a number and type it again",
        )
    if isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise _CellError(f"{label} ต้องเป็นตัวเลข", f"{label_en} must be a number")
        number = Decimal(repr(value))  # the shortest text that round-trips: 12.5, not 12.4999…
    else:
        try:
            number = parse_decimal(str(value))
        except ThaiNumberError:
            found = str(value).strip()
            raise _CellError(
                f'{label} ต้องเป็นตัวเลข (พบ "{found}")', f'{label_en} must be a number (found "{found}")'
            ) from None
    problem = number_problem(field, number, label_th=label, label_en=label_en)
    if problem is not None:
        raise _CellError(*problem)
    return number


def _choice(text: str, labels: dict[str, str]) -> str:
    """The stored value of a dropdown cell: its Thai label or the stored value itself; else the text."""
    squeezed = re.sub(r"\s+", "", text)
    for value, label in labels.items():
        if squeezed in {label, value} or squeezed.lower() == value:
            return value
    return text


# What a yes/no cell may hold (a typed TRUE reads back as a boolean, hence "true").
FLAG_YESES = frozenset({FLAG_YES, "yes", "y", "true", "1", "✓", "x"})
FLAG_NO = frozenset({"", "ไม่ใช่", "no", "n", "false", "0", "-"})

# The longest text each column may hold: the registry's, and the names of issues and goals.
MAX_LENGTHS: dict[str, int | None] = {
    "issue": NAME_LENGTH,
    "goal": NAME_LENGTH,
    "code": CODE_LENGTH,
    **{f.name: f.max_length for f in KPI_FIELDS if not f.is_number},
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

    def problem(self, sheet: str, row: int | None, column: str, message_th: str, message_en: str) -> None:
        self.problems.append(WorkbookProblem(sheet, row, column, message_th, message_en))

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
                "",
                None,
                "",
                "ไม่พบข้อมูลระบบ (แผ่น meta) ในไฟล์ กรุณาดาวน์โหลดแบบฟอร์มจากระบบแล้วกรอกในไฟล์นั้น",
                "The file has no system data (the meta sheet); download the form from the system and fill that in",
            )
            return None, None, {}, {}
        values = {
            cell_text(row[0]): cell_text(row[1]) for row in grid[: META_FIRST_KPI_ROW - 1] if len(row) >= 2
        }
        if values.get("format") != FORMAT_NAME:
            self.problem(
                "",
                None,
                "",
                "ไฟล์นี้ไม่ใช่แบบฟอร์มเจรจาที่ดาวน์โหลดจากระบบ กรุณาดาวน์โหลดแบบฟอร์มใหม่",
                "This file is not a negotiation form downloaded from the system; download the form again",
            )
            return None, None, {}, {}
        if values.get("version") != str(FORMAT_VERSION):
            self.problem(
                "",
                None,
                "",
                "แบบฟอร์มนี้เป็นรุ่นเก่าที่ระบบไม่รองรับแล้ว กรุณาดาวน์โหลดแบบฟอร์มใหม่แล้วกรอกอีกครั้ง",
                "This form is an old version the system no longer reads; download the form again and fill it in",
            )
        revision_text = values.get("revision", "")
        self.revision = int(revision_text) if revision_text.isdigit() else None
        year_text = to_arabic_digits(values.get("fiscal_year", ""))
        fiscal_year = int(year_text) if year_text.isdigit() else None
        org_code = values.get("organisation") or None
        if fiscal_year is None or org_code is None:
            self.problem(
                "",
                None,
                "",
                "ข้อมูลระบบในไฟล์ไม่ครบ (ปีงบประมาณหรือหน่วยงาน) กรุณาดาวน์โหลดแบบฟอร์มใหม่",
                "The file's system data is incomplete (fiscal year or organisation); download the form again",
            )
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
            self.problem(
                "",
                None,
                "",
                f"ไม่พบแผ่นงาน '{SHEET_FORM}' ในไฟล์ (ห้ามเปลี่ยนชื่อหรือลบแผ่นงาน)",
                f"The file has no sheet '{SHEET_FORM}' (sheets must not be renamed or deleted)",
            )
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
                    "There is data outside the form's columns, which is not imported; move it to the right "
                    "column or delete it",
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
                self.problem(
                    SHEET_FORM,
                    row_number,
                    form_letter("issue"),
                    "กรุณาระบุประเด็นยุทธศาสตร์",
                    "Enter the strategic issue",
                )
            if has_kpi and not goal:
                failed.add("goal")
                self.problem(
                    SHEET_FORM, row_number, form_letter("goal"), "กรุณาระบุเป้าประสงค์", "Enter the goal"
                )
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
                        SHEET_FORM,
                        HEADER_ROW,
                        letter,
                        f"หัวคอลัมน์ต้องเป็น 'ข้อมูลพื้นฐาน ปี พ.ศ. ...' (พบ '{text}')",
                        f"The column heading must be 'ข้อมูลพื้นฐาน ปี พ.ศ. ...' (found '{text}')",
                    )
                    continue
                year_match = re.search(r"[0-9]{4}", to_arabic_digits(text))
                if expected_years is None:
                    continue
                expected = expected_years[int(column.key[-1]) - 1]
                if year_match is None or int(year_match.group()) != expected:
                    found = year_match.group() if year_match else "ไม่ระบุปี"
                    found_en = year_match.group() if year_match else "no year"
                    self.problem(
                        SHEET_FORM,
                        HEADER_ROW,
                        letter,
                        f"ปีของข้อมูลพื้นฐานต้องเป็น พ.ศ. {expected} (พบ {found}) เพราะข้อมูลพื้นฐานของ"
                        f"ปีงบประมาณ พ.ศ. {fiscal_year} คือผลของปี {expected_years[0]}–{expected_years[2]}",
                        f"The baseline year must be {expected} B.E. (found {found_en}): the baseline of fiscal "
                        f"year {fiscal_year} B.E. is the results of {expected_years[0]}–{expected_years[2]}",
                    )
            elif not text and column.key in LATE_COLUMNS:
                continue  # a workbook exported before the column existed: its cells read as empty
            elif re.sub(r"\s+", " ", text) != column.label:
                columns_ok = False
                self.problem(
                    SHEET_FORM,
                    HEADER_ROW,
                    letter,
                    f"หัวคอลัมน์ต้องเป็น '{column.label}' (พบ '{text}')",
                    f"The column heading must be '{column.label}' (found '{text}')",
                )
        if not columns_ok:
            self.problem(
                SHEET_FORM,
                HEADER_ROW,
                "",
                "คอลัมน์ของแบบฟอร์มถูกย้าย เพิ่ม หรือลบ ระบบจึงไม่อ่านข้อมูลในแผ่นนี้ กรุณาดาวน์โหลดแบบฟอร์มใหม่แล้วคัดลอกข้อมูลลงไป",
                "The form's columns were moved, added or deleted, so this sheet is not read; download the form "
                "again and copy the data into it",
            )
        return columns_ok

    def _check_length(self, row: int, key: str, text: str, failed: set[str]) -> None:
        limit = MAX_LENGTHS.get(key)
        if limit is not None and len(text) > limit and key not in failed:
            failed.add(key)
            self.problem(
                SHEET_FORM,
                row,
                form_letter(key),
                f"{field_label(key)} ยาวได้ไม่เกิน {limit:,} ตัวอักษร (มี {len(text):,})",
                f"{field_label(key, 'en')} may be at most {limit:,} characters long (it has {len(text):,})",
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
                return cell_decimal(
                    values[FORM_INDEX[key]],
                    self._number_label(key, fiscal_year),
                    FIELDS[key],
                    self._number_label(key, fiscal_year, "en"),
                )
            except _CellError as error:
                failed.add(key)
                self.problem(SHEET_FORM, row, form_letter(key), error.message_th, error.message_en)
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
                    f"KPI no. {code} is the same as in row {codes[code]}; give each KPI its own number",
                )
            else:
                codes[code] = row
        kpi_type = _choice(text("kpi_type"), KPI_TYPE_LABELS)
        direction = _choice(text("direction"), DIRECTION_LABELS)
        if kpi_type == KpiType.MILESTONE and not direction:
            direction = Direction.HIGHER  # a milestone KPI's levels go up; the dropdown may be left empty

        def flag(key: str) -> bool:
            value = text(key)
            if value.lower() in FLAG_NO:
                return False
            if value.lower() in FLAG_YESES:
                return True
            failed.add(key)
            self.problem(
                SHEET_FORM,
                row,
                form_letter(key),
                f"{field_label(key)} ใส่ได้เฉพาะ '{FLAG_YES}' หรือเว้นว่าง (พบ \"{value}\")",
                f"{field_label(key, 'en')}: write '{FLAG_YES}' (yes) or leave it blank (found \"{value}\")",
            )
            return False

        cells = {
            f.name: number(f.name) if f.is_number else flag(f.name) if f.is_flag else text(f.name)
            for f in KPI_FIELDS
            if f.exported
        }
        return kpi_from_values({**cells, "kpi_type": kpi_type, "direction": direction}, code=code)

    @staticmethod
    def _number_label(key: str, fiscal_year: int | None, language: str = "th") -> str:
        if key.startswith("baseline_") and fiscal_year:
            year = baseline_years(fiscal_year)[int(key[-1]) - 1]
            return in_language(f"ข้อมูลพื้นฐานปี {year}", f"Baseline {year} B.E.", language)
        return field_label(key, language)

    # the milestone sheet

    def _milestones(self) -> dict[str, _MilestoneRow]:
        grid = self.sheets.get(SHEET_MILESTONES)
        if grid is None:
            self.problem(
                "",
                None,
                "",
                f"ไม่พบแผ่นงาน '{SHEET_MILESTONES}' ในไฟล์ (ห้ามเปลี่ยนชื่อหรือลบแผ่นงาน)",
                f"The file has no sheet '{SHEET_MILESTONES}' (sheets must not be renamed or deleted)",
            )
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
                    f"The column heading must be '{column.label}' (found '{found}'), so this sheet is not read",
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
                    f"Enter the KPI no. (ตัวชี้วัดที่) as in the sheet '{SHEET_FORM}'",
                )
                continue
            if code in rows:
                self.problem(
                    SHEET_MILESTONES,
                    row_number,
                    milestone_letter("code"),
                    f"ตัวชี้วัด {code} มีคำอธิบายระดับซ้ำกับแถวที่ {rows[code].row} กรุณารวมไว้แถวเดียว",
                    f"KPI {code} has its levels described again (also in row {rows[code].row}); keep them in one row",
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
                        f"Level {lv.level}: the first line must describe the level (lines starting with - are "
                        "sub-steps)",
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
                    f"KPI {code} is not in the sheet '{SHEET_FORM}'; check the KPI no.",
                )
            elif form_row.kpi is not None and form_row.kpi.kpi_type == KpiType.QUANTITATIVE:
                self.problem(
                    SHEET_MILESTONES,
                    milestone.row,
                    milestone_letter("code"),
                    f"ตัวชี้วัด {code} เป็นประเภทเชิงปริมาณ จึงไม่มีคำอธิบายระดับ "
                    "กรุณาเปลี่ยนประเภทเป็นระดับความสำเร็จ หรือลบแถวนี้",
                    f"KPI {code} is quantitative, so it has no level descriptions; change its type to "
                    "milestone or delete this row",
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
                (
                    "A milestone KPI needs a KPI no. (ตัวชี้วัดที่) to describe its levels in the sheet "
                    f"'{SHEET_MILESTONES}'"
                    if not kpi.code
                    else f"KPI {kpi.code} is a milestone KPI but levels 1–5 are not described in the sheet "
                    f"'{SHEET_MILESTONES}'"
                ),
            )
            form_row.failed.update(f"level_{n}" for n in LEVELS)
        for found in kpi_problems(kpi):
            if found.field in form_row.failed:
                continue
            if found.field.startswith("level_"):
                assert milestone is not None
                self.problem(
                    SHEET_MILESTONES,
                    milestone.row,
                    milestone_letter(found.field),
                    found.message_th,
                    found.message_en,
                )
            else:
                key = "criteria_1" if found.field == "criteria" else found.field
                self.problem(SHEET_FORM, form_row.row, form_letter(key), found.message_th, found.message_en)


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
