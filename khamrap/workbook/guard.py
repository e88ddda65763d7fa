"""The guard of the "data disk": look at the raw zip of an uploaded workbook before any parser does.

Hostile files (an executable renamed, a zip bomb, macros, formulas, 100,000 rows) are refused within a
memory and time bound: the zip's declared sizes are never trusted, members are inflated a chunk at a time
against one budget, and sheet XML is scanned as a stream. Every refusal is a Thai sentence with its English.
"""

from __future__ import annotations

import html
import io
import re
import struct
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from zipfile import BadZipFile, ZipFile, ZipInfo

from django.conf import settings
from openpyxl.utils import get_column_letter

from khamrap.core.errors import in_language
from khamrap.core.zips import Budget, ZipRefusalReason, ZipRefused, inflate

MAX_SHEET_ROWS = 2_000
MAX_SHEET_COLUMNS = 100
MAX_SHEET_CELLS = 200_000
MAX_MEMBERS = 200
MAX_UNCOMPRESSED_BYTES = 40 * 1024 * 1024
MAX_RATIO = 200  # uncompressed ÷ compressed, for members larger than RATIO_FLOOR_BYTES
RATIO_FLOOR_BYTES = 1024 * 1024
MAX_SMALL_PART_BYTES = 2 * 1024 * 1024  # [Content_Types].xml, xl/workbook.xml and its rels
MAX_FORMULAS_LISTED = 10

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class WorkbookProblem:
    """One thing wrong with the workbook: where (sheet, row, Excel column letter) and what, in Thai and
    English. The sheet, row and column are shown beside the message in either language.

    A problem with the file as a whole has an empty ``sheet``, ``row`` None and an empty ``column``.
    """

    sheet: str
    row: int | None
    column: str
    message_th: str
    message_en: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "message_th": self.message_th,
            "message_en": self.message_en,
        }

    def message(self, language: str | None = "th") -> str:
        return in_language(self.message_th, self.message_en, language)

    @property
    def where(self) -> str:
        if not self.sheet:
            return "ทั้งไฟล์"
        cell = f"{self.column}{self.row or ''}"
        return f"แผ่น '{self.sheet}' {cell}".strip()


def file_problem(message_th: str, message_en: str) -> WorkbookProblem:
    return WorkbookProblem("", None, "", message_th, message_en)


def too_large(size: int, limit: int) -> tuple[str, str]:
    """Why a file of ``size`` bytes is refused, in Thai and English."""
    return (
        f"ไฟล์มีขนาด {size / 1024 / 1024:,.1f} MB เกินกว่าที่รับได้ ({limit / 1024 / 1024:,.0f} MB)",
        f"The file is {size / 1024 / 1024:,.1f} MB, more than the {limit / 1024 / 1024:,.0f} MB accepted",
    )


# --- the guard: look at the raw zip before any parser does ---------------------------------------


class _Refusal(Exception):
    def __init__(self, problems: list[WorkbookProblem]) -> None:
        super().__init__(problems[0].message_th)
        self.problems = problems


def _refuse(message: tuple[str, str]) -> _Refusal:
    return _Refusal([file_problem(*message)])


NOT_XLSX = (
    "ไฟล์นี้ไม่ใช่ไฟล์ Excel (.xlsx) กรุณาใช้แบบฟอร์มที่ดาวน์โหลดจากระบบ แล้วบันทึกเป็น .xlsx",
    "This file is not an Excel workbook (.xlsx); use the form downloaded from the system and save it as .xlsx",
)
ZIP_BOMB = (
    "ไฟล์นี้ขยายตัวเมื่อแตกไฟล์มากผิดปกติ (ลักษณะของ zip bomb) ระบบจึงไม่เปิดอ่าน แบบฟอร์มปกติมีขนาดเล็กกว่านี้มาก",
    "This file expands abnormally when unzipped (like a zip bomb), so it is not opened; a real form is far smaller",
)
MACROS = (
    "ไฟล์นี้มีมาโคร (VBA/Excel 4.0) ระบบไม่รับไฟล์ที่มีมาโคร กรุณาบันทึกเป็น 'สมุดงาน Excel (.xlsx)' ที่ไม่มีมาโคร แล้วอัปโหลดใหม่",
    "This file contains macros (VBA/Excel 4.0), which are not accepted; save it as an 'Excel Workbook (.xlsx)'"
    " without macros and upload it again",
)

