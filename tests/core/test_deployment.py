"""Production by default: no start without a key and host names; the demo and development make their own key."""

import json
import os
import runpy
import subprocess
import sys
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

import khamrap.settings
from khamrap.accounts.models import User
from khamrap.frameworks.models import FiscalYear

SETTINGS = Path(khamrap.settings.__file__)
GOOD_KEY = "k" * 30 + "0123456789abcdefghij"  # 50 characters, 21 different


def _settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, **env: str) -> dict[str, Any]:
    """Run the settings module afresh under ``env`` alone (nothing of this process's environment)."""
    for name in (
        "KHAMRAP_ENV",
        "SECRET_KEY",
        "ALLOWED_HOSTS",
        "DEBUG",
        "KHAMRAP_BEHIND_PROXY",
        "DATABASE_URL",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("KHAMRAP_DATA_DIR", str(tmp_path))
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS))


def _production_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KHAMRAP_", "DJANGO_", "DATABASE_URL"))}
    env.update(
        KHAMRAP_DATA_DIR=str(tmp_path),
        SECRET_KEY=GOOD_KEY,
        ALLOWED_HOSTS="khamrap.example.go.th",
        DEBUG="0",
        DJANGO_SETTINGS_MODULE="khamrap.settings",
    )
    return env


def test_without_a_mode_the_settings_are_production_and_refuse_to_start(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    with pytest.raises(ImproperlyConfigured) as refused:
        _settings(monkeypatch, tmp_path)

    assert str(refused.value).splitlines()[:3] == [
        "Khamrap refuses to start in production (KHAMRAP_ENV=production, the default) until these are set:",
        "  - SECRET_KEY: a random key of at least 50 characters",
        "  - ALLOWED_HOSTS: the site's host names, comma-separated",
    ]
    assert not (tmp_path / "secret_key").exists()


@pytest.mark.parametrize(
    ("env", "problem"),
    [
        ({"SECRET_KEY": "short-key", "ALLOWED_HOSTS": "khamrap.example.go.th"}, "SECRET_KEY"),
        (
            {"SECRET_KEY": "django-insecure-" + GOOD_KEY, "ALLOWED_HOSTS": "khamrap.example.go.th"},
            "SECRET_KEY",
        ),
        ({"SECRET_KEY": GOOD_KEY, "ALLOWED_HOSTS": " , "}, "ALLOWED_HOSTS"),
        ({"SECRET_KEY": GOOD_KEY, "ALLOWED_HOSTS": "khamrap.example.go.th", "DEBUG": "1"}, "DEBUG"),
    ],
)
def test_production_refuses_a_weak_key_no_hosts_or_debug(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, env: dict[str, str], problem: str
) -> None:
    with pytest.raises(ImproperlyConfigured) as refused:
        _settings(monkeypatch, tmp_path, KHAMRAP_ENV="production", **env)

    assert [line.split(":")[0] for line in str(refused.value).splitlines() if line.startswith("  - ")] == [
        f"  - {problem}"
    ]


def test_production_is_https_only_behind_the_proxy(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    values = _settings(
        monkeypatch, tmp_path, SECRET_KEY=GOOD_KEY, ALLOWED_HOSTS="a.example.go.th,b.example.go.th"
    )

    assert values["KHAMRAP_ENV"] == "production"
    assert values["ALLOWED_HOSTS"] == ["a.example.go.th", "b.example.go.th"]
    assert values["SECRET_KEY"] == GOOD_KEY and not values["DEBUG"]
    assert values["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")
    assert (values["SECURE_SSL_REDIRECT"], values["SECURE_HSTS_SECONDS"]) == (True, 31_536_000)
    assert (
        values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"] and values["LANGUAGE_COOKIE_SECURE"]
    )


def test_production_without_a_proxy_trusts_no_forwarded_header(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    values = _settings(
        monkeypatch, tmp_path, SECRET_KEY=GOOD_KEY, ALLOWED_HOSTS="a.example.go.th", KHAMRAP_BEHIND_PROXY="0"
    )

    assert "SECURE_PROXY_SSL_HEADER" not in values
    assert values["KHAMRAP_BEHIND_PROXY"] is False


@pytest.mark.parametrize("mode", ["demo", "development"])
def test_the_demo_and_development_make_a_key_of_their_own_once(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, mode: str
) -> None:
    first = _settings(monkeypatch, tmp_path, KHAMRAP_ENV=mode)
    second = _settings(monkeypatch, tmp_path, KHAMRAP_ENV=mode)

    key_file = tmp_path / "secret_key"
    assert first["SECRET_KEY"] == second["SECRET_KEY"] == key_file.read_text().strip()
    assert len(first["SECRET_KEY"]) >= 50
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert first["ALLOWED_HOSTS"] == ["127.0.0.1", "localhost"]
    assert (first["SECURE_SSL_REDIRECT"], first["SESSION_COOKIE_SECURE"], first["SECURE_HSTS_SECONDS"]) == (
        False,
        False,
        0,
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["secret_key", "static"]


def test_an_unknown_mode_is_refused(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    with pytest.raises(
        ImproperlyConfigured, match="KHAMRAP_ENV must be one of production, demo, development"
    ):
        _settings(monkeypatch, tmp_path, KHAMRAP_ENV="staging")


def test_the_console_script_says_what_production_lacks(tmp_path: Path) -> None:
    env = _production_env(tmp_path)
    del env["SECRET_KEY"]

    result = subprocess.run(
        [sys.executable, "-m", "khamrap", "migrate"], env=env, capture_output=True, text=True, check=False
    )

    assert result.returncode == 1
    assert result.stderr.startswith("khamrap: Khamrap refuses to start in production")
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "khamrap.sqlite3").exists()


def test_production_passes_check_deploy_and_sends_the_https_headers(tmp_path: Path) -> None:
    # given a production configuration, as docs/security.md describes it
    script = """
import json, django
from io import StringIO
django.setup()
from django.core.management import call_command
from django.test import Client
out, err = StringIO(), StringIO()
call_command("check", deploy=True, stdout=out, stderr=err)
plain = Client().get("/accounts/login/", HTTP_HOST="khamrap.example.go.th")
tls = Client().get(
    "/accounts/login/", HTTP_HOST="khamrap.example.go.th", HTTP_X_FORWARDED_PROTO="https"
)
print(json.dumps({
    "check": out.getvalue() + err.getvalue(),
    "plain": [plain.status_code, plain.headers.get("Location")],
    "tls": [tls.status_code, tls.headers.get("Strict-Transport-Security"), tls.cookies["csrftoken"]["secure"]],
}))
"""
    # when
    result = subprocess.run(
        [sys.executable, "-c", script],
        env=_production_env(tmp_path),
        capture_output=True,
        text=True,
        check=False,
    )

    # then
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "check": "System check identified no issues (0 silenced).\n",
        "plain": [301, "https://khamrap.example.go.th/accounts/login/"],
        "tls": [200, "max-age=31536000; includeSubDomains; preload", True],
    }


def test_seed_demo_refuses_to_run_in_production(settings: Any, fy2551: FiscalYear) -> None:
    settings.PRODUCTION = True

    with pytest.raises(CommandError, match="seed_demo refuses to run in production"):
        call_command("seed_demo", stdout=StringIO())

    assert not User.objects.exists()


def test_seed_demo_runs_in_production_only_when_told_to(settings: Any, fy2551: FiscalYear) -> None:
    settings.PRODUCTION = True

    call_command("seed_demo", "--allow-production", stdout=StringIO())

    assert User.objects.filter(username="opdc_admin").exists()


def test_the_demo_says_so_on_every_page(settings: Any, db: None) -> None:
    settings.KHAMRAP_ENV = "demo"
    body = Client().get(reverse("login")).content.decode()
    assert 'data-testid="demo-banner">ระบบสาธิต: ชื่อผู้ใช้ รหัสผ่าน และข้อมูลทั้งหมดเป็นตัวอย่าง' in body

    settings.KHAMRAP_ENV = "development"
    assert "demo-banner" not in Client().get(reverse("login")).content.decode()


def test_a_foreign_host_gets_the_thai_400_page(db: None) -> None:
    response = Client().get(reverse("login"), HTTP_HOST="evil.example.com")

    assert response.status_code == 400
    assert "คำขอไม่ถูกต้อง" in response.content.decode()
