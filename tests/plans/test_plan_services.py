"""The plan's life: the tree, submission by the deadline, approval, return for revision."""

from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from khamrap.core.errors import DomainError
from khamrap.plans import editing, submission
from khamrap.plans.models import (
    Goal,
    Kpi,
    MilestoneLevel,
    Plan,
    PlanEvent,
    PlanEventKind,
    PlanSnapshot,
    PlanStatus,
)
from khamrap.plans.selectors import plan_tree
from khamrap.tracking import services as tracking_services

BKK = ZoneInfo("Asia/Bangkok")
ON_TIME = datetime(2007, 10, 15, 23, 59, tzinfo=BKK)
LATE = datetime(2007, 10, 16, 0, 1, tzinfo=BKK)


def test_tree_replace_numbers_kpis_in_tree_order(plan: Plan) -> None:
    codes = list(Kpi.objects.filter(plan=plan).order_by("position").values_list("code", flat=True))
    assert codes == ["1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "1.7", "1.8"]


def test_tree_replace_of_the_same_data_writes_nothing(plan: Plan, officer) -> None:  # type: ignore[no-untyped-def]
    revision = Plan.objects.get(pk=plan.pk).revision
    assert editing.plan_tree_replace(plan=plan, data=plan_tree(plan), actor=officer) is False
    assert Plan.objects.get(pk=plan.pk).revision == revision


def test_tree_replace_keeps_kpi_identity(plan: Plan, officer) -> None:  # type: ignore[no-untyped-def]
    # given a tree whose second KPI's target changed and whose first KPI was removed
    tree = plan_tree(plan)
    first_goal = tree.issues[0].goals[0]
    changed = replace(first_goal.kpis[1], target=Decimal("136000"))
    kept_uid = changed.uid
    removed_uid = first_goal.kpis[0].uid
    issue = replace(tree.issues[0], goals=(replace(first_goal, kpis=(changed, first_goal.kpis[2])),))
    # when
    editing.plan_tree_replace(plan=plan, data=replace(tree, issues=(issue, *tree.issues[1:])), actor=officer)
    # then the same KPI row carries the new target and the new code; the removed one is gone
    kpi = Kpi.objects.get(uid=kept_uid)
    assert (kpi.target, kpi.code) == (Decimal("136000"), "1.1")
    assert not Kpi.objects.filter(uid=removed_uid).exists()
    assert Kpi.objects.filter(plan=plan).count() == 7


def test_another_provinces_officer_cannot_write_the_tree(plan: Plan, other_officer) -> None:  # type: ignore[no-untyped-def]
    before = plan_tree(plan)
    with pytest.raises(DomainError, match=r"^ท่านไม่มีสิทธิ์แก้ไขแบบฟอร์มของหน่วยงานนี้$"):
        editing.plan_tree_replace(plan=plan, data=replace(plan_tree(plan), issues=()), actor=other_officer)
    assert plan_tree(Plan.objects.get(pk=plan.pk)) == before


def test_submission_goes_to_the_governor_first(plan: Plan, officer) -> None:  # type: ignore[no-untyped-def]
    plan = submission.plan_submit(plan=plan, actor=officer, when=ON_TIME)
    assert plan.status == PlanStatus.AWAITING_APPROVAL
    assert plan.submitted_at is None


def test_approval_on_deadline_day_is_on_time(plan: Plan, officer, governor) -> None:  # type: ignore[no-untyped-def]
    submission.plan_submit(plan=plan, actor=officer, when=ON_TIME)
    plan = submission.plan_approve(plan=plan, actor=governor, when=ON_TIME)
    assert (plan.status, plan.is_late, plan.submitted_at) == (PlanStatus.SUBMITTED, False, ON_TIME)
    assert PlanSnapshot.objects.filter(plan=plan, version=1).count() == 1


def test_approval_after_the_deadline_is_late(plan: Plan, officer, governor) -> None:  # type: ignore[no-untyped-def]
    submission.plan_submit(plan=plan, actor=officer, when=ON_TIME)
    plan = submission.plan_approve(plan=plan, actor=governor, when=LATE)
    assert (plan.status, plan.is_late) == (PlanStatus.SUBMITTED, True)


def test_without_required_approval_the_officer_submits_directly(plan: Plan, officer, fy2551) -> None:  # type: ignore[no-untyped-def]
    fy2551.frameworks.update(requires_executive_approval=False)
    plan = submission.plan_submit(plan=plan, actor=officer, when=LATE)
    assert (plan.status, plan.is_late) == (PlanStatus.SUBMITTED, True)


def test_an_extension_moves_the_deadline(plan: Plan, officer, governor, opdc_admin, fy2551, org) -> None:  # type: ignore[no-untyped-def]
    tracking_services.extension_grant(
        fiscal_year=fy2551, organisation=org("50"), until=date(2007, 10, 20), reason="น้ำท่วม", actor=opdc_admin
    )
    submission.plan_submit(plan=plan, actor=officer, when=LATE)
    plan = submission.plan_approve(plan=plan, actor=governor, when=LATE)
    assert plan.is_late is False


def test_a_closed_window_refuses_submission_unless_extended(
    plan: Plan, officer, opdc_admin, fy2551, org
) -> None:  # type: ignore[no-untyped-def]
    tracking_services.submission_window_set(
        fiscal_year=fy2551, is_open=False, actor=opdc_admin, confirmed=True
    )
    plan.fiscal_year.refresh_from_db()
    with pytest.raises(DomainError, match="ปิดรับแบบฟอร์ม"):
        submission.plan_submit(plan=plan, actor=officer, when=LATE)
    assert Plan.objects.get(pk=plan.pk).status == PlanStatus.DRAFT
    tracking_services.extension_grant(
        fiscal_year=fy2551, organisation=org("50"), until=date(2007, 10, 20), reason="", actor=opdc_admin
    )
    assert submission.plan_submit(plan=plan, actor=officer, when=LATE).status == PlanStatus.AWAITING_APPROVAL


def test_an_incomplete_plan_cannot_be_submitted(plan: Plan, officer) -> None:  # type: ignore[no-untyped-def]
    Kpi.objects.filter(plan=plan, code="1.1").update(criteria_3=Decimal(1))
    with pytest.raises(DomainError) as caught:
        submission.plan_submit(plan=plan, actor=officer, when=ON_TIME)
    assert "ตัวชี้วัด 1.1: เกณฑ์ระดับ 3 ต้องมากกว่าเกณฑ์ระดับ 2 (4)" in caught.value.message_th
    assert Plan.objects.get(pk=plan.pk).status == PlanStatus.DRAFT


def test_weights_must_add_up_to_indicator_one(plan: Plan, officer) -> None:  # type: ignore[no-untyped-def]
    Kpi.objects.filter(plan=plan, code="1.1").update(weight=Decimal(6))
    assert submission.submission_problems(plan) == [
        "น้ำหนักของตัวชี้วัดย่อยรวมกันได้ 36 แต่ต้องเท่ากับ 35 ตามกรอบการประเมินผล"
    ]


def test_a_submitted_plan_is_read_only_until_returned(plan: Plan, officer, governor, analyst) -> None:  # type: ignore[no-untyped-def]
    submission.plan_submit(plan=plan, actor=officer, when=ON_TIME)
    plan = submission.plan_approve(plan=plan, actor=governor, when=ON_TIME)
    kpi = Kpi.objects.get(plan=plan, code="1.1")
    with pytest.raises(DomainError, match="แก้ไขไม่ได้"):
        editing.kpi_update(kpi=kpi, actor=officer, values={"target": Decimal(9)}, levels={})
    assert Kpi.objects.get(pk=kpi.pk).target == Decimal(5)
    # OPDC returns it: editable again, as version 2; the resubmission is not late and keeps the first time
    plan = submission.plan_return(plan=plan, actor=analyst, note="ปรับเกณฑ์ตัวชี้วัด 1.1")
    assert (plan.status, plan.version, plan.is_editable) == (PlanStatus.RETURNED, 2, True)
    editing.kpi_update(kpi=kpi, actor=officer, values={"target": Decimal("5.5")}, levels={})
    submission.plan_submit(plan=plan, actor=officer, when=LATE)
    plan = submission.plan_approve(plan=plan, actor=governor, when=LATE)
    assert (plan.status, plan.is_late, plan.submitted_at) == (PlanStatus.RESUBMITTED, False, ON_TIME)


def test_an_autosave_read_before_a_deletion_does_not_bring_the_kpi_back(plan: Plan, officer) -> None:  # type: ignore[no-untyped-def]
    # given a tab that read KPI 1.2 before another tab deleted it
    stale = Kpi.objects.get(plan=plan, code="1.2")
    editing.kpi_delete(kpi=Kpi.objects.get(pk=stale.pk), actor=officer)
    # when the first tab autosaves it, it is told so
    with pytest.raises(DomainError, match="ตัวชี้วัดนี้ถูกลบไปแล้ว"):
        editing.kpi_update(kpi=stale, actor=officer, values={"target": Decimal(9)}, levels={})
    # and the KPI stays deleted
    assert not Kpi.objects.filter(pk=stale.pk).exists()


def test_an_autosave_read_before_a_renumbering_keeps_the_new_number(plan: Plan, officer) -> None:  # type: ignore[no-untyped-def]
    # given a tab that read KPI 1.3 before another tab deleted 1.1 (so 1.3 became 1.2)
    stale = Kpi.objects.get(plan=plan, code="1.3")
    editing.kpi_delete(kpi=Kpi.objects.get(plan=plan, code="1.1"), actor=officer)
    # when the first tab autosaves it
    editing.kpi_update(kpi=stale, actor=officer, values={"remarks": "แก้หมายเหตุ"}, levels={})
    # then the remark is saved and the numbering is not undone
    saved = Kpi.objects.get(pk=stale.pk)
    assert (saved.code, saved.remarks) == ("1.2", "แก้หมายเหตุ")
    codes = list(Kpi.objects.filter(plan=plan).order_by("position").values_list("code", flat=True))
    assert codes == ["1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "1.7"]


def test_only_the_own_governor_approves(plan: Plan, officer, make_user) -> None:  # type: ignore[no-untyped-def]
    from khamrap.accounts.models import Role

    lamphun_governor = make_user("lp_governor", Role.EXECUTIVE, "51")
    submission.plan_submit(plan=plan, actor=officer, when=ON_TIME)
    only_the_governor = r"^เฉพาะผู้ว่าราชการจังหวัดของหน่วยงานนี้อนุมัติหรือส่งกลับได้$"
    with pytest.raises(DomainError, match=only_the_governor):
        submission.plan_approve(plan=plan, actor=lamphun_governor, when=ON_TIME)
    with pytest.raises(DomainError, match=only_the_governor):
        submission.plan_approve(plan=plan, actor=officer, when=ON_TIME)
    assert Plan.objects.get(pk=plan.pk).status == PlanStatus.AWAITING_APPROVAL
    assert not PlanEvent.objects.filter(plan=plan, kind=PlanEventKind.APPROVED).exists()


def test_moving_a_kpi_renumbers_codes(plan: Plan, officer) -> None:  # type: ignore[no-untyped-def]
    second = Kpi.objects.get(plan=plan, code="1.2")
    editing.kpi_move(kpi=second, actor=officer, offset=-1)
    assert Kpi.objects.get(pk=second.pk).code == "1.1"
    editing.kpi_delete(kpi=Kpi.objects.get(plan=plan, code="1.1"), actor=officer)
    assert sorted(Kpi.objects.filter(plan=plan).values_list("code", flat=True)) == [
        f"1.{n}" for n in range(1, 8)
    ]


def test_tree_replace_keeps_issue_and_goal_rows_and_rewrites_only_what_changed(plan: Plan, officer) -> None:  # type: ignore[no-untyped-def]
    # given the stored tree, with a renamed issue, a new milestone description and one target changed
    issue_ids = list(plan.issues.order_by("position").values_list("pk", flat=True))
    goal_ids = sorted(Goal.objects.filter(issue__plan=plan).values_list("pk", flat=True))
    tree = plan_tree(plan)
    first_issue = tree.issues[0]
    goal = first_issue.goals[0]
    milestone = goal.kpis[2]
    levels = (
        *milestone.levels[:2],
        replace(milestone.levels[2], description="ดำเนินการครบทุกอำเภอ"),
        *milestone.levels[3:],
    )
    kpis = (replace(goal.kpis[0], target=Decimal("5.5")), goal.kpis[1], replace(milestone, levels=levels))
    changed = replace(first_issue, name="ประเด็นที่เปลี่ยนชื่อ", goals=(replace(goal, kpis=kpis),))
    untouched_level_ids = set(
        MilestoneLevel.objects.filter(kpi__code="1.7", kpi__plan=plan).values_list("pk", flat=True)
    )
    # when
    editing.plan_tree_replace(
        plan=plan, data=replace(tree, issues=(changed, *tree.issues[1:])), actor=officer
    )
    # then the rows keep their ids, the values are new, the other milestone's levels were not rewritten
    assert list(plan.issues.order_by("position").values_list("pk", flat=True)) == issue_ids
    assert sorted(Goal.objects.filter(issue__plan=plan).values_list("pk", flat=True)) == goal_ids
    assert plan.issues.get(pk=issue_ids[0]).name == "ประเด็นที่เปลี่ยนชื่อ"
    assert Kpi.objects.get(plan=plan, code="1.1").target == Decimal("5.5")
    assert (
        MilestoneLevel.objects.get(kpi__plan=plan, kpi__code="1.3", level=3).description
        == "ดำเนินการครบทุกอำเภอ"
    )
    assert (
        set(MilestoneLevel.objects.filter(kpi__code="1.7", kpi__plan=plan).values_list("pk", flat=True))
        == untouched_level_ids
    )


def test_tree_replace_moves_a_kpi_between_goals_and_drops_empty_ones(plan: Plan, officer) -> None:  # type: ignore[no-untyped-def]
    # given: the last issue's two goals merged into one, the first issue dropped
    tree = plan_tree(plan)
    last = tree.issues[2]
    merged = replace(last, goals=(replace(last.goals[0], kpis=(*last.goals[0].kpis, *last.goals[1].kpis)),))
    editing.plan_tree_replace(plan=plan, data=replace(tree, issues=(tree.issues[1], merged)), actor=officer)
    # then codes follow the new order and the stored tree is exactly the data
    stored = plan_tree(plan)
    assert [k.code for k in stored.kpis()] == ["1.1", "1.2", "1.3", "1.4", "1.5"]
    assert [k.uid for k in stored.kpis()] == [
        k.uid for k in (*tree.issues[1].goals[0].kpis, *merged.goals[0].kpis)
    ]
    assert (plan.issues.count(), Goal.objects.filter(issue__plan=plan).count()) == (2, 2)
    assert not editing.plan_tree_replace(
        plan=plan, data=replace(tree, issues=(tree.issues[1], merged)), actor=officer
    )


def test_moving_an_issue_or_goal_renumbers_the_kpis_under_it(plan: Plan, officer) -> None:  # type: ignore[no-untyped-def]
    last_issue = plan.issues.order_by("position").last()
    editing.issue_move(issue=last_issue, actor=officer, offset=-1)
    assert [i.name for i in plan_tree(plan).issues][1] == last_issue.name
    assert Kpi.objects.get(plan=plan, name="อัตราการเกิดอุบัติเหตุทางถนนต่อประชากรแสนคน").code == "1.4"
    second_goal = last_issue.goals.order_by("position").last()
    editing.goal_move(goal=second_goal, actor=officer, offset=-1)
    assert Kpi.objects.get(plan=plan, name="ร้อยละของครัวเรือนที่ผ่านเกณฑ์ จปฐ.").code == "1.5"
    editing.goal_move(goal=second_goal, actor=officer, offset=-1)  # already first: nothing moves
    assert Kpi.objects.get(plan=plan, name="ร้อยละของครัวเรือนที่ผ่านเกณฑ์ จปฐ.").code == "1.5"
