import json
from decimal import Decimal

import pytest

from khamrap.scoring import Milestone, Quantitative, ScoringInputError
from khamrap.scoring.scenario import parse_scenario, render_sheet, run

EXAMPLE = """
{"floor": "1", "not_reported": "1",
 "indicators": [
   {"code": "1.1", "weight": 10, "type": "quantitative", "direction": "higher",
    "criteria": [80, 85, 90, 95, 100], "result": 92.5},
   {"code": "1.2", "weight": 5, "type": "milestone", "level": 3, "substeps_done": 1, "substeps_total": 4},
   {"code": "1.3", "weight": 5, "type": "quantitative", "direction": "lower",
    "criteria": [20, 18, 16, 14, 12], "result": null},
   {"code": "1.4", "weight": 5, "not_applicable": true},
   {"code": "2", "weight": 20, "name": "มิติที่ 2", "children": [
      {"code": "2.1", "weight": 3, "type": "quantitative", "direction": "lower",
       "criteria": ["20", "18", "16", "14", "12"], "result": "17.5"},
      {"code": "2.2", "weight": 1, "type": "milestone", "level": 2}]},
   {"code": "3", "weight": 4, "type": "milestone", "level": 5,
    "deductions": [{"reason": "ไม่ส่งรายงานความก้าวหน้า", "points": 0.2}]}]}
"""


def leaf(code, score, weighted):
    return {"code": code, "score": score, "weighted": weighted, "children": []}


def scenario(*indicators, **rules):
    return json.dumps({**rules, "indicators": list(indicators)})


def milestone(code="1", weight=1, **fields):
    return {"code": code, "weight": weight, "type": "milestone", "level": 3, **fields}


def quantitative(code="1", weight=1, **fields):
    return {
        "code": code,
        "weight": weight,
        "type": "quantitative",
        "direction": "higher",
        "criteria": [20, 40, 60, 80, 100],
        "result": 50,
        **fields,
    }


def test_it_scores_the_example_scenario_exactly():
    # W = 10 + 5 + 5 + 20 + 4 = 44 (1.4 is not applicable); inside 2, W = 3 + 1
    output = json.loads(run(EXAMPLE))

    assert output == {
        "indicators": [
            leaf("1.1", "3.5000", "0.7955"),  # 3.5 × 10 / 44 = 0.79545…
            leaf("1.2", "3.2500", "0.3693"),  # 3 + 1/4
            leaf("1.3", "1.0000", "0.1136"),  # not reported
            leaf("1.4", None, None),
            {
                "code": "2",
                "score": "2.1875",  # 1.6875 + 0.5000
                "weighted": "0.9943",
                "children": [leaf("2.1", "2.2500", "1.6875"), leaf("2.2", "2.0000", "0.5000")],
            },
            leaf("3", "4.8000", "0.4364"),  # 5 − 0.2
        ],
        "total": "2.7091",  # 0.7955 + 0.3693 + 0.1136 + 0.9943 + 0.4364
    }


def test_the_output_keeps_thai_readable_and_is_json():
    text = run(EXAMPLE)

    assert text.startswith("{\n")
    json.loads(text)


def test_it_reproduces_the_published_worked_figures():
    text = scenario(
        milestone("1", 4, level=5),
        milestone("2", 3, level=2),
        milestone("3", 4, level=5, deductions=[{"reason": "ไม่ส่งรายงานความก้าวหน้า", "points": "0.2"}]),
        milestone("4", 3, level=2, deductions=[{"reason": "ไม่ส่งรายงาน 6 เดือน", "points": 0.4}]),
        milestone("5", 86, level=3),
    )

    output = json.loads(run(text))

    assert [(i["score"], i["weighted"]) for i in output["indicators"]] == [
        ("5.0000", "0.2000"),
        ("2.0000", "0.0600"),
        ("4.8000", "0.1920"),
        ("1.6000", "0.0480"),
        ("3.0000", "2.5800"),
    ]
    assert output["total"] == "3.0800"


