"""Who may see and do what: every view asks here (DESIGN.md §3)."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from khamrap.accounts.models import ORGANISATION_ROLES, Role, User
from khamrap.orgs.models import Organisation


class AuthenticatedRequest(HttpRequest):
    """The request of a view behind ``login_required``: its user is a real :class:`User`."""

    user: User
    htmx: HtmxDetails


def visible_organisations(user: User, organisations: QuerySet[Organisation]) -> QuerySet[Organisation]:
    """Narrow ``organisations`` to those whose unpublished work ``user`` may see."""
    if user.is_opdc:
        return organisations
    if user.role in ORGANISATION_ROLES and user.organisation_id:
        return organisations.filter(pk=user.organisation_id)
    return organisations.none()


def can_view_organisation(user: User, organisation: Organisation) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_opdc:
        return True
    return user.role in ORGANISATION_ROLES and user.organisation_id == organisation.pk


def can_edit_plan_of(user: User, organisation: Organisation) -> bool:
    """Officers edit their own organisation's plan; nobody else does."""
    return (
        user.is_authenticated
        and user.role in {Role.PROVINCE_OFFICER, Role.CLUSTER_OFFICER}
        and user.organisation_id == organisation.pk
    )


def can_approve_plan_of(user: User, organisation: Organisation) -> bool:
    return user.is_authenticated and user.role == Role.EXECUTIVE and user.organisation_id == organisation.pk


def require_view(user: User, organisation: Organisation) -> None:
    if not can_view_organisation(user, organisation):
        raise PermissionDenied("ท่านไม่มีสิทธิ์เข้าถึงข้อมูลของหน่วยงานนี้")


def require_opdc(user: User) -> None:
    if not user.is_opdc:
        raise PermissionDenied("เฉพาะเจ้าหน้าที่สำนักงาน ก.พ.ร.")


def require_admin(user: User) -> None:
    if not user.is_admin:
        raise PermissionDenied("เฉพาะผู้ดูแลระบบ")
