"""Request bodies are capped while they stream in: a 300 MB upload is refused with a Thai page and never reaches
the temporary folder; an upload that grows past its page's limit is stopped at the limit."""

import http.client
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client, RequestFactory
from django.urls import reverse

from khamrap.accounts.models import User
from khamrap.core.uploads import FORM_ALLOWANCE_BYTES, upload_limit
from khamrap.plans.models import PlanAttachment
from tests.conftest import login

MB = 1024 * 1024
BOUNDARY = "khamrap-test-boundary"
REFUSED = "หน้านี้รับไฟล์ได้รวมไม่เกิน {} MB ต่อครั้ง ระบบหยุดรับไฟล์ที่ส่งมาและยังไม่ได้บันทึกข้อมูลใด"


def _head(filename: str = "แผน.pdf") -> bytes:
    return (
        f"--{BOUNDARY}\r\n"
        'Content-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\nx\r\n'
        f"--{BOUNDARY}\r\n"
        f'Content-Disposition: form-data; name="file"; filename="{filename}"\r\n'
        "Content-Type: application/pdf\r\n\r\n%PDF-1.4\n"
    ).encode()


TAIL = f"\r\n--{BOUNDARY}--\r\n".encode()


class StreamedBody:
    """A multipart body of ``file_bytes`` made on the fly (nothing held in memory), counting what was read."""

    def __init__(self, file_bytes: int) -> None:
        self.length = len(_head()) + file_bytes + len(TAIL)
        self.read_bytes = 0
        self._chunks = self._generate(file_bytes)
        self._buffer = b""

    @staticmethod
    def _generate(file_bytes: int) -> Iterator[bytes]:
        yield _head()
        block = b"0" * (64 * 1024)
        for _ in range(file_bytes // len(block)):
            yield block
        yield b"0" * (file_bytes % len(block))
        yield TAIL

    def read(self, size: int = -1) -> bytes:
        while size < 0 or len(self._buffer) < size:
            chunk = next(self._chunks, None)
            if chunk is None:
                break
            self._buffer += chunk
        size = len(self._buffer) if size < 0 else size
        out, self._buffer = self._buffer[:size], self._buffer[size:]
        self.read_bytes += len(out)
        return out

    def readline(self, size: int = -1) -> bytes:  # WSGI asks for it; Django's multipart parser never calls it
        raise NotImplementedError


def _post(client: Client, url: str, body: StreamedBody) -> Any:
    return client.post(
        url,
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
        **{"wsgi.input": body, "CONTENT_LENGTH": str(body.length)},
    )


def _folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


@pytest.fixture
def upload_temp(settings: Any, tmp_path: Path) -> Path:
    """Uploads spool to a folder of the test's own, so its growth can be measured."""
    folder = tmp_path / "upload-temp"
    folder.mkdir()
    settings.FILE_UPLOAD_TEMP_DIR = str(folder)
    settings.MEDIA_ROOT = tmp_path / "media"
    return folder


def test_a_300_mb_upload_is_refused_before_a_byte_is_read(officer: User, upload_temp: Path) -> None:
    # given
    body = StreamedBody(300 * MB)
    url = reverse("plan-attachments", args=[2551, "50"])

    # when
    response = _post(login(officer), url, body)

    # then
    assert response.status_code == 413
    page = response.content.decode()
    assert REFUSED.format(20) in page and f'href="{url}"' in page
    assert body.read_bytes == 0
    assert _folder_bytes(upload_temp) == 0
    assert not PlanAttachment.objects.exists()
    assert not (upload_temp.parent / "media").exists()


def test_a_file_that_grows_past_the_limit_is_cut_off_at_the_limit(
    officer: User, upload_temp: Path, settings: Any
) -> None:
    # given a body whose length is within the allowance for the form, but whose file is over the limit
    settings.KHAMRAP_MAX_ATTACHMENT_BYTES = 3 * MB
    body = StreamedBody(3 * MB + FORM_ALLOWANCE_BYTES // 2)

    # when
    response = _post(login(officer), reverse("plan-attachments", args=[2551, "50"]), body)

    # then
    assert response.status_code == 413
    assert REFUSED.format(3) in response.content.decode()
    assert body.read_bytes < 3 * MB + 256 * 1024  # the parser stopped reading at the limit
    assert _folder_bytes(upload_temp) == 0  # the spooled part was removed
    assert not PlanAttachment.objects.exists()


def test_a_file_under_the_limit_still_arrives(officer: User, upload_temp: Path, settings: Any) -> None:
    settings.KHAMRAP_MAX_ATTACHMENT_BYTES = 3 * MB
    body = StreamedBody(3 * MB - 1024)

    response = _post(login(officer), reverse("plan-attachments", args=[2551, "50"]), body)

    # it reached the attachment service, which judges the content (this filler is no real PDF)
    assert response.status_code == 400
    assert "หยุดรับไฟล์" not in response.content.decode()
    assert body.read_bytes == body.length


def test_each_upload_page_has_its_own_limit_and_every_other_url_the_largest(settings: Any) -> None:
    settings.KHAMRAP_MAX_WORKBOOK_BYTES = 5 * MB
    settings.KHAMRAP_MAX_ATTACHMENT_BYTES = 20 * MB
    settings.KHAMRAP_MAX_BULK_UPLOAD_BYTES = 200 * MB
    factory = RequestFactory()

    limits = {
        name: upload_limit(factory.post(path))
        for name, path in {
            "workbook": reverse("plan-workbook-upload", args=[2551, "50"]),
            "attachment": reverse("plan-attachments", args=[2551, "50"]),
            "bulk": reverse("bulk-import", args=[2551]),
            "login": reverse("login"),
            "unknown": "/no/such/page/",
        }.items()
    }

    assert limits == {
        "workbook": 5 * MB,
        "attachment": 20 * MB,
        "bulk": 200 * MB,
        "login": 200 * MB,
        "unknown": 200 * MB,
    }


@pytest.mark.django_db(transaction=True)
def test_a_real_server_answers_a_300_mb_upload_with_the_thai_page_and_keeps_nothing(
    live_server: Any, upload_temp: Path
) -> None:
    # given a 300 MB body sent in 1 MB pieces from a generator, as a browser would stream it
    total = 300 * MB
    piece = b"0" * MB

    def pieces() -> Iterator[bytes]:
        yield _head("ใหญ่.zip")
        for _ in range(total // MB):
            yield piece
        yield TAIL

    host, port = live_server.url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=60)
    started = time.monotonic()

    # when
    connection.request(
        "POST",
        reverse("bulk-import", args=[2551]),
        body=pieces(),
        headers={
            "Content-Type": f"multipart/form-data; boundary={BOUNDARY}",
            "Content-Length": str(len(_head("ใหญ่.zip")) + total + len(TAIL)),
        },
    )
    response = connection.getresponse()
    page = response.read().decode()
    connection.close()

    # then
    assert response.status == 413
    assert REFUSED.format(200) in page
    assert _folder_bytes(upload_temp) == 0
    assert time.monotonic() - started < 60


def test_the_refusal_is_in_english_on_english_pages(officer: User, upload_temp: Path) -> None:
    client = login(officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = _post(client, reverse("plan-attachments", args=[2551, "50"]), StreamedBody(300 * MB))

    assert response.status_code == 413
    assert (
        "This page takes at most 20 MB of files at a time. The upload was stopped and nothing was saved."
        in (response.content.decode())
    )
