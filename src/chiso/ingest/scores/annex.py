"""Find the score tables of a received report and read their rows exactly.

A score table is a table whose header maps onto an index set's indicators
(:mod:`chiso.ingest.scores.columns`).  Its data rows start with a row number
(STT); section rows ("I. CÁC CƠ QUAN CHUYÊN MÔN…", "UBND CÁC XÃ, THỊ TRẤN")
split the rows into sections.  Loose rows (OCR or PDF text without a grid) are
split into tokens: row number, unit name, then the numbers in column order,
then the class.  Every cell is kept as printed (:class:`Printed`); cells that
cannot be read are collected as problems with their location, never guessed.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal

from chiso.domain.unit_names import fold_diacritics
from chiso.errors import UserError
from chiso.i18n import _
from chiso.ingest.scores.columns import ColumnMap, map_columns, map_maxima, maxima_in
from chiso.ingest.scores.document import Document, Row, Table
from chiso.ingest.scores.printed import Printed, is_number, read_number
from chiso.spec.canonical import IndexSet

__all__ = ["AnnexRow", "AnnexTable", "grade_of", "read_score_tables"]

_ROMAN = re.compile(r"^(?:I|II|III|IV|V|VI|VII|VIII|IX|X)\b\.?\s*(.*)$")
_TOKEN_SPLIT = re.compile(r"[\s|\[\]]+")


@dataclass(frozen=True)
class AnnexRow:
    """One unit's printed row of a score table."""

    where: str
    stt: str
    name: str
    section: str
    cells: tuple[tuple[str, Printed | None], ...]
    total: Printed | None
    printed_max: Printed | None
    converted: Printed | None
    grade_text: str
    grade: str | None

    @property
    def cells_dict(self) -> dict[str, Printed | None]:
        """Printed cells by indicator code."""
        return dict(self.cells)

    def cell(self, code: str) -> Printed | None:
        """The printed cell of indicator ``code`` (None for "-", KeyError if not printed)."""
        return dict(self.cells)[code]


@dataclass
class AnnexTable:
    """A score table: its columns, rows (in printed order) and unreadable cells."""

    where: str
    title: str
    index_set: IndexSet
    columns: tuple[str, ...]
    labels: dict[str, str]
    rows: list[AnnexRow] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)
    has_converted: bool = True

    @property
    def sections(self) -> list[tuple[str, list[AnnexRow]]]:
        """Rows grouped by section, in printed order."""
        out: dict[str, list[AnnexRow]] = {}
        for row in self.rows:
            out.setdefault(row.section, []).append(row)
        return list(out.items())

    @property
    def scale(self) -> Decimal:
        """100, or 10 when every converted score printed with a decimal mark is at most 10."""
        marked = [
            r.converted.value
            for r in self.rows
            if r.converted is not None
            and not r.converted.restored
            and re.search(r"[.,]", r.converted.text)
        ]
        return Decimal(10) if marked and max(marked) <= 10 else Decimal(100)


def grade_of(text: str, index_set: IndexSet) -> str | None:
    """The band whose label or abbreviation ``text`` spells (OCR-tolerant), if any.

    >>> from chiso.spec.loader import load_index_set
    >>> s = load_index_set("dienbien-459-2023")
    >>> grade_of("Xuit Sic", s), grade_of("TB", s), grade_of("Tét", s)
    ('excellent', 'average', 'good')
    """
    folded = fold_diacritics(text).lower().strip(" .,:;")
    if not folded:
        return None
    names: dict[str, str] = {}
    for band in index_set.bands:
        for spelled in (band.label, band.abbrev):
            names[fold_diacritics(spelled).lower()] = band.grade
    if folded in names:
        return names[folded]
    close = difflib.get_close_matches(folded, list(names), n=1, cutoff=0.6)
    return names[close[0]] if close else None


def _section_title(cells: Sequence[str]) -> str | None:
    first = cells[0] if cells else ""
    rest = [c for c in cells[1:] if c]
    match = _ROMAN.match(first)
    if match:
        return " ".join([match.group(1), *rest]).strip() or first
    if first and not first.isdigit() and not rest and not is_number(first):
        return first
    return None


# --- grid tables ----------------------------------------------------------------------------


def _header(table: Table) -> tuple[list[tuple[str, ...]], list[Row]]:
    rows = list(table.rows)
    n = 1
    while n < len(rows) and rows[n].cells and rows[n].cells[0] == "":
        n += 1
    return [r.cells for r in rows[:n]], rows[n:]


def _cell(text: str, limit: Decimal, where: str, out: AnnexTable) -> Printed | None:
    try:
        return read_number(text, limit=limit)
    except ValueError:
        out.problems.append((where, f'"{text}" is not a number'))
        return None


def _row_values(
    out: AnnexTable, where: str, texts: dict[str, str], tail: dict[str, str]
) -> tuple[tuple[tuple[str, Printed | None], ...], Printed | None, Printed | None, Printed | None]:
    maxima = {i.code: i.max for i in out.index_set.indicators}
    cells = tuple(
        (code, _cell(texts[code], maxima[code], f"{where}, {out.labels[code]}", out))
        for code in out.columns
    )
    applicable = sum((maxima[c] for c, v in cells if v is not None), Decimal(0))
    total_text, _sep, max_text = tail.get("total", "").partition("/")
    total = _cell(total_text, applicable or Decimal(100), f"{where}, total", out)
    printed_max = _cell(max_text, Decimal(1000), f"{where}, total", out) if max_text else None
    converted = _cell(tail.get("converted", ""), Decimal(100), f"{where}, converted", out)
    return cells, total, printed_max, converted


