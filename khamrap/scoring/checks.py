"""Automatic appropriateness checks of a plan (issue: appropriateness analysis) — pure Python, no Django.

A plan comes in as :class:`PlanFacts` (built by the review layer from the stored tree), the framework's
thresholds as :class:`CheckRules`; :func:`plan_findings` gives every :class:`Finding`, each with its rule
code, severity, the KPI (uid and code) or the issue/goal it concerns, and why it matters in Thai and English.
"""

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class Rule(StrEnum):
    WEIGHTS_TOTAL = "weights_total"
    WEIGHT_MIN = "weight_min"
    KPI_COUNT = "kpi_count"
    ISSUE_WITHOUT_KPI = "issue_without_kpi"
    CRITERIA_UNEVEN = "criteria_uneven"
    TARGET_NOT_LEVEL3 = "target_not_level3"
    TARGET_BELOW_BASELINE = "target_below_baseline"
    TARGET_BELOW_TREND = "target_below_trend"
    LEVEL5_UNREACHABLE = "level5_unreachable"
    BASELINE_MISSING = "baseline_missing"
    FIELD_MISSING = "field_missing"
    MILESTONE_UNDESCRIBED = "milestone_undescribed"
    DUPLICATE_KPI = "duplicate_kpi"
    DUPLICATES_STANDARD = "duplicates_standard"


@dataclass(frozen=True)
class CheckRules:
    """The framework's thresholds, edited by the administrator (frameworks.Framework)."""

    expected_weight: Decimal = Decimal(100)  # the sub-KPI weights must add up to this
    weight_min: Decimal = Decimal(0)  # a KPI's weight below this is a finding
    kpi_min: int = 1
    kpi_max: int = 99
    criteria_step_ratio: Decimal = Decimal(2)  # largest step between levels over k × the smallest
    level5_change_ratio: Decimal = Decimal(4)  # level 5 asks more than k × the best yearly change
    name_similarity: Decimal = Decimal("0.6")  # share of words two names have in common to count as one
    standard_indicators: tuple[str, ...] = ()  # names of the framework's other indicators
    # the content words of each standard indicator's name (khamrap.thai.words.content_words), in the same
    # order; empty: the names split at spaces (this package imports no tokenizer)
    standard_words: tuple[frozenset[str], ...] = ()


@dataclass(frozen=True)
class KpiFacts:
    uid: str
    code: str
    name: str
    kind: str = "quantitative"  # or "milestone"
    direction: str = "higher"  # or "lower"
    unit: str = ""
    weight: Decimal | None = None
    baselines: tuple[Decimal | None, Decimal | None, Decimal | None] = (None, None, None)
    target: Decimal | None = None
    criteria: tuple[Decimal | None, ...] = (None, None, None, None, None)
    level_descriptions: tuple[str, ...] = ("", "", "", "", "")  # milestone levels 1–5
    definition: str = ""
    formula: str = ""
    data_source: str = ""
    is_new: bool = False  # a new KPI: no baseline exists
    # the content words of the name (khamrap.thai.words.content_words); None: the name split at spaces
    name_words: frozenset[str] | None = None


@dataclass(frozen=True)
class GoalFacts:
    name: str
    kpis: tuple[KpiFacts, ...] = ()


@dataclass(frozen=True)
class IssueFacts:
    name: str
    goals: tuple[GoalFacts, ...] = ()


@dataclass(frozen=True)
class PlanFacts:
    issues: tuple[IssueFacts, ...] = ()

    def kpis(self) -> list[KpiFacts]:
        return [kpi for issue in self.issues for goal in issue.goals for kpi in goal.kpis]


@dataclass(frozen=True)
class Finding:
    rule: Rule
    severity: Severity
    message_th: str
    message_en: str
    kpi_uid: str = ""  # "" for a finding about the plan, an issue or a goal
    kpi_code: str = ""
    issue: str = ""  # the strategic issue (or goal) concerned, by name, for issue_without_kpi
    field: str = ""  # the registry field concerned (field_missing names it)
    extra: dict[str, str] = dataclasses.field(default_factory=dict, compare=False, hash=False)


