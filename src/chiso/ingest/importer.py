"""``chiso import``: export files in, every bad row explained, nothing half-written.

For each file: find the header row and the profile that explains it, stream the
rows in blocks, convert and check each block (``convert``), stage the valid rows
(``stage``), then check keys across all files.  Only when nothing is wrong (or
with ``skip_invalid``) is the target changed, in one atomic step (``targets``).

The two halves are separate for callers that serialise their writes (the site):
:func:`check_files` reads and stages without writing (the long part), and
:func:`apply_checked` changes the target.  The rows are checked against the target
folder's units and procedures; :meth:`CheckedImport.still_valid` says whether those are
still the same when the caller is about to apply.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow as pa

from chiso.domain.units import UnitTree
from chiso.errors import UserError
from chiso.i18n import _
from chiso.ingest.convert import BLOCK_ROWS, Converter
from chiso.ingest.issues import ImportRejectedError, RowIssue, write_rejects
from chiso.ingest.layout import SCAN_ROWS, Layout, find_layout
from chiso.ingest.limits import MAX_KEPT_ISSUES
from chiso.ingest.parallel import Sink, ordered_map, worker_pool
from chiso.ingest.pieces import Piece, blocks_of, drop_decoration, pieces_of_rows
from chiso.ingest.profiles import HELPER_FIELDS, Profile, load_profile, shipped_profiles
from chiso.ingest.resolve import ProcedureLookup, UnitLookup
from chiso.ingest.sources import RowSource, open_rows
from chiso.ingest.stage import Stage
from chiso.ingest.tables import import_key
from chiso.storage.journal import writer
from chiso.storage.source import DataSource
from chiso.storage.targets import Diff, FolderTarget, Staged, Target, open_target, read_canonical
from chiso.storage.writer import commit_staged

__all__ = [
    "IMPORTABLE",
    "CheckedImport",
    "ImportResult",
    "apply_checked",
    "check_files",
    "context_basis",
    "import_files",
]

IMPORTABLE = ("dossiers", "procedures", "units", "petitions", "ratings")
Progress = Callable[[int], None]
Row = tuple[int, list[str | None]]


@dataclass
class ImportResult:
    """What an import read, rejected and changed."""

    table: str
    target: str
    rows: int = 0
    skipped: int = 0  # blank, numbering and totals rows
    repeats: int = 0  # exact duplicate rows collapsed
    issues: list[RowIssue] = field(default_factory=list)  # the first MAX_KEPT_ISSUES
    dropped_issues: int = 0  # problems found past MAX_KEPT_ISSUES: counted, not kept
    layouts: dict[str, Layout] = field(default_factory=dict)
    diff: Diff = field(default_factory=Diff)
    written: bool = False

    def keep(self, issues: Sequence[RowIssue]) -> None:
        """Keep ``issues`` up to MAX_KEPT_ISSUES in all; count the rest (a file of millions
        of bad rows must not hold millions of problems in memory)."""
        room = max(MAX_KEPT_ISSUES - len(self.issues), 0)
        self.issues.extend(issues[:room])
        self.dropped_issues += max(len(issues) - room, 0)


@dataclass
class Context:
    """What reading files of one table needs."""

    table: str
    profiles: list[Profile]
    units: UnitLookup
    procedures: ProcedureLookup
    progress: Progress | None
    basis: str = ""  # context_basis() of the target when it was read


def profiles_for(ref: str | None) -> list[Profile]:
    if ref is not None:
        return [load_profile(ref)]
    return [load_profile(p) for p in shipped_profiles()]


def _folder_of(into: str) -> str | None:
    return into if DataSource.parse(into).is_folder else None


def _read(folder: str | None, table: str) -> Any:
    return read_canonical(Path(folder), table) if folder is not None else None


def _procedures_of(table: Any) -> ProcedureLookup:
    if table is None:
        return ProcedureLookup.of([])
    pairs = zip(table["procedure_code"].to_pylist(), table["name"].to_pylist(), strict=True)
    return ProcedureLookup.of((str(c), str(n or "")) for c, n in pairs)


def _tree_of(units: Any) -> UnitTree:
    if units is None:
        from chiso.domain.provinces import province_tree

        return province_tree()  # CHISO_PROVINCE, else Điện Biên
    from chiso.storage.unitdata import tree_from_rows

    return tree_from_rows(units.to_pylist())


def _digest(*tables: Any) -> str:
    digest = hashlib.sha256()
    for table in tables:
        digest.update(b"-" if table is None else repr(table.to_pylist()).encode())
    return digest.hexdigest()


def procedure_lookup(folder: str | None) -> ProcedureLookup:
    """Known procedures: the target folder's table (none known: codes are not checked)."""
    return _procedures_of(_read(folder, "procedures"))


