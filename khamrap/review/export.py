"""Every plan's findings and the analysts' verdicts of a year, as one Excel file (the overview's download and
``khamrap export_review``), in the reports' one look (:mod:`khamrap.documents.sheets`), in Thai or English.
For OPDC only: the internal notes are in it."""

from collections import defaultdict

from django.utils import translation

from khamrap.core.errors import in_language
from khamrap.documents.sheets import (
    report_bytes,
    report_layout,
    report_next_sheet,
    report_sheet,
    report_text_rows,
)
from khamrap.frameworks.models import FiscalYear
from khamrap.orgs.models import Organisation
from khamrap.plans.checks import SEVERITY_LABELS, check_rules_by_kind, plan_facts, plans_trees
from khamrap.plans.diff import shown_value
from khamrap.plans.schema import field_label
from khamrap.review.models import KpiReview, PlanReview, Response, Verdict
from khamrap.review.selectors import analysts
from khamrap.scoring.checks import CheckRules, plan_findings

# Each text as a (Thai, English) pair.
FINDING_HEADERS = (
    ("รหัสหน่วยงาน", "Organisation code"),
    ("หน่วยงาน", "Organisation"),
    ("ตัวชี้วัดที่", "KPI no."),
    ("รหัสตัวชี้วัด (uid)", "KPI id (uid)"),
    ("ข้อสังเกต", "Check"),
    ("ระดับ", "Severity"),
    ("คำอธิบาย", "Description"),
)
FINDING_WIDTHS = (10, 24, 10, 38, 24, 12, 70)
VERDICT_HEADERS = (
    ("รหัสหน่วยงาน", "Organisation code"),
    ("หน่วยงาน", "Organisation"),
    ("สถานะแบบฟอร์ม", "Form status"),
    ("นักวิเคราะห์", "Analysts"),
    ("ตัวชี้วัดที่", "KPI no."),
    ("รหัสตัวชี้วัด (uid)", "KPI id (uid)"),
    ("ชื่อตัวชี้วัด", "KPI name"),
    ("ผลการพิจารณา", "Verdict"),
    ("ความเห็นถึงจังหวัด", "Comment to the province"),
    ("ค่าที่เสนอ", "Proposed values"),
    ("บันทึกภายใน", "Internal note"),
    ("คำตอบของจังหวัด", "Province's response"),
    ("คำชี้แจง", "Province's answer"),
)
VERDICT_WIDTHS = (10, 24, 16, 20, 10, 38, 40, 14, 40, 30, 30, 14, 40)
NOTE_HEADERS = (
    ("รหัสหน่วยงาน", "Organisation code"),
    ("หน่วยงาน", "Organisation"),
    ("จำนวนครั้งที่ส่งกลับ", "Times returned"),
    ("บันทึกภายในของแบบฟอร์ม", "Internal notes on the form"),
)
NOTE_WIDTHS = (10, 24, 12, 80)
FINDINGS_SHEET = ("ข้อสังเกต", "Findings")
FINDINGS_TITLE = (
    "ข้อสังเกตจากการตรวจอัตโนมัติ ปีงบประมาณ พ.ศ. {year}",
    "Automatic check findings, fiscal year B.E. {year}",
)
VERDICTS_SHEET = ("ผลการพิจารณา", "Verdicts")
VERDICTS_TITLE = (
    "ผลการพิจารณาความเหมาะสมของตัวชี้วัด ปีงบประมาณ พ.ศ. {year}",
    "KPI appropriateness verdicts, fiscal year B.E. {year}",
)
NOTES_SHEET = ("บันทึกภายใน", "Internal notes")
NOTES_TITLE = ("บันทึกภายในของนักวิเคราะห์ (จังหวัดไม่เห็น)", "Analysts' internal notes (not shown to the province)")
# Marks, in the KPI name column, a verdict on a KPI the province has since deleted (a drop accepted).
DROPPED = ("ตัดออกจากแบบฟอร์มแล้ว", "Dropped from the plan")


def proposal_text(proposal: dict[str, str], language: str = "th") -> str:
    """``{"target": "80", "weight": "10"}`` → ``ค่าเป้าหมาย: 80; น้ำหนัก: 10`` (``Target: 80; Weight: 10``)."""
    return "; ".join(
        f"{field_label(name, language)}: {shown_value(name, text)}" for name, text in proposal.items()
    )


def _org_name(org: Organisation, language: str) -> str:
    return in_language(org.name_th, org.name_en or org.name_th, language)


