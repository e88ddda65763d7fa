"""Shared fixtures: the FY2551 reference data and one account per role."""

import pytest
from django.conf import settings
from django.test import Client
from hypothesis import settings as hypothesis_settings

from khamrap.accounts.models import Role, User
from khamrap.frameworks.models import FiscalYear
from khamrap.frameworks.services import fiscal_year_seed
from khamrap.orgs.models import Organisation
from khamrap.orgs.services import reference_data_load
from tests.factories import UserFactory

# Property tests judge results, not speed: no per-example deadline (CI machines are shared and slow).
hypothesis_settings.register_profile("khamrap", deadline=None, database=None)
hypothesis_settings.load_profile("khamrap")


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):  # type: ignore[no-untyped-def]
    """On SQLite the test database is a file, not memory, so that a real server in another process
    (tests/plans/test_concurrent_requests.py) sees the same data, with the locking the site runs with."""
    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        database.setdefault("TEST", {})["NAME"] = str(tmp_path_factory.mktemp("db") / "test.sqlite3")


@pytest.fixture
def fy2551(db: None) -> FiscalYear:
    reference_data_load()
    return fiscal_year_seed()


@pytest.fixture
def org(fy2551: FiscalYear):  # type: ignore[no-untyped-def]
    """Look up an organisation by code: ``org("50")`` is Chiang Mai."""

    def get(code: str) -> Organisation:
        return Organisation.objects.get(code=code)

    return get


@pytest.fixture
def make_user(fy2551: FiscalYear):  # type: ignore[no-untyped-def]
    def make(username: str, role: Role, org_code: str | None = None) -> User:
        return UserFactory.of(username, role, org_code)

    return make


@pytest.fixture
def officer(make_user) -> User:  # type: ignore[no-untyped-def]
    return make_user("cm_officer", Role.PROVINCE_OFFICER, "50")


@pytest.fixture
def other_officer(make_user) -> User:  # type: ignore[no-untyped-def]
    return make_user("lp_officer", Role.PROVINCE_OFFICER, "51")


@pytest.fixture
def governor(make_user) -> User:  # type: ignore[no-untyped-def]
    return make_user("cm_governor", Role.EXECUTIVE, "50")


@pytest.fixture
def cluster_officer(make_user) -> User:  # type: ignore[no-untyped-def]
    return make_user("nu1_officer", Role.CLUSTER_OFFICER, "NU1")


@pytest.fixture
def opdc_admin(make_user) -> User:  # type: ignore[no-untyped-def]
    return make_user("admin", Role.ADMIN, "OPDC")


@pytest.fixture
def analyst(make_user) -> User:  # type: ignore[no-untyped-def]
    return make_user("analyst", Role.ANALYST, "OPDC")


@pytest.fixture
def viewer(make_user) -> User:  # type: ignore[no-untyped-def]
    return make_user("viewer", Role.VIEWER)


def login(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client
