"""The negotiation form on the web: the plan page, editing its tree, and its submission. Views stay thin:
:func:`~khamrap.plans.lookup.plan_page` finds the plan and asks access, one service does the work."""

from collections.abc import Callable
from functools import wraps
from typing import Any

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
    AuthenticatedRequest,
    can_approve_plan,
    can_edit_plan,
    can_read_reviews,
    can_review_plan,
)
from khamrap.accounts.decorators import signed_in
from khamrap.core.errors import DomainError
from khamrap.frameworks.selectors import expected_plan_weight
from khamrap.plans import editing, submission
from khamrap.plans.checks import ShownFinding, plan_findings_of
from khamrap.plans.forms import KpiForm, NameForm, NewKpiForm
from khamrap.plans.lookup import plan_page
from khamrap.plans.models import Goal, Kpi, StrategicIssue
from khamrap.plans.schema import (
    DETAIL_FORM_FIELDS,
    field_helps,
    field_label,
    field_labels,
    kpi_problems,
    weight_check,
)
from khamrap.plans.selectors import kpi_data, plan_issues, plan_tree, plan_tree_of
from khamrap.plans.submission import deadline_for, extension_of, plan_needs_approval, plan_sent_back_note

View = Callable[..., HttpResponse]


def _back(year: int, org: str, anchor: str = "") -> HttpResponse:
    url = reverse("plan-detail", args=[year, org])
    return redirect(f"{url}#{anchor}" if anchor else url)


def domain_errors(view: View) -> View:
    """A rule that says no becomes a Thai message on the plan page, never a stack trace."""

    @wraps(view)
    def wrapper(
        request: AuthenticatedRequest, year: int, org: str, *args: Any, **kwargs: Any
    ) -> HttpResponse:
        try:
            return view(request, year, org, *args, **kwargs)
        except DomainError as error:
            if request.htmx:
                return HttpResponse(
                    format_html(
                        '<span class="field-error" role="alert">{}</span>', error.message(get_language())
                    ),
                    status=409,
                )
            messages.error(request, error.message(get_language()))
            return _back(year, org)

    return wrapper


# --- the plan page --------------------------------------------------------------------------------


@login_required
@require_GET
def plan_detail(request: AuthenticatedRequest, year: int, org: str) -> HttpResponse:
    page = plan_page(request.user, year, org)
    fiscal_year, organisation, plan = page.fiscal_year, page.organisation, page.plan
    user = request.user
    editable = plan.is_editable and can_edit_plan(user, organisation)
    issues = plan_issues(plan)  # read once: the form, the weights and the submission check all use it
    expected = expected_plan_weight(fiscal_year=fiscal_year, organisation=organisation)
    tree = plan_tree_of(issues)
    data_by_uid = {kpi.uid: kpi for kpi in tree.kpis()}
    findings = plan_findings_of(plan, tree=tree)  # advice beside each KPI, never a refusal
    shown_findings = [ShownFinding.of(f, get_language()) for f in findings]
    kpi_blocks: dict[int, dict[str, Any]] = {}
    for issue in issues:
        for goal in issue.goals.all():
            for kpi in goal.kpis.all():
                data = data_by_uid[str(kpi.uid)]
                kpi_blocks[kpi.pk] = {
                    "form": KpiForm(initial=KpiForm.initial_for(kpi), prefix=f"k{kpi.pk}"),
                    "problems": {p.field: p.message(get_language()) for p in kpi_problems(data)},
                    "findings": [f for f in shown_findings if f.kpi_uid == data.uid],
                }
    extension = extension_of(fiscal_year=fiscal_year, organisation=organisation)
    deadline = deadline_for(fiscal_year=fiscal_year, extension=extension)
    context = {
        "fiscal_year": fiscal_year,
        "organisation": organisation,
        "plan": plan,
        "issues": issues,
        "kpi_blocks": kpi_blocks,
        "plan_findings": [f for f in shown_findings if not f.kpi_uid],
        "findings_count": len(shown_findings),
        "kpi_findings_count": len(shown_findings) - len([f for f in shown_findings if not f.kpi_uid]),
        "editable": editable,
        "can_approve": can_approve_plan(user, organisation) and plan.is_awaiting_approval,
        "can_return": can_review_plan(user, organisation) and plan.is_returnable,
        "can_review": can_read_reviews(user) and plan.is_submitted,
        "weights": weight_check(tree, expected=expected),
        "submission_problems": (
            submission.submission_problems(plan, tree=tree, expected_weight=expected) if editable else []
        ),
        "deadline": deadline,
        "extension": extension,
        "days_left": (deadline - timezone.localdate()).days,
        "baseline_years": fiscal_year.baseline_years,
        "events": plan.events.select_related("actor").order_by("-at")[:10] if plan.pk else [],
        "labels": field_labels(get_language()),
        "detail_fields": DETAIL_FORM_FIELDS,
        "helps": field_helps(get_language()),
        "needs_approval": plan_needs_approval(plan),
        "sent_back": plan_sent_back_note(plan),
    }
    return render(request, "plans/plan_detail.html", context)


