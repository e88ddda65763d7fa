"""The submission window and extensions: the administrator's writes behind OPDC's tracking page."""

from datetime import date

from django.db import transaction
from django.utils import timezone

from khamrap.accounts.access import MANAGE_SUBMISSIONS, can_manage_submissions, ensure
from khamrap.accounts.models import User
from khamrap.core.errors import DomainError
from khamrap.frameworks.models import FiscalYear
from khamrap.notifications.models import Notification
from khamrap.orgs.models import Organisation
from khamrap.plans.models import SubmissionExtension
from khamrap.tracking.notices import deadline_near_notify, extension_granted_notify, window_closed_notify
from khamrap.tracking.selectors import TrackingRow, TrackingStatus, tracking_rows

# Statuses of a plan OPDC has received: nothing more to remind.
RECEIVED = frozenset({TrackingStatus.SUBMITTED, TrackingStatus.LATE})


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
    extension_granted_notify(fiscal_year=fiscal_year, organisation=organisation, until=until)
    return extension


@transaction.atomic
def submission_window_set(*, fiscal_year: FiscalYear, is_open: bool, actor: User) -> None:
    ensure(can_manage_submissions(actor), MANAGE_SUBMISSIONS)
    changed = FiscalYear.objects.filter(pk=fiscal_year.pk, submission_open=not is_open).update(
        submission_open=is_open
    )
    if changed and not is_open:
        # Those still to send hear that the window closed; one granted an extension was told its own date.
        waiting = [row.organisation for row in tracking_rows(fiscal_year=fiscal_year) if _still_to_send(row)]
        window_closed_notify(fiscal_year=fiscal_year, organisations=waiting)


def _still_to_send(row: TrackingRow) -> bool:
    return row.status not in RECEIVED and row.extension is None


@transaction.atomic
def deadline_reminders_send(*, fiscal_year: FiscalYear, today: date | None = None) -> list[Notification]:
    """Remind the officers of every organisation still to send, on each of the year's reminder days before
    its deadline (the year's or its extension's). Run daily (``khamrap notify_deadlines``); a day run twice,
    or a missed run caught up, reminds nobody twice."""
    today = today or timezone.localdate()
    days = fiscal_year.reminder_day_numbers
    rows = [
        row
        for row in tracking_rows(fiscal_year=fiscal_year, today=today)
        if row.days_left in days
        and row.status not in RECEIVED
        and (fiscal_year.submission_open or row.extension is not None)
    ]
    return deadline_near_notify(fiscal_year=fiscal_year, rows=rows)
