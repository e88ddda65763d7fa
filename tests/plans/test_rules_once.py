"""Rules said once: the importer records the real actor, reading never writes, snapshots read back and
compare, refusals change nothing."""

import io
from dataclasses import replace
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from khamrap.core.errors import DomainError
from khamrap.plans import editing, submission
from khamrap.plans.diff import plan_diff
from khamrap.plans.models import Plan, PlanEvent, PlanEventKind, PlanSnapshot
from khamrap.plans.selectors import plan_tree
from khamrap.plans.snapshots import plan_from_json, plan_to_json, snapshot_tree
from khamrap.site.samples import sample_plan
from khamrap.workbook.importer import WorkbookImporter
from khamrap.workbook.layout import SHEET_FORM
from khamrap.workbook.writer import workbook_export
from tests.conftest import login


def _with_target(plan: Plan, value: object) -> bytes:
    book = load_workbook(io.BytesIO(workbook_export(plan=plan)))
    book[SHEET_FORM]["L3"] = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_an_administrators_import_is_recorded_with_the_administrator(plan: Plan, opdc_admin) -> None:  # type: ignore[no-untyped-def]
    importer = WorkbookImporter(plan=plan, data=_with_target(plan, 6), filename="disk.xlsx", actor=opdc_admin)

    validation = importer.validate()
    upload = importer.apply(validation)

    assert [(c.code, [f.field for f in c.fields]) for c in validation.diff.changed] == [("1.1", ["target"])]
    assert upload.status == "accepted"
    event = PlanEvent.objects.filter(plan=plan, kind=PlanEventKind.IMPORTED).latest("pk")
    assert event.actor == opdc_admin


def test_validation_writes_nothing(plan: Plan, officer) -> None:  # type: ignore[no-untyped-def]
    before = (plan_tree(plan), Plan.objects.get(pk=plan.pk).revision)

    WorkbookImporter(plan=plan, data=_with_target(plan, 6), filename="d.xlsx", actor=officer).validate()

    assert (plan_tree(plan), Plan.objects.get(pk=plan.pk).revision) == before


def test_another_provinces_officer_may_not_import(plan: Plan, other_officer) -> None:  # type: ignore[no-untyped-def]
    before = plan_tree(plan)
    importer = WorkbookImporter(plan=plan, data=_with_target(plan, 6), filename="d.xlsx", actor=other_officer)

    upload = importer.apply(importer.validate())

    assert upload.status == "refused"
    assert upload.problems[0]["message_th"] == "ท่านไม่มีสิทธิ์แก้ไขแบบฟอร์มของหน่วยงานนี้"
    assert plan_tree(Plan.objects.get(pk=plan.pk)) == before


def test_opening_a_plan_page_stores_no_plan(fy2551, make_user) -> None:  # type: ignore[no-untyped-def]
    from khamrap.accounts.models import Role

    officer = make_user("lp", Role.PROVINCE_OFFICER, "51")
    client = login(officer)

    for name in ("plan-detail", "plan-workbook", "plan-attachments"):
        assert client.get(reverse(name, args=[2551, "51"])).status_code == 200

    assert not Plan.objects.filter(organisation__code="51").exists()


def test_the_first_change_stores_the_plan(fy2551, make_user) -> None:  # type: ignore[no-untyped-def]
    from khamrap.accounts.models import Role

    officer = make_user("lp", Role.PROVINCE_OFFICER, "51")
    login(officer).post(reverse("issue-create", args=[2551, "51"]), {"name": "ประเด็นแรก"})

    assert Plan.objects.get(organisation__code="51").issues.get().name == "ประเด็นแรก"


def _send(plan: Plan, officer, governor) -> None:  # type: ignore[no-untyped-def]
    """The officer submits and the governor approves (the FY2551 framework asks for approval)."""
    submission.plan_submit(plan=Plan.objects.get(pk=plan.pk), actor=officer)
    submission.plan_approve(plan=Plan.objects.get(pk=plan.pk), actor=governor)


def test_a_snapshot_reads_back_as_the_tree_it_was(plan: Plan, officer, governor) -> None:  # type: ignore[no-untyped-def]
    _send(plan, officer, governor)

    snapshot = PlanSnapshot.objects.get(plan=plan)

    assert snapshot_tree(snapshot) == plan_tree(plan)
    assert plan_from_json(plan_to_json(sample_plan())) == sample_plan()


def test_two_versions_compare_by_kpi_identity(plan: Plan, officer, governor, analyst) -> None:  # type: ignore[no-untyped-def]
    _send(plan, officer, governor)
    submission.plan_return(plan=plan, actor=analyst, note="ปรับค่าเป้าหมาย 1.1")
    tree = plan_tree(plan)
    first = tree.issues[0].goals[0].kpis[0]
    goal = tree.issues[0].goals[0]
    goal = replace(goal, kpis=(*goal.kpis[1:], replace(first, target=Decimal(6))))  # 1.1 moves last, 6
    moved = replace(tree.issues[0], goals=(goal,))
    editing.plan_tree_replace(plan=plan, data=replace(tree, issues=(moved, *tree.issues[1:])), actor=officer)
    _send(plan, officer, governor)

    v1, v2 = (snapshot_tree(s) for s in PlanSnapshot.objects.filter(plan=plan).order_by("version"))
    diff = plan_diff(v1, v2)

    assert diff.order_changed and not diff.added and not diff.removed
    assert [(c.name, [(f.field, f.old, f.new) for f in c.fields]) for c in diff.changed] == [
        (first.name, [("target", "5", "6")])
    ]