def unit_tree(folder: str | None) -> UnitTree:
    """The target folder's own units table, else the shipped Điện Biên tree."""
    return _tree_of(_read(folder, "units"))


def context_basis(into: str) -> str:
    """A digest of what checking rows for ``into`` depends on besides the files: the units
    and procedures tables of a target folder (a database URL: the shipped ones, fixed)."""
    folder = _folder_of(into)
    return _digest(_read(folder, "units"), _read(folder, "procedures"))


def context_for(
    table: str, into: str, *, profile: str | None = None, progress: Progress | None = None
) -> Context:
    """What reading files of ``table`` for ``into`` needs: profiles, and the units and
    procedures of the target folder (the shipped ones for a database URL)."""
    folder = _folder_of(into)
    units, procedures = _read(folder, "units"), _read(folder, "procedures")
    return Context(
        table,
        profiles_for(profile),
        UnitLookup(_tree_of(units)),
        _procedures_of(procedures),
        progress,
        _digest(units, procedures),
    )


def _pieces(source: RowSource, head: list[Row], header_row: int) -> Iterator[Piece]:
    """The records after the header row: read as columns where the format allows."""
    after = [r for r in head if r[0] > header_row]
    if source.pieces is not None and after:
        close = getattr(source.rows, "close", None)
        if close is not None:
            close()
        return source.pieces(after[0][0])
    return pieces_of_rows(itertools.chain(after, source.rows))


def _records(pieces: Iterator[tuple[Piece, int]], result: ImportResult) -> Iterator[Piece]:
    for kept, dropped in pieces:
        result.skipped += dropped
        yield kept


def read_file(
    path: Path,
    ctx: Context,
    sink: Callable[[pa.Table], None],
    result: ImportResult,
    *,
    on: date | None = None,
) -> None:
    """Read one file block by block, converting and passing valid rows to ``sink``.

    The file is read in this thread; decoration is found and blocks are converted in a
    pool of threads, a few ahead, and ``sink`` gets the blocks in the file's order.
    """
    source = open_rows(path)
    head = list(itertools.islice(source.rows, SCAN_ROWS))
    layout = find_layout(ctx.table, source.file, head, ctx.profiles)
    result.layouts[source.file] = layout
    key = import_key(ctx.table)
    names = {key, *(helper for helper, code in HELPER_FIELDS.items() if code == key)}
    key_index = next(i for i, c in layout.match.columns.items() if c in names)
    converter = Converter(ctx.table, layout, ctx.units, ctx.procedures, on)

    def convert(block: Piece) -> tuple[int, pa.Table, list[RowIssue]]:
        return len(block), *converter.convert(converter.piece_block(source.file, block))

    pool = worker_pool()
    written = Sink(sink)
    try:
        pieces = _pieces(source, head, layout.header_row)
        kept = ordered_map(functools.partial(drop_decoration, key_index=key_index), pieces, pool)
        blocks = blocks_of(_records(kept, result), BLOCK_ROWS)
        for rows, table, issues in ordered_map(convert, blocks, pool):
            written.put(table)
            result.rows += rows
            result.keep(issues)
            if ctx.progress is not None:
                ctx.progress(rows)
        written.finish()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        written.close()


