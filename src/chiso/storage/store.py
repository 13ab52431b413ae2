"""The canonical tables as Ibis tables on one engine.

A store is opened from a folder of ``<table>.csv`` / ``<table>.parquet`` files
(or ``<table>/`` folders of Parquet chunks) or from a database that already
holds the tables.  Every table is cast to its canonical column types; optional
tables that are absent are empty.
"""

from __future__ import annotations

import csv
import hashlib
import itertools
import os
import threading
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import ibis
import ibis.expr.types as ir

from chiso.domain.records import REQUIRED, TABLES, ColumnType
from chiso.errors import UserError
from chiso.i18n import _
from chiso.storage.backends import BackendName, connect
from chiso.storage.cache import CACHE
from chiso.storage.cubes import CUBES_VARIABLE, PART, Cubes, part_identity
from chiso.storage.journal import recover

IBIS_TYPES = {
    ColumnType.STRING: "string",
    ColumnType.INTEGER: "int64",
    ColumnType.NUMBER: "float64",
    ColumnType.BOOLEAN: "boolean",
    ColumnType.TIMESTAMP: "timestamp",
    ColumnType.DATE: "date",
}
OPTIONAL_TABLES = (
    "units",
    "petitions",
    "ratings",
    "assessments",
    "manual_values",
    "reported_scores",
    "portal_scores",
    "procedures",
)


def schema_of(table: str) -> ibis.Schema:
    """The canonical Ibis schema of a table."""
    return ibis.schema({c: IBIS_TYPES[t] for c, t in TABLES[table].items()})


def table_files(folder: Path, table: str) -> tuple[str, list[Path]] | None:
    chunked = folder / table
    if chunked.is_dir():
        parts = sorted(chunked.glob("*.parquet"))
        if parts:
            return "parquet", parts
    for ext in ("parquet", "csv"):
        path = folder / f"{table}.{ext}"
        if path.is_file():
            return ext, [path]
    return None


def file_list(paths: Sequence[Path]) -> str:
    """A DuckDB list literal of file paths."""
    return "[" + ", ".join("'" + str(p).replace("'", "''") + "'" for p in paths) + "]"


#: Numbers the stores opened in this process (their :attr:`Store.version`).
_OPENED = itertools.count(1)


