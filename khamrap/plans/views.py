"""The negotiation form on the web, its submission, and OPDC's tracking page. Views stay thin."""

from collections.abc import Callable
from datetime import date
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import require_GET, require_POST

from khamrap.accounts.access import (
    AuthenticatedRequest,
    can_approve_plan_of,
    can_edit_plan_of,
    require_admin,
    require_opdc,
    require_view,
    visible_organisations,
)
from khamrap.core.errors import DomainError
from khamrap.frameworks.models import FiscalYear
from khamrap.frameworks.selectors import fiscal_year_get
from khamrap.orgs.models import Organisation, OrganisationKind
from khamrap.orgs.selectors import clusters_on, participating_organisations
from khamrap.plans import services
from khamrap.plans.forms import KpiForm, NameForm, NewKpiForm
from khamrap.plans.models import Goal, Kpi, Plan, StrategicIssue
from khamrap.plans.schema import FIELD_LABELS_TH, kpi_problems, weight_check
from khamrap.plans.selectors import (
    TrackingStatus,
    deadline_for,
    expected_plan_weight,
    kpi_data,
    plan_issues,
    plan_tree,
    plan_tree_of,
    tracking_counts,
    tracking_rows,
)
from khamrap.plans.tracking_export import tracking_workbook

View = Callable[..., HttpResponse]


def _organisation(code: str) -> Organisation:
    return get_object_or_404(
        Organisation, code=code, kind__in=[OrganisationKind.PROVINCE, OrganisationKind.CLUSTER]
    )


def _plan_for(request: AuthenticatedRequest, year: int, org: str) -> tuple[FiscalYear, Organisation, Plan]:
    """The plan of ``org`` in ``year``, after checking that the user may see it (403 otherwise)."""
    fiscal_year = fiscal_year_get(year=year)
    organisation = _organisation(org)
    require_view(request.user, organisation)
    plan = services.plan_get_or_create(fiscal_year=fiscal_year, organisation=organisation)
    return fiscal_year, organisation, plan


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
                    f'<span class="field-error" role="alert">{error.message(get_language())}</span>',
                    status=409,
                )
            messages.error(request, error.message(get_language()))
            return _back(year, org)

    return wrapper


# --- the plan page --------------------------------------------------------------------------------


