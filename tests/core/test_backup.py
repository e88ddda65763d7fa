"""`khamrap backup` / `khamrap restore`: a real round trip into an empty database, and every refusal leaves the
database and the media folder as they were."""

import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
from collections.abc import Callable
from functools import cache
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from weasyprint import HTML

from khamrap.accounts.models import User
from khamrap.accounts.services import demo_accounts_create
from khamrap.core.backup import backup_restore
from khamrap.core.errors import DomainError
from khamrap.frameworks.models import FiscalYear
from khamrap.orgs.models import Organisation
from khamrap.plans.attachments import attachment_add
from khamrap.plans.editing import plan_get_or_create
from khamrap.plans.models import PlanAttachment
from khamrap.site.demo import demo_plans_create

DUMP = ["dumpdata", "--natural-foreign", "-e", "contenttypes", "-e", "auth.permission", "-e", "sessions"]
EVERY_BYTE = bytes(range(256)) * 64


@cache
def _pdf() -> bytes:
    pdf: bytes = HTML(string="<p>แผนปฏิบัติราชการจังหวัดเชียงใหม่</p>").write_pdf()
    return pdf


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def site(fy2551: FiscalYear, media: Path) -> Path:
    """The demo's accounts, one attachment stored through its service, and files of every kind."""
    demo_accounts_create()
    officer = User.objects.get(username="chiangmai_officer")
    plan = plan_get_or_create(fiscal_year=fy2551, organisation=Organisation.objects.get(code="50"))
    attachment_add(plan=plan, uploaded_file=SimpleUploadedFile("แผน.pdf", _pdf()), actor=officer)
    (media / "bulk" / "ชุดที่ 1").mkdir(parents=True)
    (media / "bulk" / "ชุดที่ 1" / "ไฟล์ ทดสอบ.bin").write_bytes(EVERY_BYTE)
    (media / "empty.txt").write_bytes(b"")
    return media


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _dump_here() -> Any:
    out = StringIO()
    call_command(*DUMP, stdout=out)
    return json.loads(out.getvalue())


def _backup(tmp_path: Path) -> Path:
    archive = tmp_path / "backups" / "khamrap.tar.gz"
    call_command("backup", "--output", str(archive), stdout=StringIO())
    return archive


def _rewrite(archive: Path, change: Callable[[dict[str, bytes]], dict[str, bytes]]) -> Path:
    """The same archive with its members changed by ``change`` (a forger's or a broken disk's work)."""
    with tarfile.open(archive, "r:gz") as tar:
        members = {m.name: tar.extractfile(m).read() for m in tar if m.isfile()}  # type: ignore[union-attr]
    changed = archive.with_name("changed.tar.gz")
    with tarfile.open(changed, "w:gz", format=tarfile.PAX_FORMAT) as tar:
        for name, raw in change(members).items():
            info = tarfile.TarInfo(name)
            info.size = len(raw)
            tar.addfile(info, io.BytesIO(raw))
    return changed


def _state(media: Path) -> tuple[Any, dict[str, bytes]]:
    return _dump_here(), _files(media)


def test_a_backup_restores_into_an_empty_database_with_the_same_data_and_files(
    site: Path, tmp_path: Path, fy2551: FiscalYear
) -> None:
    # given a backup of the site with the demo's plans
    demo_plans_create(fiscal_year=fy2551)
    archive = _backup(tmp_path)
    data, files = _state(site)
    # and an empty place: a new SQLite database and media folder, another process
    target = tmp_path / "restored"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KHAMRAP_", "DATABASE_URL"))}
    env.update(
        KHAMRAP_ENV="development",
        KHAMRAP_DATA_DIR=str(target),
        DATABASE_URL=f"sqlite:///{target / 'khamrap.sqlite3'}",
        DJANGO_SETTINGS_MODULE="khamrap.settings",
    )

    def khamrap(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "khamrap", *args], env=env, capture_output=True, text=True, check=False
        )

    # when
    restored = khamrap("restore", str(archive))

    # then
    assert restored.returncode == 0, restored.stderr
    assert restored.stdout == f"restored: {len(data)} rows, {len(files)} files\n"
    dumped = khamrap(*DUMP)
    assert json.loads(dumped.stdout) == data
    assert _files(target / "media") == files
    attachment = PlanAttachment.objects.get()
    assert (target / "media" / attachment.file.name).read_bytes() == _pdf()


