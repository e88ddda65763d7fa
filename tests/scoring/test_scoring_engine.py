from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, localcontext

import pytest

from khamrap.scoring import (
    Deduction,
    Indicator,
    IndicatorScore,
    Milestone,
    Quantitative,
    Rules,
    ScoreSheet,
    ScoringInputError,
    milestone_score,
    quantitative_score,
    score_indicators,
)

D = Decimal
RULES = Rules()
FLOOR_ZERO = Rules(floor=D(0), not_reported=D(0))
TWENTY_TO_HUNDRED = (D(20), D(40), D(60), D(80), D(100))
LOWER_ROW = (D(20), D(18), D(16), D(14), D(12))


def higher(result: str | None, criteria: tuple[Decimal, ...] = TWENTY_TO_HUNDRED) -> Quantitative:
    return Quantitative(direction="higher", criteria=criteria, result=None if result is None else D(result))


def lower(result: str | None, criteria: tuple[Decimal, ...] = LOWER_ROW) -> Quantitative:
    return Quantitative(direction="lower", criteria=criteria, result=None if result is None else D(result))


def kpi(code: str, weight: int | str, measure: Quantitative | Milestone, *deductions: str) -> Indicator:
    return Indicator(
        code=code,
        weight=D(weight),
        measure=measure,
        deductions=tuple(Deduction(reason="ไม่ส่งรายงานความก้าวหน้า", points=D(p)) for p in deductions),
    )


def figures(score: IndicatorScore) -> tuple[str | None, str | None]:
    return (
        None if score.score is None else str(score.score),
        None if score.weighted is None else str(score.weighted),
    )


# -- quantitative ----------------------------------------------------------------------------------------


def test_it_interpolates_49_33_on_20_to_100_exactly():
    score = quantitative_score(higher("49.33"), RULES)

    assert str(score) == "2.4665"
    assert str(score.quantize(D("0.01"), ROUND_HALF_UP)) == "2.47"


def test_it_scores_92_5_on_80_to_100_as_3_5():
    criteria = (D(80), D(85), D(90), D(95), D(100))

    assert str(quantitative_score(higher("92.5", criteria), RULES)) == "3.5000"


@pytest.mark.parametrize(
    ("result", "expected"),
    [
        ("21", "1.0000"),  # short of v1: the floor
        ("20", "1.0000"),
        ("19", "1.5000"),
        ("18", "2.0000"),
        ("17", "2.5000"),
        ("16", "3.0000"),
        ("13.3", "4.3500"),
        ("12", "5.0000"),
        ("11", "5.0000"),  # beyond v5: capped at 5
        ("0", "5.0000"),
    ],
)
def test_it_interpolates_when_lower_is_better(result, expected):
    assert str(quantitative_score(lower(result), RULES)) == expected


@pytest.mark.parametrize(("level", "value"), list(enumerate(TWENTY_TO_HUNDRED, start=1)))
def test_it_scores_each_criteria_value_as_its_level_exactly(level, value):
    assert quantitative_score(higher(str(value)), RULES) == level
    assert str(quantitative_score(higher(str(value)), RULES)) == f"{level}.0000"


def test_it_caps_at_5_beyond_v5():
    assert str(quantitative_score(higher("100"), RULES)) == "5.0000"
    assert str(quantitative_score(higher("1000000"), RULES)) == "5.0000"


def test_it_scores_the_floor_short_of_v1():
    assert str(quantitative_score(higher("19.99"), RULES)) == "1.0000"
    assert str(quantitative_score(higher("19.99"), FLOOR_ZERO)) == "0.0000"
    assert str(quantitative_score(higher("-5"), Rules(floor=D("0.5")))) == "0.5000"


def test_it_scores_v1_as_1_even_when_the_floor_is_0():
    assert str(quantitative_score(higher("20"), FLOOR_ZERO)) == "1.0000"


def test_it_scores_not_reported_with_the_rules_not_reported_score():
    assert str(quantitative_score(higher(None), RULES)) == "1.0000"
    assert str(quantitative_score(higher(None), FLOOR_ZERO)) == "0.0000"
    assert str(quantitative_score(higher(None), Rules(floor=D(1), not_reported=D(0)))) == "0.0000"


