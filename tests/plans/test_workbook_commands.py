"""``khamrap export_plan`` and ``khamrap import_plans``: files, folders and zips, dry runs and exit codes."""

import io
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from khamrap.plans.models import Kpi, Plan, WorkbookUpload
from khamrap.plans.selectors import plan_tree
from khamrap.workbook.layout import SHEET_FORM
from tests.factories import PlanFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(fy2551, org) -> Plan:  # type: ignore[no-untyped-def]
    return PlanFactory(fiscal_year=fy2551, organisation=org("50"))


def _export(tmp_path: Path, org: str, name: str | None = None) -> Path:
    out = tmp_path / (name or f"{org}.xlsx")
    stdout = io.StringIO()
    call_command("export_plan", "--year", "2551", "--org", org, "--out", str(out), stdout=stdout)
    return out


def _set_target(path: Path, row: int, value: object) -> None:
    wb = load_workbook(path)
    wb[SHEET_FORM][f"L{row}"] = value
    wb.save(path)


def _import(*args: str) -> tuple[int, list[str]]:
    stdout = io.StringIO()
    try:
        call_command("import_plans", *args, stdout=stdout)
        status = 0
    except SystemExit as exit_:
        status = int(exit_.code or 0)
    return status, stdout.getvalue().splitlines()


def test_export_plan_writes_the_prefilled_workbook(plan: Plan, tmp_path: Path) -> None:
    out = _export(tmp_path, "50")

    form = load_workbook(out)[SHEET_FORM]
    assert [form[f"C{row}"].value for row in range(3, 11)] == [f"1.{n}" for n in range(1, 9)]


def test_export_plan_of_an_unknown_organisation_fails_in_thai(fy2551, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CommandError, match="ไม่พบหน่วยงานรหัส 'XX'"):
        _export(tmp_path, "XX")
    with pytest.raises(CommandError, match=r"ไม่พบปีงบประมาณ พ\.ศ\. 2600"):
        call_command("export_plan", "--year", "2600", "--org", "50", "--out", str(tmp_path / "x.xlsx"))


def test_import_plans_of_an_unchanged_file_prints_one_line_and_exits_zero(plan: Plan, tmp_path: Path) -> None:
    path = _export(tmp_path, "50")

    status, lines = _import(str(path))

    assert status == 0
    assert lines == [f"unchanged {path}  [50]  ไม่มีการเปลี่ยนแปลง", "1 files: 1 unchanged"]


def test_import_plans_of_a_folder_imports_each_workbook_into_its_own_plan(plan: Plan, tmp_path: Path) -> None:
    folder = tmp_path / "disks"
    folder.mkdir()
    chiang_mai = _export(folder, "50")
    _set_target(chiang_mai, 3, 6)
    lamphun = _export(folder, "51")  # an empty form, filled in by Lamphun
    wb = load_workbook(lamphun)
    for ref, value in {
        "A3": "ประเด็นลำพูน", "B3": "เป้าประสงค์ลำพูน", "C3": "1.1", "D3": "ร้อยละของสินค้า OTOP ที่ได้มาตรฐาน",
        "E3": "ร้อยละ", "F3": 35, "G3": "เชิงปริมาณ", "H3": "ยิ่งมากยิ่งดี", "L3": 80, "M3": 60, "N3": 70, "O3": 80,
        "P3": 90, "Q3": 100,
    }.items():  # fmt: skip
        wb[SHEET_FORM][ref] = value
    wb.save(lamphun)

    status, lines = _import(str(folder))

    assert status == 0
    assert lines == [
        f"accepted  {chiang_mai}  [50]  นำเข้าแล้ว: เพิ่ม 0 แก้ไข 1 ลบ 0 ตัวชี้วัด",
        f"accepted  {lamphun}  [51]  นำเข้าแล้ว: เพิ่ม 1 แก้ไข 0 ลบ 0 ตัวชี้วัด",
        "2 files: 2 accepted",
    ]
    assert Kpi.objects.get(plan=plan, code="1.1").target == 6
    assert list(Kpi.objects.filter(plan__organisation__code="51").values_list("code", "name")) == [
        ("1.1", "ร้อยละของสินค้า OTOP ที่ได้มาตรฐาน")
    ]
    assert WorkbookUpload.objects.filter(status="accepted").count() == 2


