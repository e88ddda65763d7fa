"""The inbox: one's own notifications, paged, marked read; the unread count in every page's header."""

from django.test import Client

from khamrap.accounts.models import User
from khamrap.notifications.models import Notification, NotificationKind
from khamrap.notifications.services import Message, notify
from tests.conftest import login


def _notify(recipient: User, number: int, url: str = "/years/2551/plans/50/") -> Notification:
    [notification] = notify(
        recipients=[recipient],
        kind=NotificationKind.APPROVED,
        key=f"test:{number}",
        message=Message(subject_th=f"เรื่องที่ {number}", subject_en=f"Subject {number}", url=url),
    )
    return notification


def test_the_header_shows_the_unread_count(officer: User) -> None:
    _notify(officer, 1)
    _notify(officer, 2)

    page = login(officer).get("/inbox/").content.decode()

    assert 'data-testid="inbox-link">การแจ้งเตือน (2)</a>' in page


def test_the_inbox_shows_only_ones_own_notifications_in_the_pages_language(
    officer: User, other_officer: User
) -> None:
    _notify(officer, 1)
    _notify(other_officer, 2)

    client = login(officer)
    thai = client.get("/inbox/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/inbox/"})
    english = client.get("/inbox/").content.decode()

    assert "เรื่องที่ 1" in thai and "เรื่องที่ 2" not in thai
    assert "Subject 1" in english and "Notifications (1)" in english


def test_opening_a_notification_marks_it_read_and_follows_its_link(officer: User) -> None:
    notification = _notify(officer, 1)

    response = login(officer).post(f"/inbox/{notification.pk}/read/", {"open": "1"})

    assert (response.status_code, response["Location"]) == (302, "/years/2551/plans/50/")
    assert Notification.objects.get().read_at is not None


def test_someone_elses_notification_is_not_found(officer: User, other_officer: User) -> None:
    notification = _notify(officer, 1)

    response = login(other_officer).post(f"/inbox/{notification.pk}/read/", {"open": "1"})

    assert response.status_code == 404
    assert Notification.objects.get().read_at is None


def test_a_link_to_another_site_is_not_followed(officer: User) -> None:
    notification = _notify(officer, 1, url="https://example.com/")

    response = login(officer).post(f"/inbox/{notification.pk}/read/", {"open": "1"})

    assert response["Location"] == "/inbox/"


def test_mark_all_read_marks_only_ones_own(officer: User, other_officer: User) -> None:
    _notify(officer, 1)
    _notify(officer, 2)
    _notify(other_officer, 3)

    client = login(officer)
    client.post("/inbox/read-all/")

    assert 'data-testid="inbox-link">การแจ้งเตือน (0)</a>' in client.get("/inbox/").content.decode()
    assert Notification.objects.filter(read_at__isnull=True).get().recipient == other_officer


def test_the_inbox_is_paged_newest_first(officer: User) -> None:
    for number in range(1, 23):
        _notify(officer, number)

    client = login(officer)
    first, second = client.get("/inbox/").content.decode(), client.get("/inbox/?page=2").content.decode()

    assert "เรื่องที่ 22" in first and "เรื่องที่ 3<" in first and "เรื่องที่ 2<" not in first
    assert "เรื่องที่ 2<" in second and "เรื่องที่ 1<" in second
    assert "หน้า 1 จาก 2" in first


def test_the_inbox_needs_a_sign_in(db: None) -> None:
    assert Client().get("/inbox/").status_code == 302
