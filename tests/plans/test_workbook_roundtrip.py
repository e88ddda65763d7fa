"""The data disk: export → import keeps everything, and only what was changed in the workbook changes.

``tests/fixtures/workbook-sample-libreoffice.xlsx`` was made by exporting ``sample_plan()`` for Chiang Mai
(FY2551) and re-saving it with LibreOffice 7.4 (``soffice --headless --convert-to xlsx``); the KPI uids
in its meta sheet are given to the test plan's KPIs before importing it.
"""

import hashlib
import io
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from khamrap.accounts.models import User
from khamrap.frameworks.models import FiscalYear
from khamrap.orgs.models import Organisation
from khamrap.plans import editing
from khamrap.plans.models import Kpi, Plan, PlanStatus, WorkbookUpload
from khamrap.plans.selectors import plan_or_blank, plan_tree
from khamrap.site.samples import large_plan, sample_plan
from khamrap.workbook.importer import workbook_import
from khamrap.workbook.layout import SHEET_FORM, SHEET_META, SHEET_MILESTONES
from khamrap.workbook.reader import workbook_read
from khamrap.workbook.writer import workbook_export

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "workbook-sample-libreoffice.xlsx"


def _edit(data: bytes, sheet: str, cells: dict[str, object]) -> bytes:
    wb = load_workbook(io.BytesIO(data))
    for ref, value in cells.items():
        wb[sheet][ref] = value
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _state(plan: Plan) -> tuple[object, int, list[tuple[int, str]]]:
    plan.refresh_from_db()
    return plan_tree(plan), plan.revision, list(Kpi.objects.filter(plan=plan).values_list("pk", "uid"))


# --- the workbook as written ----------------------------------------------------------------------


def test_the_export_has_instructions_form_milestones_and_hidden_lists_and_meta(plan: Plan) -> None:
    wb = load_workbook(io.BytesIO(workbook_export(plan=plan)))

    assert wb.sheetnames == ["คำชี้แจง", "แบบฟอร์ม", "ระดับความสำเร็จ", "lists", "meta"]
    assert [wb[name].sheet_state for name in wb.sheetnames] == [
        "visible",
        "visible",
        "visible",
        "hidden",
        "hidden",
    ]
    assert wb.security is not None and wb.security.lockStructure
    assert wb.active is not None and wb.active.title == "แบบฟอร์ม"
    assert [ws.title for ws in wb.worksheets if ws.sheet_view.tabSelected] == ["แบบฟอร์ม"]
    form = wb[SHEET_FORM]
    headers = [form.cell(2, column).value for column in range(1, 26)]
    assert headers[:12] == [
        "ประเด็นยุทธศาสตร์", "เป้าประสงค์", "ตัวชี้วัดที่", "ชื่อตัวชี้วัด", "หน่วยวัด", "น้ำหนัก (ร้อยละ)",
        "ประเภทตัวชี้วัด", "ทิศทาง", "ข้อมูลพื้นฐาน ปี พ.ศ. 2548", "ข้อมูลพื้นฐาน ปี พ.ศ. 2549",
        "ข้อมูลพื้นฐาน ปี พ.ศ. 2550", "ค่าเป้าหมาย",
    ]  # fmt: skip
    assert headers[12:17] == [f"เกณฑ์ระดับ {n}" for n in range(1, 6)]
    assert headers[17:] == [
        "คำอธิบาย / นิยาม", "สูตรการคำนวณ", "แหล่งข้อมูล", "ผู้กำกับดูแลตัวชี้วัด", "โทรศัพท์ผู้กำกับดูแล",
        "ผู้จัดเก็บข้อมูล", "โทรศัพท์ผู้จัดเก็บข้อมูล", "หมายเหตุ",
    ]  # fmt: skip
    # row 3 is KPI 1.1, pre-filled
    assert [form[f"{c}3"].value for c in "CDEGH"] == [
        "1.1", "ร้อยละที่เพิ่มขึ้นของรายได้จากการท่องเที่ยว", "ร้อยละ", "เชิงปริมาณ", "ยิ่งมากยิ่งดี",
    ]  # fmt: skip
    assert Decimal(str(form["L3"].value)) == 5
    assert form["V3"].value == "0 5311 2345"
    # protection: headers locked, data and spare rows unlocked; Sarabun; frozen header
    assert form.protection.sheet
    assert form["A2"].protection.locked and not form["L3"].protection.locked
    assert not form["D100"].protection.locked
    assert form["D3"].font.name == "Sarabun" and form["A2"].font.name == "Sarabun"
    assert form.freeze_panes == "D3"
    assert form["C3"].number_format == "@"
    # dropdowns for type, direction and unit from the hidden lists sheet
    validations = {str(dv.sqref).split(":")[0]: dv.formula1 for dv in form.data_validations.dataValidation}
    assert validations == {
        "G3": "=lists!$A$1:$A$2",
        "H3": "=lists!$B$1:$B$2",
        "E3": validations["E3"],
        "Z3": '"ใช่"',  # a new KPI: "ใช่" or blank
    }
    assert validations["E3"].startswith("=lists!$C$1:$C$")
    assert [wb["lists"].cell(r, 1).value for r in (1, 2)] == ["เชิงปริมาณ", "ระดับความสำเร็จ"]
    # milestones: one row per milestone KPI, one cell per level, sub-steps on their own lines
    milestones = wb[SHEET_MILESTONES]
    assert [milestones["A3"].value, milestones["A4"].value, milestones["A5"].value] == ["1.3", "1.7", None]
    assert milestones["C3"].value == "แต่งตั้งคณะทำงาน"
    assert milestones["E3"].value == "ดำเนินการตามแผนครบถ้วน\n- จัดทำร่าง\n- ผ่านความเห็นชอบ"
    # meta: whose workbook, and each form row's KPI identity
    meta = wb[SHEET_META]
    assert [[meta.cell(r, c).value for c in (1, 2)] for r in range(1, 5)] == [
        ["format", "khamrap-plan-workbook"], ["version", "1"], ["fiscal_year", "2551"], ["organisation", "50"],
    ]  # fmt: skip
    uids = {str(k.uid): k.code for k in Kpi.objects.filter(plan=plan)}
    rows = [[meta.cell(r, c).value for c in (1, 2, 3)] for r in range(10, 18)]
    assert [(row, code) for row, code, _ in rows] == [(str(3 + n), f"1.{n + 1}") for n in range(8)]
    assert all(uids[uid] == code for _, code, uid in rows)


