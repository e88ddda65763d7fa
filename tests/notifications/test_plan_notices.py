"""Each step of a plan's submission notifies exactly the right people, once."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from khamrap.accounts.models import User
from khamrap.core.errors import DomainError
from khamrap.notifications.models import Notification, NotificationKind
from khamrap.plans import submission
from khamrap.plans.models import Plan

ON_TIME = datetime(2007, 10, 15, 12, 0, tzinfo=ZoneInfo("Asia/Bangkok"))


def _received() -> list[tuple[str, str]]:
    return list(
        Notification.objects.order_by("recipient__username").values_list("recipient__username", "kind")
    )


def test_submitting_tells_the_governor_and_nobody_else(  # type: ignore[no-untyped-def]
    plan: Plan, officer: User, governor: User, other_governor: User, analyst: User, second_officer: User
) -> None:
    submission.plan_submit(plan=plan, actor=officer, when=ON_TIME)

    assert _received() == [("cm_governor", NotificationKind.APPROVAL_REQUESTED)]
    notification = Notification.objects.get()
    assert notification.subject_th == "แบบฟอร์มเจรจาของเชียงใหม่รอท่านอนุมัติ"
    assert notification.subject_en == "The negotiation form of Chiang Mai awaits your approval"
    assert notification.url == "/years/2551/plans/50/"
    assert (notification.read_at, notification.emailed_at) == (None, None)


def test_approval_tells_the_organisations_officers_only(  # type: ignore[no-untyped-def]
    plan: Plan,
    officer: User,
    second_officer: User,
    governor: User,
    other_officer: User,
    cluster_officer_of_chiang_mai: User,
) -> None:
    submission.plan_submit(plan=plan, actor=officer, when=ON_TIME)
    submission.plan_approve(plan=plan, actor=governor, when=ON_TIME)

    assert _received() == [
        ("cm_governor", NotificationKind.APPROVAL_REQUESTED),
        ("cm_officer", NotificationKind.APPROVED),
        ("cm_officer2", NotificationKind.APPROVED),
    ]


def test_sending_back_tells_the_officers_with_the_governors_note(  # type: ignore[no-untyped-def]
    plan: Plan, officer: User, governor: User, other_officer: User
) -> None:
    submission.plan_submit(plan=plan, actor=officer, when=ON_TIME)
    submission.plan_send_back(plan=plan, actor=governor, note="เพิ่มค่าเป้าหมายตัวชี้วัด 1.2")

    sent_back = Notification.objects.get(kind=NotificationKind.SENT_BACK)
    assert sent_back.recipient == officer
    assert sent_back.body_th.endswith("ความเห็นของผู้ว่าราชการจังหวัด: เพิ่มค่าเป้าหมายตัวชี้วัด 1.2")
    assert sent_back.body_en.endswith("The governor's note: เพิ่มค่าเป้าหมายตัวชี้วัด 1.2")


def test_each_request_for_approval_is_its_own_notification(  # type: ignore[no-untyped-def]
    plan: Plan, officer: User, governor: User
) -> None:
    # given a plan sent back once and submitted again at the same version
    submission.plan_submit(plan=plan, actor=officer, when=ON_TIME)
    submission.plan_send_back(plan=plan, actor=governor, note="แก้ไข")
    submission.plan_submit(plan=plan, actor=officer, when=ON_TIME)

    assert (
        Notification.objects.filter(recipient=governor, kind=NotificationKind.APPROVAL_REQUESTED).count() == 2
    )


def test_opdcs_return_tells_the_officers_with_opdcs_note(  # type: ignore[no-untyped-def]
    plan: Plan, officer: User, governor: User, analyst: User, opdc_admin: User, other_officer: User
) -> None:
    submission.plan_submit(plan=plan, actor=officer, when=ON_TIME)
    submission.plan_approve(plan=plan, actor=governor, when=ON_TIME)
    submission.plan_return(plan=plan, actor=analyst, note="ตัวชี้วัด 1.3 ไม่มีค่าฐาน")

    returned = Notification.objects.get(kind=NotificationKind.RETURNED)
    assert returned.recipient == officer
    assert returned.subject_th == "สำนักงาน ก.พ.ร. ส่งแบบฟอร์มเจรจาของเชียงใหม่กลับให้แก้ไข"
    assert returned.body_th == (
        "แบบฟอร์มเจรจา ปีงบประมาณ พ.ศ. 2551 แก้ไขได้อีกครั้งเป็นฉบับที่ 2\nสิ่งที่ต้องแก้ไข: ตัวชี้วัด 1.3 ไม่มีค่าฐาน"
    )
    assert not Notification.objects.filter(recipient__in=[analyst, opdc_admin, other_officer]).exists()


def test_a_refused_step_notifies_nobody(
    plan: Plan, officer: User, other_officer: User, governor: User
) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DomainError):
        submission.plan_approve(plan=plan, actor=governor, when=ON_TIME)  # not awaiting approval

    assert not Notification.objects.exists()
