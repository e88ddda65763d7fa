"""Properties of the scoring rules, checked on generated criteria rows, results and indicator trees."""

from decimal import Decimal
from fractions import Fraction
from math import floor as round_down

from hypothesis import given, settings
from hypothesis import strategies as st

from khamrap.scoring import (
    Deduction,
    Indicator,
    IndicatorScore,
    Milestone,
    Quantitative,
    Rules,
    milestone_score,
    quantitative_score,
    score_indicators,
)

# Explicit, so that a profile loaded elsewhere in the suite does not change how long these take.
PROPERTY = settings(max_examples=400, deadline=None, database=None)
TREES = settings(max_examples=120, deadline=None, database=None)

ONE_STEP = Decimal("0.0001")  # one unit in the last printed place
FLOORS = st.sampled_from(
    [Rules(), Rules(floor=Decimal(0), not_reported=Decimal(0)), Rules(floor=Decimal("0.5"))]
)

values = st.one_of(
    st.decimals(min_value=-(10**6), max_value=10**6, places=2),
    st.decimals(min_value=-10, max_value=10, places=10),
    st.integers(min_value=-1000, max_value=1000).map(Decimal),
)


@st.composite
def rows(draw: st.DrawFn) -> Quantitative:
    direction = draw(st.sampled_from(["higher", "lower"]))
    criteria = sorted(
        draw(st.lists(values, min_size=5, max_size=5, unique_by=lambda value: value.normalize()))
    )
    if direction == "lower":
        criteria.reverse()
    return Quantitative(direction=direction, criteria=tuple(criteria), result=None)


@st.composite
def rows_with_result(draw: st.DrawFn) -> Quantitative:
    row = draw(rows())
    low, high = min(row.criteria), max(row.criteria)
    result = draw(
        st.one_of(
            st.sampled_from(row.criteria),
            st.decimals(min_value=low, max_value=high, places=10),
            st.decimals(min_value=low - 10, max_value=high + 10, places=3),
            values,
        )
    )
    return with_result(row, result)


def with_result(row: Quantitative, result: Decimal) -> Quantitative:
    return Quantitative(direction=row.direction, criteria=row.criteria, result=result)


def half_up(value: Fraction) -> Fraction:
    return Fraction(round_down(value * 10_000 + Fraction(1, 2)), 10_000)


def exact_score(row: Quantitative, rules: Rules) -> Fraction:
    """The rule of DESIGN.md §6 in exact rational arithmetic, rounded half-up once."""
    assert row.result is not None
    sign = 1 if row.direction == "higher" else -1
    x = sign * Fraction(row.result)
    v = [sign * Fraction(value) for value in row.criteria]
    if x >= v[4]:
        return Fraction(5)
    if x < v[0]:
        return Fraction(rules.floor)
    k = max(level for level in range(4) if v[level] <= x)
    return half_up(k + 1 + (x - v[k]) / (v[k + 1] - v[k]))


def min_gap(row: Quantitative) -> Decimal:
    return min(abs(b - a) for a, b in zip(row.criteria, row.criteria[1:], strict=False))


# -- quantitative ----------------------------------------------------------------------------------------


@PROPERTY
@given(rows_with_result(), FLOORS)
def test_a_score_stays_between_the_floor_and_5(row, rules):
    score = quantitative_score(row, rules)

    assert rules.floor <= score <= 5
    assert score.as_tuple().exponent == -4


@PROPERTY
@given(rows_with_result(), FLOORS)
def test_a_score_is_the_exact_value_rounded_half_up_once(row, rules):
    assert Fraction(quantitative_score(row, rules)) == exact_score(row, rules)


@PROPERTY
@given(rows(), FLOORS)
def test_each_criteria_value_scores_its_level_exactly(row, rules):
    for level, value in enumerate(row.criteria, start=1):
        assert quantitative_score(with_result(row, value), rules) == level


@PROPERTY
@given(rows_with_result(), values, FLOORS)
def test_a_better_result_never_scores_less(row, other, rules):
    assert row.result is not None
    worse, better = sorted([row.result, other])
    if row.direction == "lower":
        worse, better = better, worse

    assert quantitative_score(with_result(row, worse), rules) <= quantitative_score(
        with_result(row, better), rules
    )


@PROPERTY
@given(rows_with_result(), st.decimals(min_value=0, max_value=5, places=4))
def test_a_small_step_in_the_result_makes_a_small_step_in_the_score(row, step):
    # With the floor at 1 the score is continuous everywhere: |Δscore| ≤ |Δx| / smallest gap, plus one
    # unit in the 4th place for the two roundings.
    assert row.result is not None
    rules = Rules()
    before = quantitative_score(row, rules)
    after = quantitative_score(with_result(row, row.result + step), rules)

    assert abs(after - before) <= step / min_gap(row) + ONE_STEP


