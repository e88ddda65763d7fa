"""The workbook pages: who may download, upload and bulk-import, and what the upload page shows."""

import io
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from khamrap.accounts.models import User
from khamrap.frameworks.models import FiscalYear
from khamrap.plans import editing
from khamrap.plans.models import BulkImport, Kpi, Plan, WorkbookUpload
from khamrap.plans.selectors import plan_tree
from khamrap.workbook.guard import XLSX_CONTENT_TYPE
from khamrap.workbook.layout import SHEET_FORM
from khamrap.workbook.reader import workbook_read
from khamrap.workbook.writer import workbook_export
from tests.conftest import login

DOWNLOAD = reverse("plan-workbook", args=[2551, "50"])
UPLOAD = reverse("plan-workbook-upload", args=[2551, "50"])
BULK = reverse("bulk-import", args=[2551])


def _file(data: bytes, name: str = "แบบฟอร์ม.xlsx") -> io.BytesIO:
    handle = io.BytesIO(data)
    handle.name = name
    return handle


def _edit(data: bytes, cells: dict[str, object]) -> bytes:
    wb = load_workbook(io.BytesIO(data))
    for ref, value in cells.items():
        wb[SHEET_FORM][ref] = value
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# --- download -------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["officer", "opdc_admin", "analyst"])
def test_the_officer_and_opdc_download_the_prefilled_workbook(plan: Plan, request, who: str) -> None:  # type: ignore[no-untyped-def]
    response = login(request.getfixturevalue(who)).get(DOWNLOAD)

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert response["Content-Disposition"] == 'attachment; filename="khamrap-2551-50.xlsx"'
    assert workbook_read(response.content).plan == plan_tree(plan)


@pytest.mark.parametrize("who", ["other_officer", "cluster_officer", "governor", "viewer"])
def test_nobody_else_downloads_the_workbook(plan: Plan, request, who: str) -> None:  # type: ignore[no-untyped-def]
    response = login(request.getfixturevalue(who)).get(DOWNLOAD)

    assert response.status_code == 403
    assert b"PK" not in response.content[:2]


def test_a_cluster_officer_downloads_the_clusters_workbook(cluster_officer) -> None:  # type: ignore[no-untyped-def]
    response = login(cluster_officer).get(reverse("plan-workbook", args=[2551, "NU1"]))

    assert response.status_code == 200
    assert workbook_read(response.content).org_code == "NU1"
    assert not Plan.objects.exists()  # downloading writes nothing


def test_anonymous_visitors_are_sent_to_log_in(plan: Plan) -> None:
    for url in (DOWNLOAD, UPLOAD, BULK):
        response = Client().get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_an_unknown_organisation_or_year_is_not_found(officer) -> None:  # type: ignore[no-untyped-def]
    client = login(officer)
    assert client.get(reverse("plan-workbook", args=[2551, "ZZ"])).status_code == 404
    assert client.get(reverse("plan-workbook", args=[2600, "50"])).status_code == 404


# --- upload ---------------------------------------------------------------------------------------


def test_the_officer_uploads_two_changed_targets_and_sees_exactly_those_two_changes(
    plan: Plan, officer
) -> None:  # type: ignore[no-untyped-def]
    client = login(officer)
    data = _edit(client.get(DOWNLOAD).content, {"L3": 5.5, "L4": 141000})
    tree = plan_tree(plan)

    # the upload is checked and shown, and nothing is written yet
    body = client.post(UPLOAD, {"workbook": _file(data)}).content.decode()
    assert 'data-status="pending"' in body
    assert "ตัวชี้วัดทั้งหมด 8 ตัว: เพิ่ม 0 · แก้ไข 2 · ลบ 0" in body
    assert body.count("<td>ค่าเป้าหมาย</td>") == 2
    assert "<td>5</td><td>5.5</td>" in body and "<td>140000</td><td>141000</td>" in body
    assert plan_tree(Plan.objects.get(pk=plan.pk)) == tree
    upload = WorkbookUpload.objects.get(status="pending")

    # then the officer confirms
    response = client.post(reverse("plan-workbook-confirm", args=[2551, "50", upload.pk]))

    body = response.content.decode()
    assert response.status_code == 200
    assert 'data-status="accepted"' in body
    assert "<td>5</td><td>5.5</td>" in body and "<td>140000</td><td>141000</td>" in body
    assert [k.target for k in Kpi.objects.filter(plan=plan, code__in=["1.1", "1.2"]).order_by("code")] == [
        Decimal("5.5"),
        Decimal(141000),
    ]
    assert WorkbookUpload.objects.get().status == "accepted"  # the same record, not a second one


