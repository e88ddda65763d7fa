"""The submission window and extensions: the administrator's writes behind OPDC's tracking page."""

from datetime import date

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from khamrap.accounts.access import MANAGE_SUBMISSIONS, can_manage_submissions, ensure
from khamrap.accounts.models import User
from khamrap.core.errors import DomainError
from khamrap.frameworks.models import FiscalYear
from khamrap.notifications.models import Notification
from khamrap.orgs.models import Organisation
from khamrap.plans.models import Plan, SubmissionExtension
from khamrap.thai.dates import fiscal_year_bounds, format_date
from khamrap.tracking.notices import deadline_near_notify, extension_granted_notify, window_closed_notify
from khamrap.tracking.selectors import TrackingRow, TrackingStatus, tracking_rows

# Statuses of a plan OPDC has received (a returned plan was received too): nothing more to remind.
RECEIVED = frozenset(
    {TrackingStatus.SUBMITTED, TrackingStatus.LATE, TrackingStatus.RETURNED, TrackingStatus.RESUBMITTED}
)


@transaction.atomic
def extension_grant(
    *,
    fiscal_year: FiscalYear,
    organisation: Organisation,
    until: date,
    reason: str,
    actor: User,
    confirm_submitted: bool = False,
) -> SubmissionExtension:
    """Let ``organisation`` submit until ``until`` (inclusive): after the year's deadline, within the fiscal
    year, and for an organisation that has already submitted only with ``confirm_submitted``."""
    ensure(can_manage_submissions(actor), MANAGE_SUBMISSIONS)
    deadline = fiscal_year.submission_deadline
    if until <= deadline:
        raise DomainError(
            f"วันที่ขยายต้องอยู่หลังกำหนดส่งเดิม ({format_date(deadline)})",
            f"The extension must end after the deadline ({format_date(deadline, lang='en')})",
        )
    year_end = fiscal_year_bounds(fiscal_year.year)[1]
    if until > year_end:
        raise DomainError(
            f"วันที่ขยายต้องไม่เกินวันสิ้นปีงบประมาณ พ.ศ. {fiscal_year.year} ({format_date(year_end)})",
            f"The extension must end within fiscal year {fiscal_year.year} B.E."
            f" ({format_date(year_end, lang='en')})",
        )
    # The plan's row is read under the transaction's lock: a submission cannot slip in between.
    plan = Plan.objects.select_for_update().filter(fiscal_year=fiscal_year, organisation=organisation).first()
    if plan is not None and plan.is_submitted and not confirm_submitted:
        raise DomainError(
            f"{organisation.name_th}ส่งแบบฟอร์มแล้ว: หากต้องการขยายเวลาจริง ให้เลือก “ขยายเวลาให้หน่วยงานที่ส่งแล้ว”",
            f"{organisation.name_en or organisation.name_th} has already submitted: tick"
            " “Extend for an organisation that has already submitted” to grant it anyway",
        )
    extension, _ = SubmissionExtension.objects.update_or_create(
        fiscal_year=fiscal_year,
        organisation=organisation,
        defaults={"until": until, "reason": reason, "granted_by": actor},
    )
    extension_granted_notify(fiscal_year=fiscal_year, organisation=organisation, until=until)
    return extension


@transaction.atomic
def submission_window_set(
    *, fiscal_year: FiscalYear, is_open: bool, actor: User, confirmed: bool = False
) -> None:
    """Open or close the submission window for every organisation of the year; closing must be ``confirmed``
    (a stray request or a double click must not close it for everyone)."""
    ensure(can_manage_submissions(actor), MANAGE_SUBMISSIONS)
    if not is_open and not confirmed:
        raise DomainError(
            "การปิดรับแบบฟอร์มมีผลกับทุกหน่วยงาน: ต้องยืนยันก่อนปิด (ยังไม่ได้ปิด)",
            "Closing the window affects every organisation: confirm it first (it is still open)",
        )
    changed = FiscalYear.objects.filter(pk=fiscal_year.pk, submission_open=not is_open).update(
        submission_open=is_open, submission_window_changes=F("submission_window_changes") + 1
    )
    if changed and not is_open:
        # Those still to send hear that the window closed; one granted an extension was told its own date.
        waiting = [row.organisation for row in tracking_rows(fiscal_year=fiscal_year) if _still_to_send(row)]
        change = FiscalYear.objects.values_list("submission_window_changes", flat=True).get(pk=fiscal_year.pk)
        window_closed_notify(fiscal_year=fiscal_year, organisations=waiting, change=change)


def _still_to_send(row: TrackingRow) -> bool:
    return row.status not in RECEIVED and row.extension is None


def reminder_due(days: frozenset[int], days_left: int) -> int | None:
    """The reminder day due with ``days_left`` days to the deadline: the nearest reminder day reached
    (``days`` {7, 3, 1} and 5 days left → 7; 2 left → 3), None before the first or after the deadline.

    A run missed on a reminder day is caught up by the next one, and a reminder passed over by a nearer one
    is never sent late: the officers hear the nearest, once."""
    if days_left < 0:
        return None
    return min((day for day in days if day >= days_left), default=None)


@transaction.atomic
def deadline_reminders_send(*, fiscal_year: FiscalYear, today: date | None = None) -> list[Notification]:
    """Remind the officers of every organisation still to send of its deadline (the year's or its
    extension's), at most once a run: the nearest of the year's reminder days reached that it was not
    reminded of yet (:func:`reminder_due`). Run hourly or daily (``khamrap notify_deadlines``); a run repeated
    reminds nobody twice, and a missed day is caught up by the next run."""
    today = today or timezone.localdate()
    days = fiscal_year.reminder_day_numbers
    due = [
        (row, reminder)
        for row in tracking_rows(fiscal_year=fiscal_year, today=today)
        if row.status not in RECEIVED
        and (fiscal_year.submission_open or row.extension is not None)
        and (reminder := reminder_due(days, row.days_left)) is not None
    ]
    return deadline_near_notify(fiscal_year=fiscal_year, due=due)
