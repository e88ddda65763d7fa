"""OPDC's tracking page on deadline day: returned plans, search, extensions typed in the Buddhist Era, and a
window that only closes when the administrator confirms."""

from datetime import date
from io import BytesIO

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from khamrap.core.errors import DomainError
from khamrap.frameworks.models import FiscalYear
from khamrap.plans import submission
from khamrap.plans.models import Plan, PlanStatus, SubmissionExtension
from khamrap.tracking import services
from khamrap.tracking.selectors import TrackingStatus
from tests.conftest import login
from tests.plans.test_plan_services import ON_TIME

GRANT = "extension-grant"
WINDOW = "submission-window"


def _submitted(plan: Plan, officer, fy2551: FiscalYear) -> Plan:  # type: ignore[no-untyped-def]
    fy2551.frameworks.update(requires_executive_approval=False)
    return submission.plan_submit(plan=plan, actor=officer, when=ON_TIME)


def _in_english(client: Client) -> Client:
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    return client


def _messages(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(m) for m in response.context["messages"]]


# --- returned and resubmitted ---------------------------------------------------------------------


def test_a_plan_opdc_returned_shows_as_returned(plan: Plan, officer, analyst, fy2551) -> None:  # type: ignore[no-untyped-def]
    # given a plan OPDC sent back
    submission.plan_return(plan=_submitted(plan, officer, fy2551), actor=analyst, note="แก้ค่าเป้าหมาย")
    # when
    response = login(analyst).get(reverse("tracking", args=[2551]))
    # then
    body = response.content.decode()
    assert 'data-testid="status-50">ส่งกลับให้แก้ไข<' in body
    assert '<span class="badge bad" data-testid="status-50">' in body
    assert response.context["counts"] == {
        "not_started": 92, "draft": 0, "awaiting_approval": 0, "extension": 0,
        "submitted": 0, "late": 0, "returned": 1, "resubmitted": 0,
    }  # fmt: skip


def test_a_resubmitted_plan_shows_as_resubmitted_and_filters(plan: Plan, officer, analyst, fy2551) -> None:  # type: ignore[no-untyped-def]
    returned = submission.plan_return(plan=_submitted(plan, officer, fy2551), actor=analyst, note="แก้")
    assert submission.plan_submit(plan=returned, actor=officer, when=ON_TIME).status == PlanStatus.RESUBMITTED
    client = login(analyst)
    response = client.get(reverse("tracking", args=[2551]), {"status": "resubmitted"})
    assert [r.organisation.code for r in response.context["rows"]] == ["50"]
    assert response.context["rows"][0].status_label == "ส่งฉบับแก้ไขแล้ว"
    assert response.context["counts"]["resubmitted"] == 1
    assert response.context["counts"]["submitted"] == 0
    assert client.get(reverse("tracking", args=[2551]), {"status": "returned"}).context["rows"] == []


def test_every_tracking_status_has_a_filter_button(plan: Plan, analyst) -> None:  # type: ignore[no-untyped-def]
    body = login(analyst).get(reverse("tracking", args=[2551])).content.decode()
    for key in TrackingStatus.ORDER:
        assert f'href="?status={key}"' in body
        assert f'<option value="{key}" >' in body
    assert 'data-testid="count-returned">0<' in body
    assert 'data-testid="count-resubmitted">0<' in body


def test_the_returned_statuses_in_english(plan: Plan, analyst) -> None:  # type: ignore[no-untyped-def]
    body = _in_english(login(analyst)).get(reverse("tracking", args=[2551])).content.decode()
    assert "Returned for revision</a>" in body
    assert "Resubmitted</a>" in body


# --- search ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "codes"),
    [("เชียง", ["50", "57"]), ("chiang", ["50", "57"]), ("50", ["50"]), (" ลำปาง ", ["52"]), ("nu1", ["NU1"])],
)
def test_the_search_finds_by_thai_or_english_name_or_code(
    fy2551, analyst, text: str, codes: list[str]
) -> None:  # type: ignore[no-untyped-def]
    response = login(analyst).get(reverse("tracking", args=[2551]), {"q": text})
    assert sorted(r.organisation.code for r in response.context["rows"]) == codes
    assert response.context["total"] == len(codes)