def test_a_stale_workbook_names_the_fields_changed_since_and_needs_an_explicit_choice(
    plan: Plan, officer
) -> None:  # type: ignore[no-untyped-def]
    client = login(officer)
    data = _edit(client.get(DOWNLOAD).content, {"L3": 6})  # target of 1.1 in the file: 6
    kpi = Kpi.objects.get(plan=plan, code="1.1")
    editing.kpi_update(kpi=kpi, actor=officer, values={"target": Decimal(7)}, levels={})  # on the web: 7

    body = client.post(UPLOAD, {"workbook": _file(data)}).content.decode()
    upload = WorkbookUpload.objects.get(status="pending")
    assert 'data-testid="changed-since"' in body and 'data-testid="conflicting-field"' in body
    assert 'name="replace_newer"' in body

    # confirming without the explicit choice writes nothing
    refused = client.post(reverse("plan-workbook-confirm", args=[2551, "50", upload.pk]))
    assert refused.status_code == 409
    assert "ไฟล์นี้จะแทนที่ข้อมูลที่มีผู้แก้ไขในระบบหลังจากดาวน์โหลดไฟล์" in refused.content.decode()
    assert Kpi.objects.get(pk=kpi.pk).target == Decimal(7)

    # with it, the file's value replaces the newer one
    client.post(reverse("plan-workbook-confirm", args=[2551, "50", upload.pk]), {"replace_newer": "1"})
    assert Kpi.objects.get(pk=kpi.pk).target == Decimal(6)


def test_the_last_import_can_be_undone_while_nothing_changed_after_it(plan: Plan, officer) -> None:  # type: ignore[no-untyped-def]
    client = login(officer)
    tree = plan_tree(plan)
    client.post(UPLOAD, {"workbook": _file(_edit(client.get(DOWNLOAD).content, {"L3": 6}))})
    upload = WorkbookUpload.objects.get(status="pending")
    page = client.post(reverse("plan-workbook-confirm", args=[2551, "50", upload.pk])).content.decode()
    assert 'data-testid="workbook-undo"' in page

    client.post(reverse("plan-workbook-undo", args=[2551, "50", upload.pk]))

    assert plan_tree(Plan.objects.get(pk=plan.pk)) == tree
    again = client.post(reverse("plan-workbook-undo", args=[2551, "50", upload.pk]), follow=True)
    assert "ย้อนการนำเข้านี้ไม่ได้" in again.content.decode()
    assert plan_tree(Plan.objects.get(pk=plan.pk)) == tree


def test_an_upload_with_mistakes_shows_the_whole_problem_table(plan: Plan, officer) -> None:  # type: ignore[no-untyped-def]
    client = login(officer)
    data = _edit(client.get(DOWNLOAD).content, {"F3": "ห้า", "D4": None})
    tree = plan_tree(plan)

    body = client.post(UPLOAD, {"workbook": _file(data)}).content.decode()

    assert 'data-status="refused"' in body
    assert (
        '<td>แบบฟอร์ม</td><td class="num">3</td><td>F</td><td>น้ำหนัก ต้องเป็นตัวเลข (พบ &quot;ห้า&quot;)</td>'
        in body
    )
    assert '<td>แบบฟอร์ม</td><td class="num">4</td><td>D</td><td>กรุณาระบุชื่อตัวชี้วัด</td>' in body
    assert plan_tree(plan) == tree


def test_an_upload_with_mistakes_in_english_shows_each_problem_in_english_with_sheet_row_and_column(
    plan: Plan, officer: User
) -> None:
    # given an English page
    client = login(officer)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    data = _edit(client.get(DOWNLOAD).content, {"F3": "ห้า", "D4": None})

    # when
    body = client.post(UPLOAD, {"workbook": _file(data)}).content.decode()

    # then: the same table, each message in English, and the problems stored in both languages
    assert (
        '<td>แบบฟอร์ม</td><td class="num">3</td><td>F</td><td>Weight must be a number (found &quot;ห้า&quot;)</td>'
        in body
    )
    assert '<td>แบบฟอร์ม</td><td class="num">4</td><td>D</td><td>The KPI needs a name</td>' in body
    assert "ต้องเป็นตัวเลข" not in body
    stored = WorkbookUpload.objects.get().problems
    assert [(p["sheet"], p["row"], p["column"], p["message_th"], p["message_en"]) for p in stored] == [
        ("แบบฟอร์ม", 3, "F", 'น้ำหนัก ต้องเป็นตัวเลข (พบ "ห้า")', 'Weight must be a number (found "ห้า")'),
        ("แบบฟอร์ม", 4, "D", "กรุณาระบุชื่อตัวชี้วัด", "The KPI needs a name"),
    ]