def test_the_archive_lists_every_file_with_its_checksum(site: Path, tmp_path: Path) -> None:
    archive = _backup(tmp_path)

    with tarfile.open(archive, "r:gz") as tar:
        names = tar.getnames()
        manifest = json.loads(tar.extractfile("manifest.json").read())  # type: ignore[union-attr]

    media_names = sorted(f"media/{name}" for name in _files(site))
    assert names == ["data.json", *media_names, "manifest.json"]
    assert sorted(manifest["files"]) == ["data.json", *media_names]
    assert manifest["files"]["media/bulk/ชุดที่ 1/ไฟล์ ทดสอบ.bin"] == {
        "sha256": hashlib.sha256(EVERY_BYTE).hexdigest(),
        "bytes": len(EVERY_BYTE),
    }
    assert (manifest["format"], manifest["version"]) == ("khamrap-backup", 1)
    assert manifest["rows"]["accounts.user"] == User.objects.count() == 9
    assert "accounts.0001_initial" in manifest["migrations"]


def test_restore_refuses_a_database_that_is_not_empty(site: Path, tmp_path: Path) -> None:
    archive = _backup(tmp_path)
    before = _state(site)

    with pytest.raises(CommandError) as refused:
        call_command("restore", str(archive), stdout=StringIO())

    assert str(refused.value).startswith("ฐานข้อมูลมีข้อมูลอยู่แล้ว (accounts.user, orgs.organisation")
    assert "use --force" in str(refused.value)
    assert _state(site) == before


def test_restore_refuses_a_media_folder_that_is_not_empty(
    fy2551: FiscalYear, media: Path, tmp_path: Path
) -> None:
    # given a backup, then an empty database but a media folder with a file in it
    archive = _backup(tmp_path)
    if connection.vendor == "postgresql":
        connection.cursor().execute("SET CONSTRAINTS ALL IMMEDIATE")  # TRUNCATE needs no check pending
    call_command("flush", interactive=False, verbosity=0)
    media.mkdir(parents=True, exist_ok=True)
    (media / "left-over.pdf").write_bytes(b"%PDF")

    with pytest.raises(DomainError) as refused:
        backup_restore(archive=archive)

    assert (
        refused.value.message_en
        == f"The media folder {media} is not empty; restore into an empty one or use --force"
    )
    assert not User.objects.exists() and not FiscalYear.objects.exists()
    assert _files(media) == {"left-over.pdf": b"%PDF"}