def test_the_export_reads_the_plan_in_a_constant_number_of_queries(fy2551, org, officer) -> None:  # type: ignore[no-untyped-def]
    counts = []
    for code, data in (("50", sample_plan()), ("51", large_plan(kpi_count=30))):
        plan = editing.plan_get_or_create(fiscal_year=fy2551, organisation=org(code))
        editing.plan_tree_replace(plan=plan, data=data, actor=None)
        plan = Plan.objects.get(pk=plan.pk)
        with CaptureQueriesContext(connection) as queries:
            workbook_export(plan=plan)
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 6


def test_an_organisation_without_a_plan_gets_an_empty_form_and_nothing_is_written(fy2551, org) -> None:  # type: ignore[no-untyped-def]
    data = workbook_export(plan=plan_or_blank(fiscal_year=fy2551, organisation=org("51")))

    read = workbook_read(data)
    assert read.problems == []
    assert (read.fiscal_year, read.org_code, read.plan.issues) == (2551, "51", ())
    assert not Plan.objects.filter(organisation=org("51")).exists()


# --- round trips ----------------------------------------------------------------------------------


def test_an_unchanged_workbook_changes_nothing_and_keeps_every_kpi(plan: Plan, officer) -> None:  # type: ignore[no-untyped-def]
    # given
    data = workbook_export(plan=plan)
    before = _state(plan)
    # when
    upload = workbook_import(plan=plan, data=data, filename="เชียงใหม่.xlsx", actor=officer)
    # then
    assert upload.status == "unchanged"
    assert upload.problems == []
    assert upload.summary["counts"] == {"added": 0, "changed": 0, "removed": 0}
    assert _state(plan) == before


