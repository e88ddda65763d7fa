"""The review on the web: OPDC's overview, the analyst's page for one plan (autosaved per KPI), the return
for revision and "ready for negotiation", and the province's page of comments to accept or answer.

Views stay thin: they find the plan through :func:`~khamrap.plans.lookup.plan_page` with the access rule of
the page, and one service does the work."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from khamrap.accounts.access import (
    ASSIGN_ANALYSTS,
    READ_REVIEWS,
    REVIEW_PLAN,
    VIEW_PLAN,
    AuthenticatedRequest,
    can_answer_review,
    can_assign_analysts,
    can_read_reviews,
    can_review_plan,
    can_view_plan,
    require,
)
from khamrap.accounts.decorators import signed_in
from khamrap.core.errors import DomainError
from khamrap.frameworks.selectors import expected_plan_weight, fiscal_year_get
from khamrap.library.selectors import library_results, similar_kpis
from khamrap.plans.checks import ShownFinding, plan_findings_of
from khamrap.plans.lookup import PlanPage, plan_organisation, plan_page
from khamrap.plans.models import Kpi, PlanStatus
from khamrap.plans.schema import field_labels, weight_check
from khamrap.plans.selectors import plan_issues, plan_tree_of
from khamrap.review import services
from khamrap.review.export import review_workbook
from khamrap.review.forms import AnswerForm, KpiReviewForm, NotesForm, ReadyForm, ReturnForm
from khamrap.review.models import PlanReview, Verdict
from khamrap.review.selectors import OverviewFilters, analysts, overview_rows
from khamrap.review.services import PROPOSED_FIELDS, REVIEWING_STATUSES
from khamrap.scoring.checks import Severity

View = Callable[..., HttpResponse]


def _refused(request: AuthenticatedRequest, error: DomainError, back: str) -> HttpResponse:
    if request.htmx:
        return HttpResponse(
            format_html('<span class="field-error" role="alert">{}</span>', error.message(get_language())),
            status=409,
        )
    messages.error(request, error.message(get_language()))
    return redirect(back)


def domain_errors(page: str) -> Callable[[View], View]:
    """A rule that says no becomes a message on ``page`` (a URL name taking year and org), never a trace."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(
            request: AuthenticatedRequest, year: int, org: str, *args: Any, **kwargs: Any
        ) -> HttpResponse:
            try:
                return view(request, year, org, *args, **kwargs)
            except DomainError as error:
                return _refused(request, error, reverse(page, args=[year, org]))

        return wrapper

    return decorate


# --- OPDC's overview ------------------------------------------------------------------------------


@login_required
@require_GET
def review_overview(request: AuthenticatedRequest, year: int) -> HttpResponse:
    fiscal_year = fiscal_year_get(year=year)
    require(can_read_reviews(request.user), READ_REVIEWS)
    filters = OverviewFilters.of(request.GET)
    rows = overview_rows(fiscal_year=fiscal_year)
    shown = filters.apply(rows)
    context = {
        "fiscal_year": fiscal_year,
        "rows": shown,
        "total": len(rows),
        "filters": filters,
        "analysts": list(analysts()),
        "statuses": PlanStatus.choices,
        "can_assign": can_assign_analysts(request.user),
        "query": request.GET.urlencode(),
        "base_query": _without(request.GET, "sort"),
        "columns": [
            ("code", _("รหัส")),
            ("name", _("หน่วยงาน")),
            ("status", _("สถานะ")),
            ("analyst", _("นักวิเคราะห์")),
            ("errors", _("ต้องแก้ไข")),
            ("warnings", _("ควรทบทวน")),
            ("", _("ข้อสังเกต")),
            ("progress", _("พิจารณาแล้ว")),
            ("", _("จังหวัดตอบแล้ว")),
            ("", _("กำหนดส่งฉบับแก้ไข")),
        ],
        "numeric": {"errors", "warnings", "progress"},
        "today": timezone.localdate(),
        "summary": {
            "plans": sum(1 for r in rows if r.plan and r.plan.is_submitted),
            "unassigned": sum(1 for r in rows if not r.analysts),
            "ready": sum(1 for r in rows if r.status == PlanStatus.READY),
            "returned": sum(1 for r in rows if r.status == PlanStatus.RETURNED),
            "errors": sum(1 for r in rows if r.findings[Severity.ERROR]),
        },
    }
    return render(request, "review/overview.html", context)