def test_it_rounds_half_up_not_half_even():
    # 2 + 0.001 / 20 = 2.00005 exactly: half-up gives 2.0001 (half-even would give 2.0000)
    assert str(quantitative_score(higher("40.001"), RULES)) == "2.0001"
    # 2 + 0.003 / 20 = 2.00015 → 2.0002
    assert str(quantitative_score(higher("40.003"), RULES)) == "2.0002"


def test_it_rounds_repeating_quotients_half_up():
    criteria = (D(0), D(3), D(6), D(9), D(12))

    assert str(quantitative_score(higher("1", criteria), RULES)) == "1.3333"
    assert str(quantitative_score(higher("2", criteria), RULES)) == "1.6667"


def test_it_does_not_depend_on_the_threads_decimal_context():
    with localcontext() as context:
        context.prec = 3
        context.rounding = ROUND_DOWN

        assert str(quantitative_score(higher("49.33"), RULES)) == "2.4665"
        assert str(milestone_score(Milestone(level=1, substeps_done=2, substeps_total=3), RULES)) == "1.6667"
        sheet = score_indicators([kpi("1", 1, higher("49.33")), kpi("2", 2, Milestone(level=4))], RULES)
        assert str(sheet.total) == "3.4889"  # 0.8222 + 2.6667


# -- milestone -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("milestone", "expected"),
    [
        (Milestone(level=5), "5.0000"),
        (Milestone(level=2), "2.0000"),
        (Milestone(level=3, substeps_done=1, substeps_total=4), "3.2500"),
        (Milestone(level=3, substeps_done=4, substeps_total=4), "4.0000"),
        (Milestone(level=3, substeps_done=0, substeps_total=4), "3.0000"),
        (Milestone(level=1, substeps_done=1, substeps_total=3), "1.3333"),
        (Milestone(level=1, substeps_done=2, substeps_total=3), "1.6667"),
        (Milestone(level=5, substeps_done=0, substeps_total=2), "5.0000"),
    ],
)
def test_it_scores_milestones_with_partial_credit_for_sub_steps(milestone, expected):
    assert str(milestone_score(milestone, RULES)) == expected


def test_a_milestone_never_scores_under_the_floor():
    assert str(milestone_score(Milestone(level=0), RULES)) == "1.0000"
    assert str(milestone_score(Milestone(level=0, substeps_done=1, substeps_total=2), RULES)) == "1.0000"
    assert str(milestone_score(Milestone(level=0), FLOOR_ZERO)) == "0.0000"
    assert str(milestone_score(Milestone(level=0, substeps_done=1, substeps_total=2), FLOOR_ZERO)) == "0.5000"


def test_a_milestone_not_reported_scores_the_rules_not_reported_score():
    assert str(milestone_score(Milestone(level=None), RULES)) == "1.0000"
    assert str(milestone_score(Milestone(level=None), FLOOR_ZERO)) == "0.0000"


# -- the worked figures of DESIGN.md §6 (weights out of 100) ---------------------------------------------


def test_it_reproduces_the_published_agreement_table():
    # given: weights add up to 100
    indicators = [
        kpi("1", 4, Milestone(level=5)),
        kpi("2", 3, Milestone(level=2)),
        kpi("3", 93, Milestone(level=3)),
    ]

    # when
    sheet = score_indicators(indicators, RULES)

    # then
    assert [figures(score) for score in sheet.indicators] == [
        ("5.0000", "0.2000"),
        ("2.0000", "0.0600"),
        ("3.0000", "2.7900"),
    ]
    assert str(sheet.total) == "3.0500"


def test_it_reproduces_the_evaluation_committees_deductions():
    indicators = [
        kpi("1", 4, Milestone(level=5), "0.2"),
        kpi("2", 3, Milestone(level=2), "0.2", "0.2"),
        kpi("3", 93, Milestone(level=3)),
    ]

    sheet = score_indicators(indicators, RULES)

    assert [figures(score) for score in sheet.indicators] == [
        ("4.8000", "0.1920"),
        ("1.6000", "0.0480"),
        ("3.0000", "2.7900"),
    ]
    assert str(sheet.total) == "3.0300"


def test_deductions_never_take_a_score_below_0():
    sheet = score_indicators([kpi("1", 1, Milestone(level=1), "0.6", "0.6")], RULES)

    assert figures(sheet.indicators[0]) == ("0.0000", "0.0000")
    assert str(sheet.total) == "0.0000"


