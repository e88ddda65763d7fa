"""The history page of a plan: every event, filtered, 50 a page, and its Excel export with the same filters."""

import io
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape
from openpyxl import load_workbook

from khamrap.accounts.models import User
from khamrap.plans.editing import kpi_update
from khamrap.plans.history import HistoryChange, plan_history
from khamrap.plans.history_export import HEADERS
from khamrap.plans.models import Channel, Kpi, Plan, PlanEvent, PlanEventKind
from khamrap.workbook.importer import workbook_import
from khamrap.workbook.layout import SHEET_FORM
from khamrap.workbook.writer import workbook_export
from tests.conftest import login

AT = datetime(2007, 10, 15, 9, 30, tzinfo=UTC)  # 16:30 in Bangkok, 15 ต.ค. 2550


def _url(name: str = "plan-history", org: str = "50") -> str:
    return reverse(name, args=[2551, org])


def _kpi(plan: Plan, code: str) -> Kpi:
    return Kpi.objects.get(plan=plan, code=code)


def _edit_target(plan: Plan, officer: User, code: str = "1.1", target: str = "6") -> PlanEvent:
    kpi_update(kpi=_kpi(plan, code), actor=officer, values={"target": Decimal(target)}, levels={})
    return PlanEvent.objects.filter(plan=plan).latest("pk")


def _shown(response) -> list[tuple[str, str, str, str, list[HistoryChange]]]:  # type: ignore[no-untyped-def]
    return [
        (
            e.get_kind_display(),
            e.actor.display_name if e.actor else "",
            e.get_channel_display(),
            e.note,
            changes,
        )
        for e, changes in response.context["rows"]
    ]


def _events(plan: Plan, count: int, **fields: object) -> None:
    """``count`` web edits of 1.1's target."""
    change = {"kpi": "", "code": "1.1", "field": "target", "old": "5", "new": "6"}
    PlanEvent.objects.bulk_create(
        PlanEvent(plan=plan, kind=PlanEventKind.EDITED, channel=Channel.WEB, changes=[change], **fields)
        for _ in range(count)
    )


# --- what the page shows --------------------------------------------------------------------------


def test_a_web_edit_shows_who_how_and_the_field_old_to_new(plan: Plan, officer: User) -> None:
    # given
    _edit_target(plan, officer)
    PlanEvent.objects.update(at=AT)  # the same moment: newest by order of writing
    # when
    response = login(officer).get(_url())
    # then
    assert response.status_code == 200
    assert _shown(response)[0] == (
        "แก้ไข",
        "cm_officer",
        "หน้าเว็บ",
        "",
        [HistoryChange(code="1.1", field="target", label="ค่าเป้าหมาย", old="5", new="6")],
    )
    html = response.content.decode()
    assert "15 ต.ค. 2550 เวลา 16:30 น." in html
    assert (
        '<b>1.1</b> ค่าเป้าหมาย: <span class="history-old">5</span> → <span class="history-new">6</span>'
        in html
    )


def test_a_workbook_import_shows_its_channel_note_and_changes(plan: Plan, officer: User) -> None:
    # given: the officer changes 1.1's target in Excel and imports the file
    book = load_workbook(io.BytesIO(workbook_export(plan=plan)))
    book[SHEET_FORM]["L3"] = 5.5
    out = io.BytesIO()
    book.save(out)
    upload = workbook_import(plan=plan, data=out.getvalue(), filename="cm.xlsx", actor=officer)
    assert upload.status == "accepted"
    # when
    response = login(officer).get(_url())
    # then: newest first, then the plan's creation by the command line (eight KPIs added)
    shown = _shown(response)
    assert shown[0] == (
        "นำเข้าจาก Excel",
        "cm_officer",
        "ไฟล์ Excel",
        "นำเข้าจากไฟล์ cm.xlsx",
        [HistoryChange(code="1.1", field="target", label="ค่าเป้าหมาย", old="5", new="5.5")],
    )
    assert [row[:3] for row in shown[1:]] == [("นำเข้าจาก Excel", "cm_officer", "ไฟล์ Excel")]
    assert [(c.code, c.label, c.old, c.new) for c in shown[1][4]][:2] == [
        ("1.1", "ตัวชี้วัด", "", "ร้อยละที่เพิ่มขึ้นของรายได้จากการท่องเที่ยว"),
        ("1.2", "ตัวชี้วัด", "", _kpi(plan, "1.2").name),
    ]


