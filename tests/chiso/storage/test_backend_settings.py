"""Engine settings read from the environment: PostgreSQL's work memory, Spark's master."""

from __future__ import annotations

import pytest

from chiso.errors import UserError
from chiso.storage import backends


def test_postgres_work_mem_defaults_and_accepts_a_size(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CHISO_POSTGRES_WORK_MEM", raising=False)
    assert backends.postgres_work_mem() == "256MB"
    monkeypatch.setenv("CHISO_POSTGRES_WORK_MEM", "64MB")
    assert backends.postgres_work_mem() == "64MB"


@pytest.mark.parametrize("value", ["256", "1e9MB", "64MB'; DROP TABLE x; --", "0MB"])
def test_a_bad_postgres_work_mem_is_refused(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("CHISO_POSTGRES_WORK_MEM", value)
    with pytest.raises(UserError, match="CHISO_POSTGRES_WORK_MEM"):
        backends.postgres_work_mem()


@pytest.mark.postgres
def test_a_postgres_session_gets_the_work_mem_and_no_jit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHISO_POSTGRES_WORK_MEM", "96MB")
    con = backends.connect("postgres")
    assert con.raw_sql("SHOW work_mem").fetchall() == [("96MB",)]
    assert con.raw_sql("SHOW jit").fetchall() == [("off",)]


def test_spark_master_is_local_unless_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CHISO_SPARK_MASTER", raising=False)
    assert backends.spark_master() == "local[2]"
    monkeypatch.setenv("CHISO_SPARK_MASTER", "spark://127.0.0.1:7077")
    assert backends.spark_master() == "spark://127.0.0.1:7077"
    monkeypatch.setenv("CHISO_SPARK_MASTER", "127.0.0.1:7077")
    with pytest.raises(UserError, match="CHISO_SPARK_MASTER"):
        backends.spark_master()