def test_import_plans_of_a_zip_with_a_bad_file_exits_one_and_imports_the_good_ones(
    plan: Plan, tmp_path: Path
) -> None:
    good = _export(tmp_path, "50")
    _set_target(good, 3, 6)
    bad = _export(tmp_path, "50", name="bad.xlsx")
    wb = load_workbook(bad)
    wb[SHEET_FORM]["F3"] = "ห้า"
    wb[SHEET_FORM]["D4"] = None
    wb.save(bad)
    archive = tmp_path / "disks.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(good, "เชียงใหม่/good.xlsx")
        zf.write(bad, "เชียงใหม่/bad.xlsx")
        zf.writestr("readme.txt", "not a workbook, skipped")
        zf.writestr("__MACOSX/เชียงใหม่/._good.xlsx", b"resource fork, skipped")

    status, lines = _import(str(archive))

    assert status == 1
    assert lines == [
        f"refused   {archive}:เชียงใหม่/bad.xlsx  [50]  ไม่ผ่านการตรวจสอบ 2 ปัญหา: "
        'แบบฟอร์ม!F3: น้ำหนัก ต้องเป็นตัวเลข (พบ "ห้า"); แบบฟอร์ม!D4: กรุณาระบุชื่อตัวชี้วัด',
        f"accepted  {archive}:เชียงใหม่/good.xlsx  [50]  นำเข้าแล้ว: เพิ่ม 0 แก้ไข 1 ลบ 0 ตัวชี้วัด",
        "2 files: 1 accepted, 1 refused",
    ]
    assert Kpi.objects.get(plan=plan, code="1.1").target == 6


def test_import_plans_speaks_english_when_asked(plan: Plan, tmp_path: Path) -> None:
    good = _export(tmp_path, "50")
    _set_target(good, 3, 6)
    bad = _export(tmp_path, "50", name="bad.xlsx")
    wb = load_workbook(bad)
    wb[SHEET_FORM]["F3"] = "ห้า"
    wb.save(bad)

    status, lines = _import(str(bad), str(good), "--dry-run", "--language", "en")

    assert status == 1
    assert lines == [
        f'refused   {bad}  [50]  Refused: 1 problem: แบบฟอร์ม!F3: Weight must be a number (found "ห้า")',
        f"dry_run   {good}  [50]  Checked, passed (nothing saved): 0 KPIs added, 1 changed, 0 removed",
        "2 files: 1 dry_run, 1 refused",
    ]


def test_import_plans_dry_run_checks_everything_and_writes_nothing(plan: Plan, tmp_path: Path) -> None:
    path = _export(tmp_path, "50")
    _set_target(path, 3, 6)
    hostile = tmp_path / "virus.xlsx"
    hostile.write_bytes(b"MZ" + b"\x00" * 100)
    tree, revision = plan_tree(plan), plan.revision

    status, lines = _import("--dry-run", str(path), str(hostile), str(tmp_path / "missing.xlsx"))

    assert status == 1
    assert lines == [
        f"dry_run   {path}  [50]  ตรวจแล้ว ผ่าน (ยังไม่บันทึก): เพิ่ม 0 แก้ไข 1 ลบ 0 ตัวชี้วัด",
        f"refused   {hostile}  [-]  ไม่ผ่านการตรวจสอบ 1 ปัญหา: "
        "ไฟล์นี้เป็นโปรแกรมของ Windows (.exe/.dll) ที่ตั้งชื่อเป็นไฟล์ Excel ระบบไม่รับไฟล์นี้",
        f"refused   {tmp_path / 'missing.xlsx'}  [-]  ไม่ผ่านการตรวจสอบ 1 ปัญหา: ไม่พบไฟล์นี้",
        "3 files: 1 dry_run, 2 refused",
    ]
    plan.refresh_from_db()
    assert (plan_tree(plan), plan.revision) == (tree, revision)
    assert not WorkbookUpload.objects.exists()
    assert Plan.objects.count() == 1


def test_import_plans_refuses_a_stale_file_unless_forced(plan: Plan, officer, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from decimal import Decimal

    from khamrap.plans import editing
    from khamrap.plans.models import Kpi
    from khamrap.workbook.writer import workbook_export as export

    path = tmp_path / "cm.xlsx"
    book = load_workbook(io.BytesIO(export(plan=plan)))
    book[SHEET_FORM]["L3"] = 6
    book.save(path)
    kpi = Kpi.objects.get(plan=plan, code="1.1")
    editing.kpi_update(kpi=kpi, actor=officer, values={"target": Decimal(7)}, levels={})  # after the download

    status, lines = _import(str(path))
    assert status == 1
    assert "แบบฟอร์มในระบบมีการแก้ไขหลังจากดาวน์โหลดไฟล์นี้: 1.1 ค่าเป้าหมาย (cm_officer)" in "\n".join(lines)
    assert Kpi.objects.get(pk=kpi.pk).target == Decimal(7)

    assert _import(str(path), "--force")[0] == 0
    assert Kpi.objects.get(pk=kpi.pk).target == Decimal(6)