def test_choices_show_their_label_and_long_texts_a_block(plan: Plan, officer: User) -> None:
    long = "สูตรการคำนวณ\n" + "ก" * 300
    PlanEvent.objects.create(
        plan=plan,
        kind=PlanEventKind.EDITED,
        actor=officer,
        changes=[
            {"kpi": "", "code": "1.3", "field": "kpi_type", "old": "quantitative", "new": "milestone"},
            {"kpi": "", "code": "1.3", "field": "formula", "old": "", "new": long},
        ],
    )

    response = login(officer).get(_url())

    assert _shown(response)[0][4] == [
        HistoryChange("1.3", "kpi_type", "ประเภทตัวชี้วัด", "เชิงปริมาณ", "ระดับความสำเร็จ"),
        HistoryChange("1.3", "formula", "สูตรการคำนวณ", "", long),
    ]
    assert (
        f'<div class="history-new"><span class="muted">ค่าใหม่</span>{long}</div>' in response.content.decode()
    )


def test_the_plan_page_links_to_the_history(plan: Plan, officer: User) -> None:
    response = login(officer).get(reverse("plan-detail", args=[2551, "50"]))

    assert f'<a href="{_url()}" data-testid="history-link">ประวัติการแก้ไขทั้งหมด</a>' in response.content.decode()


def test_the_page_in_english(plan: Plan, officer: User) -> None:
    _edit_target(plan, officer)
    client = login(officer)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})

    html = client.get(_url()).content.decode()

    assert "Full history of changes" in html
    assert "<b>1.1</b> Target:" in html


# --- filters ----------------------------------------------------------------------------------------


@pytest.fixture
def mixed(plan: Plan, officer: User, governor: User) -> dict[str, PlanEvent]:
    """The plan's creation (command line), two web edits of 1.1 and 1.2, and the governor's approval."""
    created = PlanEvent.objects.get(plan=plan)
    first = _edit_target(plan, officer, "1.1", "6")
    second = _edit_target(plan, officer, "1.2", "150000")
    approved = PlanEvent.objects.create(
        plan=plan, kind=PlanEventKind.APPROVED, actor=governor, note="เห็นชอบตามเสนอ", channel=Channel.WEB
    )
    return {"created": created, "first": first, "second": second, "approved": approved}


def _pks(plan: Plan, **filters: object) -> list[int]:
    return list(plan_history(plan=plan, **filters).values_list("pk", flat=True))  # type: ignore[arg-type]


def test_filters_by_kind_channel_and_person(mixed: dict[str, PlanEvent], plan: Plan, governor: User) -> None:
    everything = _pks(plan)
    edited = _pks(plan, kind=PlanEventKind.EDITED)
    imported = _pks(plan, channel=Channel.WORKBOOK)
    by_governor = _pks(plan, actor=governor.pk)

    assert everything == [mixed[k].pk for k in ("approved", "second", "first", "created")]
    assert edited == [mixed["second"].pk, mixed["first"].pk]
    assert imported == [mixed["created"].pk]
    assert by_governor == [mixed["approved"].pk]


def test_filters_by_kpi_code_or_uid_inside_the_changes(mixed: dict[str, PlanEvent], plan: Plan) -> None:
    uid = str(_kpi(plan, "1.2").uid)

    by_code = _pks(plan, kpi_code="1.2")
    by_uid = _pks(plan, kpi_code=uid)
    edited_1_1 = _pks(plan, kpi_code="1.1", kind=PlanEventKind.EDITED)

    # the creation added 1.2: its entry names the KPI by the code and uid it was given
    assert by_code == [mixed["second"].pk, mixed["created"].pk]
    assert by_uid == [mixed["second"].pk, mixed["created"].pk]
    assert edited_1_1 == [mixed["first"].pk]


