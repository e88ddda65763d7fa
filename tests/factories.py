"""Factories for test data (factory-boy): an account of any role, a plan holding a tree."""

import factory
from factory.django import DjangoModelFactory

from khamrap.accounts.models import Role, User
from khamrap.frameworks.models import FiscalYear
from khamrap.orgs.models import Organisation
from khamrap.plans import editing
from khamrap.plans.models import Plan
from khamrap.site.samples import sample_plan

TEST_PASSWORD = "pw-for-tests-only"


class UserFactory(DjangoModelFactory[User]):
    """``UserFactory(username="cm_officer", role=Role.PROVINCE_OFFICER, organisation__code="50")``."""

    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    role = Role.VIEWER
    organisation = None
    password = factory.django.Password(TEST_PASSWORD)

    @classmethod
    def of(cls, username: str, role: Role, org_code: str | None = None) -> User:
        organisation = Organisation.objects.get(code=org_code) if org_code else None
        return cls(username=username, role=role, organisation=organisation)


class PlanFactory(DjangoModelFactory[Plan]):
    """A plan of FY2551; ``tree`` (default: the sample plan) is written as the workbook import would, by
    ``tree__actor`` (default: the command line)."""

    class Meta:
        model = Plan
        django_get_or_create = ("fiscal_year", "organisation")
        skip_postgeneration_save = True  # the tree is written by the service, which saves what it changes

    fiscal_year = factory.LazyFunction(lambda: FiscalYear.objects.get(year=2551))
    organisation = factory.LazyFunction(lambda: Organisation.objects.get(code="50"))

    @factory.post_generation
    def tree(plan: Plan, create: bool, extracted: object, **kwargs: object) -> None:  # type: ignore[misc]
        if create:
            actor = kwargs.get("actor")
            assert actor is None or isinstance(actor, User)
            editing.plan_tree_replace(plan=plan, data=extracted or sample_plan(), actor=actor)
            plan.refresh_from_db()