def test_deductions_may_take_a_score_below_the_floor():
    sheet = score_indicators([kpi("1", 1, Milestone(level=1), "0.25")], RULES)

    assert figures(sheet.indicators[0]) == ("0.7500", "0.7500")


def test_deductions_apply_to_a_not_reported_score():
    sheet = score_indicators([kpi("1", 1, higher(None), "0.2")], RULES)

    assert figures(sheet.indicators[0]) == ("0.8000", "0.8000")


# -- weights, not applicable and nesting -----------------------------------------------------------------


def test_it_divides_by_the_actual_total_weight():
    sheet = score_indicators([kpi("1", 10, Milestone(level=5)), kpi("2", 30, Milestone(level=3))], RULES)

    assert [figures(score) for score in sheet.indicators] == [("5.0000", "1.2500"), ("3.0000", "2.2500")]
    assert str(sheet.total) == "3.5000"


def test_it_leaves_out_not_applicable_indicators_and_renormalises_the_rest():
    # given: 60 of 100 is not applicable, so the other two count out of 40
    indicators = [
        kpi("1", 10, Milestone(level=5)),
        kpi("2", 30, Milestone(level=3)),
        Indicator(code="3", weight=D(60), measure=Milestone(level=1), not_applicable=True),
    ]

    sheet = score_indicators(indicators, RULES)

    assert [figures(score) for score in sheet.indicators] == [
        ("5.0000", "1.2500"),
        ("3.0000", "2.2500"),
        (None, None),
    ]
    assert str(sheet.total) == "3.5000"


def test_it_rounds_every_weighted_score_and_the_total_is_their_sum():
    indicators = [kpi(str(i), 1, Milestone(level=level)) for i, level in enumerate([5, 4, 2], start=1)]

    sheet = score_indicators(indicators, RULES)

    # 5/3, 4/3 and 2/3 rounded half-up; the total adds the printed figures (3.6667, not 3.6666…)
    assert [figures(score)[1] for score in sheet.indicators] == ["1.6667", "1.3333", "0.6667"]
    assert str(sheet.total) == "3.6667"


def test_nested_indicators_add_up_at_every_level():
    # given: indicator 1 (weight 60) = 1.1 (2) + 1.2 (1); indicator 2 (weight 40)
    indicators = [
        Indicator(
            code="1",
            weight=D(60),
            children=(
                kpi("1.1", 2, higher("49.33")),
                kpi("1.2", 1, Milestone(level=3, substeps_done=1, substeps_total=3)),
            ),
        ),
        kpi("2", 40, lower("17")),
    ]

    # when
    sheet = score_indicators(indicators, RULES)

    # then: 2.4665 × 2/3 = 1.64433… → 1.6443; 3.3333 × 1/3 = 1.1111; 1 = 2.7554; × 60/100 = 1.65324 → 1.6532
    one, two = sheet.indicators
    assert [figures(child) for child in one.children] == [("2.4665", "1.6443"), ("3.3333", "1.1111")]
    assert figures(one) == ("2.7554", "1.6532")
    assert figures(two) == ("2.5000", "1.0000")
    assert str(sheet.total) == "2.6532"
    assert one.score == sum(child.weighted for child in one.children if child.weighted is not None)


def test_a_parent_whose_children_are_all_not_applicable_is_not_applicable():
    indicators = [
        Indicator(
            code="1",
            weight=D(50),
            children=(
                Indicator(code="1.1", weight=D(1), not_applicable=True),
                Indicator(code="1.2", weight=D(1), measure=Milestone(level=5), not_applicable=True),
            ),
        ),
        kpi("2", 50, Milestone(level=4)),
    ]

    sheet = score_indicators(indicators, RULES)

    assert sheet == ScoreSheet(
        indicators=(
            IndicatorScore(
                code="1",
                score=None,
                weighted=None,
                children=(
                    IndicatorScore(code="1.1", score=None, weighted=None),
                    IndicatorScore(code="1.2", score=None, weighted=None),
                ),
            ),
            IndicatorScore(code="2", score=D("4.0000"), weighted=D("4.0000")),
        ),
        total=D("4.0000"),
    )


def test_a_not_applicable_parent_lists_its_children_as_not_applicable():
    parent = Indicator(
        code="1", weight=D(1), not_applicable=True, children=(kpi("1.1", 1, Milestone(level=2)),)
    )

    sheet = score_indicators([parent, kpi("2", 1, Milestone(level=2))], RULES)

    assert figures(sheet.indicators[0]) == (None, None)
    assert figures(sheet.indicators[0].children[0]) == (None, None)
    assert str(sheet.total) == "2.0000"


