"""The administrator's bulk import: a zip of workbooks, queued on the real database task backend and run
by ``khamrap db_worker --batch``, with progress and one result per file."""

import io
import zipfile

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from khamrap.accounts.models import User
from khamrap.core.errors import DomainError
from khamrap.frameworks.models import FiscalYear
from khamrap.plans.models import BulkImport, Kpi, Plan, WorkbookUpload
from khamrap.plans.selectors import plan_or_blank
from khamrap.workbook.tasks import bulk_import_create, bulk_import_process
from khamrap.workbook.writer import workbook_export
from tests.conftest import login
from tests.factories import PlanFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def database_task_queue(settings):  # type: ignore[no-untyped-def]
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


@pytest.fixture
def disks(fy2551, org) -> bytes:  # type: ignore[no-untyped-def]
    """Chiang Mai's and Lamphun's filled-in workbooks, and a renamed executable."""
    filled = {}
    for code in ("50", "51"):
        plan = PlanFactory(fiscal_year=fy2551, organisation=org(code))
        filled[code] = workbook_export(plan=plan)
        plan.delete()  # the disk is not in yet: the organisation has no plan in the system
    return _zip(
        {
            "disks/50-เชียงใหม่.xlsx": filled["50"],
            "disks/51-ลำพูน.xlsx": filled["51"],
            "disks/virus.xlsx": b"MZ" + b"\x00" * 64,
            "disks/notes.txt": b"skipped",
        }
    )


def test_a_bulk_import_runs_on_the_task_queue_with_progress_and_results(
    fy2551: FiscalYear, opdc_admin: User, disks: bytes
) -> None:
    # given: the administrator uploads the zip on the page
    client = login(opdc_admin)
    upload = io.BytesIO(disks)
    upload.name = "ไปรษณีย์.zip"
    response = client.post(reverse("bulk-import", args=[2551]), {"archive": upload})
    bulk = BulkImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("bulk-import-detail", args=[2551, bulk.pk])
    assert (bulk.status, bulk.total, bulk.processed, bulk.original_name) == ("queued", 3, 0, "ไปรษณีย์.zip")
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    page = client.get(reverse("bulk-import-detail", args=[2551, bulk.pk]))
    assert 'hx-trigger="every 1s"' in page.content.decode()
    # when: the worker runs
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    # then
    bulk.refresh_from_db()
    assert (bulk.status, bulk.processed, bulk.total) == ("done", 3, 3)
    assert [(r["name"], r["status"], r["org_code"], r["message_th"]) for r in bulk.results] == [
        ("disks/50-เชียงใหม่.xlsx", "accepted", "50", "นำเข้าแล้ว: เพิ่ม 8 แก้ไข 0 ลบ 0 ตัวชี้วัด"),
        ("disks/51-ลำพูน.xlsx", "accepted", "51", "นำเข้าแล้ว: เพิ่ม 8 แก้ไข 0 ลบ 0 ตัวชี้วัด"),
        ("disks/virus.xlsx", "refused", "", "ไม่ผ่านการตรวจสอบ 1 ปัญหา"),
    ]
    assert Kpi.objects.filter(plan__organisation__code__in=["50", "51"]).count() == 16
    assert WorkbookUpload.objects.filter(uploaded_by=opdc_admin).count() == 3
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    # and the page's progress part, asked for by htmx, stops polling
    part = client.get(
        reverse("bulk-import-detail", args=[2551, bulk.pk]), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "hx-trigger" not in part and "<html" not in part
    assert "ตรวจแล้ว 3 จาก 3 ไฟล์" in part and "virus.xlsx" in part


def test_the_bulk_results_show_in_the_pages_language(
    fy2551: FiscalYear, opdc_admin: User, disks: bytes
) -> None:
    # given a bulk dry run with a renamed executable among the workbooks
    bulk = bulk_import_create(
        fiscal_year=fy2551, archive=io.BytesIO(disks), original_name="d.zip", actor=opdc_admin, dry_run=True
    )
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    url = reverse("bulk-import-detail", args=[2551, bulk.pk])
    thai = login(opdc_admin)
    english = login(opdc_admin)
    english.post(reverse("set_language"), {"language": "en", "next": "/"})

    # when both look at the results
    shown_th = thai.get(url, HTTP_HX_REQUEST="true").content.decode()
    shown_en = english.get(url, HTTP_HX_REQUEST="true").content.decode()

    # then each reads the outcome and the problem in its own language
    assert "ไม่ผ่านการตรวจสอบ 1 ปัญหา" in shown_th
    assert "<li>ไฟล์นี้เป็นโปรแกรมของ Windows (.exe/.dll) ที่ตั้งชื่อเป็นไฟล์ Excel ระบบไม่รับไฟล์นี้</li>" in shown_th
    assert "Refused: 1 problem" in shown_en
    assert "Checked, passed (nothing saved): 8 KPIs added, 0 changed, 0 removed" in shown_en
    assert (
        "<li>This file is a Windows program (.exe/.dll) named as an Excel file; it is not accepted</li>"
        in shown_en
    )
    assert "ไม่ผ่านการตรวจสอบ" not in shown_en


def test_a_bulk_dry_run_reports_and_writes_no_plan(fy2551, opdc_admin, disks: bytes) -> None:  # type: ignore[no-untyped-def]
    bulk = bulk_import_create(
        fiscal_year=fy2551, archive=io.BytesIO(disks), original_name="d.zip", actor=opdc_admin, dry_run=True
    )

    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)

    bulk.refresh_from_db()
    assert [r["status"] for r in bulk.results] == ["dry_run", "dry_run", "refused"]
    assert not Kpi.objects.exists()
    assert not WorkbookUpload.objects.exists()


