"""OPDC's overview: each plan's findings, analysts and progress, sortable and filterable, in a constant
number of queries; and the year's findings and verdicts as Excel, from the page and from the command."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from khamrap.plans.models import Kpi, Plan
from khamrap.review import services
from tests.conftest import login
from tests.factories import PlanFactory
from tests.review.test_review_export import _review_first


def _rows(page: str) -> list[str]:
    import re

    return re.findall(r'<tr data-org="([^"]+)"', page)


def test_the_overview_shows_progress_and_analysts(submitted: Plan, assigned) -> None:  # type: ignore[no-untyped-def]
    _review_first(submitted, assigned)
    page = login(assigned).get(reverse("review-overview", args=[2551])).content.decode()
    assert 'data-testid="progress-50">1/8' in page
    assert assigned.display_name in page.split('data-testid="analysts-50">')[1].split("</td>")[0]
    assert len(_rows(page)) == 93  # every province and cluster of the year


def test_the_overview_filters_and_sorts(submitted: Plan, assigned, fy2551, org, other_officer) -> None:  # type: ignore[no-untyped-def]
    PlanFactory(fiscal_year=fy2551, organisation=org("51"), tree__actor=other_officer)
    client = login(assigned)
    url = reverse("review-overview", args=[2551])
    assert _rows(client.get(url, {"analyst": str(assigned.pk)}).content.decode()) == ["50"]
    assert _rows(client.get(url, {"q": "ลำพูน"}).content.decode()) == ["51"]
    assert _rows(client.get(url, {"status": "submitted"}).content.decode()) == ["50"]
    by_code = _rows(client.get(url, {"sort": "code"}).content.decode())
    assert by_code == sorted(by_code)
    assert _rows(client.get(url, {"sort": "-code"}).content.decode()) == list(reversed(by_code))
    _review_first(submitted, assigned)
    assert _rows(client.get(url, {"sort": "-progress"}).content.decode())[0] == "50"
    assert (
        _rows(client.get(url, {"sort": "nonsense"}).content.decode()) == by_code
    )  # an unknown sort: code order
    assert _rows(client.get(url, {"sort": "nonsense"}).content.decode()) == by_code


def test_the_overview_reads_in_a_constant_number_of_queries(
    submitted: Plan, assigned, fy2551, org, other_officer
) -> None:  # type: ignore[no-untyped-def]
    client = login(assigned)
    url = reverse("review-overview", args=[2551])
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for code in ("51", "52", "53"):
        PlanFactory(fiscal_year=fy2551, organisation=org(code), tree__actor=None)
    assigned.assigned_organisations.add(org("51"), org("52"))
    with CaptureQueriesContext(connection) as four:
        client.get(url)
    assert len(four) == len(one)


def test_the_export_holds_findings_verdicts_and_notes(submitted: Plan, assigned, tmp_path) -> None:  # type: ignore[no-untyped-def]
    _review_first(submitted, assigned)
    services.plan_review_notes_save(plan=submitted, actor=assigned, notes="นัดหารือ 1 พ.ย.")
    out = tmp_path / "review.xlsx"
    call_command("export_review", "--year", "2551", "--out", str(out), stdout=io.StringIO())
    book = load_workbook(out)
    assert book.sheetnames == ["ข้อสังเกต", "ผลการพิจารณา", "บันทึกภายใน"]
    findings = [tuple(c.value for c in row) for row in book["ข้อสังเกต"].iter_rows(min_row=3)]
    assert (
        "50",
        "เชียงใหม่",
        "1.3",
        str(Kpi.objects.get(plan=submitted, code="1.3").uid),
        "field_missing",
    ) == findings[1][:5]
    verdicts = {row[4].value: [c.value for c in row] for row in book["ผลการพิจารณา"].iter_rows(min_row=3)}
    assert verdicts["1.1"][7:11] == ["ควรปรับปรุง", "ปรับเป้า", "ค่าเป้าหมาย: 7", "ภายใน"]
    assert len(verdicts) == 8
    assert [c.value for c in next(book["บันทึกภายใน"].iter_rows(min_row=3))] == [
        "50",
        "เชียงใหม่",
        "0",
        "นัดหารือ 1 พ.ย.",
    ]
    # the same file from the overview's button
    response = login(assigned).get(reverse("review-export", args=[2551]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert load_workbook(io.BytesIO(response.content)).sheetnames == book.sheetnames


def test_export_review_refuses_an_unknown_year(fy2551, tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CommandError) as raised:
        call_command("export_review", "--year", "2600", "--out", str(tmp_path / "x.xlsx"))
    assert raised.value.returncode == 2
    with pytest.raises(CommandError) as raised:
        call_command("export_review", "--year", "2551", "--out", str(tmp_path / "missing" / "x.xlsx"))
    assert raised.value.returncode == 2
