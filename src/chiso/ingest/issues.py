"""Rejected rows: where, what, why and how to fix — and the error that carries them."""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Sequence
from dataclasses import astuple, dataclass, field, fields
from pathlib import Path

from chiso.domain.labels import column_label
from chiso.errors import UserError
from chiso.i18n import _

__all__ = ["ImportRejectedError", "RowIssue", "write_rejects"]


@dataclass(frozen=True, order=True)
class RowIssue:
    """One problem of one row: file, row number, column, value, reason and hint.

    ``column`` is the canonical name (for programs: the push API's ``field``, the site);
    ``header`` the column as the file names it ("Ngày tiếp nhận"), which people read.
    """

    file: str
    row: int
    column: str
    value: str
    reason: str
    hint: str
    header: str = field(default="", compare=False)

    def render(self) -> str:
        """One line for the terminal, the column named as the file names it."""
        shown = f" = {self.value!r}" if self.value else ""
        return _("{file}, row {row}, {column}{value}: {reason} ({hint})").format(
            file=self.file,
            row=self.row,
            column=f"“{self.shown_column}”" if self.column else "",
            value=shown,
            reason=self.reason,
            hint=self.hint,
        )

    @property
    def shown_column(self) -> str:
        """The column as people read it: the file's header, else its Vietnamese label."""
        return self.header or column_label(self.column)


def write_rejects(path: Path, issues: Sequence[RowIssue]) -> None:
    """Write the issues as CSV (one line per problem) for the office to fix."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow([f.name for f in fields(RowIssue)])
        writer.writerows(astuple(i) for i in sorted(issues))


class ImportRejectedError(UserError):
    """The import found invalid rows and wrote nothing."""

    def __init__(
        self, issues: Sequence[RowIssue], *, rows: int, rejects: Path | None, dropped: int = 0
    ) -> None:
        """Summarise ``issues`` in one sentence; the list stays on the exception.

        ``dropped`` problems were found past the ones kept (``limits.MAX_KEPT_ISSUES``).
        """
        bad_rows = len({(i.file, i.row) for i in issues})
        reasons = Counter(i.reason for i in issues).most_common(3)
        top = "; ".join(f"{n} × {r}" for r, n in reasons)
        where = _("; every problem is listed in {file}").format(file=rejects) if rejects else ""
        if dropped:
            where = (
                _("; {kept} problems are listed in {file} and {dropped} more were counted")
                if rejects
                else _("; {kept} problems are listed and {dropped} more were counted")
            ).format(kept=len(issues), file=rejects, dropped=dropped)
        invalid = (
            _("at least {bad} of {rows} rows are invalid") if dropped
            else _("{bad} of {rows} rows are invalid")
        ).format(bad=bad_rows, rows=rows)  # fmt: skip
        super().__init__(
            _("{invalid} ({reasons}); nothing was imported{where}").format(
                invalid=invalid, reasons=top, where=where
            ),
            hint=_("fix the rows and import again, or use --skip-invalid to import the valid rows"),
        )
        self.issues = list(issues)
        self.dropped = dropped
