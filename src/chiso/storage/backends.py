"""Connect to the three engines: DuckDB (default), PostgreSQL and PySpark.

Engine differences live here and nowhere else.  Timestamps are naive Vietnam
local time on every engine; the DuckDB and Spark session time zones are pinned
so that nothing is shifted by the host's zone.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
from typing import Any, Literal
from urllib.parse import urlparse

import ibis

from chiso.errors import BackendError, UserError
from chiso.i18n import N_, _

BackendName = Literal["duckdb", "postgres", "pyspark"]
BACKENDS: tuple[BackendName, ...] = ("duckdb", "postgres", "pyspark")
DEFAULT_POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
POSTGRES_URL_VARIABLE = "CHISO_POSTGRES_URL"


def postgres_url() -> str:
    """The PostgreSQL server to use when none is given (``CHISO_POSTGRES_URL``)."""
    return os.environ.get(POSTGRES_URL_VARIABLE, DEFAULT_POSTGRES_URL)


def connect(backend: BackendName, *, url: str | None = None) -> Any:
    """Open an Ibis connection to ``backend``.

    Args:
        backend: duckdb, postgres or pyspark.
        url: for duckdb a file path or ``duckdb:///path`` (memory when None); for
            postgres a ``postgresql://`` URL (``CHISO_POSTGRES_URL`` when None).
    """
    try:
        if backend == "duckdb":
            path = url.removeprefix("duckdb://") if url else ":memory:"
            con = ibis.duckdb.connect(path.removeprefix("/") if path.startswith("//") else path)
            con.raw_sql("SET TimeZone = 'UTC'")
            return con
        if backend == "postgres":
            return _connect_postgres(url or postgres_url())
        if backend == "pyspark":
            return _connect_spark()
    except (UserError, BackendError):
        raise
    except Exception as exc:
        raise BackendError(
            _("cannot connect to {backend}: {exc}").format(backend=backend, exc=exc),
            hint=_(_CONNECT_HINTS[backend]),
        ) from exc
    raise UserError(
        _("unknown backend “{backend}”").format(backend=backend),
        hint=_("use one of {names}").format(names=", ".join(BACKENDS)),
    )


_CONNECT_HINTS = {
    "duckdb": N_("check that the database file is not open for writing by another process"),
    "postgres": N_("start PostgreSQL or set CHISO_POSTGRES_URL=postgresql://user@host:port/db"),
    "pyspark": N_("PySpark needs Java 17 (java -version) and `pip install .[spark]`"),
}


POSTGRES_WORK_MEM_VARIABLE = "CHISO_POSTGRES_WORK_MEM"
DEFAULT_POSTGRES_WORK_MEM = "256MB"


def postgres_work_mem() -> str:
    """Memory per sort or hash of chiso's PostgreSQL sessions (``CHISO_POSTGRES_WORK_MEM``)."""
    value = os.environ.get(POSTGRES_WORK_MEM_VARIABLE, "").strip() or DEFAULT_POSTGRES_WORK_MEM
    if not re.fullmatch(r"[1-9][0-9]*(kB|MB|GB)", value):
        raise UserError(
            _("CHISO_POSTGRES_WORK_MEM is not valid: {value!r}").format(value=value),
            hint=_("a number and the unit kB, MB or GB, e.g. 256MB"),
        )
    return value


def _connect_postgres(url: str) -> Any:
    parsed = urlparse(url)
    if parsed.scheme not in ("postgresql", "postgres"):
        raise UserError(
            _("not a PostgreSQL URL: “{url}”").format(url=url),
            hint=_("postgresql://user@host:5432/db"),
        )
    con = ibis.postgres.connect(
        host=parsed.hostname or "127.0.0.1",
        port=parsed.port or 5432,
        user=parsed.username or "postgres",
        password=parsed.password,
        database=(parsed.path or "/postgres").lstrip("/") or "postgres",
    )
    # A score groups a million rows after two hash joins: with the server's default 4 MB per
    # hash or sort it spills to disk and sorts instead (2x slower at 1M dossiers, measured);
    # JIT compiling the conditions costs more than it saves at this size.
    con.raw_sql(f"SET work_mem = '{postgres_work_mem()}'").close()
    con.raw_sql("SET jit = off").close()
    return con


SPARK_MASTER_VARIABLE = "CHISO_SPARK_MASTER"
SPARK_EXECUTOR_MEMORY_VARIABLE = "CHISO_SPARK_EXECUTOR_MEMORY"
LOCAL_SPARK_MASTER = "local[2]"


def spark_master() -> str:
    """The Spark master to run on: ``CHISO_SPARK_MASTER`` (``spark://host:port``, a
    standalone cluster such as ``chiso spark-cluster start`` runs), else
    local mode in this process."""
    master = os.environ.get(SPARK_MASTER_VARIABLE, "").strip() or LOCAL_SPARK_MASTER
    if not master.startswith(("spark://", "local")):
        raise UserError(
            _("CHISO_SPARK_MASTER is not a Spark master address: {master!r}").format(master=master),
            hint=_(
                "like spark://127.0.0.1:7077 (printed by python -m chiso.engine.spark_cluster "
                "start), or unset it to run Spark locally"
            ),
        )
    return master


#: Engine settings read from the environment besides CHISO_POSTGRES_URL.
ENGINE_VARIABLES = (
    POSTGRES_WORK_MEM_VARIABLE,
    SPARK_MASTER_VARIABLE,
    SPARK_EXECUTOR_MEMORY_VARIABLE,
)
_SPARK: Any = None


def _connect_spark() -> Any:
    global _SPARK  # one session per process; Spark start-up takes seconds
    master = spark_master()
    if _SPARK is not None and _SPARK.sparkContext.master != master:
        _SPARK.stop()  # the master changed (CHISO_SPARK_MASTER): a new session
        _SPARK = None
    if _SPARK is None:
        from pyspark.sql import SparkSession

        builder = (
            SparkSession.builder.master(master)
            .appName("chiso")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.sql.shuffle.partitions", "4")
            .config("spark.sql.warehouse.dir", tempfile.mkdtemp(prefix="chiso-spark-"))
        )
        if master.startswith("local"):
            builder = builder.config("spark.driver.memory", "4g")
        else:  # the executors do the work; the driver only plans and collects results
            builder = (
                builder.config("spark.driver.memory", "1g")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.pyspark.python", sys.executable)
                .config(
                    "spark.executor.memory",
                    os.environ.get(SPARK_EXECUTOR_MEMORY_VARIABLE, "1g"),
                )
            )
        session = builder.getOrCreate()
        session.sparkContext.setLogLevel("ERROR")
        _SPARK = session
    return ibis.pyspark.connect(_SPARK)