@dataclass
class CheckedImport:
    """Files read, checked and staged for one table of ``into``; nothing written yet.

    Close it (or use ``with``) to remove the staged files.
    """

    into: str
    result: ImportResult
    stage: Stage
    #: the staged rows, one per key: a file or a folder of parts (None: no valid row, or
    #: applied: the parts may then be the target's own)
    incoming: Path | None
    basis: str  # context_basis(into) the rows were checked against

    def still_valid(self) -> bool:
        """Whether the target's units and procedures are still those the rows were checked
        against (else the check must be run again before applying)."""
        return context_basis(self.into) == self.basis

    def close(self) -> None:
        """Remove the staged files."""
        self.stage.close()

    def __enter__(self) -> CheckedImport:
        """The checked import itself."""
        return self

    def __exit__(self, *_: object) -> None:
        """Remove the staged files."""
        self.close()


def _stage_parent(into: str) -> Path | None:
    """Where to stage: inside a data folder, recovered first as its writer (no live writer
    is then half-way through a commit), else the system temporary folder."""
    folder = _folder_of(into)
    if folder is None:
        return None
    with writer(Path(folder)):
        return FolderTarget(Path(folder)).stage_parent()


def check_files(
    table: str,
    files: Sequence[Path],
    into: str,
    *,
    profile: str | None = None,
    progress: Progress | None = None,
) -> CheckedImport:
    """Read, convert, check and stage ``files`` for ``table`` of ``into`` without changing it.

    Each file is read once.  Bad rows are collected in ``result.issues``, not raised.

    Raises:
        UserError: the table cannot be imported or a file cannot be read.
    """
    if table not in IMPORTABLE:
        raise UserError(
            _("cannot import “{table}”").format(table=table),
            hint=_("tables: {names}").format(names=", ".join(IMPORTABLE)),
        )
    parent = _stage_parent(into)
    ctx = context_for(table, into, profile=profile, progress=progress)
    result = ImportResult(table, str(Path(into)) if _folder_of(into) else into)
    stage = Stage(table, parent=parent)
    try:
        for path in files:
            read_file(path, ctx, stage.add, result)
        incoming, conflicts, repeats = stage.finish()
    except BaseException:
        stage.close()
        raise
    result.keep(conflicts)
    result.repeats = repeats
    return CheckedImport(into, result, stage, incoming, ctx.basis)


def apply_checked(
    checked: CheckedImport,
    *,
    skip_invalid: bool = False,
    dry_run: bool = False,
    rejects: Path | None = None,
    target: Target | None = None,
) -> ImportResult:
    """Merge a checked import into its target, all or nothing (``dry_run``: only count).

    ``target`` is an already open target of ``checked.into`` (left open); else one is
    opened and closed.

    Raises:
        ImportRejectedError: rows have issues (unless ``skip_invalid``).
    """
    result = checked.result
    if result.issues and rejects is not None:
        write_rejects(rejects, result.issues)
    if result.issues and not skip_invalid:
        raise ImportRejectedError(
            result.issues, rows=result.rows, rejects=rejects, dropped=result.dropped_issues
        )
    if checked.incoming is None:
        return result
    # one row per key in the canonical schema, and closed after: a folder may rename them in
    staged = [Staged(result.table, checked.incoming, movable=True)]
    result.diff = commit_staged(target or checked.into, staged, dry_run=dry_run)[result.table]
    result.written = not dry_run and result.diff.writes > 0
    if not dry_run:
        checked.incoming = None  # the staged files may now be the target's own
    return result


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
        raise UserError(
            _("cannot import “{table}”").format(table=table),
            hint=_("tables: {names}").format(names=", ".join(IMPORTABLE)),
        )
    target = open_target(into)  # a bad URL is reported before the files are read
    try:
        with check_files(table, files, into, profile=profile, progress=progress) as checked:
            return apply_checked(
                checked, skip_invalid=skip_invalid, dry_run=dry_run, rejects=rejects, target=target
            )
    finally:
        target.close()
