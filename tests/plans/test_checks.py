"""The appropriateness checks of stored plans: the adapter, the year's findings in a fixed number of
queries, the plan page showing them to whoever may view the plan, and ``khamrap check_plans``."""

import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from khamrap.accounts.models import Role
from khamrap.frameworks.models import Framework, FrameworkIndicator
from khamrap.plans.checks import check_rules_for, plan_findings_of, plans_findings
from khamrap.plans.models import Kpi, Plan
from khamrap.scoring.checks import Rule, Severity
from tests.conftest import login
from tests.factories import PlanFactory

# What the demo's sample plan yields under the seeded FY2551 province framework.
SAMPLE_FINDINGS = [
    (Rule.TARGET_BELOW_TREND, "1.1", ""),
    (Rule.FIELD_MISSING, "1.3", "formula"),
    (Rule.FIELD_MISSING, "1.7", "formula"),
    (Rule.TARGET_BELOW_TREND, "1.8", ""),
]


def test_the_sample_plan_yields_four_findings_none_an_error(plan: Plan) -> None:
    findings = plan_findings_of(plan)

    assert [(f.rule, f.kpi_code, f.field) for f in findings] == SAMPLE_FINDINGS
    assert {f.severity for f in findings} == {Severity.INFO, Severity.WARNING}
    kpi = Kpi.objects.get(plan=plan, code="1.1")
    assert findings[0].kpi_uid == str(kpi.uid)


def test_the_rules_come_from_the_framework(plan: Plan) -> None:
    # given
    framework = Framework.objects.get(fiscal_year=plan.fiscal_year, organisation_kind=plan.organisation.kind)
    Framework.objects.filter(pk=framework.pk).update(kpi_count_max=5, level5_change_ratio=Decimal("2.5"))
    plan_indicator = FrameworkIndicator.objects.get(framework=framework, is_plan_indicator=True)
    standards = list(
        FrameworkIndicator.objects.filter(framework=framework, is_plan_indicator=False).values_list(
            "name_th", flat=True
        )
    )

    # when
    rules = check_rules_for(fiscal_year=plan.fiscal_year, organisation=plan.organisation)
    findings = plan_findings_of(Plan.objects.get(pk=plan.pk))

    # then
    assert (rules.kpi_max, rules.level5_change_ratio, rules.expected_weight) == (
        5,
        Decimal("2.5"),
        plan_indicator.weight,
    )
    assert rules.standard_indicators == tuple(standards)
    assert findings[0].rule is Rule.KPI_COUNT


def test_a_new_kpi_without_baseline_is_no_finding_and_is_still_submittable(plan: Plan) -> None:
    from khamrap.plans.schema import kpi_problems
    from khamrap.plans.selectors import kpi_data

    Kpi.objects.filter(plan=plan, code="1.2").update(baseline_1=None, baseline_2=None, baseline_3=None)
    missing = [(f.rule, f.kpi_code) for f in plan_findings_of(plan) if f.rule is Rule.BASELINE_MISSING]
    Kpi.objects.filter(plan=plan, code="1.2").update(is_new=True)
    kpi = Kpi.objects.get(plan=plan, code="1.2")

    assert missing == [(Rule.BASELINE_MISSING, "1.2")]
    assert [f.rule for f in plan_findings_of(plan) if f.kpi_code == "1.2"] == []
    assert kpi_problems(kpi_data(kpi, [])) == []


def planted(fy2551, org, make_user, code: str) -> Plan:  # type: ignore[no-untyped-def]
    officer = make_user(f"officer_{code}", Role.PROVINCE_OFFICER, code)
    return PlanFactory(fiscal_year=fy2551, organisation=org(code), tree__actor=officer)  # type: ignore[no-any-return]


