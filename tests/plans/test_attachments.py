"""The action plan attached as PDF, DOCX or XLSX (issue 3, item 3): judged by content, stored under a random
name, downloadable by the organisation and OPDC only; every refusal leaves nothing behind."""

import hashlib
import io
import zipfile
from collections.abc import Callable
from contextlib import AbstractContextManager as ContextManager
from functools import cache
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook
from pypdf import PdfReader
from weasyprint import HTML

from khamrap.accounts.models import User
from khamrap.core.errors import DomainError
from khamrap.core.templatetags.thai import thai_date
from khamrap.documents.attachments import (
    DOCX,
    PDF,
    XLSX,
    DocumentKind,
    ZipLimits,
    clean_filename,
    content_disposition,
    download_name,
    sniff_document,
)
from khamrap.frameworks.models import FiscalYear
from khamrap.orgs.models import Organisation
from khamrap.plans.attachments import attachment_add, attachment_delete
from khamrap.plans.editing import plan_get_or_create
from khamrap.plans.models import Plan, PlanAttachment, PlanEvent, PlanEventKind, PlanStatus
from khamrap.plans.printable import plan_form_pdf
from khamrap.thai.text import compose_sara_am
from tests.conftest import login

DOCX_TYPE = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
DOCM_TYPE = b"application/vnd.ms-word.document.macroEnabled.main+xml"
XLSM_TYPE = b"application/vnd.ms-excel.sheet.macroEnabled.main+xml"
VBA_DEFAULT = b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'


# --- files, made here -----------------------------------------------------------------------------------


@cache
def pdf_bytes() -> bytes:
    pdf: bytes = HTML(string="<p>แผนปฏิบัติราชการจังหวัดเชียงใหม่ พ.ศ. 2551</p>").write_pdf()
    return pdf


def docx_bytes(
    *, main_type: bytes = DOCX_TYPE, extra: dict[str, bytes] | None = None, defaults: bytes = b""
) -> bytes:
    """A minimal WordprocessingML package: content types, package relationships and the document."""
    content_types = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        b'<Default Extension="xml" ContentType="application/xml"/>'
        + defaults
        + b'<Override PartName="/word/document.xml" ContentType="'
        + main_type
        + b'"/></Types>'
    )
    rels = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
        b"</Relationships>"
    )
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        "<w:body><w:p><w:r><w:t>แผนปฏิบัติราชการ</w:t></w:r></w:p></w:body></w:document>"
    ).encode()
    parts = {
        "[Content_Types].xml": content_types,
        "_rels/.rels": rels,
        "word/document.xml": document,
        **(extra or {}),
    }
    return _zip(parts)


def xlsx_bytes() -> bytes:
    workbook = Workbook()
    workbook.worksheets[0]["A1"] = "แผนปฏิบัติราชการ"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def xlsm_bytes() -> bytes:
    """An XLSX turned into a macro-enabled workbook, as Excel saves one."""
    with zipfile.ZipFile(io.BytesIO(xlsx_bytes())) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    main = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(main, XLSM_TYPE)
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>", VBA_DEFAULT + b"</Types>"
    )
    parts["xl/vbaProject.bin"] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512
    return _zip(parts)