@dataclass
class Store:
    """Canonical tables on one engine.

    A folder's store connects and reads each table's files only when first asked
    (:meth:`table`, :attr:`con`): a score served from stored cubes
    (:mod:`chiso.storage.cubes`) opens no connection at all.
    """

    backend: BackendName
    source: str
    #: Opens the connection (called once, when first needed).
    connector: Callable[[], Any]
    _tables: dict[str, ir.Table] = field(default_factory=dict)
    #: Tables present but not yet read: name → reader.
    _unread: dict[str, Callable[[], ir.Table]] = field(default_factory=dict)
    #: The kind (csv, parquet) and files each table was read from (folders only).
    files: dict[str, tuple[str, list[Path]]] = field(default_factory=dict)
    #: Stored partial aggregates of this folder (:mod:`chiso.storage.cubes`), or None.
    cubes: Cubes | None = None
    #: The data version this store reads (fixed when it is opened): the first element of
    #: the keys of what is derived from it in :data:`chiso.storage.cache.CACHE`.
    version: str = field(default_factory=lambda: f"store-{next(_OPENED)}")
    #: The store whose connections a derived store (:meth:`derived`) uses.
    shares: Store | None = None
    _con: Any = field(default=None, init=False)
    _lock: threading.RLock = field(default_factory=threading.RLock, init=False)
    #: DuckDB: the connection of each thread but the opener's (cursors of the same database).
    _local: threading.local = field(default_factory=threading.local, init=False)
    _cursors: list[Any] = field(default_factory=list, init=False)

    @property
    def con(self) -> Any:
        """This thread's Ibis connection (opened on first use).

        On DuckDB each thread has its own: the thread that opened the connection uses it,
        every other a cursor of it (:meth:`duckdb.DuckDBPyConnection.cursor`: the same
        database, its tables and views, queried at once from several threads, which one
        DuckDB connection does not allow).  PostgreSQL and Spark share one connection,
        queried one thread at a time (:meth:`to_pyarrow`).
        """
        if self.shares is not None:
            return self.shares.con
        if self._con is None:
            with self._lock:
                if self._con is None:
                    self._con = self.connector()
                    self._local.con = self._con
        if self.backend != "duckdb":
            return self._con
        found = getattr(self._local, "con", None)
        if found is None:
            found = ibis.duckdb.from_connection(self._con.con.cursor())
            with self._lock:
                self._cursors.append(found)
            self._local.con = found
        return found

    @property
    def connected(self) -> bool:
        """Whether the connection has been opened."""
        return self.shares.connected if self.shares is not None else self._con is not None

    def close(self) -> None:
        """Disconnect, if a connection was opened, and forget what was derived from this
        store's data (:data:`chiso.storage.cache.CACHE`)."""
        CACHE.drop(self.version)
        with self._lock:
            cursors, self._cursors = self._cursors, []
        for cursor in cursors:
            cursor.disconnect()
        disconnect = getattr(self._con, "disconnect", None)
        if disconnect is not None:
            disconnect()

    def table(self, name: str) -> ir.Table:
        """The canonical table ``name`` (empty if optional and absent)."""
        found = self._tables.get(name)
        if found is not None:
            return found
        with self._lock:
            if name not in self._tables:
                reader = self._unread.pop(name, None)
                # an empty Arrow table keeps the column types (empty lists would be float64)
                self._tables[name] = (
                    reader()
                    if reader is not None
                    else ibis.memtable(schema_of(name).to_pyarrow().empty_table())
                )
            return self._tables[name]

    def has(self, name: str) -> bool:
        """Whether the data source provided ``name``."""
        return name in self._tables or name in self._unread

    def to_pyarrow(self, expr: ir.Table) -> Any:
        """Execute on this store's engine (on DuckDB, on this thread's connection)."""
        if self.shares is not None:
            return self.shares.to_pyarrow(expr)
        if self.backend == "duckdb":
            return self.con.to_pyarrow(expr)
        with self._lock:
            return self.con.to_pyarrow(expr)

    def derived(self, source: str, change: Mapping[str, Callable[[ir.Table], ir.Table]]) -> Store:
        """A store over this one's tables, some changed (``change``: table → how), on the
        same connection and of the same :attr:`version` (what is derived from it goes
        when this one is closed; keys name the derived store's source); without files or
        stored cubes, so every measure is computed from the changed tables (e.g.
        :mod:`chiso.storage.cut`)."""
        out = Store(self.backend, source, lambda: self.con, version=self.version, shares=self)
        for name in TABLES:
            if self.has(name):
                out._unread[name] = partial(_changed, self, name, change.get(name))
        return out

    def folder_rows(self, name: str) -> Any:
        """Folder table ``name`` (Arrow) read by an in-process DuckDB, whatever this
        store's engine: for the small tables read before any scan (the unit tree), so
        that a score from stored cubes starts no Spark session and copies nothing into
        PostgreSQL.  The table is cast to its canonical types as every engine does."""
        kind, paths = self.files[name]
        local = Store("duckdb", self.source, partial(connect, "duckdb"))
        try:
            return local.to_pyarrow(_read_table(local, name, kind, paths))
        finally:
            local.close()

    def parts_table(self, name: str, paths: Sequence[Path]) -> ir.Table:
        """Table ``name`` read from some of its Parquet files only, with a ``_part``
        column naming each row's file (folders; for :mod:`chiso.storage.cubes`).

        DuckDB reads the files in place; PostgreSQL gets a copy of these files only, in
        a temporary table of its session; Spark reads them into a temporary view that
        names each row's file as a URI (``file:/…``, read back by
        :func:`chiso.storage.cubes.part_path`).  The table's name is made of the
        parts' identities: two scans of other parts never share it.
        """
        files = [str(p) for p in paths]
        if self.backend == "duckdb":
            raw = self.con.read_parquet(files, filename=True)
            return _conform(raw, name, files[0], keep={PART: "filename"})
        identities = "\n".join(map(part_identity, paths)).encode()
        digest = hashlib.sha1(identities).hexdigest()  # noqa: S324 - a name
        temp = f"chiso_{name}_parts_{digest[:16]}"
        if self.backend == "postgres":
            import pyarrow.parquet as pq

            read = [pq.read_table(f) for f in files]
            named = zip(files, read, strict=True)
            arrow = _concat([t.append_column(PART, _repeat(f, t.num_rows)) for f, t in named])
            raw = _copy_arrow(self.con, None, temp, arrow)
        else:
            frame = self.con._session.read.parquet(*files)
            frame.selectExpr("*", f"_metadata.file_path AS {PART}").createOrReplaceTempView(temp)
            raw = self.con.table(temp)
        return _conform(raw, name, files[0], keep={PART: PART})


def _changed(store: Store, name: str, how: Callable[[ir.Table], ir.Table] | None) -> ir.Table:
    table = store.table(name)
    return table if how is None else how(table)