_MAGIC = (
    (
        b"MZ",
        (
            "ไฟล์นี้เป็นโปรแกรมของ Windows (.exe/.dll) ที่ตั้งชื่อเป็นไฟล์ Excel ระบบไม่รับไฟล์นี้",
            "This file is a Windows program (.exe/.dll) named as an Excel file; it is not accepted",
        ),
    ),
    (
        b"\x7fELF",
        (
            "ไฟล์นี้เป็นโปรแกรม (ELF ของ Linux) ที่ตั้งชื่อเป็นไฟล์ Excel ระบบไม่รับไฟล์นี้",
            "This file is a program (Linux ELF) named as an Excel file; it is not accepted",
        ),
    ),
    (
        b"\xcf\xfa\xed\xfe",
        (
            "ไฟล์นี้เป็นโปรแกรม (Mach-O ของ macOS) ที่ตั้งชื่อเป็นไฟล์ Excel ระบบไม่รับไฟล์นี้",
            "This file is a program (macOS Mach-O) named as an Excel file; it is not accepted",
        ),
    ),
    (
        b"#!",
        (
            "ไฟล์นี้เป็นสคริปต์โปรแกรม ไม่ใช่ไฟล์ Excel ระบบไม่รับไฟล์นี้",
            "This file is a program script, not an Excel file; it is not accepted",
        ),
    ),
    (
        b"%PDF",
        (
            "ไฟล์นี้เป็น PDF ไม่ใช่ไฟล์ Excel (.xlsx) กรุณาใช้แบบฟอร์มที่ดาวน์โหลดจากระบบ",
            "This file is a PDF, not an Excel workbook (.xlsx); use the form downloaded from the system",
        ),
    ),
    (
        b"\xd0\xcf\x11\xe0",
        (
            "ไฟล์นี้เป็น Excel รุ่นเก่า (.xls) หรือไฟล์ที่ตั้งรหัสผ่านไว้ กรุณาเปิดแล้วบันทึกเป็น .xlsx โดยไม่ตั้งรหัสผ่าน",
            "This file is an old Excel file (.xls) or protected by a password; open it and save it as .xlsx"
            " without a password",
        ),
    ),
)

_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(row|c|f)(?=[\s>/])([^>]*)>")
_REF = re.compile(rb'\br="([A-Z]{0,3})([0-9]{1,8})"')
# The fast path: every cell tag, and the reference of those that carry one (all do, in every writer seen).
_CELL_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s>/]")
_CELL_REF = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?c\s[^>]*?\br="([A-Z]{1,3})([0-9]{1,8})"')
_SHEET_DATA_OPEN = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?sheetData\b[^>]*?(/?)>")
_SHEET_DATA_CLOSE = re.compile(rb"</(?:[A-Za-z_][\w.-]*:)?sheetData\s*>")
_FORMULA_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s>/]")
_SHEET_TAG = re.compile(r"<(?:[A-Za-z_][\w.-]*:)?sheet\b([^>]*)>")
_REL_TAG = re.compile(r"<(?:[A-Za-z_][\w.-]*:)?Relationship\b([^>]*)>")
_WORKSHEET_PART = re.compile(r"xl/(?:worksheets|macrosheets|dialogsheets)/[^/]+\.xml")


def _attr(attrs: str, name: str) -> str:
    match = re.search(r"(?:^|\s)" + re.escape(name) + r'="([^"]*)"', attrs)
    return html.unescape(match.group(1)) if match else ""


def _column_number(letters: bytes) -> int:
    number = 0
    for char in letters:
        number = number * 26 + (char - 64)
    return number


_ZIP_REFUSALS = {
    ZipRefusalReason.BOMB: ZIP_BOMB,
    ZipRefusalReason.UNDECLARED: ZIP_BOMB,
    ZipRefusalReason.ENCRYPTED: (
        "ไฟล์นี้ถูกเข้ารหัสหรือตั้งรหัสผ่านไว้ กรุณาบันทึกใหม่โดยไม่ตั้งรหัสผ่าน",
        "This file is encrypted or protected by a password; save it again without a password",
    ),
    ZipRefusalReason.DAMAGED: (
        "ไฟล์นี้เสียหาย (ข้อมูลที่บีบอัดไว้อ่านไม่ได้) กรุณาบันทึกใหม่แล้วอัปโหลดอีกครั้ง",
        "This file is damaged (its compressed data cannot be read); save it again and upload it again",
    ),
    ZipRefusalReason.NOT_A_ZIP: NOT_XLSX,
    ZipRefusalReason.METHOD: (
        "ไฟล์นี้บีบอัดด้วยวิธีที่ไฟล์ Excel ไม่ใช้ กรุณาบันทึกใหม่เป็น .xlsx",
        "This file is compressed in a way Excel files never are; save it again as .xlsx",
    ),
}