def _zip(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            # A fixed time: the same parts make the same bytes.
            archive.writestr(
                zipfile.ZipInfo(name, date_time=(2007, 10, 15, 0, 0, 0)), data, zipfile.ZIP_DEFLATED
            )
    return out.getvalue()


def zip_bomb() -> bytes:
    """A "DOCX" whose document expands from about 10 kB to 10 MB of zeros."""
    return docx_bytes(extra={"word/media/padding.xml": b"\x00" * (10 * 1024 * 1024)})


def lying_zip() -> bytes:
    """A "DOCX" whose central directory says an entry holds 100 bytes when it inflates to 5 MB."""
    data = bytearray(docx_bytes(extra={"word/big.xml": b"0" * (5 * 1024 * 1024)}))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo("word/big.xml")
    size = (5 * 1024 * 1024).to_bytes(4, "little")
    # Patch the uncompressed size in the local header and in the central directory.
    for position in _find_all(bytes(data), size):
        data[position : position + 4] = (100).to_bytes(4, "little")
    assert info.file_size == 5 * 1024 * 1024
    return bytes(data)


def _find_all(data: bytes, needle: bytes) -> list[int]:
    found, start = [], 0
    while (position := data.find(needle, start)) != -1:
        found.append(position)
        start = position + 1
    return found


EXE = (
    b"MZ\x90\x00\x03\x00\x00\x00"
    + b"\x00" * 56
    + b"This program cannot be run in DOS mode.\r\n"
    + b"\x00" * 400
)
TEXT = "นี่ไม่ใช่ไฟล์ PDF แต่เป็นข้อความธรรมดา\n".encode()


# --- fixtures ---------------------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def media(settings, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = root
    return root


@pytest.fixture
def plan(fy2551: FiscalYear) -> Plan:
    return plan_get_or_create(fiscal_year=fy2551, organisation=Organisation.objects.get(code="50"))


def _stored_files(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()]


def _upload(name: str, content: bytes) -> SimpleUploadedFile:
    # The browser's claimed type is deliberately wrong: it must not matter.
    return SimpleUploadedFile(name, content, content_type="application/pdf")


# --- the service ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "make", "kind"),
    [
        ("แผนปฏิบัติราชการ 2551.pdf", pdf_bytes, PDF),
        ("แผนปฏิบัติราชการ.docx", docx_bytes, DOCX),
        ("ตัวชี้วัด.xlsx", xlsx_bytes, XLSX),
    ],
    ids=["pdf", "docx", "xlsx"],
)
def test_an_officer_attaches_a_real_document(
    name: str, make: Callable[[], bytes], kind: DocumentKind, plan: Plan, officer: User, media: Path
) -> None:
    content = make()

    attachment = attachment_add(plan=plan, uploaded_file=_upload(name, content), actor=officer)

    attachment.refresh_from_db()
    assert attachment.original_name == name
    assert attachment.content_type == kind.content_type
    assert attachment.size == len(content)
    assert attachment.sha256 == hashlib.sha256(content).hexdigest()
    assert attachment.uploaded_by == officer
    # stored under a random name, never the user's
    stored = str(attachment.file.name)
    assert stored.startswith("plans/2551/50/")
    assert len(Path(stored).name) == 32 and "." not in Path(stored).name
    assert _stored_files(media) == [media / stored]
    assert (media / stored).read_bytes() == content
    event = PlanEvent.objects.get(plan=plan)
    assert (event.kind, event.actor, event.note) == (
        PlanEventKind.ATTACHED,
        officer,
        f"แนบไฟล์ {name} ({kind.label})",
    )


def test_the_type_comes_from_the_content_not_the_name(plan: Plan, officer: User) -> None:
    attachment = attachment_add(plan=plan, uploaded_file=_upload("แผน.pdf", docx_bytes()), actor=officer)

    assert attachment.content_type == DOCX.content_type
    assert download_name(attachment.original_name, DOCX) == "แผน.docx"


