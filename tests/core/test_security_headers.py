"""Every page carries a strict Content-Security-Policy (no inline script or style anywhere), a Permissions-Policy
and a Referrer-Policy; the templates keep to it."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from khamrap.accounts.models import User
from tests.conftest import login

CSP = sorted(
    [
        "default-src 'self'",
        "object-src 'none'",
        "form-action 'self'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ]
)
PERMISSIONS = "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()"
TEMPLATES = Path(settings.BASE_DIR) / "templates"
# Rendered to PDF by WeasyPrint on the server, never sent to a browser: its <style> stays.
PDF_ONLY = {"documents/plan_form.html"}
INLINE = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle=|\son[a-z]+=|javascript:|hx-on|js:", re.I)


def _csp(response: object) -> list[str]:
    """The policy's directives, in any order (django-csp does not keep one)."""
    return sorted(part.strip() for part in response.headers["Content-Security-Policy"].split(";"))  # type: ignore[attr-defined]


def _headers(response: object) -> dict[str, object]:
    names = ("Permissions-Policy", "Referrer-Policy", "X-Frame-Options")
    return {"Content-Security-Policy": _csp(response)} | {name: response.headers.get(name) for name in names}  # type: ignore[attr-defined]


@pytest.mark.parametrize("page", ["login", "plan"])
def test_pages_carry_the_policies(page: str, officer: User) -> None:
    client = login(officer) if page == "plan" else Client()
    url = reverse("plan-detail", args=[2551, "50"]) if page == "plan" else reverse("login")

    response = client.get(url)

    assert response.status_code == 200
    assert _headers(response) == {
        "Content-Security-Policy": CSP,
        "Permissions-Policy": PERMISSIONS,
        "Referrer-Policy": "same-origin",
        "X-Frame-Options": "DENY",
    }


def test_the_admin_carries_the_policy_too(opdc_admin: User) -> None:
    opdc_admin.is_staff = True
    opdc_admin.save()

    response = login(opdc_admin).get(reverse("admin:index"))

    assert response.status_code == 200
    assert _csp(response) == CSP


@pytest.mark.parametrize(
    "template",
    sorted(
        str(p.relative_to(TEMPLATES))
        for p in TEMPLATES.rglob("*.html")
        if str(p.relative_to(TEMPLATES)) not in PDF_ONLY
    ),
)
def test_no_template_has_inline_script_or_style(template: str) -> None:
    text = (TEMPLATES / template).read_text(encoding="utf-8")

    assert INLINE.findall(text) == []


def test_htmx_is_told_not_to_add_a_style_element_or_evaluate_code(officer: User) -> None:
    body = login(officer).get(reverse("plan-detail", args=[2551, "50"])).content.decode()

    assert (
        """<meta name="htmx-config" content='{"includeIndicatorStyles": false, "allowEval": false}'>"""
        in body
    )
    assert '<script src="/static/js/khamrap.js" defer></script>' in body


def test_a_delete_asks_first_through_the_static_script(officer: User) -> None:
    body = login(officer).get(reverse("plan-detail", args=[2551, "50"])).content.decode()

    assert "onsubmit" not in body
    script = (Path(settings.BASE_DIR) / "static" / "js" / "khamrap.js").read_text()
    assert "dataset.confirm" in script and "window.confirm" in script
