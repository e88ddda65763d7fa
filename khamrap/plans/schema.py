"""The negotiation form as plain data and the registry of its KPI fields, shared by every channel.

Readers (``selectors.plan_tree``) produce a :class:`PlanData`; writers (``services.plan_tree_replace``)
take one. The checks here are the one place that says what a valid KPI row is, so the web form, the
Excel importer and the submission all give the same Thai messages.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

from django.db.models import TextChoices

from khamrap.core.errors import in_language
from khamrap.plans.models import Direction, KpiType
from khamrap.scoring.bounds import MEASURE, WEIGHT, NumberBounds, counted_weight_problem

LEVELS = (1, 2, 3, 4, 5)


@dataclass(frozen=True)
class LevelData:
    level: int
    description: str
    substeps: tuple[str, ...] = ()


@dataclass(frozen=True)
class KpiData:
    name: str
    uid: str | None = None
    code: str = ""
    unit: str = ""
    weight: Decimal | None = None
    kpi_type: str = KpiType.QUANTITATIVE
    direction: str = Direction.HIGHER
    baselines: tuple[Decimal | None, Decimal | None, Decimal | None] = (None, None, None)
    target: Decimal | None = None
    criteria: tuple[Decimal | None, ...] = (None, None, None, None, None)
    levels: tuple[LevelData, ...] = ()
    definition: str = ""
    formula: str = ""
    data_source: str = ""
    supervisor_name: str = ""
    supervisor_phone: str = ""
    collector_name: str = ""
    collector_phone: str = ""
    remarks: str = ""
    is_new: bool = False


@dataclass(frozen=True)
class GoalData:
    name: str
    kpis: tuple[KpiData, ...] = ()


@dataclass(frozen=True)
class IssueData:
    name: str
    goals: tuple[GoalData, ...] = ()


@dataclass(frozen=True)
class PlanData:
    issues: tuple[IssueData, ...] = ()

    def kpis(self) -> list[KpiData]:
        return [kpi for issue in self.issues for goal in issue.goals for kpi in goal.kpis]


# --- the KPI field registry -------------------------------------------------------------------------
#
# Every channel reads this registry: the web form (its fields and bounds), the mapping between the model and
# KpiData, the workbook's columns, the comparison of two plans, the labels of every message and the printed
# form's details. Adding a KPI field is an edit here (the registry and KpiData above), to the model and a
# migration, and to a template that shows it; tests/plans/test_fields.py holds them to that. Numbers take
# their bounds from khamrap.scoring.bounds, shared with the scoring rules; every text field has a length its
# database column holds.

LONG_TEXT_LENGTH = 5_000  # definition, formula, data source, remarks, a level's description
SUBSTEPS_LENGTH = 5_000  # a level's sub-steps, all lines together
NAME_LENGTH = 500  # the KPI's, a strategic issue's and a goal's name
CODE_LENGTH = 16  # a KPI's number as typed in the workbook: 1.12


class Kind(StrEnum):
    TEXT = "text"  # one line
    LONG = "long"  # several lines
    PHONE = "phone"
    NUMBER = "number"
    CHOICE = "choice"
    FLAG = "flag"  # yes or no: "ใช่" or blank in the workbook


@dataclass(frozen=True)
class KpiField:
    name: str
    kind: Kind
    label_th: str
    label_en: str
    max_length: int | None = None
    bounds: NumberBounds | None = None
    choices: type[TextChoices] | None = None
    heading_th: str = ""  # the workbook's column heading, when it says more than the label
    width: float = 14  # the workbook column's width
    compared: bool = True  # a change to it is a change of the plan
    exported: bool = True  # a column of the workbook's form sheet
    detail: bool = False  # a column of the printed form's details table
    printed_with: str = ""  # printed in the cell of that field (a phone beside its person's name)
    help_th: str = ""  # what to write, shown under the field on the web and in the workbook's instructions
    help_en: str = ""

    @property
    def is_number(self) -> bool:
        return self.kind is Kind.NUMBER

    @property
    def is_flag(self) -> bool:
        return self.kind is Kind.FLAG

    @property
    def heading(self) -> str:
        return self.heading_th or self.label_th

    def label(self, language: str | None) -> str:
        return in_language(self.label_th, self.label_en, language)

    def help(self, language: str | None) -> str:
        return in_language(self.help_th, self.help_en, language)

    def value(self, kpi: KpiData) -> Any:
        """This field of ``kpi``: the three baselines and five criteria are held as tuples there."""
        if self.name.startswith("baseline_"):
            return kpi.baselines[int(self.name[-1]) - 1]
        if self.name.startswith("criteria_"):
            return kpi.criteria[int(self.name[-1]) - 1]
        return getattr(kpi, self.name)


def _text(name: str, th: str, en: str, length: int, *, width: float = 22, **more: Any) -> KpiField:
    return KpiField(name, Kind.TEXT, th, en, max_length=length, width=width, **more)


def _long(name: str, th: str, en: str, *, width: float = 30, **more: Any) -> KpiField:
    return KpiField(name, Kind.LONG, th, en, max_length=LONG_TEXT_LENGTH, width=width, **more)


def _number(name: str, th: str, en: str, *, width: float = 11, **more: Any) -> KpiField:
    return KpiField(name, Kind.NUMBER, th, en, bounds=more.pop("bounds", MEASURE), width=width, **more)


KPI_FIELDS: tuple[KpiField, ...] = (
    _text("name", "ชื่อตัวชี้วัด", "KPI name", NAME_LENGTH, width=40),
    KpiField("unit", Kind.CHOICE, "หน่วยวัด", "Unit", max_length=100, width=12),
    _number("weight", "น้ำหนัก", "Weight", bounds=WEIGHT, heading_th="น้ำหนัก (ร้อยละ)", width=10),
    KpiField("kpi_type", Kind.CHOICE, "ประเภทตัวชี้วัด", "KPI type", choices=KpiType, width=16),
    KpiField("direction", Kind.CHOICE, "ทิศทาง", "Direction", choices=Direction, width=15),
    *(_number(f"baseline_{n}", f"ข้อมูลพื้นฐานปีที่ {n}", f"Baseline year {n}", width=13) for n in (1, 2, 3)),
    _number("target", "ค่าเป้าหมาย", "Target", width=12),
    *(_number(f"criteria_{n}", f"เกณฑ์ระดับ {n}", f"Level {n} criterion") for n in LEVELS),
    _long(
        "definition",
        "คำอธิบาย / นิยาม",
        "Definition",
        width=40,
        detail=True,
        help_th="ตัวชี้วัดนี้วัดอะไร ขอบเขต และความหมายของคำสำคัญ เพื่อให้ผู้ประเมินเข้าใจตรงกัน",
        help_en="What the KPI measures, its scope and the meaning of its key terms",
    ),
    _long(
        "formula",
        "สูตรการคำนวณ",
        "Formula",
        detail=True,
        help_th="วิธีคำนวณผลจากข้อมูล เช่น (จำนวนที่ทำได้ ÷ จำนวนทั้งหมด) × 100 พร้อมหน่วย",
        help_en="How the result is computed from the data, e.g. (achieved ÷ total) × 100, with its unit",
    ),
    _long(
        "data_source",
        "แหล่งข้อมูล",
        "Data source",
        width=24,
        detail=True,
        help_th="หน่วยงาน ระบบ หรือรายงานที่ให้ข้อมูล และรอบการจัดเก็บ",
        help_en="The office, system or report the data comes from, and how often it is collected",
    ),
    _text("supervisor_name", "ผู้กำกับดูแลตัวชี้วัด", "KPI supervisor", 200, detail=True),
    KpiField(
        "supervisor_phone",
        Kind.PHONE,
        "โทรศัพท์ผู้กำกับดูแล",
        "Supervisor's phone",
        max_length=60,
        width=15,
        printed_with="supervisor_name",
    ),
    _text("collector_name", "ผู้จัดเก็บข้อมูล", "Data collector", 200, detail=True),
    KpiField(
        "collector_phone",
        Kind.PHONE,
        "โทรศัพท์ผู้จัดเก็บข้อมูล",
        "Collector's phone",
        max_length=60,
        width=15,
        printed_with="collector_name",
    ),
    _long("remarks", "หมายเหตุ", "Remarks", detail=True),
    KpiField(
        "is_new",
        Kind.FLAG,
        "ตัวชี้วัดใหม่",
        "New KPI",
        heading_th="ตัวชี้วัดใหม่ (ไม่มีข้อมูลพื้นฐาน)",
        width=16,
        help_th="ตัวชี้วัดที่ไม่เคยเก็บข้อมูลมาก่อน จึงไม่มีข้อมูลพื้นฐานย้อนหลัง (ในไฟล์ Excel ใส่ 'ใช่' หรือเว้นว่าง)",
        help_en="A KPI never measured before, so it has no baseline (in the workbook: 'ใช่' or blank)",
    ),
)
FIELDS: dict[str, KpiField] = {f.name: f for f in KPI_FIELDS}
# The web form's "details" section: the fields printed in the details table, and those printed with them.
DETAIL_FORM_FIELDS = tuple(f for f in KPI_FIELDS if f.detail or f.printed_with)
# Model columns held directly by KpiData (the rest are the baselines and criteria tuples).
_PLAIN = tuple(f.name for f in KPI_FIELDS if not f.name.startswith(("baseline_", "criteria_")))

# Labels of the other things a KPI problem may concern, for messages.
OTHER_LABELS: dict[str, tuple[str, str]] = {
    "issue": ("ประเด็นยุทธศาสตร์", "Strategic issue"),
    "goal": ("เป้าประสงค์", "Goal"),
    "code": ("ตัวชี้วัดที่", "KPI no."),
    "kpi": ("ตัวชี้วัด", "KPI"),
    "criteria": ("เกณฑ์การให้คะแนน", "Criteria"),
    "levels": ("คำอธิบายระดับ", "Level descriptions"),
    **{f"level_{n}": (f"คำอธิบายระดับ {n}", f"Level {n} description") for n in LEVELS},
}


def field_label(name: str, language: str | None = "th") -> str:
    """The label people know a field by, in ``language``: ``field_label("weight") == "น้ำหนัก"``."""
    if name in FIELDS:
        return FIELDS[name].label(language)
    th, en = OTHER_LABELS.get(name, (name, name))
    return in_language(th, en, language)


def field_labels(language: str | None = "th") -> dict[str, str]:
    """Every label by field name, for templates."""
    return {name: field_label(name, language) for name in (*FIELDS, *OTHER_LABELS)}


def field_helps(language: str | None = "th") -> dict[str, str]:
    """What to write in each field that has help, by field name, for templates."""
    return {f.name: f.help(language) for f in KPI_FIELDS if f.help_th}


def kpi_values(kpi: KpiData) -> dict[str, Any]:
    """The model's column values of ``kpi``, by column name."""
    return {f.name: f.value(kpi) for f in KPI_FIELDS}