def test_filters_by_text_in_notes_values_and_labels(mixed: dict[str, PlanEvent], plan: Plan) -> None:
    assert _pks(plan, text="เห็นชอบ") == [mixed["approved"].pk]
    assert _pks(plan, text="150000") == [mixed["second"].pk]
    assert _pks(plan, text="target", kind=PlanEventKind.EDITED) == [mixed["second"].pk, mixed["first"].pk]
    assert _pks(plan, text="ค่าเป้าหมาย") == [mixed["second"].pk, mixed["first"].pk]
    assert _pks(plan, text="ไม่มีคำนี้") == []


def test_the_page_takes_its_filters_from_the_query(mixed: dict[str, PlanEvent], officer: User) -> None:
    response = login(officer).get(_url(), {"kind": "edited", "kpi": "1.2", "q": " 150000 "})

    assert [e.pk for e, _ in response.context["rows"]] == [mixed["second"].pk]
    html = response.content.decode()
    assert '<option value="edited" selected>แก้ไข</option>' in html
    assert 'name="q" value="150000"' in html
    assert f'href="{_url("plan-history-export")}?kind=edited&amp;kpi_code=' not in html
    assert f'href="{_url("plan-history-export")}?kind=edited&amp;kpi=1.2&amp;q=150000"' in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"kind": "deleted"}, "ตัวกรองไม่ถูกต้อง: ไม่รู้จักประเภทของรายการ"),
        ({"channel": "fax"}, "ตัวกรองไม่ถูกต้อง: ไม่รู้จักช่องทาง"),
        ({"actor": "abc"}, "ตัวกรองไม่ถูกต้อง: ไม่พบผู้แก้ไขที่เลือกในประวัติของแบบฟอร์มนี้"),
        ({"kpi": "1.1'; drop"}, "ตัวกรองไม่ถูกต้อง: รหัสตัวชี้วัดต้องเป็นเลขข้อ เช่น 1.1"),
        ({"q": "ก" * 201}, "ตัวกรองไม่ถูกต้อง: ข้อความที่ค้นหายาวเกิน 200 ตัวอักษร"),
        (
            {"kind": "x", "channel": "y"},
            "ตัวกรองไม่ถูกต้อง: ไม่รู้จักประเภทของรายการ; ไม่รู้จักช่องทาง",
        ),
    ],
)
def test_an_unknown_filter_is_a_400_that_says_which(
    query: dict[str, str], message: str, plan: Plan, officer: User
) -> None:
    client = login(officer)

    page = client.get(_url(), query)
    export = client.get(_url("plan-history-export"), query)

    assert page.status_code == 400
    assert f"<li>{escape(message)}</li>" in page.content.decode()
    assert page.context["rows"] == []
    assert export.status_code == 400
    assert export.content.decode() == message


def test_a_person_who_never_changed_the_plan_is_an_unknown_filter(
    plan: Plan, officer: User, viewer: User
) -> None:
    response = login(officer).get(_url(), {"actor": str(viewer.pk)})

    assert response.status_code == 400


# --- paging -----------------------------------------------------------------------------------------


def test_fifty_events_a_page_and_the_pages_keep_the_filters(plan: Plan, officer: User) -> None:
    # given: the creation and 60 web edits
    _events(plan, 60, actor=officer)
    client = login(officer)
    # when
    first = client.get(_url())
    second = client.get(_url(), {"page": "2"})
    filtered = client.get(_url(), {"channel": "web", "page": "2"})
    # then
    assert len(first.context["rows"]) == 50
    assert len(second.context["rows"]) == 11
    assert second.context["rows"][-1][0].kind == PlanEventKind.IMPORTED
    assert len(filtered.context["rows"]) == 10
    assert "<span>หน้า 1 จาก 2</span>" in first.content.decode()
    assert 'href="?page=2" rel="next"' in first.content.decode()
    assert 'href="?channel=web&amp;page=1" rel="prev"' in filtered.content.decode()
    assert "61 รายการ" in first.content.decode()