def test_restore_with_force_replaces_everything_and_keeps_the_old_files_aside(
    site: Path, tmp_path: Path
) -> None:
    # given a backup, then a change to the data and a new file
    archive = _backup(tmp_path)
    data, files = _state(site)
    User.objects.create_user(username="after_the_backup", password="x" * 12)
    (site / "after.txt").write_bytes(b"new")

    # when
    summary = backup_restore(archive=archive, force=True)

    # then
    assert _state(site) == (data, files)
    assert not User.objects.filter(username="after_the_backup").exists()
    assert summary.media_set_aside is not None
    assert summary.media_set_aside.parent == site.parent
    assert _files(summary.media_set_aside) == {**files, "after.txt": b"new"}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda m: {**m, "media/bulk/ชุดที่ 1/ไฟล์ ทดสอบ.bin": b"changed"},
            "ไฟล์ในสำเนาไม่ตรงกับรายการตรวจสอบ (media/bulk/ชุดที่ 1/ไฟล์ ทดสอบ.bin)",
        ),
        (
            lambda m: {k: v for k, v in m.items() if k != "media/empty.txt"},
            "ไฟล์ในสำเนาไม่ตรงกับรายการตรวจสอบ (media/empty.txt)",
        ),
        (lambda m: {**m, "media/extra.txt": b"x"}, "ไฟล์ในสำเนาไม่ตรงกับรายการตรวจสอบ (media/extra.txt)"),
        (lambda m: {**m, "data.json": m["data.json"][:-2]}, "ไฟล์ในสำเนาไม่ตรงกับรายการตรวจสอบ (data.json)"),
        (lambda m: {"../evil.txt": b"x", **m}, "สำเนามีรายการที่ไม่รู้จักหรือไม่ปลอดภัย (../evil.txt)"),
        (lambda m: {"/etc/cron.d/x": b"x", **m}, "สำเนามีรายการที่ไม่รู้จักหรือไม่ปลอดภัย (/etc/cron.d/x)"),
        (
            lambda m: {k: v for k, v in m.items() if k != "manifest.json"},
            "ไฟล์นี้ไม่ใช่สำเนาของระบบ (ไม่มีรายการไฟล์)",
        ),
        (
            lambda m: {**m, "manifest.json": _with_migrations(m["manifest.json"], ["plans.0099_future"])},
            "สำเนานี้ทำจากระบบรุ่นอื่น (migrations ไม่ตรงกัน:",
        ),
    ],
    ids=["altered", "missing", "extra", "truncated", "dot-dot", "absolute", "no-manifest", "migrations"],
)
def test_restore_refuses_an_archive_that_is_not_the_one_written(
    site: Path, tmp_path: Path, change: Callable[[dict[str, bytes]], dict[str, bytes]], message: str
) -> None:
    archive = _rewrite(_backup(tmp_path), change)
    before = _state(site)

    with pytest.raises(DomainError) as refused:
        backup_restore(archive=archive, force=True)  # forced: only the archive itself can be the reason

    assert refused.value.message_th.startswith(message)
    assert _state(site) == before
    assert not (tmp_path / "evil.txt").exists()
    assert [p.name for p in site.parent.iterdir() if p.name.startswith(".khamrap-restore-")] == []


def _with_migrations(raw: bytes, extra: list[str]) -> bytes:
    manifest = json.loads(raw)
    manifest["migrations"] = [*manifest["migrations"], *extra]
    return json.dumps(manifest).encode()


def test_restore_refuses_a_file_that_is_no_backup(site: Path, tmp_path: Path) -> None:
    not_a_backup = tmp_path / "plan.xlsx"
    not_a_backup.write_bytes(b"PK\x03\x04 not a tar.gz")
    before = _state(site)

    with pytest.raises(DomainError) as refused:
        backup_restore(archive=not_a_backup, force=True)

    assert refused.value.message_th == "ไฟล์นี้ไม่ใช่สำเนาของระบบหรือเสียหาย จึงไม่กู้คืน"
    assert _state(site) == before


def test_a_failed_backup_leaves_no_archive(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr("khamrap.core.backup._media_files", broken)
    output = tmp_path / "backups" / "k.tar.gz"

    with pytest.raises(OSError, match="disk full"):
        call_command("backup", "--output", str(output), stdout=StringIO())

    assert sorted(p.name for p in output.parent.iterdir()) == []


def test_json_dumps_keep_times_to_the_microsecond(fy2551: FiscalYear) -> None:
    """A time 0.000456 s past the second comes back as itself (Django's encoder alone gives .000)."""
    from datetime import UTC, datetime

    from django.core import serializers

    from khamrap.plans.models import PlanEvent
    from tests.factories import PlanFactory

    plan = PlanFactory(fiscal_year=fy2551, organisation=Organisation.objects.get(code="50"), tree__actor=None)
    exact = datetime(2007, 10, 15, 9, 30, 1, 456, tzinfo=UTC)
    PlanEvent.objects.filter(plan=plan).update(at=exact)

    text = serializers.serialize("json", PlanEvent.objects.filter(plan=plan))
    back = [item.object.at for item in serializers.deserialize("json", text)]

    assert '"at": "2007-10-15T09:30:01.000456Z"' in text
    assert back and set(back) == {exact}
