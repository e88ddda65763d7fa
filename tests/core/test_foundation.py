"""Reference data, the fiscal-year calendar, frameworks, login and the Thai-first pages."""

import subprocess
import sys
from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from khamrap.frameworks.models import FiscalYear, Framework
from khamrap.orgs.models import ClusterMembership, Organisation
from khamrap.orgs.selectors import clusters_on, participating_organisations, provinces_on
from tests.conftest import login


def test_fy2551_has_75_provinces_in_18_clusters(fy2551: FiscalYear) -> None:
    provinces = list(provinces_on(on=fy2551.structure_on))
    clusters = clusters_on(on=fy2551.structure_on)
    members = [p.code for c in clusters for p in c.provinces]
    assert (len(provinces), len(clusters)) == (75, 18)
    assert sorted(members) == sorted(p.code for p in provinces)  # each province in exactly one cluster
    assert "10" not in members and "38" not in members  # Bangkok is special; Bueng Kan comes in 2554
    assert participating_organisations(on=fy2551.structure_on).count() == 93


def test_bueng_kan_exists_from_2554(fy2551: FiscalYear) -> None:
    assert "38" in [p.code for p in provinces_on(on=date(2011, 9, 30))]


def test_loading_reference_data_twice_changes_nothing(fy2551: FiscalYear) -> None:
    counts = (Organisation.objects.count(), ClusterMembership.objects.count(), Framework.objects.count())
    call_command("load_reference", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())
    assert (
        Organisation.objects.count(),
        ClusterMembership.objects.count(),
        Framework.objects.count(),
    ) == counts


def test_fy2551_calendar_follows_the_letter(fy2551: FiscalYear) -> None:
    assert (fy2551.starts_on, fy2551.ends_on) == (date(2007, 10, 1), date(2008, 9, 30))
    assert fy2551.briefing_on == date(2007, 9, 24)
    assert fy2551.submission_deadline == date(2007, 10, 15)
    assert fy2551.baseline_years == (2548, 2549, 2550)
    assert [r.months for r in fy2551.report_rounds.all()] == [6, 9, 12]


def test_frameworks_weigh_100_with_indicator_one_open(fy2551: FiscalYear) -> None:
    for framework in fy2551.frameworks.all():
        dimensions = list(framework.dimensions.all())
        assert sum(d.weight for d in dimensions) == 100
        assert sum(i.weight for i in framework.indicators.all()) == 100
        plan_indicators = list(framework.indicators.filter(is_plan_indicator=True))
        assert [i.code for i in plan_indicators] == ["1"]
        assert plan_indicators[0].dimension.number == 1
        assert (framework.floor_score, framework.not_reported_score) == (Decimal(1), Decimal(1))


def test_the_login_page_is_thai(db: None) -> None:
    response = Client().get(reverse("login"))
    body = response.content.decode()
    assert '<html lang="th">' in body
    assert "เข้าสู่ระบบ" in body and "ชื่อผู้ใช้" in body
    assert "/static/css/khamrap.css" in body


def test_pages_need_a_login(fy2551: FiscalYear) -> None:
    for name in ("fiscal-year", "organisations", "frameworks", "tracking"):
        response = Client().get(reverse(name, args=[2551]))
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_a_wrong_password_gets_a_thai_message(officer) -> None:  # type: ignore[no-untyped-def]
    response = Client().post(reverse("login"), {"username": "cm_officer", "password": "wrong"})
    assert "ชื่อผู้ใช้" in response.content.decode() and response.status_code == 200
    assert "_auth_user_id" not in Client().session


def test_opdc_sees_the_calendar_in_be_dates(analyst) -> None:  # type: ignore[no-untyped-def]
    body = login(analyst).get(reverse("fiscal-year", args=[2551])).content.decode()
    assert "24 กันยายน 2550" in body
    assert "15 ตุลาคม 2550" in body
    assert "1 ต.ค. 2550" not in body  # the year itself is shown in long form
    assert "1 ตุลาคม 2550 – 30 กันยายน 2551" in body