def test_a_refused_return_changes_nothing(plan: Plan, officer, governor) -> None:  # type: ignore[no-untyped-def]
    _send(plan, officer, governor)
    before = Plan.objects.values("status", "version", "revision").get(pk=plan.pk)

    with pytest.raises(DomainError, match=r"^เฉพาะเจ้าหน้าที่สำนักงาน ก\.พ\.ร\.$"):
        submission.plan_return(plan=plan, actor=officer, note="x")

    assert Plan.objects.values("status", "version", "revision").get(pk=plan.pk) == before
    assert not PlanEvent.objects.filter(plan=plan, kind=PlanEventKind.RETURNED).exists()


def test_apply_validates_again_when_the_plan_moved_after_validation(plan: Plan, officer) -> None:  # type: ignore[no-untyped-def]
    importer = WorkbookImporter(plan=plan, data=_with_target(plan, 6), filename="d.xlsx", actor=officer)
    validation = importer.validate()
    kpi = plan.kpis.get(code="1.2")
    editing.kpi_update(kpi=kpi, actor=officer, values={"remarks": "แก้บนเว็บหลังดาวน์โหลด"}, levels={})

    upload = importer.apply(validation)

    assert upload.status == "accepted"
    assert upload.summary["warnings"][-1]["message_th"].startswith("แบบฟอร์มในระบบมีการแก้ไขหลังจากดาวน์โหลดไฟล์นี้")
    changed = {c["code"]: [f["field"] for f in c["fields"]] for c in upload.summary["changed"]}
    assert changed == {"1.1": ["target"], "1.2": ["remarks"]}


def test_every_change_is_in_the_history_with_its_channel(plan: Plan, officer) -> None:  # type: ignore[no-untyped-def]
    kpi = plan.kpis.get(code="1.1")
    editing.kpi_update(kpi=kpi, actor=officer, values={"target": Decimal("5.5"), "unit": "ร้อยละ"}, levels={})
    WorkbookImporter(plan=plan, data=_with_target(plan, 7), filename="d.xlsx", actor=officer).run()

    web, workbook = PlanEvent.objects.filter(plan=plan).order_by("-pk")[:2][::-1]

    assert (web.kind, web.channel, web.actor) == ("edited", "web", officer)
    assert web.changes == [{"kpi": str(kpi.uid), "code": "1.1", "field": "target", "old": "5", "new": "5.5"}]
    assert (workbook.kind, workbook.channel) == ("imported", "workbook")
    assert workbook.changes == [
        {"kpi": str(kpi.uid), "code": "1.1", "field": "target", "old": "5.5", "new": "7"}
    ]
    assert workbook.revision == Plan.objects.get(pk=plan.pk).revision == web.revision + 1


def test_a_second_tab_cannot_overwrite_a_field_changed_since_it_read_the_page(plan: Plan, officer) -> None:  # type: ignore[no-untyped-def]
    kpi = plan.kpis.get(code="1.1")
    read_at = Plan.objects.get(pk=plan.pk).revision
    # the first tab saves a new target
    editing.kpi_update(
        kpi=kpi, actor=officer, values={"target": Decimal(6)}, levels={}, base_revision=read_at
    )

    # the second tab, read at the same revision, changes the target and the unit
    saved = editing.kpi_update(
        kpi=kpi,
        actor=officer,
        values={"target": Decimal(7), "unit": "คน", "formula": kpi.formula},
        levels={},
        base_revision=read_at,
    )

    assert [(c.field, c.theirs, c.mine) for c in saved.conflicts] == [("target", "6", "7")]
    stored = plan.kpis.get(code="1.1")
    assert (stored.target, stored.unit) == (Decimal(6), "คน")


def test_a_stale_page_gets_the_newer_value_of_a_field_it_did_not_touch(plan: Plan, officer) -> None:  # type: ignore[no-untyped-def]
    kpi = plan.kpis.get(code="1.1")
    read_at = Plan.objects.get(pk=plan.pk).revision
    editing.kpi_update(
        kpi=kpi, actor=officer, values={"target": Decimal(6)}, levels={}, base_revision=read_at
    )

    # the stale page sends its old target (5, untouched) with a new unit
    saved = editing.kpi_update(
        kpi=kpi, actor=officer, values={"target": Decimal(5), "unit": "คน"}, levels={}, base_revision=read_at
    )

    assert (saved.conflicts, saved.refreshed) == ((), (("target", "6"),))
    stored = plan.kpis.get(code="1.1")
    assert (stored.target, stored.unit) == (Decimal(6), "คน")


def test_the_history_keeps_stored_values_not_labels(plan: Plan, officer) -> None:  # type: ignore[no-untyped-def]
    tree = plan_tree(plan)
    first = tree.issues[0].goals[0].kpis[0]
    goal = replace(
        tree.issues[0].goals[0], kpis=(replace(first, direction="lower"), *tree.issues[0].goals[0].kpis[1:])
    )
    editing.plan_tree_replace(
        plan=plan,
        data=replace(tree, issues=(replace(tree.issues[0], goals=(goal,)), *tree.issues[1:])),
        actor=officer,
    )

    event = PlanEvent.objects.filter(plan=plan).latest("pk")
    assert [(c["field"], c["old"], c["new"]) for c in event.changes] == [("direction", "higher", "lower")]