REFUSALS = [
    ("โปรแกรม.pdf", lambda: EXE, 'ไฟล์ "โปรแกรม.pdf" เป็นโปรแกรมหรือสคริปต์ ไม่ใช่เอกสาร'),
    ("ข้อความ.pdf", lambda: TEXT, 'ไฟล์ "ข้อความ.pdf" ไม่ใช่ PDF, Word (DOCX) หรือ Excel (XLSX)'),
    ("แผน.xlsm", xlsm_bytes, 'ไฟล์ "แผน.xlsm" มีแมโคร'),
    ("แผน.xlsx", xlsm_bytes, 'ไฟล์ "แผน.xlsx" มีแมโคร'),
    (
        "แผน.docm",
        lambda: docx_bytes(
            main_type=DOCM_TYPE, defaults=VBA_DEFAULT, extra={"word/vbaProject.bin": b"x" * 64}
        ),
        'ไฟล์ "แผน.docm" มีแมโคร',
    ),
    ("แอบ.docx", lambda: docx_bytes(extra={"word/vbaProject.bin": b"x" * 64}), 'ไฟล์ "แอบ.docx" มีแมโคร'),
    ("ระเบิด.docx", zip_bomb, 'ไฟล์ "ระเบิด.docx" มีข้อมูลที่บีบอัดไว้มากผิดปกติ (อาจเป็น zip bomb)'),
    ("โกหก.docx", lying_zip, 'ไฟล์ "โกหก.docx" เสียหายหรือไม่สมบูรณ์'),
    ("ครึ่ง.pdf", lambda: pdf_bytes()[:2000], 'ไฟล์ "ครึ่ง.pdf" เสียหายหรือไม่สมบูรณ์'),
    (
        "เก่า.doc",
        lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1024,
        'ไฟล์ "เก่า.doc" เป็นเอกสาร Word/Excel รูปแบบเก่า',
    ),
    (
        "zip.docx",
        lambda: _zip({"readme.txt": b"hello"}),
        'ไฟล์ "zip.docx" ไม่ใช่ PDF, Word (DOCX) หรือ Excel (XLSX)',
    ),
    ("ว่าง.pdf", lambda: b"", 'ไฟล์ "ว่าง.pdf" ว่างเปล่า'),
]


@pytest.mark.parametrize(
    ("name", "make", "message"),
    REFUSALS,
    ids=[
        "exe",
        "text",
        "xlsm",
        "xlsm-named-xlsx",
        "docm",
        "vba-in-docx",
        "zip-bomb",
        "lying-zip",
        "cut-pdf",
        "old-doc",
        "other-zip",
        "empty",
    ],
)
def test_anything_else_is_refused_and_nothing_is_stored(
    name: str, make: Callable[[], bytes], message: str, plan: Plan, officer: User, media: Path
) -> None:
    with pytest.raises(DomainError) as refused:
        attachment_add(plan=plan, uploaded_file=_upload(name, make()), actor=officer)

    assert refused.value.message_th.startswith(message)
    assert not PlanAttachment.objects.exists()
    assert not PlanEvent.objects.exists()
    assert _stored_files(media) == []


def test_an_oversize_file_is_refused(settings, plan: Plan, officer: User, media: Path) -> None:  # type: ignore[no-untyped-def]
    settings.KHAMRAP_MAX_ATTACHMENT_BYTES = 1024 * 1024
    content = b"%PDF-1.4\n%" + b"0" * (1024 * 1024) + b"\n%%EOF\n"

    with pytest.raises(DomainError) as refused:
        attachment_add(plan=plan, uploaded_file=_upload("ใหญ่.pdf", content), actor=officer)

    assert refused.value.message_th == 'ไฟล์ "ใหญ่.pdf" มีขนาด 1.0 MB เกินกำหนด 1.0 MB'
    assert not PlanAttachment.objects.exists()
    assert _stored_files(media) == []


def test_the_same_file_twice_is_refused(plan: Plan, officer: User) -> None:
    attachment_add(plan=plan, uploaded_file=_upload("แผน.pdf", pdf_bytes()), actor=officer)

    with pytest.raises(DomainError, match="แนบไว้แล้ว"):
        attachment_add(plan=plan, uploaded_file=_upload("แผนอีกครั้ง.pdf", pdf_bytes()), actor=officer)

    assert PlanAttachment.objects.count() == 1


@pytest.mark.parametrize("who", ["other_officer", "governor", "analyst", "cluster_officer"])
def test_only_the_organisations_officers_attach(
    who: str, plan: Plan, request: pytest.FixtureRequest, media: Path
) -> None:
    with pytest.raises(DomainError, match="ไม่มีสิทธิ์"):
        attachment_add(
            plan=plan, uploaded_file=_upload("แผน.pdf", pdf_bytes()), actor=request.getfixturevalue(who)
        )

    assert not PlanAttachment.objects.exists()
    assert _stored_files(media) == []


