"""The annexes as an Excel workbook (XlsxWriter): one landscape sheet per Biểu.

Numbers stay numbers: each cell carries its value and a number format with its
decimals ("#,##0.00"), a suffix for "78,66/80" totals and "-" for zero fee
amounts (a third format section), so sums and sorting work in Excel.  Excel
shows the separators of the reader's regional settings: a Vietnamese Windows
prints 98,32 and 1.229.100.  Text cells ("-", class labels) stay text.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from chiso.reports.annex import Annex, Cell, Row
from chiso.reports.report_data import ReportContext

__all__ = ["number_format", "write_xlsx"]

FONT = "Times New Roman"
FIRST_HEADER_ROW = 4


def number_format(cell: Cell) -> str:
    """The Excel number format of a numeric cell.

    Examples:
        >>> from decimal import Decimal
        >>> number_format(Cell("78,66/80", Decimal("78.66"), 2, "/80"))
        '#,##0.00"/80"'
        >>> number_format(Cell("-", Decimal(0), 0, dash_zero=True))
        '#,##0;-#,##0;"-"'
    """
    fmt = "#,##0" + ("." + "0" * cell.decimals if cell.decimals else "")
    if cell.suffix:
        fmt += f'"{cell.suffix}"'
    return f'{fmt};-{fmt};"-"' if cell.dash_zero else fmt


class _Formats:
    """One XlsxWriter format per distinct style (the workbook's style table)."""

    def __init__(self, book: Workbook) -> None:
        self.book = book
        self.cache: dict[tuple[tuple[str, Any], ...], Any] = {}

    def get(self, **props: Any) -> Any:
        base = {"font_name": FONT, "font_size": 12, "valign": "vcenter", "text_wrap": True}
        key = tuple(sorted({**base, **props}.items()))
        if key not in self.cache:
            self.cache[key] = self.book.add_format(dict(key))
        return self.cache[key]


def _write_titles(sheet: Worksheet, annex: Annex, ctx: ReportContext, fm: _Formats) -> None:
    last = len(annex.keys) - 1
    sheet.merge_range(0, 0, 0, last, annex.label, fm.get(bold=True, align="right"))
    sheet.merge_range(1, 0, 1, last, annex.title, fm.get(bold=True, align="center", font_size=13))
    sheet.set_row(1, 36)
    attachment = annex.period_note or ctx.letter.attachment
    sheet.merge_range(2, 0, 2, last, attachment, fm.get(italic=True, align="center"))


def _write_header(sheet: Worksheet, annex: Annex, fm: _Formats) -> None:
    style = fm.get(bold=True, align="center", border=1)
    for h in annex.header:
        r, c = FIRST_HEADER_ROW + h.row, h.col
        if h.rowspan > 1 or h.colspan > 1:
            sheet.merge_range(r, c, r + h.rowspan - 1, c + h.colspan - 1, h.text, style)
        else:
            sheet.write_string(r, c, h.text, style)


def _write_cell(sheet: Worksheet, r: int, c: int, cell: Cell, fm: _Formats, bold: bool) -> None:
    props: dict[str, Any] = {"border": 1, "align": cell.align, "bold": bold}
    if cell.value is None:
        sheet.write_string(r, c, cell.text, fm.get(**props))
        return
    fmt = fm.get(**props, num_format=number_format(cell))
    sheet.write_number(r, c, float(cell.value), fmt)


def _write_row(sheet: Worksheet, r: int, row: Row, fm: _Formats) -> None:
    if row.kind == "section":
        last = len(row.cells) - 1
        sheet.write_string(r, 0, row.cells[0].text, fm.get(bold=True, align="center", border=1))
        title = fm.get(bold=True, align="left", border=1)
        sheet.merge_range(r, 1, r, last, row.cells[1].text, title)
        return
    bold = row.kind == "total"
    italic = row.kind == "legend"
    for c, cell in enumerate(row.cells):
        if italic:
            sheet.write_string(r, c, cell.text, fm.get(italic=True, align="center", border=1))
        else:
            _write_cell(sheet, r, c, cell, fm, bold)


def _write_annex(book: Workbook, annex: Annex, ctx: ReportContext, fm: _Formats) -> None:
    sheet = book.add_worksheet(annex.label.replace("Biểu số", "Biểu"))
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.set_margins(left=0.6, right=0.4, top=0.6, bottom=0.6)
    sheet.fit_to_pages(1, 0)
    for c, width in enumerate(annex.widths):
        sheet.set_column(c, c, width / 2.2)
    _write_titles(sheet, annex, ctx, fm)
    _write_header(sheet, annex, fm)
    first = FIRST_HEADER_ROW + annex.header_rows
    sheet.repeat_rows(FIRST_HEADER_ROW, first - 1)
    for n, row in enumerate(annex.rows):
        _write_row(sheet, first + n, row, fm)
    r = first + len(annex.rows) + 1
    if annex.notes:
        sheet.write_string(r, 1, "Lưu ý:", fm.get(bold=True, italic=True, text_wrap=False))
        for n, note in enumerate(annex.notes, start=1):
            sheet.write_string(r + n, 1, f"- {note}", fm.get(italic=True, text_wrap=False))


def write_xlsx(ctx: ReportContext, path: Path) -> Path:
    """Write every annex of the report as a sheet of ``path``."""
    book = xlsxwriter.Workbook(str(path))
    fm = _Formats(book)
    for annex in ctx.annexes:
        _write_annex(book, annex, ctx, fm)
    book.close()
    return path
