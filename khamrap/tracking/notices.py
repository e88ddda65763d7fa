"""What the submission window tells the officers: N days before their deadline, when the window closes, when
an extension is granted. Called by :mod:`khamrap.tracking.services` inside its transactions."""

from collections import defaultdict
from datetime import date

from django.urls import reverse

from khamrap.accounts.models import User
from khamrap.frameworks.models import FiscalYear
from khamrap.notifications.models import Notification, NotificationKind
from khamrap.notifications.services import Message, notify, officers_of
from khamrap.orgs.models import Organisation
from khamrap.thai.dates import format_date
from khamrap.tracking.selectors import TrackingRow


def _url(fiscal_year: FiscalYear, organisation: Organisation) -> str:
    return reverse("plan-detail", args=[fiscal_year.year, organisation.code])


def _officers_by_organisation(organisations: list[Organisation]) -> dict[int, list[User]]:
    found: dict[int, list[User]] = defaultdict(list)
    for officer in officers_of(organisations):
        found[officer.organisation_id or 0].append(officer)
    return found


def deadline_near_notify(
    *, fiscal_year: FiscalYear, due: list[tuple[TrackingRow, int]]
) -> list[Notification]:
    """Remind the officers of each row's organisation that its deadline is ``row.days_left`` days away, as
    the reminder of the given reminder day.

    Keyed by year, organisation, reminder day and deadline: once each, and again only if an extension
    moves the deadline."""
    officers = _officers_by_organisation([row.organisation for row, _ in due])
    created = []
    for row, reminder in due:
        organisation, days = row.organisation, row.days_left
        deadline_th = format_date(row.deadline, style="long", lang="th")
        deadline_en = format_date(row.deadline, style="long", lang="en")
        when_th = "วันนี้" if days == 0 else f"อีก {days} วัน"
        when_en = "today" if days == 0 else f"in {days} day{'s' if days != 1 else ''}"
        created += notify(
            recipients=officers.get(organisation.pk, []),
            kind=NotificationKind.DEADLINE_NEAR,
            key=f"{NotificationKind.DEADLINE_NEAR}:{fiscal_year.year}:{organisation.code}:{reminder}:{row.deadline}",
            message=Message(
                subject_th=f"ถึงกำหนดส่งแบบฟอร์มเจรจาของ{organisation.name_th}{when_th}",
                subject_en=f"The negotiation form of {organisation.name_en or organisation.name_th} is due {when_en}",
                body_th=f"กำหนดส่งแบบฟอร์มเจรจา ปีงบประมาณ พ.ศ. {fiscal_year.year} คือ {deadline_th} "
                "สำนักงาน ก.พ.ร. ยังไม่ได้รับแบบฟอร์มของหน่วยงาน",
                body_en=f"The FY{fiscal_year.year} negotiation form is due on {deadline_en}; "
                "OPDC has not received it yet.",
                url=_url(fiscal_year, organisation),
            ),
        )
    return created


def window_closed_notify(*, fiscal_year: FiscalYear, organisations: list[Organisation], change: int) -> None:
    """Tell the officers of ``organisations`` that the window closed, keyed by the close (``change``, the
    year's count of window changes after it): the same close told again notifies nobody twice; closing again
    after a reopening is a new close, told once more."""
    officers = _officers_by_organisation(organisations)
    for organisation in organisations:
        notify(
            recipients=officers.get(organisation.pk, []),
            kind=NotificationKind.WINDOW_CLOSED,
            key=f"{NotificationKind.WINDOW_CLOSED}:{fiscal_year.year}:{change}",
            message=Message(
                subject_th=f"สำนักงาน ก.พ.ร. ปิดรับแบบฟอร์มเจรจา ปีงบประมาณ พ.ศ. {fiscal_year.year} แล้ว",
                subject_en=f"OPDC has closed submissions for FY{fiscal_year.year}",
                body_th=f"ยังไม่ได้รับแบบฟอร์มของ{organisation.name_th} "
                "หากต้องการส่ง กรุณาติดต่อสำนักงาน ก.พ.ร. เพื่อขอขยายเวลา",
                body_en=f"The form of {organisation.name_en or organisation.name_th} has not been received; "
                "to send it, ask OPDC for an extension.",
                url=_url(fiscal_year, organisation),
            ),
        )


def extension_granted_notify(*, fiscal_year: FiscalYear, organisation: Organisation, until: date) -> None:
    notify(
        recipients=officers_of([organisation]),
        kind=NotificationKind.EXTENSION_GRANTED,
        key=f"{NotificationKind.EXTENSION_GRANTED}:{fiscal_year.year}:{organisation.code}:{until}",
        message=Message(
            subject_th=f"{organisation.name_th}ได้รับการขยายเวลาส่งแบบฟอร์มเจรจา",
            subject_en=f"{organisation.name_en or organisation.name_th} has an extension for its negotiation form",
            body_th=f"สำนักงาน ก.พ.ร. ขยายเวลาส่งแบบฟอร์มเจรจา ปีงบประมาณ พ.ศ. {fiscal_year.year} "
            f"ถึง {format_date(until, style='long', lang='th')}",
            body_en=f"OPDC extended the FY{fiscal_year.year} deadline to {format_date(until, style='long', lang='en')}.",
            url=_url(fiscal_year, organisation),
        ),
    )
