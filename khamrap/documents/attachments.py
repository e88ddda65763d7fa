"""What an uploaded document is, told by its content and never by its name; and how to send it back.

Accepted: PDF, and the Office Open XML documents DOCX and XLSX. A DOCX or XLSX is a zip archive; it is
inspected within fixed bounds (entry count, declared total size, compression ratio, and every entry
decompressed once through :mod:`khamrap.core.zips`, never past what it declares or a budget for the file), so a zip bomb costs a bounded amount of
memory and time and is refused. Macro-enabled documents (DOCM, XLSM, anything holding ``vbaProject.bin``)
are refused; so are the old binary Word/Excel formats, executables and everything else. Every refusal is a
:class:`~khamrap.core.errors.DomainError` whose Thai message names the file.
"""

import re
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import IO
from urllib.parse import quote

from khamrap.core.errors import DomainError
from khamrap.core.zips import Budget, ZipRefusalReason, ZipRefused, inflate, read_member
from khamrap.thai.text import normalise

__all__ = [
    "DOCX",
    "PDF",
    "XLSX",
    "DocumentKind",
    "ZipLimits",
    "clean_filename",
    "content_disposition",
    "download_name",
    "kind_for_content_type",
    "sniff_document",
]


@dataclass(frozen=True)
class DocumentKind:
    code: str
    label: str
    content_type: str
    extension: str


PDF = DocumentKind("pdf", "PDF", "application/pdf", ".pdf")
DOCX = DocumentKind(
    "docx", "Word (DOCX)", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx"
)
XLSX = DocumentKind(
    "xlsx", "Excel (XLSX)", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"
)
KINDS_BY_CONTENT_TYPE = {kind.content_type: kind for kind in (PDF, DOCX, XLSX)}


@dataclass(frozen=True)
class ZipLimits:
    """Bounds on inspecting a DOCX/XLSX. A real action plan is far inside them."""

    max_entries: int = 5_000
    max_total_bytes: int = 256 * 1024 * 1024
    # Office XML compresses well, but not a thousandfold; zeros do.
    max_ratio: int = 200
    # The ratio is only judged on entries big enough to matter.
    ratio_floor_bytes: int = 1024 * 1024
    max_content_types_bytes: int = 1024 * 1024


PDF_MAGIC = b"%PDF-"
PDF_END = b"%%EOF"
PDF_TAIL_BYTES = 4096
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
EXE_MAGICS = (b"MZ", b"\x7fELF", b"\xcf\xfa\xed\xfe", b"\xca\xfe\xba\xbe", b"#!")
CONTENT_TYPES = "[Content_Types].xml"
WORD_MAIN = (
    "word/document.xml",
    b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
)
EXCEL_MAIN = (
    "xl/workbook.xml",
    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
)
ACCEPTED_TH = "PDF, Word (DOCX) หรือ Excel (XLSX)"


def sniff_document(file: IO[bytes], *, name: str, limits: ZipLimits | None = None) -> DocumentKind:
    """The kind of document ``file`` holds, judged by its bytes; ``name`` is only used in messages.

    Raises :class:`DomainError` for anything that is not a PDF, DOCX or XLSX one may safely keep.
    """
    limits = limits or ZipLimits()
    file.seek(0)
    head = file.read(8)
    if head.startswith(PDF_MAGIC):
        return _check_pdf(file, name)
    if head.startswith(ZIP_MAGIC):
        return _inspect_zip(file, name, limits)
    if head.startswith(OLE_MAGIC):
        raise DomainError(
            f'ไฟล์ "{name}" เป็นเอกสาร Word/Excel รูปแบบเก่า (.doc/.xls) หรือถูกเข้ารหัสผ่าน '
            f"กรุณาบันทึกเป็น {ACCEPTED_TH} โดยไม่ตั้งรหัสผ่าน แล้วแนบใหม่",
            f'"{name}" is a legacy or password-protected Office file; save it as PDF, DOCX or XLSX',
        )
    if head.startswith(EXE_MAGICS):
        raise DomainError(
            f'ไฟล์ "{name}" เป็นโปรแกรมหรือสคริปต์ ไม่ใช่เอกสาร แนบได้เฉพาะ {ACCEPTED_TH}',
            f'"{name}" is a program, not a document; only PDF, DOCX and XLSX are accepted',
        )
    raise _not_accepted(name)


def _not_accepted(name: str) -> DomainError:
    return DomainError(
        f'ไฟล์ "{name}" ไม่ใช่ {ACCEPTED_TH} (ตรวจจากเนื้อหาของไฟล์ ไม่ใช่จากนามสกุล)',
        f'"{name}" is not a PDF, DOCX or XLSX file (judged by its content, not its name)',
    )


def _damaged(name: str) -> DomainError:
    return DomainError(
        f'ไฟล์ "{name}" เสียหายหรือไม่สมบูรณ์ กรุณาบันทึกใหม่แล้วแนบอีกครั้ง',
        f'"{name}" is damaged or incomplete',
    )


def _check_pdf(file: IO[bytes], name: str) -> DocumentKind:
    # A PDF ends with %%EOF (give or take trailing whitespace); a cut-off upload does not.
    file.seek(0, 2)
    size = file.tell()
    file.seek(max(0, size - PDF_TAIL_BYTES))
    if PDF_END not in file.read(PDF_TAIL_BYTES):
        raise _damaged(name)
    return PDF