def test_the_calendar_in_english_uses_ce(analyst) -> None:  # type: ignore[no-untyped-def]
    client = login(analyst)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    body = client.get(reverse("fiscal-year", args=[2551])).content.decode()
    assert "15 October 2007" in body


def test_opdc_sees_18_clusters_and_75_provinces(analyst) -> None:  # type: ignore[no-untyped-def]
    body = login(analyst).get(reverse("organisations", args=[2551])).content.decode()
    assert 'data-testid="cluster-count">18<' in body
    assert 'data-testid="province-count">75<' in body
    assert "ภาคเหนือตอนบน 1" in body and "เชียงใหม่ (50)" in body


def test_the_framework_page_shows_weights(analyst) -> None:  # type: ignore[no-untyped-def]
    body = login(analyst).get(reverse("frameworks", args=[2551])).content.decode()
    assert "ระดับความสำเร็จของการบรรลุเป้าหมายตามแผนปฏิบัติราชการของจังหวัด" in body
    assert "35.00" in body and "100.00" in body


def test_reference_pages_show_no_province_data_to_a_province(officer) -> None:  # type: ignore[no-untyped-def]
    # The calendar, clusters and framework are public reference data; every plan page is scoped (tests/plans).
    client = login(officer)
    for name in ("fiscal-year", "organisations", "frameworks"):
        assert client.get(reverse(name, args=[2551])).status_code == 200
    assert client.get(reverse("tracking", args=[2551])).status_code == 403


def test_home_sends_each_role_to_its_page(officer, analyst, viewer) -> None:  # type: ignore[no-untyped-def]
    assert login(officer).get("/")["Location"] == reverse("plan-detail", args=[2551, "50"])
    assert login(analyst).get("/")["Location"] == reverse("tracking", args=[2551])
    assert login(viewer).get("/")["Location"] == reverse("fiscal-year", args=[2551])


def test_the_thai_font_and_scripts_are_served_by_the_project(analyst) -> None:  # type: ignore[no-untyped-def]
    client = login(analyst)
    body = client.get(reverse("fiscal-year", args=[2551])).content.decode()
    assert "http://" not in body.replace("http://127.0.0.1", "") and "https://" not in body
    for path in ("/static/fonts/Sarabun-Regular.ttf", "/static/js/htmx.min.js", "/static/css/khamrap.css"):
        response = client.get(path)
        assert response.status_code == 200, path
        b"".join(response.streaming_content if response.streaming else [response.content])


def test_the_console_script_runs_management_commands() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "khamrap", "help", "load_reference"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0 and "FY2551" in result.stdout


@pytest.mark.parametrize("module", ["khamrap.scoring", "khamrap.thai"])
def test_pure_packages_import_no_django(module: str) -> None:
    code = f"import sys, {module}; assert not any(m.startswith('django') for m in sys.modules), 'django'"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_thai_is_the_default_whatever_the_browser_asks(analyst) -> None:  # type: ignore[no-untyped-def]
    client = login(analyst)
    body = client.get(
        reverse("fiscal-year", args=[2551]), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9"
    ).content.decode()
    assert "15 ตุลาคม 2550" in body and '<html lang="th">' in body


def test_an_expired_form_gets_a_thai_page_not_a_technical_one(db: None) -> None:
    response = Client(enforce_csrf_checks=True).post(reverse("login"), {"username": "x", "password": "y"})
    body = response.content.decode()
    assert response.status_code == 403
    assert "หมดเวลาการใช้งานหน้านี้" in body and "ข้อมูลยังไม่ถูกบันทึก" in body
    assert "verification failed" not in body and "Forbidden" not in body


def test_an_unknown_page_gets_the_thai_404(analyst) -> None:  # type: ignore[no-untyped-def]
    response = login(analyst).get("/years/2551/plans/XX/")
    assert response.status_code == 404
    assert "ไม่พบหน้าที่ต้องการ" in response.content.decode()
