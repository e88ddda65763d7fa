"""Any two versions of a plan side by side: the page, its Excel export, who may see them."""

from dataclasses import replace
from datetime import datetime
from decimal import Decimal
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from khamrap.plans import editing, submission
from khamrap.plans.diff import plan_diff
from khamrap.plans.models import Kpi, Plan, PlanSnapshot
from khamrap.plans.schema import GoalData, IssueData, KpiData, PlanData
from khamrap.plans.selectors import plan_tree
from khamrap.thai.dates import format_datetime
from tests.conftest import login

BKK = ZoneInfo("Asia/Bangkok")
ON_TIME = datetime(2007, 10, 15, 12, 0, tzinfo=BKK)
URL = "/years/2551/plans/50/versions/"
# Session and user, the year, the organisation, the plan, the versions, two trees (a snapshot: 1 query, the
# draft: 4), the layout's own; whatever the number of KPIs.
QUERIES_TWO_SNAPSHOTS = 14
QUERIES_WITH_DRAFT = 17
ISSUE = "การพัฒนาเศรษฐกิจบนฐานการท่องเที่ยวเชิงวัฒนธรรม"


def _submit(plan: Plan, officer, governor) -> Plan:  # type: ignore[no-untyped-def]
    submission.plan_submit(plan=plan, actor=officer, when=ON_TIME)
    return submission.plan_approve(plan=plan, actor=governor, when=ON_TIME)


@pytest.fixture
def two_versions(plan: Plan, officer, governor, analyst) -> Plan:  # type: ignore[no-untyped-def]
    """Version 1 as sampled; version 2 drops KPI 1.1 (so 1.2 becomes 1.1) and raises that KPI's target to
    136000, adds a KPI with the dropped one's numbers at the end of the first goal and renames the first
    strategic issue."""
    plan = _submit(plan, officer, governor)
    plan = submission.plan_return(plan=plan, actor=analyst, note="ปรับ")
    tree = plan_tree(plan)
    first, *others = tree.issues
    goal = first.goals[0]
    dropped, second, third = goal.kpis
    fresh = replace(dropped, uid=None, code="", name="ร้อยละของผู้ประกอบการที่ได้รับการรับรอง")
    kpis = (replace(second, target=Decimal("136000")), third, fresh)
    issue = replace(first, name="เศรษฐกิจสร้างสรรค์", goals=(replace(goal, kpis=kpis), *first.goals[1:]))
    editing.plan_tree_replace(plan=plan, data=replace(tree, issues=(issue, *others)), actor=officer)
    return _submit(plan, officer, governor)


def test_an_added_kpi_keeps_its_uid_and_an_untouched_one_is_listed_as_same() -> None:
    # given
    kept = KpiData(name="ก", uid="u1", code="1.1")
    before = PlanData(issues=(IssueData("ป", (GoalData("ป", (kept,)),)),))
    after = PlanData(
        issues=(IssueData("ป", (GoalData("ป", (KpiData(name="ข", uid="u2", code="1.1"), kept)),)),)
    )
    # when
    diff = plan_diff(before, after)
    # then
    assert [(k.uid, k.code) for k in diff.added] == [("u2", "1.1")]
    assert [(k.uid, k.old_code, k.code) for k in diff.same] == [("u1", "1.1", "1.1")]
    assert diff.changes()[0] == {"kpi": "u2", "code": "1.1", "field": "kpi", "old": "", "new": "ข"}


