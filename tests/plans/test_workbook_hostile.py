"""Hostile files are refused with a clear Thai message, within a memory and time bound, writing nothing.

The bounds (tracemalloc peak < 200 MB, < 10 s) are generous limits, not benchmarks.
"""

import io
import struct
import time
import tracemalloc
import zipfile
from collections.abc import Callable
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from khamrap.accounts.models import User
from khamrap.plans.models import Kpi, Plan, WorkbookUpload
from khamrap.plans.selectors import plan_tree
from khamrap.workbook.guard import MACROS, NOT_XLSX, ZIP_BOMB
from khamrap.workbook.importer import workbook_import
from khamrap.workbook.layout import SHEET_FORM
from khamrap.workbook.writer import workbook_export

MEGABYTE = 1024 * 1024


def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


def _with_formula(plan: Plan) -> bytes:
    wb = load_workbook(io.BytesIO(workbook_export(plan=plan)))
    wb[SHEET_FORM]["L5"] = "=L4*2"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _with_macros(plan: Plan) -> bytes:
    members = _members(workbook_export(plan=plan))
    members["xl/vbaProject.bin"] = b"\xd0\xcf\x11\xe0" + b"\x00" * 512
    return _zip(members)


def _macro_enabled_content_type(plan: Plan) -> bytes:
    members = _members(workbook_export(plan=plan))
    members["[Content_Types].xml"] = members["[Content_Types].xml"].replace(
        b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    )
    return _zip(members)