def test_the_years_findings_cost_seven_queries_however_many_plans(
    fy2551, org, make_user, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    # given
    for code in ("50", "51"):
        planted(fy2551, org, make_user, code)
    with django_assert_num_queries(7):
        two = plans_findings(fiscal_year=fy2551)
    for code in ("52", "53", "54"):
        planted(fy2551, org, make_user, code)

    # when / then
    with django_assert_num_queries(7):
        five = plans_findings(fiscal_year=fy2551)
    assert len(two) == 2 and len(five) == 5
    assert all([(f.rule, f.kpi_code, f.field) for f in found] == SAMPLE_FINDINGS for found in five.values())
    only = plans_findings(fiscal_year=fy2551, organisations=[org("51")])
    assert list(only) == [Plan.objects.get(organisation__code="51").pk]


# --- the plan page -----------------------------------------------------------------------------------


def test_the_plan_page_shows_the_findings_beside_each_kpi(plan: Plan, officer) -> None:  # type: ignore[no-untyped-def]
    light = Kpi.objects.get(plan=plan, code="1.2")
    Kpi.objects.filter(pk=light.pk).update(weight=Decimal("0.5"))  # one KPI too light, the total short
    total = (Decimal(35) - light.weight + Decimal("0.5")).normalize()  # type: ignore[operator]

    body = login(officer).get(reverse("plan-detail", args=[2551, "50"])).content.decode()

    assert "ผลการตรวจความเหมาะสมอัตโนมัติ" in body
    assert 'data-testid="plan-wide-findings"' in body
    assert f"น้ำหนักของตัวชี้วัดย่อยรวมกันได้ {total:f} แต่กรอบการประเมินผลกำหนดน้ำหนักตัวชี้วัดที่ 1 ไว้ 35 " in body
    assert total == Decimal("31.5")
    kpi = Kpi.objects.get(plan=plan, code="1.2")
    article = body[body.index(f'id="kpi-{kpi.pk}"') :]
    article = article[: article.index("</h4>") + 400]
    assert "น้ำหนัก 0.5 ต่ำกว่าน้ำหนักขั้นต่ำ 1 ที่กรอบการประเมินผลกำหนด" in article
    assert body.count('data-rule="field_missing"') == 2
    assert body.count('data-testid="kpi-findings"') == 5  # 1.1, 1.2, 1.3, 1.7 and 1.8


def test_an_autosave_sends_the_findings_of_the_plan_as_saved(plan: Plan, officer) -> None:  # type: ignore[no-untyped-def]
    kpi = Kpi.objects.get(plan=plan, code="1.1")  # target 5, under its baseline trend (5.6333)
    response = login(officer).post(
        reverse("kpi-save", args=[2551, "50", kpi.pk]), {f"k{kpi.pk}-target": "6"}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    block = body[body.index(f'<div id="kpi-{kpi.pk}-findings" hx-swap-oob="true">') :]
    block = block[: block.index("</div>")]
    assert 'data-rule="target_below_trend"' not in block
    assert 'data-rule="target_not_level3"' in block  # 6 is not the level-3 criterion (5)
    assert body.count('hx-swap-oob="true">') >= 8 + 1  # every KPI's findings and the plan's


def test_the_plan_page_shows_findings_in_english(plan: Plan, officer) -> None:  # type: ignore[no-untyped-def]
    client = login(officer)
    client.cookies["django_language"] = "en"

    body = client.get(reverse("plan-detail", args=[2551, "50"])).content.decode()

    assert (
        "The formula is empty; evaluators need it to read and verify the KPI&#x27;s result the same way"
        in body
    )


@pytest.mark.parametrize("who", ["analyst", "opdc_admin", "governor"])
def test_whoever_may_view_the_plan_sees_its_findings(plan: Plan, who: str, request) -> None:  # type: ignore[no-untyped-def]
    response = login(request.getfixturevalue(who)).get(reverse("plan-detail", args=[2551, "50"]))
    assert response.status_code == 200
    assert 'data-rule="target_below_trend"' in response.content.decode()


@pytest.mark.parametrize("who", ["other_officer", "viewer"])
def test_who_may_not_view_the_plan_sees_neither_it_nor_its_findings(plan: Plan, who: str, request) -> None:  # type: ignore[no-untyped-def]
    response = login(request.getfixturevalue(who)).get(reverse("plan-detail", args=[2551, "50"]))
    assert response.status_code in (403, 404)
    assert "data-rule" not in response.content.decode()


def test_a_stranger_is_sent_to_sign_in(plan: Plan, client) -> None:  # type: ignore[no-untyped-def]
    response = client.get(reverse("plan-detail", args=[2551, "50"]))
    assert response.status_code == 302
    assert "data-rule" not in response.content.decode()


# --- khamrap check_plans ---------------------------------------------------------------------------


def test_check_plans_prints_every_finding(plan: Plan) -> None:
    out = io.StringIO()

    call_command("check_plans", "--year", "2551", stdout=out)

    lines = [line.split("\t") for line in out.getvalue().splitlines()]
    assert [line[:4] for line in lines] == [
        ["50", "1.1", "target_below_trend", "info"],
        ["50", "1.3", "field_missing", "warning"],
        ["50", "1.7", "field_missing", "warning"],
        ["50", "1.8", "target_below_trend", "info"],
    ]
    assert lines[1][4].startswith("ยังไม่ได้ระบุสูตรการคำนวณ ")


def test_check_plans_as_json(plan: Plan, fy2551, org, make_user) -> None:  # type: ignore[no-untyped-def]
    planted(fy2551, org, make_user, "51")
    out = io.StringIO()

    call_command("check_plans", "--year", "2551", "--org", "50", "--json", stdout=out)

    rows = json.loads(out.getvalue())
    kpi = Kpi.objects.get(plan=plan, code="1.3")
    assert rows[1] == {
        "org": "50",
        "kpi_uid": str(kpi.uid),
        "kpi_code": "1.3",
        "rule": "field_missing",
        "severity": "warning",
        "message_th": "ยังไม่ได้ระบุสูตรการคำนวณ ผู้ประเมินต้องใช้ข้อมูลนี้เพื่อเข้าใจและตรวจผลของตัวชี้วัดให้ตรงกัน",
        "message_en": "The formula is empty; evaluators need it to read and verify the KPI's result the same way",
        "issue": "",
        "field": "formula",
    }
    assert [(r["org"], r["kpi_code"]) for r in rows] == [
        ("50", "1.1"),
        ("50", "1.3"),
        ("50", "1.7"),
        ("50", "1.8"),
    ]


def test_check_plans_of_a_year_without_plans_prints_an_empty_list(fy2551) -> None:  # type: ignore[no-untyped-def]
    out = io.StringIO()
    call_command("check_plans", "--year", "2551", "--json", stdout=out)
    assert json.loads(out.getvalue()) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--year", "2599"], "ไม่พบปีงบประมาณ พ.ศ. 2599 ในระบบ / No fiscal year 2599"),
        (["--year", "2551", "--org", "99"], "ไม่พบหน่วยงานรหัส '99' / No organisation with code '99'"),
    ],
)
def test_check_plans_refuses_bad_arguments_with_exit_status_2(fy2551, args: list[str], message: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CommandError) as caught:
        call_command("check_plans", *args, stdout=io.StringIO())

    assert caught.value.returncode == 2
    assert str(caught.value) == message


def test_the_framework_refuses_a_kpi_count_minimum_above_its_maximum(plan: Plan) -> None:
    from django.core.exceptions import ValidationError

    framework = Framework.objects.get(fiscal_year=plan.fiscal_year, organisation_kind=plan.organisation.kind)
    framework.kpi_count_min, framework.kpi_count_max = 12, 10
    with pytest.raises(ValidationError) as refused:
        framework.full_clean()
    assert refused.value.message_dict["kpi_count_max"] == ["จำนวนตัวชี้วัดย่อยขั้นสูงต้องไม่น้อยกว่าขั้นต่ำ (12)"]