def _member_chunks(data: bytes, info: ZipInfo, budget: Budget, cap: int | None = None) -> Iterator[bytes]:
    """The member's bytes through the capped inflater, its refusals said in Thai and English."""
    try:
        yield from inflate(data, info, cap=cap, budget=budget)
    except ZipRefused as refused:
        if refused.reason is ZipRefusalReason.TOO_BIG:
            raise _refuse(
                (
                    f"ส่วนประกอบ '{info.filename}' ของไฟล์มีขนาดใหญ่ผิดปกติ ระบบจึงไม่เปิดอ่าน",
                    f"The part '{info.filename}' of the file is abnormally large, so the file is not opened",
                )
            ) from None
        raise _refuse(_ZIP_REFUSALS[refused.reason]) from None


def _small_part(data: bytes, zf: ZipFile, name: str, budget: Budget) -> str:
    try:
        info = zf.getinfo(name)
    except KeyError:
        return ""
    raw = b"".join(_member_chunks(data, info, budget, cap=MAX_SMALL_PART_BYTES))
    return raw.decode("utf-8", errors="replace")


def _entry_count(data: bytes) -> int | None:
    """The member count from the end-of-central-directory record, read before zipfile builds its index."""
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if end < 0 or end + 22 > len(data):
        return None
    (count,) = struct.unpack("<H", data[end + 10 : end + 12])
    return int(count)


@dataclass
class _SheetScan:
    """Counts rows, columns, cells and formulas of one worksheet's XML, fed a tag-aligned chunk at a time."""

    sheet: str
    max_row: int = 0
    max_column: int = 0
    cells: int = 0
    row_index: int = 0
    column_index: int = 0
    cell_ref: str = ""
    formulas: list[str] = field(default_factory=list)
    formula_count: int = 0

    def feed(self, chunk: bytes) -> None:
        for match in _TAG.finditer(chunk):
            name, attrs = match.group(1), match.group(2)
            if name == b"c":
                self._cell(attrs)
            elif name == b"row":
                self._row(attrs)
            elif name == b"f":
                self.formula_count += 1
                if len(self.formulas) < MAX_FORMULAS_LISTED:
                    self.formulas.append(self.cell_ref)
        self._check()

    def _row(self, attrs: bytes) -> None:
        ref = _REF.search(attrs)
        self.row_index = int(ref.group(2)) if ref else self.row_index + 1
        self.column_index = 0
        if not attrs.rstrip().endswith(b"/"):  # an empty row (only a height or style) holds no data
            self.max_row = max(self.max_row, self.row_index)

    def _cell(self, attrs: bytes) -> None:
        self.cells += 1
        ref = _REF.search(attrs)
        if ref and ref.group(1):
            self.column_index = _column_number(ref.group(1))
            row = int(ref.group(2))
            self.max_row = max(self.max_row, row)
            self.cell_ref = ref.group(1).decode() + ref.group(2).decode()
        else:
            self.column_index += 1
            self.cell_ref = f"{get_column_letter(min(self.column_index, 16384))}{self.row_index}"
        self.max_column = max(self.max_column, self.column_index)

    def _check(self) -> None:
        if self.max_row > MAX_SHEET_ROWS:
            raise _refuse(
                (
                    f"แผ่น '{self.sheet}' มีข้อมูลเกิน {MAX_SHEET_ROWS:,} แถว ซึ่งมากกว่าที่แบบฟอร์มรับได้ "
                    "กรุณาลบแถวที่ไม่ใช้ออก (แบบฟอร์มหนึ่งหน่วยงานมีตัวชี้วัดไม่กี่สิบแถว)",
                    f"Sheet '{self.sheet}' has more than {MAX_SHEET_ROWS:,} rows, more than the form takes; "
                    "delete the unused rows (one organisation's form has a few dozen KPI rows)",
                )
            )
        if self.max_column > MAX_SHEET_COLUMNS or self.cells > MAX_SHEET_CELLS:
            raise _refuse(
                (
                    f"แผ่น '{self.sheet}' มีข้อมูลมากเกินกว่าแบบฟอร์มปกติ "
                    f"(ไม่เกิน {MAX_SHEET_COLUMNS} คอลัมน์ และ {MAX_SHEET_CELLS:,} เซลล์) กรุณาลบส่วนที่ไม่ใช้ออก",
                    f"Sheet '{self.sheet}' holds more than a form does (at most {MAX_SHEET_COLUMNS} columns and "
                    f"{MAX_SHEET_CELLS:,} cells); delete what is not used",
                )
            )


