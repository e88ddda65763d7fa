"""The appropriateness review as its people go through it in a real browser: the analyst reviews Chiang Mai's
plan and asks for two changes; the province accepts one and answers the other, resubmits through its
governor; the analyst sees the answers and the difference between the versions, and marks the plan ready."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from khamrap.accounts.models import User
from khamrap.frameworks.models import FiscalYear
from khamrap.orgs.models import Organisation
from khamrap.plans import submission
from khamrap.plans.models import Kpi, Plan, PlanStatus
from khamrap.review.models import KpiReview
from tests.browser.test_negotiation_journey import log_in
from tests.factories import PlanFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def reviewing(people: dict[str, User]) -> dict[str, User]:
    """The journey's people, the analyst assigned to Chiang Mai, and Chiang Mai's sample plan received."""
    chiang_mai = Organisation.objects.get(code="50")
    people["analyst"].assigned_organisations.add(chiang_mai)
    plan = PlanFactory(
        fiscal_year=FiscalYear.objects.get(year=2551), organisation=chiang_mai, tree__actor=people["officer"]
    )
    submission.plan_submit(plan=plan, actor=people["officer"])
    submission.plan_approve(plan=Plan.objects.get(pk=plan.pk), actor=people["governor"])
    return people


def _kpi(page, code: str):  # type: ignore[no-untyped-def]
    return page.locator(f"article[data-testid=review-kpi][data-code='{code}']")


def test_an_analyst_asks_for_two_changes_and_marks_the_revised_plan_ready(reviewing, new_page) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    # the analyst finds Chiang Mai on the overview and opens its review
    analyst = new_page()
    log_in(analyst, "analyst")
    analyst.get_by_test_id("nav-review").click()
    expect(analyst.get_by_test_id("progress-50")).to_contain_text("0/8")
    analyst.locator("tr[data-org='50'] a").first.click()
    expect(analyst.get_by_test_id("review-progress")).to_have_text("0 / 8")
    first = _kpi(analyst, "1.1")
    expect(first.get_by_test_id("kpi-findings")).to_contain_text(
        "แนวโน้ม"
    )  # the automatic check, beside the KPI

    # change one: a higher target, with a comment and an internal note
    first.locator("select[name$='-verdict']").select_option("revise")
    first.locator("textarea[name$='-comment']").fill("ค่าเป้าหมายต่ำกว่าแนวโน้ม เสนอร้อยละ 6")
    first.get_by_text("ค่าที่เสนอแทนค่าของจังหวัด").click()
    first.locator("input[name$='-proposed_target']").fill("6")
    first.locator("textarea[name$='-note']").fill("ลำพูนตั้งเป้าร้อยละ 7")
    expect(first.locator(".saved-indicator")).to_contain_text("บันทึกแล้ว")
    # how others measure this, loaded when opened
    first.get_by_test_id("similar-toggle").locator("summary").click()
    expect(first.locator(".similar-slot")).not_to_contain_text("กำลังค้นหา")
    # change two: a clearer definition
    second = _kpi(analyst, "1.2")
    second.locator("select[name$='-verdict']").select_option("revise")
    second.locator("textarea[name$='-comment']").fill("กรุณาระบุนิยามนักท่องเที่ยวให้ชัดเจน")
    expect(second.locator(".saved-indicator")).to_contain_text("บันทึกแล้ว")
    expect(analyst.get_by_test_id("review-progress")).to_have_text("2 / 8")
    analyst.wait_for_load_state("networkidle")
    assert KpiReview.objects.get(kpi_code="1.1").proposal == {"target": "6"}

    # it returns the plan, due in a week (a Buddhist-Era date)
    due = timezone.localdate() + timedelta(days=7)
    analyst.get_by_test_id("revise-by").fill(f"{due.day}/{due.month}/{due.year + 543}")
    analyst.locator("#return-message").fill("กรุณาปรับตามความเห็นรายตัวชี้วัด")
    analyst.once("dialog", lambda dialog: dialog.accept())
    analyst.get_by_test_id("return-submit").click()
    expect(analyst.get_by_test_id("plan-status")).to_contain_text("ส่งกลับให้แก้ไข")

    # the province opens the comments from its plan: accepts the first, answers the second
    province = new_page()
    log_in(province, "officer")
    province.goto("/years/2551/plans/50/")
    province.get_by_test_id("answers-link").click()
    expect(province.get_by_test_id("asked-kpi")).to_have_count(2)
    expect(province.locator("body")).not_to_contain_text("ลำพูนตั้งเป้า")  # never the internal note
    asked_first = province.locator("article[data-code='1.1']")
    expect(asked_first.get_by_test_id("proposal")).to_contain_text("6")
    province.once("dialog", lambda dialog: dialog.accept())
    asked_first.get_by_test_id("accept").click()
    expect(province.locator(".messages")).to_contain_text("ยอมรับข้อเสนอแล้ว")
    asked_second = province.locator("article[data-code='1.2']")
    asked_second.get_by_test_id("answer-text").fill("ใช้นิยามของกรมการท่องเที่ยว ระบุไว้ในช่องนิยามแล้ว")
    asked_second.get_by_test_id("answer-submit").click()
    expect(province.locator(".messages")).to_contain_text("บันทึกคำชี้แจงแล้ว")
    assert Kpi.objects.get(plan__organisation__code="50", code="1.1").target == Decimal(6)

    # it resubmits through its governor
    province.goto("/years/2551/plans/50/")
    province.once("dialog", lambda dialog: dialog.accept())
    province.get_by_test_id("submit-plan").click()
    expect(province.get_by_test_id("plan-status")).to_contain_text("รอผู้ว่าราชการจังหวัดอนุมัติ")
    governor = new_page()
    log_in(governor, "governor")
    governor.goto("/years/2551/plans/50/")
    governor.get_by_test_id("approve-plan").click()
    expect(governor.get_by_test_id("plan-status")).to_contain_text("ส่งฉบับแก้ไขแล้ว")

    # the analyst sees the answers and what changed between the versions, then marks the plan ready
    analyst.goto("/years/2551/review/50/")
    expect(analyst.get_by_test_id("province-response")).to_have_count(2)
    expect(analyst.get_by_test_id("province-answer")).to_contain_text("กรมการท่องเที่ยว")
    analyst.get_by_role("link", name="เปรียบเทียบฉบับ").click()
    expect(analyst.get_by_test_id("kpi-changed")).to_have_count(1)
    expect(analyst.get_by_test_id("kpi-changed")).to_contain_text("6")
    analyst.go_back()
    analyst.once("dialog", lambda dialog: dialog.accept())
    analyst.get_by_test_id("ready-submit").click()
    expect(analyst.get_by_test_id("plan-status")).to_contain_text("พร้อมเจรจา")
    assert Plan.objects.get(organisation__code="50").status == PlanStatus.READY