def test_deductions_on_a_parent_come_off_the_sum_of_its_children():
    parent = Indicator(
        code="1",
        weight=D(1),
        children=(kpi("1.1", 1, Milestone(level=4)), kpi("1.2", 1, Milestone(level=3))),
        deductions=(Deduction(reason="รายงานล่าช้า", points=D("0.5")),),
    )

    sheet = score_indicators([parent], RULES)

    assert figures(sheet.indicators[0]) == ("3.0000", "3.0000")


def test_when_everything_is_not_applicable_the_total_is_none():
    sheet = score_indicators([Indicator(code="1", weight=D(1), not_applicable=True)], RULES)

    assert sheet.total is None


def test_decimal_weights_are_allowed():
    sheet = score_indicators(
        [kpi("1", "2.5", Milestone(level=5)), kpi("2", "7.5", Milestone(level=1))], RULES
    )

    assert [figures(score) for score in sheet.indicators] == [("5.0000", "1.2500"), ("1.0000", "0.7500")]
    assert str(sheet.total) == "2.0000"


def test_it_accepts_ints_for_numbers():
    measure = Quantitative(direction="higher", criteria=(20, 40, 60, 80, 100), result=50)  # type: ignore[arg-type]

    assert str(quantitative_score(measure, RULES)) == "2.5000"
    assert str(Indicator(code="1", weight=4, measure=measure).weight) == "4"  # type: ignore[arg-type]


# -- bad input -------------------------------------------------------------------------------------------


def error_of(build) -> ScoringInputError:
    with pytest.raises(ScoringInputError) as caught:
        build()
    return caught.value


@pytest.mark.parametrize(
    ("build", "field", "message"),
    [
        (
            lambda: Quantitative(direction="higher", criteria=(D(1), D(2), D(2), D(3), D(4)), result=None),
            "criteria",
            'criteria: must be strictly increasing for direction "higher"',
        ),
        (
            lambda: Quantitative(direction="lower", criteria=TWENTY_TO_HUNDRED, result=None),
            "criteria",
            'criteria: must be strictly decreasing for direction "lower"',
        ),
        (
            lambda: Quantitative(direction="higher", criteria=TWENTY_TO_HUNDRED[:4], result=None),
            "criteria",
            "criteria: must be exactly 5 values (levels 1 to 5)",
        ),
        (
            lambda: Quantitative(direction="up", criteria=TWENTY_TO_HUNDRED, result=None),  # type: ignore[arg-type]
            "direction",
            'direction: must be "higher" or "lower"',
        ),
        (
            lambda: Quantitative(direction="higher", criteria=TWENTY_TO_HUNDRED, result=49.33),  # type: ignore[arg-type]
            "result",
            "result: must be a Decimal, an int or a numeric string, not a binary float",
        ),
        (
            lambda: Quantitative(direction="higher", criteria=TWENTY_TO_HUNDRED, result=D("NaN")),
            "result",
            "result: must be a number",
        ),
        (
            lambda: Quantitative(direction="higher", criteria=TWENTY_TO_HUNDRED, result=D("1e15")),
            "result",
            "result: must be less than 10^15 in magnitude",
        ),
        (
            lambda: Quantitative(direction="higher", criteria=TWENTY_TO_HUNDRED, result=D("0.00000000001")),
            "result",
            "result: must have at most 10 decimal places",
        ),
        (
            lambda: Quantitative(
                direction="higher", criteria=(D("sNaN"), D(2), D(3), D(4), D(5)), result=None
            ),
            "criteria[0]",
            "criteria[0]: must be a number",
        ),
        (lambda: Milestone(level=6), "level", "level: must be between 0 and 5"),
        (lambda: Milestone(level=-1), "level", "level: must be between 0 and 5"),
        (lambda: Milestone(level=True), "level", "level: must be a whole number"),  # type: ignore[arg-type]
        (
            lambda: Milestone(level=2, substeps_done=5, substeps_total=4),
            "substeps_done",
            "substeps_done: must be between 0 and substeps_total (4)",
        ),
        (
            lambda: Milestone(level=2, substeps_done=-1, substeps_total=4),
            "substeps_done",
            "substeps_done: must be between 0 and substeps_total (4)",
        ),
        (
            lambda: Milestone(level=5, substeps_done=1, substeps_total=2),
            "substeps_done",
            "substeps_done: level 5 has no further sub-steps",
        ),
        (
            lambda: Milestone(level=2, substeps_total=-1),
            "substeps_total",
            "substeps_total: must not be negative",
        ),
        (lambda: Rules(floor=D(2)), "floor", "floor: must be between 0 and 1"),
        (lambda: Rules(floor=D("0.00001")), "floor", "floor: must have at most 4 decimal places"),
        (lambda: Rules(not_reported=D(-1)), "not_reported", "not_reported: must be between 0 and 5"),
        (lambda: Deduction(reason="x", points=D(0)), "points", "points: must be greater than 0"),
        (lambda: Deduction(reason=" ", points=D(1)), "reason", "reason: must not be empty"),
    ],
)
def test_bad_measures_and_rules_are_refused_naming_the_field(build, field, message):
    error = error_of(build)

    assert error.code is None
    assert error.field == field
    assert str(error) == message
    assert error.message_th


