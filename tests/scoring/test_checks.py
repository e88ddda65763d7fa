"""The automatic appropriateness checks (khamrap.scoring.checks): a table of cases per rule, both ways and
both directions; one planted instance of every rule found exactly once; a clean plan finds nothing."""

import json
from collections import Counter
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from khamrap.scoring.checks import (
    SEVERITIES,
    CheckRules,
    Finding,
    GoalFacts,
    IssueFacts,
    KpiFacts,
    PlanFacts,
    Rule,
    Severity,
    number_text,
    plan_findings,
)
from khamrap.thai.words import content_words, name_similarity, words

D = Decimal
RULES = CheckRules(expected_weight=D(20), weight_min=D(1), kpi_min=1, kpi_max=5, level5_change_ratio=D(3))


def d(*values: str | int | None) -> tuple[Decimal | None, ...]:
    return tuple(None if v is None else D(v) for v in values)


def kpi(code: str = "1.1", name: str = "จำนวนนักท่องเที่ยว", **more: object) -> KpiFacts:
    """A clean quantitative KPI (higher is better) unless ``more`` says otherwise."""
    values: dict[str, object] = {
        "uid": f"u{code}",
        "code": code,
        "name": name,
        "unit": "คน",
        "weight": D(20),
        "baselines": d(100, 110, 120),
        "target": D(135),
        "criteria": d(125, 130, 135, 140, 145),
        "definition": "นิยาม",
        "formula": "สูตร",
        "data_source": "แหล่ง",
        "name_words": content_words(name),
    }
    values.update(more)
    if "name" in more and "name_words" not in more:
        values["name_words"] = content_words(str(more["name"]))
    return KpiFacts(**values)  # type: ignore[arg-type]


def lower(**more: object) -> KpiFacts:
    """A clean KPI where lower is better (a death rate falling 12 → 11 → 10)."""
    base: dict[str, object] = {
        "direction": "lower",
        "baselines": d(12, 11, 10),
        "target": D(9),
        "criteria": d(10, "9.5", 9, "8.5", 8),
    }
    return kpi(name="อัตราการตายของมารดา", **{**base, **more})


def plan_of(*kpis: KpiFacts) -> PlanFacts:
    return PlanFacts(issues=(IssueFacts("ประเด็น", (GoalFacts("เป้าประสงค์", kpis),)),))


def found(k: KpiFacts, rules: CheckRules = RULES) -> list[Rule]:
    weight = rules.expected_weight if k.weight is not None else None
    return [f.rule for f in plan_findings(plan_of(replace(k, weight=weight)), rules)]


def test_the_clean_kpis_find_nothing() -> None:
    assert plan_findings(plan_of(kpi()), RULES) == ()
    assert plan_findings(plan_of(lower()), RULES) == ()


# --- plan-wide rules ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("weights", "expected", "finds"),
    [
        (("10", "10"), "20", False),
        (("10", "5"), "20", True),
        (("10", "15"), "20", True),
        (("10", None), "10", False),
    ],
)
def test_weights_total(weights: tuple[str | None, ...], expected: str, finds: bool) -> None:
    kpis = [kpi(f"1.{n}", f"ตัวชี้วัด{n} เรื่อง{n}", weight=w) for n, w in enumerate(d(*weights), start=1)]
    rules = replace(RULES, expected_weight=D(expected))

    result = [f for f in plan_findings(plan_of(*kpis), rules) if f.rule is Rule.WEIGHTS_TOTAL]

    assert bool(result) is finds
    if finds:
        assert result[0].severity is Severity.ERROR
        assert result[0].kpi_code == ""


def test_weights_total_says_both_numbers() -> None:
    [finding] = plan_findings(plan_of(kpi(weight=D("12.50"))), replace(RULES, expected_weight=D(20)))
    assert finding.message_th.startswith(
        "น้ำหนักของตัวชี้วัดย่อยรวมกันได้ 12.5 แต่กรอบการประเมินผลกำหนดน้ำหนักตัวชี้วัดที่ 1 ไว้ 20 "
    )
    assert finding.message_en.startswith(
        "The sub-KPI weights add up to 12.5 but the framework gives indicator 1 a weight of 20"
    )


@pytest.mark.parametrize(("weight", "finds"), [("0.5", True), ("0.9999", True), ("1", False), ("3", False)])
def test_weight_min(weight: str, finds: bool) -> None:
    rules = replace(RULES, expected_weight=D(weight))
    assert (Rule.WEIGHT_MIN in found(kpi(), rules)) is finds


