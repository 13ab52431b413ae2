"""Which units an upload touches, and which of its rows an officer may not write.

The rows are the importer's own staged rows (:class:`chiso.ingest.importer.CheckedImport`:
same profiles, unit and procedure resolution), so a unit given by name counts as its
resolved code, and the upload is read once for the check and the scope together.  The
rule is the site's one write scope (:mod:`chiso_web.units.scope`): for records that
already exist (a dossier re-imported with another unit) the stored unit counts too, so an
officer may neither write into another unit nor take a record away from it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext, gettext_lazy

from chiso.api import KEYS, CheckedImport, RowIssue, UnitTree, quote_identifier, work_connection
from chiso_web.units.access import Access
from chiso_web.units.scope import Refusal, Stored, Write, refusals, touched

#: Tables whose rows name their unit; ratings belong to the unit of their dossier.
UNIT_TABLES = ("dossiers", "petitions")
PROVINCE_TABLES = ("units", "procedures")
HINT = gettext_lazy("import only the rows of your own unit and of the units under it")


@dataclass
class Scope:
    """The units an upload touches and the rows an officer may not write."""

    unit_codes: set[str] = field(default_factory=set)
    refused: list[Refusal] = field(default_factory=list)


def staged_rows(checked: CheckedImport) -> list[Write]:
    """The valid incoming records of a checked upload, read from its staged parts (every
    valid row as read, before repeats are collapsed)."""
    table, stage = checked.result.table, checked.stage
    if stage.parts == 0:
        return []
    key = quote_identifier(KEYS[table][0])
    unit = quote_identifier("unit_code") if table in UNIT_TABLES else "NULL"
    con = work_connection()
    try:
        columns = f"{key}, {unit}, _file, _row"  # canonical names, not user input
        stage.view(con, "staged")
        rows = con.execute(
            f"SELECT {columns} FROM staged ORDER BY _file, _row"  # noqa: S608
        ).fetchall()
    finally:
        con.close()
    return [Write(str(k), u, Path(str(f)).name, int(r)) for k, u, f, r in rows]


def check_scope(
    access: Access, tree: UnitTree, table: str, rows: Sequence[Write], stored: Stored
) -> Scope:
    """The units touched and, for an officer, every row outside their subtree."""
    return Scope(touched(rows, stored), refusals(access, tree, table, rows, stored))


def refused_issues(table: str, tree: UnitTree, refused: Sequence[Refusal]) -> list[RowIssue]:
    """The refused rows as rejected rows of the upload's report (file, row, key)."""
    column = KEYS[table][0]
    return [
        RowIssue(
            r.write.file, r.write.row, column, r.write.key, r.reason(table, tree) + ".", str(HINT)
        )
        for r in refused
    ]


def refused_message(table: str, tree: UnitTree, refused: Sequence[Refusal]) -> str:
    """The run's sentence: the first refused row, and how many more there are."""
    first = refused[0]
    more = len({(r.write.file, r.write.row) for r in refused}) - 1
    tail = (
        gettext(" (and %(more)s other rows out of scope, see the list)") % {"more": more}
        if more
        else ""
    )
    return f"{first.where()}{first.reason(table, tree)}{tail}."


__all__ = [
    "PROVINCE_TABLES",
    "Scope",
    "check_scope",
    "refused_issues",
    "refused_message",
    "staged_rows",
]