def kpi_from_values(values: Mapping[str, Any], **identity: Any) -> KpiData:
    """A :class:`KpiData` from column values (a model row's, a form's, a snapshot's); ``identity`` adds
    ``uid``, ``code`` and ``levels``."""
    return KpiData(
        **{name: values[name] for name in _PLAIN if name in values},
        baselines=(values.get("baseline_1"), values.get("baseline_2"), values.get("baseline_3")),
        criteria=tuple(values.get(f"criteria_{n}") for n in LEVELS),
        **identity,
    )


def number_problem(
    field: KpiField, value: Decimal, *, label_th: str = "", label_en: str = ""
) -> tuple[str, str] | None:
    """Why ``value`` cannot be stored in ``field``, as (Thai, English) sentences naming the field (or the
    label given, such as a baseline's year)."""
    assert field.bounds is not None
    found = field.bounds.problem(value)
    if found is None:
        return None
    return (f"{label_th or field.label_th} {found[0]}", f"{label_en or field.label_en} {found[1]}")


@dataclass(frozen=True)
class FieldProblem:
    """One thing wrong with one field, in Thai and English."""

    field: str
    message_th: str
    message_en: str

    def message(self, language: str | None) -> str:
        return in_language(self.message_th, self.message_en, language)


def kpi_problems(kpi: KpiData) -> list[FieldProblem]:
    """Everything that stops a KPI row from being submitted (a draft may still be saved with them)."""
    problems: list[FieldProblem] = []
    if not kpi.name.strip():
        problems.append(FieldProblem("name", "กรุณาระบุชื่อตัวชี้วัด", "The KPI needs a name"))
    if kpi.weight is None:
        problems.append(FieldProblem("weight", "กรุณาระบุน้ำหนัก", "Weight is required"))
    elif (refused := counted_weight_problem(kpi.weight)) is not None:
        problems.append(FieldProblem("weight", f"น้ำหนัก{refused[0]}", f"Weight {refused[1]}"))
    if kpi.kpi_type not in KpiType.values:
        problems.append(
            FieldProblem(
                "kpi_type",
                "ประเภทตัวชี้วัดต้องเป็น 'เชิงปริมาณ' หรือ 'ระดับความสำเร็จ'",
                "KPI type must be quantitative or milestone",
            )
        )
        return problems
    if kpi.kpi_type == KpiType.QUANTITATIVE:
        problems += _quantitative_problems(kpi)
    else:
        problems += _milestone_problems(kpi)
    return problems