def test_a_kpi_without_weight_is_not_below_the_minimum() -> None:
    findings = plan_findings(plan_of(kpi(weight=None)), replace(RULES, expected_weight=D(0)))
    assert [f.rule for f in findings] == []


@pytest.mark.parametrize(("count", "finds"), [(1, True), (2, False), (3, False), (4, True)])
def test_kpi_count(count: int, finds: bool) -> None:
    kpis = [kpi(f"1.{n}", f"เรื่องที่{n}", weight=D(5)) for n in range(count)]
    rules = replace(RULES, kpi_min=2, kpi_max=3, expected_weight=D(5 * count))

    result = [f for f in plan_findings(plan_of(*kpis), rules) if f.rule is Rule.KPI_COUNT]

    assert bool(result) is finds
    if count == 4:
        assert result[0].message_th.startswith("แผนมีตัวชี้วัด 4 ตัว มากกว่าขั้นสูง 3 ตัว")
    if count == 1:
        assert result[0].message_en.startswith("The plan has 1 KPIs, fewer than the minimum of 2")


def test_issue_without_kpi_names_the_issue_and_the_goal() -> None:
    plan = PlanFacts(
        issues=(
            IssueFacts("ประเด็นมีตัวชี้วัด", (GoalFacts("เป้า ก", (kpi(),)), GoalFacts("เป้าว่าง"))),
            IssueFacts("ประเด็นว่าง"),
        )
    )

    result = [(f.rule, f.issue, f.kpi_code) for f in plan_findings(plan, RULES)]

    assert result == [(Rule.ISSUE_WITHOUT_KPI, "เป้าว่าง", ""), (Rule.ISSUE_WITHOUT_KPI, "ประเด็นว่าง", "")]


def test_an_issue_whose_goals_all_have_kpis_finds_nothing() -> None:
    plan = PlanFacts(issues=(IssueFacts("ประเด็น", (GoalFacts("เป้า", (kpi(),)),)),))
    assert plan_findings(plan, RULES) == ()


# --- criteria and target ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("direction", "criteria", "finds"),
    [
        ("higher", (10, 20, 30, 40, 50), False),
        ("higher", (10, 20, 30, 40, 60), False),  # 20 is exactly 2 × 10
        ("higher", (10, 20, 30, 40, 61), True),
        ("higher", (10, 11, 30, 40, 50), True),
        ("higher", (10, 20, 20, 40, 50), False),  # a zero step: out of order, refused at submission instead
        ("higher", (10, 20, None, 40, 50), False),
        ("lower", (50, 40, 30, 20, 10), False),
        ("lower", (50, 40, 30, 20, 0), False),
        ("lower", (50, 49, 30, 20, 10), True),
        ("lower", (10, 20, 30, 40, 50), False),  # the wrong way round: not this rule's business
    ],
)
def test_criteria_uneven(direction: str, criteria: tuple[int | None, ...], finds: bool) -> None:
    level3 = criteria[2]
    k = kpi(
        direction=direction,
        criteria=d(*criteria),
        target=None if level3 is None else D(level3),
        baselines=d(None, None, None),
        is_new=True,
    )
    assert (Rule.CRITERIA_UNEVEN in found(k)) is finds


def test_criteria_uneven_names_the_steps() -> None:
    [finding] = plan_findings(plan_of(kpi(criteria=d(125, 126, 135, 140, 145))), RULES)
    assert finding.rule is Rule.CRITERIA_UNEVEN
    assert finding.message_th.startswith(
        "ช่วงห่างระหว่างเกณฑ์แต่ละระดับไม่สม่ำเสมอ (1, 9, 5, 5) ช่วงที่กว้างที่สุด 9 เกิน 2 เท่าของช่วงที่แคบที่สุด 1 "
    )


@pytest.mark.parametrize(
    ("target", "level3", "finds"),
    [("140", "140", False), ("140.0000", "140", False), ("141", "140", True), (None, "140", False)],
)
def test_target_not_level3(target: str | None, level3: str, finds: bool) -> None:
    k = kpi(target=None if target is None else D(target), criteria=d(120, 130, level3, 150, 160))
    assert (Rule.TARGET_NOT_LEVEL3 in found(k)) is finds


