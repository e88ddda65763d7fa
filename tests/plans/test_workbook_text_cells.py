"""Text that looks like a formula goes to Excel as text and comes back as the same text."""

import io

import pytest
from openpyxl import load_workbook

from khamrap.plans import editing
from khamrap.plans.models import Kpi, Plan
from khamrap.plans.selectors import plan_tree
from khamrap.workbook.importer import workbook_import
from khamrap.workbook.layout import SHEET_FORM
from khamrap.workbook.writer import workbook_export

LOOKS_LIKE_FORMULAS = [
    '=HYPERLINK("http://example.invalid","คลิก")',
    "+66 5311 2345",
    "-ลดลงร้อยละ 5",
    "@ผู้ว่าราชการจังหวัด",
]


@pytest.mark.parametrize("text", LOOKS_LIKE_FORMULAS)
def test_text_that_looks_like_a_formula_round_trips_as_text(plan: Plan, officer, text: str) -> None:  # type: ignore[no-untyped-def]
    kpi = Kpi.objects.get(plan=plan, code="1.1")
    editing.kpi_update(kpi=kpi, actor=officer, values={"name": text, "remarks": text}, levels={})
    before = plan_tree(plan)

    data = workbook_export(plan=plan)

    cells = load_workbook(io.BytesIO(data))[SHEET_FORM]
    assert [(c.value, c.data_type) for c in (cells["D3"], cells["Y3"])] == [(text, "s"), (text, "s")]
    upload = workbook_import(plan=plan, data=data, filename="own.xlsx", actor=officer)
    assert (upload.status, upload.problems) == ("unchanged", [])
    assert plan_tree(Plan.objects.get(pk=plan.pk)) == before
