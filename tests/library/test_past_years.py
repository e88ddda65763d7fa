"""A past year's workbook goes into the library: imported with ``khamrap import_plans`` once its year exists."""

import io
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command

from khamrap.frameworks.models import FiscalYear, Framework
from khamrap.frameworks.services import CalendarSeed, fiscal_year_seed
from khamrap.orgs.models import Organisation
from khamrap.plans.models import Plan
from khamrap.workbook.writer import workbook_export
from tests.conftest import login
from tests.factories import PlanFactory

FY2550 = CalendarSeed(2550, date(2006, 9, 25), date(2006, 10, 16), date(2006, 11, 1), date(2006, 11, 15))


def _import(path: Path) -> tuple[int, str]:
    stdout = io.StringIO()
    try:
        call_command("import_plans", str(path), stdout=stdout)
    except SystemExit as exit_:
        return int(exit_.code or 0), stdout.getvalue()
    return 0, stdout.getvalue()


@pytest.fixture
def workbook_2550(fy2551, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    """Lamphun's workbook of FY2550 (the sample plan), as a province would have sent it; then the plan and the
    year are gone again, as on a system that started with FY2551."""
    fy2550 = fiscal_year_seed(seed=FY2550)
    plan = PlanFactory(fiscal_year=fy2550, organisation=Organisation.objects.get(code="51"))
    path = tmp_path / "lamphun-2550.xlsx"
    path.write_bytes(workbook_export(plan=plan))
    plan.delete()
    Framework.objects.filter(fiscal_year=fy2550).delete()
    fy2550.delete()
    return path


def test_a_workbook_of_a_year_not_in_the_system_is_refused_saying_what_to_do(workbook_2550: Path) -> None:
    status, out = _import(workbook_2550)
    assert status == 1
    assert "ไม่พบปีงบประมาณ พ.ศ. 2550 ในระบบ กรุณาให้ผู้ดูแลระบบสร้างปีงบประมาณนี้ในหน้าผู้ดูแลระบบก่อนนำเข้า" in out
    assert not Plan.objects.filter(fiscal_year__year=2550).exists()


def test_a_past_years_workbook_imported_appears_in_the_library(workbook_2550: Path, analyst) -> None:  # type: ignore[no-untyped-def]
    # given the administrator has created FY2550 again
    fiscal_year_seed(seed=FY2550)
    # when the workbook is imported
    status, out = _import(workbook_2550)
    # then its KPIs are found by word in the library, in 2550
    assert status == 0, out
    plan = Plan.objects.get(fiscal_year__year=2550, organisation__code="51")
    assert plan.kpis.count() == 8
    response = login(analyst).get("/library/", {"q": "นักท่องเที่ยว", "year": "2550"})
    assert [
        (r.kpi.plan.organisation.code, r.kpi.plan.fiscal_year.year, r.kpi.name)
        for r in response.context["results"]
    ] == [("51", 2550, "จำนวนนักท่องเที่ยวที่เพิ่มขึ้น")]
    assert FiscalYear.objects.filter(year=2550).count() == 1