@pytest.mark.parametrize(
    ("make", "baselines", "target", "finds"),
    [
        (kpi, (100, 110, 120), 119, True),
        (kpi, (100, 110, 120), 120, False),
        (kpi, (100, 130, None), 125, True),  # the last year with a value is the second
        (kpi, (None, None, 150), 140, True),
        (lower, (12, 11, 10), 11, True),
        (lower, (12, 11, 10), 10, False),
        (lower, (12, 9, None), 10, True),
    ],
)
def test_target_below_baseline(make, baselines, target, finds) -> None:  # type: ignore[no-untyped-def]
    k = make(baselines=d(*baselines), target=D(target))
    assert (Rule.TARGET_BELOW_BASELINE in found(k)) is finds


def test_target_below_baseline_says_both_numbers() -> None:
    k = kpi(baselines=d(80, "84", "85.00"), target=D(80), criteria=d(60, 70, 80, 90, 100))
    [finding] = [
        f
        for f in plan_findings(plan_of(k), replace(RULES, expected_weight=D(20)))
        if f.rule is Rule.TARGET_BELOW_BASELINE
    ]
    assert finding.message_th.startswith("ค่าเป้าหมาย 80 ต่ำกว่าผลปีล่าสุด 85 ")
    assert finding.message_en.startswith("The target 80 is below the latest baseline year's 85")
    k = lower(baselines=d(12, 11, 10), target=D(11), criteria=d(13, 12, 11, 10, 9))
    [finding] = [f for f in plan_findings(plan_of(k), RULES) if f.rule is Rule.TARGET_BELOW_BASELINE]
    assert finding.message_th.startswith("ค่าเป้าหมาย 11 สูงกว่าผลปีล่าสุด 10 ")


@pytest.mark.parametrize(
    ("make", "baselines", "target", "finds"),
    [
        # 100, 110, 120 → the trend reaches 130 in the plan's year
        (kpi, (100, 110, 120), 129, True),
        (kpi, (100, 110, 120), 130, False),
        # 10, 20, 60 → mean 30 plus two slopes of 25: 80
        (kpi, (10, 20, 60), "79.9999", True),
        (kpi, (10, 20, 60), 80, False),
        (kpi, (None, 110, 120), 121, False),  # the trend needs all three years
        (lower, (12, 11, 10), "9.5", True),
        (lower, (12, 11, 10), 9, False),
    ],
)
def test_target_below_trend(make, baselines, target, finds) -> None:  # type: ignore[no-untyped-def]
    k = make(baselines=d(*baselines), target=D(target), criteria=(None,) * 5)
    assert (Rule.TARGET_BELOW_TREND in found(k)) is finds


def test_the_trend_is_shown_with_at_most_four_decimals() -> None:
    # 3.2, 4.1, 4.8: the mean 4.0333… plus 1.6 → 5.6333
    k = kpi(baselines=d("3.2", "4.1", "4.8"), target=D(5), criteria=d(3, 4, 5, 6, 7))
    [finding] = [f for f in plan_findings(plan_of(k), RULES) if f.rule is Rule.TARGET_BELOW_TREND]
    assert "ซึ่งคาดว่าปีนี้จะได้ 5.6333 " in finding.message_th
    assert finding.severity is Severity.INFO


@pytest.mark.parametrize(
    ("make", "baselines", "level5", "finds"),
    [
        # best yearly change 10; level 5 may ask up to 3 × 10 = 30 above the last year's 120
        (kpi, (100, 110, 120), 150, False),
        (kpi, (100, 110, 120), 151, True),
        (kpi, (100, 105, 120), 165, False),  # the best change is the 15 of the last year
        (kpi, (100, 100, 100), 101, True),  # never improved, yet level 5 asks for more
        (kpi, (100, 100, 100), 100, False),
        (kpi, (None, None, 120), 500, False),  # no year-on-year change to judge by
        (lower, (12, 11, 10), 7, False),
        (lower, (12, 11, 10), "6.9", True),
        (lower, (10, 11, 12), 11, True),  # worsening every year, level 5 asks for an improvement
    ],
)
def test_level5_unreachable(make, baselines, level5, finds) -> None:  # type: ignore[no-untyped-def]
    criteria = list(make().criteria)
    criteria[4] = D(level5)
    k = make(baselines=d(*baselines), criteria=tuple(criteria), target=None)
    assert (Rule.LEVEL5_UNREACHABLE in found(k)) is finds


@pytest.mark.parametrize(
    ("baselines", "is_new", "kind", "finds"),
    [
        ((None, None, None), False, "quantitative", True),
        ((None, None, None), True, "quantitative", False),
        ((None, None, 5), False, "quantitative", False),
        ((None, None, None), False, "milestone", False),
    ],
)
def test_baseline_missing(baselines: tuple[int | None, ...], is_new: bool, kind: str, finds: bool) -> None:
    k = kpi(baselines=d(*baselines), is_new=is_new, kind=kind)
    assert (Rule.BASELINE_MISSING in found(k)) is finds


