"""A workbook with mistakes: every problem is found, each with its sheet, row, column and Thai message.

The exported sample plan has KPIs 1.1 … 1.8 on form rows 3 … 10 (1.3 and 1.7 are milestones, on rows 3
and 4 of the milestone sheet).
"""

import io
from datetime import datetime

from openpyxl import load_workbook

from khamrap.plans.models import Kpi, Plan, WorkbookUpload
from khamrap.plans.selectors import plan_tree
from khamrap.workbook.importer import workbook_import
from khamrap.workbook.layout import SHEET_FORM, SHEET_MILESTONES
from khamrap.workbook.reader import workbook_read
from khamrap.workbook.writer import workbook_export

FORM, MILESTONES = SHEET_FORM, SHEET_MILESTONES


def _edit(data: bytes, changes: dict[str, dict[str, object]]) -> bytes:
    wb = load_workbook(io.BytesIO(data))
    for sheet, cells in changes.items():
        for ref, value in cells.items():
            wb[sheet][ref] = value
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _problems(data: bytes) -> list[tuple[str, int | None, str, str]]:
    return [(p.sheet, p.row, p.column, p.message_th) for p in workbook_read(data).problems]


TEN_MISTAKES = {
    FORM: {
        "I2": "ข้อมูลพื้นฐาน ปี พ.ศ. 2547",  # baseline header year does not match FY2551
        "F3": "ห้า",  # weight is not a number
        "G4": "เชิงคุณภาพ",  # unknown KPI type
        "H6": "มากดี",  # unknown direction
        "C7": "1.4",  # duplicate code (row 6 is 1.4)
        "L7": None,  # target missing
        "D8": None,  # name missing
        "E10": None,  # unit missing
        "O10": 99,  # criteria no longer increasing: level 4 (97.5) is not above level 3
    },
    MILESTONES: {"A5": "1.99", "C5": "ขั้นที่หนึ่ง"},  # a milestone row for a KPI not in the form
}


def test_ten_mistakes_give_ten_precise_messages_and_nothing_is_written(plan: Plan, officer) -> None:  # type: ignore[no-untyped-def]
    # given
    data = _edit(workbook_export(plan=plan), TEN_MISTAKES)
    tree, revision = plan_tree(plan), plan.revision
    kpis = list(Kpi.objects.filter(plan=plan).order_by("pk").values())
    # when
    upload = workbook_import(plan=plan, data=data, filename="ten-mistakes.xlsx", actor=officer)
    # then
    assert upload.status == "refused"
    assert [(p["sheet"], p["row"], p["column"], p["message_th"]) for p in upload.problems] == [
        (
            FORM, 2, "I",
            "ปีของข้อมูลพื้นฐานต้องเป็น พ.ศ. 2548 (พบ 2547) "
            "เพราะข้อมูลพื้นฐานของปีงบประมาณ พ.ศ. 2551 คือผลของปี 2548–2550",
        ),
        (FORM, 3, "F", 'น้ำหนัก ต้องเป็นตัวเลข (พบ "ห้า")'),
        (FORM, 4, "G", "ประเภทตัวชี้วัดต้องเป็น 'เชิงปริมาณ' หรือ 'ระดับความสำเร็จ'"),
        (FORM, 6, "H", "ทิศทางต้องเป็น 'ยิ่งมากยิ่งดี' หรือ 'ยิ่งน้อยยิ่งดี'"),
        (FORM, 7, "C", "รหัสตัวชี้วัด 1.4 ซ้ำกับแถวที่ 6 กรุณาตั้งรหัสที่ไม่ซ้ำกัน"),
        (FORM, 7, "L", "กรุณาระบุค่าเป้าหมาย"),
        (FORM, 8, "D", "กรุณาระบุชื่อตัวชี้วัด"),
        (FORM, 10, "E", "กรุณาระบุหน่วยวัด"),
        (FORM, 10, "P", "เกณฑ์ระดับ 4 ต้องมากกว่าเกณฑ์ระดับ 3 (99) เพราะทิศทางเป็นยิ่งมากยิ่งดี"),
        (MILESTONES, 5, "A", "ไม่พบตัวชี้วัด 1.99 ในแผ่น 'แบบฟอร์ม' กรุณาตรวจรหัสตัวชี้วัด"),
    ]  # fmt: skip
    plan.refresh_from_db()
    assert (plan_tree(plan), plan.revision) == (tree, revision)
    assert list(Kpi.objects.filter(plan=plan).order_by("pk").values()) == kpis
    assert WorkbookUpload.objects.get().status == "refused"


