"""The submission window and extensions: the administrator's writes behind OPDC's tracking page."""

from datetime import date

from django.db import transaction

from khamrap.accounts.access import MANAGE_SUBMISSIONS, can_manage_submissions, ensure
from khamrap.accounts.models import User
from khamrap.core.errors import DomainError
from khamrap.frameworks.models import FiscalYear
from khamrap.orgs.models import Organisation
from khamrap.plans.models import SubmissionExtension


@transaction.atomic
def extension_grant(
    *, fiscal_year: FiscalYear, organisation: Organisation, until: date, reason: str, actor: User
) -> SubmissionExtension:
    ensure(can_manage_submissions(actor), MANAGE_SUBMISSIONS)
    if until <= fiscal_year.submission_deadline:
        raise DomainError("วันที่ขยายต้องอยู่หลังกำหนดส่งเดิม", "The extension must end after the deadline")
    extension, _ = SubmissionExtension.objects.update_or_create(
        fiscal_year=fiscal_year,
        organisation=organisation,
        defaults={"until": until, "reason": reason, "granted_by": actor},
    )
    return extension


@transaction.atomic
def submission_window_set(*, fiscal_year: FiscalYear, is_open: bool, actor: User) -> None:
    ensure(can_manage_submissions(actor), MANAGE_SUBMISSIONS)
    FiscalYear.objects.filter(pk=fiscal_year.pk).update(submission_open=is_open)
