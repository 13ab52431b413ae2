"""Personal data: uploads deleted after their run (or CHISO_UPLOAD_DAYS), columns outside
the canonical model never kept, files private (600) and folders private (700)."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from chiso_web.imports import retention
from chiso_web.imports.models import ImportRun, RunStatus
from chiso_web.imports.runs import run_folder, uploads_root
from chiso_web.private import secure_home, secure_process
from web_cast import ALICE_UNIT
from web_imports import HEADER, a_procedure, confirm, upload

pytestmark = pytest.mark.django_db
PHONE, ID_NUMBER, NAME = "0912345678", "011234567890", "Nguyễn Thị Hoà"


@pytest.fixture
def home(settings: Any, tmp_path: Path) -> Path:
    settings.HOME = tmp_path / "home"
    return settings.HOME  # type: ignore[no-any-return]


@pytest.fixture
def open_umask() -> Iterator[None]:
    """A process umask that lets every account read (022): the modes must be explicit."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def _export_with_personal_columns(folder: Path) -> bytes:
    header = HEADER.rstrip("\n") + ",Họ tên người nộp,Số điện thoại,Số CCCD\n"
    proc = a_procedure(folder)
    line = (
        f"WEB-PII-1,{ALICE_UNIT},{proc},direct,05/10/2026 08:00,07/10/2026 17:00,"
        f"06/10/2026 10:00,finished,{NAME},{PHONE},{ID_NUMBER}\n"
    )
    return (header + line).encode()


def _files_holding(root: Path, needle: str) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file() and needle.encode() in p.read_bytes()]


def test_an_imported_upload_leaves_no_personal_column_anywhere(
    client_as: Any, writable_data: Path, home: Path, open_umask: None
) -> None:
    alice = client_as("alice")
    upload(alice, _export_with_personal_columns(writable_data))
    run = ImportRun.objects.get()
    assert run.status == RunStatus.VALIDATED
    saved = run_folder(run)
    assert os.stat(saved).st_mode & 0o777 == 0o700
    assert os.stat(uploads_root()).st_mode & 0o777 == 0o700
    (name,) = run.files
    assert os.stat(saved / name).st_mode & 0o777 == 0o600

    assert confirm(alice, run) == 302
    run.refresh_from_db()
    assert run.status == RunStatus.CONFIRMED
    assert not saved.exists()  # deleted once imported, not kept for ever
    for needle in (PHONE, ID_NUMBER, NAME):
        assert _files_holding(writable_data, needle) == []
        assert _files_holding(home, needle) == []
        assert needle not in str(run.diff) and needle not in str(run.issues)
    parts = list((writable_data / "dossiers").rglob("*.parquet"))
    newest = max(parts, key=lambda p: p.stat().st_mtime)
    assert os.stat(newest).st_mode & 0o777 == 0o600  # a data part the site wrote


def test_uploads_never_confirmed_are_deleted_after_the_setting(
    client_as: Any, writable_data: Path, home: Path, settings: Any
) -> None:
    settings.CHISO = {**settings.CHISO, "CHISO_UPLOAD_DAYS": 7}
    alice = client_as("alice")
    upload(alice, _export_with_personal_columns(writable_data))
    upload(alice, _export_with_personal_columns(writable_data))
    old, recent = ImportRun.objects.order_by("pk")
    ImportRun.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=8))
    orphan = uploads_root() / "f"
    orphan.mkdir()
    (orphan / "mot-cua.xlsx").write_bytes(PHONE.encode())
    eight_days_ago = (timezone.now() - timedelta(days=8)).timestamp()
    os.utime(orphan, (eight_days_ago, eight_days_ago))
    young_orphan = uploads_root() / "g"
    young_orphan.mkdir()

    assert retention.expire_old_uploads() == 2

    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.status == RunStatus.CANCELLED and not run_folder(old).exists()
    assert "bị xóa sau 7 ngày" in old.message and old.finished_at is not None
    assert recent.status == RunStatus.VALIDATED and run_folder(recent).exists()
    assert not orphan.exists() and young_orphan.exists()
    assert retention.expire_old_uploads() == 0
    page = alice.get(f"/nhap-du-lieu/lan/{old.pk}/").content.decode()
    assert "bị xóa sau 7 ngày" in page


def test_the_site_makes_its_home_and_database_private_at_start(
    settings: Any, tmp_path: Path, open_umask: None
) -> None:
    """secure_home on a home an older version left readable; secure_process's umask."""
    home = tmp_path / "home"
    home.mkdir(mode=0o755)
    database = home / "site.sqlite3"
    with sqlite3.connect(database) as con:  # as an older version left it: mode 644
        con.execute("CREATE TABLE django_session (session_key TEXT)")
    os.chmod(database, 0o644)
    (home / "secret_key").write_text("k", encoding="utf-8")
    os.chmod(home / "secret_key", 0o644)
    settings.HOME = home
    secure_home(home, {"ENGINE": "django.db.backends.sqlite3", "NAME": str(database)})
    try:
        secure_process()
        assert os.umask(0o022) == 0o077  # what the site creates from now on is private
    finally:
        os.umask(0o022)
    assert os.stat(home).st_mode & 0o777 == 0o700
    assert os.stat(database).st_mode & 0o777 == 0o600
    assert os.stat(home / "secret_key").st_mode & 0o777 == 0o600


@pytest.mark.parametrize("name", [":memory:", "file:memorydb_default?mode=memory&cache=shared"])
def test_an_in_memory_site_database_leaves_no_file(
    name: str, tmp_path: Path, monkeypatch: Any
) -> None:
    """Django's test database is a URI: no empty file of that name in the working folder."""
    monkeypatch.chdir(tmp_path)
    secure_home(tmp_path / "home", {"ENGINE": "django.db.backends.sqlite3", "NAME": name})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["home"]


def test_the_import_worker_sweeps_old_uploads_at_most_hourly(
    client_as: Any, writable_data: Path, home: Path, monkeypatch: Any
) -> None:
    alice = client_as("alice")
    upload(alice, _export_with_personal_columns(writable_data))
    run = ImportRun.objects.get()
    ImportRun.objects.filter(pk=run.pk).update(created_at=timezone.now() - timedelta(days=30))
    monkeypatch.setattr(retention._turns, "next", 0.0)
    assert retention.sweep() == 1
    run.refresh_from_db()
    assert run.status == RunStatus.CANCELLED and not run_folder(run).exists()
    assert retention.sweep() == 0  # within SWEEP_SECONDS of the last sweep