def test_the_page_costs_the_same_queries_for_10_or_60_events(plan: Plan, officer: User) -> None:
    client = login(officer)
    _events(plan, 9, actor=officer)

    def count(query: dict[str, str]) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(_url(), query).status_code == 200
        return len(queries)

    few, few_searched = count({}), count({"q": "target"})
    _events(plan, 50, actor=officer)
    many, many_searched = count({}), count({"q": "target"})

    assert few == many
    assert few_searched == many_searched == few + 1  # the bounded scan of the changes


def test_the_export_costs_the_same_queries_for_10_or_60_events(plan: Plan, officer: User) -> None:
    client = login(officer)
    _events(plan, 9, actor=officer)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(_url("plan-history-export"), {"kpi": "1.1"}).status_code == 200
        return len(queries)

    few = count()
    _events(plan, 50, actor=officer)

    assert count() == few


# --- the export ---------------------------------------------------------------------------------------


def test_the_export_has_one_row_per_change_with_formulas_kept_as_text(plan: Plan, officer: User) -> None:
    # given: an edit of two fields, one to a text that looks like a formula, and an event without changes
    kpi_update(
        kpi=_kpi(plan, "1.1"),
        actor=officer,
        values={"target": Decimal("6"), "unit": "=SUM(A1:A9)"},
        levels={},
    )
    PlanEvent.objects.create(
        plan=plan, kind=PlanEventKind.SUBMITTED, actor=officer, note="+ส่งแล้ว", channel=Channel.WEB
    )
    PlanEvent.objects.update(at=AT)
    # when
    response = login(officer).get(_url("plan-history-export"), {"kind": "edited"})
    submitted = login(officer).get(_url("plan-history-export"), {"kind": "submitted"})
    # then
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == 'attachment; filename="plan-history-2551-50.xlsx"'
    assert response["Cache-Control"] == "private, no-store"
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    when = "15 ต.ค. 2550 เวลา 16:30 น."
    assert rows == [
        ["ประวัติการแก้ไขแบบฟอร์มเจรจา เชียงใหม่ ปีงบประมาณ พ.ศ. 2551", *[None] * 8],
        list(HEADERS),
        [when, "cm_officer", "หน้าเว็บ", "แก้ไข", "1.1", "ค่าเป้าหมาย", "5", "6", None],
        [when, "cm_officer", "หน้าเว็บ", "แก้ไข", "1.1", "หน่วยวัด", "ร้อยละ", "=SUM(A1:A9)", None],
    ]
    assert [cell.data_type for cell in sheet[4]] == ["s"] * 8 + ["n"]  # "n": openpyxl's empty cell
    other = load_workbook(io.BytesIO(submitted.content)).active
    assert other is not None
    assert [c.value for c in other[3]] == [
        when,
        "cm_officer",
        "หน้าเว็บ",
        "ส่งแบบฟอร์ม",
        None,
        None,
        None,
        None,
        "+ส่งแล้ว",
    ]
    assert other["I3"].data_type == "s"


# --- who may see it ---------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["officer", "governor", "analyst", "opdc_admin"])
def test_the_organisation_and_opdc_read_the_history(
    who: str, plan: Plan, request: pytest.FixtureRequest
) -> None:
    client = login(request.getfixturevalue(who))

    assert client.get(_url()).status_code == 200
    assert client.get(_url("plan-history-export")).status_code == 200


@pytest.mark.parametrize("who", ["other_officer", "cluster_officer", "viewer"])
def test_anyone_else_gets_403(who: str, plan: Plan, request: pytest.FixtureRequest) -> None:
    client = login(request.getfixturevalue(who))

    assert client.get(_url()).status_code == 403
    assert client.get(_url("plan-history-export")).status_code == 403


def test_the_cluster_officer_reads_the_clusters_own_history(fy2551, cluster_officer: User) -> None:  # type: ignore[no-untyped-def]
    # The cluster has no plan yet: an empty history, nothing written.
    response = login(cluster_officer).get(_url(org="NU1"))

    assert response.status_code == 200
    assert response.context["rows"] == []
    assert not Plan.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(plan: Plan) -> None:
    for url in (_url(), _url("plan-history-export")):
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