def test_both_engines_read_the_same_plan(plan: Plan) -> None:
    data = workbook_export(plan=plan)

    with_calamine = workbook_read(data)
    with_openpyxl = workbook_read(data, engine="openpyxl")

    assert with_calamine.problems == with_openpyxl.problems == []
    assert with_calamine.plan == with_openpyxl.plan == plan_tree(plan)


def test_changing_two_targets_shows_exactly_those_two_changes(plan: Plan, officer) -> None:  # type: ignore[no-untyped-def]
    # given: the officer changes the targets of 1.1 (row 3) and 1.5 (row 7) in Excel
    data = _edit(workbook_export(plan=plan), SHEET_FORM, {"L3": 5.5, "L7": "๒๘"})
    uids_before = dict(Kpi.objects.filter(plan=plan).values_list("code", "uid"))
    # when
    upload = workbook_import(plan=plan, data=data, filename="cm.xlsx", actor=officer)
    # then
    assert upload.status == "accepted"
    assert upload.summary["counts"] == {"added": 0, "changed": 2, "removed": 0}
    assert upload.summary["changed"] == [
        {
            "code": "1.1",
            "name": "ร้อยละที่เพิ่มขึ้นของรายได้จากการท่องเที่ยว",
            "fields": [{"field": "target", "label": "ค่าเป้าหมาย", "old": "5", "new": "5.5"}],
        },
        {
            "code": "1.5",
            "name": "จำนวนวันที่ค่าฝุ่นละอองเกินมาตรฐาน",
            "fields": [{"field": "target", "label": "ค่าเป้าหมาย", "old": "30", "new": "28"}],
        },
    ]
    kpis = {k.code: k for k in Kpi.objects.filter(plan=plan)}
    assert (kpis["1.1"].target, kpis["1.5"].target, kpis["1.2"].target) == (Decimal("5.5"), 28, 140000)
    assert {code: k.uid for code, k in kpis.items()} == uids_before


def test_a_new_row_adds_a_kpi_and_a_cleared_row_removes_one(plan: Plan, officer) -> None:  # type: ignore[no-untyped-def]
    data = workbook_export(plan=plan)
    new_row = {
        "A11": "การเสริมสร้างคุณภาพชีวิตและความปลอดภัย", "B11": "ประชาชนมีคุณภาพชีวิตที่ดี", "C11": "1.9",
        "D11": "ร้อยละของผู้สูงอายุที่ได้รับการดูแล", "E11": "ร้อยละ", "F11": 4, "G11": "เชิงปริมาณ",
        "H11": "ยิ่งมากยิ่งดี", "L11": 80, "M11": 60, "N11": 70, "O11": 80, "P11": 90, "Q11": 100,
    }  # fmt: skip
    cleared = {f"{letter}8": None for letter in "ABCDEFGHIJKLMNOPQRSTUVWXY"}  # 1.6
    uid_of_1_8 = Kpi.objects.get(plan=plan, code="1.8").uid

    upload = workbook_import(
        plan=plan, data=_edit(data, SHEET_FORM, {**new_row, **cleared}), filename="cm.xlsx", actor=officer
    )

    assert upload.status == "accepted", upload.problems
    assert upload.summary["counts"] == {"added": 1, "changed": 0, "removed": 1}
    assert upload.summary["added"] == [{"code": "1.9", "name": "ร้อยละของผู้สูงอายุที่ได้รับการดูแล"}]
    assert upload.summary["removed"] == [{"code": "1.6", "name": "อัตราการเกิดอุบัติเหตุทางถนนต่อประชากรแสนคน"}]
    codes = list(Kpi.objects.filter(plan=plan).order_by("position").values_list("code", "name"))
    assert codes[-1] == ("1.8", "ร้อยละของผู้สูงอายุที่ได้รับการดูแล")  # renumbered in tree order
    assert Kpi.objects.get(plan=plan, code="1.7").uid == uid_of_1_8


