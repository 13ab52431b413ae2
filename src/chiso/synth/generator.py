"""A seeded synthetic Điện Biên province, written as Parquet canonical tables.

:func:`generate` writes, under ``out_dir``::

    units.parquet          units valid in [start, end) and their ancestors
    procedures.parquet     the catalogue (chiso/data/procedures/catalogue.csv)
    dossiers/part-*.parquet  ``dossiers`` rows, ``chunk_rows`` per file
    ratings/part-*.parquet   ratings of finished dossiers, ``chunk_rows`` per file
    petitions.parquet      PAKN

Dossiers are produced in blocks of :data:`BLOCK_ROWS` rows, each from its own random
stream, so memory stays bounded (one block plus the Parquet writer's buffer) and the
rows do not depend on ``chunk_rows``. The same arguments give the same files.
See ``chiso/synth/README.md`` for the model.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from chiso.domain.calendar import HolidayCalendar
from chiso.domain.units import UnitTree
from chiso.errors import UserError
from chiso.synth.catalogue import Catalogue, load_catalogue
from chiso.synth.intake import BLOCK_ROWS, draw_intake
from chiso.synth.outcome import block_tables
from chiso.synth.petitions import petitions_table
from chiso.synth.plan import Plan, build_plan
from chiso.synth.schemas import arrow_schema
from chiso.synth.timeline import horizon

__all__ = [
    "BLOCK_ROWS",
    "GenerationSummary",
    "generate",
    "generate_national",
    "iter_dossier_blocks",
    "iter_dossier_chunks",
    "plan_province",
    "units_table",
]

_COMPRESSION = "zstd"
#: Columns worth dictionary-encoding (few distinct values); codes and instants are not.
_DICTIONARY_COLUMNS = (
    "unit_code", "procedure_code", "channel", "status", "supplement_count", "payment",
    "components_digitized", "result_digitized", "reused_data", "synced", "satisfied",
    "receiving_point",
)  # fmt: skip


@dataclass(frozen=True)
class GenerationSummary:
    """What :func:`generate` wrote."""

    out_dir: Path
    start: date
    end: date
    seed: int
    units: int
    producing_units: int
    procedures: int
    dossiers: int
    ratings: int
    petitions: int
    dossier_files: tuple[Path, ...]
    rating_files: tuple[Path, ...]
    seconds: float

    @property
    def rows_per_second(self) -> float:
        """Dossier rows written per second of wall time."""
        return self.dossiers / self.seconds if self.seconds > 0 else float("inf")


def plan_province(
    *,
    dossiers: int,
    start: date,
    end: date,
    seed: int = 2026,
    tree: UnitTree | None = None,
    catalogue: Catalogue | None = None,
    calendar: HolidayCalendar | None = None,
) -> Plan:
    """Fix units, profiles, procedures and days (shipped data unless given).

    ``end`` is the first day not covered, or an instant: then its day is covered and
    nothing is received, finished, returned, rated or handled at or after it (the data as
    it stands at that instant; dossiers in progress then stay unfinished).

    Raises:
        UserError: a negative count, an empty period, or nothing valid in the period.

    Examples:
        >>> plan = plan_province(dossiers=10, start=date(2026, 1, 1), end=date(2026, 2, 1))
        >>> len(plan.units), sorted(set(plan.profiles.grade))
        (63, ['average', 'excellent', 'fair', 'good', 'weak'])
    """
    if dossiers < 0:
        raise UserError(f"the number of dossiers cannot be negative ({dossiers})")
    if horizon(end)[1] <= horizon(start)[1]:
        raise UserError(f"the period is empty: end {end} is not after start {start}")
    return build_plan(
        dossiers=dossiers,
        start=start,
        end=end,
        seed=seed,
        tree=tree or UnitTree.dienbien(),
        catalogue=catalogue or load_catalogue(),
        calendar=calendar or HolidayCalendar.default(),
    )


def iter_dossier_blocks(plan: Plan) -> Iterator[tuple[pa.Table, pa.Table]]:
    """``(dossiers, ratings)`` tables of each block of :data:`BLOCK_ROWS` rows, in order.

    Examples:
        >>> plan = plan_province(dossiers=200, start=date(2026, 1, 1), end=date(2026, 2, 1))
        >>> [(d.num_rows, r.num_rows > 0) for d, r in iter_dossier_blocks(plan)]
        [(200, True)]
    """
    stop = plan.timeline.stop
    for block in range(-(-plan.dossiers // BLOCK_ROWS)):
        lo = block * BLOCK_ROWS
        rng = np.random.default_rng([plan.seed, 2, block])
        intake = draw_intake(plan, rng, lo, min(plan.dossiers, lo + BLOCK_ROWS))
        dossiers, ratings = block_tables(plan, rng, intake)
        if stop.date() < plan.timeline.end:  # a last day cut short: later intake never came
            dossiers = dossiers.filter(pc.less(dossiers["received_at"], stop))
        yield dossiers, ratings


def iter_dossier_chunks(
    *, dossiers: int, start: date, end: date, seed: int = 2026, chunk_rows: int = 1_000_000
) -> Iterator[pa.Table]:
    """Stream the ``dossiers`` table in tables of ``chunk_rows`` rows (the last shorter).

    The rows are those :func:`generate` writes for the same arguments.

    Examples:
        >>> chunks = iter_dossier_chunks(
        ...     dossiers=1_000, start=date(2026, 1, 1), end=date(2026, 2, 1), chunk_rows=400
        ... )
        >>> [t.num_rows for t in chunks]
        [400, 400, 200]
    """
    _check_chunk_rows(chunk_rows)
    plan = plan_province(dossiers=dossiers, start=start, end=end, seed=seed)
    pending: list[pa.Table] = []
    rows = 0
    for table, _ in iter_dossier_blocks(plan):
        while table.num_rows:
            take = min(chunk_rows - rows, table.num_rows)
            pending.append(table.slice(0, take))
            table, rows = table.slice(take), rows + take
            if rows == chunk_rows:
                yield pa.concat_tables(pending)
                pending, rows = [], 0
    if pending:
        yield pa.concat_tables(pending)


def generate(
    out_dir: Path,
    *,
    dossiers: int,
    start: date,
    end: date,
    seed: int = 2026,
    chunk_rows: int = 1_000_000,
    progress: Callable[[int], None] | None = None,
    province: str | None = None,
) -> GenerationSummary:
    """Write a synthetic province for dossiers received in ``[start, end)``.

    ``province`` (code or name; default the ``CHISO_PROVINCE`` setting, else Điện Biên)
    chooses the unit tree: Điện Biên's shipped tree, with its units before 1/7/2025; any
    other province's real communes from 1/7/2025 (:func:`chiso.synth.national.province_tree`).

    ``end`` may be an instant (``datetime``): the data as it stands then (see
    :func:`plan_province`); dossiers drawn for the last day after it are not written, so
    a few fewer than ``dossiers`` rows may be.

    ``progress`` is called with the number of dossier rows written so far after each
    block. Existing ``part-*.parquet`` files under ``dossiers/`` and ``ratings/`` are
    replaced.

    Raises:
        UserError: bad arguments (see :func:`plan_province`; ``chunk_rows`` < 1).

    Examples:
        >>> import tempfile
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     s = generate(Path(tmp), dossiers=500, start=date(2026, 1, 1),
        ...                  end=date(2026, 1, 15))
        ...     (s.dossiers, len(s.dossier_files), s.producing_units)
        (500, 1, 63)
    """
    from chiso.domain.provinces import DEFAULT_PROVINCE, configured_province, find_province

    _check_chunk_rows(chunk_rows)
    began = time.perf_counter()
    info = find_province(province) if province else configured_province()
    tree, catalogue = UnitTree.dienbien(), None
    if info.code != DEFAULT_PROVINCE:
        from chiso.synth.national import plan_nation, province_catalogue, province_tree

        plan_nation(dossiers=dossiers, start=start, end=end, seed=seed)  # checks the dates
        tree = province_tree(info.code)
        catalogue = province_catalogue(info.code, load_catalogue())
    plan = plan_province(
        dossiers=dossiers, start=start, end=end, seed=seed, tree=tree, catalogue=catalogue
    )
    units = units_table(tree, start, horizon(end)[0])
    return _write_folder(
        out_dir, (start, end, seed, began), units, plan.catalogue, petitions_table(plan),
        iter_dossier_blocks(plan), len(plan.units), chunk_rows, progress,
    )  # fmt: skip


def generate_national(
    out_dir: Path,
    *,
    dossiers: int,
    start: date,
    end: date,
    seed: int = 2026,
    chunk_rows: int = 1_000_000,
    progress: Callable[[int], None] | None = None,
) -> GenerationSummary:
    """Write the 34 provinces of :mod:`chiso.synth.national` (from 1/7/2025) as one folder.

    Each province is a province of :func:`generate` with its synthetic tree, its share of
    ``dossiers`` and its own seed; provinces follow one another in the same parts.

    Raises:
        UserError: see :func:`chiso.synth.national.plan_nation` and :func:`plan_province`.

    Examples:
        >>> import tempfile
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     s = generate_national(Path(tmp), dossiers=3400, start=date(2026, 1, 1),
        ...                           end=date(2026, 1, 8))
        ...     (s.dossiers, s.producing_units, s.units)
        (3400, 3933, 3967)
    """
    from chiso.synth.national import (
        national_tree,
        plan_nation,
        prefix_petitions,
        province_catalogue,
        province_tree,
    )

    _check_chunk_rows(chunk_rows)
    began = time.perf_counter()
    provinces = plan_nation(dossiers=dossiers, start=start, end=end, seed=seed)
    catalogue, calendar = load_catalogue(), HolidayCalendar.default()
    plans = [
        plan_province(
            dossiers=n, start=start, end=end, seed=province_seed, tree=province_tree(code),
            catalogue=province_catalogue(code, catalogue), calendar=calendar,
        )
        for code, n, province_seed in provinces
    ]  # fmt: skip
    units = units_table(national_tree(), start, horizon(end)[0])
    petitions = pa.concat_tables(
        prefix_petitions(petitions_table(plan), code)
        for plan, (code, _, _) in zip(plans, provinces, strict=True)
    )
    blocks = (tables for plan in plans for tables in iter_dossier_blocks(plan))
    producing = sum(len(plan.units) for plan in plans)
    return _write_folder(
        out_dir, (start, end, seed, began), units, catalogue, petitions, blocks, producing,
        chunk_rows, progress,
    )  # fmt: skip


def _write_folder(
    out_dir: Path,
    run: tuple[date, date, int, float],
    units: pa.Table,
    catalogue: Catalogue,
    petitions: pa.Table,
    blocks: Iterator[tuple[pa.Table, pa.Table]],
    producing_units: int,
    chunk_rows: int,
    progress: Callable[[int], None] | None,
) -> GenerationSummary:
    """Write the tables of a generation (``run``: start, end, seed and the start time)."""
    start, end, seed, began = run
    out_dir.mkdir(parents=True, exist_ok=True)
    _write(units, out_dir / "units.parquet")
    _write(catalogue.procedures_table(), out_dir / "procedures.parquet")
    _write(petitions, out_dir / "petitions.parquet")
    dossier_parts = _PartWriter(out_dir / "dossiers", "dossiers", chunk_rows)
    rating_parts = _PartWriter(out_dir / "ratings", "ratings", chunk_rows)
    _write_blocks(blocks, dossier_parts, rating_parts, progress)
    return GenerationSummary(
        out_dir=out_dir,
        start=start,
        end=end,
        seed=seed,
        units=units.num_rows,
        producing_units=producing_units,
        procedures=len(catalogue),
        dossiers=dossier_parts.total,
        ratings=rating_parts.total,
        petitions=petitions.num_rows,
        dossier_files=dossier_parts.close(),
        rating_files=rating_parts.close(),
        seconds=time.perf_counter() - began,
    )


def _write_blocks(
    blocks: Iterator[tuple[pa.Table, pa.Table]],
    dossier_parts: _PartWriter,
    rating_parts: _PartWriter,
    progress: Callable[[int], None] | None,
) -> None:
    """Write each ``(dossiers, ratings)`` block to the parts, reporting progress."""

    def write(tables: tuple[pa.Table, pa.Table]) -> None:
        dossier_parts.write(tables[0])
        rating_parts.write(tables[1])

    # Write block k on a second thread while block k + 1 is drawn (Parquet encoding and
    # most numpy work release the GIL); at most two blocks are alive at once.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pending: Future[None] | None = None
        for tables in blocks:
            if pending is not None:
                pending.result()
                _report(progress, dossier_parts.total)
            pending = pool.submit(write, tables)
        if pending is not None:
            pending.result()
            _report(progress, dossier_parts.total)


def units_table(tree: UnitTree, start: date, end: date) -> pa.Table:
    """Units valid on some day of ``[start, end)`` plus their ``parent_code`` chains.

    Examples:
        >>> t = units_table(UnitTree.dienbien(), date(2026, 1, 1), date(2026, 4, 1))
        >>> t.num_rows, sorted(set(t.column("kind").to_pylist()))
        (65, ['phuong', 'so', 'tinh', 'trung_tam', 'xa'])
    """
    chosen = {
        u.unit_code
        for u in tree
        if u.valid_from < end and (u.valid_to is None or u.valid_to >= start)
    }
    for code in list(chosen):
        parent = tree.get(code).parent_code
        while parent is not None and parent not in chosen:
            chosen.add(parent)
            parent = tree.get(parent).parent_code
    schema = arrow_schema("units")
    rows = [u for u in tree if u.unit_code in chosen]
    columns = {name: [getattr(u, name) for u in rows] for name in schema.names if name != "kind"}
    columns["kind"] = [u.kind.value for u in rows]
    return pa.table({name: columns[name] for name in schema.names}, schema=schema)


def _report(progress: Callable[[int], None] | None, rows: int) -> None:
    if progress is not None:
        progress(rows)


def _check_chunk_rows(chunk_rows: int) -> None:
    if chunk_rows < 1:
        raise UserError(f"chunk_rows must be at least 1, not {chunk_rows}")


def _write(table: pa.Table, path: Path) -> None:
    pq.write_table(table, path, compression=_COMPRESSION)


class _PartWriter:
    """Writes a stream of tables as ``part-00000.parquet``… of at most ``chunk_rows`` rows."""

    def __init__(self, folder: Path, table: str, chunk_rows: int) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        for stale in folder.glob("part-*.parquet"):
            stale.unlink()
        self.folder, self.schema, self.chunk_rows = folder, arrow_schema(table), chunk_rows
        self.paths: list[Path] = []
        self.total = 0
        self._writer: pq.ParquetWriter | None = None
        self._rows = 0

    def write(self, table: pa.Table) -> None:
        while table.num_rows:
            if self._writer is None or self._rows == self.chunk_rows:
                self._open()
            take = min(self.chunk_rows - self._rows, table.num_rows)
            assert self._writer is not None
            self._writer.write_table(table.slice(0, take))
            self._rows += take
            self.total += take
            table = table.slice(take)

    def _open(self) -> None:
        if self._writer is not None:
            self._writer.close()
        path = self.folder / f"part-{len(self.paths):05d}.parquet"
        self.paths.append(path)
        self._writer = pq.ParquetWriter(
            path,
            self.schema,
            compression=_COMPRESSION,
            use_dictionary=[c for c in self.schema.names if c in _DICTIONARY_COLUMNS],
        )
        self._rows = 0

    def close(self) -> tuple[Path, ...]:
        """Close the last part (writing an empty one if nothing came) and list the parts."""
        if self._writer is None:
            self._open()
        assert self._writer is not None
        self._writer.close()
        self._writer = None
        return tuple(self.paths)
