"""The portal's legacy scores as Excel workbooks (the exports of ``report_tinh_766_service``).

Public tools save the legacy service's rows as workbooks, one sheet per request, every
value as text (OBS: ``shared/realdata/dvcqg-766-exports``, written by
``truongquangphuc/new-766``): "Điểm năm" and "Điểm tháng" list the 34 provinces, "Sở Ban"
and "Xã Phường" one province's departments and communes, "Xu hướng …" a province's trend
(``month``/``quarter``, ``year``, ``score``: no unit, not importable).  A sheet is a score
table when its first row has ``TEN`` and at least one group column; its rows are then
read exactly like the JSON list (:mod:`chiso.portal.legacy`).  The sheets of one workbook
are different periods, so a workbook with several score tables needs ``--sheet``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from chiso.errors import UserError
from chiso.i18n import _, ngettext
from chiso.ingest.limits import is_panic
from chiso.ingest.workbook_guard import check_workbook
from chiso.portal.groups import GROUPS
from chiso.portal.provinces import place_of
from chiso.portal.rows import PortalUnitRef

__all__ = ["Sheet", "is_workbook", "portal_score_sheets", "score_sheet"]

_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0"  # .xls


@dataclass(frozen=True)
class Sheet:
    """One sheet: its name, column names and rows as ``{column: text}``."""

    name: str
    columns: tuple[str, ...]
    rows: tuple[dict[str, str], ...]

    @property
    def scores(self) -> bool:
        """A table of unit scores (``TEN`` and at least one group column)."""
        return "TEN" in self.columns and any(c in GROUPS for c in self.columns)

    def describe(self) -> str:
        """What the sheet holds, in the user's words."""
        if not self.scores:
            shown = ", ".join(c for c in self.columns[:4] if c) or _("empty")
            return _("sheet “{name}” (columns {columns}): not a table of unit scores").format(
                name=self.name, columns=shown
            )
        levels = Counter(str(r.get("LOAI_COQUAN") or "1").strip() for r in self.rows)
        kinds = ", ".join(_level(k, n).format(count=n, kind=k) for k, n in levels.items())
        places = {
            p.label
            for r in self.rows
            if str(r.get("LOAI_COQUAN") or "1").strip() != "1"
            and (p := place_of(PortalUnitRef(None, r.get("MA_COQUAN"), r["TEN"]), root=False))
        }
        if places:
            return _("sheet “{name}”: {kinds} of {places}").format(
                name=self.name, kinds=kinds, places=", ".join(sorted(places))
            )
        return _("sheet “{name}”: {kinds}").format(name=self.name, kinds=kinds)


def _level(kind: str, count: int) -> str:
    """``{count} …`` units of the portal's level ``kind`` (LOAI_COQUAN: 1, 2, 3)."""
    if kind == "1":
        return ngettext("{count} province or city", "{count} provinces or cities", count)
    if kind == "2":
        return ngettext(
            "{count} department, board or sector", "{count} departments, boards or sectors", count
        )
    if kind == "3":
        return ngettext(
            "{count} commune, ward or special zone",
            "{count} communes, wards or special zones",
            count,
        )
    return ngettext("{count} unit of kind {kind}", "{count} units of kind {kind}", count)


def is_workbook(path: Path) -> bool:
    """An Excel file (by its first bytes, whatever its name)."""
    with path.open("rb") as fh:
        head = fh.read(4)
    return head in (_ZIP, _OLE)


def portal_score_sheets(path: Path) -> list[str]:
    """The names of the unit-score sheets of ``path`` when it is the portal's Excel export
    (report_tinh_766_service); empty for any other file, readable or not."""
    if not path.is_file() or not is_workbook(path):
        return []
    try:
        return [s.name for s in _sheets(path) if s.scores]
    except UserError:
        return []


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _sheets(path: Path) -> list[Sheet]:
    from python_calamine import CalamineWorkbook

    hint = _("open the file in Excel and save it again as .xlsx")
    check_workbook(path, hint=hint)
    try:
        book = CalamineWorkbook.from_path(str(path))
        grids = {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}
    except BaseException as exc:  # python-calamine panics are BaseExceptions
        if not isinstance(exc, Exception) and not is_panic(exc):
            raise
        raise UserError(
            _("{path}: the portal's old Excel score table cannot be read ({error})").format(
                path=path, error=type(exc).__name__
            ),
            hint=hint,
        ) from None
    sheets = []
    for name, cells in grids.items():
        grid = [[_text(v) for v in row] for row in cells]
        columns = tuple(grid[0]) if grid else ()
        rows = tuple(
            {c: v for c, v in zip(columns, row, strict=False) if c} for row in grid[1:] if any(row)
        )
        sheets.append(Sheet(name, columns, rows))
    return sheets


def score_sheet(path: Path, sheet: str | None) -> Sheet:
    """The score table to import: the one named ``sheet``, else the workbook's only one.

    Raises:
        UserError: no such sheet, a sheet that holds no unit scores, or several score
            tables and no ``sheet`` — each sheet listed with what it holds.
    """
    sheets = _sheets(path)
    listed = "; ".join(s.describe() for s in sheets)
    every = _("the sheets: {sheets}").format(sheets=listed)
    if sheet is not None:
        chosen = next((s for s in sheets if s.name.strip() == sheet.strip()), None)
        if chosen is None:
            raise UserError(
                _(
                    "{path}: the portal's old Excel score table (report_tinh_766_service) "
                    "has no sheet “{sheet}”"
                ).format(path=path, sheet=sheet),
                hint=every,
            )
        if not chosen.scores:
            raise UserError(
                _(
                    "{path}: the portal's old Excel score table (report_tinh_766_service): {sheet}"
                ).format(path=path, sheet=chosen.describe()),
                hint=every,
            )
        return chosen
    found = [s for s in sheets if s.scores]
    if len(found) == 1:
        return found[0]
    if not found:
        raise UserError(
            _(
                "{path}: the portal's old Excel score table (report_tinh_766_service): "
                "no sheet is a table of unit scores"
            ).format(path=path),
            hint=listed,
        )
    raise UserError(
        _(
            "{path}: the portal's old Excel score table (report_tinh_766_service) has "
            "{count} score tables, one period a sheet: {sheets}"
        ).format(path=path, count=len(found), sheets=listed),
        hint=_('choose a sheet and its period, e.g. --sheet "{sheet}" --period 2025-10').format(
            sheet=found[-1].name
        ),
    )
