"""Sign-in on a network: a username is locked out after repeated wrong passwords (per address), passwords
must be long and not common, sessions end when idle and after a working day."""

import time
from datetime import timedelta
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from khamrap.accounts.models import User
from khamrap.accounts.services import DEMO_PASSWORD
from khamrap.core.middleware import SIGNED_IN_AT
from khamrap.core.security import client_ip
from tests.conftest import login

PASSWORD = "pw-for-tests-only"  # the fixtures' password
LOCKED = "ใส่รหัสผ่านผิดหลายครั้งเกินไป ระบบจึงระงับการเข้าสู่ระบบของชื่อผู้ใช้นี้จากเครื่องนี้ไว้ชั่วคราว 30 นาที"


def _sign_in(client: Client, username: str, password: str, address: str = "10.0.0.1") -> Any:
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def _fail(client: Client, username: str, times: int, address: str = "10.0.0.1") -> list[int]:
    return [_sign_in(client, username, "wrong-password", address).status_code for _ in range(times)]


def test_ten_wrong_passwords_lock_the_username_out_even_for_the_right_one(officer: User) -> None:
    client = Client()

    statuses = _fail(client, "cm_officer", 10)
    response = _sign_in(client, "cm_officer", PASSWORD)

    assert statuses == [200] * 9 + [429]
    assert response.status_code == 429
    body = response.content.decode()
    assert LOCKED in body and 'data-testid="locked-out"' in body
    assert 'value="cm_officer"' in body  # the login form again, with the username kept
    assert "_auth_user_id" not in client.session
    assert AccessAttempt.objects.get().failures_since_start == 10


def test_nine_wrong_passwords_then_the_right_one_signs_in_and_starts_again_from_zero(officer: User) -> None:
    client = Client()

    _fail(client, "cm_officer", 9)
    response = _sign_in(client, "cm_officer", PASSWORD)

    assert response.status_code == 302 and client.session["_auth_user_id"] == str(officer.pk)
    assert not AccessAttempt.objects.exists()


def test_the_lockout_is_per_username_and_address(officer: User, other_officer: User) -> None:
    _fail(Client(), "cm_officer", 10, address="10.0.0.1")

    other_address = _sign_in(Client(), "cm_officer", PASSWORD, address="10.0.0.2")
    other_user = _sign_in(Client(), "lp_officer", PASSWORD, address="10.0.0.1")

    assert (other_address.status_code, other_user.status_code) == (302, 302)


def test_the_lockout_ends_after_thirty_minutes(officer: User) -> None:
    _fail(Client(), "cm_officer", 10)
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=31))

    assert _sign_in(Client(), "cm_officer", PASSWORD).status_code == 302


def test_the_administrator_unlocks_a_username_in_the_admin(officer: User, opdc_admin: User) -> None:
    _fail(Client(), "cm_officer", 10)
    attempt = AccessAttempt.objects.get()
    opdc_admin.is_staff = True
    opdc_admin.save()
    admin = login(opdc_admin)

    listing = admin.get(reverse("admin:axes_accessattempt_changelist"))
    unlocked = admin.post(reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"})

    assert listing.status_code == 200 and "cm_officer" in listing.content.decode()
    assert unlocked.status_code == 302 and not AccessAttempt.objects.exists()
    assert _sign_in(Client(), "cm_officer", PASSWORD).status_code == 302


def test_nobody_else_sees_the_login_attempts(officer: User, analyst: User) -> None:
    _fail(Client(), "cm_officer", 3)
    analyst.is_staff = True
    analyst.save()

    response = login(analyst).get(reverse("admin:axes_accessattempt_changelist"))

    assert response.status_code == 403
    assert AccessAttempt.objects.get().failures_since_start == 3


def test_behind_the_proxy_the_address_is_the_one_the_proxy_appended(rf: Any, settings: Any) -> None:
    request = rf.get("/", REMOTE_ADDR="10.1.1.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7")

    settings.KHAMRAP_BEHIND_PROXY = True
    assert client_ip(request) == "203.0.113.7"
    settings.KHAMRAP_BEHIND_PROXY = False
    assert client_ip(request) == "10.1.1.1"


@pytest.mark.parametrize(
    ("password", "codes"),
    [
        ("25512551", ["password_too_short", "password_entirely_numeric"]),
        ("2551255125", ["password_entirely_numeric"]),
        ("password123", ["password_too_common"]),
        ("kham-2551", ["password_too_short"]),
    ],
)
def test_short_numeric_and_common_passwords_are_refused(password: str, codes: list[str]) -> None:
    with pytest.raises(ValidationError) as refused:
        validate_password(password)

    assert [error.code for error in refused.value.error_list] == codes


def test_the_demo_password_passes_the_validators() -> None:
    validate_password(DEMO_PASSWORD)


def test_sessions_end_after_two_idle_hours() -> None:
    assert (settings.SESSION_COOKIE_AGE, settings.SESSION_SAVE_EVERY_REQUEST) == (2 * 3600, True)


def test_every_request_renews_the_idle_limit(analyst: User) -> None:
    client = login(analyst)
    session = Session.objects.filter(session_key=client.session.session_key)
    session.update(
        expire_date=timezone.now() + timedelta(minutes=1)
    )  # as if almost two idle hours had passed

    client.get(reverse("fiscal-year", args=[2551]))

    left = session.get().expire_date - timezone.now()
    assert timedelta(hours=2) - timedelta(minutes=1) < left <= timedelta(hours=2)


def test_a_session_ends_eight_hours_after_sign_in_however_busy(analyst: User) -> None:
    client = login(analyst)
    assert client.get(reverse("fiscal-year", args=[2551])).status_code == 200
    session = client.session
    session[SIGNED_IN_AT] = int(time.time()) - 8 * 3600 - 1
    session.save()

    response = client.get(reverse("fiscal-year", args=[2551]))

    assert response.status_code == 302
    assert response["Location"] == reverse("login") + "?next=/years/2551/"
    assert "_auth_user_id" not in client.session
    followed = client.get(response["Location"]).content.decode()
    assert "ครบเวลาการใช้งานต่อครั้งแล้ว กรุณาเข้าสู่ระบบอีกครั้ง" in followed


def test_the_lockout_is_explained_in_english_too(officer: User) -> None:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    _fail(client, "cm_officer", 10)
    body = _sign_in(client, "cm_officer", PASSWORD).content.decode()

    assert "Too many wrong passwords: this username is locked out from this computer for 30 minutes." in body