# What each rule weighs (docs/appropriateness.md has the table and the reasons).
SEVERITIES: dict[Rule, Severity] = {
    Rule.WEIGHTS_TOTAL: Severity.ERROR,
    Rule.WEIGHT_MIN: Severity.WARNING,
    Rule.KPI_COUNT: Severity.ERROR,
    Rule.ISSUE_WITHOUT_KPI: Severity.WARNING,
    Rule.CRITERIA_UNEVEN: Severity.WARNING,
    Rule.TARGET_NOT_LEVEL3: Severity.WARNING,
    Rule.TARGET_BELOW_BASELINE: Severity.WARNING,
    Rule.TARGET_BELOW_TREND: Severity.INFO,
    Rule.LEVEL5_UNREACHABLE: Severity.INFO,
    Rule.BASELINE_MISSING: Severity.WARNING,
    Rule.FIELD_MISSING: Severity.WARNING,
    Rule.MILESTONE_UNDESCRIBED: Severity.WARNING,
    Rule.DUPLICATE_KPI: Severity.WARNING,
    Rule.DUPLICATES_STANDARD: Severity.WARNING,
}

QUANTITATIVE = "quantitative"
MILESTONE = "milestone"
LOWER = "lower"
# The fields every KPI needs described (a milestone KPI has no unit: its levels are steps).
DESCRIBED_FIELDS: tuple[tuple[str, str, str], ...] = (
    ("unit", "หน่วยวัด", "unit"),
    ("definition", "คำอธิบาย / นิยาม", "definition"),
    ("formula", "สูตรการคำนวณ", "formula"),
    ("data_source", "แหล่งข้อมูล", "data source"),
)
_SHOWN_PLACES = Decimal("0.0001")


def number_text(value: Decimal) -> str:
    """A number as people read it in a finding: at most four decimals, no trailing zeros, thousands
    separated (``Decimal("1234.5000")`` → ``"1,234.5"``)."""
    rounded = value.quantize(_SHOWN_PLACES, rounding=ROUND_HALF_UP).normalize()
    return f"{rounded:,f}"


def _words(name: str, given: frozenset[str] | None) -> frozenset[str]:
    return frozenset(name.lower().split()) if given is None else given


def word_similarity(a: frozenset[str], b: frozenset[str]) -> Decimal:
    """Sørensen–Dice of two word sets: twice the shared words over the words of both (0 when one is
    empty)."""
    if not a or not b:
        return Decimal(0)
    return Decimal(2 * len(a & b)) / Decimal(len(a) + len(b))


def plan_findings(plan: PlanFacts, rules: CheckRules) -> tuple[Finding, ...]:
    """Every finding of ``plan`` under ``rules``, in plan order (plan-wide findings first)."""
    kpis = plan.kpis()
    found = [*_plan_wide(plan, kpis, rules)]
    standards = tuple(
        zip(
            rules.standard_indicators,
            rules.standard_words or tuple(_words(name, None) for name in rules.standard_indicators),
            strict=True,
        )
    )
    for index, kpi in enumerate(kpis):
        found += _kpi_findings(kpi, rules)
        found += _duplicates(kpi, kpis[:index], standards, rules)
    return tuple(found)


def _finding(
    rule: Rule, th: str, en: str, kpi: KpiFacts | None = None, *, issue: str = "", field: str = ""
) -> Finding:
    return Finding(
        rule=rule,
        severity=SEVERITIES[rule],
        message_th=th,
        message_en=en,
        kpi_uid=kpi.uid if kpi else "",
        kpi_code=kpi.code if kpi else "",
        issue=issue,
        field=field,
    )