def test_the_page_compares_the_last_two_submitted_versions_by_default(two_versions: Plan, analyst) -> None:  # type: ignore[no-untyped-def]
    # when
    response = login(analyst).get(URL)
    # then
    assert response.status_code == 200
    comparison = response.context["comparison"]
    assert (comparison.a.key, comparison.b.key) == ("1", "2")
    changed = {
        k.code_b: (k.code_a, [(f.name, f.a, f.b) for f in k.changed_fields]) for k in comparison.changed
    }
    assert changed == {
        "1.1": ("1.2", [("issue", ISSUE, "เศรษฐกิจสร้างสรรค์"), ("target", "140000", "136000")]),
        "1.2": ("1.3", [("issue", ISSUE, "เศรษฐกิจสร้างสรรค์")]),
    }
    assert [(k.code_b, k.name) for k in comparison.added] == [("1.3", "ร้อยละของผู้ประกอบการที่ได้รับการรับรอง")]
    assert [(k.code_a, k.name) for k in comparison.dropped] == [("1.1", "ร้อยละที่เพิ่มขึ้นของรายได้จากการท่องเที่ยว")]
    html = response.content.decode()
    assert '<del aria-label="ค่าเดิม">140000</del>' in html
    assert '<ins aria-label="ค่าใหม่">136000</ins>' in html
    assert '<span data-testid="renumbered"><del>1.2</del> → <ins>1.1</ins></span>' in html
    assert "<ins>เศรษฐกิจสร้างสรรค์</ins>" in html
    assert 'data-testid="kpi-same"' in html
    assert [k.code_b for k in comparison.same] == ["1.4", "1.5", "1.6", "1.7", "1.8"]


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("other_officer", 403),
        ("cluster_officer", 403),
        ("governor", 200),
        ("officer", 200),
        ("analyst", 200),
        ("opdc_admin", 200),
    ],
)
def test_the_versions_page_and_its_export_are_for_those_who_see_the_plan(
    two_versions: Plan, request, who: str, status: int
) -> None:  # type: ignore[no-untyped-def]
    client = login(request.getfixturevalue(who))
    assert client.get(URL).status_code == status
    assert client.get("/years/2551/plans/50/versions.xlsx").status_code == status


def test_an_anonymous_visitor_is_sent_to_sign_in(two_versions: Plan, client) -> None:  # type: ignore[no-untyped-def]
    for url in (URL, "/years/2551/plans/50/versions.xlsx"):
        response = client.get(url)
        assert (response.status_code, response["Location"]) == (302, f"/accounts/login/?next={url}")


def test_a_version_the_plan_does_not_have_is_refused_in_words(two_versions: Plan, analyst) -> None:  # type: ignore[no-untyped-def]
    client = login(analyst)
    response = client.get(URL + "?a=9&b=2")
    assert response.status_code == 400
    assert (
        '<ul class="errorlist" role="alert" data-testid="versions-error"><li>ไม่พบฉบับที่ &#x27;9&#x27; ของแบบฟอร์มนี้</li></ul>'
        in response.content.decode()
    )
    export = client.get("/years/2551/plans/50/versions.xlsx?a=x")
    assert (export.status_code, export.content.decode()) == (400, "ไม่พบฉบับที่ 'x' ของแบบฟอร์มนี้")


def test_the_draft_compares_with_a_submitted_version(plan: Plan, officer, governor, analyst) -> None:  # type: ignore[no-untyped-def]
    # given version 1 submitted, returned, and KPI 1.4's weight changed in the draft
    plan = _submit(plan, officer, governor)
    submission.plan_return(plan=plan, actor=analyst, note="ปรับ")
    editing.kpi_update(
        kpi=Kpi.objects.get(plan=plan, code="1.4"), actor=officer, values={"weight": Decimal(3)}, levels={}
    )
    # when the default is asked for (one submitted version: it and the draft)
    response = login(analyst).get(URL)
    # then
    comparison = response.context["comparison"]
    assert (comparison.a.key, comparison.b.key) == ("1", "draft")
    assert [(k.code_b, [(f.name, f.a, f.b) for f in k.changed_fields]) for k in comparison.changed] == [
        ("1.4", [("weight", "5", "3")])
    ]
    html = response.content.decode()
    assert '<option value="draft" selected>ฉบับร่างปัจจุบัน (ส่งกลับให้แก้ไข)' in html
    taken = format_datetime(timezone.localtime(PlanSnapshot.objects.get(plan=plan).created_at))
    assert f'<option value="1" selected>ฉบับที่ 1 · ส่งแล้ว · cm_governor · {taken}\n</option>' in html


