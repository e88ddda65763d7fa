"""Demo plans for `make run`: one draft, one submitted on time, one late, one awaiting the governor."""

from datetime import datetime, time, timedelta

from django.db import transaction

from khamrap.accounts.models import Role, User
from khamrap.frameworks.models import BANGKOK, FiscalYear
from khamrap.orgs.models import Organisation
from khamrap.plans import editing, submission
from khamrap.plans.models import Plan
from khamrap.site.samples import sample_plan


def _actor(organisation: Organisation, role: Role) -> User:
    user, _ = User.objects.get_or_create(
        username=f"demo_{role}_{organisation.code}".lower(),
        defaults={"role": role, "organisation": organisation, "is_active": False},
    )
    return user


@transaction.atomic
def demo_plans_create(*, fiscal_year: FiscalYear) -> int:
    """Create the demo plans that do not exist yet; returns how many were made."""
    deadline = datetime.combine(fiscal_year.submission_deadline, time(10, 0), tzinfo=BANGKOK)
    # code → when the governor approved it (None: leave at that stage)
    scenarios: dict[str, tuple[str, datetime | None]] = {
        "50": ("draft", None),
        "51": ("submitted", deadline - timedelta(days=2)),
        "52": ("submitted", deadline + timedelta(days=3)),
        "58": ("awaiting", None),
        "NU1": ("draft", None),
    }
    made = 0
    organisations = Organisation.objects.in_bulk(list(scenarios), field_name="code")
    existing = set(
        Plan.objects.filter(fiscal_year=fiscal_year, organisation__code__in=scenarios).values_list(
            "organisation__code", flat=True
        )
    )
    for code, (stage, when) in scenarios.items():
        if code in existing or code not in organisations:
            continue
        organisation = organisations[code]
        officer_role = Role.PROVINCE_OFFICER if organisation.is_province else Role.CLUSTER_OFFICER
        officer = _actor(organisation, officer_role)
        plan = editing.plan_get_or_create(fiscal_year=fiscal_year, organisation=organisation)
        editing.plan_tree_replace(plan=plan, data=sample_plan(), actor=officer)
        if stage in {"submitted", "awaiting"}:
            submission.plan_submit(plan=plan, actor=officer, when=when or deadline)
        if stage == "submitted" and when is not None:
            submission.plan_approve(plan=plan, actor=_actor(organisation, Role.EXECUTIVE), when=when)
        made += 1
    return made