# --- editing the tree -----------------------------------------------------------------------------


def _name_from(request: AuthenticatedRequest) -> str:
    form = NameForm(request.POST)
    if not form.is_valid():
        raise DomainError("กรุณาระบุชื่อ", "A name is required")
    return str(form.cleaned_data["name"])


@login_required
@require_POST
@domain_errors
def issue_create(request: AuthenticatedRequest, year: int, org: str) -> HttpResponse:
    plan = plan_page(request.user, year, org).plan
    issue = editing.issue_add(plan=plan, actor=request.user, name=_name_from(request))
    return _back(year, org, f"issue-{issue.pk}")


@signed_in
@require_POST
@domain_errors
def issue_update(request: AuthenticatedRequest, year: int, org: str, pk: int) -> HttpResponse:
    plan = plan_page(request.user, year, org).plan
    issue = get_object_or_404(StrategicIssue, pk=pk, plan_id=plan.pk)
    editing.issue_rename(issue=issue, actor=request.user, name=_name_from(request))
    if request.htmx:
        return _saved_fragment()
    return _back(year, org, f"issue-{issue.pk}")


@login_required
@require_POST
@domain_errors
def issue_delete(request: AuthenticatedRequest, year: int, org: str, pk: int) -> HttpResponse:
    plan = plan_page(request.user, year, org).plan
    editing.issue_delete(issue=get_object_or_404(StrategicIssue, pk=pk, plan_id=plan.pk), actor=request.user)
    messages.success(request, _("ลบประเด็นยุทธศาสตร์แล้ว"))
    return _back(year, org)


@login_required
@require_POST
@domain_errors
def goal_create(request: AuthenticatedRequest, year: int, org: str, issue_pk: int) -> HttpResponse:
    plan = plan_page(request.user, year, org).plan
    issue = get_object_or_404(StrategicIssue, pk=issue_pk, plan_id=plan.pk)
    goal = editing.goal_add(issue=issue, actor=request.user, name=_name_from(request))
    return _back(year, org, f"goal-{goal.pk}")


@signed_in
@require_POST
@domain_errors
def goal_update(request: AuthenticatedRequest, year: int, org: str, pk: int) -> HttpResponse:
    plan = plan_page(request.user, year, org).plan
    goal = get_object_or_404(Goal, pk=pk, issue__plan_id=plan.pk)
    editing.goal_rename(goal=goal, actor=request.user, name=_name_from(request))
    if request.htmx:
        return _saved_fragment()
    return _back(year, org, f"goal-{goal.pk}")


@login_required
@require_POST
@domain_errors
def goal_delete(request: AuthenticatedRequest, year: int, org: str, pk: int) -> HttpResponse:
    plan = plan_page(request.user, year, org).plan
    editing.goal_delete(goal=get_object_or_404(Goal, pk=pk, issue__plan_id=plan.pk), actor=request.user)
    messages.success(request, _("ลบเป้าประสงค์แล้ว"))
    return _back(year, org)