@pytest.mark.parametrize(
    ("kind", "empty", "expected"),
    [
        ("quantitative", {}, []),
        ("quantitative", {"unit": "", "formula": "  "}, ["unit", "formula"]),
        ("quantitative", {"definition": "", "data_source": ""}, ["definition", "data_source"]),
        ("milestone", {"unit": ""}, []),
        ("milestone", {"unit": "", "definition": ""}, ["definition"]),
    ],
)
def test_field_missing(kind: str, empty: dict[str, str], expected: list[str]) -> None:
    k = kpi(kind=kind, level_descriptions=("ก", "ข", "ค", "ง", "จ"), **empty)
    weight = RULES.expected_weight
    result = [
        f.field
        for f in plan_findings(plan_of(replace(k, weight=weight)), RULES)
        if f.rule is Rule.FIELD_MISSING
    ]
    assert result == expected


@pytest.mark.parametrize(
    ("descriptions", "kind", "levels"),
    [
        (("ก", "ข", "ค", "ง", "จ"), "milestone", None),
        (("ก", "", "ค", " ", "จ"), "milestone", "2, 4"),
        (("ก", "ข", "ค", "ง", ""), "milestone", "5"),
        (("", "", "", "", ""), "quantitative", None),
    ],
)
def test_milestone_undescribed(descriptions: tuple[str, ...], kind: str, levels: str | None) -> None:
    k = kpi(kind=kind, level_descriptions=descriptions)
    result = [
        f
        for f in plan_findings(plan_of(k), replace(RULES, expected_weight=D(20)))
        if f.rule is Rule.MILESTONE_UNDESCRIBED
    ]
    assert [f.message_th.split(" ของ")[0] for f in result] == (
        [] if levels is None else [f"ยังไม่ได้อธิบายระดับ {levels}"]
    )


# --- names --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "second", "finds"),
    [
        ("ร้อยละของครัวเรือนที่ผ่านเกณฑ์ จปฐ.", "จำนวนครัวเรือนที่ผ่านเกณฑ์ จปฐ.", True),
        ("รายได้จากการท่องเที่ยวเพิ่มขึ้น", "ร้อยละที่เพิ่มขึ้นของรายได้จากการท่องเที่ยว", True),
        ("อัตราการตายของทารก", "อัตราการเกิดของทารก", False),
        ("ร้อยละของผู้ป่วยเบาหวาน", "จำนวนนักท่องเที่ยว", False),
        ("ร้อยละ", "ร้อยละ", False),  # nothing but filler words: nothing to compare
    ],
)
def test_duplicate_kpi(first: str, second: str, finds: bool) -> None:
    plan = plan_of(kpi("1.1", first, weight=D(10)), kpi("1.2", second, weight=D(10)))
    result = [(f.kpi_code, f.message_th) for f in plan_findings(plan, RULES) if f.rule is Rule.DUPLICATE_KPI]
    assert [code for code, _ in result] == (["1.2"] if finds else [])
    if finds:
        assert result[0][1].startswith(f"ชื่อตัวชี้วัดคล้ายกับตัวชี้วัดที่ 1.1 '{first}' ในแผนเดียวกัน")


def test_a_third_copy_names_only_the_first() -> None:
    name = "ร้อยละของครัวเรือนที่ผ่านเกณฑ์ จปฐ."
    plan = plan_of(*(kpi(f"1.{n}", name, weight=D(5)) for n in (1, 2, 3)), kpi("1.4", "อื่น", weight=D(5)))
    result = [
        (f.kpi_code, "1.1" in f.message_th)
        for f in plan_findings(plan, RULES)
        if f.rule is Rule.DUPLICATE_KPI
    ]
    assert result == [("1.2", True), ("1.3", True)]


@pytest.mark.parametrize(
    ("name", "finds"),
    [
        ("ระดับความสำเร็จของการพัฒนาคุณภาพการให้บริการ", True),
        ("ร้อยละของความพึงพอใจของผู้รับบริการ", True),
        ("ร้อยละของผู้ป่วยเบาหวาน", False),
    ],
)
def test_duplicates_standard(name: str, finds: bool) -> None:
    standards = ("ระดับความสำเร็จของการพัฒนาคุณภาพการให้บริการ", "ความพึงพอใจของผู้รับบริการ")
    rules = replace(
        RULES, standard_indicators=standards, standard_words=tuple(content_words(s) for s in standards)
    )
    assert (Rule.DUPLICATES_STANDARD in found(kpi(name=name), rules)) is finds