def test_the_search_is_kept_in_the_export_link_and_the_export(fy2551, analyst) -> None:  # type: ignore[no-untyped-def]
    client = login(analyst)
    body = client.get(reverse("tracking", args=[2551]), {"q": "เชียง"}).content.decode()
    assert (
        f'href="{reverse("tracking-export", args=[2551])}?q=%E0%B9%80%E0%B8%8A%E0%B8%B5%E0%B8%A2%E0%B8%87"'
        in body
    )
    assert 'href="?status=late&amp;q=%E0%B9%80%E0%B8%8A%E0%B8%B5%E0%B8%A2%E0%B8%87"' in body
    assert 'name="q" value="เชียง"' in body
    export = client.get(reverse("tracking-export", args=[2551]), {"q": "เชียง"})
    sheet = load_workbook(BytesIO(export.content)).active
    assert sorted(r[0] for r in sheet.iter_rows(min_row=3, values_only=True)) == ["50", "57"]


# --- extensions -----------------------------------------------------------------------------------


def test_an_extension_typed_in_the_buddhist_era_is_granted(fy2551, org, opdc_admin) -> None:  # type: ignore[no-untyped-def]
    response = login(opdc_admin).post(
        reverse(GRANT, args=[2551]),
        {"organisation": "50", "until": "๒๐ ต.ค. ๒๕๕๐", "reason": "น้ำท่วม"},
        follow=True,
    )
    assert _messages(response) == ["ขยายเวลาให้เชียงใหม่ถึง 20 ต.ค. 2550 แล้ว"]
    extension = SubmissionExtension.objects.get(fiscal_year=fy2551, organisation=org("50"))
    assert (extension.until, extension.reason, extension.granted_by) == (
        date(2007, 10, 20),
        "น้ำท่วม",
        opdc_admin,
    )
    assert "20 ต.ค. 2550" in response.content.decode()


def test_the_extension_form_is_a_text_field_for_a_buddhist_era_date(fy2551, opdc_admin) -> None:  # type: ignore[no-untyped-def]
    body = login(opdc_admin).get(reverse("tracking", args=[2551])).content.decode()
    assert 'id="x-until" type="text" name="until"' in body
    assert 'type="date"' not in body
    assert '<input type="checkbox" name="confirm_submitted" value="1"> ขยายเวลาให้หน่วยงานที่ส่งแล้ว' in body


@pytest.mark.parametrize(
    ("until", "message"),
    [
        ("20/10/2007", 'ปีต้องเป็นพุทธศักราช (พ.ศ.) เช่น 2550 ไม่ใช่คริสต์ศักราช 2007: "20/10/2007"'),
        ("31/12/3112", 'ไม่ใช่วันที่ที่ถูกต้อง: "31/12/3112" (ปี พ.ศ. 3112 อยู่นอกช่วงที่รับได้)'),
        ("", "ไม่ใช่วันที่ที่ถูกต้อง: (ว่าง) (เขียนเป็น วว/ดด/ปปปป เช่น 20/10/2550)"),
        ("15/10/2550", "วันที่ขยายต้องอยู่หลังกำหนดส่งเดิม (15 ต.ค. 2550)"),
        ("1/10/2551", "วันที่ขยายต้องไม่เกินวันสิ้นปีงบประมาณ พ.ศ. 2551 (30 ก.ย. 2551)"),
    ],
)
def test_a_wrong_extension_date_is_refused_and_nothing_changes(
    fy2551, opdc_admin, until: str, message: str
) -> None:  # type: ignore[no-untyped-def]
    response = login(opdc_admin).post(
        reverse(GRANT, args=[2551]), {"organisation": "50", "until": until}, follow=True
    )
    assert _messages(response) == [message]
    assert not SubmissionExtension.objects.exists()


def test_a_wrong_extension_date_is_explained_in_english(fy2551, opdc_admin) -> None:  # type: ignore[no-untyped-def]
    client = _in_english(login(opdc_admin))
    response = client.post(
        reverse(GRANT, args=[2551]), {"organisation": "50", "until": "20/10/2007"}, follow=True
    )
    assert _messages(response) == [
        'the year must be Buddhist Era (B.E.), e.g. 2550, not 2007 C.E.: "20/10/2007"'
    ]