def test_a_problem_stored_before_it_carried_english_shows_its_thai_on_an_english_page(
    plan: Plan, officer: User
) -> None:
    # given a refused upload recorded with Thai messages only
    client = login(officer)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    client.post(UPLOAD, {"workbook": _file(b"MZ" + b"\x00" * 64)})
    upload = WorkbookUpload.objects.get()
    WorkbookUpload.objects.filter(pk=upload.pk).update(
        problems=[{"sheet": "แบบฟอร์ม", "row": 3, "column": "F", "message_th": "น้ำหนัก ต้องเป็นตัวเลข"}]
    )
    upload.refresh_from_db()

    # when the page shows it
    with translation.override("en"):
        html = render_to_string("workbook/result.html", {"upload": upload})

    # then
    assert '<td>แบบฟอร์ม</td><td class="num">3</td><td>F</td><td>น้ำหนัก ต้องเป็นตัวเลข</td>' in html


def test_the_import_warnings_read_in_english_and_old_thai_ones_still_show(plan: Plan, officer: User) -> None:
    # given an English page and a file whose weights no longer add up, downloaded before a web edit
    client = login(officer)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    data = _edit(client.get(DOWNLOAD).content, {"F3": 9})
    Plan.objects.filter(pk=plan.pk).update(revision=plan.revision + 1)

    # when
    body = client.post(UPLOAD, {"workbook": _file(data)}).content.decode()

    # then both warnings are in English
    assert "The sub-KPI weights add up to 39; the framework asks for 35" in body
    assert "The plan was changed after this file was downloaded" in body
    assert "น้ำหนักของตัวชี้วัดย่อยรวมกันได้" not in body
    # and a summary stored when warnings were Thai sentences still shows them
    upload = WorkbookUpload.objects.latest("pk")
    WorkbookUpload.objects.filter(pk=upload.pk).update(summary={**upload.summary, "warnings": ["คำเตือนเดิม"]})
    upload.refresh_from_db()
    with translation.override("en"):
        html = render_to_string(
            "workbook/result.html",
            {"upload": upload, "fiscal_year": plan.fiscal_year, "organisation": plan.organisation},
        )
    assert '<li class="warning" data-testid="import-warning">คำเตือนเดิม</li>' in html


def test_a_hostile_file_is_refused_in_english_on_an_english_page(plan: Plan, officer: User) -> None:
    client = login(officer)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})

    body = client.post(UPLOAD, {"workbook": _file(b"MZ" + b"\x00" * 64)}).content.decode()

    assert (
        "<td>This file is a Windows program (.exe/.dll) named as an Excel file; it is not accepted</td>"
        in body
    )


def test_an_unchanged_upload_says_so(plan: Plan, officer) -> None:  # type: ignore[no-untyped-def]
    client = login(officer)

    body = client.post(UPLOAD, {"workbook": _file(client.get(DOWNLOAD).content)}).content.decode()

    assert 'data-status="unchanged"' in body
    assert "ข้อมูลในไฟล์ตรงกับที่บันทึกไว้แล้วทุกช่อง" in body
    assert "แบบฟอร์ม.xlsx" in body  # listed among the uploads


def test_a_post_without_a_file_is_a_bad_request(plan: Plan, officer) -> None:  # type: ignore[no-untyped-def]
    response = login(officer).post(UPLOAD, {})

    assert response.status_code == 400
    assert "กรุณาเลือกไฟล์" in response.content.decode()
    assert not WorkbookUpload.objects.exists()


@pytest.mark.parametrize("who", ["other_officer", "opdc_admin", "analyst", "governor", "viewer"])
def test_nobody_but_the_organisations_officers_uploads(plan: Plan, request, who: str) -> None:  # type: ignore[no-untyped-def]
    data = _edit(workbook_export(plan=plan), {"L3": 6})
    client = login(request.getfixturevalue(who))
    tree, revision = plan_tree(plan), plan.revision

    assert client.get(UPLOAD).status_code == 403
    assert client.post(UPLOAD, {"workbook": _file(data)}).status_code == 403

    plan.refresh_from_db()
    assert (plan_tree(plan), plan.revision) == (tree, revision)
    assert not WorkbookUpload.objects.exists()


def test_a_province_officer_cannot_upload_its_workbook_into_another_province(
    plan: Plan, other_officer
) -> None:  # type: ignore[no-untyped-def]
    # Lamphun's officer posts Chiang Mai's workbook to Lamphun's own page: refused as another org's file
    client = login(other_officer)
    data = _edit(workbook_export(plan=plan), {"L3": 6})

    body = client.post(
        reverse("plan-workbook-upload", args=[2551, "51"]), {"workbook": _file(data)}
    ).content.decode()

    assert 'data-status="refused"' in body
    assert "ไฟล์นี้เป็นแบบฟอร์มของเชียงใหม่" in body
    assert plan_tree(plan) == plan_tree(Plan.objects.get(pk=plan.pk))
    assert Plan.objects.get(organisation__code="51").kpis.count() == 0