def test_a_submitted_plan_takes_no_attachment_and_loses_none(plan: Plan, officer: User, media: Path) -> None:
    attachment = attachment_add(plan=plan, uploaded_file=_upload("แผน.pdf", pdf_bytes()), actor=officer)
    Plan.objects.filter(pk=plan.pk).update(status=PlanStatus.SUBMITTED)

    with pytest.raises(DomainError, match="'ส่งแล้ว' จึงแก้ไขไม่ได้ จนกว่าสำนักงาน ก\\.พ\\.ร\\. จะส่งกลับ"):
        attachment_add(plan=plan, uploaded_file=_upload("อื่น.docx", docx_bytes()), actor=officer)
    with pytest.raises(DomainError, match="'ส่งแล้ว' จึงแก้ไขไม่ได้ จนกว่าสำนักงาน ก\\.พ\\.ร\\. จะส่งกลับ"):
        attachment_delete(attachment=attachment, actor=officer)

    assert list(PlanAttachment.objects.all()) == [attachment]
    assert _stored_files(media) == [media / str(attachment.file.name)]


def test_deleting_removes_the_row_and_then_the_file(
    plan: Plan,
    officer: User,
    media: Path,
    django_capture_on_commit_callbacks: Callable[..., ContextManager[list[Callable[[], None]]]],
) -> None:
    attachment = attachment_add(plan=plan, uploaded_file=_upload("แผน.pdf", pdf_bytes()), actor=officer)

    with django_capture_on_commit_callbacks(execute=True):
        attachment_delete(attachment=attachment, actor=officer)

    assert not PlanAttachment.objects.exists()
    assert _stored_files(media) == []
    assert list(PlanEvent.objects.values_list("note", flat=True)) == [
        "แนบไฟล์ แผน.pdf (PDF)",
        "ลบไฟล์แนบ แผน.pdf",
    ]


# --- the helpers ------------------------------------------------------------------------------------------


def test_zip_limits_bound_the_declared_total_and_the_entry_count() -> None:
    content = io.BytesIO(docx_bytes())

    with pytest.raises(DomainError, match="zip bomb"):
        sniff_document(content, name="a.docx", limits=ZipLimits(max_total_bytes=100))
    with pytest.raises(DomainError, match="zip bomb"):
        sniff_document(content, name="a.docx", limits=ZipLimits(max_entries=2))
    assert sniff_document(content, name="a.docx") == DOCX


def test_clean_filename_keeps_the_name_and_drops_paths_and_tricks() -> None:
    assert clean_filename("C:\\fakepath\\แผนปฏิบัติราชการ.pdf") == "แผนปฏิบัติราชการ.pdf"
    assert clean_filename("../../etc/passwd") == "passwd"
    assert clean_filename("แผน\u202egpj.exe") == "แผนgpj.exe"  # no right-to-left override
    assert clean_filename("ส\u0e4d\u0e32นักงาน  ก.พ.ร..pdf") == "สำนักงาน ก.พ.ร..pdf"
    assert clean_filename("\r\n") == "document"


def test_content_disposition_gives_thai_names_safely() -> None:
    assert content_disposition("แผนปฏิบัติราชการ 2551.pdf") == (
        "attachment; filename=\"2551.pdf\"; filename*=UTF-8''" + quote("แผนปฏิบัติราชการ 2551.pdf", safe="")
    )
    assert content_disposition(
        "แผน.pdf"
    ) == "attachment; filename=\"document.pdf\"; filename*=UTF-8''" + quote("แผน.pdf")
    header = content_disposition('a"b\r\nSet-Cookie: x=1;.pdf', inline=True)
    assert "\r" not in header and "\n" not in header and header.count('"') == 2
    assert (
        header
        == "inline; filename=\"a_b_Set-Cookie_x_1.pdf\"; filename*=UTF-8''a%22b%0D%0ASet-Cookie%3A%20x%3D1%3B.pdf"
    )


# --- the views --------------------------------------------------------------------------------------------