def _plan_wide(plan: PlanFacts, kpis: list[KpiFacts], rules: CheckRules) -> Iterator[Finding]:
    total = sum((kpi.weight for kpi in kpis if kpi.weight is not None), Decimal(0))
    if kpis and total != rules.expected_weight:
        t, e = number_text(total), number_text(rules.expected_weight)
        yield _finding(
            Rule.WEIGHTS_TOTAL,
            f"น้ำหนักของตัวชี้วัดย่อยรวมกันได้ {t} แต่กรอบการประเมินผลกำหนดน้ำหนักตัวชี้วัดที่ 1 ไว้ {e} "
            "คะแนนถ่วงน้ำหนักของตัวชี้วัดที่ 1 จะคลาดเคลื่อนจนกว่าจะปรับให้เท่ากัน",
            f"The sub-KPI weights add up to {t} but the framework gives indicator 1 a weight of {e}; "
            "indicator 1's weighted score is off until they match",
        )
    count = len(kpis)
    if not rules.kpi_min <= count <= rules.kpi_max:
        few = count < rules.kpi_min
        bound = rules.kpi_min if few else rules.kpi_max
        yield _finding(
            Rule.KPI_COUNT,
            f"แผนมีตัวชี้วัด {count} ตัว {'น้อยกว่าขั้นต่ำ' if few else 'มากกว่าขั้นสูง'} {bound} ตัวที่กรอบการประเมินผลกำหนด "
            + (
                "ตัวชี้วัดน้อยเกินไปไม่ครอบคลุมประเด็นยุทธศาสตร์"
                if few
                else "ตัวชี้วัดมากเกินไปทำให้น้ำหนักแต่ละตัวน้อยและติดตามได้ยาก"
            ),
            f"The plan has {count} KPIs, {'fewer than the minimum' if few else 'more than the maximum'} of "
            f"{bound} the framework sets; "
            + (
                "too few cannot cover the strategic issues"
                if few
                else "too many leave each a tiny weight and are hard to follow up"
            ),
        )
    for issue in plan.issues:
        if not any(goal.kpis for goal in issue.goals) and not issue.goals:
            yield _finding(
                Rule.ISSUE_WITHOUT_KPI,
                f"ประเด็นยุทธศาสตร์ '{issue.name}' ยังไม่มีเป้าประสงค์และตัวชี้วัด "
                "ประเด็นที่ไม่มีตัวชี้วัดจะไม่ถูกวัดผลและไม่มีผลต่อคะแนน",
                f"Strategic issue '{issue.name}' has no goal and no KPI; "
                "an issue without a KPI is never measured and counts for nothing in the score",
                issue=issue.name,
            )
        for goal in issue.goals:
            if not goal.kpis:
                yield _finding(
                    Rule.ISSUE_WITHOUT_KPI,
                    f"เป้าประสงค์ '{goal.name}' (ประเด็น '{issue.name}') ยังไม่มีตัวชี้วัด "
                    "เป้าประสงค์ที่ไม่มีตัวชี้วัดจะไม่ถูกวัดผลและไม่มีผลต่อคะแนน",
                    f"Goal '{goal.name}' (issue '{issue.name}') has no KPI; "
                    "a goal without a KPI is never measured and counts for nothing in the score",
                    issue=goal.name,
                )


def _kpi_findings(kpi: KpiFacts, rules: CheckRules) -> Iterator[Finding]:
    if kpi.weight is not None and kpi.weight < rules.weight_min:
        w, m = number_text(kpi.weight), number_text(rules.weight_min)
        yield _finding(
            Rule.WEIGHT_MIN,
            f"น้ำหนัก {w} ต่ำกว่าน้ำหนักขั้นต่ำ {m} ที่กรอบการประเมินผลกำหนด "
            "ตัวชี้วัดที่น้ำหนักน้อยมากแทบไม่มีผลต่อคะแนน ควรรวมกับตัวชี้วัดอื่นหรือเพิ่มน้ำหนัก",
            f"Weight {w} is below the framework's minimum of {m}; "
            "a KPI this light barely moves the score: merge it with another or weigh it more",
            kpi,
        )
    if kpi.kind == QUANTITATIVE:
        yield from _quantitative(kpi, rules)
    for name, th, en in DESCRIBED_FIELDS:
        if name == "unit" and kpi.kind == MILESTONE:
            continue
        if not str(getattr(kpi, name)).strip():
            yield _finding(
                Rule.FIELD_MISSING,
                f"ยังไม่ได้ระบุ{th} ผู้ประเมินต้องใช้ข้อมูลนี้เพื่อเข้าใจและตรวจผลของตัวชี้วัดให้ตรงกัน",
                f"The {en} is empty; evaluators need it to read and verify the KPI's result the same way",
                kpi,
                field=name,
            )
    if kpi.kind == MILESTONE:
        missing = [
            n
            for n, text in enumerate((*kpi.level_descriptions, "", "", "", "", "")[:5], start=1)
            if not text.strip()
        ]
        if missing:
            levels = ", ".join(str(n) for n in missing)
            yield _finding(
                Rule.MILESTONE_UNDESCRIBED,
                f"ยังไม่ได้อธิบายระดับ {levels} ของตัวชี้วัดระดับความสำเร็จ ระดับที่ไม่มีคำอธิบายทำให้ให้คะแนนไม่ได้ว่าทำถึงระดับใด",
                f"Level {levels} of the milestone KPI {'is' if len(missing) == 1 else 'are'} not described; "
                "without a description no one can tell which level was reached",
                kpi,
            )