def test_a_plan_never_submitted_says_so(plan: Plan, officer) -> None:  # type: ignore[no-untyped-def]
    response = login(officer).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "แบบฟอร์มนี้ยังไม่เคยส่ง จึงมีเพียงฉบับร่างปัจจุบัน" in html
    assert "สองฉบับนี้เหมือนกันทุกประการ" in html


def test_the_export_has_one_row_per_kpi_and_field_changed_then_added_and_dropped(
    two_versions: Plan, analyst
) -> None:  # type: ignore[no-untyped-def]
    # when
    response = login(analyst).get("/years/2551/plans/50/versions.xlsx?a=1&b=2")
    # then
    assert response["Content-Disposition"] == 'attachment; filename="plan-versions-2551-50-1-2.xlsx"'
    sheet = load_workbook(BytesIO(response.content)).active
    rows = [tuple(c.value for c in row) for row in sheet.iter_rows(min_row=2)]
    added = "ร้อยละของผู้ประกอบการที่ได้รับการรับรอง"
    dropped = "ร้อยละที่เพิ่มขึ้นของรายได้จากการท่องเที่ยว"
    name_11 = Kpi.objects.get(plan=two_versions, code="1.1").name
    name_12 = Kpi.objects.get(plan=two_versions, code="1.2").name
    assert rows == [
        ("ตัวชี้วัดที่ (ฉบับ ก)", "ตัวชี้วัดที่ (ฉบับ ข)", "ชื่อตัวชี้วัด", "การเปลี่ยนแปลง", "ช่อง", "ค่าในฉบับ ก", "ค่าในฉบับ ข"),
        ("1.2", "1.1", name_11, "แก้ไข", "ประเด็นยุทธศาสตร์", ISSUE, "เศรษฐกิจสร้างสรรค์"),
        ("1.2", "1.1", name_11, "แก้ไข", "ค่าเป้าหมาย", "140000", "136000"),
        ("1.3", "1.2", name_12, "แก้ไข", "ประเด็นยุทธศาสตร์", ISSUE, "เศรษฐกิจสร้างสรรค์"),
        (None, "1.3", added, "เพิ่มตัวชี้วัด", None, None, added),
        ("1.1", None, dropped, "ตัดตัวชี้วัดออก", None, dropped, None),
    ]
    assert sheet["A1"].value.startswith("เปรียบเทียบแบบฟอร์มเจรจา เชียงใหม่ ปีงบประมาณ พ.ศ. 2551: ฉบับ ก = ฉบับที่ 1 ")


def test_formula_like_text_stays_text_in_the_export(plan: Plan, officer, governor, analyst) -> None:  # type: ignore[no-untyped-def]
    plan = _submit(plan, officer, governor)
    submission.plan_return(plan=plan, actor=analyst, note="ปรับ")
    editing.kpi_update(
        kpi=Kpi.objects.get(plan=plan, code="1.4"),
        actor=officer,
        values={"remarks": '=HYPERLINK("x")'},
        levels={},
    )
    response = login(analyst).get("/years/2551/plans/50/versions.xlsx")
    cell = load_workbook(BytesIO(response.content)).active["G3"]
    assert (cell.value, cell.data_type) == ('=HYPERLINK("x")', "s")


def test_the_page_reads_in_a_constant_number_of_queries(
    two_versions: Plan, analyst, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    client = login(analyst)
    client.get(URL)  # the session and the language settle
    with django_assert_num_queries(QUERIES_WITH_DRAFT):
        client.get(URL + "?a=1&b=draft")
    with django_assert_num_queries(QUERIES_TWO_SNAPSHOTS):
        client.get(URL + "?a=1&b=2")
