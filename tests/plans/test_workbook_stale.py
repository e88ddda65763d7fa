"""A workbook downloaded before later changes on the web: every change it would undo needs the officer's
explicit choice — a KPI added since (which the file removes), and the outline (strategic issues and goals
renamed, added, removed or moved) — and the undo of an import brings back the KPIs it removed as the same KPIs."""

import io
from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from khamrap.accounts.models import User
from khamrap.plans import editing
from khamrap.plans.models import Goal, Kpi, Plan, PlanEvent, PlanEventKind, StrategicIssue, WorkbookUpload
from khamrap.plans.schema import KpiData
from khamrap.plans.selectors import plan_tree
from khamrap.workbook.importer import workbook_import, workbook_upload_undo
from khamrap.workbook.layout import SHEET_FORM
from tests.conftest import login

DOWNLOAD = reverse("plan-workbook", args=[2551, "50"])
UPLOAD = reverse("plan-workbook-upload", args=[2551, "50"])


def _confirm(pk: int) -> str:
    return reverse("plan-workbook-confirm", args=[2551, "50", pk])


def _file(data: bytes) -> io.BytesIO:
    handle = io.BytesIO(data)
    handle.name = "แบบฟอร์ม.xlsx"
    return handle


def _edit(data: bytes, cells: dict[str, object] | None = None, *, delete_row: int | None = None) -> bytes:
    book = load_workbook(io.BytesIO(data))
    for ref, value in (cells or {}).items():
        book[SHEET_FORM][ref] = value
    if delete_row is not None:
        book[SHEET_FORM].delete_rows(delete_row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _first_issue(plan: Plan) -> StrategicIssue:
    return StrategicIssue.objects.filter(plan=plan).order_by("position", "pk").first()  # type: ignore[return-value]


def _first_goal(plan: Plan) -> Goal:
    return Goal.objects.filter(issue=_first_issue(plan)).order_by("position", "pk").first()  # type: ignore[return-value]


def _stale_upload(client: Client, data: bytes) -> tuple[WorkbookUpload, str]:
    body = client.post(UPLOAD, {"workbook": _file(data)}).content.decode()
    return WorkbookUpload.objects.get(status="pending"), body


# --- a KPI added since the download ----------------------------------------------------------------


def test_a_kpi_added_on_the_web_after_the_download_is_not_removed_without_the_explicit_choice(
    plan: Plan, officer: User
) -> None:
    # given: the officer downloads, changes 1.1's target in the file; meanwhile a KPI is added on the web
    client = login(officer)
    data = _edit(client.get(DOWNLOAD).content, {"L3": 6})
    added = editing.kpi_add(goal=_first_goal(plan), actor=officer, name="จำนวนนักท่องเที่ยวต่างชาติ")

    # when: the stale file is uploaded
    upload, body = _stale_upload(client, data)

    # then: the file would remove the new KPI: it is a conflict, and confirming without the choice writes nothing
    assert [(c["kpi"], c["field"], c["new"]) for c in upload.summary["conflicts"]] == [
        (str(added.uid), "kpi", "จำนวนนักท่องเที่ยวต่างชาติ")
    ]
    assert 'data-testid="conflicting-field"' in body and 'name="replace_newer"' in body
    refused = client.post(_confirm(upload.pk))
    assert refused.status_code == 409
    assert Kpi.objects.filter(uid=added.uid).exists()
    assert Kpi.objects.get(plan=plan, code="1.1").target == Decimal(5)

    # with the choice, the file's plan replaces it
    client.post(_confirm(upload.pk), {"replace_newer": "1"})
    assert not Kpi.objects.filter(uid=added.uid).exists()
    assert Kpi.objects.get(plan=plan, code="1.1").target == Decimal(6)


def test_a_kpi_deleted_on_the_web_after_the_download_is_not_brought_back_without_the_explicit_choice(
    plan: Plan, officer: User
) -> None:
    # given: the officer downloads, changes 1.1's target in the file; meanwhile KPI 1.2 is deleted on the web
    client = login(officer)
    data = _edit(client.get(DOWNLOAD).content, {"L3": 6})
    gone = Kpi.objects.get(plan=plan, code="1.2")
    editing.kpi_delete(kpi=gone, actor=officer)

    # when: the stale file, which still holds 1.2, is uploaded
    upload, body = _stale_upload(client, data)

    # then: bringing it back is a conflict, and confirming without the choice writes nothing
    assert [(c["kpi"], c["field"], c["old"]) for c in upload.summary["conflicts"]] == [
        (str(gone.uid), "kpi", gone.name)
    ]
    assert 'data-testid="conflicting-field"' in body
    assert client.post(_confirm(upload.pk)).status_code == 409
    assert not Kpi.objects.filter(uid=gone.uid).exists()
    assert Kpi.objects.get(plan=plan, code="1.1").target == Decimal(5)

    # with the choice, the file's plan replaces it: the KPI comes back as itself
    client.post(_confirm(upload.pk), {"replace_newer": "1"})
    assert Kpi.objects.get(uid=gone.uid).name == gone.name
    assert Kpi.objects.get(plan=plan, code="1.1").target == Decimal(6)


def test_a_kpi_added_by_another_import_after_the_download_is_a_conflict_too(
    plan: Plan, officer: User
) -> None:
    # given: the workbook is downloaded; then another import adds a KPI at the end of the first goal
    client = login(officer)
    downloaded = client.get(DOWNLOAD).content
    tree = plan_tree(plan)
    issue, goal = tree.issues[0], tree.issues[0].goals[0]
    goals = (replace(goal, kpis=(*goal.kpis, KpiData(name="อัตราการเข้าพักโรงแรม"))), *issue.goals[1:])
    more = replace(tree, issues=(replace(issue, goals=goals), *tree.issues[1:]))
    assert editing.plan_tree_replace(plan=plan, data=more, actor=officer)
    created = Kpi.objects.get(plan=plan, name="อัตราการเข้าพักโรงแรม")
    # the history names the added KPI by the uid and code it was given
    event = PlanEvent.objects.filter(plan=plan).latest("pk")
    assert [c for c in event.changes if c["field"] == "kpi"] == [
        {
            "kpi": str(created.uid),
            "code": created.code,
            "field": "kpi",
            "old": "",
            "new": "อัตราการเข้าพักโรงแรม",
        }
    ]

    # when: the second copy, changing 1.1's target, comes in
    upload, _ = _stale_upload(client, _edit(downloaded, {"L3": 6}))

    # then: it would remove the KPI the first import added
    assert [(c["kpi"], c["field"]) for c in upload.summary["conflicts"]] == [(str(created.uid), "kpi")]


# --- the outline changed since the download --------------------------------------------------------


def _rename_issue(plan: Plan, officer: User) -> None:
    editing.issue_rename(issue=_first_issue(plan), actor=officer, name="การท่องเที่ยวเชิงสร้างสรรค์")


def _add_goal(plan: Plan, officer: User) -> None:
    editing.goal_add(issue=_first_issue(plan), actor=officer, name="เป้าประสงค์ใหม่")


def _move_issue(plan: Plan, officer: User) -> None:
    editing.issue_move(issue=_first_issue(plan), actor=officer, offset=1)


def _delete_goal(plan: Plan, officer: User) -> None:
    goal = editing.goal_add(issue=_first_issue(plan), actor=officer, name="เป้าประสงค์ชั่วคราว")
    editing.goal_delete(goal=goal, actor=officer)


@pytest.mark.parametrize(
    ("change", "field", "label"),
    [
        (_rename_issue, "issue", "ประเด็นยุทธศาสตร์"),
        (_move_issue, "issue", "ประเด็นยุทธศาสตร์"),
        (_add_goal, "goal", "เป้าประสงค์"),
    ],
    ids=["issue renamed", "issue moved", "goal added"],
)
def test_an_outline_change_on_the_web_after_the_download_is_named_and_needs_the_explicit_choice(
    plan: Plan, officer: User, change: Callable[[Plan, User], None], field: str, label: str
) -> None:
    # given: the file changes only 1.1's target; the outline changes on the web after the download
    client = login(officer)
    data = _edit(client.get(DOWNLOAD).content, {"L3": 6})
    change(plan, officer)
    outline = plan_tree(Plan.objects.get(pk=plan.pk))

    # when
    upload, body = _stale_upload(client, data)

    # then: the preview names the outline change as one the file replaces
    assert [(c["code"], c["field"], c["label"]) for c in upload.summary["conflicts"]] == [("", field, label)]
    assert f"<td></td><td>{label}</td>" in body and 'data-testid="conflicting-field"' in body
    assert client.post(_confirm(upload.pk)).status_code == 409
    assert [i.name for i in plan_tree(Plan.objects.get(pk=plan.pk)).issues] == [
        i.name for i in outline.issues
    ]
    assert plan_tree(Plan.objects.get(pk=plan.pk)) == outline


def test_an_outline_change_the_file_keeps_is_listed_but_no_conflict(plan: Plan, officer: User) -> None:
    # given: a goal added and removed again on the web: the outline is as the file has it
    client = login(officer)
    data = _edit(client.get(DOWNLOAD).content, {"L3": 6})
    _delete_goal(plan, officer)

    # when
    upload, _ = _stale_upload(client, data)

    # then: listed as changed since, but the file undoes nothing of it, so it imports without the choice
    assert [c["field"] for c in upload.summary["since"]] == ["goal", "goal"]
    assert upload.summary["conflicts"] == []
    assert 'data-status="accepted"' in client.post(_confirm(upload.pk)).content.decode()


# --- undo ------------------------------------------------------------------------------------------


def test_undoing_an_import_brings_back_the_removed_kpi_with_its_own_uid(plan: Plan, officer: User) -> None:
    # given: an imported workbook removed the last KPI (row 10)
    client = login(officer)
    last = Kpi.objects.filter(plan=plan).order_by("-position").first()
    assert last is not None and last.code == "1.8"
    uids = [str(k.uid) for k in Kpi.objects.filter(plan=plan).order_by("position")]
    tree = plan_tree(plan)
    upload = workbook_import(
        plan=plan, data=_edit(client.get(DOWNLOAD).content, delete_row=10), filename="cm.xlsx", actor=officer
    )
    assert upload.status == "accepted" and upload.summary["counts"]["removed"] == 1

    # when
    workbook_upload_undo(upload=upload, actor=officer)

    # then: the same KPI, the same uids in the same order, and the undo's history names it by its uid
    assert [str(k.uid) for k in Kpi.objects.filter(plan=plan).order_by("position")] == uids
    assert plan_tree(Plan.objects.get(pk=plan.pk)) == tree
    undone = PlanEvent.objects.get(plan=plan, kind=PlanEventKind.IMPORT_UNDONE)
    assert undone.changes == [
        {"kpi": str(last.uid), "code": "1.8", "field": "kpi", "old": "", "new": last.name}
    ]


def test_an_undo_whose_uid_another_plan_takes_meanwhile_is_refused_then_goes_through(  # type: ignore[no-untyped-def]
    plan: Plan, officer: User, monkeypatch, fy2551, org
) -> None:
    from khamrap.plans import editing as editing_module
    from tests.factories import PlanFactory

    # given: an import removed KPI 1.8, and the undo would give it back its uid
    client = login(officer)
    last = Kpi.objects.filter(plan=plan).order_by("-position").first()
    assert last is not None
    upload = workbook_import(
        plan=plan, data=_edit(client.get(DOWNLOAD).content, delete_row=10), filename="cm.xlsx", actor=officer
    )
    other = PlanFactory(fiscal_year=fy2551, organisation=org("51"), tree__actor=None)
    identified = editing_module._identified

    def racing(*args, **kwargs):  # type: ignore[no-untyped-def]
        # another organisation's KPI takes the uid just after the undo looked
        found = identified(*args, **kwargs)
        _take_uid()
        return found

    def _take_uid() -> None:
        taker = Kpi.objects.filter(plan=other).order_by("pk").first()
        assert taker is not None
        Kpi.objects.filter(pk=taker.pk).update(uid=last.uid)

    monkeypatch.setattr(editing_module, "_identified", racing)

    # when the officer presses undo: a message, not an error page, and nothing written
    response = client.post(reverse("plan-workbook-undo", args=[2551, "50", upload.pk]), follow=True)
    assert response.status_code == 200
    assert "กรุณาลองอีกครั้ง" in response.content.decode()
    assert Kpi.objects.filter(plan=plan).count() == 7

    # and the next attempt (the other plan's change committed by now) restores the KPI under a new uid
    monkeypatch.setattr(editing_module, "_identified", identified)
    _take_uid()
    client.post(reverse("plan-workbook-undo", args=[2551, "50", upload.pk]))
    restored = Kpi.objects.get(plan=plan, code="1.8")
    assert restored.name == last.name and restored.uid != last.uid