def _better(kpi: KpiFacts, a: Decimal, b: Decimal) -> Decimal:
    """How much ``a`` improves on ``b`` in the KPI's direction (negative: worse)."""
    return b - a if kpi.direction == LOWER else a - b


def _quantitative(kpi: KpiFacts, rules: CheckRules) -> Iterator[Finding]:
    criteria = kpi.criteria
    if len(criteria) == 5 and all(c is not None for c in criteria):
        given = [c for c in criteria if c is not None]
        steps = [_better(kpi, given[n + 1], given[n]) for n in range(4)]
        if all(step > 0 for step in steps) and max(steps) > rules.criteria_step_ratio * min(steps):
            shown = ", ".join(number_text(step) for step in steps)
            big, small, k = (
                number_text(max(steps)),
                number_text(min(steps)),
                number_text(rules.criteria_step_ratio),
            )
            yield _finding(
                Rule.CRITERIA_UNEVEN,
                f"ช่วงห่างระหว่างเกณฑ์แต่ละระดับไม่สม่ำเสมอ ({shown}) ช่วงที่กว้างที่สุด {big} "
                f"เกิน {k} เท่าของช่วงที่แคบที่สุด {small} คะแนนที่คำนวณตามสัดส่วนจึงขึ้นเร็วช้าไม่เท่ากันในแต่ละระดับ",
                f"The steps between the criteria levels are uneven ({shown}): the largest, {big}, is more than "
                f"{k} times the smallest, {small}, so the interpolated score climbs at very different rates",
                kpi,
            )
    level3 = criteria[2] if len(criteria) >= 3 else None
    if kpi.target is not None and level3 is not None and kpi.target != level3:
        t, c = number_text(kpi.target), number_text(level3)
        yield _finding(
            Rule.TARGET_NOT_LEVEL3,
            f"ค่าเป้าหมาย {t} ไม่เท่ากับเกณฑ์ระดับ 3 ({c}) โดยปกติค่าเป้าหมายคือระดับ 3 "
            "ถ้าไม่ตรงกัน การบรรลุเป้าหมายจะไม่ได้ 3 คะแนน",
            f"The target {t} is not the level-3 criterion ({c}); the target is normally level 3, "
            "otherwise reaching it does not score 3",
            kpi,
        )
    present = [(year, b) for year, b in enumerate(kpi.baselines, start=1) if b is not None]
    if not present and not kpi.is_new:
        yield _finding(
            Rule.BASELINE_MISSING,
            "ไม่มีข้อมูลพื้นฐานย้อนหลังเลยแม้แต่ปีเดียว จึงตรวจไม่ได้ว่าค่าเป้าหมายและเกณฑ์ท้าทายเพียงใด "
            "ถ้าเป็นตัวชี้วัดใหม่ที่ไม่เคยเก็บข้อมูล ให้ทำเครื่องหมาย 'ตัวชี้วัดใหม่'",
            "There is no baseline for any year, so no one can tell how ambitious the target and criteria are; "
            "if the KPI is new and never measured, mark it as new",
            kpi,
        )
        return
    if not present:
        return
    last = present[-1][1]
    if kpi.target is not None and _better(kpi, kpi.target, last) < 0:
        t, b = number_text(kpi.target), number_text(last)
        low_th, low_en = ("สูงกว่า", "above") if kpi.direction == LOWER else ("ต่ำกว่า", "below")
        yield _finding(
            Rule.TARGET_BELOW_BASELINE,
            f"ค่าเป้าหมาย {t} {low_th}ผลปีล่าสุด {b} เป้าหมายที่ด้อยกว่าผลที่เคยทำได้แล้วไม่ท้าทาย",
            f"The target {t} is {low_en} the latest baseline year's {b}; "
            "a target worse than what was already achieved is not ambitious",
            kpi,
        )
    elif kpi.target is not None and len(present) == 3:
        b1, b2, b3 = (b for _, b in present)
        # least squares through (1, b1), (2, b2), (3, b3), read at year 4: the mean plus two slopes
        trend = (b1 + b2 + b3) / 3 + (b3 - b1)
        if _better(kpi, kpi.target, trend) < 0:
            t, r = number_text(kpi.target), number_text(trend)
            yield _finding(
                Rule.TARGET_BELOW_TREND,
                f"ค่าเป้าหมาย {t} ด้อยกว่าแนวโน้มของข้อมูลพื้นฐาน 3 ปี ({number_text(b1)}, {number_text(b2)}, "
                f"{number_text(b3)}) ซึ่งคาดว่าปีนี้จะได้ {r} โดยไม่ต้องพยายามเพิ่ม เป้าหมายจึงไม่ท้าทาย",
                f"The target {t} falls short of the three baseline years' trend ({number_text(b1)}, "
                f"{number_text(b2)}, {number_text(b3)}), which reaches {r} this year without extra effort",
                kpi,
            )
    yield from _level5(kpi, rules, last)


