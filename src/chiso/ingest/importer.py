"""``chiso import``: export files in, every bad row explained, nothing half-written.

For each file: find the header row and the profile that explains it, stream the
rows in blocks, convert and check each block (``convert``), stage the valid rows
(``stage``), then check keys across all files.  Only when nothing is wrong (or
with ``skip_invalid``) is the target changed, in one atomic step (``targets``).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pyarrow as pa

from chiso.domain.units import UnitTree
from chiso.errors import UserError
from chiso.ingest.convert import BLOCK_ROWS, Converter
from chiso.ingest.issues import ImportRejectedError, RowIssue, write_rejects
from chiso.ingest.layout import SCAN_ROWS, Layout, find_layout, is_decoration
from chiso.ingest.profiles import HELPER_FIELDS, Profile, load_profile, shipped_profiles
from chiso.ingest.resolve import ProcedureLookup, UnitLookup
from chiso.ingest.sources import open_rows
from chiso.ingest.stage import Stage
from chiso.ingest.tables import import_key
from chiso.ingest.targets import Diff, open_target, read_canonical

__all__ = ["IMPORTABLE", "ImportResult", "import_files"]

IMPORTABLE = ("dossiers", "procedures", "units", "petitions", "ratings")
Progress = Callable[[int], None]


@dataclass
class ImportResult:
    """What an import read, rejected and changed."""

    table: str
    target: str
    rows: int = 0
    skipped: int = 0  # blank, numbering and totals rows
    repeats: int = 0  # exact duplicate rows collapsed
    issues: list[RowIssue] = field(default_factory=list)
    layouts: dict[str, Layout] = field(default_factory=dict)
    diff: Diff = field(default_factory=Diff)
    written: bool = False


@dataclass
class Context:
    """What reading files of one table needs."""

    table: str
    profiles: list[Profile]
    units: UnitLookup
    procedures: ProcedureLookup
    progress: Progress | None


def profiles_for(ref: str | None) -> list[Profile]:
    if ref is not None:
        return [load_profile(ref)]
    return [load_profile(p) for p in shipped_profiles()]


def procedure_lookup(folder: str | None) -> ProcedureLookup:
    """Known procedures: the target folder's table (none known: codes are not checked)."""

    if folder is not None:
        table = read_canonical(Path(folder), "procedures")
        if table is not None:
            pairs = zip(table["procedure_code"].to_pylist(), table["name"].to_pylist(), strict=True)
            return ProcedureLookup.of((str(c), str(n or "")) for c, n in pairs)
    return ProcedureLookup.of([])


def unit_tree(folder: str | None) -> UnitTree:
    """The target folder's own units table, else the shipped Điện Biên tree."""
    if folder is not None:
        from chiso.engine.unitdata import tree_from_rows

        units = read_canonical(Path(folder), "units")
        if units is not None:
            return tree_from_rows(units.to_pylist())
    return UnitTree.dienbien()


def context_for(
    table: str, into: str, *, profile: str | None = None, progress: Progress | None = None
) -> Context:
    """What reading files of ``table`` for ``into`` needs: profiles, and the units and
    procedures of the target folder (the shipped ones for a database URL)."""
    folder = into if "://" not in into else None
    return Context(
        table,
        profiles_for(profile),
        UnitLookup(unit_tree(folder)),
        procedure_lookup(folder),
        progress,
    )


def _blocks(
    rows: Iterator[tuple[int, list[str | None]]], key_index: int, result: ImportResult
) -> Iterator[list[tuple[int, list[str | None]]]]:
    block: list[tuple[int, list[str | None]]] = []
    for number, cells in rows:
        if is_decoration(cells, key_index):
            result.skipped += 1
            continue
        block.append((number, cells))
        if len(block) >= BLOCK_ROWS:
            yield block
            block = []
    if block:
        yield block


def read_file(
    path: Path,
    ctx: Context,
    sink: Callable[[pa.Table], None],
    result: ImportResult,
    *,
    on: date | None = None,
) -> None:
    """Read one file block by block, converting and passing valid rows to ``sink``."""
    source = open_rows(path)
    head = list(itertools.islice(source.rows, SCAN_ROWS))
    layout = find_layout(ctx.table, source.file, head, ctx.profiles)
    result.layouts[source.file] = layout
    key = import_key(ctx.table)
    names = {key, *(helper for helper, code in HELPER_FIELDS.items() if code == key)}
    key_index = next(i for i, c in layout.match.columns.items() if c in names)
    after_header = (r for r in head if r[0] > layout.header_row)
    rows = itertools.chain(after_header, source.rows)
    converter = Converter(ctx.table, layout, ctx.units, ctx.procedures, on)
    for records in _blocks(rows, key_index, result):
        table, issues = converter.convert(converter.block(source.file, records))
        sink(table)
        result.rows += len(records)
        result.issues.extend(issues)
        if ctx.progress is not None:
            ctx.progress(len(records))


def import_files(
    table: str,
    files: Sequence[Path],
    into: str,
    *,
    profile: str | None = None,
    skip_invalid: bool = False,
    dry_run: bool = False,
    rejects: Path | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Import ``files`` into table ``table`` of ``into`` (folder or database URL)."""
    if table not in IMPORTABLE:
        raise UserError(f"cannot import {table!r}", hint=f"tables: {', '.join(IMPORTABLE)}")
    target = open_target(into)
    ctx = context_for(table, into, profile=profile, progress=progress)
    result = ImportResult(table, target.description)
    stage = Stage(table, parent=target.stage_parent())
    try:
        for path in files:
            read_file(path, ctx, stage.add, result)
        incoming, conflicts, repeats = stage.finish()
        result.issues.extend(conflicts)
        result.repeats = repeats
        if result.issues and rejects is not None:
            write_rejects(rejects, result.issues)
        if result.issues and not skip_invalid:
            raise ImportRejectedError(result.issues, rows=result.rows, rejects=rejects)
        if incoming is not None:
            result.diff = target.apply(table, incoming, dry_run=dry_run)
            result.written = not dry_run and result.diff.writes > 0
        return result
    finally:
        stage.close()
        target.close()
