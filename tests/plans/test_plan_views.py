"""The web form as people use it, and who may reach what."""

from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from khamrap.plans import editing, submission
from khamrap.plans.models import Kpi, Plan, PlanStatus
from tests.conftest import login


def _kpi(plan: Plan, code: str) -> Kpi:
    return Kpi.objects.get(plan=plan, code=code)


def _post_kpi(client, plan: Plan, kpi: Kpi, **changes: str):  # type: ignore[no-untyped-def]
    from khamrap.plans.forms import KpiForm

    data = {f"k{kpi.pk}-{k}": ("" if v is None else v) for k, v in KpiForm.initial_for(kpi).items()}
    data.update({f"k{kpi.pk}-{k}": v for k, v in changes.items()})
    return client.post(reverse("kpi-save", args=[2551, "50", kpi.pk]), data, HTTP_HX_REQUEST="true")


def test_the_officer_sees_the_plan_tree(plan: Plan, officer) -> None:  # type: ignore[no-untyped-def]
    response = login(officer).get(reverse("plan-detail", args=[2551, "50"]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "การพัฒนาเศรษฐกิจบนฐานการท่องเที่ยวเชิงวัฒนธรรม" in body
    assert "ตัวชี้วัดที่ 1.8" in body
    assert "35.00 / 35.00" in body


def test_autosave_reads_thai_digits_and_separators(plan: Plan, officer) -> None:  # type: ignore[no-untyped-def]
    kpi = _kpi(plan, "1.2")
    response = _post_kpi(login(officer), plan, kpi, target="๑๓๕,๕๐๐.๕")
    assert response.status_code == 200
    assert "บันทึกแล้ว" in response.content.decode()
    assert _kpi(plan, "1.2").target == Decimal("135500.5")


def test_autosave_keeps_what_parsed_and_names_what_did_not(plan: Plan, officer) -> None:  # type: ignore[no-untyped-def]
    kpi = _kpi(plan, "1.1")
    response = _post_kpi(login(officer), plan, kpi, target="สิบ", unit="ร้อยละต่อปี")
    body = response.content.decode()
    assert f'id="err-{kpi.pk}-target"' in body
    assert "ไม่ใช่ตัวเลข" in body
    saved = _kpi(plan, "1.1")
    assert (saved.unit, saved.target) == ("ร้อยละต่อปี", Decimal(5))


def test_autosave_explains_criteria_out_of_order(plan: Plan, officer) -> None:  # type: ignore[no-untyped-def]
    kpi = _kpi(plan, "1.5")  # lower is better: 40, 35, 30, 25, 20
    body = _post_kpi(login(officer), plan, kpi, criteria_4="31").content.decode()
    assert "เกณฑ์ระดับ 4 ต้องน้อยกว่าเกณฑ์ระดับ 3 (30) เพราะทิศทางเป็นยิ่งน้อยยิ่งดี" in body


def test_autosave_updates_the_weight_total(plan: Plan, officer) -> None:  # type: ignore[no-untyped-def]
    body = _post_kpi(login(officer), plan, _kpi(plan, "1.1"), weight="6").content.decode()
    assert 'id="weight-total"' in body and "36.00 / 35.00" in body


def test_adding_issue_goal_and_kpi(fy2551, officer) -> None:  # type: ignore[no-untyped-def]
    client = login(officer)
    client.post(reverse("issue-create", args=[2551, "50"]), {"name": "ประเด็นใหม่"})
    plan = Plan.objects.get(organisation__code="50")
    issue = plan.issues.get()
    client.post(reverse("goal-create", args=[2551, "50", issue.pk]), {"name": "เป้าประสงค์ใหม่"})
    goal = issue.goals.get()
    client.post(
        reverse("kpi-create", args=[2551, "50", goal.pk]), {"name": "ตัวชี้วัดใหม่", "kpi_type": "milestone"}
    )
    kpi = Kpi.objects.get(plan=plan)
    assert (kpi.code, kpi.name, kpi.kpi_type) == ("1.1", "ตัวชี้วัดใหม่", "milestone")


def test_milestone_levels_and_substeps_are_saved(plan: Plan, officer) -> None:  # type: ignore[no-untyped-def]
    kpi = _kpi(plan, "1.3")
    _post_kpi(login(officer), plan, kpi, level_4="ติดตามผลทุกไตรมาส", substeps_4="ไตรมาส 1\nไตรมาส 2\n")
    level = kpi.levels.get(level=4)
    assert (level.description, level.substeps) == ("ติดตามผลทุกไตรมาส", ["ไตรมาส 1", "ไตรมาส 2"])


def test_submit_then_approve_through_the_pages(plan: Plan, officer, governor, fy2551) -> None:  # type: ignore[no-untyped-def]
    from datetime import timedelta

    from django.utils import timezone

    fy2551.submission_deadline = timezone.localdate() + timedelta(days=3)
    fy2551.save()
    response = login(officer).post(reverse("plan-submit", args=[2551, "50"]), follow=True)
    assert "เสนอผู้ว่าราชการจังหวัดอนุมัติแล้ว" in response.content.decode()
    response = login(governor).post(reverse("plan-approve", args=[2551, "50"]), follow=True)
    assert "อนุมัติและส่งแบบฟอร์มถึงสำนักงาน ก.พ.ร. แล้ว" in response.content.decode()
    plan.refresh_from_db()
    assert (plan.status, plan.is_late) == (PlanStatus.SUBMITTED, False)


def test_a_refused_action_shows_a_thai_message_not_an_error_page(plan: Plan, officer) -> None:  # type: ignore[no-untyped-def]
    Kpi.objects.filter(plan=plan, code="1.1").update(target=None)
    response = login(officer).post(reverse("plan-submit", args=[2551, "50"]), follow=True)
    assert response.status_code == 200
    assert "ตัวชี้วัด 1.1: กรุณาระบุค่าเป้าหมาย" in response.content.decode()


# --- nobody sees what they should not ------------------------------------------------------------

PLAN_GETS = ["plan-detail"]
PLAN_POSTS = [
    ("issue-create", {}, {"name": "x"}),
    ("plan-submit", {}, {}),
    ("plan-approve", {}, {}),
]


@pytest.mark.parametrize("name", PLAN_GETS)
def test_another_province_cannot_see_the_plan(plan: Plan, other_officer, name: str) -> None:  # type: ignore[no-untyped-def]
    assert login(other_officer).get(reverse(name, args=[2551, "50"])).status_code == 403


@pytest.mark.parametrize(("name", "_", "data"), PLAN_POSTS)
def test_another_province_cannot_change_the_plan(plan: Plan, other_officer, name: str, _, data) -> None:  # type: ignore[no-untyped-def]
    before = (plan.issues.count(), Plan.objects.get(pk=plan.pk).status)
    response = login(other_officer).post(reverse(name, args=[2551, "50"]), data)
    assert response.status_code == 403
    assert (plan.issues.count(), Plan.objects.get(pk=plan.pk).status) == before


def test_another_province_cannot_touch_any_part_of_the_tree(plan: Plan, other_officer) -> None:  # type: ignore[no-untyped-def]
    client = login(other_officer)
    issue = plan.issues.first()
    goal = issue.goals.first()
    kpi = _kpi(plan, "1.1")
    urls = [
        reverse("issue-update", args=[2551, "50", issue.pk]),
        reverse("issue-delete", args=[2551, "50", issue.pk]),
        reverse("issue-move", args=[2551, "50", issue.pk]),
        reverse("goal-create", args=[2551, "50", issue.pk]),
        reverse("goal-update", args=[2551, "50", goal.pk]),
        reverse("goal-delete", args=[2551, "50", goal.pk]),
        reverse("goal-move", args=[2551, "50", goal.pk]),
        reverse("kpi-create", args=[2551, "50", goal.pk]),
        reverse("kpi-save", args=[2551, "50", kpi.pk]),
        reverse("kpi-delete", args=[2551, "50", kpi.pk]),
        reverse("kpi-move", args=[2551, "50", kpi.pk]),
    ]
    for url in urls:
        assert client.post(url, {"name": "ถูกแก้", "direction": "up"}).status_code == 403, url
    assert Kpi.objects.filter(plan=plan).count() == 8
    assert plan.issues.first().name == issue.name


def test_an_officer_cannot_reach_the_tree_of_another_plan_through_its_own(
    plan: Plan, other_officer, fy2551, org
) -> None:  # type: ignore[no-untyped-def]
    # Lamphun's officer uses Lamphun's URL with a Chiang Mai KPI id: not found, nothing changes.
    kpi = _kpi(plan, "1.1")
    response = login(other_officer).post(reverse("kpi-delete", args=[2551, "51", kpi.pk]))
    assert response.status_code == 404
    assert Kpi.objects.filter(pk=kpi.pk).exists()


def test_the_governor_and_opdc_may_read_but_not_edit(plan: Plan, governor, analyst) -> None:  # type: ignore[no-untyped-def]
    for user in (governor, analyst):
        client = login(user)
        body = client.get(reverse("plan-detail", args=[2551, "50"])).content.decode()
        assert "ท่านดูแบบฟอร์มนี้ได้อย่างเดียว" in body
        client.post(reverse("kpi-delete", args=[2551, "50", _kpi(plan, "1.1").pk]))
        assert Kpi.objects.filter(plan=plan).count() == 8


def test_a_viewer_sees_no_plan(plan: Plan, viewer) -> None:  # type: ignore[no-untyped-def]
    assert login(viewer).get(reverse("plan-detail", args=[2551, "50"])).status_code == 403


def test_a_cluster_officer_sees_only_its_cluster(plan: Plan, cluster_officer) -> None:  # type: ignore[no-untyped-def]
    client = login(cluster_officer)
    assert client.get(reverse("plan-detail", args=[2551, "NU1"])).status_code == 200
    assert client.get(reverse("plan-detail", args=[2551, "50"])).status_code == 403


def test_the_plan_page_query_count_does_not_grow_with_kpis(
    plan: Plan, officer, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    from khamrap.site.samples import large_plan

    client = login(officer)
    with django_assert_max_num_queries(40) as small:
        client.get(reverse("plan-detail", args=[2551, "50"]))
    editing.plan_tree_replace(plan=plan, data=large_plan(kpi_count=30), actor=officer)
    with django_assert_max_num_queries(40) as large:
        client.get(reverse("plan-detail", args=[2551, "50"]))
    assert len(large.captured_queries) == len(small.captured_queries)


# --- OPDC's tracking page ------------------------------------------------------------------------


def test_tracking_lists_every_province_and_cluster(plan: Plan, analyst) -> None:  # type: ignore[no-untyped-def]
    response = login(analyst).get(reverse("tracking", args=[2551]))
    body = response.content.decode()
    assert response.context["total"] == 93
    assert response.context["counts"]["draft"] == 1
    assert response.context["counts"]["not_started"] == 92
    assert 'data-testid="status-50">ร่าง<' in body


def test_tracking_shows_submitted_and_late(plan: Plan, officer, governor, analyst) -> None:  # type: ignore[no-untyped-def]
    from tests.plans.test_plan_services import LATE

    submission.plan_submit(plan=plan, actor=officer, when=LATE)
    submission.plan_approve(plan=plan, actor=governor, when=LATE)
    response = login(analyst).get(reverse("tracking", args=[2551]), {"status": "late"})
    assert [r.organisation.code for r in response.context["rows"]] == ["50"]


def test_tracking_filters_by_cluster(plan: Plan, analyst) -> None:  # type: ignore[no-untyped-def]
    response = login(analyst).get(reverse("tracking", args=[2551]), {"cluster": "NU1"})
    assert sorted(r.organisation.code for r in response.context["rows"]) == ["50", "51", "52", "58", "NU1"]


def test_tracking_exports_to_excel(plan: Plan, analyst, tmp_path) -> None:  # type: ignore[no-untyped-def]
    response = login(analyst).get(reverse("tracking-export", args=[2551]), {"cluster": "NU1"})
    path = tmp_path / "t.xlsx"
    path.write_bytes(response.content)
    sheet = load_workbook(path).active
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert len(rows) == 5
    chiang_mai = next(r for r in rows if r[0] == "50")
    assert chiang_mai[1:6] == ("เชียงใหม่", "จังหวัด", "ภาคเหนือตอนบน 1", "ร่าง", 8)


def test_tracking_is_for_opdc_only(plan: Plan, officer, governor, viewer) -> None:  # type: ignore[no-untyped-def]
    for user in (officer, governor, viewer):
        assert login(user).get(reverse("tracking", args=[2551])).status_code == 403
        assert login(user).get(reverse("tracking-export", args=[2551])).status_code == 403


def test_tracking_query_count_is_constant(fy2551, org, analyst, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    client = login(analyst)
    with django_assert_max_num_queries(30) as before:
        client.get(reverse("tracking", args=[2551]))
    for code in ("51", "52", "53", "NU1"):
        editing.plan_get_or_create(fiscal_year=fy2551, organisation=org(code))
    with django_assert_max_num_queries(30) as after:
        client.get(reverse("tracking", args=[2551]))
    assert len(after.captured_queries) == len(before.captured_queries)


def test_only_the_admin_closes_the_window_and_grants_extensions(fy2551, analyst, opdc_admin) -> None:  # type: ignore[no-untyped-def]
    assert login(analyst).post(reverse("submission-window", args=[2551]), {"open": "0"}).status_code == 403
    login(opdc_admin).post(reverse("submission-window", args=[2551]), {"open": "0", "confirm": "1"})
    fy2551.refresh_from_db()
    assert fy2551.submission_open is False
    assert (
        login(analyst)
        .post(reverse("extension-grant", args=[2551]), {"organisation": "50", "until": "20/10/2550"})
        .status_code
        == 403
    )
    response = login(opdc_admin).post(
        reverse("extension-grant", args=[2551]), {"organisation": "50", "until": "20/10/2550"}, follow=True
    )
    assert "ขยายเวลาให้เชียงใหม่ถึง 20 ต.ค. 2550 แล้ว" in response.content.decode()