def _quantitative_problems(kpi: KpiData) -> list[FieldProblem]:
    problems: list[FieldProblem] = []
    if not kpi.unit.strip():
        problems.append(FieldProblem("unit", "กรุณาระบุหน่วยวัด", "Unit is required"))
    if kpi.direction not in Direction.values:
        problems.append(
            FieldProblem(
                "direction",
                "ทิศทางต้องเป็น 'ยิ่งมากยิ่งดี' หรือ 'ยิ่งน้อยยิ่งดี'",
                "Direction must be higher or lower is better",
            )
        )
        return problems
    if kpi.target is None:
        problems.append(FieldProblem("target", "กรุณาระบุค่าเป้าหมาย", "Target is required"))
    missing = [n for n, value in zip(LEVELS, kpi.criteria, strict=True) if value is None]
    for n in missing:
        problems.append(
            FieldProblem(f"criteria_{n}", f"กรุณาระบุเกณฑ์ระดับ {n}", f"Criterion for level {n} is required")
        )
    if missing:
        return problems
    values = [v for v in kpi.criteria if v is not None]
    higher = kpi.direction == Direction.HIGHER
    for n in range(1, 5):
        a, b = values[n - 1], values[n]
        if (higher and not a < b) or (not higher and not a > b):
            word_th, word_en = ("มากกว่า", "greater") if higher else ("น้อยกว่า", "less")
            problems.append(
                FieldProblem(
                    f"criteria_{n + 1}",
                    f"เกณฑ์ระดับ {n + 1} ต้อง{word_th}เกณฑ์ระดับ {n} ({a.normalize():f}) "
                    f"เพราะทิศทางเป็น{Direction(kpi.direction).label}",
                    f"level {n + 1} must be {word_en} than level {n} ({a.normalize():f})",
                )
            )
    return problems


