"""The KPI field registry: one list of fields and one set of bounds for the model, the web form, the workbook,
the diff, the printed form and the scoring rules; and a stored value never breaks a page."""

import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from openpyxl import load_workbook

from khamrap.plans.diff import plan_diff
from khamrap.plans.forms import KpiForm
from khamrap.plans.models import Kpi, Plan
from khamrap.plans.printable import DETAIL_COLUMNS
from khamrap.plans.schema import FIELDS, KPI_FIELDS, KpiData
from khamrap.plans.selectors import plan_tree
from khamrap.workbook.importer import workbook_import
from khamrap.workbook.layout import FORM_COLUMNS, SHEET_FORM
from khamrap.workbook.writer import workbook_export
from tests.conftest import login

# Model columns that are not fields a person fills in.
STRUCTURAL = {"id", "uid", "plan", "goal", "position", "code", "name_words", "text_words"}
# What people type for a weight of a thousand, or for no number at all, and where it must be refused.
BAD_WEIGHTS = ["1000", "1,000", "๑,๒๓๔.๕", "5e15", "1e309", "NaN"]


def test_the_registry_and_the_model_hold_the_same_fields() -> None:
    columns = {f.name for f in Kpi._meta.get_fields() if f.concrete and not f.auto_created} - STRUCTURAL
    assert columns == {f.name for f in KPI_FIELDS}


@pytest.mark.parametrize("field", KPI_FIELDS, ids=lambda f: f.name)
def test_every_column_holds_every_value_the_registry_accepts(field) -> None:  # type: ignore[no-untyped-def]
    column = Kpi._meta.get_field(field.name)
    if field.is_flag:
        assert isinstance(column, models.BooleanField)
    elif field.is_number:
        assert isinstance(column, models.DecimalField)
        assert column.decimal_places >= field.bounds.places
        assert column.max_digits - column.decimal_places >= field.bounds.integer_digits
    elif isinstance(column, models.CharField) and not field.choices:
        assert field.max_length is not None and field.max_length <= column.max_length
    else:
        assert field.max_length is not None or field.choices is not None


def test_the_channels_take_their_fields_from_the_registry() -> None:
    registry = [f.name for f in KPI_FIELDS]
    assert [name for name in KpiForm.base_fields if name in FIELDS] == registry
    assert [c.key for c in FORM_COLUMNS][3:] == [f.name for f in KPI_FIELDS if f.exported]
    assert [c.name for c in DETAIL_COLUMNS] == [f.name for f in KPI_FIELDS if f.detail]


def test_the_diff_compares_every_compared_field() -> None:
    before = KpiData(name="ก", uid="u1")
    for field in KPI_FIELDS:
        if not field.compared or field.choices:
            continue
        value = Decimal(7) if field.is_number else True if field.is_flag else "ข้อความใหม่"
        if field.name.startswith(("baseline_", "criteria_")):
            group = "baselines" if field.name.startswith("baseline_") else "criteria"
            values = list(getattr(before, group))
            values[int(field.name[-1]) - 1] = value
            after = KpiData(**{**vars(before), group: tuple(values)})
        else:
            after = KpiData(**{**vars(before), field.name: value})
        from khamrap.plans.schema import GoalData, IssueData, PlanData

        def tree(kpi: KpiData) -> PlanData:
            return PlanData(issues=(IssueData("i", (GoalData("g", (kpi,)),)),))

        changes = plan_diff(tree(before), tree(after)).changed
        assert [f.field for f in changes[0].fields] == [field.name], field.name


# --- a weight of a thousand is refused everywhere -----------------------------------------------------


