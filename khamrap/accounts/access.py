"""Who may see and do what (DESIGN.md §3): every view and every service asks here, by name.

Each rule is a ``can_…`` predicate; ``require(rule_allowed, refusal)`` turns a ``False`` into a 403 page in a
view, and services raise :class:`~khamrap.core.errors.DomainError` with the same refusal's words.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import get_language
from django_htmx.middleware import HtmxDetails

from khamrap.accounts.models import ORGANISATION_ROLES, Role, User
from khamrap.core.errors import DomainError, in_language
from khamrap.orgs.models import Organisation


class AuthenticatedRequest(HttpRequest):
    """The request of a view behind ``login_required``: its user is a real :class:`User`."""

    user: User
    htmx: HtmxDetails


OFFICER_ROLES = frozenset({Role.PROVINCE_OFFICER, Role.CLUSTER_OFFICER})


def visible_organisations(user: User, organisations: QuerySet[Organisation]) -> QuerySet[Organisation]:
    """Narrow ``organisations`` to those whose unpublished work ``user`` may see."""
    if user.is_opdc:
        return organisations
    if user.role in ORGANISATION_ROLES and user.organisation_id:
        return organisations.filter(pk=user.organisation_id)
    return organisations.none()


def _member_of(user: User, organisation: Organisation) -> bool:
    return bool(user.is_authenticated and user.organisation_id == organisation.pk)


def own_plan_organisation(user: User) -> Organisation | None:
    """The organisation whose plan is this user's own (its officers' and governor's), if any."""
    if user.is_authenticated and user.role in ORGANISATION_ROLES:
        return user.organisation
    return None


def can_view_plan(user: User, organisation: Organisation) -> bool:
    """The organisation's own people and OPDC see its plan, drafts included."""
    if not user.is_authenticated:
        return False
    return user.is_opdc or (user.role in ORGANISATION_ROLES and _member_of(user, organisation))


def can_edit_plan(user: User, organisation: Organisation) -> bool:
    """Officers edit their own organisation's plan; nobody else does."""
    return user.role in OFFICER_ROLES and _member_of(user, organisation)


def can_import_plan(user: User | None, organisation: Organisation) -> bool:
    """A workbook goes into a plan by its officers, by the administrator on its behalf (the disks that
    arrive by post), or by the command line (``None``: whoever runs the server)."""
    return user is None or user.is_admin or can_edit_plan(user, organisation)


def can_download_workbook(user: User, organisation: Organisation) -> bool:
    return user.is_opdc or can_edit_plan(user, organisation)


def can_approve_plan(user: User, organisation: Organisation) -> bool:
    """The governor (the organisation's executive) approves or sends back what its officers submit."""
    return user.role == Role.EXECUTIVE and _member_of(user, organisation)


def can_return_plan(user: User) -> bool:
    """OPDC staff return a submitted plan for revision."""
    return user.is_authenticated and user.is_opdc


def can_review_plan(user: User, organisation: Organisation) -> bool:
    """The analysts assigned to the organisation review its plan (verdicts, proposals, return, ready); the
    administrator may stand in for any of them."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_admin:
        return True
    return user.role == Role.ANALYST and user.assigned_organisations.filter(pk=organisation.pk).exists()


def can_read_reviews(user: User) -> bool:
    """Every OPDC role reads the analysts' reviews, internal notes included; nobody outside OPDC does."""
    return user.is_authenticated and user.is_opdc


def can_answer_review(user: User, organisation: Organisation) -> bool:
    """The organisation's officers accept or answer OPDC's comments on their returned plan."""
    return can_edit_plan(user, organisation)


def can_assign_analysts(user: User) -> bool:
    return user.is_authenticated and user.is_admin


def can_track_submissions(user: User) -> bool:
    return user.is_authenticated and user.is_opdc


def can_manage_submissions(user: User) -> bool:
    """The administrator opens and closes the submission window, grants extensions and imports in bulk."""
    return user.is_authenticated and user.is_admin


def can_use_library(user: User) -> bool:
    """The KPI library opens to OPDC staff (every organisation's KPIs) and to the people of a province or
    cluster, who find in it their own KPIs and the signed agreements of the others, never another
    organisation's unpublished work (``library.selectors.library_kpis`` applies that)."""
    return user.is_authenticated and (
        user.is_opdc or (user.role in ORGANISATION_ROLES and bool(user.organisation_id))
    )


def library_sees_everything(user: User) -> bool:
    """In the KPI library, OPDC staff see every organisation's KPIs, drafts included."""
    return user.is_authenticated and user.is_opdc


def can_use_admin_screens(user: User) -> bool:
    """The administrator's screens (years, calendars, frameworks) open to OPDC administrators only."""
    return bool(user.is_active and user.is_authenticated and user.is_admin)


@dataclass(frozen=True)
class Refusal:
    message_th: str
    message_en: str

    def error(self) -> DomainError:
        return DomainError(self.message_th, self.message_en)


VIEW_PLAN = Refusal("ท่านไม่มีสิทธิ์เข้าถึงข้อมูลของหน่วยงานนี้", "You may not see this organisation's data")
EDIT_PLAN = Refusal("ท่านไม่มีสิทธิ์แก้ไขแบบฟอร์มของหน่วยงานนี้", "You may not change this organisation's plan")
DOWNLOAD_WORKBOOK = Refusal(
    "เฉพาะเจ้าหน้าที่ของหน่วยงานนี้และสำนักงาน ก.พ.ร. ดาวน์โหลดแบบฟอร์มได้",
    "Only this organisation's officers and OPDC download its workbook",
)
APPROVE_PLAN = Refusal(
    "เฉพาะผู้ว่าราชการจังหวัดของหน่วยงานนี้อนุมัติหรือส่งกลับได้", "Only this organisation's executive approves"
)
RETURN_PLAN = Refusal("เฉพาะเจ้าหน้าที่สำนักงาน ก.พ.ร.", "Only OPDC staff")
TRACK_SUBMISSIONS = RETURN_PLAN
REVIEW_PLAN = Refusal(
    "เฉพาะนักวิเคราะห์ที่ได้รับมอบหมายให้พิจารณาหน่วยงานนี้และผู้ดูแลระบบ",
    "Only the analysts assigned to this organisation and the administrator",
)
READ_REVIEWS = RETURN_PLAN
ANSWER_REVIEW = Refusal(
    "เฉพาะเจ้าหน้าที่ของหน่วยงานนี้ตอบความเห็นของสำนักงาน ก.พ.ร. ได้",
    "Only this organisation's officers answer OPDC's comments",
)
MANAGE_SUBMISSIONS = Refusal("เฉพาะผู้ดูแลระบบ", "Only the administrator")
ASSIGN_ANALYSTS = MANAGE_SUBMISSIONS
USE_LIBRARY = Refusal(
    "คลังตัวชี้วัดเปิดให้เจ้าหน้าที่สำนักงาน ก.พ.ร. จังหวัด และกลุ่มจังหวัด",
    "The KPI library is for OPDC staff, provinces and clusters",
)


def require(allowed: bool, refusal: Refusal) -> None:
    """In a view: a rule that says no is a 403 page with the refusal's words."""
    if not allowed:
        raise PermissionDenied(in_language(refusal.message_th, refusal.message_en, get_language()))


def ensure(allowed: bool, refusal: Refusal) -> None:
    """In a service: a rule that says no is a :class:`DomainError` with the refusal's words."""
    if not allowed:
        raise refusal.error()