def _inspect_zip(file: IO[bytes], name: str, limits: ZipLimits) -> DocumentKind:
    try:
        with zipfile.ZipFile(file) as archive:
            entries = archive.infolist()
            _check_bounds(entries, name, limits)
            names = {entry.filename for entry in entries}
            if CONTENT_TYPES not in names:
                raise _not_accepted(name)
            budget = Budget(limits.max_total_bytes)
            content_types = read_member(
                file, archive.getinfo(CONTENT_TYPES), cap=limits.max_content_types_bytes, budget=budget
            )
            kind = _office_kind(names, content_types, name)
            _read_all(file, entries, budget)
    except ZipRefused as refused:
        if refused.reason is ZipRefusalReason.ENCRYPTED:
            raise _encrypted(name) from None
        if refused.reason in {ZipRefusalReason.BOMB, ZipRefusalReason.TOO_BIG}:
            raise _bomb(name) from None
        raise _damaged(name) from None
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        zlib.error,
        EOFError,
        OSError,
        NotImplementedError,
        ValueError,
    ):
        raise _damaged(name) from None
    return kind


def _bomb(name: str) -> DomainError:
    return DomainError(
        f'ไฟล์ "{name}" มีข้อมูลที่บีบอัดไว้มากผิดปกติ (อาจเป็น zip bomb) ระบบไม่รับไฟล์นี้',
        f'"{name}" expands to far more data than a document does (a zip bomb?)',
    )


def _encrypted(name: str) -> DomainError:
    return DomainError(f'ไฟล์ "{name}" ถูกเข้ารหัสผ่าน กรุณาเอารหัสผ่านออกแล้วแนบใหม่', f'"{name}" is encrypted')


def _check_bounds(entries: list[zipfile.ZipInfo], name: str, limits: ZipLimits) -> None:
    if len(entries) > limits.max_entries:
        raise _bomb(name)
    if sum(entry.file_size for entry in entries) > limits.max_total_bytes:
        raise _bomb(name)
    for entry in entries:
        if entry.flag_bits & 0x1:
            raise _encrypted(name)
        big = entry.file_size >= limits.ratio_floor_bytes
        if big and entry.file_size > limits.max_ratio * max(entry.compress_size, 1):
            raise _bomb(name)


def _office_kind(names: set[str], content_types: bytes, name: str) -> DocumentKind:
    lowered = content_types.lower()
    macro = any(PurePosixPath(n.lower()).name == "vbaproject.bin" for n in names)
    if macro or b"macroenabled" in lowered or b"vbaproject" in lowered:
        raise DomainError(
            f'ไฟล์ "{name}" มีแมโคร (เช่น .docm หรือ .xlsm) ระบบไม่รับไฟล์ที่มีแมโคร '
            "กรุณาบันทึกเป็น .docx หรือ .xlsx แบบไม่มีแมโคร หรือเป็น PDF",
            f'"{name}" contains macros; save it as DOCX, XLSX or PDF without macros',
        )
    for path, main_type, kind in ((*WORD_MAIN, DOCX), (*EXCEL_MAIN, XLSX)):
        if path in names and main_type in content_types:
            return kind
    raise _not_accepted(name)


def _read_all(file: IO[bytes], entries: list[zipfile.ZipInfo], budget: Budget) -> None:
    """Decompress every entry once through the capped inflater: none may yield more than it declares."""
    for entry in entries:
        for _ in inflate(file, entry, budget=budget):
            pass


_FALLBACK_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
MAX_NAME_LENGTH = 200


def clean_filename(name: str) -> str:
    """The name a person gave a file, fit to show and to store as *data* (never as a path).

    The folder part (``C:\\fakepath\\``) and control and formatting characters (including the right-to-left
    override that makes "gpj.exe" look like "exe.jpg") are removed; Thai text is normalised.
    """
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] not in {"C", "Z"} or ch == " ")
    base = normalise(base).strip(" .")
    if len(base) > MAX_NAME_LENGTH:
        path = PurePosixPath(base)
        suffix = path.suffix[:16]
        base = path.stem[: MAX_NAME_LENGTH - len(suffix)] + suffix
    return base or "document"


def kind_for_content_type(content_type: str) -> DocumentKind | None:
    return KINDS_BY_CONTENT_TYPE.get(content_type)


def download_name(original_name: str, kind: DocumentKind) -> str:
    """``original_name``, with the extension of what the file really is."""
    path = PurePosixPath(original_name)
    if path.suffix.lower() == kind.extension:
        return original_name
    return (path.stem if path.suffix else original_name) + kind.extension


def content_disposition(filename: str, *, inline: bool = False) -> str:
    """A Content-Disposition header for ``filename`` that every browser reads right, Thai names too.

    An ASCII ``filename=`` for old clients, and ``filename*=UTF-8''…`` (RFC 5987 / RFC 6266) with the real
    name; nothing from the name can end the header or add a parameter.
    """
    path = PurePosixPath(filename)
    stem = _FALLBACK_UNSAFE.sub("_", path.stem).strip("_.")
    suffix = _FALLBACK_UNSAFE.sub("", path.suffix)
    fallback = (stem if any(ch.isalnum() for ch in stem) else "document") + suffix
    encoded = quote(filename, safe="")
    return f"{'inline' if inline else 'attachment'}; filename=\"{fallback}\"; filename*=UTF-8''{encoded}"