def test_without_words_the_names_are_split_at_spaces() -> None:
    rules = replace(RULES, standard_indicators=("customer satisfaction",))
    assert Rule.DUPLICATES_STANDARD in found(kpi(name="Customer Satisfaction", name_words=None), rules)


# --- one of each ------------------------------------------------------------------------------------


def planted_plan() -> PlanFacts:
    """One planted instance of every rule, each at its own KPI (or issue), everything else clean."""
    clean = {"weight": D(2)}
    kpis = (
        kpi("1.1", "จำนวนนักท่องเที่ยว", **clean),
        kpi("1.2", "ร้อยละของนักท่องเที่ยว", **clean),  # duplicate_kpi of 1.1
        kpi("1.3", "ความพึงพอใจของผู้รับบริการ", **clean),  # duplicates_standard
        kpi("1.4", "พื้นที่ป่าไม้", weight=D("0.5")),  # weight_min
        kpi("1.5", "ผลผลิตข้าว", criteria=d(125, 126, 135, 140, 145), **clean),  # criteria_uneven
        kpi("1.6", "รายได้ครัวเรือน", target=D(145), **clean),  # target_not_level3
        kpi("1.7", "ผู้สูงอายุ", target=D(115), criteria=d(95, 105, 115, 125, 135), **clean),  # below baseline
        kpi("1.8", "ผู้ป่วยเบาหวาน", target=D(125), criteria=d(105, 115, 125, 135, 145), **clean),  # below trend
        kpi("1.9", "แหล่งน้ำ", criteria=d(120, 135, 150, 165, 180), target=D(150), **clean),  # level5 (60 > 30)
        kpi("1.10", "โรงเรียน", baselines=d(None, None, None), **clean),  # baseline_missing
        kpi("1.11", "ถนน", data_source="", **clean),  # field_missing
        kpi("1.12", "ชุมชนเข้มแข็ง", kind="milestone", level_descriptions=("ก", "ข", "", "ง", "จ"), **clean),
    )
    return PlanFacts(
        issues=(
            IssueFacts("ประเด็นที่ 1", (GoalFacts("เป้าประสงค์ 1", kpis),)),
            IssueFacts("ประเด็นว่าง"),  # issue_without_kpi
        )
    )


PLANTED_RULES = CheckRules(
    expected_weight=D(100),  # weights_total: 11 × 2 + 0.5 = 22.5
    weight_min=D(1),
    kpi_min=1,
    kpi_max=10,  # kpi_count: 12 KPIs
    level5_change_ratio=D(3),
    standard_indicators=("ความพึงพอใจของผู้รับบริการ",),
    standard_words=(content_words("ความพึงพอใจของผู้รับบริการ"),),
)


def test_a_plan_with_one_planted_instance_of_every_rule_finds_each_once_at_its_kpi() -> None:
    findings = plan_findings(planted_plan(), PLANTED_RULES)

    assert Counter((f.rule, f.kpi_code) for f in findings) == Counter(
        {
            (Rule.WEIGHTS_TOTAL, ""): 1,
            (Rule.KPI_COUNT, ""): 1,
            (Rule.ISSUE_WITHOUT_KPI, ""): 1,
            (Rule.DUPLICATE_KPI, "1.2"): 1,
            (Rule.DUPLICATES_STANDARD, "1.3"): 1,
            (Rule.WEIGHT_MIN, "1.4"): 1,
            (Rule.CRITERIA_UNEVEN, "1.5"): 1,
            (Rule.TARGET_NOT_LEVEL3, "1.6"): 1,
            (Rule.TARGET_BELOW_BASELINE, "1.7"): 1,
            (Rule.TARGET_BELOW_TREND, "1.8"): 1,
            (Rule.LEVEL5_UNREACHABLE, "1.9"): 1,
            (Rule.BASELINE_MISSING, "1.10"): 1,
            (Rule.FIELD_MISSING, "1.11"): 1,
            (Rule.MILESTONE_UNDESCRIBED, "1.12"): 1,
        }
    )
    assert {f.rule for f in findings} == set(Rule)
    assert [f.kpi_uid for f in findings if f.kpi_code == "1.11"] == ["u1.11"]
    assert [f.field for f in findings if f.rule is Rule.FIELD_MISSING] == ["data_source"]
    assert all(f.severity is SEVERITIES[f.rule] for f in findings)


