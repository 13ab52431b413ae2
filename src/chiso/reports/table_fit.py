"""Annex tables that print: column widths from the words they hold, rows kept whole.

After the template is rendered, every table with a repeated header row (the
annexes; the letterhead and signature tables have none) is laid out again from
its content, so that neither Word nor LibreOffice breaks a word or a number
inside a cell ("ST/T", "1.150.0/00"):

- each column is at least as wide as its longest word (measured with the Times
  New Roman metrics of ``data/reports/font_widths.json``, bold where the run is
  bold) plus the cell margins; a merged cell widens the columns it spans;
- when those minima do not fit between the section's margins, the table's font
  shrinks by half points down to :data:`MIN_PT`;
- the room left goes first to the columns whose body cells would wrap (towards
  their one-line width, the smallest lacks first), then likewise to the header
  cells (two lines, then one), then to every column in proportion to its width;
- the widths are written explicitly (``w:tblGrid``, every ``w:tcW``, ``w:tblW``,
  fixed layout, explicit cell margins), every row gets ``w:cantSplit`` (a row
  never splits across pages) and the template's header rows keep ``w:tblHeader``,
  each at least as tall as its text and its vertically merged cells need (so that
  the header repeated on the next page is not clipped).

Examples:
    >>> round(text_width("STT", 12, bold=True), 1)
    22.7
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

__all__ = ["CELL_MARGIN", "MIN_PT", "fit_table", "fit_tables", "text_width"]

#: The smallest table font (points) the fitting may shrink to.
MIN_PT = 10.0
#: Left and right cell margin written into every fitted table (twips; 1,5 mm).
CELL_MARGIN = 85
#: Unknown characters are measured as this wide (thousandths of an em, as "W").
_WIDE = 1000
#: Safety on every measured word: 3 % and one point.
_SLACK = 1.03
_SLACK_PT = 1.0
_TWIPS_PER_PT = 20
#: Line height as a multiple of the font size (Times New Roman 1,15; DejaVu Serif,
#: which sets the Vietnamese letters Liberation Serif 1.07 lacks, is taller).
_LINE = 1.2
#: Room above and below a header cell's text, in points.
_PAD_Y = 2.0


@cache
def _metrics() -> dict[str, dict[str, int]]:
    path = resources.files("chiso") / "data" / "reports" / "font_widths.json"
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return {"regular": data["regular"], "bold": data["bold"]}


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    """Width of ``text`` in points at ``size`` in Times New Roman (upper bound)."""
    widths = _metrics()["bold" if bold else "regular"]
    return sum(widths.get(c, _WIDE) for c in text) * size / 1000


@dataclass
class _Run:
    text: str
    size: float
    bold: bool


@dataclass
class _Cell:
    element: Any
    row: int
    col: int
    span: int
    header: bool
    vmerge: str | None  # "restart", "continue" or None
    paragraphs: list[list[_Run]]

    def _words(self, runs: Sequence[_Run], cap: float) -> list[tuple[float, float]]:
        """(start, end) of each word along the paragraph set on one line, in points."""
        starts: list[float] = []
        ends: list[float] = []
        line, in_word = 0.0, False
        for run in runs:
            size = min(run.size, cap)
            for char in run.text:
                if not char.isspace() and not in_word:
                    starts.append(line)
                elif char.isspace() and in_word:
                    ends.append(line)
                in_word = not char.isspace()
                line += text_width(char, size, bold=run.bold)
        if in_word:
            ends.append(line)
        return list(zip(starts, ends, strict=True))

    def widths(self, cap: float) -> tuple[float, float, float]:
        """(longest word, narrowest width holding each paragraph on two lines, longest
        paragraph on one line) in points, sizes capped at ``cap``."""
        word_max = two_max = line_max = 0.0
        for runs in self.paragraphs:
            words = self._words(runs, cap)
            if not words:
                continue
            end = words[-1][1]
            word_max = max([word_max, *(e - b for b, e in words)])
            splits = [max(words[k][1], end - words[k + 1][0]) for k in range(len(words) - 1)]
            two_max = max(two_max, min(splits, default=end))
            line_max = max(line_max, end)
        return word_max, two_max, line_max

    def height(self, width: float, cap: float) -> float:
        """Height in points of the cell's paragraphs wrapped (greedily) at ``width``."""
        total = 0.0
        for runs in self.paragraphs:
            lines, start = 1, None
            for begin, end in self._words(runs, cap):
                if start is None:
                    start = begin
                elif end - start > width:
                    lines, start = lines + 1, begin
            size = max((min(r.size, cap) for r in runs), default=cap)
            total += lines * size * _LINE
        return total


