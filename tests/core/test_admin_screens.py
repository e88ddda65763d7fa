"""The administrator edits years, calendars and frameworks; nobody else enters the admin screens."""

from datetime import date

from django.urls import reverse

from khamrap.frameworks.models import FiscalYear, Framework
from tests.conftest import login


def _staff(user):  # type: ignore[no-untyped-def]
    user.is_staff = True
    user.save()
    return user


def test_the_administrator_moves_the_deadline(opdc_admin, fy2551: FiscalYear) -> None:  # type: ignore[no-untyped-def]
    client = login(_staff(opdc_admin))
    url = reverse("admin:frameworks_fiscalyear_change", args=[fy2551.pk])
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        {
            "submission_deadline": "2007-10-19",
            "starts_on": "2007-10-01",
            "ends_on": "2008-09-30",
            "briefing_on": "2007-09-24",
            "negotiation_starts_on": "2007-11-01",
            "negotiation_ends_on": "2007-11-15",
            "structure_on": "2008-09-30",
            "submission_open": "",  # ignored: the window is opened and closed on the tracking page only
            "report_rounds-TOTAL_FORMS": "0",
            "report_rounds-INITIAL_FORMS": "0",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    fy2551.refresh_from_db()
    assert fy2551.submission_deadline == date(2007, 10, 19)
    assert (fy2551.submission_open, fy2551.submission_window_changes) == (True, 0)


def test_the_year_list_does_not_open_or_close_the_window(opdc_admin, fy2551: FiscalYear) -> None:  # type: ignore[no-untyped-def]
    page = login(_staff(opdc_admin)).get(reverse("admin:frameworks_fiscalyear_changelist")).content.decode()
    assert 'name="form-0-submission_open"' not in page


def test_the_administrator_sees_frameworks(opdc_admin, fy2551: FiscalYear) -> None:  # type: ignore[no-untyped-def]
    client = login(_staff(opdc_admin))
    framework = Framework.objects.get(fiscal_year=fy2551, organisation_kind="province")
    response = client.get(reverse("admin:frameworks_framework_change", args=[framework.pk]))
    assert response.status_code == 200
    assert "ระดับความสำเร็จของการบรรลุเป้าหมายตามแผนปฏิบัติราชการของจังหวัด" in response.content.decode()
    body = response.content.decode()
    assert "เกณฑ์การตรวจความเหมาะสมอัตโนมัติ" in body
    for name in (
        "kpi_count_min",
        "kpi_count_max",
        "kpi_weight_min",
        "criteria_step_ratio",
        "level5_change_ratio",
    ):
        assert f'name="{name}"' in body
    assert 'name="name_similarity"' in body and "ความคล้ายของชื่อตัวชี้วัด" in body


def test_nobody_else_enters_even_when_staff(analyst, officer, fy2551: FiscalYear) -> None:  # type: ignore[no-untyped-def]
    for user in (analyst, officer):
        client = login(_staff(user))
        assert client.get(reverse("admin:frameworks_fiscalyear_change", args=[fy2551.pk])).status_code in {
            302,
            403,
        }
        assert b"frameworks" not in client.get(reverse("admin:index")).content