def _grid_table(table: Table, index_set: IndexSet) -> AnnexTable:
    header, body = _header(table)
    cmap: ColumnMap = map_columns(header, index_set, where=table.where)
    out = AnnexTable(
        table.where, table.title, index_set, tuple(c for _, c in cmap.indicators),
        {c: cmap.label(c) for _, c in cmap.indicators}, has_converted=cmap.converted is not None,
    )  # fmt: skip
    section = ""
    for row in body:
        cells = row.cells + ("",) * 40

        def at(col: int | None, cells: tuple[str, ...] = cells) -> str:
            return cells[col] if col is not None else ""

        title = _section_title(row.cells)
        if title is not None:
            section = title
            continue
        if not cells[0].isdigit() or not at(cmap.name):
            continue
        texts = {code: at(col) for col, code in cmap.indicators}
        tail = {"total": at(cmap.total), "converted": at(cmap.converted)}
        values, total, printed_max, converted = _row_values(out, row.where, texts, tail)
        grade_text = at(cmap.grade)
        out.rows.append(
            AnnexRow(
                row.where, cells[0], at(cmap.name), section, values, total, printed_max,
                converted, grade_text, grade_of(grade_text, index_set),
            )
        )  # fmt: skip
    return out


# --- loose tables (OCR, PDF text) -----------------------------------------------------------


def _split_loose(text: str) -> tuple[str, str, list[str], str] | None:
    tokens = [t for t in _TOKEN_SPLIT.split(text) if t]
    while tokens and not tokens[0].isdigit():
        tokens.pop(0)
    if len(tokens) < 3:
        return None
    stt, rest = tokens[0], tokens[1:]
    first_number = next((i for i, t in enumerate(rest) if is_number(t)), None)
    if not first_number:
        return None
    name = " ".join(rest[:first_number]).strip(" |[]()'")
    numbers = list(rest[first_number:])
    grade: list[str] = []
    while numbers and not is_number(numbers[-1]):
        grade.insert(0, numbers.pop())
    return stt, name, numbers, " ".join(grade)


def _loose_table(table: Table, index_set: IndexSet) -> AnnexTable:
    lines = [(r.where, r.cells[0]) for r in table.rows]
    parsed = [(w, _split_loose(t)) for w, t in lines]
    first = next((i for i, (_, p) in enumerate(parsed) if p and len(p[2]) >= 4), len(parsed))
    head = " ".join(t for _, t in lines[:first])
    maxima = maxima_in(head.replace("|", " "))
    columns = map_maxima(maxima, index_set)
    labels = {
        c: f"{index_set.indicator(c).group_label} – {index_set.indicator(c).label}" for c in columns
    }
    out = AnnexTable(table.where, table.title, index_set, columns, labels)
    for where, split in parsed[first:]:
        if split is None:
            continue
        stt, name, numbers, grade_text = split
        if len(numbers) not in (len(columns) + 1, len(columns) + 2):
            out.problems.append(
                (where, f"{len(numbers)} numbers for {len(columns)} indicators, total, converted")
            )
            continue
        texts = dict(zip(columns, numbers, strict=False))
        extra = numbers[len(columns) :]
        tail = {"total": extra[0], "converted": extra[1] if len(extra) > 1 else ""}
        values, total, printed_max, converted = _row_values(out, where, texts, tail)
        out.rows.append(
            AnnexRow(
                where, stt, name, "", values, total, printed_max, converted, grade_text,
                grade_of(grade_text, index_set),
            )
        )  # fmt: skip
    return out


def _rescaled(row: AnnexRow, scale: Decimal) -> AnnexRow:
    """Re-read a converted score whose decimal mark was lost against the real scale."""
    if row.converted is None or not row.converted.restored:
        return row
    return replace(row, converted=read_number(row.converted.text, limit=scale))


def _is_score_header(table: Table) -> bool:
    head = " ".join(" ".join(r.cells) for r in table.rows[:10])
    folded = fold_diacritics(head).lower()
    return bool(re.search(r"chi\s*s\w{0,2}\s*\d|tieu chi \d|\(\d+\s*(d|diem|di\w*m)\)", folded))


def read_score_tables(document: Document, index_set: IndexSet) -> list[AnnexTable]:
    """Every score table of ``document`` read against ``index_set``.

    Raises:
        UserError: a score table's header cannot be mapped onto the index set.
    """
    out = []
    for table in document.tables:
        if not _is_score_header(table):
            continue
        read = _loose_table(table, index_set) if table.loose else _grid_table(table, index_set)
        if read.scale != 100:
            read.rows = [_rescaled(r, read.scale) for r in read.rows]
        if read.rows:
            out.append(read)
    if not out:
        raise UserError(
            _("{path}: no score table found").format(path=document.path),
            hint=_(
                "the annex needs a header row starting with “STT” and indicator columns "
                "such as “Chỉ số 1 (5đ)”"
            ),
        )
    return out