@login_required
@require_GET
def plan_detail(request: AuthenticatedRequest, year: int, org: str) -> HttpResponse:
    fiscal_year, organisation, plan = _plan_for(request, year, org)
    user = request.user
    editable = plan.is_editable and can_edit_plan_of(user, organisation)
    issues = plan_issues(plan)  # read once: the form, the weights and the submission check all use it
    expected = expected_plan_weight(fiscal_year=fiscal_year, organisation=organisation)
    tree = plan_tree_of(issues)
    data_by_uid = {kpi.uid: kpi for kpi in tree.kpis()}
    kpi_blocks: dict[int, dict[str, Any]] = {}
    for issue in issues:
        for goal in issue.goals.all():
            for kpi in goal.kpis.all():
                data = data_by_uid[str(kpi.uid)]
                kpi_blocks[kpi.pk] = {
                    "form": KpiForm(initial=KpiForm.initial_for(kpi), prefix=f"k{kpi.pk}"),
                    "problems": {p.field: p.message(get_language()) for p in kpi_problems(data)},
                }
    extension = plan.organisation.extensions.filter(fiscal_year=fiscal_year).first()
    deadline = deadline_for(fiscal_year=fiscal_year, extension=extension)
    context = {
        "fiscal_year": fiscal_year,
        "organisation": organisation,
        "plan": plan,
        "issues": issues,
        "kpi_blocks": kpi_blocks,
        "editable": editable,
        "can_approve": can_approve_plan_of(user, organisation) and plan.status == "awaiting_approval",
        "can_return": user.is_opdc and plan.is_submitted and plan.status not in {"agreed", "signed", "ready"},
        "weights": weight_check(tree, expected=expected),
        "submission_problems": (
            services.submission_problems(plan, tree=tree, expected_weight=expected) if editable else []
        ),
        "deadline": deadline,
        "extension": extension,
        "days_left": (deadline - timezone.localdate()).days,
        "baseline_years": fiscal_year.baseline_years,
        "events": plan.events.select_related("actor").order_by("-at")[:10],
        "labels": FIELD_LABELS_TH,
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
    _, _, plan = _plan_for(request, year, org)
    issue = services.issue_add(plan=plan, actor=request.user, name=_name_from(request))
    return _back(year, org, f"issue-{issue.pk}")


@login_required
@require_POST
@domain_errors
def issue_update(request: AuthenticatedRequest, year: int, org: str, pk: int) -> HttpResponse:
    _, _, plan = _plan_for(request, year, org)
    issue = get_object_or_404(StrategicIssue, pk=pk, plan=plan)
    services.issue_rename(issue=issue, actor=request.user, name=_name_from(request))
    if request.htmx:
        return _saved_fragment()
    return _back(year, org, f"issue-{issue.pk}")


@login_required
@require_POST
@domain_errors
def issue_delete(request: AuthenticatedRequest, year: int, org: str, pk: int) -> HttpResponse:
    _, _, plan = _plan_for(request, year, org)
    services.issue_delete(issue=get_object_or_404(StrategicIssue, pk=pk, plan=plan), actor=request.user)
    messages.success(request, "ลบประเด็นยุทธศาสตร์แล้ว")
    return _back(year, org)


@login_required
@require_POST
@domain_errors
def goal_create(request: AuthenticatedRequest, year: int, org: str, issue_pk: int) -> HttpResponse:
    _, _, plan = _plan_for(request, year, org)
    issue = get_object_or_404(StrategicIssue, pk=issue_pk, plan=plan)
    goal = services.goal_add(issue=issue, actor=request.user, name=_name_from(request))
    return _back(year, org, f"goal-{goal.pk}")


@login_required
@require_POST
@domain_errors
def goal_update(request: AuthenticatedRequest, year: int, org: str, pk: int) -> HttpResponse:
    _, _, plan = _plan_for(request, year, org)
    goal = get_object_or_404(Goal, pk=pk, issue__plan=plan)
    services.goal_rename(goal=goal, actor=request.user, name=_name_from(request))
    if request.htmx:
        return _saved_fragment()
    return _back(year, org, f"goal-{goal.pk}")


@login_required
@require_POST
@domain_errors
def goal_delete(request: AuthenticatedRequest, year: int, org: str, pk: int) -> HttpResponse:
    _, _, plan = _plan_for(request, year, org)
    services.goal_delete(goal=get_object_or_404(Goal, pk=pk, issue__plan=plan), actor=request.user)
    messages.success(request, "ลบเป้าประสงค์แล้ว")
    return _back(year, org)


@login_required
@require_POST
@domain_errors
def kpi_create(request: AuthenticatedRequest, year: int, org: str, goal_pk: int) -> HttpResponse:
    _, _, plan = _plan_for(request, year, org)
    goal = get_object_or_404(Goal, pk=goal_pk, issue__plan=plan)
    form = NewKpiForm(request.POST)
    if not form.is_valid():
        raise DomainError("กรุณาระบุชื่อตัวชี้วัดและประเภท", "Name and type are required")
    kpi = services.kpi_add(goal=goal, actor=request.user, **form.cleaned_data)
    return _back(year, org, f"kpi-{kpi.pk}")


@login_required
@require_POST
@domain_errors
def kpi_save(request: AuthenticatedRequest, year: int, org: str, pk: int) -> HttpResponse:
    """Autosave of one KPI (htmx) or a plain save (no JavaScript): keeps what parsed, reports the rest."""
    fiscal_year, organisation, plan = _plan_for(request, year, org)
    kpi = get_object_or_404(Kpi, pk=pk, plan=plan)
    form = KpiForm(request.POST, prefix=f"k{kpi.pk}")
    form.is_valid()
    kpi = services.kpi_update(
        kpi=kpi, actor=request.user, values=form.valid_values(), levels=form.valid_levels()
    )
    if not request.htmx:
        if form.errors:
            messages.error(
                request,
                f"ตัวชี้วัด {kpi.code}: บันทึกบางช่องไม่ได้ "
                + "; ".join(
                    f"{FIELD_LABELS_TH.get(f, f)}: {' '.join(str(m) for m in e)}"
                    for f, e in form.errors.items()
                ),
            )
        else:
            messages.success(request, f"บันทึกตัวชี้วัด {kpi.code} แล้ว")
        return _back(year, org, f"kpi-{kpi.pk}")
    problems = {
        p.field: p.message(get_language()) for p in kpi_problems(kpi_data(kpi, list(kpi.levels.all())))
    }
    for field, errors in form.errors.items():
        problems[field] = " ".join(str(m) for m in errors)
    tree = plan_tree(plan)
    return render(
        request,
        "plans/_kpi_status.html",
        {
            "kpi": kpi,
            "problems": problems,
            "fields": [*KpiForm.base_fields.keys()],
            "weights": weight_check(
                tree, expected=expected_plan_weight(fiscal_year=fiscal_year, organisation=organisation)
            ),
            "saved_at": timezone.localtime(),
        },
    )


@login_required
@require_POST
@domain_errors
def kpi_delete(request: AuthenticatedRequest, year: int, org: str, pk: int) -> HttpResponse:
    _, _, plan = _plan_for(request, year, org)
    kpi = get_object_or_404(Kpi, pk=pk, plan=plan)
    services.kpi_delete(kpi=kpi, actor=request.user)
    messages.success(request, f"ลบตัวชี้วัด {kpi.code} แล้ว")
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
    _, _, plan = _plan_for(request, year, org)
    issue = get_object_or_404(StrategicIssue, pk=pk, plan=plan)
    offset = _move_offset(request)
    services.issue_move(issue=issue, actor=request.user, offset=offset)
    return _back(year, org, f"issue-{issue.pk}")


@login_required
@require_POST
@domain_errors
def goal_move(request: AuthenticatedRequest, year: int, org: str, pk: int) -> HttpResponse:
    _, _, plan = _plan_for(request, year, org)
    goal = get_object_or_404(Goal, pk=pk, issue__plan=plan)
    offset = _move_offset(request)
    services.goal_move(goal=goal, actor=request.user, offset=offset)
    return _back(year, org, f"goal-{goal.pk}")


@login_required
@require_POST
@domain_errors
def kpi_move(request: AuthenticatedRequest, year: int, org: str, pk: int) -> HttpResponse:
    _, _, plan = _plan_for(request, year, org)
    kpi = get_object_or_404(Kpi, pk=pk, plan=plan)
    offset = _move_offset(request)
    services.kpi_move(kpi=kpi, actor=request.user, offset=offset)
    return _back(year, org, f"kpi-{kpi.pk}")


def _saved_fragment() -> HttpResponse:
    return HttpResponse(f'<span class="saved-indicator">บันทึกแล้ว {timezone.localtime():%H:%M:%S} น.</span>')


# --- submission -----------------------------------------------------------------------------------


@login_required
@require_POST
@domain_errors
def plan_submit(request: AuthenticatedRequest, year: int, org: str) -> HttpResponse:
    _, _, plan = _plan_for(request, year, org)
    plan = services.plan_submit(plan=plan, actor=request.user)
    if plan.status == "awaiting_approval":
        messages.success(request, "เสนอผู้ว่าราชการจังหวัดอนุมัติแล้ว แบบฟอร์มจะถึงสำนักงาน ก.พ.ร. เมื่อได้รับอนุมัติ")
    else:
        messages.success(request, "ส่งแบบฟอร์มถึงสำนักงาน ก.พ.ร. แล้ว")
    return _back(year, org)


@login_required
@require_POST
@domain_errors
def plan_approve(request: AuthenticatedRequest, year: int, org: str) -> HttpResponse:
    _, _, plan = _plan_for(request, year, org)
    plan = services.plan_approve(plan=plan, actor=request.user)
    messages.success(request, "อนุมัติและส่งแบบฟอร์มถึงสำนักงาน ก.พ.ร. แล้ว" + (" (ล่าช้า)" if plan.is_late else ""))
    return _back(year, org)


@login_required
@require_POST
@domain_errors
def plan_send_back(request: AuthenticatedRequest, year: int, org: str) -> HttpResponse:
    _, _, plan = _plan_for(request, year, org)
    services.plan_send_back(plan=plan, actor=request.user, note=request.POST.get("note", ""))
    messages.success(request, "ส่งกลับให้เจ้าหน้าที่แก้ไขแล้ว")
    return _back(year, org)


@login_required
@require_POST
@domain_errors
def plan_return(request: AuthenticatedRequest, year: int, org: str) -> HttpResponse:
    _, _, plan = _plan_for(request, year, org)
    services.plan_return(plan=plan, actor=request.user, note=request.POST.get("note", ""))
    messages.success(request, "ส่งกลับให้หน่วยงานแก้ไขแล้ว")
    return _back(year, org)


# --- OPDC's tracking page -------------------------------------------------------------------------


def _tracking_filter(
    request: AuthenticatedRequest, fiscal_year: FiscalYear
) -> tuple[list[Any], dict[str, Any]]:
    require_opdc(request.user)
    organisations = visible_organisations(
        request.user, participating_organisations(on=fiscal_year.structure_on)
    )
    cluster_code = request.GET.get("cluster", "")
    clusters = clusters_on(on=fiscal_year.structure_on)
    if cluster_code:
        chosen = next((c for c in clusters if c.cluster.code == cluster_code), None)
        if chosen is None:
            raise DomainError("ไม่พบกลุ่มจังหวัดที่เลือก", "Unknown cluster")
        organisations = organisations.filter(pk__in=[chosen.cluster.pk, *(p.pk for p in chosen.provinces)])
    rows = tracking_rows(fiscal_year=fiscal_year, organisations=organisations)
    counts = tracking_counts(rows)
    status = request.GET.get("status", "")
    if status in TrackingStatus.LABELS:
        rows = [r for r in rows if r.status == status]
    kind = request.GET.get("kind", "")
    if kind in {OrganisationKind.PROVINCE, OrganisationKind.CLUSTER}:
        rows = [r for r in rows if r.organisation.kind == kind]
    return rows, {
        "clusters": clusters,
        "cluster": cluster_code,
        "status": status,
        "kind": kind,
        "counts": counts,
    }


@login_required
@require_GET
def tracking(request: AuthenticatedRequest, year: int) -> HttpResponse:
    fiscal_year = fiscal_year_get(year=year)
    try:
        rows, filters = _tracking_filter(request, fiscal_year)
    except DomainError as error:
        messages.error(request, error.message_th)
        return redirect("tracking", year)
    today = timezone.localdate()
    return render(
        request,
        "plans/tracking.html",
        {
            "fiscal_year": fiscal_year,
            "rows": rows,
            "status_labels": [
                (key, TrackingStatus.LABELS[key], filters["counts"][key]) for key in TrackingStatus.ORDER
            ],
            "days_left": (fiscal_year.submission_deadline - today).days,
            "total": sum(filters["counts"].values()),
            "query": request.GET.urlencode(),
            **filters,
        },
    )


@login_required
@require_GET
def tracking_export(request: AuthenticatedRequest, year: int) -> HttpResponse:
    fiscal_year = fiscal_year_get(year=year)
    try:
        rows, _ = _tracking_filter(request, fiscal_year)
    except DomainError as error:
        return HttpResponseBadRequest(error.message_th)
    response = HttpResponse(
        tracking_workbook(fiscal_year=fiscal_year, rows=rows),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="khamrap-tracking-{year}.xlsx"'
    return response


@login_required
@require_POST
def submission_window(request: AuthenticatedRequest, year: int) -> HttpResponse:
    fiscal_year = fiscal_year_get(year=year)
    require_admin(request.user)
    is_open = request.POST.get("open") == "1"
    services.submission_window_set(fiscal_year=fiscal_year, is_open=is_open, actor=request.user)
    messages.success(request, "เปิดรับแบบฟอร์มแล้ว" if is_open else "ปิดรับแบบฟอร์มแล้ว")
    return redirect("tracking", year)


@login_required
@require_POST
def extension_grant(request: AuthenticatedRequest, year: int) -> HttpResponse:
    fiscal_year = fiscal_year_get(year=year)
    require_admin(request.user)
    organisation = _organisation(request.POST.get("organisation", ""))
    try:
        until = date.fromisoformat(request.POST.get("until", ""))
    except ValueError:
        messages.error(request, "กรุณาระบุวันที่ขยายเวลาให้ถูกต้อง")
        return redirect("tracking", year)
    try:
        services.extension_grant(
            fiscal_year=fiscal_year,
            organisation=organisation,
            until=until,
            reason=request.POST.get("reason", "")[:300],
            actor=request.user,
        )
    except DomainError as error:
        messages.error(request, error.message_th)
    else:
        messages.success(request, f"ขยายเวลาให้{organisation.name_th}แล้ว")
    return redirect("tracking", year)