def test_milestone_levels_and_sub_steps_come_back_from_their_sheet(plan: Plan, officer) -> None:  # type: ignore[no-untyped-def]
    data = _edit(
        workbook_export(plan=plan),
        SHEET_MILESTONES,
        {"E3": "ดำเนินการตามแผนครบถ้วน\n- จัดทำร่าง\n- ผ่านความเห็นชอบ\n• ประกาศใช้"},
    )

    upload = workbook_import(plan=plan, data=data, filename="cm.xlsx", actor=officer)

    assert upload.status == "accepted"
    assert [(c["code"], [f["field"] for f in c["fields"]]) for c in upload.summary["changed"]] == [
        ("1.3", ["levels"])
    ]
    level = Kpi.objects.get(plan=plan, code="1.3").levels.get(level=3)
    assert (level.description, level.substeps) == (
        "ดำเนินการตามแผนครบถ้วน",
        ["จัดทำร่าง", "ผ่านความเห็นชอบ", "ประกาศใช้"],
    )


def test_the_original_file_is_kept_with_its_outcome(plan: Plan, officer) -> None:  # type: ignore[no-untyped-def]
    data = _edit(workbook_export(plan=plan), SHEET_FORM, {"L3": 6})

    upload = workbook_import(plan=plan, data=data, filename="แบบฟอร์ม เชียงใหม่.xlsx", actor=officer)

    stored = WorkbookUpload.objects.get(pk=upload.pk)
    with stored.file.open("rb") as handle:
        assert handle.read() == data
    assert (stored.original_name, stored.plan_id, stored.uploaded_by_id, stored.status) == (
        "แบบฟอร์ม เชียงใหม่.xlsx", plan.pk, officer.pk, "accepted",
    )  # fmt: skip
    assert stored.sha256 == hashlib.sha256(data).hexdigest()


def test_a_workbook_of_another_province_is_refused_and_nothing_is_written(
    plan: Plan, officer: User, org: Callable[[str], Organisation], fy2551: FiscalYear
) -> None:
    lamphun = workbook_export(plan=plan_or_blank(fiscal_year=fy2551, organisation=org("51")))
    before = _state(plan)

    upload = workbook_import(plan=plan, data=lamphun, filename="lp.xlsx", actor=officer)

    assert upload.status == "refused"
    assert upload.problems == [
        {
            "sheet": "",
            "row": None,
            "column": "",
            "message_th": "ไฟล์นี้เป็นแบบฟอร์มของลำพูน ปีงบประมาณ พ.ศ. 2551 แต่กำลังนำเข้าให้เชียงใหม่ "
            "ปีงบประมาณ พ.ศ. 2551 กรุณาดาวน์โหลดแบบฟอร์มของหน่วยงานนี้",
            "message_en": "This file is the form of Lamphun for fiscal year 2551 B.E., but it is being imported "
            "for Chiang Mai, fiscal year 2551 B.E.; download this organisation's form",
        }
    ]
    assert _state(plan) == before


def test_a_submitted_plan_is_not_changed_by_a_workbook(plan: Plan, officer) -> None:  # type: ignore[no-untyped-def]
    data = _edit(workbook_export(plan=plan), SHEET_FORM, {"L3": 6})
    Plan.objects.filter(pk=plan.pk).update(status=PlanStatus.SUBMITTED)
    before = _state(plan)

    upload = workbook_import(plan=plan, data=data, filename="cm.xlsx", actor=officer)

    assert upload.status == "refused"
    assert upload.problems[0]["message_th"].startswith(
        "แบบฟอร์มอยู่ในสถานะ 'ส่งแล้ว' จึงแก้ไขไม่ได้ จนกว่าสำนักงาน ก.พ.ร. จะส่งกลับ"
    )
    assert _state(plan) == before


def test_a_dry_run_reports_the_changes_and_stores_nothing(plan: Plan, officer) -> None:  # type: ignore[no-untyped-def]
    data = _edit(workbook_export(plan=plan), SHEET_FORM, {"L3": 6})
    before = _state(plan)

    upload = workbook_import(plan=plan, data=data, filename="cm.xlsx", actor=officer, dry_run=True)

    assert (upload.status, upload.pk) == ("dry_run", None)
    assert upload.summary["counts"] == {"added": 0, "changed": 1, "removed": 0}
    assert _state(plan) == before
    assert not WorkbookUpload.objects.exists()


# --- LibreOffice ----------------------------------------------------------------------------------