def test_json_numbers_are_read_as_decimals_never_through_binary_floats():
    # 2.00005 as a binary float is 2.0000499999…, which would round to 2.0000
    text = scenario(quantitative(criteria=[1, 2, 3, 4, 5], result=2.00005))

    assert json.loads(run(text))["indicators"][0]["score"] == "2.0001"


def test_numbers_may_be_strings():
    as_numbers = scenario(quantitative(weight=2, criteria=[20, 40, 60, 80, 100], result=49.33))
    as_strings = scenario(
        quantitative(weight="2", criteria=["20", "40", "60", "80", "100"], result=" 49.33 ")
    )

    assert run(as_numbers) == run(as_strings)
    assert json.loads(run(as_strings))["indicators"][0]["score"] == "2.4665"


def test_parse_builds_the_engines_dataclasses():
    indicators, rules = parse_scenario(EXAMPLE)

    assert rules.floor == 1
    assert rules.not_reported == 1
    assert indicators[0].measure == Quantitative(
        direction="higher", criteria=tuple(Decimal(v) for v in (80, 85, 90, 95, 100)), result=Decimal("92.5")
    )
    assert indicators[1].measure == Milestone(level=3, substeps_done=1, substeps_total=4)
    assert indicators[3].not_applicable
    assert [child.code for child in indicators[4].children] == ["2.1", "2.2"]
    assert indicators[5].deductions[0].points == Decimal("0.2")


def test_floor_defaults_to_1_and_not_reported_to_the_floor():
    _, rules = parse_scenario(scenario(milestone()))
    assert (str(rules.floor), str(rules.not_reported)) == ("1.0000", "1.0000")

    _, rules = parse_scenario(scenario(milestone(), floor=0))
    assert (str(rules.floor), str(rules.not_reported)) == ("0.0000", "0.0000")

    _, rules = parse_scenario(scenario(milestone(), floor="0", not_reported="1"))
    assert (str(rules.floor), str(rules.not_reported)) == ("0.0000", "1.0000")


def test_floor_0_and_floor_1_score_a_result_short_of_v1_differently():
    below = quantitative(result=10)

    assert json.loads(run(scenario(below, floor=1)))["total"] == "1.0000"
    assert json.loads(run(scenario(below, floor=0)))["total"] == "0.0000"


def test_render_sheet_writes_every_figure_with_4_decimals():
    indicators, rules = parse_scenario(scenario(milestone(level=5)))
    from khamrap.scoring import score_indicators

    rendered = render_sheet(score_indicators(indicators, rules))

    assert rendered == {"indicators": [leaf("1", "5.0000", "5.0000")], "total": "5.0000"}


def test_indicators_may_be_nested_ten_levels_deep_but_not_more():
    def nested(levels):
        indicator = milestone("x", level=4)
        for level in range(levels - 1, 0, -1):
            indicator = {"code": "1" + ".1" * (level - 1), "weight": 1, "children": [indicator]}
        return indicator

    assert json.loads(run(scenario(nested(10))))["total"] == "4.0000"
    with pytest.raises(ScoringInputError) as caught:
        run(scenario(nested(11)))
    assert str(caught.value) == (
        "indicator 1.1.1.1.1.1.1.1.1.1: children: indicators may be nested at most 10 levels deep"
    )


def test_a_scenario_where_everything_is_not_applicable_has_a_null_total():
    output = json.loads(run(scenario({"code": "1", "weight": 1, "not_applicable": True})))

    assert output == {"indicators": [leaf("1", None, None)], "total": None}


# -- bad input: every error names the indicator's code and the field ------------------------------------