def _on(element: Any, tag: str) -> bool:
    found = element.find(qn(tag)) if element is not None else None
    return found is not None and found.get(qn("w:val")) not in ("0", "false", "off")


def _runs(paragraph: Any, default_size: float) -> list[_Run]:
    runs = []
    for r in paragraph.iter(qn("w:r")):
        text = "".join(t.text or "" for t in r.iter(qn("w:t")))
        if not text:
            continue
        rpr = r.find(qn("w:rPr"))
        sz = rpr.find(qn("w:sz")) if rpr is not None else None
        size = int(sz.get(qn("w:val"))) / 2 if sz is not None else default_size
        runs.append(_Run(text, size, _on(rpr, "w:b")))
    return runs


def _cells(tbl: Any, default_size: float) -> Iterator[_Cell]:
    for row, tr in enumerate(tbl.iterchildren(qn("w:tr"))):
        col, header = 0, _on(tr.find(qn("w:trPr")), "w:tblHeader")
        for tc in tr.iterchildren(qn("w:tc")):
            tcpr = tc.find(qn("w:tcPr"))
            span_el = tcpr.find(qn("w:gridSpan")) if tcpr is not None else None
            span = int(span_el.get(qn("w:val"))) if span_el is not None else 1
            merge_el = tcpr.find(qn("w:vMerge")) if tcpr is not None else None
            vmerge = None if merge_el is None else merge_el.get(qn("w:val")) or "continue"
            paragraphs = [_runs(p, default_size) for p in tc.iterchildren(qn("w:p"))]
            yield _Cell(tc, row, col, span, header, vmerge, paragraphs)
            col += span


def _measure(cells: Sequence[_Cell], columns: int, cap: float) -> list[list[float]]:
    """Per column: the longest word; the longest body line; the header cells on two
    lines (a header on two lines reads well) and on one."""
    pad = 2 * CELL_MARGIN / _TWIPS_PER_PT + _SLACK_PT
    low, body, head2, head1 = ([pad] * columns for _ in range(4))
    measured = [(c, *c.widths(cap)) for c in cells]
    for cell, word, two, one in measured:
        if cell.span == 1 and cell.col < columns:
            low[cell.col] = max(low[cell.col], word * _SLACK + pad)
            for lines, width in ((head2, two), (head1, one)) if cell.header else ((body, one),):
                lines[cell.col] = max(lines[cell.col], width * _SLACK + pad)
    for cell, word, _, _ in measured:
        cols = range(cell.col, min(cell.col + cell.span, columns))
        lack = word * _SLACK + pad - sum(low[c] for c in cols)
        if cell.span > 1 and lack > 0:
            for c in cols:
                low[c] += lack / len(cols)
    return [low, body, head2, head1]


def _fill(widths: list[float], want: Sequence[float], spare: float) -> float:
    """Raise the columns below ``want`` by equal amounts (the smallest lacks are met
    first, so as few columns as possible wrap); returns the spare room left."""
    lacking = sorted(
        (w - have, c) for c, (w, have) in enumerate(zip(want, widths, strict=True)) if w > have
    )
    given = 0.0
    for k, (lack, _) in enumerate(lacking):
        step = min(lack - given, spare / (len(lacking) - k))
        for _, col in lacking[k:]:
            widths[col] += step
        spare -= step * (len(lacking) - k)
        given += step
    return spare


def _share(low: Sequence[float], wants: Sequence[Sequence[float]], room: float) -> list[float]:
    """Widths from the minima: ``room`` goes to what each column lacks, stage by stage
    (the body rows on one line, the header cells on two, then on one), then pro rata."""
    widths = list(low)
    spare = room - sum(widths)
    if spare < 0:
        return [w * room / sum(widths) for w in widths]
    for want in wants:
        spare = _fill(widths, want, spare)
    total = sum(widths)
    return [w + spare * w / total for w in widths]


def _set(parent: Any, tag: str, **attrs: str) -> Any:
    element = parent.find(qn(tag))
    if element is None:
        element = OxmlElement(tag)
        parent.append(element)
    for key, value in attrs.items():
        element.set(qn(f"w:{key}"), value)
    return element