@login_required
@require_POST
@domain_errors
def kpi_create(request: AuthenticatedRequest, year: int, org: str, goal_pk: int) -> HttpResponse:
    plan = plan_page(request.user, year, org).plan
    goal = get_object_or_404(Goal, pk=goal_pk, issue__plan_id=plan.pk)
    form = NewKpiForm(request.POST)
    if not form.is_valid():
        raise DomainError("กรุณาระบุชื่อตัวชี้วัดและประเภท", "Name and type are required")
    kpi = editing.kpi_add(goal=goal, actor=request.user, **form.cleaned_data)
    return _back(year, org, f"kpi-{kpi.pk}")


@signed_in
@require_POST
@domain_errors
def kpi_save(request: AuthenticatedRequest, year: int, org: str, pk: int) -> HttpResponse:
    """Autosave of one KPI (htmx) or a plain save (no JavaScript): keeps what parsed, reports the rest."""
    page = plan_page(request.user, year, org)
    fiscal_year, organisation, plan = page.fiscal_year, page.organisation, page.plan
    kpi = get_object_or_404(Kpi, pk=pk, plan_id=plan.pk)
    form = KpiForm(request.POST, prefix=f"k{kpi.pk}")
    form.is_valid()
    revision = request.POST.get("revision", "")
    saved = editing.kpi_update(
        kpi=kpi,
        actor=request.user,
        values=form.valid_values(),
        levels=form.valid_levels(),
        base_revision=int(revision) if revision.isdigit() else None,
    )
    kpi = saved.kpi
    if not request.htmx:
        for conflict in saved.conflicts:
            messages.warning(
                request,
                _(
                    "ตัวชี้วัด %(code)s: %(field)s ถูกแก้ไขเป็น “%(theirs)s” หลังจากที่ท่านเปิดหน้านี้ ค่าของท่าน “%(mine)s” ยังไม่ได้บันทึก"
                )
                % {
                    "code": kpi.code,
                    "field": field_label(conflict.field, get_language()),
                    "theirs": conflict.theirs,
                    "mine": conflict.mine,
                },
            )
        if saved.conflicts:
            return _back(year, org, f"kpi-{kpi.pk}")
        if form.errors:
            messages.error(
                request,
                _("ตัวชี้วัด %(code)s: บันทึกบางช่องไม่ได้ ") % {"code": kpi.code}
                + "; ".join(
                    f"{field_label(f, get_language())}: {' '.join(str(m) for m in e)}"
                    for f, e in form.errors.items()
                ),
            )
        else:
            messages.success(request, _("บันทึกตัวชี้วัด %(code)s แล้ว") % {"code": kpi.code})
        return _back(year, org, f"kpi-{kpi.pk}")
    problems = {
        p.field: p.message(get_language()) for p in kpi_problems(kpi_data(kpi, list(kpi.levels.all())))
    }
    for field, errors in form.errors.items():
        problems[field] = " ".join(str(m) for m in errors)
    tree = plan_tree(plan)
    expected = expected_plan_weight(fiscal_year=fiscal_year, organisation=organisation)
    # The checks run again on the plan as saved: every KPI's findings and the plan's are sent to the page.
    shown = [ShownFinding.of(f, get_language()) for f in plan_findings_of(plan, tree=tree)]
    pks = dict(Kpi.objects.filter(plan=plan).values_list("uid", "pk"))
    kpi_findings = [(pk, [f for f in shown if f.kpi_uid == str(uid)]) for uid, pk in pks.items()]
    return render(
        request,
        "plans/_kpi_status.html",
        {
            "fiscal_year": fiscal_year,
            "organisation": organisation,
            "plan": plan,
            "editable": True,
            "needs_approval": plan_needs_approval(plan),
            "submission_problems": submission.submission_problems(plan, tree=tree, expected_weight=expected),
            "kpi": kpi,
            "problems": problems,
            "fields": [*KpiForm.base_fields.keys()],
            "weights": weight_check(tree, expected=expected),
            "saved_at": timezone.localtime(),
            "revision": saved.revision,
            "conflicts": saved.conflicts,
            "refreshed": [(f"k{kpi.pk}-{name}", value) for name, value in saved.refreshed],
            "labels": field_labels(get_language()),
            "kpi_findings": kpi_findings,
            "plan_findings": [f for f in shown if not f.kpi_uid],
        },
    )