def test_the_last_day_of_the_fiscal_year_is_the_latest_extension(fy2551, org, opdc_admin) -> None:  # type: ignore[no-untyped-def]
    extension = services.extension_grant(
        fiscal_year=fy2551, organisation=org("50"), until=date(2008, 9, 30), reason="", actor=opdc_admin
    )
    assert extension.until == date(2008, 9, 30)
    with pytest.raises(DomainError) as caught:
        services.extension_grant(
            fiscal_year=fy2551, organisation=org("51"), until=date(2008, 10, 1), reason="", actor=opdc_admin
        )
    assert caught.value.message_en == "The extension must end within fiscal year 2551 B.E. (30 Sep 2008)"
    assert caught.value.message_th == "วันที่ขยายต้องไม่เกินวันสิ้นปีงบประมาณ พ.ศ. 2551 (30 ก.ย. 2551)"


def test_the_day_after_the_deadline_is_the_earliest_extension(fy2551, org, opdc_admin) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DomainError) as caught:
        services.extension_grant(
            fiscal_year=fy2551, organisation=org("50"), until=date(2007, 10, 15), reason="", actor=opdc_admin
        )
    assert caught.value.message_en == "The extension must end after the deadline (15 Oct 2007)"
    extension = services.extension_grant(
        fiscal_year=fy2551, organisation=org("50"), until=date(2007, 10, 16), reason="", actor=opdc_admin
    )
    assert extension.until == date(2007, 10, 16)


def test_an_organisation_that_submitted_needs_the_confirmation(
    plan: Plan, officer, opdc_admin, fy2551
) -> None:  # type: ignore[no-untyped-def]
    # given Chiang Mai has submitted
    _submitted(plan, officer, fy2551)
    client = login(opdc_admin)
    # when the administrator extends without ticking the box
    response = client.post(
        reverse(GRANT, args=[2551]), {"organisation": "50", "until": "20/10/2550"}, follow=True
    )
    # then it is refused, naming Chiang Mai, and nothing is stored
    assert _messages(response) == [
        "เชียงใหม่ส่งแบบฟอร์มแล้ว: หากต้องการขยายเวลาจริง ให้เลือก “ขยายเวลาให้หน่วยงานที่ส่งแล้ว”"
    ]
    assert not SubmissionExtension.objects.exists()
    # and with the box ticked it is granted
    response = client.post(
        reverse(GRANT, args=[2551]),
        {"organisation": "50", "until": "20/10/2550", "confirm_submitted": "1"},
        follow=True,
    )
    assert _messages(response) == ["ขยายเวลาให้เชียงใหม่ถึง 20 ต.ค. 2550 แล้ว"]
    assert SubmissionExtension.objects.get().until == date(2007, 10, 20)


def test_an_organisation_that_has_not_submitted_needs_no_confirmation(
    plan: Plan, org, opdc_admin, fy2551
) -> None:  # type: ignore[no-untyped-def]
    extension = services.extension_grant(
        fiscal_year=fy2551, organisation=org("50"), until=date(2007, 10, 20), reason="", actor=opdc_admin
    )
    assert extension.until == date(2007, 10, 20)


def test_a_refused_extension_keeps_the_one_granted_before(
    plan: Plan, officer, org, opdc_admin, fy2551
) -> None:  # type: ignore[no-untyped-def]
    services.extension_grant(
        fiscal_year=fy2551, organisation=org("50"), until=date(2007, 10, 20), reason="เดิม", actor=opdc_admin
    )
    _submitted(plan, officer, fy2551)
    with pytest.raises(DomainError):
        services.extension_grant(
            fiscal_year=fy2551,
            organisation=org("50"),
            until=date(2007, 10, 25),
            reason="ใหม่",
            actor=opdc_admin,
        )
    assert SubmissionExtension.objects.get().until == date(2007, 10, 20)
    assert SubmissionExtension.objects.get().reason == "เดิม"


# --- closing the window ---------------------------------------------------------------------------