def test_numbers_are_read_the_thai_way_and_dates_or_long_decimals_are_refused(plan: Plan) -> None:
    data = _edit(
        workbook_export(plan=plan),
        {FORM: {"L3": "๕.๕", "L4": "141,000", "J3": datetime(2007, 1, 2), "M3": 3.12345, "F4": "12.5%"}},
    )

    assert _problems(data) == [
        (FORM, 3, "J", "ข้อมูลพื้นฐานปี 2549 ต้องเป็นตัวเลข แต่เซลล์นี้เป็นวันที่หรือเวลา (Excel อาจแปลงให้เอง) "
         "กรุณาจัดรูปแบบเซลล์เป็นตัวเลขแล้วพิมพ์ใหม่"),
        (FORM, 3, "M", "เกณฑ์ระดับ 1 มีทศนิยมได้ไม่เกิน 4 ตำแหน่ง (พบ 3.12345)"),
        (FORM, 4, "F", 'น้ำหนัก ต้องเป็นตัวเลข (พบ "12.5%")'),
    ]  # fmt: skip


def test_a_milestone_kpi_needs_its_levels_and_a_quantitative_one_has_none(plan: Plan) -> None:
    data = _edit(
        workbook_export(plan=plan),
        {
            MILESTONES: {"A3": "1.4", "F4": None},  # 1.3's row now names 1.4; 1.7 loses level 4
        },
    )

    assert _problems(data) == [
        (FORM, 5, "G", "ตัวชี้วัด 1.3 เป็นประเภทระดับความสำเร็จ แต่ยังไม่มีคำอธิบายระดับ 1–5 ในแผ่น 'ระดับความสำเร็จ'"),
        (MILESTONES, 3, "A", "ตัวชี้วัด 1.4 เป็นประเภทเชิงปริมาณ จึงไม่มีคำอธิบายระดับ "
         "กรุณาเปลี่ยนประเภทเป็นระดับความสำเร็จ หรือลบแถวนี้"),
        (MILESTONES, 4, "F", "กรุณาระบุคำอธิบายระดับ 4"),
    ]  # fmt: skip


def test_rows_without_an_issue_or_goal_and_text_too_long_are_reported(plan: Plan) -> None:
    data = _edit(
        workbook_export(plan=plan),
        {FORM: {"A3": None, "B3": None, "U4": "ก" * 201, "AA5": "นอกตาราง"}},
    )

    assert _problems(data) == [
        (FORM, 3, "A", "กรุณาระบุประเด็นยุทธศาสตร์"),
        (FORM, 3, "B", "กรุณาระบุเป้าประสงค์"),
        (FORM, 4, "U", "ผู้กำกับดูแลตัวชี้วัด ยาวได้ไม่เกิน 200 ตัวอักษร (มี 201)"),
        (FORM, 5, "AA", "มีข้อมูลนอกคอลัมน์ของแบบฟอร์ม ระบบไม่นำเข้า กรุณาย้ายไปไว้ในคอลัมน์ที่ถูกต้องหรือลบออก"),
    ]


def test_moved_columns_are_reported_once_instead_of_misreading_every_row(plan: Plan) -> None:
    data = _edit(workbook_export(plan=plan), {FORM: {"L2": "เป้าหมาย"}})

    assert _problems(data) == [
        (FORM, 2, "", "คอลัมน์ของแบบฟอร์มถูกย้าย เพิ่ม หรือลบ ระบบจึงไม่อ่านข้อมูลในแผ่นนี้ "
         "กรุณาดาวน์โหลดแบบฟอร์มใหม่แล้วคัดลอกข้อมูลลงไป"),
        (FORM, 2, "L", "หัวคอลัมน์ต้องเป็น 'ค่าเป้าหมาย' (พบ 'เป้าหมาย')"),
    ]  # fmt: skip


def test_a_workbook_not_downloaded_from_the_system_is_refused(plan: Plan) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = SHEET_FORM  # type: ignore[union-attr]
    out = io.BytesIO()
    wb.save(out)

    assert _problems(out.getvalue()) == [
        ("", None, "", "ไม่พบข้อมูลระบบ (แผ่น meta) ในไฟล์ กรุณาดาวน์โหลดแบบฟอร์มจากระบบแล้วกรอกในไฟล์นั้น"),
        ("", None, "", "ไม่พบแผ่นงาน 'ระดับความสำเร็จ' ในไฟล์ (ห้ามเปลี่ยนชื่อหรือลบแผ่นงาน)"),
        (FORM, 2, "", "คอลัมน์ของแบบฟอร์มถูกย้าย เพิ่ม หรือลบ ระบบจึงไม่อ่านข้อมูลในแผ่นนี้ "
         "กรุณาดาวน์โหลดแบบฟอร์มใหม่แล้วคัดลอกข้อมูลลงไป"),
        *[(FORM, 2, letter, message) for letter, message in _header_problems()],
    ]  # fmt: skip


def _header_problems() -> list[tuple[str, str]]:
    from khamrap.workbook.layout import FORM_COLUMNS, LATE_COLUMNS

    found = []
    for index, column in enumerate(FORM_COLUMNS):
        letter = chr(ord("A") + index)
        if column.key.startswith("baseline_"):
            found.append((letter, "หัวคอลัมน์ต้องเป็น 'ข้อมูลพื้นฐาน ปี พ.ศ. ...' (พบ '')"))
        elif column.key not in LATE_COLUMNS:  # an empty heading there: a workbook older than the column
            found.append((letter, f"หัวคอลัมน์ต้องเป็น '{column.label}' (พบ '')"))
    return found
