"""Fixtures of the plan tests: uploads go to a temporary folder; Chiang Mai's sample plan."""

import pytest

from khamrap.plans.models import Plan
from tests.factories import PlanFactory


@pytest.fixture(autouse=True)
def media(settings, tmp_path):  # type: ignore[no-untyped-def]
    """Every stored file of a plan test lands in a folder of its own, removed afterwards."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def plan(fy2551, org, officer) -> Plan:  # type: ignore[no-untyped-def]
    """Chiang Mai's FY2551 plan holding ``sample_plan()``: three issues, eight KPIs, weights adding to 35."""
    return PlanFactory(fiscal_year=fy2551, organisation=org("50"), tree__actor=officer)
