"""Fixtures of the notification tests: the plan fixtures, and officers and governors with an address."""

import pytest

from khamrap.accounts.models import Role, User
from tests.plans.conftest import media, plan  # noqa: F401 - fixtures shared with the plan tests


@pytest.fixture
def cluster_officer_of_chiang_mai(make_user) -> User:  # type: ignore[no-untyped-def]
    """An officer of Chiang Mai's cluster (NU1): not an officer of Chiang Mai's own plan."""
    return make_user("nu1_officer", Role.CLUSTER_OFFICER, "NU1")


@pytest.fixture
def second_officer(make_user) -> User:  # type: ignore[no-untyped-def]
    return make_user("cm_officer2", Role.PROVINCE_OFFICER, "50")


@pytest.fixture
def other_governor(make_user) -> User:  # type: ignore[no-untyped-def]
    return make_user("lp_governor", Role.EXECUTIVE, "51")