# --- bulk import ----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["analyst", "officer", "viewer"])
def test_only_the_administrator_reaches_the_bulk_import(fy2551, request, who: str) -> None:  # type: ignore[no-untyped-def]
    client = login(request.getfixturevalue(who))

    assert client.get(BULK).status_code == 403
    assert client.post(BULK, {"archive": _file(b"PK", "a.zip")}).status_code == 403
    assert not BulkImport.objects.exists()


def test_the_administrator_sees_the_bulk_import_page_and_a_clear_error_for_a_non_zip(
    fy2551: FiscalYear, opdc_admin: User
) -> None:
    client = login(opdc_admin)

    assert client.get(BULK).status_code == 200
    response = client.post(BULK, {"archive": _file(b"MZ\x00\x00", "virus.zip")})

    assert response.status_code == 400
    assert "ไฟล์นี้ไม่ใช่ไฟล์ zip" in response.content.decode()
    assert not BulkImport.objects.exists()


def test_the_bulk_progress_page_is_the_administrators_only(fy2551, opdc_admin, analyst) -> None:  # type: ignore[no-untyped-def]
    bulk = BulkImport.objects.create(
        fiscal_year=fy2551, original_name="a.zip", created_by=opdc_admin, total=2
    )
    url = reverse("bulk-import-detail", args=[2551, bulk.pk])

    assert login(analyst).get(url).status_code == 403
    page = login(opdc_admin).get(url).content.decode()
    assert f'hx-get="{url}"' in page and "ตรวจแล้ว 0 จาก 2 ไฟล์" in page
    assert login(opdc_admin).get(reverse("bulk-import-detail", args=[2552, bulk.pk])).status_code == 404


def test_a_confirmation_after_the_plan_changed_shows_the_changes_again_and_writes_nothing(
    plan: Plan, officer
) -> None:  # type: ignore[no-untyped-def]
    client = login(officer)
    client.post(UPLOAD, {"workbook": _file(_edit(client.get(DOWNLOAD).content, {"L3": 6}))})
    upload = WorkbookUpload.objects.get(status="pending")
    kpi = Kpi.objects.get(plan=plan, code="1.2")
    editing.kpi_update(kpi=kpi, actor=officer, values={"remarks": "หลังตรวจไฟล์"}, levels={})

    response = client.post(reverse("plan-workbook-confirm", args=[2551, "50", upload.pk]))

    assert response.status_code == 409
    assert "แบบฟอร์มมีการแก้ไขหลังจากที่ท่านตรวจไฟล์นี้" in response.content.decode()
    assert Kpi.objects.get(plan=plan, code="1.1").target == Decimal(5)
    assert WorkbookUpload.objects.get(pk=upload.pk).status == "pending"


def test_a_second_confirmation_changes_nothing(plan: Plan, officer) -> None:  # type: ignore[no-untyped-def]
    client = login(officer)
    client.post(UPLOAD, {"workbook": _file(_edit(client.get(DOWNLOAD).content, {"L3": 6}))})
    upload = WorkbookUpload.objects.get(status="pending")
    confirm = reverse("plan-workbook-confirm", args=[2551, "50", upload.pk])
    client.post(confirm)
    accepted = WorkbookUpload.objects.get(pk=upload.pk)

    second = client.post(confirm)

    assert second.status_code == 409
    again = WorkbookUpload.objects.get(pk=upload.pk)
    assert (again.status, again.tree_before, again.summary) == (
        "accepted",
        accepted.tree_before,
        accepted.summary,
    )


def test_an_undone_import_is_in_the_history_as_undone(plan: Plan, officer) -> None:  # type: ignore[no-untyped-def]
    from khamrap.plans.models import PlanEvent

    client = login(officer)
    client.post(UPLOAD, {"workbook": _file(_edit(client.get(DOWNLOAD).content, {"L3": 6}))})
    upload = WorkbookUpload.objects.get(status="pending")
    client.post(reverse("plan-workbook-confirm", args=[2551, "50", upload.pk]))
    client.post(reverse("plan-workbook-undo", args=[2551, "50", upload.pk]))

    kinds = list(PlanEvent.objects.filter(plan=plan).order_by("-pk").values_list("kind", flat=True)[:2])
    assert kinds == ["import_undone", "imported"]


def test_another_organisations_upload_is_not_found(plan: Plan, officer, other_officer) -> None:  # type: ignore[no-untyped-def]
    client = login(officer)
    client.post(UPLOAD, {"workbook": _file(_edit(client.get(DOWNLOAD).content, {"L3": 6}))})
    upload = WorkbookUpload.objects.get(status="pending")

    response = login(other_officer).post(reverse("plan-workbook-confirm", args=[2551, "51", upload.pk]))

    assert response.status_code == 404
    assert WorkbookUpload.objects.get(pk=upload.pk).status == "pending"
