"""Find the header row of a messy export and tell data rows from decoration.

Exports open with title blocks ("UBND TỈNH ĐIỆN BIÊN", "DANH SÁCH HỒ SƠ…"), may have
a two-row header (a merged "Thời gian" over "Tiếp nhận | Hẹn trả"), a numbering row
"(1) (2) (3)", blank lines, and a totals row at the bottom.  The header is the row
(among the first :data:`SCAN_ROWS`) whose cells match the most columns of a profile.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from chiso.errors import UserError
from chiso.i18n import _
from chiso.ingest.profiles import HELPER_FIELDS, HeaderMatch, Profile
from chiso.ingest.tables import import_key, import_required
from chiso.ingest.values import choice_key

__all__ = ["SCAN_ROWS", "Layout", "find_layout", "is_decoration"]

SCAN_ROWS = 30
Row = tuple[int, list[str | None]]
_NUMBERING = re.compile(r"^\(?\d{1,2}\)?(?:\s*=.*)?$")
_TOTALS = re.compile(r"^(?:tong cong|tong so|tong|cong)\b")
_TOTALS_INITIALS = "TtCc"


@dataclass(frozen=True)
class Layout:
    """Where the data of one file is and what its columns mean."""

    header_row: int
    headers: list[str | tuple[str, ...]]
    match: HeaderMatch
    profile: Profile


def _two_row_headers(
    upper: Sequence[str | None], lower: Sequence[str | None]
) -> list[str | tuple[str, ...]]:
    """Join a merged upper header row (filled rightwards) with the row below.

    Each cell offers "parent child", then "child", then "parent" to the profile.
    """
    width = max(len(upper), len(lower))
    out: list[str | tuple[str, ...]] = []
    parent = ""
    for j in range(width):
        top = (upper[j] or "").strip() if j < len(upper) else ""
        bottom = (lower[j] or "").strip() if j < len(lower) else ""
        parent = top if top else (parent if bottom else "")
        if bottom and parent:
            out.append((f"{parent} {bottom}", bottom, parent))
        else:
            out.append((bottom or top or "",))
    return out


def _satisfied(table: str, match: HeaderMatch) -> list[str]:
    """Required columns the match lacks (a helper field stands in for its code)."""
    have = set(match.columns.values())
    have |= {code for helper, code in HELPER_FIELDS.items() if helper in have}
    return sorted(set(import_required(table)) - have)


def _candidates(head: list[Row]) -> Iterator[tuple[int, list[str | tuple[str, ...]]]]:
    for i, (number, cells) in enumerate(head):
        yield number, [c or "" for c in cells]
        if i > 0:
            yield number, _two_row_headers(head[i - 1][1], cells)


def find_layout(table: str, file: str, head: list[Row], profiles: Sequence[Profile]) -> Layout:
    """Pick the profile and header row that explain the most columns of ``table``."""
    best: Layout | None = None
    for profile, (number, headers) in itertools.product(profiles, _candidates(head)):
        match = profile.match(table, headers)
        if best is None or match.score > best.match.score:
            best = Layout(number, headers, match, profile)
    key = import_key(table)
    if best is None or best.match.score < 2:
        raise UserError(
            _(
                "{file}: no header row with the columns of {table} in the first {SCAN_ROWS} rows"
            ).format(file=file, table=table, SCAN_ROWS=SCAN_ROWS),
            hint=_("the file needs at least a {key} column; see `chiso import profiles`").format(
                key=key
            ),
        )
    missing = _satisfied(table, best.match)
    if missing:
        unmatched = ", ".join(repr(h) for h in best.match.unmatched) or "none"
        raise UserError(
            _(
                "{file}, row {header_row}: no column for {names} (profile {id}); headers not "
                "recognised: {unmatched}"
            ).format(
                file=file,
                header_row=best.header_row,
                names=", ".join(missing),
                id=best.profile.id,
                unmatched=unmatched,
            ),
            hint=_(
                "write a profile with --save-profile NEW.yaml, map the headers, then import "
                "with --profile NEW.yaml"
            ),
        )
    return best


def is_decoration(cells: Sequence[str | None], key_index: int) -> bool:
    """A blank row, a numbering row "(1) (2) (3)", or a totals row without a record key."""
    key = (cells[key_index] or "").strip() if key_index < len(cells) else ""
    if key and (len(key) >= 20 or key[0] not in _TOTALS_INITIALS) and not _NUMBERING.match(key):
        return False  # the common case, decided without looking at the other cells
    filled = [c for c in cells if c and not c.isspace()]
    if not filled:
        return True
    if all(_NUMBERING.match(c) for c in filled) and len(filled) > 1:
        return True
    if key:  # a totals row may carry its label in the key column ("Tổng cộng" as unit)
        return bool(_TOTALS.match(choice_key(key)))
    return any(_TOTALS.match(choice_key(c)) for c in filled[:3])