def test_the_close_button_asks_first_and_sends_the_confirmation(fy2551, opdc_admin) -> None:  # type: ignore[no-untyped-def]
    body = login(opdc_admin).get(reverse("tracking", args=[2551])).content.decode()
    assert (
        'class="actions" data-confirm="ปิดรับแบบฟอร์มของทุกหน่วยงานหรือไม่?'
        ' หน่วยงานที่ยังไม่ส่งและไม่ได้รับขยายเวลาจะส่งไม่ได้อีก">'
    ) in body
    assert (
        '<input type="hidden" name="confirm" value="1"><button class="danger" name="open" value="0">' in body
    )


def test_closing_the_window_without_confirmation_changes_nothing(fy2551, opdc_admin) -> None:  # type: ignore[no-untyped-def]
    response = login(opdc_admin).post(reverse(WINDOW, args=[2551]), {"open": "0"}, follow=True)
    assert _messages(response) == ["การปิดรับแบบฟอร์มมีผลกับทุกหน่วยงาน: ต้องยืนยันก่อนปิด (ยังไม่ได้ปิด)"]
    assert FiscalYear.objects.get(pk=fy2551.pk).submission_open is True


def test_closing_the_window_with_confirmation_closes_it(fy2551, opdc_admin) -> None:  # type: ignore[no-untyped-def]
    response = login(opdc_admin).post(
        reverse(WINDOW, args=[2551]), {"open": "0", "confirm": "1"}, follow=True
    )
    assert _messages(response) == ["ปิดรับแบบฟอร์มแล้ว"]
    assert FiscalYear.objects.get(pk=fy2551.pk).submission_open is False


def test_reopening_the_window_needs_no_confirmation(fy2551, opdc_admin) -> None:  # type: ignore[no-untyped-def]
    services.submission_window_set(fiscal_year=fy2551, is_open=False, actor=opdc_admin, confirmed=True)
    response = login(opdc_admin).post(reverse(WINDOW, args=[2551]), {"open": "1"}, follow=True)
    assert _messages(response) == ["เปิดรับแบบฟอร์มแล้ว"]
    assert FiscalYear.objects.get(pk=fy2551.pk).submission_open is True


# --- who may ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["analyst", "officer", "governor", "viewer"])
def test_only_the_administrator_changes_the_window_and_extensions(fy2551, role: str, request) -> None:  # type: ignore[no-untyped-def]
    client = login(request.getfixturevalue(role))
    window = client.post(reverse(WINDOW, args=[2551]), {"open": "0", "confirm": "1"})
    grant = client.post(
        reverse(GRANT, args=[2551]), {"organisation": "50", "until": "20/10/2550", "confirm_submitted": "1"}
    )
    assert (window.status_code, grant.status_code) == (403, 403)
    assert FiscalYear.objects.get(pk=fy2551.pk).submission_open is True
    assert not SubmissionExtension.objects.exists()


def test_only_the_administrator_sees_the_window_and_extension_forms(fy2551, analyst, opdc_admin) -> None:  # type: ignore[no-untyped-def]
    assert (
        'name="confirm_submitted"'
        not in login(analyst).get(reverse("tracking", args=[2551])).content.decode()
    )
    assert (
        'name="confirm_submitted"' in login(opdc_admin).get(reverse("tracking", args=[2551])).content.decode()
    )


@pytest.mark.parametrize("role", ["officer", "governor", "cluster_officer", "viewer"])
def test_the_tracking_page_and_its_search_are_for_opdc_only(fy2551, role: str, request) -> None:  # type: ignore[no-untyped-def]
    client = login(request.getfixturevalue(role))
    assert client.get(reverse("tracking", args=[2551]), {"q": "เชียง"}).status_code == 403
    assert client.get(reverse("tracking-export", args=[2551]), {"q": "เชียง"}).status_code == 403


def test_an_extension_granted_on_the_english_site_shows_the_common_era(fy2551, opdc_admin) -> None:  # type: ignore[no-untyped-def]
    client = _in_english(login(opdc_admin))
    response = client.post(
        reverse(GRANT, args=[2551]), {"organisation": "50", "until": "20/10/2550"}, follow=True
    )
    assert _messages(response) == ["Extension granted to Chiang Mai until 20 Oct 2007"]