def _milestone_problems(kpi: KpiData) -> list[FieldProblem]:
    described = {level.level: level for level in kpi.levels if level.description.strip()}
    return [
        FieldProblem(f"level_{n}", f"กรุณาระบุคำอธิบายระดับ {n}", f"Level {n} needs a description")
        for n in LEVELS
        if n not in described
    ]


@dataclass(frozen=True)
class WeightCheck:
    total: Decimal
    expected: Decimal

    @property
    def ok(self) -> bool:
        return self.total == self.expected

    @property
    def message_th(self) -> str:
        return (
            f"น้ำหนักของตัวชี้วัดย่อยรวมกันได้ {self.total.normalize():f} "
            f"แต่ต้องเท่ากับ {self.expected.normalize():f} ตามกรอบการประเมินผล"
        )

    @property
    def message_en(self) -> str:
        return (
            f"The sub-KPI weights add up to {self.total.normalize():f}; "
            f"the framework asks for {self.expected.normalize():f}"
        )


def weight_check(plan: PlanData, *, expected: Decimal) -> WeightCheck:
    total = sum((kpi.weight for kpi in plan.kpis() if kpi.weight is not None), Decimal(0))
    return WeightCheck(total=total, expected=expected)


@dataclass
class PlanProblems:
    """All problems of a plan, by KPI code, plus plan-wide ones."""

    by_kpi: dict[str, list[FieldProblem]] = field(default_factory=dict)
    plan: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.plan) + sum(len(p) for p in self.by_kpi.values())


def plan_problems(plan: PlanData, *, expected_weight: Decimal) -> PlanProblems:
    result = PlanProblems()
    if not plan.issues:
        result.plan.append("ยังไม่มีประเด็นยุทธศาสตร์")
    for issue in plan.issues:
        if not issue.name.strip():
            result.plan.append("มีประเด็นยุทธศาสตร์ที่ยังไม่มีชื่อ")
        for goal in issue.goals:
            if not goal.name.strip():
                result.plan.append(f"มีเป้าประสงค์ที่ยังไม่มีชื่อ ในประเด็น '{issue.name}'")
            if not goal.kpis:
                result.plan.append(f"เป้าประสงค์ '{goal.name}' ยังไม่มีตัวชี้วัด")
        if not issue.goals:
            result.plan.append(f"ประเด็นยุทธศาสตร์ '{issue.name}' ยังไม่มีเป้าประสงค์")
    for kpi in plan.kpis():
        found = kpi_problems(kpi)
        if found:
            result.by_kpi[kpi.code] = found
    weights = weight_check(plan, expected=expected_weight)
    if plan.kpis() and not weights.ok:
        result.plan.append(weights.message_th)
    return result