def _without(params: Any, name: str) -> str:
    kept = params.copy()
    kept.pop(name, None)
    return str(kept.urlencode())


@login_required
@require_GET
def review_export(request: AuthenticatedRequest, year: int) -> HttpResponse:
    fiscal_year = fiscal_year_get(year=year)
    require(can_read_reviews(request.user), READ_REVIEWS)
    response = HttpResponse(
        review_workbook(fiscal_year=fiscal_year, language=get_language()),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="review-{year}.xlsx"'
    return response


@login_required
@require_POST
def review_assign(request: AuthenticatedRequest, year: int) -> HttpResponse:
    """The administrator sets the analysts of one organisation (the overview's select)."""
    fiscal_year_get(year=year)
    require(can_assign_analysts(request.user), ASSIGN_ANALYSTS)
    organisation = plan_organisation(request.POST.get("organisation", ""))
    chosen = [
        pk for pk in request.POST.getlist("analyst") if pk.isascii() and pk.isdecimal() and len(pk) <= 18
    ]
    assigned = list(analysts().filter(pk__in=chosen))
    services.analysts_assign(organisation=organisation, analysts=assigned)
    names = ", ".join(u.display_name for u in assigned) or _("ไม่มี")
    messages.success(
        request,
        _("มอบหมาย%(org)sให้ %(names)s แล้ว") % {"org": organisation.name_in(get_language()), "names": names},
    )
    back = reverse("review-overview", args=[year])
    query = request.POST.get("query", "")
    return redirect(f"{back}?{query}#org-{organisation.code}" if query else f"{back}#org-{organisation.code}")


# --- the analyst's page ---------------------------------------------------------------------------


def _review_context(request: AuthenticatedRequest, page: PlanPage) -> dict[str, Any]:
    fiscal_year, organisation, plan = page.fiscal_year, page.organisation, page.plan
    issues = plan_issues(plan) if plan.pk else []
    tree = plan_tree_of(issues)
    findings = [ShownFinding.of(f, get_language()) for f in plan_findings_of(plan, tree=tree)]
    review = PlanReview.objects.filter(plan=plan).first() if plan.pk else None
    reviews = {str(r.kpi_uid): r for r in review.kpis.select_related("responded_by")} if review else {}
    kpis = [kpi for issue in issues for goal in issue.goals.all() for kpi in goal.kpis.all()]
    blocks = {
        kpi.pk: {
            "form": KpiReviewForm(
                initial=KpiReviewForm.initial_for(reviews.get(str(kpi.uid))), prefix=f"r{kpi.pk}"
            ),
            "review": reviews.get(str(kpi.uid)),
            "findings": [f for f in findings if f.kpi_uid == str(kpi.uid)],
        }
        for kpi in kpis
    }
    editable = plan.status in REVIEWING_STATUSES and can_review_plan(request.user, organisation)
    return {
        "fiscal_year": fiscal_year,
        "organisation": organisation,
        "plan": plan,
        "issues": issues,
        "review": review,
        "blocks": blocks,
        "notes_form": NotesForm(initial={"notes": review.notes if review else ""}),
        "return_form": ReturnForm(),
        "ready_form": ReadyForm(),
        "findings": findings,
        "plan_findings": [f for f in findings if not f.kpi_uid],
        "reviewed": sum(1 for kpi in kpis if str(kpi.uid) in reviews and reviews[str(kpi.uid)].verdict),
        "total": len(kpis),
        "editable": editable,
        "can_return": editable,
        "can_ready": editable,
        "assigned": list(organisation.assigned_analysts.filter(is_active=True)),
        "weights": weight_check(
            tree, expected=expected_plan_weight(fiscal_year=fiscal_year, organisation=organisation)
        ),
        "labels": field_labels(get_language()),
        "proposed_fields": PROPOSED_FIELDS,
        "baseline_years": fiscal_year.baseline_years,
        "verdicts": Verdict,
    }


@login_required
@require_GET
def review_plan(request: AuthenticatedRequest, year: int, org: str) -> HttpResponse:
    page = plan_page(request.user, year, org, allowed=lambda u, _o: can_read_reviews(u), refusal=READ_REVIEWS)
    return render(request, "review/review_plan.html", _review_context(request, page))


def _saved_status(
    request: AuthenticatedRequest, saved: services.ReviewSave, errors: dict[str, Any]
) -> HttpResponse:
    labels = field_labels(get_language())
    context = {
        "now": timezone.localtime(),
        "saved": saved,
        "errors": [
            (labels.get(name.removeprefix("proposed_"), name), " ".join(str(m) for m in messages_))
            for name, messages_ in errors.items()
        ],
        "problems": [problem.message(get_language()) for problem in saved.problems],
    }
    return render(request, "review/_saved.html", context)


@signed_in
@require_POST
@domain_errors("review-plan")
def review_kpi_save(request: AuthenticatedRequest, year: int, org: str, uid: Any) -> HttpResponse:
    """Autosave of the analyst's word on one KPI: keeps every field that parsed, reports the rest."""
    page = plan_page(request.user, year, org, allowed=can_review_plan, refusal=REVIEW_PLAN)
    kpi = get_object_or_404(Kpi, uid=uid, plan_id=page.plan.pk)
    form = KpiReviewForm(request.POST, prefix=f"r{kpi.pk}")
    form.is_valid()

    def sent(name: str) -> Any:
        """A field sent and valid: its value; any other: None (left as stored)."""
        if form.add_prefix(name) not in request.POST or name in form.errors:
            return None
        return form.cleaned_data.get(name)

    saved = services.kpi_review_save(
        plan=page.plan,
        kpi_uid=str(kpi.uid),
        actor=request.user,
        verdict=sent("verdict"),
        comment=sent("comment"),
        note=sent("note"),
        proposed={
            name: form.cleaned_data.get(f"proposed_{name}")
            for name in PROPOSED_FIELDS
            if form.add_prefix(f"proposed_{name}") in request.POST and f"proposed_{name}" not in form.errors
        },
    )
    if request.htmx:
        return _saved_status(request, saved, form.errors)
    if form.errors:
        messages.error(request, _("ตัวชี้วัด %(code)s: บันทึกบางช่องไม่ได้") % {"code": kpi.code})
    else:
        messages.success(request, _("บันทึกผลการพิจารณาตัวชี้วัด %(code)s แล้ว") % {"code": kpi.code})
    return redirect(reverse("review-plan", args=[year, org]) + f"#kpi-{kpi.uid}")


@signed_in
@require_POST
@domain_errors("review-plan")
def review_notes_save(request: AuthenticatedRequest, year: int, org: str) -> HttpResponse:
    page = plan_page(request.user, year, org, allowed=can_review_plan, refusal=REVIEW_PLAN)
    form = NotesForm(request.POST)
    if not form.is_valid():
        raise DomainError("บันทึกภายในยาวเกินไป", "The internal notes are too long")
    services.plan_review_notes_save(plan=page.plan, actor=request.user, notes=form.cleaned_data["notes"])
    if request.htmx:
        return render(
            request, "review/_saved.html", {"now": timezone.localtime(), "saved": None, "errors": []}
        )
    messages.success(request, _("บันทึกภายในแล้ว"))
    return redirect("review-plan", year, org)


@login_required
@require_GET
def review_similar(request: AuthenticatedRequest, year: int, org: str, uid: Any) -> HttpResponse:
    """How others measure this KPI (loaded when the analyst opens it)."""
    page = plan_page(request.user, year, org, allowed=lambda u, _o: can_read_reviews(u), refusal=READ_REVIEWS)
    kpi = get_object_or_404(
        Kpi.objects.select_related("plan__fiscal_year", "plan__organisation"), uid=uid, plan_id=page.plan.pk
    )
    similar = library_results(user=request.user, kpis=similar_kpis(kpi=kpi, user=request.user))
    return render(request, "library/_similar.html", {"similar": similar})


def _refused_form(
    request: AuthenticatedRequest, page: PlanPage, name: str, form: forms.Form, error: str
) -> HttpResponse:
    """The review page again, status 400, with the form ``name`` as the analyst filled it and what is wrong."""
    context = {**_review_context(request, page), name: form, f"{name}_error": error}
    return render(request, "review/review_plan.html", context, status=400)


@login_required
@require_POST
def review_return(request: AuthenticatedRequest, year: int, org: str) -> HttpResponse:
    page = plan_page(request.user, year, org, allowed=can_review_plan, refusal=REVIEW_PLAN)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        return _refused_form(request, page, "return_form", form, _("กรุณาแก้ไขช่องที่ระบุ"))
    try:
        services.review_return(
            plan=page.plan,
            actor=request.user,
            message=form.cleaned_data["message"],
            revise_by=form.cleaned_data["revise_by"],
        )
    except DomainError as error:
        return _refused_form(request, page, "return_form", form, error.message(get_language()))
    name = page.organisation.name_in(get_language())
    messages.success(request, _("ส่งกลับให้%(org)sแก้ไขแล้ว") % {"org": name})
    return redirect("review-plan", year, org)


@login_required
@require_POST
def review_ready(request: AuthenticatedRequest, year: int, org: str) -> HttpResponse:
    page = plan_page(request.user, year, org, allowed=can_review_plan, refusal=REVIEW_PLAN)
    form = ReadyForm(request.POST)
    if not form.is_valid():
        return _refused_form(request, page, "ready_form", form, _("กรุณาแก้ไขช่องที่ระบุ"))
    try:
        services.review_mark_ready(plan=page.plan, actor=request.user, note=form.cleaned_data["note"])
    except DomainError as error:
        return _refused_form(request, page, "ready_form", form, error.message(get_language()))
    name = page.organisation.name_in(get_language())
    messages.success(request, _("%(org)s พร้อมเจรจาแล้ว") % {"org": name})
    return redirect("review-plan", year, org)


# --- the province's answers -------------------------------------------------------------------------


def _answers_context(request: AuthenticatedRequest, page: PlanPage, **refused: str) -> dict[str, Any]:
    plan = page.plan
    asked = services.asked_reviews(plan, sent=True, dropped=True) if plan.pk else []
    language = get_language()
    return {
        "items": [(item, item.proposal_rows(language)) for item in asked],
        "answered": sum(1 for item in asked if item.review.response),
        "fiscal_year": page.fiscal_year,
        "organisation": page.organisation,
        "plan": plan,
        "asked": asked,
        "late": plan.status == PlanStatus.RETURNED
        and plan.revise_by is not None
        and timezone.localdate() > plan.revise_by,
        "can_answer": plan.status == PlanStatus.RETURNED
        and can_answer_review(request.user, page.organisation),
        # An answer refused: refused_uid (its KPI), refused_answer (as typed) and refused_error.
        **refused,
    }


@login_required
@require_GET
def review_answers(request: AuthenticatedRequest, year: int, org: str) -> HttpResponse:
    """OPDC's comments and proposals beside each KPI as they were sent at the last return, to accept or
    answer (never the internal notes, nor the analyst's drafts of the next round)."""
    page = plan_page(request.user, year, org, allowed=can_view_plan, refusal=VIEW_PLAN)
    return render(request, "review/answers.html", _answers_context(request, page))


def _answers(year: int, org: str, uid: Any) -> HttpResponse:
    return redirect(reverse("review-answers", args=[year, org]) + f"#kpi-{uid}")


@login_required
@require_POST
@domain_errors("review-answers")
def review_accept(request: AuthenticatedRequest, year: int, org: str, uid: Any) -> HttpResponse:
    page = plan_page(request.user, year, org)
    kpi_review = services.kpi_review_accept(plan=page.plan, kpi_uid=str(uid), actor=request.user)
    if kpi_review.sent_verdict == Verdict.DROP:
        message = _("ยอมรับข้อเสนอแล้ว ตัวชี้วัดถูกตัดออกจากแบบฟอร์ม")
    elif kpi_review.sent_proposal:
        message = _("ยอมรับข้อเสนอแล้ว ค่าที่เสนอถูกบันทึกในแบบฟอร์ม")
    else:
        message = _("รับทราบความเห็นแล้ว กรุณาแก้ไขตัวชี้วัดในแบบฟอร์มตามความเห็น")
    messages.success(request, message)
    return _answers(year, org, str(uid))


@login_required
@require_POST
def review_answer(request: AuthenticatedRequest, year: int, org: str, uid: Any) -> HttpResponse:
    page = plan_page(request.user, year, org)
    form = AnswerForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError(
                "กรุณาเขียนคำชี้แจง (ไม่เกิน 5,000 ตัวอักษร)", "Write your answer (at most 5,000 characters)"
            )
        services.kpi_review_answer(
            plan=page.plan, kpi_uid=str(uid), actor=request.user, answer=form.cleaned_data["answer"]
        )
    except DomainError as error:
        context = _answers_context(
            request,
            page,
            refused_uid=str(uid),
            refused_answer=request.POST.get("answer", ""),
            refused_error=error.message(get_language()),
        )
        return render(request, "review/answers.html", context, status=400)
    messages.success(request, _("บันทึกคำชี้แจงแล้ว"))
    return _answers(year, org, str(uid))