@pytest.mark.parametrize(
    ("build", "field", "message"),
    [
        (
            lambda: Indicator(code="1.3", weight=D(0), measure=Milestone(level=1)),
            "weight",
            "indicator 1.3: weight: must be greater than 0",
        ),
        (
            lambda: Indicator(code="1.3", weight=D(-5), measure=Milestone(level=1)),
            "weight",
            "indicator 1.3: weight: must be greater than 0",
        ),
        (
            lambda: Indicator(code="1.3", weight=5.0, measure=Milestone(level=1)),  # type: ignore[arg-type]
            "weight",
            "indicator 1.3: weight: must be a Decimal, an int or a numeric string, not a binary float",
        ),
        (
            lambda: Indicator(code="1.3", weight=D(1)),
            "type",
            "indicator 1.3: type: is required: give a measure, children or not_applicable",
        ),
        (
            lambda: Indicator(
                code="1.3",
                weight=D(1),
                measure=Milestone(level=1),
                children=(kpi("1.3.1", 1, Milestone(level=1)),),
            ),
            "children",
            "indicator 1.3: children: an indicator has either a measure or children, not both",
        ),
        (
            lambda: Indicator(
                code="1.3", weight=D(1), not_applicable=True, deductions=(Deduction(reason="x", points=D(1)),)
            ),
            "deductions",
            "indicator 1.3: deductions: an indicator that is not applicable has no score to deduct from",
        ),
        (
            lambda: score_indicators(
                [kpi("1", 1, Milestone(level=1)), kpi("1", 1, Milestone(level=2))], RULES
            ),
            "code",
            "indicator 1: code: is used by more than one indicator",
        ),
    ],
)
def test_bad_indicators_are_refused_naming_the_code_and_the_field(build, field, message):
    error = error_of(build)

    assert error.code is not None
    assert error.field == field
    assert str(error) == message
    assert error.text_th.startswith(f"ตัวชี้วัด {error.code}: {field}: ")


def test_an_empty_list_of_indicators_is_refused():
    error = error_of(lambda: score_indicators([], RULES))

    assert (error.code, error.field, str(error)) == (None, "indicators", "indicators: must not be empty")


def test_the_error_carries_thai_text():
    error = error_of(lambda: Quantitative(direction="lower", criteria=TWENTY_TO_HUNDRED, result=None))

    assert error.message_th == 'ต้องลดลงทุกระดับเมื่อทิศทางเป็น "lower" (ค่าน้อยดี)'
    assert error.for_indicator("1.3").text_th == (
        'ตัวชี้วัด 1.3: criteria: ต้องลดลงทุกระดับเมื่อทิศทางเป็น "lower" (ค่าน้อยดี)'
    )
    assert isinstance(error, ValueError)


def test_it_rounds_once_so_a_value_just_under_a_half_way_point_rounds_down():
    criteria = (D(0), D(3), D(6), D(9), D(12))

    # 1 + 0.0001499999 / 3 = 1.0000499999666…: rounding the quotient first would give 1.00005 → 1.0001
    assert str(quantitative_score(higher("0.0001499999", criteria), RULES)) == "1.0000"
    assert str(quantitative_score(higher("0.00015", criteria), RULES)) == "1.0001"
