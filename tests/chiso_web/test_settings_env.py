"""Settings come from CHISO_* variables, checked strictly, each documented."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from chiso_web import env

DOCS = Path(__file__).resolve().parents[2] / "docs" / "web.md"


def _load(tmp_path: Path, **values: str) -> dict[str, object]:
    return env.load({"CHISO_HOME": str(tmp_path), **values})


def test_defaults_give_sqlite_in_home_and_a_kept_secret(tmp_path: Path) -> None:
    first = _load(tmp_path)
    assert first["CHISO_DATABASE"]["ENGINE"] == "django.db.backends.sqlite3"  # type: ignore[index]
    assert str(tmp_path) in first["CHISO_DATABASE"]["NAME"]  # type: ignore[index]
    assert first["CHISO_DATABASE"]["CONN_MAX_AGE"] == 60  # type: ignore[index]
    assert first["CHISO_SECRET_KEY"] == _load(tmp_path)["CHISO_SECRET_KEY"]
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_postgres_url_is_split_into_django_settings(tmp_path: Path) -> None:
    db = _load(tmp_path, CHISO_DATABASE_URL="postgresql://chiso:p%40ss@127.0.0.1:5432/site")
    assert db["CHISO_DATABASE"] == {  # type: ignore[comparison-overlap]
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "site",
        "USER": "chiso",
        "PASSWORD": "p@ss",
        "HOST": "127.0.0.1",
        "PORT": "5432",
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
    }


@pytest.mark.parametrize(
    ("name", "value", "words"),
    [
        ("CHISO_DEBUG", "maybe", "yes/no"),
        ("CHISO_LOGIN_ATTEMPTS", "-3", "positive whole number"),
        ("CHISO_DATABASE_URL", "mysql://x/y", "not a database URL"),
        ("CHISO_DATABASE_URL", "postgresql://host", "names no database"),
        ("CHISO_NOW", "29/10/2026", "không phải thời điểm dạng ISO"),
        ("CHISO_DEBUGG", "1", "unknown setting CHISO_DEBUGG"),
    ],
)
def test_a_bad_value_stops_the_site_with_one_sentence(
    tmp_path: Path, name: str, value: str, words: str
) -> None:
    with pytest.raises(ImproperlyConfigured, match=words):
        _load(tmp_path, **{name: value})


def test_the_librarys_own_variable_is_not_taken_for_a_typo(tmp_path: Path) -> None:
    assert _load(tmp_path, CHISO_POSTGRES_URL="postgresql://db.example/chiso")
    assert _load(tmp_path, CHISO_CUBES="0")
    assert _load(tmp_path, CHISO_SPARK_MASTER="spark://127.0.0.1:7077")
    assert _load(tmp_path, CHISO_SPARK_EXECUTOR_MEMORY="2g", CHISO_POSTGRES_WORK_MEM="64MB")


def test_secret_can_come_from_a_file(tmp_path: Path) -> None:
    secret = tmp_path / "key.txt"
    secret.write_text("from-a-file\n", encoding="utf-8")
    assert _load(tmp_path, CHISO_SECRET_KEY_FILE=str(secret))["CHISO_SECRET_KEY"] == "from-a-file"
    with pytest.raises(ImproperlyConfigured, match="cannot be read"):
        _load(tmp_path, CHISO_SECRET_KEY_FILE=str(tmp_path / "missing"))


def test_every_setting_is_documented_in_docs_web_md() -> None:
    text = DOCS.read_text(encoding="utf-8")
    missing = [s.name for s in env.SETTINGS if f"`{s.name}`" not in text]
    assert not missing, f"add {missing} to docs/web.md"


@pytest.mark.django_db(transaction=True)
def test_a_second_writer_on_the_site_sqlite_waits_instead_of_failing() -> None:
    """The site's threads share one SQLite file: a transaction that reads then writes
    queues behind another writer (IMMEDIATE + busy timeout) instead of failing at once with
    "database is locked" (a deferred one would: each holds a read the other must wait for)."""
    import threading
    import time

    from django.db import connection, connections, transaction

    if connection.vendor != "sqlite":
        pytest.skip("the site's SQLite settings")
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS t_writers (n INTEGER)")
    errors: list[BaseException] = []

    def second_writer() -> None:
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM t_writers")
                cursor.execute("INSERT INTO t_writers VALUES (2)")
        except BaseException as err:
            errors.append(err)
        finally:
            connections.close_all()

    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM t_writers")
            cursor.execute("INSERT INTO t_writers VALUES (1)")
        other = threading.Thread(target=second_writer)
        other.start()
        time.sleep(0.5)  # the second writer is waiting on the busy timeout now
    other.join(30)
    assert not errors, errors
    with connection.cursor() as cursor:
        cursor.execute("SELECT n FROM t_writers ORDER BY n")
        assert [n for (n,) in cursor.fetchall()] == [1, 2]
