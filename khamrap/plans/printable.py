"""The printable negotiation form: a plan as the PDF of enclosure 1 of OPDC's letter of 21 Sep 2550.

Landscape A4; the table is grouped by strategic issue → goal, one row per KPI with unit, weight, baseline for
the three previous years, target and the five scoring levels (a milestone KPI's level descriptions and
sub-steps); then one block of details per KPI (definition, formula, data source, supervisor and data
collector). Dates are Buddhist Era. Everything comes from :func:`~khamrap.plans.selectors.plan_tree` and a
fixed number of other reads, whatever the size of the plan.

The text of the PDF reads back exactly as written, ำ included, and a huge field is cut with a note: see
:mod:`khamrap.documents.pdf` and ``docs/documents.md``.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils import timezone, translation

from khamrap.documents.pdf import render_pdf
from khamrap.frameworks.selectors import plan_indicator
from khamrap.plans.models import Direction, KpiType, Plan
from khamrap.plans.schema import FIELDS, KPI_FIELDS, LEVELS, KpiData, KpiField, PlanData
from khamrap.plans.selectors import plan_tree
from khamrap.thai.dates import format_date, format_datetime
from khamrap.thai.numbers import format_decimal

TEMPLATE = "documents/plan_form.html"
# The details table: a column per field the registry prints there, and the fields printed inside them.
DETAIL_COLUMNS = tuple(field for field in KPI_FIELDS if field.detail)
PRINTED_WITH = {
    column.name: tuple(field for field in KPI_FIELDS if field.printed_with == column.name)
    for column in DETAIL_COLUMNS
}
EMPTY = "–"
MAX_PLACES = 4


@dataclass(frozen=True)
class LevelCell:
    """What one of the five scoring columns says for a KPI: a value, or a milestone step and its sub-steps."""

    text: str
    substeps: tuple[str, ...] = ()
    is_description: bool = False


@dataclass(frozen=True)
class KpiRow:
    code: str
    name: str
    type_note: str
    unit: str
    weight: str
    baselines: tuple[str, str, str]
    target: str
    levels: tuple[LevelCell, ...]
    details: tuple[str, ...]  # one cell per column of DETAIL_COLUMNS


@dataclass(frozen=True)
class GoalGroup:
    number: str
    name: str
    kpis: tuple[KpiRow, ...]


@dataclass(frozen=True)
class IssueGroup:
    number: str
    name: str
    goals: tuple[GoalGroup, ...]


@dataclass(frozen=True)
class PlanForm:
    """Everything the template shows, as text ready to print."""

    title_lines: tuple[str, str]
    organisation: str
    fiscal_year: str
    baseline_years: tuple[str, str, str]
    status: str
    is_draft: bool
    printed_on: str
    issues: tuple[IssueGroup, ...]
    total_weight: str
    attachments: tuple[str, ...]

    @property
    def title(self) -> str:
        return "".join(self.title_lines)

    @property
    def detail_headings(self) -> tuple[str, ...]:
        return tuple(column.label_th for column in DETAIL_COLUMNS)

    @property
    def kpis(self) -> list[KpiRow]:
        return [kpi for issue in self.issues for goal in issue.goals for kpi in goal.kpis]


def plan_form_pdf(*, plan: Plan, today: date | None = None) -> bytes:
    """The negotiation form of ``plan`` as PDF bytes; ``today`` is the print date (default: today)."""
    with translation.override("th"):
        form = plan_form(plan=plan, today=today)
        return render_pdf(TEMPLATE, {"form": form})


def plan_form(*, plan: Plan, today: date | None = None) -> PlanForm:
    """The printable form of ``plan`` as plain text, in a constant number of queries."""
    fiscal_year = plan.fiscal_year
    organisation = plan.organisation
    indicator = plan_indicator(fiscal_year=fiscal_year, organisation=organisation)
    tree = plan_tree(plan)
    attachments = tuple(
        plan.attachments.order_by("uploaded_at", "pk").values_list("original_name", flat=True)
    )
    kind = "กลุ่มจังหวัด" if organisation.is_cluster else "จังหวัด" if organisation.is_province else ""
    return PlanForm(
        # The enclosure's title, broken where the letter breaks it.
        title_lines=(
            "แบบฟอร์มเอกสารสำหรับการเจรจาความเหมาะสมของตัวชี้วัด เป้าหมาย และเกณฑ์การให้คะแนน",
            "ตามคำรับรองการปฏิบัติราชการ กลุ่มจังหวัด และจังหวัด "
            f"ประจำปีงบประมาณ พ.ศ. {fiscal_year.year} (ตัวชี้วัดที่ {indicator.code if indicator else '1'})",
        ),
        organisation=f"{kind}{organisation.name_th}",
        fiscal_year=f"ปีงบประมาณ พ.ศ. {fiscal_year.year}",
        baseline_years=_three(tuple(str(year) for year in fiscal_year.baseline_years)),
        status=_status(plan),
        is_draft=not plan.is_submitted,
        printed_on=format_date(today or timezone.localdate()),
        issues=_issues(tree),
        total_weight=_number(sum((k.weight for k in tree.kpis() if k.weight is not None), Decimal(0))),
        attachments=attachments,
    )


def _status(plan: Plan) -> str:
    text = f"ฉบับที่ {plan.version} · สถานะ: {plan.get_status_display()}"
    if plan.is_submitted and plan.submitted_at is not None:
        text += f" · ส่งเมื่อ {format_datetime(plan.submitted_at)}"
        if plan.is_late:
            text += " (ส่งล่าช้า)"
    return text


def _issues(tree: PlanData) -> tuple[IssueGroup, ...]:
    return tuple(
        IssueGroup(
            number=str(i),
            name=issue.name,
            goals=tuple(
                GoalGroup(number=f"{i}.{g}", name=goal.name, kpis=tuple(_kpi_row(kpi) for kpi in goal.kpis))
                for g, goal in enumerate(issue.goals, start=1)
            ),
        )
        for i, issue in enumerate(tree.issues, start=1)
    )


def _kpi_row(kpi: KpiData) -> KpiRow:
    milestone = kpi.kpi_type == KpiType.MILESTONE
    return KpiRow(
        code=kpi.code,
        name=kpi.name,
        type_note=_type_note(kpi),
        unit=kpi.unit or EMPTY,
        weight=_number(kpi.weight),
        baselines=_three(tuple(_number(value) for value in kpi.baselines)),
        target=_number(kpi.target),
        levels=_milestone_levels(kpi) if milestone else tuple(LevelCell(_number(v)) for v in kpi.criteria),
        details=tuple(_detail(kpi, column) for column in DETAIL_COLUMNS),
    )


def _detail(kpi: KpiData, column: KpiField) -> str:
    """A details cell: the field, with the fields printed beside it (a person's phone) on a line of its own."""
    text = str(column.value(kpi) or "")
    for extra in PRINTED_WITH.get(column.name, ()):
        value = str(extra.value(kpi) or "")
        if value:
            text = f"{text}\nโทร. {value}" if text else f"โทร. {value}"
    return text


def _type_note(kpi: KpiData) -> str:
    """Under the KPI's name: its type, its direction, and that it is new (why it has no baseline)."""
    if kpi.kpi_type == KpiType.MILESTONE:
        parts = [str(KpiType.MILESTONE.label)]
    else:
        direction = Direction(kpi.direction).label if kpi.direction in Direction.values else ""
        parts = [str(KpiType.QUANTITATIVE.label), *([str(direction)] if direction else [])]
    if kpi.is_new:
        parts.append(FIELDS["is_new"].label_th)
    return " · ".join(parts)


def _milestone_levels(kpi: KpiData) -> tuple[LevelCell, ...]:
    by_level = {level.level: level for level in kpi.levels}
    cells = []
    for n in LEVELS:
        level = by_level.get(n)
        if level is None:
            cells.append(LevelCell(EMPTY, is_description=True))
            continue
        steps = tuple(f"{n}.{s} {step}" for s, step in enumerate(level.substeps, start=1))
        cells.append(LevelCell(level.description or EMPTY, steps, is_description=True))
    return tuple(cells)


def _number(value: Decimal | None) -> str:
    """A stored number as typed: commas, no padding zeros (5.0000 → 5, 12.5000 → 12.5)."""
    if value is None:
        return EMPTY
    exponent = value.normalize().as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return format_decimal(value, places=min(places, MAX_PLACES))


def _three(values: tuple[str, ...]) -> tuple[str, str, str]:
    first, second, third = values
    return (first, second, third)