class _Unusual(Exception):
    """The fast scan met something it does not count exactly (a formula, a cell without a reference)."""


def _feed_fast(scan: _SheetScan, chunk: bytes) -> None:
    """Count a chunk with a few C-speed regex passes instead of one Python step per tag."""
    if _FORMULA_TAG.search(chunk):
        raise _Unusual  # the exact scan lists the formula cells
    refs = _CELL_REF.findall(chunk)
    if len(refs) != len(_CELL_TAG.findall(chunk)):
        raise _Unusual  # cells placed by position: only the exact scan knows their column
    if refs:
        scan.cells += len(refs)
        scan.max_row = max(scan.max_row, max(int(row) for _, row in refs))
        scan.max_column = max(scan.max_column, max(map(_column_number, {column for column, _ in refs})))
    scan._check()


def _scan_sheet(data: bytes, info: ZipInfo, sheet: str, budget: Budget) -> _SheetScan:
    spent = budget.used
    try:
        return _scan_member(data, info, _SheetScan(sheet=sheet), budget, fast=True)
    except _Unusual:
        budget.used = spent  # the member is read again, exactly, within the same budget
        return _scan_member(data, info, _SheetScan(sheet=sheet), budget, fast=False)


def _scan_member(data: bytes, info: ZipInfo, scan: _SheetScan, budget: Budget, *, fast: bool) -> _SheetScan:
    """Feed the scan the cells of ``<sheetData>`` only.

    What follows it is not data: Excel writes dropdowns that refer to another sheet as
    ``<x14:dataValidation>…<xm:f>lists!$A$1:$A$2</xm:f>`` there, which is not a cell formula.
    """
    feed = (lambda chunk: _feed_fast(scan, chunk)) if fast else scan.feed
    inside = False

    def segment(chunk: bytes) -> None:
        nonlocal inside
        while chunk:
            if not inside:
                opening = _SHEET_DATA_OPEN.search(chunk)
                if opening is None:
                    return
                inside = not opening.group(1)  # <sheetData/> holds nothing
                chunk = chunk[opening.end() :]
                continue
            closing = _SHEET_DATA_CLOSE.search(chunk)
            if closing is None:
                feed(chunk)
                return
            feed(chunk[: closing.start()])
            inside = False
            chunk = chunk[closing.end() :]

    carry = b""
    for piece in _member_chunks(data, info, budget):
        buffer = carry + piece
        # Cut after the last complete tag, so no tag is split between two chunks.
        cut = max(buffer.rfind(b">") + 1, len(buffer) - 4096)
        segment(buffer[:cut])
        carry = buffer[cut:]
    segment(carry)
    return scan


def _sheet_names_by_part(data: bytes, zf: ZipFile, budget: Budget) -> dict[str, str]:
    workbook_xml = _small_part(data, zf, "xl/workbook.xml", budget)
    rels_xml = _small_part(data, zf, "xl/_rels/workbook.xml.rels", budget)
    targets: dict[str, str] = {}
    for match in _REL_TAG.finditer(rels_xml):
        target = _attr(match.group(1), "Target")
        targets[_attr(match.group(1), "Id")] = (
            target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        )
    names: dict[str, str] = {}
    for match in _SHEET_TAG.finditer(workbook_xml):
        rel_id = re.search(r'\s[A-Za-z_][\w.-]*:id="([^"]*)"', match.group(1))
        if rel_id and rel_id.group(1) in targets:
            names[targets[rel_id.group(1)]] = _attr(match.group(1), "name")
    return names


def workbook_guard(data: bytes) -> list[WorkbookProblem]:
    """Refuse hostile or wrong files before any parser sees them; empty when the file may be read.

    Memory stays within the file plus one chunk; time within one pass over at most
    ``MAX_UNCOMPRESSED_BYTES`` of decompressed XML.
    """
    try:
        _guard(data)
    except _Refusal as refusal:
        return refusal.problems
    return []


