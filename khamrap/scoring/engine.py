"""The scoring rules of the performance agreement (DESIGN.md §6, docs/scoring.md).

Frozen dataclasses in, dataclasses out, ``Decimal`` throughout. Every input is checked once, when its
dataclass is built, so scoring itself does no validation and stays fast.

One rounding rule everywhere: a score and a weighted score are each rounded half-up to 4 decimal places,
and every sum is a sum of those printed, already rounded figures, so every table adds up.

How that rounding is exact: each intermediate step (subtract, divide, add) rounds toward minus infinity
in a wide context, and only the last step rounds half-up to 4 places. Rounding toward minus infinity is
monotone and leaves every 5-decimal half-way point unchanged, so the intermediate can never cross a
half-way point that the exact value has not reached; the result is the exact quotient rounded half-up
once (the property tests check this against ``fractions.Fraction``). Inputs are limited to
``|value| < 10**15`` with at most 10 decimal places so that subtractions and products are exact.

Adding a scoring method later (the FY2554 percent-of-target method) means adding one frozen dataclass
with a ``score(rules)`` method; :func:`score_indicators` takes any :class:`Measure`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import (
    ROUND_FLOOR,
    ROUND_HALF_UP,
    Context,
    Decimal,
    DecimalException,
    DivisionByZero,
    InvalidOperation,
    Overflow,
)
from functools import lru_cache
from itertools import pairwise
from typing import Literal, Protocol

from khamrap.scoring.bounds import MEASURE, counted_weight_problem
from khamrap.scoring.errors import ScoringInputError

Direction = Literal["higher", "lower"]
DIRECTIONS: tuple[Direction, ...] = ("higher", "lower")
LEVELS = 5
MAX_PLACES = 10  # intermediate values (percentages of target) stay exact; stored values have MEASURE.places

PLACES = Decimal("0.0001")
ZERO = Decimal("0.0000")
FIVE = Decimal("5.0000")

_TRAPS: list[type[DecimalException]] = [InvalidOperation, DivisionByZero, Overflow]
_DOWN = Context(prec=40, rounding=ROUND_FLOOR, traps=_TRAPS)
_HALF_UP = Context(prec=40, rounding=ROUND_HALF_UP, traps=_TRAPS)
# Bound methods: the hot path looks up one global instead of an attribute per operation, and never
# depends on the thread's current decimal context.
_subtract = _DOWN.subtract
_add = _DOWN.add
_multiply = _DOWN.multiply
_divide = _DOWN.divide
_quantize = _HALF_UP.quantize
_LEVEL_VALUES = tuple(Decimal(level) for level in range(LEVELS + 1))


def round4(value: Decimal) -> Decimal:
    """``value`` rounded half-up to 4 decimal places — the package's one rounding rule."""
    return _quantize(value, PLACES)


# -- input checks -----------------------------------------------------------------------------------------


def _decimal(value: object, field: str, *, places: int = MAX_PLACES) -> Decimal:
    """``value`` as a finite Decimal within the package's limits, or a ScoringInputError naming ``field``."""
    if isinstance(value, float):
        raise ScoringInputError(
            field,
            "must be a Decimal, an int or a numeric string, not a binary float",
            "ต้องเป็น Decimal จำนวนเต็ม หรือข้อความตัวเลข ไม่ใช่ float",
        )
    if isinstance(value, int) and not isinstance(value, bool):
        value = Decimal(value)
    if not isinstance(value, Decimal) or not value.is_finite():
        raise ScoringInputError(field, "must be a number", "ต้องเป็นตัวเลข")
    if abs(value) >= MEASURE.below:
        raise ScoringInputError(field, "must be less than 10^15 in magnitude", "ค่าต้องน้อยกว่า 10^15")
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -places:
        step = Decimal(1).scaleb(-places)
        if _DOWN.quantize(value, step) != value:
            raise ScoringInputError(
                field,
                f"must have at most {places} decimal places",
                f"ทศนิยมได้ไม่เกิน {places} ตำแหน่ง",
            )
    return value