@pytest.mark.parametrize("typed", BAD_WEIGHTS)
def test_the_web_form_refuses_the_weight_and_keeps_the_old_one(plan: Plan, officer, typed: str) -> None:  # type: ignore[no-untyped-def]
    kpi = Kpi.objects.get(plan=plan, code="1.1")
    data = {f"k{kpi.pk}-{k}": ("" if v is None else v) for k, v in KpiForm.initial_for(kpi).items()}
    data[f"k{kpi.pk}-weight"] = typed
    client = login(officer)

    response = client.post(reverse("kpi-save", args=[2551, "50", kpi.pk]), data, HTTP_HX_REQUEST="true")

    body = response.content.decode()
    assert response.status_code == 200
    shown = {"1000": "1,000", "1,000": "1,000", "๑,๒๓๔.๕": "1,234.5"}.get(typed)
    expected = f"ต้องอยู่ระหว่าง 0 ถึง 100 (พบ {shown})" if shown else f"ไม่ใช่ตัวเลข: &quot;{typed}&quot;"
    assert expected in body
    assert Kpi.objects.get(pk=kpi.pk).weight == Decimal(5)
    for name in ("plan-detail", "plan-pdf", "plan-workbook"):
        assert client.get(reverse(name, args=[2551, "50"])).status_code == 200


def test_the_form_names_the_bounds_of_a_thousand_exactly(plan: Plan, officer) -> None:  # type: ignore[no-untyped-def]
    form = KpiForm({"weight": "1,000"})
    form.is_valid()
    assert form.errors["weight"] == ["ต้องอยู่ระหว่าง 0 ถึง 100 (พบ 1,000)"]


@pytest.mark.parametrize("typed", [1000, "1,000", "๑,๒๓๔.๕", 5e15, "1e309", "NaN"])
def test_the_workbook_refuses_the_weight_at_its_cell(plan: Plan, officer, typed: object) -> None:  # type: ignore[no-untyped-def]
    before = plan_tree(plan)
    book = load_workbook(io.BytesIO(workbook_export(plan=plan)))
    book[SHEET_FORM]["F3"] = typed
    book[SHEET_FORM]["F3"].data_type = "s" if isinstance(typed, str) else "n"
    out = io.BytesIO()
    book.save(out)

    upload = workbook_import(plan=plan, data=out.getvalue(), filename="heavy.xlsx", actor=officer)

    assert upload.status == "refused"
    [problem] = [p for p in upload.problems if p["column"] == "F"]
    assert (problem["sheet"], problem["row"]) == (SHEET_FORM, 3)
    if typed in (1000, "1,000", "๑,๒๓๔.๕"):
        assert problem["message_th"].startswith("น้ำหนัก ต้องอยู่ระหว่าง 0 ถึง 100 (พบ ")
    elif typed == 5e15:
        assert problem["message_th"] == "น้ำหนัก ต้องอยู่ระหว่าง 0 ถึง 100 (พบ 5,000,000,000,000,000)"
    else:
        assert problem["message_th"] == f'น้ำหนัก ต้องเป็นตัวเลข (พบ "{typed}")'
    assert plan_tree(Plan.objects.get(pk=plan.pk)) == before


@pytest.mark.parametrize(
    ("weight", "message_th"),
    [
        ("1000", "น้ำหนักต้องอยู่ระหว่าง 0 ถึง 100 (พบ 1,000)"),
        ("5e15", "ค่าต้องน้อยกว่า 10^15"),
        ("1e309", "ค่าต้องน้อยกว่า 10^15"),
        ("1,000", "ต้องเป็นตัวเลข"),
        ("๑,๒๓๔.๕", "ต้องเป็นตัวเลข"),
        ("NaN", "NaN ไม่ใช่ตัวเลขที่ JSON ยอมรับ"),
    ],
)
def test_khamrap_score_refuses_the_weight(weight: str, message_th: str) -> None:
    number = weight if weight in {"1,000", "๑,๒๓๔.๕"} else None
    raw = json.dumps(
        {"indicators": [{"code": "1", "weight": number or "W", "type": "milestone", "level": 5}]},
        ensure_ascii=False,
    )
    if number is None:
        raw = raw.replace('"W"', weight)

    with pytest.raises(CommandError) as caught:
        call_command("score", "-", stdin=io.StringIO(raw), stdout=io.StringIO())

    assert caught.value.returncode == 2
    assert message_th in str(caught.value)