def test_plan_wide_findings_come_first() -> None:
    findings = plan_findings(planted_plan(), PLANTED_RULES)
    assert [f.rule for f in findings[:3]] == [Rule.WEIGHTS_TOTAL, Rule.KPI_COUNT, Rule.ISSUE_WITHOUT_KPI]


def test_every_finding_explains_itself_in_thai_and_english() -> None:
    for f in plan_findings(planted_plan(), PLANTED_RULES):
        assert isinstance(f, Finding)
        assert f.message_th and f.message_en and f.message_th != f.message_en


def test_the_severities() -> None:
    assert {r for r, s in SEVERITIES.items() if s is Severity.ERROR} == {Rule.WEIGHTS_TOTAL, Rule.KPI_COUNT}
    assert {r for r, s in SEVERITIES.items() if s is Severity.INFO} == {
        Rule.TARGET_BELOW_TREND,
        Rule.LEVEL5_UNREACHABLE,
    }


def test_the_sample_plan_of_the_demo_is_clean_but_for_four_findings() -> None:
    raw = json.loads((Path(__file__).resolve().parents[2] / "khamrap/site/data/sample_plan.json").read_text())
    kpis = [k for issue in raw["issues"] for goal in issue["goals"] for k in goal["kpis"]]
    codes = {id(k): f"1.{n}" for n, k in enumerate(kpis, start=1)}

    def facts(k: dict) -> KpiFacts:  # type: ignore[type-arg]
        described = {lv["level"]: lv["description"] for lv in k["levels"]}
        return KpiFacts(
            uid=codes[id(k)],
            code=codes[id(k)],
            name=k["name"],
            kind=k["kpi_type"],
            direction=k["direction"],
            unit=k["unit"],
            weight=None if k["weight"] is None else D(k["weight"]),
            baselines=d(*k["baselines"]),  # type: ignore[arg-type]
            target=None if k["target"] is None else D(k["target"]),
            criteria=d(*k["criteria"]),
            level_descriptions=tuple(described.get(n, "") for n in range(1, 6)),
            definition=k["definition"],
            formula=k["formula"],
            data_source=k["data_source"],
            name_words=content_words(k["name"]),
        )

    plan = PlanFacts(
        tuple(
            IssueFacts(
                i["name"], tuple(GoalFacts(g["name"], tuple(facts(k) for k in g["kpis"])) for g in i["goals"])
            )
            for i in raw["issues"]
        )
    )

    # the framework seeded for the demo: indicator 1 weighs 35, the default thresholds
    findings = plan_findings(plan, CheckRules(expected_weight=D(35), kpi_min=3, kpi_max=30, weight_min=D(1)))

    assert [(f.rule, f.kpi_code, f.field) for f in findings] == [
        (Rule.TARGET_BELOW_TREND, "1.1", ""),
        (Rule.FIELD_MISSING, "1.3", "formula"),
        (Rule.FIELD_MISSING, "1.7", "formula"),
        (Rule.TARGET_BELOW_TREND, "1.8", ""),
    ]


# --- words ------------------------------------------------------------------------------------------


def test_words_cut_thai_without_spaces_and_drop_punctuation() -> None:
    assert words("ร้อยละของครัวเรือนที่ผ่านเกณฑ์ (จปฐ.)") == ("ร้อยละ", "ของ", "ครัวเรือน", "ที่", "ผ่าน", "เกณฑ์", "จปฐ")
    assert words("สํานักงาน  KPI") == ("สำนักงาน", "kpi")  # ำ composed, Latin lowered
    assert content_words("ร้อยละของครัวเรือนที่ผ่านเกณฑ์") == frozenset({"ครัวเรือน", "ผ่าน", "เกณฑ์"})


def test_name_similarity() -> None:
    assert name_similarity("อัตราการตายของทารก", "อัตราการเกิดของทารก") == D("0.5")
    assert name_similarity("ร้อยละ", "ร้อยละ") == D(0)
    assert name_similarity("จำนวนนักท่องเที่ยว", "ร้อยละของนักท่องเที่ยว") == D(1)


@pytest.mark.parametrize(
    ("value", "shown"), [("80.0000", "80"), ("1234.5", "1,234.5"), ("0.33333", "0.3333"), ("1E+2", "100")]
)
def test_number_text(value: str, shown: str) -> None:
    assert number_text(D(value)) == shown