def _require(columns: set[str], table: str, where: str) -> None:
    missing = [c for c in REQUIRED[table] if c not in columns]
    if missing:
        raise UserError(
            _("{where}: required column(s) {names} missing from table “{table}”").format(
                where=where, names=", ".join(missing), table=table
            ),
            hint=_("the columns of {table} are listed in docs/data-model.md").format(table=table),
        )


def _conform(
    raw: ir.Table, table: str, where: str, *, keep: Mapping[str, str] | None = None
) -> ir.Table:
    columns = set(raw.columns)
    _require(columns, table, where)
    exprs = {}
    for col, ctype in TABLES[table].items():
        target = IBIS_TYPES[ctype]
        exprs[col] = raw[col].cast(target) if col in columns else ibis.null(target)
    for name, column in (keep or {}).items():
        exprs[name] = raw[column]
    return raw.select(**exprs)


def open_folder(
    folder: Path,
    backend: BackendName = "duckdb",
    *,
    url: str | None = None,
    cubes: bool | None = None,
    optional: Collection[str] = OPTIONAL_TABLES,
) -> Store:
    """Open a folder of canonical files on ``backend``.

    Args:
        cubes: keep stored partial aggregates in ``<folder>/.chiso-cache``
            (:mod:`chiso.storage.cubes`, on every engine).  None: unless the
            environment sets ``CHISO_CUBES=0``.
        optional: tables the folder may lack (a command that can work without
            dossiers, such as ``chiso reconcile``, lists them all).

    The folder is resolved here, once (absolute, symlinks followed): nothing
    downstream depends on how the user typed it (the engines report absolute
    file paths, which the cube cache matches against the parts it listed).
    """
    folder = Path(folder).expanduser().resolve()
    if not folder.is_dir():
        raise UserError(
            _("data folder “{folder}” does not exist").format(folder=str(folder)),
            hint=_("generate one with `chiso generate --out DIR`"),
        )
    recover(folder)
    store = Store(backend, str(folder), partial(connect, backend, url=url))
    if cubes is None:
        cubes = os.environ.get(CUBES_VARIABLE, "1") != "0"
    if cubes:
        store.cubes = Cubes(folder)
    for table in TABLES:
        found = table_files(folder, table)
        if found is None:
            if table not in optional:
                raise UserError(
                    _("{folder}: no {table}.csv or {table}.parquet").format(
                        folder=folder, table=table
                    ),
                    hint=_("see docs/data-model.md for the files a data folder holds"),
                )
            continue
        kind, paths = found
        _check_columns(table, kind, paths[0])
        store.files[table] = (kind, paths)
        store._unread[table] = partial(_read_table, store, table, kind, paths)
    return store


def _read_table(store: Store, table: str, kind: str, paths: list[Path]) -> ir.Table:
    return _conform(_read(store, table, kind, paths), table, str(paths[0]))


def _check_columns(table: str, kind: str, path: Path) -> None:
    """Fail at open, not at first use, when a file lacks a required column (the
    first file's header, as the engines read it)."""
    if kind == "parquet":
        import pyarrow.parquet as pq

        columns = set(pq.read_schema(path).names)
    else:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            columns = set(next(csv.reader(fh), []))
    _require(columns, table, str(path))


def _read(store: Store, table: str, kind: str, paths: list[Path]) -> ir.Table:
    con = store.con
    if store.backend == "duckdb":
        # a view of the database, not of this connection (Ibis's read_* make temporary
        # ones): every thread's cursor sees it
        reader = "read_parquet" if kind == "parquet" else "read_csv"
        options = "" if kind == "parquet" else ", all_varchar=true, header=true"
        query = f"SELECT * FROM {reader}({file_list(paths)}{options})"  # noqa: S608 - paths quoted
        con.raw_sql(f'CREATE OR REPLACE VIEW "raw_{table}" AS {query}')
        return con.table(f"raw_{table}")  # type: ignore[no-any-return]
    if store.backend == "pyspark":
        path = str(paths[0].parent) if len(paths) > 1 else str(paths[0])
        if kind == "parquet":
            return con.read_parquet(path, table_name=f"raw_{table}")  # type: ignore[no-any-return]
        return con.read_csv(path, table_name=f"raw_{table}", header=True, inferSchema=False)  # type: ignore[no-any-return]
    return _copy_into(con, table, kind, paths, store.source)