@login_required
@require_POST
@domain_errors
def kpi_delete(request: AuthenticatedRequest, year: int, org: str, pk: int) -> HttpResponse:
    plan = plan_page(request.user, year, org).plan
    kpi = get_object_or_404(Kpi, pk=pk, plan_id=plan.pk)
    editing.kpi_delete(kpi=kpi, actor=request.user)
    messages.success(request, _("ลบตัวชี้วัด %(code)s แล้ว") % {"code": kpi.code})
    return _back(year, org)


MOVES = {"up": -1, "down": 1}


def _move_offset(request: AuthenticatedRequest) -> int:
    """The ▲/▼ buttons send ``direction``; anything else is refused like every other rule."""
    offset = MOVES.get(request.POST.get("direction", ""))
    if offset is None:
        raise DomainError("เลื่อนได้เฉพาะขึ้นหรือลง", "Direction must be up or down")
    return offset


@login_required
@require_POST
@domain_errors
def issue_move(request: AuthenticatedRequest, year: int, org: str, pk: int) -> HttpResponse:
    plan = plan_page(request.user, year, org).plan
    issue = get_object_or_404(StrategicIssue, pk=pk, plan_id=plan.pk)
    offset = _move_offset(request)
    editing.issue_move(issue=issue, actor=request.user, offset=offset)
    return _back(year, org, f"issue-{issue.pk}")


@login_required
@require_POST
@domain_errors
def goal_move(request: AuthenticatedRequest, year: int, org: str, pk: int) -> HttpResponse:
    plan = plan_page(request.user, year, org).plan
    goal = get_object_or_404(Goal, pk=pk, issue__plan_id=plan.pk)
    offset = _move_offset(request)
    editing.goal_move(goal=goal, actor=request.user, offset=offset)
    return _back(year, org, f"goal-{goal.pk}")


@login_required
@require_POST
@domain_errors
def kpi_move(request: AuthenticatedRequest, year: int, org: str, pk: int) -> HttpResponse:
    plan = plan_page(request.user, year, org).plan
    kpi = get_object_or_404(Kpi, pk=pk, plan_id=plan.pk)
    offset = _move_offset(request)
    editing.kpi_move(kpi=kpi, actor=request.user, offset=offset)
    return _back(year, org, f"kpi-{kpi.pk}")


def _saved_fragment() -> HttpResponse:
    return HttpResponse(
        format_html('<span class="saved-indicator">บันทึกแล้ว {} น.</span>', f"{timezone.localtime():%H:%M:%S}")
    )


# --- submission -----------------------------------------------------------------------------------


@login_required
@require_POST
@domain_errors
def plan_submit(request: AuthenticatedRequest, year: int, org: str) -> HttpResponse:
    plan = plan_page(request.user, year, org).plan
    plan = submission.plan_submit(plan=plan, actor=request.user)
    if plan.is_awaiting_approval:
        messages.success(request, _("เสนอผู้ว่าราชการจังหวัดอนุมัติแล้ว แบบฟอร์มจะถึงสำนักงาน ก.พ.ร. เมื่อได้รับอนุมัติ"))
    else:
        messages.success(request, _("ส่งแบบฟอร์มถึงสำนักงาน ก.พ.ร. แล้ว"))
    return _back(year, org)


@login_required
@require_POST
@domain_errors
def plan_approve(request: AuthenticatedRequest, year: int, org: str) -> HttpResponse:
    plan = plan_page(request.user, year, org).plan
    plan = submission.plan_approve(plan=plan, actor=request.user)
    messages.success(
        request,
        _("อนุมัติและส่งแบบฟอร์มถึงสำนักงาน ก.พ.ร. แล้ว (ล่าช้า)")
        if plan.is_late
        else _("อนุมัติและส่งแบบฟอร์มถึงสำนักงาน ก.พ.ร. แล้ว"),
    )
    return _back(year, org)


@login_required
@require_POST
@domain_errors
def plan_send_back(request: AuthenticatedRequest, year: int, org: str) -> HttpResponse:
    plan = plan_page(request.user, year, org).plan
    submission.plan_send_back(plan=plan, actor=request.user, note=request.POST.get("note", ""))
    messages.success(request, _("ส่งกลับให้เจ้าหน้าที่แก้ไขแล้ว"))
    return _back(year, org)