@PROPERTY
@given(rows(), FLOORS)
def test_not_reported_scores_the_rules_not_reported_score(row, rules):
    assert quantitative_score(row, rules) == rules.not_reported


# -- milestone -------------------------------------------------------------------------------------------


@st.composite
def milestones(draw: st.DrawFn) -> Milestone:
    level = draw(st.integers(min_value=0, max_value=5))
    total = draw(st.integers(min_value=0, max_value=12))
    done = 0 if level == 5 else draw(st.integers(min_value=0, max_value=total))
    return Milestone(level=level, substeps_done=done, substeps_total=total)


@PROPERTY
@given(milestones(), FLOORS)
def test_a_milestone_scores_level_plus_the_share_of_sub_steps_never_under_the_floor(milestone, rules):
    assert milestone.level is not None
    share = Fraction(milestone.substeps_done, milestone.substeps_total) if milestone.substeps_total else 0

    score = milestone_score(milestone, rules)

    assert Fraction(score) == max(half_up(milestone.level + share), Fraction(rules.floor))
    assert rules.floor <= score <= 5


# -- indicator trees -------------------------------------------------------------------------------------

weights = st.one_of(
    st.integers(min_value=1, max_value=100).map(Decimal),
    st.decimals(min_value=Decimal("0.01"), max_value=100, places=2),
)
deductions = st.lists(
    st.decimals(min_value=Decimal("0.0001"), max_value=2, places=4).map(
        lambda points: Deduction(reason="หักคะแนน", points=points)
    ),
    max_size=2,
).map(tuple)
measures = st.one_of(rows_with_result(), milestones(), rows())
not_applicable = st.sampled_from([False, False, False, True])

leaves = st.tuples(st.just("leaf"), weights, measures, not_applicable, deductions)
trees = st.recursive(
    leaves,
    lambda children: st.tuples(
        st.just("parent"), weights, st.lists(children, min_size=1, max_size=4), not_applicable, deductions
    ),
    max_leaves=8,
)


def build(spec, code: str) -> Indicator:
    kind, weight, content, na, cuts = spec
    if kind == "leaf":
        return Indicator(
            code=code, weight=weight, measure=content, not_applicable=na, deductions=() if na else cuts
        )
    children = tuple(build(child, f"{code}.{i}") for i, child in enumerate(content, start=1))
    return Indicator(
        code=code, weight=weight, children=children, not_applicable=na, deductions=() if na else cuts
    )


def forests(min_size: int = 1) -> st.SearchStrategy[list[Indicator]]:
    return st.lists(trees, min_size=min_size, max_size=5).map(
        lambda specs: [build(spec, str(i)) for i, spec in enumerate(specs, start=1)]
    )


def check_siblings(
    indicators: list[Indicator] | tuple[Indicator, ...], scores: tuple[IndicatorScore, ...]
) -> None:
    applicable = [(i, s) for i, s in zip(indicators, scores, strict=True) if s.score is not None]
    total_weight = sum((i.weight for i, _ in applicable), Decimal(0))
    for indicator, score in zip(indicators, scores, strict=True):
        assert score.code == indicator.code
        if score.score is None:
            assert score.weighted is None
            continue
        assert score.score >= 0
        assert score.score.as_tuple().exponent == -4
        assert Fraction(score.weighted) == half_up(
            Fraction(score.score) * Fraction(indicator.weight) / Fraction(total_weight)
        )
        if indicator.children:
            cut = sum((d.points for d in indicator.deductions), Decimal(0))
            children_sum = sum((c.weighted for c in score.children if c.weighted is not None), Decimal(0))
            assert score.score == max(children_sum - cut, Decimal(0))
            check_siblings(indicator.children, score.children)


@TREES
@given(forests(), FLOORS)
def test_every_level_of_a_score_sheet_adds_up(indicators, rules):
    sheet = score_indicators(indicators, rules)

    check_siblings(indicators, sheet.indicators)
    weighted = [score.weighted for score in sheet.indicators if score.weighted is not None]
    if weighted:
        assert sheet.total == sum(weighted, Decimal(0))
        assert 0 <= sheet.total <= 5
    else:
        assert sheet.total is None


@TREES
@given(forests(min_size=2), st.data())
def test_marking_an_indicator_not_applicable_is_the_same_as_leaving_it_out(indicators, data):
    index = data.draw(st.integers(min_value=0, max_value=len(indicators) - 1))
    left_out = indicators[index]
    marked = Indicator(
        code=left_out.code, weight=left_out.weight, measure=left_out.measure, not_applicable=True
    )
    rules = Rules()

    with_marked = score_indicators([*indicators[:index], marked, *indicators[index + 1 :]], rules)
    without = score_indicators([*indicators[:index], *indicators[index + 1 :]], rules)

    assert with_marked.total == without.total
    assert [*with_marked.indicators[:index], *with_marked.indicators[index + 1 :]] == list(without.indicators)
    assert with_marked.indicators[index].score is None
