"""``chiso backup`` / ``chiso restore``: consistent while a writer runs, verified, refusing."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import threading
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pytest
from click.testing import CliRunner

from chiso.cli import cli
from chiso.ops.backup import backup, site_of
from chiso.ops.restore import restore
from chiso.storage.writer import write_rows
from chiso.synth.generator import generate

CLOCK = "2026-11-01T00:00"
BATCH = 10


def _read(sql: str) -> list[dict[str, Any]]:
    """Rows of a query on a private connection (the module's default one may be busy)."""
    con = duckdb.connect()
    try:
        rows: list[dict[str, Any]] = con.sql(sql).to_arrow_table().to_pylist()
    finally:
        con.close()
    return rows


def _dossiers(folder: Path) -> list[dict[str, Any]]:
    return _read(f"SELECT * FROM read_parquet('{folder}/dossiers/*.parquet') ORDER BY ALL")


def _batches(first: list[dict[str, Any]], count: int) -> list[list[dict[str, Any]]]:
    """Batch k changes ``BATCH`` stored dossiers (so merges rewrite parts) and adds as many."""
    out = []
    for k in range(count):
        chosen = first[k * BATCH : (k + 1) * BATCH]
        changed = [{**r, "supplement_count": r["supplement_count"] + 1} for r in chosen]
        added = [{**r, "dossier_code": f"SAO-LUU-{k}-{i}"} for i, r in enumerate(chosen)]
        out.append(changed + added)
    return out


def _site(home: Path) -> None:
    home.mkdir()
    (home / "secret_key").write_text("khoa-bi-mat", encoding="utf-8")
    with sqlite3.connect(home / "site.sqlite3") as con:
        con.execute("CREATE TABLE pushed (code TEXT PRIMARY KEY)")


def _score(folder: Path) -> Any:
    done = CliRunner().invoke(
        cli,
        [
            "score",
            "--data",
            str(folder),
            "--period",
            "2026-10",
            "--format",
            "json",
            "--as-of",
            CLOCK,
        ],
    )
    assert done.exit_code == 0, done.output
    return json.loads(done.output)


@pytest.fixture
def live(tmp_path: Path) -> Path:
    folder = tmp_path / "live"
    generate(folder, dossiers=1500, start=date(2026, 9, 1), end=date(2026, 11, 1), seed=5)
    return folder


def _applied(initial: list[dict[str, Any]], batches: list[list[dict[str, Any]]]) -> Any:
    rows = {r["dossier_code"]: r for r in initial}
    for batch in batches:
        rows.update((r["dossier_code"], r) for r in batch)
    return rows


def test_backups_taken_while_writers_run_restore_states_they_passed_through(
    tmp_path: Path, live: Path
) -> None:
    reference = tmp_path / "reference"
    shutil.copytree(live, reference)
    home = tmp_path / "home"
    _site(home)
    initial = _dossiers(live)
    batches = _batches(initial, 60)
    stop = threading.Event()
    written: list[int] = []
    pushed: list[int] = []

    def write_data() -> None:
        for k, batch in enumerate(batches):
            if stop.is_set():
                return
            write_rows(str(live), "dossiers", batch)
            written.append(k)

    def write_site() -> None:
        with sqlite3.connect(home / "site.sqlite3") as con:
            n = 0
            while not stop.is_set():
                with con:
                    con.execute("INSERT INTO pushed VALUES (?)", (f"P{n}",))
                pushed.append(n)
                n += 1

    threads = [threading.Thread(target=write_data), threading.Thread(target=write_site)]
    for thread in threads:
        thread.start()
    while len(written) < 2:
        threads[0].join(0.05)
    site_rows = []
    for n in range(4):
        site_rows.append(len(pushed))
        backup(str(live), site_of(home, None), tmp_path / f"sao-luu-{n}")
    stop.set()
    for thread in threads:
        thread.join(120)
    assert written and len(written) < len(batches)  # the backups ran while writes went on

    for n in range(4):
        restored, site = tmp_path / f"restored-{n}", tmp_path / f"home-{n}"
        restore(tmp_path / f"sao-luu-{n}", str(restored), site_of(site, None))
        rows = _dossiers(restored)
        merged, rest = divmod(len(rows) - len(initial), BATCH)
        assert rest == 0 and merged > 0
        assert {r["dossier_code"]: r for r in rows} == _applied(initial, batches[:merged])
        with sqlite3.connect(site / "site.sqlite3") as con:
            assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            (count,) = con.execute("SELECT count(*) FROM pushed").fetchone()
        assert site_rows[n] <= count <= len(pushed)
        assert (site / "secret_key").read_text(encoding="utf-8") == "khoa-bi-mat"
        if n == 0:
            for batch in batches[:merged]:
                write_rows(str(reference), "dossiers", batch)
            assert _score(restored) == _score(reference)


def test_the_cli_round_trip_scores_the_same_numbers(tmp_path: Path, live: Path) -> None:
    home = tmp_path / "home"
    _site(home)
    runner = CliRunner()
    env = {"CHISO_DATABASE_URL": ""}
    done = runner.invoke(
        cli,
        ["backup", "--to", str(tmp_path / "b"), "--data", str(live), "--home", str(home)],
        env=env,
    )
    assert done.exit_code == 0, done.output
    assert "Đã sao lưu" in done.output
    manifest = json.loads((tmp_path / "b" / "manifest.json").read_text(encoding="utf-8"))
    paths = {f["path"] for f in manifest["files"]}
    assert {"site.sqlite3", "home/secret_key", "data/units.parquet"} <= paths
    assert manifest["chiso_version"] and manifest["created_at"]
    assert all(len(f["sha256"]) == 64 and f["size"] > 0 for f in manifest["files"])
    assert not any(".chiso-cache" in p for p in paths)
    assert os.stat(tmp_path / "b").st_mode & 0o777 == 0o700
    assert os.stat(tmp_path / "b" / "site.sqlite3").st_mode & 0o777 == 0o600

    args = ["restore", "--from", str(tmp_path / "b"), "--data", str(tmp_path / "r")]
    done = runner.invoke(cli, [*args, "--home", str(tmp_path / "h")], env=env)
    assert done.exit_code == 0, done.output
    assert _score(tmp_path / "r") == _score(live)


def _restore_cli(backup_folder: Path, *args: str) -> Any:
    """``chiso restore --from BACKUP_FOLDER ARGS``."""
    return CliRunner().invoke(cli, ["restore", "--from", str(backup_folder), *args])


def _damage(path: Path) -> None:
    body = bytearray(path.read_bytes())
    body[len(body) // 2] ^= 0xFF
    path.write_bytes(bytes(body))


def test_a_damaged_backup_is_refused_and_nothing_is_written(tmp_path: Path, live: Path) -> None:
    backup(str(live), site_of(tmp_path / "home", None), tmp_path / "b")
    part = next((tmp_path / "b" / "data" / "dossiers").glob("*.parquet"))
    _damage(part)
    done = _restore_cli(
        tmp_path / "b", "--data", str(tmp_path / "r"), "--home", str(tmp_path / "h")
    )
    assert done.exit_code == 2
    assert "bị hỏng" in done.output and "SHA-256" in done.output
    assert "data/dossiers/" in done.output
    assert not (tmp_path / "r").exists()


def test_a_backup_without_its_manifest_is_refused(tmp_path: Path, live: Path) -> None:
    backup(str(live), site_of(tmp_path / "home", None), tmp_path / "b")
    (tmp_path / "b" / "manifest.json").unlink()
    with pytest.raises(Exception, match=r"thiếu manifest\.json"):
        restore(tmp_path / "b", str(tmp_path / "r"), site_of(tmp_path / "h", None))


def test_a_non_empty_target_needs_force_which_replaces_it_whole(tmp_path: Path, live: Path) -> None:
    home = tmp_path / "home"
    _site(home)
    backup(str(live), site_of(home, None), tmp_path / "b")
    target = tmp_path / "other"
    generate(target, dossiers=300, start=date(2026, 9, 1), end=date(2026, 11, 1), seed=9)
    (target / "dossiers" / "part-99999.parquet").write_bytes(
        next((target / "dossiers").glob("*.parquet")).read_bytes()
    )
    _score(target)  # leaves a cube cache behind
    assert (target / ".chiso-cache").exists()
    done = _restore_cli(tmp_path / "b", "--data", str(target), "--home", str(tmp_path / "h"))
    assert done.exit_code == 2 and "đã có nội dung" in done.output and "--force" in done.output
    done = _restore_cli(tmp_path / "b", "--data", str(tmp_path / "new"), "--home", str(home))
    assert done.exit_code == 2 and "site.sqlite3 đã có" in done.output
    assert not (tmp_path / "new").exists()  # refused before anything was written
    done = _restore_cli(tmp_path / "b", "--data", str(target), "--force", "--home", str(home))
    assert done.exit_code == 0, done.output
    assert not (target / "dossiers" / "part-99999.parquet").exists()
    assert not (target / ".chiso-cache").exists()
    assert _dossiers(target) == _dossiers(live)
    assert _score(target) == _score(live)


def test_a_backup_goes_into_a_new_folder_only(tmp_path: Path, live: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "old.txt").write_text("x", encoding="utf-8")
    with pytest.raises(Exception, match="đã có nội dung"):
        backup(str(live), site_of(tmp_path / "home", None), tmp_path / "b")


@pytest.fixture
def databases() -> Any:
    """Three new PostgreSQL databases (data, site, restored data and site), dropped after."""
    import uuid

    import psycopg

    admin = "postgresql://postgres@127.0.0.1:5432/postgres"
    names = [f"chiso_backup_{uuid.uuid4().hex[:10]}_{n}" for n in range(4)]
    with psycopg.connect(admin, autocommit=True) as con:
        for name in names:
            con.execute(f"CREATE DATABASE {name}")
    yield [f"postgresql://postgres@127.0.0.1:5432/{name}" for name in names]
    with psycopg.connect(admin, autocommit=True) as con:
        for name in names:
            con.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.mark.postgres
def test_postgresql_data_and_site_round_trip_through_pg_dump(
    tmp_path: Path, live: Path, databases: list[str]
) -> None:
    import psycopg

    data, site_db, data_again, site_again = databases
    for table in ("units", "procedures", "petitions", "dossiers", "ratings"):
        source = live / table if (live / table).is_dir() else live / f"{table}.parquet"
        glob = f"{source}/*.parquet" if source.is_dir() else str(source)
        write_rows(data, table, _read(f"SELECT * FROM '{glob}'"))
    with psycopg.connect(site_db) as con:
        con.execute("CREATE TABLE pushed (code text PRIMARY KEY)")
        con.execute("INSERT INTO pushed VALUES ('P1')")
    backup(data, site_of(tmp_path / "home", site_db), tmp_path / "b")
    names = {f["path"] for f in json.loads((tmp_path / "b" / "manifest.json").read_text())["files"]}
    assert names == {"data.pgdump", "site.pgdump"}

    done = _restore_cli(tmp_path / "b", "--data", data, "--database-url", site_db)
    assert done.exit_code == 2 and "đã có bảng" in done.output
    done = _restore_cli(tmp_path / "b", "--data", data_again, "--database-url", site_again)
    assert done.exit_code == 0, done.output
    assert _score_url(data_again) == _score_url(data)
    with psycopg.connect(site_again) as con:
        assert con.execute("SELECT code FROM pushed").fetchall() == [("P1",)]


def _score_url(url: str) -> Any:
    options = ["--period", "2026-10", "--format", "json", "--as-of", CLOCK]
    done = CliRunner().invoke(cli, ["score", "--data", url, "--backend", "postgres", *options])
    assert done.exit_code == 0, done.output
    return json.loads(done.output)


def test_a_site_home_inside_the_data_folder_is_kept_apart(tmp_path: Path, live: Path) -> None:
    home = live / "web"  # as the demo lays it out: chiso serve --data D --home D/web
    _site(home)
    (home / "uploads").mkdir()
    (home / "uploads" / "mot-cua.xlsx").write_bytes(b"ho ten, so dien thoai")
    manifest = backup(str(live), site_of(home, None), tmp_path / "b")
    paths = {e.path for e in manifest.files}
    assert not any(p.startswith("data/web/") for p in paths)
    assert {"site.sqlite3", "home/secret_key"} <= paths
    restore(tmp_path / "b", str(live), site_of(home, None), force=True)
    assert (home / "site.sqlite3").exists()  # not deleted as a file the data backup lacks
    assert _dossiers(live) == _dossiers(tmp_path / "b" / "data")
