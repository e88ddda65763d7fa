"""Backup and restore: the whole database as Django's portable JSON and every uploaded file, in one .tar.gz.

The archive holds
- ``data.json``: ``dumpdata --natural-foreign`` of every model except what ``migrate`` makes by itself (content
  types, permissions) and the sessions, read in one transaction so it is one moment's data;
- ``media/…``: every file under ``MEDIA_ROOT``, by its path there;
- ``manifest.json`` (last): format and version, when, from which database, the applied migrations, the rows
  per model, and the size and sha256 of every other member.

JSON rather than a database's own dump, so a backup of SQLite restores into PostgreSQL and back. Restore goes
into an empty database and media folder only (``force`` empties them first, the old media kept aside), checks
every checksum and the migrations before it changes anything, and loads in one transaction. Only the app
registry and Django's own commands are used: this module knows no other Khamrap app.
"""

import hashlib
import json
import shutil
import tarfile
import tempfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection, models, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

from khamrap.core.errors import DomainError

FORMAT = "khamrap-backup"
VERSION = 1
MANIFEST = "manifest.json"
DATA = "data.json"
MEDIA = "media"
# Made again by migrate (content types, permissions) or not worth keeping (sessions: people sign in again).
EXCLUDED_APPS = ("contenttypes", "sessions")
EXCLUDED_MODELS = ("auth.permission",)
NAMES_SHOWN = 5


@dataclass(frozen=True)
class BackupSummary:
    path: Path
    rows: int
    files: int
    size: int


@dataclass(frozen=True)
class RestoreSummary:
    rows: int
    files: int
    media_set_aside: Path | None


# --- backup -------------------------------------------------------------------------------------------------


def backup_create(*, output: Path) -> BackupSummary:
    """Write the database and the media files to ``output`` (.tar.gz), complete or not at all."""
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(output.name + ".partial")
    try:
        with tempfile.TemporaryDirectory(dir=output.parent, prefix=".khamrap-backup-") as work:
            data = Path(work) / DATA
            rows, migrations = _dump(data)
            with tarfile.open(partial, "w:gz", compresslevel=6, format=tarfile.PAX_FORMAT) as tar:
                files = {DATA: _add(tar, DATA, data)}
                for path, name in _media_files(Path(settings.MEDIA_ROOT)):
                    files[name] = _add(tar, name, path)
                manifest = {
                    "format": FORMAT,
                    "version": VERSION,
                    "created": datetime.now(UTC).isoformat(timespec="seconds"),
                    "database": connection.vendor,
                    "migrations": migrations,
                    "rows": rows,
                    "files": files,
                }
                raw = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mtime = len(raw), int(datetime.now(UTC).timestamp())
                tar.addfile(info, _BytesReader(raw))
        partial.replace(output)
    finally:
        partial.unlink(missing_ok=True)
    return BackupSummary(
        path=output, rows=sum(rows.values()), files=len(files) - 1, size=output.stat().st_size
    )


def _dump(path: Path) -> tuple[dict[str, int], list[str]]:
    """dumpdata, the row counts and the applied migrations, all read in one transaction (one moment)."""
    snapshot = not connection.in_atomic_block
    with transaction.atomic():
        if snapshot and connection.vendor == "postgresql":
            with connection.cursor() as cursor:  # READ COMMITTED would see writes between two tables
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        call_command(
            "dumpdata",
            exclude=[*EXCLUDED_APPS, *EXCLUDED_MODELS],
            natural_foreign=True,
            use_base_manager=True,
            output=str(path),
            verbosity=0,
        )
        rows = _row_counts()
        migrations = sorted(
            f"{app}.{name}" for app, name in MigrationRecorder(connection).applied_migrations()
        )
    return rows, migrations


def _media_files(root: Path) -> Iterator[tuple[Path, str]]:
    if not root.is_dir():
        return
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            yield path, str(PurePosixPath(MEDIA, *path.relative_to(root).parts))


def _add(tar: tarfile.TarFile, name: str, path: Path) -> dict[str, Any]:
    info = tar.gettarinfo(str(path), arcname=name)
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    digest = hashlib.sha256()
    with path.open("rb") as source:
        tar.addfile(info, _HashingReader(source, digest))
    return {"sha256": digest.hexdigest(), "bytes": info.size}