def test_a_workbook_resaved_by_libreoffice_imports_unchanged(plan: Plan, officer) -> None:  # type: ignore[no-untyped-def]
    # given: the plan's KPIs carry the identities written into the fixture when it was exported
    data = FIXTURE.read_bytes()
    read = workbook_read(data)
    assert read.problems == []
    for kpi in read.plan.kpis():
        Kpi.objects.filter(plan=plan, code=kpi.code).update(uid=kpi.uid)
    before = _state(plan)
    # when
    upload = workbook_import(plan=plan, data=data, filename="libreoffice.xlsx", actor=officer)
    # then
    assert upload.status == "unchanged", upload.summary
    assert _state(plan) == before


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_a_workbook_edited_then_resaved_by_libreoffice_now_imports(plan: Plan, officer, tmp_path) -> None:  # type: ignore[no-untyped-def]
    source = tmp_path / "edited.xlsx"
    source.write_bytes(_edit(workbook_export(plan=plan), SHEET_FORM, {"L3": 5.5, "L4": 141000}))
    out = tmp_path / "out"
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to", "xlsx",
         "--outdir", str(out), str(source)],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    resaved = (out / "edited.xlsx").read_bytes()
    with zipfile.ZipFile(io.BytesIO(resaved)) as archive:
        assert b"LibreOffice" in archive.read("docProps/app.xml")

    upload = workbook_import(plan=plan, data=resaved, filename="edited.xlsx", actor=officer)

    assert upload.status == "accepted", upload.problems
    assert [(c["code"], c["fields"][0]["new"]) for c in upload.summary["changed"]] == [
        ("1.1", "5.5"),
        ("1.2", "141000"),
    ]


def test_a_workbook_older_than_the_plan_warns_that_it_replaces_the_later_edits(
    plan: Plan, officer: User
) -> None:
    data = _edit(workbook_export(plan=plan), SHEET_FORM, {"L3": 6})
    editing.plan_tree_replace(plan=plan, data=sample_plan(total_weight=Decimal(35)), actor=officer)
    Plan.objects.filter(pk=plan.pk).update(revision=plan.revision + 1)  # edited on the web meanwhile
    plan.refresh_from_db()

    upload = workbook_import(plan=plan, data=data, filename="old.xlsx", actor=officer)

    assert upload.status == "accepted"
    assert upload.summary["warnings"] == [
        {
            "message_th": "แบบฟอร์มในระบบมีการแก้ไขหลังจากดาวน์โหลดไฟล์นี้ ข้อมูลในไฟล์แทนที่ข้อมูลในระบบทั้งหมด กรุณาตรวจรายการเปลี่ยนแปลงให้ครบ",
            "message_en": "The plan was changed after this file was downloaded; the file replaces everything in "
            "the system, so check every change listed",
        }
    ]


def test_swapping_two_rows_reorders_the_kpis_and_keeps_their_identity(plan: Plan, officer: User) -> None:
    wb = load_workbook(io.BytesIO(workbook_export(plan=plan)))
    form = wb[SHEET_FORM]
    for letter in "ABCDEFGHIJKLMNOPQRSTUVWXY":
        form[f"{letter}3"].value, form[f"{letter}4"].value = (
            form[f"{letter}4"].value,
            form[f"{letter}3"].value,
        )
    out = io.BytesIO()
    wb.save(out)
    uids = dict(Kpi.objects.filter(plan=plan).values_list("name", "uid"))

    upload = workbook_import(plan=plan, data=out.getvalue(), filename="swapped.xlsx", actor=officer)

    assert upload.status == "accepted"
    assert (upload.summary["counts"], upload.summary["order_changed"]) == (
        {"added": 0, "changed": 0, "removed": 0},
        True,
    )
    ordered = list(Kpi.objects.filter(plan=plan).order_by("position").values_list("code", "name", "uid"))
    assert ordered[:2] == [
        ("1.1", "จำนวนนักท่องเที่ยวที่เพิ่มขึ้น", uids["จำนวนนักท่องเที่ยวที่เพิ่มขึ้น"]),
        ("1.2", "ร้อยละที่เพิ่มขึ้นของรายได้จากการท่องเที่ยว", uids["ร้อยละที่เพิ่มขึ้นของรายได้จากการท่องเที่ยว"]),
    ]