def _url(name: str, *args: object, org: str = "50") -> str:
    return reverse(name, args=[2551, org, *args])


def test_an_officer_uploads_and_sees_the_list(plan: Plan, officer: User) -> None:
    client = login(officer)

    response = client.post(_url("plan-attachments"), {"file": _upload("แผนปฏิบัติราชการ.docx", docx_bytes())})

    assert response.status_code == 302
    attachment = PlanAttachment.objects.get()
    page = client.get(_url("plan-attachments")).content.decode()
    assert "แผนปฏิบัติราชการ.docx" in page
    assert "Word (DOCX)" in page
    # The day as Bangkok reads it ("15 ต.ค. 2550"), which is not the UTC day from 17:00 to midnight UTC.
    assert thai_date(attachment.uploaded_at) in page
    assert "แนบไฟล์ &quot;แผนปฏิบัติราชการ.docx&quot; แล้ว" in page
    assert _url("plan-attachment-delete", attachment.pk) in page


def test_the_first_upload_starts_the_plan(fy2551: FiscalYear, officer: User) -> None:
    response = login(officer).post(_url("plan-attachments"), {"file": _upload("แผน.pdf", pdf_bytes())})

    assert response.status_code == 302
    assert PlanAttachment.objects.get().plan.organisation.code == "50"


def test_a_refused_upload_shows_why_and_starts_nothing(
    fy2551: FiscalYear, officer: User, media: Path
) -> None:
    response = login(officer).post(_url("plan-attachments"), {"file": _upload("โปรแกรม.pdf", EXE)})

    assert response.status_code == 400
    assert "ไฟล์ &quot;โปรแกรม.pdf&quot; เป็นโปรแกรมหรือสคริปต์ ไม่ใช่เอกสาร" in response.content.decode()
    assert not Plan.objects.exists()
    assert _stored_files(media) == []


def test_an_upload_without_a_file_is_a_400(plan: Plan, officer: User) -> None:
    response = login(officer).post(_url("plan-attachments"), {})

    assert response.status_code == 400
    assert "กรุณาเลือกไฟล์" in response.content.decode()


@pytest.fixture
def attachment(plan: Plan, officer: User) -> PlanAttachment:
    return attachment_add(
        plan=plan, uploaded_file=_upload("แผนปฏิบัติราชการ 2551.pdf", docx_bytes()), actor=officer
    )