def _whole(value: object, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ScoringInputError(field, "must be a whole number", "ต้องเป็นจำนวนเต็ม")
    return value


def _set(instance: object, name: str, value: object) -> None:
    object.__setattr__(instance, name, value)


# -- rules and measures -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Rules:
    """The framework's choices: the score short of level 1 and the score of a KPI not reported."""

    floor: Decimal = Decimal("1.0000")
    not_reported: Decimal = Decimal("1.0000")

    def __post_init__(self) -> None:
        floor = _decimal(self.floor, "floor", places=4)
        if not 0 <= floor <= 1:
            raise ScoringInputError("floor", "must be between 0 and 1", "ต้องอยู่ระหว่าง 0 ถึง 1")
        not_reported = _decimal(self.not_reported, "not_reported", places=4)
        if not 0 <= not_reported <= LEVELS:
            raise ScoringInputError("not_reported", "must be between 0 and 5", "ต้องอยู่ระหว่าง 0 ถึง 5")
        _set(self, "floor", round4(floor))
        _set(self, "not_reported", round4(not_reported))


class Measure(Protocol):
    """How one KPI turns its result into a score of ``rules.floor`` … 5 (before deductions)."""

    def score(self, rules: Rules) -> Decimal: ...


_Segment = tuple[Decimal, Decimal, Decimal, Decimal]  # (upper end, lower end, gap, level of lower end)


@lru_cache(maxsize=4096)
def _segments(direction: str, criteria: tuple[Decimal, ...]) -> tuple[_Segment, ...]:
    """Checks a criteria row and returns its four interpolation segments (cached: rows repeat a lot)."""
    if len(criteria) != LEVELS:
        raise ScoringInputError(
            "criteria", "must be exactly 5 values (levels 1 to 5)", "ต้องมีเกณฑ์ 5 ค่า (ระดับ 1 ถึง 5)"
        )
    values = tuple(_decimal(value, f"criteria[{index}]") for index, value in enumerate(criteria))
    pairs = list(pairwise(values))
    if direction == "higher" and not all(low < high for low, high in pairs):
        raise ScoringInputError(
            "criteria",
            'must be strictly increasing for direction "higher"',
            'ต้องเพิ่มขึ้นทุกระดับเมื่อทิศทางเป็น "higher" (ค่ามากดี)',
        )
    if direction == "lower" and not all(low > high for low, high in pairs):
        raise ScoringInputError(
            "criteria",
            'must be strictly decreasing for direction "lower"',
            'ต้องลดลงทุกระดับเมื่อทิศทางเป็น "lower" (ค่าน้อยดี)',
        )
    return tuple(
        (upper, lower, _subtract(upper, lower), _LEVEL_VALUES[level])
        for level, (lower, upper) in enumerate(pairs, start=1)
    )


@dataclass(frozen=True, slots=True)
class Quantitative:
    """A KPI measured by a number, scored by interpolating between the criteria of levels 1–5.

    ``criteria`` must be strictly increasing when ``direction`` is ``"higher"`` (higher is better) and
    strictly decreasing when it is ``"lower"``. ``result`` ``None`` means not reported.
    """

    direction: Direction
    criteria: tuple[Decimal, ...]
    result: Decimal | None
    _higher: bool = field(init=False, repr=False, compare=False)
    _segments: tuple[_Segment, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.direction not in DIRECTIONS:
            raise ScoringInputError("direction", 'must be "higher" or "lower"', 'ต้องเป็น "higher" หรือ "lower"')
        criteria = tuple(self.criteria)
        if not all(isinstance(value, Decimal) and value.is_finite() for value in criteria):
            criteria = tuple(_decimal(value, f"criteria[{i}]") for i, value in enumerate(criteria))
        _set(self, "criteria", criteria)
        _set(self, "_segments", _segments(self.direction, criteria))
        _set(self, "_higher", self.direction == "higher")
        if self.result is not None:
            _set(self, "result", _decimal(self.result, "result"))

    def score(self, rules: Rules) -> Decimal:
        return quantitative_score(self, rules)


def quantitative_score(measure: Quantitative, rules: Rules) -> Decimal:
    """The score of a quantitative KPI: ``k + (x − v_k)/(v_k+1 − v_k)`` between levels, 4 places.

    At or beyond ``v5`` it is 5.0000; short of ``v1`` it is ``rules.floor``; not reported it is
    ``rules.not_reported``. This is the hot path: the measure was checked when it was built.
    """
    x = measure.result
    if x is None:
        return rules.not_reported
    segments = measure._segments
    if measure._higher:
        if x >= segments[3][0]:
            return FIVE
        if x < segments[0][1]:
            return rules.floor
        for upper, lower, gap, level in segments:
            if x < upper:
                return _quantize(_add(level, _divide(_subtract(x, lower), gap)), PLACES)
    else:
        if x <= segments[3][0]:
            return FIVE
        if x > segments[0][1]:
            return rules.floor
        for upper, lower, gap, level in segments:
            if x > upper:
                return _quantize(_add(level, _divide(_subtract(x, lower), gap)), PLACES)
    raise AssertionError("unreachable: x lies in one of the four segments")  # pragma: no cover


@dataclass(frozen=True, slots=True)
class Milestone:
    """A KPI measured by levels of success (ระดับความสำเร็จ).

    ``level`` is the highest level fully reached (0–5; ``None`` means not reported). Optionally
    ``substeps_done`` of the ``substeps_total`` sub-steps of the next level are done (partial credit).
    """

    level: int | None
    substeps_done: int = 0
    substeps_total: int = 0

    def __post_init__(self) -> None:
        if self.level is not None:
            level = _whole(self.level, "level")
            if not 0 <= level <= LEVELS:
                raise ScoringInputError("level", "must be between 0 and 5", "ระดับต้องเป็นจำนวนเต็ม 0 ถึง 5")
        total = _whole(self.substeps_total, "substeps_total")
        if total < 0:
            raise ScoringInputError("substeps_total", "must not be negative", "ต้องไม่ติดลบ")
        done = _whole(self.substeps_done, "substeps_done")
        if not 0 <= done <= total:
            raise ScoringInputError(
                "substeps_done",
                f"must be between 0 and substeps_total ({total})",
                f"ต้องอยู่ระหว่าง 0 ถึงจำนวนขั้นย่อยทั้งหมด ({total})",
            )
        if self.level == LEVELS and done:
            raise ScoringInputError(
                "substeps_done", "level 5 has no further sub-steps", "ระดับ 5 ไม่มีขั้นย่อยถัดไป"
            )

    def score(self, rules: Rules) -> Decimal:
        return milestone_score(self, rules)


def milestone_score(measure: Milestone, rules: Rules) -> Decimal:
    """The score of a milestone KPI: ``level + done/total``, never under ``rules.floor``, 4 places.

    Level 0 with no sub-steps done therefore scores the floor (0 when the floor is 0).
    """
    if measure.level is None:
        return rules.not_reported
    value = _LEVEL_VALUES[measure.level]
    if measure.substeps_done:
        value = _add(value, _divide(Decimal(measure.substeps_done), Decimal(measure.substeps_total)))
    return max(round4(value), rules.floor)


# -- indicators and the score sheet -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Deduction:
    """Points an evaluation committee takes off a score, with the reason (e.g. a report not sent)."""

    reason: str
    points: Decimal

    def __post_init__(self) -> None:
        if not isinstance(self.reason, str) or not self.reason.strip():
            raise ScoringInputError("reason", "must not be empty", "ต้องระบุเหตุผล")
        points = _decimal(self.points, "points", places=4)
        if points <= 0:
            raise ScoringInputError("points", "must be greater than 0", "ต้องมากกว่า 0")
        _set(self, "points", round4(points))


@dataclass(frozen=True, slots=True)
class Indicator:
    """One indicator (ตัวชี้วัด): a KPI with a ``measure``, or a parent made of ``children``.

    ``weight`` counts relative to its siblings. An indicator agreed as not applicable is left out and its
    siblings' weights are renormalised.
    """

    code: str
    weight: Decimal
    measure: Measure | None = None
    not_applicable: bool = False
    children: tuple[Indicator, ...] = ()
    deductions: tuple[Deduction, ...] = ()

    def __post_init__(self) -> None:
        if not isinstance(self.code, str) or not self.code.strip():
            raise ScoringInputError("code", "must not be empty", "ต้องระบุรหัสตัวชี้วัด")
        code = self.code
        try:
            weight = _decimal(self.weight, "weight")
        except ScoringInputError as error:
            raise error.for_indicator(code) from None
        refused = counted_weight_problem(weight)
        if refused is not None:
            message_th, message_en = refused
            raise ScoringInputError("weight", message_en, f"น้ำหนัก{message_th}", code=code)
        _set(self, "weight", weight)
        _set(self, "children", tuple(self.children))
        _set(self, "deductions", tuple(self.deductions))
        if not isinstance(self.not_applicable, bool):
            raise ScoringInputError(
                "not_applicable", "must be true or false", "ต้องเป็น true หรือ false", code=code
            )
        if self.measure is not None and self.children:
            raise ScoringInputError(
                "children",
                "an indicator has either a measure or children, not both",
                "ตัวชี้วัดมีได้อย่างใดอย่างหนึ่ง: วิธีวัดผล หรือ ตัวชี้วัดย่อย",
                code=code,
            )
        if self.not_applicable:
            if self.deductions:
                raise ScoringInputError(
                    "deductions",
                    "an indicator that is not applicable has no score to deduct from",
                    "ตัวชี้วัดที่ไม่นำมาประเมินไม่มีคะแนนให้หัก",
                    code=code,
                )
        elif self.measure is None and not self.children:
            raise ScoringInputError(
                "type",
                "is required: give a measure, children or not_applicable",
                "ต้องระบุประเภทตัวชี้วัด ตัวชี้วัดย่อย หรือ not_applicable",
                code=code,
            )
        if not all(isinstance(child, Indicator) for child in self.children):
            raise ScoringInputError(
                "children", "must be Indicator objects", "ต้องเป็นตัวชี้วัด (Indicator)", code=code
            )
        if not all(isinstance(deduction, Deduction) for deduction in self.deductions):
            raise ScoringInputError(
                "deductions", "must be Deduction objects", "ต้องเป็นรายการหักคะแนน (Deduction)", code=code
            )


@dataclass(frozen=True, slots=True)
class IndicatorScore:
    """An indicator's score and weighted score (both ``None`` when not applicable), 4 places."""

    code: str
    score: Decimal | None
    weighted: Decimal | None
    children: tuple[IndicatorScore, ...] = ()


@dataclass(frozen=True, slots=True)
class ScoreSheet:
    """The scored tree; ``total`` is the sum of the top-level weighted scores (``None`` if all N/A)."""

    indicators: tuple[IndicatorScore, ...]
    total: Decimal | None


def validate_indicators(indicators: Sequence[Indicator]) -> None:
    """Checks what a single indicator cannot: the list is not empty and no code is used twice."""
    if not indicators:
        raise ScoringInputError("indicators", "must not be empty", "ต้องมีตัวชี้วัดอย่างน้อยหนึ่งตัว")
    seen: set[str] = set()
    for indicator in _walk(indicators):
        if indicator.code in seen:
            raise ScoringInputError(
                "code", "is used by more than one indicator", "รหัสตัวชี้วัดซ้ำกัน", code=indicator.code
            )
        seen.add(indicator.code)


def _sum(values: Iterable[Decimal]) -> Decimal:
    total = ZERO
    for value in values:
        total = _add(total, value)
    return total


def _walk(indicators: Iterable[Indicator]) -> Iterable[Indicator]:
    for indicator in indicators:
        yield indicator
        yield from _walk(indicator.children)


def _not_applicable(indicator: Indicator) -> IndicatorScore:
    children = tuple(_not_applicable(child) for child in indicator.children)
    return IndicatorScore(code=indicator.code, score=None, weighted=None, children=children)


def _own_score(indicator: Indicator, rules: Rules) -> IndicatorScore:
    """The indicator's score after deductions; ``weighted`` is filled in by the caller."""
    if indicator.not_applicable:
        return _not_applicable(indicator)
    if indicator.measure is not None:
        children: tuple[IndicatorScore, ...] = ()
        score = indicator.measure.score(rules)
    else:
        children = _score_siblings(indicator.children, rules)
        weighted = [child.weighted for child in children if child.weighted is not None]
        if not weighted:
            return IndicatorScore(code=indicator.code, score=None, weighted=None, children=children)
        score = _sum(weighted)
    for deduction in indicator.deductions:
        score = _subtract(score, deduction.points)
    return IndicatorScore(code=indicator.code, score=max(score, ZERO), weighted=None, children=children)


def _score_siblings(indicators: Sequence[Indicator], rules: Rules) -> tuple[IndicatorScore, ...]:
    scored = [(indicator, _own_score(indicator, rules)) for indicator in indicators]
    total_weight = _sum(indicator.weight for indicator, own in scored if own.score is not None)
    return tuple(
        own
        if own.score is None
        else IndicatorScore(
            code=own.code,
            score=own.score,
            weighted=round4(_divide(_multiply(own.score, indicator.weight), total_weight)),
            children=own.children,
        )
        for indicator, own in scored
    )


def score_indicators(indicators: Sequence[Indicator], rules: Rules) -> ScoreSheet:
    """Scores a tree of indicators.

    A KPI's weighted score is ``round4(score × weight / W)``, ``W`` being the sum of the weights of it and
    its applicable siblings (100 when a framework's weights add up to 100). A parent's score is the sum of
    its children's weighted scores, minus its own deductions; the total is the sum of the top-level
    weighted scores. A parent whose children are all not applicable is not applicable itself.
    """
    validate_indicators(indicators)
    scored = _score_siblings(indicators, rules)
    weighted = [indicator.weighted for indicator in scored if indicator.weighted is not None]
    return ScoreSheet(indicators=scored, total=_sum(weighted) if weighted else None)