@pytest.mark.parametrize("weight", [Decimal("100.0001"), Decimal(-1)])
def test_the_database_refuses_a_weight_out_of_bounds(plan: Plan, weight: Decimal) -> None:
    # (1000 does not even fit PostgreSQL's numeric(7, 4); these fit the column and break the constraint)
    kpi = Kpi.objects.filter(plan=plan).first()
    assert kpi is not None
    with pytest.raises(IntegrityError), transaction.atomic():
        Kpi.objects.filter(pk=kpi.pk).update(weight=weight)
    assert Kpi.objects.get(pk=kpi.pk).weight == kpi.weight


# --- the "new KPI" mark goes through every channel ---------------------------------------------------


def test_the_new_mark_is_saved_from_the_web_form_and_cleared_again(plan: Plan, officer) -> None:  # type: ignore[no-untyped-def]
    # given
    kpi = Kpi.objects.get(plan=plan, code="1.1")
    client = login(officer)
    url = reverse("kpi-save", args=[2551, "50", kpi.pk])

    # when
    marked = client.post(url, {f"k{kpi.pk}-is_new": "True"}, HTTP_HX_REQUEST="true")
    after_marking = Kpi.objects.get(pk=kpi.pk).is_new
    cleared = client.post(url, {f"k{kpi.pk}-is_new": "False"}, HTTP_HX_REQUEST="true")

    # then
    assert (marked.status_code, cleared.status_code) == (200, 200)
    assert after_marking is True
    assert Kpi.objects.get(pk=kpi.pk).is_new is False
    page = client.get(reverse("plan-detail", args=[2551, "50"])).content.decode()
    assert f'name="k{kpi.pk}-is_new"' in page
    assert "ตัวชี้วัดที่ไม่เคยเก็บข้อมูลมาก่อน จึงไม่มีข้อมูลพื้นฐานย้อนหลัง" in page


def test_the_new_mark_goes_out_to_the_workbook_and_comes_back(plan: Plan, officer) -> None:  # type: ignore[no-untyped-def]
    from khamrap.workbook.layout import FIRST_DATA_ROW, form_letter
    from khamrap.workbook.reader import workbook_read

    # given
    Kpi.objects.filter(plan=plan, code="1.1").update(is_new=True)
    letter = form_letter("is_new")

    # when
    data = workbook_export(plan=plan)
    book = load_workbook(io.BytesIO(data))
    read = workbook_read(data)

    # then
    assert book[SHEET_FORM][f"{letter}{FIRST_DATA_ROW}"].value == "ใช่"
    assert book[SHEET_FORM][f"{letter}{FIRST_DATA_ROW + 1}"].value is None
    assert [k.is_new for k in read.plan.kpis()] == [k.is_new for k in plan_tree(plan).kpis()]
    assert read.plan.kpis()[0].is_new is True


def test_the_workbook_refuses_a_new_mark_it_cannot_read(plan: Plan, officer) -> None:  # type: ignore[no-untyped-def]
    from khamrap.workbook.layout import FIRST_DATA_ROW, form_letter
    from khamrap.workbook.reader import workbook_read

    book = load_workbook(io.BytesIO(workbook_export(plan=plan)))
    letter = form_letter("is_new")
    book[SHEET_FORM][f"{letter}{FIRST_DATA_ROW}"] = "บางที"
    out = io.BytesIO()
    book.save(out)

    read = workbook_read(out.getvalue())

    assert [(p.row, p.column, p.message_th) for p in read.problems] == [
        (FIRST_DATA_ROW, letter, "ตัวชี้วัดใหม่ ใส่ได้เฉพาะ 'ใช่' หรือเว้นว่าง (พบ \"บางที\")")
    ]


def test_the_diff_and_the_history_show_the_new_mark_as_yes_or_no() -> None:
    from khamrap.plans.diff import shown_value
    from khamrap.plans.schema import GoalData, IssueData, PlanData

    def tree(kpi: KpiData) -> PlanData:
        return PlanData(issues=(IssueData("i", (GoalData("g", (kpi,)),)),))

    [change] = plan_diff(
        tree(KpiData(name="ก", uid="u1")), tree(KpiData(name="ก", uid="u1", is_new=True))
    ).changed

    assert [(f.field, f.old, f.new, f.stored_old, f.stored_new) for f in change.fields] == [
        ("is_new", "ไม่ใช่", "ใช่", "False", "True")
    ]
    assert shown_value("is_new", "True") == "ใช่"