@pytest.mark.parametrize("who", ["officer", "governor", "analyst", "opdc_admin"])
def test_the_organisation_and_opdc_download(
    who: str, attachment: PlanAttachment, request: pytest.FixtureRequest
) -> None:
    response = login(request.getfixturevalue(who)).get(_url("plan-attachment-download", attachment.pk))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == docx_bytes()  # type: ignore[attr-defined]
    assert response["Content-Type"] == DOCX.content_type  # sniffed, not from the name
    assert response["Content-Disposition"] == (
        "attachment; filename=\"2551.docx\"; filename*=UTF-8''" + quote("แผนปฏิบัติราชการ 2551.docx", safe="")
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["Cache-Control"] == "private, no-store"


def _every_view(attachment: PlanAttachment) -> list[tuple[str, str]]:
    return [
        ("get", _url("plan-attachments")),
        ("post", _url("plan-attachments")),
        ("get", _url("plan-attachment-download", attachment.pk)),
        ("post", _url("plan-attachment-delete", attachment.pk)),
        ("get", _url("plan-pdf")),
    ]


@pytest.mark.parametrize("who", ["other_officer", "cluster_officer", "viewer"])
def test_anyone_else_gets_403_on_every_view(
    who: str, attachment: PlanAttachment, request: pytest.FixtureRequest, media: Path
) -> None:
    client = login(request.getfixturevalue(who))
    for method, url in _every_view(attachment):
        data = {"file": _upload("แผน.pdf", pdf_bytes())} if method == "post" else None
        response = getattr(client, method)(url, data)
        assert response.status_code == 403, (method, url)
    assert list(PlanAttachment.objects.all()) == [attachment]
    assert _stored_files(media) == [media / str(attachment.file.name)]


def test_anonymous_visitors_are_sent_to_log_in(attachment: PlanAttachment) -> None:
    for method, url in _every_view(attachment):
        response = getattr(Client(), method)(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_the_governor_reads_but_does_not_change(attachment: PlanAttachment, governor: User) -> None:
    client = login(governor)

    page = client.get(_url("plan-attachments"))
    upload = client.post(_url("plan-attachments"), {"file": _upload("แผน.pdf", pdf_bytes())})
    delete = client.post(_url("plan-attachment-delete", attachment.pk))

    assert page.status_code == 200
    assert "แผนปฏิบัติราชการ 2551.pdf" in page.content.decode()
    assert _url("plan-attachment-delete", attachment.pk) not in page.content.decode()
    assert (upload.status_code, delete.status_code) == (403, 403)
    assert list(PlanAttachment.objects.all()) == [attachment]


def test_an_attachment_is_not_found_under_another_organisation(
    attachment: PlanAttachment, analyst: User
) -> None:
    response = login(analyst).get(_url("plan-attachment-download", attachment.pk, org="51"))

    assert response.status_code == 404


def test_an_officer_deletes_through_the_view(
    attachment: PlanAttachment,
    officer: User,
    media: Path,
    django_capture_on_commit_callbacks: Callable[..., ContextManager[list[Callable[[], None]]]],
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = login(officer).post(_url("plan-attachment-delete", attachment.pk))

    assert response.status_code == 302
    assert not PlanAttachment.objects.exists()
    assert _stored_files(media) == []


def test_deleting_from_a_submitted_plan_says_why(attachment: PlanAttachment, officer: User) -> None:
    Plan.objects.filter(pk=attachment.plan_id).update(status=PlanStatus.SUBMITTED)
    client = login(officer)

    response = client.post(_url("plan-attachment-delete", attachment.pk), follow=True)

    assert "จึงแก้ไขไม่ได้ จนกว่าสำนักงาน ก.พ.ร. จะส่งกลับ" in response.content.decode()
    assert PlanAttachment.objects.count() == 1


@pytest.mark.parametrize(
    "year_code", [(2599, "50"), (2551, "XX")], ids=["unknown year", "unknown organisation"]
)
def test_unknown_year_or_organisation_is_404(year_code: tuple[int, str], officer: User) -> None:
    year, code = year_code

    response = login(officer).get(reverse("plan-attachments", args=[year, code]))

    assert response.status_code == 404


def test_the_printed_form_names_the_attached_action_plan(attachment: PlanAttachment) -> None:
    pdf = plan_form_pdf(plan=Plan.objects.get(pk=attachment.plan_id))

    text = compose_sara_am(PdfReader(io.BytesIO(pdf)).pages[0].extract_text())
    assert "เอกสารแนบ (แผนปฏิบัติราชการ): แผนปฏิบัติราชการ 2551.pdf" in text


def test_a_document_altered_inside_its_zip_is_refused_as_damaged(
    plan: Plan, officer: User, media: Path
) -> None:
    # given a DOCX with one byte of its (stored) document part changed after it was zipped
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx_bytes())) as source, zipfile.ZipFile(buffer, "w") as copy:
        for info in source.infolist():
            copy.writestr(info.filename, source.read(info), compress_type=zipfile.ZIP_STORED)
    content = bytearray(buffer.getvalue())
    at = content.index(b"<w:body")
    content[at + 1] ^= 0x20  # "<W:body": same size, wrong CRC

    with pytest.raises(DomainError) as refused:
        attachment_add(plan=plan, uploaded_file=_upload("แก้ไข.docx", bytes(content)), actor=officer)

    assert refused.value.message_th == 'ไฟล์ "แก้ไข.docx" เสียหายหรือไม่สมบูรณ์ กรุณาบันทึกใหม่แล้วแนบอีกครั้ง'
    assert not PlanAttachment.objects.exists()
    assert _stored_files(media) == []