def _verdict_cells(review: KpiReview | None, language: str) -> list[str]:
    """The verdict, comment, proposal, note, response and answer columns of one KPI's row."""
    if review is None:
        return ["", "", "", "", "", ""]
    return [
        str(Verdict(review.verdict).label) if review.verdict else "",
        review.comment,
        proposal_text(review.proposal, language),
        review.note,
        str(Response(review.response).label) if review.response else "",
        review.answer,
    ]


def review_workbook(*, fiscal_year: FiscalYear, language: str = "th") -> bytes:
    """Three sheets: every finding of every plan; every KPI with its verdict, comment, proposal, internal
    note and the province's answer (then the verdicts on KPIs since deleted from the plan, marked); each
    plan's internal notes. In ``language`` ("th" or "en"). A constant number of queries."""
    language = "en" if (language or "th").startswith("en") else "th"
    with translation.override(language):
        return _workbook(fiscal_year, language)


def _workbook(fiscal_year: FiscalYear, language: str) -> bytes:
    def say(pair: tuple[str, str]) -> str:
        return in_language(*pair, language)

    trees = plans_trees(fiscal_year=fiscal_year)
    rules = check_rules_by_kind(fiscal_year)
    plan_ids = list(trees)
    reviews: dict[int, dict[str, KpiReview]] = defaultdict(dict)
    for r in KpiReview.objects.filter(review__plan_id__in=plan_ids).select_related("review").order_by("pk"):
        reviews[r.review.plan_id][str(r.kpi_uid)] = r
    names: dict[int, list[str]] = defaultdict(list)
    for analyst in analysts().prefetch_related("assigned_organisations"):
        for org in analyst.assigned_organisations.all():
            names[org.pk].append(analyst.display_name)
    book, findings_sheet = report_sheet(
        name=say(FINDINGS_SHEET),
        title=say(FINDINGS_TITLE).format(year=fiscal_year.year),
        headers=[say(h) for h in FINDING_HEADERS],
    )
    finding_rows, verdict_rows = [], []
    for plan, tree in trees.values():
        org = plan.organisation
        org_name = _org_name(org, language)
        found = plan_findings(plan_facts(tree), rules.get(org.kind, CheckRules()))
        finding_rows += [
            [
                org.code,
                org_name,
                f.kpi_code,
                f.kpi_uid,
                str(f.rule),
                say(SEVERITY_LABELS[f.severity]),
                in_language(f.message_th, f.message_en, language),
            ]
            for f in found
        ]
        plan_cells = [org.code, org_name, str(plan.get_status_display()), ", ".join(names[org.pk])]
        plan_reviews = dict(reviews.get(plan.pk, {}))
        for kpi in tree.kpis():
            review = plan_reviews.pop(str(kpi.uid), None)
            verdict_rows.append(
                [*plan_cells, kpi.code, str(kpi.uid), kpi.name, *_verdict_cells(review, language)]
            )
        # What is left are verdicts on KPIs the province has since deleted: shown as the analyst last saw them.
        for review in sorted(plan_reviews.values(), key=lambda r: (r.kpi_code, r.pk)):
            verdict_rows.append(
                [
                    *plan_cells,
                    review.kpi_code,
                    str(review.kpi_uid),
                    f"{review.kpi_name} ({say(DROPPED)})" if review.kpi_name else f"({say(DROPPED)})",
                    *_verdict_cells(review, language),
                ]
            )
    report_text_rows(findings_sheet, finding_rows)
    report_layout(findings_sheet, widths=FINDING_WIDTHS)
    verdicts = report_next_sheet(
        book,
        name=say(VERDICTS_SHEET),
        title=say(VERDICTS_TITLE).format(year=fiscal_year.year),
        headers=[say(h) for h in VERDICT_HEADERS],
    )
    report_text_rows(verdicts, verdict_rows)
    report_layout(verdicts, widths=VERDICT_WIDTHS)
    notes = report_next_sheet(
        book, name=say(NOTES_SHEET), title=say(NOTES_TITLE), headers=[say(h) for h in NOTE_HEADERS]
    )
    report_text_rows(
        notes,
        [
            [r.plan.organisation.code, _org_name(r.plan.organisation, language), str(r.rounds), r.notes]
            for r in PlanReview.objects.filter(plan_id__in=plan_ids)
            .select_related("plan__organisation")
            .order_by("plan__organisation__code")
        ],
    )
    return report_bytes(book, notes, widths=NOTE_WIDTHS)