def _copy_into(con: Any, table: str, kind: str, paths: list[Path], source: str) -> ir.Table:
    """Load files into PostgreSQL (one schema per data folder) and return the table."""
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    schema = "chiso_" + hashlib.sha1(source.encode()).hexdigest()[:10]  # noqa: S324 - a name
    con.raw_sql(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')
    reader = pq.read_table if kind == "parquet" else _read_csv_strings(pacsv)
    return _copy_arrow(con, schema, f"raw_{table}", _concat([reader(str(p)) for p in paths]))


def _copy_arrow(con: Any, schema: str | None, name: str, arrow: Any) -> ir.Table:
    """Table ``schema.name`` (None: a temporary table of the session) created with
    ``arrow``'s columns, filled by one ``COPY`` of its rows as CSV (Ibis inserts a
    table row by row: 80 s for a million dossiers) and analysed.

    Arrow writes every text quoted and a null as nothing, which PostgreSQL's CSV
    reads back as the empty text and NULL; floats in their shortest exact form.
    """
    import pyarrow as pa
    import pyarrow.csv as pacsv

    plain = pa.table(
        {
            column: values.cast(values.type.value_type)
            if pa.types.is_dictionary(values.type)
            else values
            for column, values in zip(arrow.column_names, arrow.columns, strict=True)
        }
    )
    empty = plain.schema.empty_table()
    if schema is None:
        loaded = con.create_table(name, empty, temp=True, overwrite=True)
        qualified = f'pg_temp."{name}"'
    else:
        loaded = con.create_table(name, empty, database=schema, overwrite=True)
        qualified = f'"{schema}"."{name}"'
    columns = ", ".join(f'"{column}"' for column in plain.column_names)
    options = pacsv.WriteOptions(include_header=False)
    copy = f"COPY {qualified} ({columns}) FROM STDIN WITH (FORMAT csv)"
    with con.begin() as cursor, cursor.copy(copy) as sink:
        for batch in plain.to_batches(max_chunksize=_COPY_ROWS):
            text = pa.BufferOutputStream()
            pacsv.write_csv(batch, text, options)
            sink.write(text.getvalue().to_pybytes())
    # Statistics for the planner: without them it guesses a few hundred rows per table
    # and sorts a million on disk where a hash aggregate fits in memory.
    con.raw_sql(f"ANALYZE {qualified}").close()
    return loaded  # type: ignore[no-any-return]


#: Rows per CSV block sent to PostgreSQL's COPY.
_COPY_ROWS = 100_000


def _repeat(value: str, rows: int) -> Any:
    """A text column of ``rows`` times ``value``."""
    import numpy as np
    import pyarrow as pa

    indices = pa.array(np.zeros(rows, dtype=np.int32))
    return pa.DictionaryArray.from_arrays(indices, pa.array([value])).dictionary_decode()


def _read_csv_strings(pacsv: Any) -> Any:
    """A CSV reader that keeps every column as text (casting is done by ``_conform``)."""
    import pyarrow as pa

    def read(path: str) -> Any:
        with open(path, encoding="utf-8", newline="") as fh:
            header = next(csv.reader(fh), [])
        options = pacsv.ConvertOptions(
            column_types=dict.fromkeys(header, pa.string()), strings_can_be_null=True
        )
        return pacsv.read_csv(path, convert_options=options)

    return read


def _concat(tables: list[Any]) -> Any:
    import pyarrow as pa

    return tables[0] if len(tables) == 1 else pa.concat_tables(tables)


def _table_names(con: Any) -> set[str]:
    """Tables of the connection's current schema.

    Asked from ``information_schema`` (the same on DuckDB and PostgreSQL): Ibis 12's
    ``list_tables`` calls a method DuckDB 2.0 removed.
    """
    query = "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
    cursor = con.raw_sql(query)
    try:
        return {str(row[0]) for row in cursor.fetchall()}
    finally:
        if cursor is not getattr(con, "con", None):  # DuckDB answers with the connection
            cursor.close()


def open_database(
    url: str, backend: BackendName = "duckdb", *, optional: Collection[str] = OPTIONAL_TABLES
) -> Store:
    """Open a database that already holds the canonical tables.

    ``duckdb:///path/to/file.duckdb`` or ``postgresql://user@host:port/db``
    (tables in the search path); ``optional``: the tables it may lack.
    """
    kind: BackendName = "postgres" if url.startswith(("postgresql://", "postgres://")) else "duckdb"
    if kind != backend and backend != "duckdb":
        raise UserError(
            _("“{url}” is a {kind} database but --backend is {backend}").format(
                url=url, kind=kind, backend=backend
            ),
            hint=_("use --backend {kind}").format(kind=kind),
        )
    con = connect(kind, url=url)
    store = Store(kind, url, lambda: con)
    present = _table_names(con)
    for table in TABLES:
        if table in present:
            store._tables[table] = _conform(con.table(table), table, url)
        elif table not in optional:
            raise UserError(
                _("{url}: table “{table}” not found").format(url=url, table=table),
                hint=_("load data with `chiso import` or create the canonical tables"),
            )
    return store