class _HashingReader:
    """Hashes what tarfile reads, so each file is read once."""

    def __init__(self, source: IO[bytes], digest: "hashlib._Hash") -> None:
        self.source, self.digest = source, digest

    def read(self, size: int = -1) -> bytes:
        chunk = self.source.read(size)
        self.digest.update(chunk)
        return chunk


class _BytesReader:
    def __init__(self, raw: bytes) -> None:
        self.raw, self.at = raw, 0

    def read(self, size: int = -1) -> bytes:
        end = len(self.raw) if size < 0 else self.at + size
        chunk, self.at = self.raw[self.at : end], min(end, len(self.raw))
        return chunk


# --- restore ------------------------------------------------------------------------------------------------


def backup_restore(*, archive: Path, force: bool = False) -> RestoreSummary:
    """Restore ``archive`` into this database and ``MEDIA_ROOT``, both empty unless ``force``.

    Every refusal comes before the first change: an unreadable or altered archive, migrations that differ
    from this version's, data or files already there.
    """
    media_root = Path(settings.MEDIA_ROOT)
    media_root.parent.mkdir(parents=True, exist_ok=True)
    # Unpacked beside MEDIA_ROOT, so the media folder is put in place by a rename.
    with tempfile.TemporaryDirectory(dir=media_root.parent, prefix=".khamrap-restore-") as work:
        manifest = _unpack_verified(archive, Path(work))
        _check_migrations(manifest["migrations"])
        if not force:
            _check_empty(media_root)
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            call_command("migrate", interactive=False, verbosity=0)
        with transaction.atomic():
            if force:
                _flush()
            call_command("loaddata", str(Path(work) / DATA), verbosity=0)
            rows = _row_counts()
            if rows != manifest["rows"]:
                differ = sorted(
                    label
                    for label in {*rows, *manifest["rows"]}
                    if rows.get(label) != manifest["rows"].get(label)
                )
                raise DomainError(
                    f"ข้อมูลที่กู้คืนไม่ครบตามสำเนา ({', '.join(differ[:NAMES_SHOWN])}) จึงยกเลิกการกู้คืนทั้งหมด",
                    f"The restored rows differ from the backup's ({', '.join(differ[:NAMES_SHOWN])}); nothing restored",
                )
            set_aside = _media_put(Path(work) / MEDIA, media_root)
    files = sum(1 for name in manifest["files"] if name != DATA)
    return RestoreSummary(rows=sum(rows.values()), files=files, media_set_aside=set_aside)


def _unpack_verified(archive: Path, into: Path) -> dict[str, Any]:
    """Unpack the members we know, hashing each as it is written; then hold them to the manifest."""
    found: dict[str, dict[str, Any]] = {}
    try:
        with tarfile.open(archive, "r:gz") as tar:
            for member in tar:
                name = member.name
                if not (member.isfile() and _known_member(name)) or name in found:
                    raise DomainError(
                        f"สำเนามีรายการที่ไม่รู้จักหรือไม่ปลอดภัย ({name}) จึงไม่กู้คืน",
                        f"The backup holds an unknown or unsafe member ({name}); nothing restored",
                    )
                target = into.joinpath(*PurePosixPath(name).parts)
                target.parent.mkdir(parents=True, exist_ok=True)
                source = tar.extractfile(member)
                assert source is not None  # a regular file always has content
                digest = hashlib.sha256()
                with source, target.open("xb") as out:
                    while chunk := source.read(1024 * 1024):
                        digest.update(chunk)
                        out.write(chunk)
                found[name] = {"sha256": digest.hexdigest(), "bytes": member.size}
    except FileNotFoundError:
        raise DomainError(f"ไม่พบไฟล์สำเนา {archive}", f"No backup file at {archive}") from None
    except (tarfile.TarError, EOFError, zlib.error, OSError):
        raise DomainError(
            "ไฟล์นี้ไม่ใช่สำเนาของระบบหรือเสียหาย จึงไม่กู้คืน", "Not a Khamrap backup, or a damaged one"
        ) from None
    manifest = _manifest(into / MANIFEST) if MANIFEST in found else None
    if manifest is None:
        raise DomainError("ไฟล์นี้ไม่ใช่สำเนาของระบบ (ไม่มีรายการไฟล์)", "Not a Khamrap backup (no manifest)")
    del found[MANIFEST]
    expected: dict[str, Any] = manifest["files"]
    wrong = sorted(name for name in {*expected, *found} if expected.get(name) != found.get(name))
    if wrong or DATA not in found:
        raise DomainError(
            f"ไฟล์ในสำเนาไม่ตรงกับรายการตรวจสอบ ({', '.join(wrong[:NAMES_SHOWN])}) สำเนาอาจเสียหายหรือถูกแก้ไข จึงไม่กู้คืน",
            f"Files in the backup do not match its checksums ({', '.join(wrong[:NAMES_SHOWN])}); nothing restored",
        )
    return manifest


