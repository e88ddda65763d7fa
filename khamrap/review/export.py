"""Every plan's findings and the analysts' verdicts of a year, as one Excel file (the overview's download and
``khamrap export_review``), in the reports' one look (:mod:`khamrap.documents.sheets`). For OPDC only: the
internal notes are in it."""

from collections import defaultdict

from khamrap.documents.sheets import (
    report_bytes,
    report_layout,
    report_next_sheet,
    report_sheet,
    report_text_rows,
)
from khamrap.frameworks.models import FiscalYear
from khamrap.plans.checks import SEVERITY_LABELS, check_rules_by_kind, plan_facts, plans_trees
from khamrap.plans.diff import shown_value
from khamrap.plans.schema import field_label
from khamrap.review.models import KpiReview, PlanReview, Response, Verdict
from khamrap.review.selectors import analysts
from khamrap.scoring.checks import CheckRules, plan_findings

FINDING_HEADERS = ("รหัสหน่วยงาน", "หน่วยงาน", "ตัวชี้วัดที่", "รหัสตัวชี้วัด (uid)", "ข้อสังเกต", "ระดับ", "คำอธิบาย")
FINDING_WIDTHS = (10, 24, 10, 38, 24, 12, 70)
VERDICT_HEADERS = (
    "รหัสหน่วยงาน",
    "หน่วยงาน",
    "สถานะแบบฟอร์ม",
    "นักวิเคราะห์",
    "ตัวชี้วัดที่",
    "รหัสตัวชี้วัด (uid)",
    "ชื่อตัวชี้วัด",
    "ผลการพิจารณา",
    "ความเห็นถึงจังหวัด",
    "ค่าที่เสนอ",
    "บันทึกภายใน",
    "คำตอบของจังหวัด",
    "คำชี้แจง",
)
VERDICT_WIDTHS = (10, 24, 16, 20, 10, 38, 40, 14, 40, 30, 30, 14, 40)
NOTE_HEADERS = ("รหัสหน่วยงาน", "หน่วยงาน", "จำนวนครั้งที่ส่งกลับ", "บันทึกภายในของแบบฟอร์ม")
NOTE_WIDTHS = (10, 24, 12, 80)


def proposal_text(proposal: dict[str, str]) -> str:
    """``{"target": "80", "weight": "10"}`` → ``ค่าเป้าหมาย: 80; น้ำหนัก: 10``."""
    return "; ".join(f"{field_label(name)}: {shown_value(name, text)}" for name, text in proposal.items())


def review_workbook(*, fiscal_year: FiscalYear) -> bytes:
    """Three sheets: every finding of every plan; every KPI with its verdict, comment, proposal, internal
    note and the province's answer; each plan's internal notes. A constant number of queries."""
    trees = plans_trees(fiscal_year=fiscal_year)
    rules = check_rules_by_kind(fiscal_year)
    plan_ids = list(trees)
    reviews = {
        (r.review.plan_id, str(r.kpi_uid)): r
        for r in KpiReview.objects.filter(review__plan_id__in=plan_ids).select_related("review")
    }
    names: dict[int, list[str]] = defaultdict(list)
    for analyst in analysts().prefetch_related("assigned_organisations"):
        for org in analyst.assigned_organisations.all():
            names[org.pk].append(analyst.display_name)
    book, findings_sheet = report_sheet(
        name="ข้อสังเกต",
        title=f"ข้อสังเกตจากการตรวจอัตโนมัติ ปีงบประมาณ พ.ศ. {fiscal_year.year}",
        headers=FINDING_HEADERS,
    )
    finding_rows, verdict_rows = [], []
    for plan, tree in trees.values():
        org = plan.organisation
        found = plan_findings(plan_facts(tree), rules.get(org.kind, CheckRules()))
        finding_rows += [
            [
                org.code,
                org.name_th,
                f.kpi_code,
                f.kpi_uid,
                str(f.rule),
                SEVERITY_LABELS[f.severity][0],
                f.message_th,
            ]
            for f in found
        ]
        for kpi in tree.kpis():
            review = reviews.get((plan.pk, str(kpi.uid)))
            verdict_rows.append(
                [
                    org.code,
                    org.name_th,
                    str(plan.get_status_display()),
                    ", ".join(names[org.pk]),
                    kpi.code,
                    str(kpi.uid),
                    kpi.name,
                    str(Verdict(review.verdict).label) if review and review.verdict else "",
                    review.comment if review else "",
                    proposal_text(review.proposal) if review else "",
                    review.note if review else "",
                    str(Response(review.response).label) if review and review.response else "",
                    review.answer if review else "",
                ]
            )
    report_text_rows(findings_sheet, finding_rows)
    report_layout(findings_sheet, widths=FINDING_WIDTHS)
    verdicts = report_next_sheet(
        book,
        name="ผลการพิจารณา",
        title=f"ผลการพิจารณาความเหมาะสมของตัวชี้วัด ปีงบประมาณ พ.ศ. {fiscal_year.year}",
        headers=VERDICT_HEADERS,
    )
    report_text_rows(verdicts, verdict_rows)
    report_layout(verdicts, widths=VERDICT_WIDTHS)
    notes = report_next_sheet(
        book, name="บันทึกภายใน", title="บันทึกภายในของนักวิเคราะห์ (จังหวัดไม่เห็น)", headers=NOTE_HEADERS
    )
    report_text_rows(
        notes,
        [
            [r.plan.organisation.code, r.plan.organisation.name_th, str(r.rounds), r.notes]
            for r in PlanReview.objects.filter(plan_id__in=plan_ids)
            .select_related("plan__organisation")
            .order_by("plan__organisation__code")
        ],
    )
    return report_bytes(book, notes, widths=NOTE_WIDTHS)