def test_a_workbook_of_another_year_is_refused_in_a_bulk_import(fy2551, opdc_admin, org) -> None:  # type: ignore[no-untyped-def]
    fy2552 = FiscalYear.objects.create(
        year=2552, starts_on="2008-10-01", ends_on="2009-09-30", submission_deadline="2008-10-15",
        structure_on="2008-10-01",
    )  # fmt: skip
    workbook = workbook_export(plan=plan_or_blank(fiscal_year=fy2552, organisation=org("50")))
    bulk = bulk_import_create(
        fiscal_year=fy2551,
        archive=io.BytesIO(_zip({"50.xlsx": workbook})),
        original_name="d.zip",
        actor=opdc_admin,
    )

    bulk_import_process(bulk_import_id=bulk.pk)
    bulk_import_process(bulk_import_id=bulk.pk)  # run twice: the second does nothing

    bulk.refresh_from_db()
    assert bulk.results[0]["problems"][0]["message_th"] == (
        "ไฟล์นี้เป็นแบบฟอร์มของปีงบประมาณ พ.ศ. 2552 แต่กำลังนำเข้าในปีงบประมาณ พ.ศ. 2551"
    )
    assert (bulk.status, bulk.processed, len(bulk.results)) == ("done", 1, 1)
    assert not Plan.objects.exists()


def test_only_the_administrator_creates_a_bulk_import_of_a_real_zip(fy2551, analyst, opdc_admin) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DomainError, match="เฉพาะผู้ดูแลระบบ"):
        bulk_import_create(
            fiscal_year=fy2551,
            archive=io.BytesIO(_zip({"a.xlsx": b""})),
            original_name="a.zip",
            actor=analyst,
        )
    with pytest.raises(DomainError, match="ไม่ใช่ไฟล์ zip"):
        bulk_import_create(
            fiscal_year=fy2551, archive=io.BytesIO(b"MZ"), original_name="a.zip", actor=opdc_admin
        )
    with pytest.raises(DomainError, match=r"ไม่พบไฟล์แบบฟอร์ม \(.xlsx\)"):
        bulk_import_create(
            fiscal_year=fy2551,
            archive=io.BytesIO(_zip({"a.txt": b""})),
            original_name="a.zip",
            actor=opdc_admin,
        )
    assert not BulkImport.objects.exists()
    assert not DBTaskResult.objects.exists()


def test_a_folder_chosen_in_the_browser_is_imported_like_a_zip(fy2551, opdc_admin, disks: bytes) -> None:  # type: ignore[no-untyped-def]
    # given: the folder's files as the browser sends them (relative paths, one field, many files)
    from django.core.files.uploadedfile import SimpleUploadedFile

    with zipfile.ZipFile(io.BytesIO(disks)) as archive:
        files = [SimpleUploadedFile(name, archive.read(name)) for name in archive.namelist()]
    # when
    response = login(opdc_admin).post(reverse("bulk-import", args=[2551]), {"folder": files})
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    # then: the three workbooks (not the .txt) were imported, one result each
    bulk = BulkImport.objects.get()
    assert response.status_code == 302
    assert (bulk.original_name, bulk.status, bulk.total) == ("โฟลเดอร์ (3 ไฟล์)", "done", 3)
    assert [(r["status"], r["org_code"]) for r in bulk.results] == [
        ("accepted", "50"),
        ("accepted", "51"),
        ("refused", ""),
    ]
    assert Kpi.objects.filter(plan__organisation__code__in=["50", "51"]).count() == 16


def test_a_bulk_import_needs_a_zip_or_a_folder(fy2551, opdc_admin) -> None:  # type: ignore[no-untyped-def]
    response = login(opdc_admin).post(reverse("bulk-import", args=[2551]), {})
    assert response.status_code == 400
    assert "กรุณาเลือกไฟล์ zip หรือโฟลเดอร์ที่มีแบบฟอร์ม" in response.content.decode()
    assert not BulkImport.objects.exists()


def test_a_bulk_import_stopped_by_a_system_error_says_so_in_each_language(
    fy2551: FiscalYear, opdc_admin: User, disks: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    from khamrap.workbook import tasks

    bulk = bulk_import_create(
        fiscal_year=fy2551, archive=io.BytesIO(disks), original_name="d.zip", actor=opdc_admin, dry_run=True
    )

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk gone")

    monkeypatch.setattr(tasks, "archive_lines", broken)
    bulk_import_process(bulk_import_id=bulk.pk)

    url = reverse("bulk-import-detail", args=[2551, bulk.pk])
    english = login(opdc_admin)
    english.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "การนำเข้าหยุดกลางคันเพราะข้อผิดพลาดของระบบ" in login(opdc_admin).get(url).content.decode()
    shown_en = english.get(url).content.decode()
    assert "The import stopped part-way because of a system error; tell the administrator" in shown_en
    assert "หยุดกลางคัน" not in shown_en