def _level5(kpi: KpiFacts, rules: CheckRules, last: Decimal) -> Iterator[Finding]:
    level5 = kpi.criteria[4] if len(kpi.criteria) == 5 else None
    if level5 is None:
        return
    asked = _better(kpi, level5, last)
    pairs = [
        (a, b)
        for a, b in zip(kpi.baselines, kpi.baselines[1:], strict=False)
        if a is not None and b is not None
    ]
    if asked <= 0 or not pairs:
        return
    best = max(_better(kpi, b, a) for a, b in pairs)
    c5, b, k = number_text(level5), number_text(last), number_text(rules.level5_change_ratio)
    if best <= 0:
        yield _finding(
            Rule.LEVEL5_UNREACHABLE,
            f"เกณฑ์ระดับ 5 ({c5}) ต้องดีขึ้นจากผลปีล่าสุด {b} อีก {number_text(asked)} "
            "แต่ข้อมูลพื้นฐานไม่เคยดีขึ้นเลยในปีใด ระดับ 5 อาจเป็นไปไม่ได้ ควรทบทวน",
            f"Level 5 ({c5}) asks for {number_text(asked)} better than the latest year's {b}, but the baseline "
            "never improved from one year to the next; level 5 may be out of reach",
            kpi,
        )
    elif asked > rules.level5_change_ratio * best:
        yield _finding(
            Rule.LEVEL5_UNREACHABLE,
            f"เกณฑ์ระดับ 5 ({c5}) ต้องดีขึ้นจากผลปีล่าสุด {b} อีก {number_text(asked)} "
            f"เกิน {k} เท่าของการเปลี่ยนแปลงที่ดีที่สุดในข้อมูลพื้นฐาน ({number_text(best)} ต่อปี) "
            "ระดับ 5 อาจเป็นไปไม่ได้ ควรทบทวน",
            f"Level 5 ({c5}) asks for {number_text(asked)} better than the latest year's {b}, more than {k} "
            f"times the best yearly change in the baseline ({number_text(best)}); level 5 may be out of reach",
            kpi,
        )


def _duplicates(
    kpi: KpiFacts,
    earlier: list[KpiFacts],
    standards: tuple[tuple[str, frozenset[str]], ...],
    rules: CheckRules,
) -> Iterator[Finding]:
    mine = _words(kpi.name, kpi.name_words)
    for other in earlier:
        if word_similarity(mine, _words(other.name, other.name_words)) >= rules.name_similarity:
            yield _finding(
                Rule.DUPLICATE_KPI,
                f"ชื่อตัวชี้วัดคล้ายกับตัวชี้วัดที่ {other.code} '{other.name}' ในแผนเดียวกัน "
                "ตัวชี้วัดสองตัวที่วัดสิ่งเดียวกันทำให้ผลงานเดียวถูกนับสองครั้ง ควรรวมหรือแยกให้ชัด",
                f"The name is close to KPI {other.code} '{other.name}' of the same plan; two KPIs measuring "
                "the same thing count one result twice: merge them or tell them apart",
                kpi,
            )
            break
    for name, words in standards:
        if word_similarity(mine, words) >= rules.name_similarity:
            yield _finding(
                Rule.DUPLICATES_STANDARD,
                f"ชื่อตัวชี้วัดคล้ายกับตัวชี้วัดมาตรฐาน '{name}' ของกรอบการประเมินผล "
                "ซึ่งประเมินแยกอยู่แล้ว การนำมาใส่ในตัวชี้วัดที่ 1 อีกจะนับผลงานเดียวกันซ้ำ",
                f"The name is close to the framework's standard indicator '{name}', which is already "
                "evaluated on its own; repeating it under indicator 1 counts the same work twice",
                kpi,
            )
            break