def _write(tbl: Any, cells: Sequence[_Cell], widths: Sequence[float], cap: float) -> None:
    twips = [round(w * _TWIPS_PER_PT) for w in widths]
    tblpr = tbl.tblPr
    _set(tblpr, "w:tblW", w=str(sum(twips)), type="dxa")
    _set(tblpr, "w:tblLayout", type="fixed")
    margins = _set(tblpr, "w:tblCellMar")
    for side in ("left", "right"):
        _set(margins, f"w:{side}", w=str(CELL_MARGIN), type="dxa")
    grid = tbl.find(qn("w:tblGrid"))
    for col in list(grid):
        grid.remove(col)
    for width in twips:
        col = OxmlElement("w:gridCol")
        col.set(qn("w:w"), str(width))
        grid.append(col)
    for cell in cells:
        tcpr = cell.element.get_or_add_tcPr()
        width = sum(twips[cell.col : cell.col + cell.span])
        _set(tcpr, "w:tcW", w=str(width), type="dxa")
        for r in cell.element.iter(qn("w:r")):
            sz = r.get_or_add_rPr().get_or_add_sz()
            if sz.get(qn("w:val")) is None or int(sz.get(qn("w:val"))) > cap * 2:
                sz.set(qn("w:val"), str(round(cap * 2)))
    rows = list(tbl.iterchildren(qn("w:tr")))
    for tr in rows:
        _set(tr.get_or_add_trPr(), "w:cantSplit")
    for row, height in _header_heights(cells, twips, cap).items():
        _set(
            rows[row].get_or_add_trPr(), "w:trHeight", val=str(round(height * 20)), hRule="atLeast"
        )


def _header_heights(cells: Sequence[_Cell], twips: Sequence[int], cap: float) -> dict[int, float]:
    """Heights (points) of the header rows that hold their vertically merged cells.

    LibreOffice lays a repeated header out from its rows' own heights, clipping a
    merged cell that needs more ("TỔNG ĐIỂM ĐẠT ĐƯỢC" losing its last line on the
    next page); rows at least this tall keep it whole on every page.
    """
    heights: dict[int, float] = {}
    merged: list[tuple[_Cell, int, float]] = []
    for cell in cells:
        if not cell.header or cell.vmerge == "continue":
            continue
        text = (sum(twips[cell.col : cell.col + cell.span]) - 2 * CELL_MARGIN) / _TWIPS_PER_PT
        need = cell.height(text / _SLACK, cap) + _PAD_Y
        if cell.vmerge == "restart":
            below = {(c.row, c.col) for c in cells if c.vmerge == "continue"}
            last = cell.row
            while (last + 1, cell.col) in below:
                last += 1
            merged.append((cell, last, need))
        heights[cell.row] = max(heights.get(cell.row, 0.0), 0.0 if cell.vmerge else need)
    for cell, last, need in merged:
        have = sum(heights.get(r, 0.0) for r in range(cell.row, last + 1))
        if need > have:
            heights[last] = heights.get(last, 0.0) + need - have
    return heights


def fit_table(tbl: Any, room_pt: float, default_size: float = 14.0) -> float:
    """Lay out one ``w:tbl`` within ``room_pt`` points; returns the font size cap used."""
    cells = list(_cells(tbl, default_size))
    columns = len(tbl.find(qn("w:tblGrid")).findall(qn("w:gridCol")))
    largest = max((r.size for c in cells for p in c.paragraphs for r in p), default=default_size)
    cap = largest
    low, *wants = _measure(cells, columns, cap)
    while sum(low) > room_pt and cap - 0.5 >= MIN_PT:
        cap -= 0.5
        low, *wants = _measure(cells, columns, cap)
    _write(tbl, cells, _share(low, wants, room_pt), cap)
    return cap


def _sections(body: Any) -> Iterator[tuple[list[Any], Any]]:
    """(tables, sectPr) of each section of the body, in order."""
    tables: list[Any] = []
    for child in body.iterchildren():
        if child.tag == qn("w:tbl"):
            tables.append(child)
        inner = child.find(f"{qn('w:pPr')}/{qn('w:sectPr')}")
        sect = child if child.tag == qn("w:sectPr") else inner
        if sect is not None:
            yield tables, sect
            tables = []


def _room(sect: Any) -> float:
    """Width between the left and right margins of a section, in points."""
    size, margins = sect.find(qn("w:pgSz")), sect.find(qn("w:pgMar"))
    width = int(size.get(qn("w:w")))
    left, right = (int(margins.get(qn(f"w:{s}"), "0")) for s in ("left", "right"))
    return (width - left - right) / _TWIPS_PER_PT


def _has_header_row(tbl: Any) -> bool:
    return any(_on(tr.find(qn("w:trPr")), "w:tblHeader") for tr in tbl.iterchildren(qn("w:tr")))


def fit_tables(document: Any) -> int:
    """Fit every table with a repeated header row to its section; returns how many."""
    normal = document.styles["Normal"].font.size
    default = normal.pt if normal is not None else 11.0
    fitted = 0
    for tables, sect in _sections(document.element.body):
        room = _room(sect)
        for tbl in tables:
            if _has_header_row(tbl):
                fit_table(tbl, room, default)
                fitted += 1
    return fitted
