"""The negotiation form as plain data, shared by the web form, the workbook and the printable form.

Readers (``selectors.plan_tree``) produce a :class:`PlanData`; writers (``services.plan_tree_replace``)
take one. The checks here are the one place that says what a valid KPI row is, so the web form, the
Excel importer and the submission all give the same Thai messages.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from khamrap.core.errors import in_language
from khamrap.plans.models import Direction, KpiType

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
    elif kpi.weight <= 0:
        problems.append(FieldProblem("weight", "น้ำหนักต้องมากกว่า 0", "Weight must be greater than 0"))
    elif kpi.weight > 100:
        problems.append(FieldProblem("weight", "น้ำหนักต้องไม่เกิน 100", "Weight must not exceed 100"))
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
