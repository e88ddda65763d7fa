"""The one way a view finds a plan: the fiscal year, the organisation and its plan, after asking access.

Reading never writes: an organisation that has not started has an unsaved, empty plan here, stored by the
first change made to it.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.shortcuts import get_object_or_404

from khamrap.accounts.access import VIEW_PLAN, Refusal, can_view_plan, require
from khamrap.accounts.models import User
from khamrap.frameworks.models import FiscalYear
from khamrap.frameworks.selectors import fiscal_year_get
from khamrap.orgs.models import Organisation
from khamrap.orgs.selectors import plan_organisations
from khamrap.plans.models import Plan
from khamrap.plans.selectors import plan_or_blank


@dataclass(frozen=True)
class PlanPage:
    fiscal_year: FiscalYear
    organisation: Organisation
    plan: Plan


def plan_organisation(code: str) -> Organisation:
    """A province or cluster by its code (404 otherwise): the organisations that have plans."""
    return get_object_or_404(plan_organisations(), code=code)


def plan_page(
    user: User,
    year: int,
    org: str,
    *,
    allowed: Callable[[User, Organisation], bool] = can_view_plan,
    refusal: Refusal = VIEW_PLAN,
) -> PlanPage:
    """The plan of ``org`` in ``year`` if ``allowed(user, organisation)`` (403 otherwise; 404 for an unknown
    year or organisation)."""
    fiscal_year = fiscal_year_get(year=year)
    organisation = plan_organisation(org)
    require(allowed(user, organisation), refusal)
    return PlanPage(
        fiscal_year, organisation, plan_or_blank(fiscal_year=fiscal_year, organisation=organisation)
    )