def _guard(data: bytes) -> None:
    max_bytes = settings.KHAMRAP_MAX_WORKBOOK_BYTES
    if len(data) > max_bytes:
        raise _refuse(too_large(len(data), max_bytes))
    if not data:
        raise _refuse(("ไฟล์ว่างเปล่า กรุณาเลือกไฟล์แบบฟอร์มที่บันทึกแล้ว", "The file is empty; choose a saved form"))
    for magic, message in _MAGIC:
        if data.startswith(magic):
            raise _refuse(message)
    if not data.startswith(b"PK\x03\x04"):
        raise _refuse(NOT_XLSX)
    declared = _entry_count(data)
    if declared is not None and declared > MAX_MEMBERS:
        raise _refuse(ZIP_BOMB)
    try:
        zf = ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (BadZipFile, OSError, ValueError, EOFError, struct.error):
        raise _refuse(NOT_XLSX) from None
    if len(infos) > MAX_MEMBERS:
        raise _refuse(ZIP_BOMB)
    names = {info.filename for info in infos}
    if any(name.lower().endswith("vbaproject.bin") or name.startswith("xl/macrosheets/") for name in names):
        raise _refuse(MACROS)
    if sum(info.file_size for info in infos) > MAX_UNCOMPRESSED_BYTES:
        raise _refuse(ZIP_BOMB)
    for info in infos:
        if info.file_size > RATIO_FLOOR_BYTES and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise _refuse(ZIP_BOMB)
    if "[Content_Types].xml" not in names:
        raise _refuse(NOT_XLSX)
    budget = Budget(MAX_UNCOMPRESSED_BYTES)
    content_types = _small_part(data, zf, "[Content_Types].xml", budget)
    if re.search(r"macroEnabled|vbaProject|macrosheet", content_types, re.IGNORECASE):
        raise _refuse(MACROS)
    if "wordprocessingml" in content_types:
        raise _refuse(
            (
                "ไฟล์นี้เป็นเอกสาร Word ไม่ใช่ไฟล์ Excel (.xlsx)",
                "This file is a Word document, not an Excel workbook (.xlsx)",
            )
        )
    if "presentationml" in content_types:
        raise _refuse(
            (
                "ไฟล์นี้เป็นงานนำเสนอ PowerPoint ไม่ใช่ไฟล์ Excel (.xlsx)",
                "This file is a PowerPoint presentation, not an Excel workbook (.xlsx)",
            )
        )
    if "xl/workbook.xml" not in names or not re.search(
        r"spreadsheetml\.(sheet|template)\.main\+xml", content_types
    ):
        raise _refuse(NOT_XLSX)
    sheet_names = _sheet_names_by_part(data, zf, budget)
    formulas: list[WorkbookProblem] = []
    for info in infos:
        if _WORKSHEET_PART.fullmatch(info.filename):
            sheet = sheet_names.get(info.filename, info.filename)
            scan = _scan_sheet(data, info, sheet, budget)
            formulas += _formula_problems(scan)
        elif info.filename not in {"[Content_Types].xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels"}:
            for _ in _member_chunks(data, info, budget):
                pass  # only to prove the member inflates to what it declares
    if formulas:
        raise _Refusal(formulas)


def _formula_problems(scan: _SheetScan) -> list[WorkbookProblem]:
    problems = []
    for ref in scan.formulas:
        match = re.fullmatch(r"([A-Z]+)([0-9]+)", ref)
        column, row = (match.group(1), int(match.group(2))) if match else ("", None)
        problems.append(
            WorkbookProblem(
                scan.sheet,
                row,
                column,
                "เซลล์นี้มีสูตรคำนวณ ระบบไม่รับไฟล์ที่มีสูตร กรุณาพิมพ์ค่าแทน หรือคัดลอกแล้ววางแบบค่า (วางแบบพิเศษ → ค่า)",
                "This cell holds a formula, which is not accepted; type the value instead, or copy and paste"
                " values only (Paste Special → Values)",
            )
        )
    if scan.formula_count > len(scan.formulas):
        problems.append(
            WorkbookProblem(
                scan.sheet,
                None,
                "",
                f"แผ่นนี้มีสูตรคำนวณอีก {scan.formula_count - len(scan.formulas):,} เซลล์",
                f"This sheet holds formulas in {scan.formula_count - len(scan.formulas):,} more cells",
            )
        )
    return problems