def _known_member(name: str) -> bool:
    path = PurePosixPath(name)
    if path.is_absolute() or any(part in {"", ".", ".."} for part in name.split("/")):
        return False
    return name in {MANIFEST, DATA} or (path.parts[0] == MEDIA and len(path.parts) > 1)


def _manifest(path: Path) -> dict[str, Any] | None:
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError):
        return None
    keys = {"format", "version", "migrations", "rows", "files"}
    if not isinstance(manifest, dict) or not keys <= manifest.keys() or manifest["format"] != FORMAT:
        return None
    if manifest["version"] != VERSION:
        raise DomainError(
            f"สำเนารุ่น {manifest['version']} ใช้กับระบบรุ่นนี้ไม่ได้", f"Backup format {manifest['version']} unknown"
        )
    return manifest


def _check_migrations(recorded: list[str]) -> None:
    """The data fits this version's tables only if it was written by the same migrations."""
    known = {f"{app}.{name}" for app, name in MigrationLoader(None, ignore_no_migrations=True).graph.nodes}
    if set(recorded) != known:
        differ = sorted(set(recorded) ^ known)
        raise DomainError(
            "สำเนานี้ทำจากระบบรุ่นอื่น (migrations ไม่ตรงกัน: "
            f"{', '.join(differ[:NAMES_SHOWN])}) กรุณากู้คืนด้วยรุ่นเดียวกับที่ทำสำเนา แล้วจึงปรับรุ่น",
            f"The backup was made by another version (migrations differ: {', '.join(differ[:NAMES_SHOWN])}); "
            "restore with that version, then upgrade",
        )


def _check_empty(media_root: Path) -> None:
    tables = set(connection.introspection.table_names())
    filled = [
        model._meta.label_lower
        for model in _backed_up_models()
        if model._meta.db_table in tables and model._base_manager.exists()
    ]
    if filled:
        raise DomainError(
            f"ฐานข้อมูลมีข้อมูลอยู่แล้ว ({', '.join(filled[:NAMES_SHOWN])}) จะกู้คืนได้เฉพาะฐานข้อมูลว่าง "
            "หรือสั่ง --force เพื่อล้างข้อมูลเดิมก่อน",
            f"The database is not empty ({', '.join(filled[:NAMES_SHOWN])}); restore into an empty one or use --force",
        )
    if media_root.exists() and any(media_root.iterdir()):
        raise DomainError(
            f"โฟลเดอร์ไฟล์แนบ {media_root} มีไฟล์อยู่แล้ว จะกู้คืนได้เฉพาะโฟลเดอร์ว่าง หรือสั่ง --force",
            f"The media folder {media_root} is not empty; restore into an empty one or use --force",
        )


def _flush() -> None:
    """Empty every table inside the restore's transaction."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # TRUNCATE refuses tables with foreign-key checks still pending
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False, verbosity=0)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # loaddata needs them deferred again (rows refer forwards)
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _media_put(unpacked: Path, media_root: Path) -> Path | None:
    """Put the unpacked media in place; files already there are moved aside, never deleted."""
    unpacked.mkdir(exist_ok=True)
    set_aside = None
    if media_root.exists():
        if any(media_root.iterdir()):
            stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
            set_aside = media_root.with_name(f"{media_root.name}.before-restore-{stamp}")
            media_root.rename(set_aside)
        else:
            media_root.rmdir()
    shutil.move(str(unpacked), str(media_root))
    return set_aside


# --- both ---------------------------------------------------------------------------------------------------


def _backed_up_models() -> list[type[models.Model]]:
    return [
        model
        for model in apps.get_models()
        if not model._meta.proxy
        and model._meta.managed
        and model._meta.app_label not in EXCLUDED_APPS
        and model._meta.label_lower not in EXCLUDED_MODELS
    ]


def _row_counts() -> dict[str, int]:
    return {model._meta.label_lower: model._base_manager.count() for model in _backed_up_models()}