def _with_100000_rows(plan: Plan) -> bytes:
    wb = Workbook(write_only=True)
    sheet = wb.create_sheet(SHEET_FORM)
    for n in range(100_000):
        sheet.append([f"ประเด็น {n}", "เป้าประสงค์", f"1.{n}"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _zip_bomb(plan: Plan) -> bytes:
    """A real workbook plus a 39 MB sheet of zeros that compresses more than 200 to 1."""
    members = _members(workbook_export(plan=plan))
    members["xl/worksheets/sheet9.xml"] = b"0" * (39 * MEGABYTE)
    return _zip(members)


def _lying_zip_bomb(plan: Plan) -> bytes:
    """A member that declares 1,000 bytes but inflates to 30 MB: declared sizes alone would pass it."""
    members = _members(workbook_export(plan=plan))
    members["xl/media/image1.png"] = b"\x00" * (30 * MEGABYTE)
    data = bytearray(_zip(members))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo("xl/media/image1.png")
    # the local header's uncompressed size (offset 22) and the central directory's (offset 24)
    struct.pack_into("<I", data, info.header_offset + 22, 1000)
    name = info.filename.encode()
    central = data.find(b"PK\x01\x02", info.header_offset)
    while central >= 0:
        name_length = struct.unpack_from("<H", data, central + 28)[0]
        if bytes(data[central + 46 : central + 46 + name_length]) == name:
            struct.pack_into("<I", data, central + 24, 1000)
            break
        central = data.find(b"PK\x01\x02", central + 4)
    return bytes(data)


def _many_members(plan: Plan) -> bytes:
    members = _members(workbook_export(plan=plan))
    members.update({f"xl/junk/{n}.xml": b"" for n in range(5_000)})
    return _zip(members)


def _word_document(plan: Plan) -> bytes:
    content_types = (
        b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        b'<Override PartName="/word/document.xml" '
        b'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
    )
    return _zip({"[Content_Types].xml": content_types, "word/document.xml": b"<w:document/>"})


HOSTILE: dict[str, tuple[Callable[[Plan], bytes], list[tuple[str, int | None, str, str]]]] = {
    "not a workbook": (lambda plan: "ชื่อ,ค่าเป้าหมาย\nก,1\n".encode(), [("", None, "", NOT_XLSX[0])]),
    "a renamed Windows executable": (
        lambda plan: b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 4096,
        [("", None, "", "ไฟล์นี้เป็นโปรแกรมของ Windows (.exe/.dll) ที่ตั้งชื่อเป็นไฟล์ Excel ระบบไม่รับไฟล์นี้")],
    ),
    "a renamed Linux executable": (
        lambda plan: b"\x7fELF\x02\x01\x01" + b"\x00" * 4096,
        [("", None, "", "ไฟล์นี้เป็นโปรแกรม (ELF ของ Linux) ที่ตั้งชื่อเป็นไฟล์ Excel ระบบไม่รับไฟล์นี้")],
    ),
    "a zip bomb": (_zip_bomb, [("", None, "", ZIP_BOMB[0])]),
    "a zip bomb that lies about its sizes": (_lying_zip_bomb, [("", None, "", ZIP_BOMB[0])]),
    "a zip of five thousand members": (_many_members, [("", None, "", ZIP_BOMB[0])]),
    "100,000 rows": (
        _with_100000_rows,
        [
            (
                "",
                None,
                "",
                "แผ่น 'แบบฟอร์ม' มีข้อมูลเกิน 2,000 แถว ซึ่งมากกว่าที่แบบฟอร์มรับได้ "
                "กรุณาลบแถวที่ไม่ใช้ออก (แบบฟอร์มหนึ่งหน่วยงานมีตัวชี้วัดไม่กี่สิบแถว)",
            )
        ],
    ),
    "formulas": (
        _with_formula,
        [
            (
                SHEET_FORM,
                5,
                "L",
                "เซลล์นี้มีสูตรคำนวณ ระบบไม่รับไฟล์ที่มีสูตร กรุณาพิมพ์ค่าแทน หรือคัดลอกแล้ววางแบบค่า (วางแบบพิเศษ → ค่า)",
            )
        ],
    ),
    "macros": (_with_macros, [("", None, "", MACROS[0])]),
    "a macro-enabled workbook": (_macro_enabled_content_type, [("", None, "", MACROS[0])]),
    "a Word document renamed": (_word_document, [("", None, "", "ไฟล์นี้เป็นเอกสาร Word ไม่ใช่ไฟล์ Excel (.xlsx)")]),
    "a truncated workbook": (lambda plan: workbook_export(plan=plan)[:5000], [("", None, "", NOT_XLSX[0])]),
    "an empty file": (lambda plan: b"", [("", None, "", "ไฟล์ว่างเปล่า กรุณาเลือกไฟล์แบบฟอร์มที่บันทึกแล้ว")]),
}


@pytest.mark.parametrize("kind", list(HOSTILE))
def test_a_hostile_file_is_refused_quickly_in_little_memory_and_writes_nothing(
    plan: Plan, officer: User, kind: str
) -> None:
    # given
    make, expected = HOSTILE[kind]
    data = make(plan)
    tree, revision = plan_tree(plan), plan.revision
    kpis = list(Kpi.objects.filter(plan=plan).order_by("pk").values())
    # when
    tracemalloc.start()
    started = time.perf_counter()
    try:
        upload = workbook_import(plan=plan, data=data, filename="hostile.xlsx", actor=officer)
        elapsed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # then
    assert upload.status == "refused"
    assert [(p["sheet"], p["row"], p["column"], p["message_th"]) for p in upload.problems] == expected
    assert elapsed < 10
    assert peak < 200 * MEGABYTE
    plan.refresh_from_db()
    assert (plan_tree(plan), plan.revision) == (tree, revision)
    assert list(Kpi.objects.filter(plan=plan).order_by("pk").values()) == kpis


def test_a_file_over_the_size_limit_is_refused_by_its_size_and_not_kept(
    plan: Plan, officer: User, settings: Any
) -> None:
    settings.KHAMRAP_MAX_WORKBOOK_BYTES = 10_000
    data = workbook_export(plan=plan) + b"\x00" * 20_000

    upload = workbook_import(plan=plan, data=data, filename="big.xlsx", actor=officer)

    assert upload.problems == [
        {
            "sheet": "",
            "row": None,
            "column": "",
            "message_th": "ไฟล์มีขนาด 0.0 MB เกินกว่าที่รับได้ (0 MB)",
            "message_en": "The file is 0.0 MB, more than the 0 MB accepted",
        }
    ]
    assert not WorkbookUpload.objects.get().file


def test_every_formula_is_listed_with_its_cell_up_to_ten(plan: Plan, officer) -> None:  # type: ignore[no-untyped-def]
    wb = load_workbook(io.BytesIO(workbook_export(plan=plan)))
    for row in range(3, 15):
        wb[SHEET_FORM][f"F{row}"] = "=1+1"
    wb["ระดับความสำเร็จ"]["C3"] = '="ขั้น"&"ที่หนึ่ง"'
    out = io.BytesIO()
    wb.save(out)

    upload = workbook_import(plan=plan, data=out.getvalue(), filename="f.xlsx", actor=officer)

    where = [(p["sheet"], p["row"], p["column"]) for p in upload.problems]
    assert where == [
        *[(SHEET_FORM, row, "F") for row in range(3, 13)],
        (SHEET_FORM, None, ""),
        ("ระดับความสำเร็จ", 3, "C"),
    ]
    assert upload.problems[10]["message_th"] == "แผ่นนี้มีสูตรคำนวณอีก 2 เซลล์"


def _patch_sheet(data: bytes, part: str, change: Callable[[bytes], bytes]) -> bytes:
    members = _members(data)
    members[part] = change(members[part])
    return _zip(members)


def test_dropdowns_excel_writes_in_its_x14_extension_are_not_taken_for_formulas(
    plan: Plan, officer: User
) -> None:
    # Excel 2010+ saves a dropdown that refers to another sheet as <x14:dataValidation> with an <xm:f>.
    extension = (
        b'<extLst><ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}" '
        b'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">'
        b'<x14:dataValidations count="1" xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main">'
        b'<x14:dataValidation type="list" allowBlank="1"><x14:formula1><xm:f>lists!$A$1:$A$2</xm:f>'
        b"</x14:formula1><xm:sqref>G3:G110</xm:sqref></x14:dataValidation></x14:dataValidations></ext></extLst>"
    )
    data = _patch_sheet(
        workbook_export(plan=plan),
        "xl/worksheets/sheet2.xml",
        lambda xml: xml.replace(b"</worksheet>", extension + b"</worksheet>"),
    )

    upload = workbook_import(plan=plan, data=data, filename="excel.xlsx", actor=officer)

    assert (upload.status, upload.problems) == ("unchanged", [])


def test_cells_without_references_are_counted_one_by_one(plan: Plan, officer: User) -> None:
    # A writer may leave out r="…": the cells then sit one after another; 150 in a row is too wide.
    row = b'<row r="200">' + b'<c t="inlineStr"><is><t>x</t></is></c>' * 150 + b"</row>"
    data = _patch_sheet(
        workbook_export(plan=plan),
        "xl/worksheets/sheet2.xml",
        lambda xml: xml.replace(b"</sheetData>", row + b"</sheetData>"),
    )

    upload = workbook_import(plan=plan, data=data, filename="wide.xlsx", actor=officer)

    assert [p["message_th"] for p in upload.problems] == [
        "แผ่น 'แบบฟอร์ม' มีข้อมูลมากเกินกว่าแบบฟอร์มปกติ (ไม่เกิน 100 คอลัมน์ และ 200,000 เซลล์) กรุณาลบส่วนที่ไม่ใช้ออก"
    ]