BAD = [
    (
        scenario(quantitative("1.3", direction="lower", criteria=[12, 14, 16, 18, 20])),
        "1.3",
        "criteria",
        'indicator 1.3: criteria: must be strictly decreasing for direction "lower"',
    ),
    (
        scenario(quantitative("1.1", criteria=[20, 40, 40, 80, 100])),
        "1.1",
        "criteria",
        'indicator 1.1: criteria: must be strictly increasing for direction "higher"',
    ),
    (
        scenario(quantitative("1.1", criteria=[20, 40, 60, 80])),
        "1.1",
        "criteria",
        "indicator 1.1: criteria: must be exactly 5 values (levels 1 to 5)",
    ),
    (
        scenario(quantitative("1.1", criteria="20-100")),
        "1.1",
        "criteria",
        "indicator 1.1: criteria: must be a JSON list",
    ),
    (
        scenario(quantitative("1.1", criteria=[20, 40, "sixty", 80, 100])),
        "1.1",
        "criteria[2]",
        'indicator 1.1: criteria[2]: must be a number, got "sixty"',
    ),
    (
        scenario(quantitative("1.1", direction="up")),
        "1.1",
        "direction",
        'indicator 1.1: direction: must be "higher" or "lower"',
    ),
    (
        scenario(quantitative("2.1", weight=0)),
        "2.1",
        "weight",
        "indicator 2.1: weight: must be greater than 0",
    ),
    (
        scenario(quantitative("2.1", weight=-3)),
        "2.1",
        "weight",
        "indicator 2.1: weight: must be greater than 0",
    ),
    (
        scenario(quantitative("2.1", weight="heavy")),
        "2.1",
        "weight",
        'indicator 2.1: weight: must be a number, got "heavy"',
    ),
    (
        scenario(quantitative("2.1", weight=True)),
        "2.1",
        "weight",
        "indicator 2.1: weight: must be a number, got true",
    ),
    (
        scenario(quantitative("2.1", result="NaN")),
        "2.1",
        "result",
        'indicator 2.1: result: must be a number, got "NaN"',
    ),
    (
        scenario(quantitative("2.1", result="๕๐")),
        "2.1",
        "result",
        'indicator 2.1: result: must be a number, got "๕๐"',
    ),
    (
        scenario(quantitative("2.1", result=[50])),
        "2.1",
        "result",
        "indicator 2.1: result: must be a number, got [50]",
    ),
    (scenario(milestone("3", level=6)), "3", "level", "indicator 3: level: must be between 0 and 5"),
    (scenario(milestone("3", level=-1)), "3", "level", "indicator 3: level: must be between 0 and 5"),
    (
        scenario(milestone("3", level=2.5)),
        "3",
        "level",
        "indicator 3: level: must be a whole number, got 2.5",
    ),
    (
        scenario(milestone("3", level=2, substeps_done=5, substeps_total=4)),
        "3",
        "substeps_done",
        "indicator 3: substeps_done: must be between 0 and substeps_total (4)",
    ),
    (
        scenario(milestone("3", level=2, substeps_done=1)),
        "3",
        "substeps_total",
        "indicator 3: substeps_total: is required when substeps_done is given",
    ),
    (
        scenario(milestone("3", level=5, substeps_done=1, substeps_total=2)),
        "3",
        "substeps_done",
        "indicator 3: substeps_done: level 5 has no further sub-steps",
    ),
    (
        scenario({"code": "4", "weight": 1, "type": "ranking"}),
        "4",
        "type",
        'indicator 4: type: must be "quantitative" or "milestone", got "ranking"',
    ),
    (scenario({"code": "4", "weight": 1}), "4", "type", "indicator 4: type: is required"),
    (
        scenario({"code": "4", "type": "milestone", "level": 1}),
        "4",
        "weight",
        "indicator 4: weight: is required",
    ),
    (
        scenario(
            {"code": "4", "weight": 1, "type": "quantitative", "criteria": [1, 2, 3, 4, 5], "result": 1}
        ),
        "4",
        "direction",
        "indicator 4: direction: is required",
    ),
    (
        scenario({"code": "4", "weight": 1, "type": "quantitative", "direction": "higher", "result": 1}),
        "4",
        "criteria",
        "indicator 4: criteria: is required",
    ),
    (
        scenario(
            {
                "code": "4",
                "weight": 1,
                "type": "quantitative",
                "direction": "higher",
                "criteria": [1, 2, 3, 4, 5],
            }
        ),
        "4",
        "result",
        "indicator 4: result: is required",
    ),
    (
        scenario({"code": "4", "weight": 1, "type": "milestone"}),
        "4",
        "level",
        "indicator 4: level: is required",
    ),
    (
        scenario(milestone("4", substep_done=1)),
        "4",
        "substep_done",
        "indicator 4: substep_done: is not a field of a milestone indicator",
    ),
    (
        scenario(milestone("4", direction="higher")),
        "4",
        "direction",
        "indicator 4: direction: is not a field of a milestone indicator",
    ),
    (
        scenario({"code": "5", "weight": 1, "type": "milestone", "level": 1, "children": [milestone("5.1")]}),
        "5",
        "type",
        "indicator 5: type: is not a field of an indicator with children",
    ),
    (
        scenario({"code": "5", "weight": 1, "children": []}),
        "5",
        "children",
        "indicator 5: children: must not be empty",
    ),
    (
        scenario({"code": "5", "weight": 1, "children": [{"weight": 1, "type": "milestone", "level": 1}]}),
        "5",
        "children[0].code",
        "indicator 5: children[0].code: is required",
    ),
    (
        scenario({"code": "5", "weight": 1, "children": [milestone("5.1", weight=0)]}),
        "5.1",
        "weight",
        "indicator 5.1: weight: must be greater than 0",
    ),
    (
        scenario(milestone("6", deductions=[{"reason": "ล่าช้า", "points": -0.2}])),
        "6",
        "deductions[0].points",
        "indicator 6: deductions[0].points: must be greater than 0",
    ),
    (
        scenario(milestone("6", deductions=[{"points": 0.2}])),
        "6",
        "deductions[0].reason",
        "indicator 6: deductions[0].reason: is required",
    ),
    (
        scenario(milestone("6", deductions=[{"reason": "ล่าช้า", "points": "0.00001"}])),
        "6",
        "deductions[0].points",
        "indicator 6: deductions[0].points: must have at most 4 decimal places",
    ),
    (
        scenario({"code": "7", "weight": 1, "not_applicable": "yes"}),
        "7",
        "not_applicable",
        "indicator 7: not_applicable: must be true or false",
    ),
    (
        scenario(milestone("8"), milestone("8")),
        "8",
        "code",
        "indicator 8: code: is used by more than one indicator",
    ),
    (
        scenario({"code": 1.1, "weight": 1}),
        None,
        "indicators[0].code",
        'indicators[0].code: must be text, e.g. "1.1"',
    ),
    (scenario({"weight": 1}), None, "indicators[0].code", "indicators[0].code: is required"),
    (scenario(), None, "indicators", "indicators: must not be empty"),
    ('{"floor": 1}', None, "indicators", "indicators: is required"),
    (scenario(milestone(), floor=2), None, "floor", "floor: must be between 0 and 1"),
    (scenario(milestone(), floor="low"), None, "floor", 'floor: must be a number, got "low"'),
    (scenario(milestone(), flor=0), None, "flor", "flor: is not a field of a scenario"),
    ("[1, 2]", None, "scenario", "scenario: must be a JSON object"),
    ('{"indicators": [', None, "json", "json: invalid JSON at line 1 column 17: Expecting value"),
    ('{"floor": NaN, "indicators": []}', None, "json", "json: NaN is not a number JSON allows"),
]


@pytest.mark.parametrize(("text", "code", "field", "message"), BAD)
def test_bad_input_is_refused_naming_the_indicator_and_the_field(text, code, field, message):
    with pytest.raises(ScoringInputError) as caught:
        run(text)

    error = caught.value
    assert (error.code, error.field, str(error)) == (code, field, message)
    assert error.message_th
    assert error.text_th.endswith(error.message_th)
