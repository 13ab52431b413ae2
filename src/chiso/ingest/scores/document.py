"""A received report as narrative lines and tables, whatever the file format.

Readers turn plain text (tab-separated tables, as the seeds, or ``|``-separated ones,
as results are pasted on provincial portals), HTML pages (lxml; ``colspan``/``rowspan``),
DOCX (python-docx, merged cells read from ``w:tc``/``gridSpan``/``vMerge``),
XLSX/XLS/ODS (python-calamine, merged ranges) and PDF (pypdf text) into one
:class:`Document`.  Tables are grids: a merged cell keeps its text in its first
(top-left) grid cell and the cells it covers are blank, the way the seeds print
them.  Text without tabs (OCR, PDF) keeps its score table as *loose* rows, one
line each, split later by :mod:`chiso.ingest.scores.annex`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from chiso.errors import UserError
from chiso.i18n import N_, _
from chiso.ingest.limits import (
    MAX_COLUMNS,
    MAX_PDF_PAGES,
    MAX_REPORT_MEMBER_BYTES,
    MAX_TEXT_CHARS,
    check_zip,
    count,
    is_panic,
    refusal,
)
from chiso.ingest.workbook_guard import check_workbook

__all__ = ["Document", "Line", "Row", "Table", "html_document", "read_document", "text_document"]

_TAG = re.compile(r"<[^>]+>")
_LOOSE_ROW = re.compile(r"^\W{0,3}\d{1,3}\s*[|\[(]*\s*[^\W\d]")
_NUMBER_TOKEN = re.compile(r"^\d+(?:[.,]\d+)?$")
_FIX = N_("send the original report (no pictures, not several files in one) or a TXT copy")


@dataclass(frozen=True)
class Line:
    """A narrative line and where it is (``line 12`` or ``paragraph 4``)."""

    where: str
    text: str


@dataclass(frozen=True)
class Row:
    """A table row: its location and its grid cells."""

    where: str
    cells: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    """A table with the text printed just above it (its title)."""

    where: str
    title: str
    rows: tuple[Row, ...]
    loose: bool = False


@dataclass(frozen=True)
class Document:
    """Narrative lines and tables of one file, in reading order."""

    path: str
    lines: tuple[Line, ...]
    tables: tuple[Table, ...]
    ocr: bool = field(default=False)


def clean(text: str) -> str:
    """NFC text without HTML tags, markdown emphasis or surrounding blanks."""
    text = _TAG.sub("", unicodedata.normalize("NFC", text)).replace("**", "")
    return text.replace("\u00a0", " ").strip()


def _vietnamese_letter(c: str) -> bool:
    """ă â đ ê ô ơ ư (any tone): letters OCR without a Vietnamese model loses."""
    return c in "đĐ" or any(m in unicodedata.normalize("NFD", c) for m in "\u0306\u0302\u031b")


def looks_ocr(text: str) -> bool:
    """Vietnamese text without its letters ă â đ ê ô ơ ư: an OCR layer or a stripped copy.

    Real Vietnamese prose has about 17 % of such letters; seed 001 has none.
    """
    letters = [c for c in text if c.isalpha()]
    marked = sum(1 for c in letters if _vietnamese_letter(c))
    return len(letters) > 200 and marked / len(letters) < 0.02


# --- plain text -----------------------------------------------------------------------------


def _title(lines: list[Line]) -> str:
    return " / ".join(ln.text for ln in lines[-4:] if ln.text)


def _grid_tables(numbered: list[tuple[int, str]]) -> tuple[list[Line], list[Table]]:
    """Tab-separated runs become tables (blank lines allowed inside); the rest is narrative."""
    lines: list[Line] = []
    tables: list[Table] = []
    current: list[Row] = []
    header: tuple[str, ...] | None = None

    def close() -> None:
        nonlocal current, header
        if current:
            tables.append(Table(current[0].where, _title(lines), tuple(current)))
        current, header = [], None

    for no, raw in numbered:
        if "\t" not in raw:
            if raw.strip():
                close()
                lines.append(Line(_("line {number}").format(number=no), clean(raw)))
            continue
        cells = tuple(clean(c) for c in raw.split("\t"))
        if cells[0].upper() == "STT":
            if header == cells:
                continue  # the header repeated after a page break
            close()
            header = cells
        current.append(Row(_("line {number}").format(number=no), cells))
    close()
    return lines, tables


def _loose_tables(numbered: list[tuple[int, str]]) -> tuple[list[Line], list[Table]]:
    """Text without tabs: from a line with "STT" to its last row-like line is one table."""
    starts = [i for i, (_, t) in enumerate(numbered) if re.search(r"\bSTT\b", t)]
    if not starts:
        return [
            Line(_("line {number}").format(number=n), clean(t)) for n, t in numbered if t.strip()
        ], []
    first = starts[0]
    rows = [
        i
        for i in range(first, len(numbered))
        if _LOOSE_ROW.match(numbered[i][1])
        and sum(bool(_NUMBER_TOKEN.match(t)) for t in re.split(r"[\s|\[\]]+", numbered[i][1])) >= 4
    ]
    last = rows[-1] if rows else first
    body = [
        Line(_("line {number}").format(number=n), clean(t))
        for n, t in numbered[:first]
        if t.strip()
    ]
    # Title lines just above "STT" belong to the table header (OCR puts half of it there).
    head_from = max(0, first - 6)
    table_rows = tuple(
        Row(_("line {number}").format(number=n), (clean(t),))
        for n, t in numbered[head_from : last + 1]
    )
    tail = [
        Line(_("line {number}").format(number=n), clean(t))
        for n, t in numbered[last + 1 :]
        if t.strip()
    ]
    table = Table(
        _("line {number}").format(number=numbered[first][0]), _title(body), table_rows, loose=True
    )
    return body[: len(body) - (first - head_from)] + tail, [table]


_BORDER = re.compile(r"^\s*[|+]?(?:\s*[:=-]{3,}:?\s*[|+])*\s*[:=-]{3,}:?\s*[|+]?\s*$")


def _pipe_cells(line: str) -> list[str]:
    cells = line.strip().split("|")
    if line.strip().startswith("|"):
        cells = cells[1:]
    if line.strip().endswith("|"):
        cells = cells[:-1]
    return [c.strip() for c in cells]


def _pipe_tables(numbered: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """``|``-separated tables (markdown or hand-drawn) as tab-separated lines.

    A run of lines with at least two ``|`` (border lines ``|---|---|``, ``+---+`` and blank
    lines allowed inside) is a table when one of its rows starts with the cell "STT"; OCR
    text, whose ``|`` are misread rules without such a header, is left alone.
    """
    out = list(numbered)

    def piped(k: int, first: bool) -> bool:
        line = out[k][1] if k < len(out) else ""
        if line.count("|") >= 2:
            return True
        if first:
            return False
        # a border, or a blank line inside the table (as the seeds' page breaks)
        return bool(_BORDER.match(line)) or (not line.strip() and piped(k + 1, True))

    i = 0
    while i < len(out):
        j = i
        while j < len(out) and piped(j, j == i):
            j += 1
        rows = [_pipe_cells(t) for _, t in out[i:j] if not _BORDER.match(t)]
        if j > i and any(next((c for c in r if c), "").upper() == "STT" for r in rows):
            for k in range(i, j):
                no, line = out[k]
                out[k] = (no, "" if _BORDER.match(line) else "\t".join(_pipe_cells(line)))
        i = max(j, i + 1)
    return out


def text_document(text: str, *, path: str = "<text>") -> Document:
    """Split a plain-text report into narrative lines and tables."""
    numbered = list(enumerate(unicodedata.normalize("NFC", text).splitlines(), start=1))
    if not any("\t" in t for _, t in numbered):
        numbered = _pipe_tables(numbered)
    if any("\t" in t for _, t in numbered):
        lines, tables = _grid_tables(numbered)
    else:
        lines, tables = _loose_tables(numbered)
    return Document(path, tuple(lines), tuple(tables), ocr=looks_ocr(text))


# --- DOCX -----------------------------------------------------------------------------------


def _docx_cells(tr: Any, qn: Any, file: str) -> Iterator[str]:
    """Grid cells of one ``w:tr``: spans give blanks, a continued vMerge gives a blank."""
    for tc in tr.iter(qn("w:tc")):
        text = clean(
            " ".join("".join(t.text or "" for t in p.iter(qn("w:t"))) for p in tc.iter(qn("w:p")))
        )
        span, merged = 1, False
        pr = tc.find(qn("w:tcPr"))
        if pr is not None:
            grid = pr.find(qn("w:gridSpan"))
            span = int(grid.get(qn("w:val"))[:9]) if grid is not None else 1
            if not 0 < span <= MAX_COLUMNS:
                what = _("a table cell spans {span} columns").format(span=count(span))
                limit = _("{limit} columns").format(limit=MAX_COLUMNS)
                raise refusal(file, what, limit, _(_FIX))
            vmerge = pr.find(qn("w:vMerge"))
            merged = vmerge is not None and vmerge.get(qn("w:val")) in (None, "continue")
        yield "" if merged else text
        yield from [""] * (span - 1)


def _check_zip(path: Path) -> None:
    import zipfile

    with zipfile.ZipFile(path) as zf:
        check_zip(zf, str(path), member_bytes=MAX_REPORT_MEMBER_BYTES, hint=_(_FIX))


def _read_docx(path: Path) -> Document:
    import docx
    from docx.oxml.ns import qn

    _check_zip(path)
    body = docx.Document(str(path)).element.body
    lines: list[Line] = []
    tables: list[Table] = []
    paragraphs = 0
    for child in body.iterchildren():
        if child.tag == qn("w:p"):
            paragraphs += 1
            text = clean("".join(t.text or "" for t in child.iter(qn("w:t"))))
            if text:
                lines.append(Line(_("paragraph {number}").format(number=paragraphs), text))
        elif child.tag == qn("w:tbl"):
            n = len(tables) + 1
            rows = tuple(
                Row(
                    _("table {table} row {row}").format(table=n, row=r),
                    tuple(_docx_cells(tr, qn, str(path))),
                )
                for r, tr in enumerate(child.iter(qn("w:tr")), start=1)
            )
            tables.append(Table(_("table {number}").format(number=n), _title(lines), rows))
    text = " ".join(ln.text for ln in lines)
    return Document(str(path), tuple(lines), tuple(tables), ocr=looks_ocr(text))


# --- HTML -----------------------------------------------------------------------------------

_BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "caption", "pre", "blockquote", "dt",
           "dd", "figcaption"}  # fmt: skip
_SKIP = {"script", "style", "head", "noscript", "template"}


def _html_text(el: Any) -> str:
    for br in el.iter("br"):
        br.tail = " " + (br.tail or "")
    return clean(" ".join(el.text_content().split()))


def _span(el: Any, name: str) -> int:
    try:
        return max(1, int(str(el.get(name, "1")).strip() or "1"))
    except ValueError:
        return 1


def _html_grid(table: Any) -> list[list[str]]:
    """The table's grid: a spanned cell's text in its top-left cell, blanks where it spans."""
    rows = [tr for tr in table.iter("tr") if next(tr.iterancestors("table")) is table]
    taken: dict[tuple[int, int], str] = {}
    for r, tr in enumerate(rows):
        col = 0
        for td in (c for c in tr if c.tag in ("td", "th")):
            while (r, col) in taken:
                col += 1
            span, down = _span(td, "colspan"), _span(td, "rowspan")
            for dr in range(down):
                for dc in range(span):
                    taken[(r + dr, col + dc)] = _html_text(td) if dr == dc == 0 else ""
            col += span
    grid = []
    for r in range(len(rows)):
        width = 1 + max((c for rr, c in taken if rr == r), default=-1)
        grid.append([taken.get((r, c), "") for c in range(width)])
    return grid


def _leaf_block(el: Any, tag: str) -> bool:
    """A paragraph-like element holding no table (a ``div`` holding no other block)."""
    if any(True for _ in el.iter("table")):
        return False
    return tag in _BLOCKS or (tag == "div" and not any(c.tag in _BLOCKS | {"div"} for c in el))


def html_document(text: str, *, path: str = "<html>") -> Document:
    """Paragraphs and headings as lines, every outermost ``<table>`` as a table."""
    import lxml.html

    root = lxml.html.document_fromstring(text)
    lines: list[Line] = []
    tables: list[Table] = []

    def walk(el: Any) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in _SKIP:
            return
        if tag == "table":
            n = len(tables) + 1
            rows = tuple(
                Row(_("table {table} row {row}").format(table=n, row=r), tuple(cells))
                for r, cells in enumerate(_html_grid(el), start=1)
            )
            tables.append(Table(_("table {number}").format(number=n), _title(lines), rows))
            return
        if _leaf_block(el, tag):
            text = _html_text(el)
            if text:
                lines.append(Line(_("paragraph {number}").format(number=len(lines) + 1), text))
            return
        for child in el:
            walk(child)

    walk(root)
    body = " ".join(ln.text for ln in lines)
    return Document(path, tuple(lines), tuple(tables), ocr=looks_ocr(body))


# --- spreadsheets ---------------------------------------------------------------------------


def _sheet_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return clean(str(value))


def _sheet_tables(name: str, grid: list[tuple[str, ...]]) -> tuple[list[Line], list[Table]]:
    lines: list[Line] = []
    tables: list[Table] = []
    current: list[Row] = []
    for r, cells in enumerate(grid, start=1):
        where = _("sheet {sheet} row {row}").format(sheet=name, row=r)
        filled = [c for c in cells if c]
        if cells and cells[0].upper() == "STT":
            if current:
                tables.append(Table(current[0].where, _title(lines), tuple(current)))
            current = []
        if current or (cells and cells[0].upper() == "STT"):
            current.append(Row(where, cells))
        elif filled:
            lines.append(Line(where, " ".join(filled)))
    if current:
        tables.append(Table(current[0].where, _title(lines), tuple(current)))
    return lines, tables


def _read_sheets(path: Path) -> Document:
    from python_calamine import CalamineWorkbook

    check_workbook(path, hint=_(_FIX), member_bytes=MAX_REPORT_MEMBER_BYTES)
    book = CalamineWorkbook.from_path(str(path))
    lines: list[Line] = []
    tables: list[Table] = []
    for name in book.sheet_names:
        grid = [
            tuple(_sheet_text(v) for v in row) for row in book.get_sheet_by_name(name).to_python()
        ]
        more_lines, more_tables = _sheet_tables(name, grid)
        lines += more_lines
        tables += more_tables
    return Document(str(path), tuple(lines), tuple(tables))


# --- PDF ------------------------------------------------------------------------------------


def _read_pdf(path: Path) -> Document:
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    if len(reader.pages) > MAX_PDF_PAGES:
        what = _("has {pages} pages").format(pages=count(len(reader.pages)))
        limit = _("{limit} pages").format(limit=count(MAX_PDF_PAGES))
        raise refusal(str(path), what, limit, _(_FIX))
    pages: list[str] = []
    chars = 0
    for page in reader.pages:
        pages.append(page.extract_text() or "")
        chars += len(pages[-1])
        if chars > MAX_TEXT_CHARS:
            raise _too_long(path)
    text = "\n".join(pages)
    if not text.strip():
        raise UserError(
            _("{path}: the PDF has no text layer").format(path=path),
            hint=_("run OCR on the scan first (e.g. ocrmypdf) and import the text or the new PDF"),
        )
    return text_document(text, path=str(path))


def _too_long(path: Path) -> UserError:
    what = _("has more than {limit} characters of text").format(limit=count(MAX_TEXT_CHARS))
    limit = _("{limit} characters").format(limit=count(MAX_TEXT_CHARS))
    return refusal(str(path), what, limit, _(_FIX))


def _bounded_text(path: Path) -> str:
    if path.stat().st_size > 4 * MAX_TEXT_CHARS:  # UTF-8: at most 4 bytes a character
        raise _too_long(path)
    text = path.read_text(encoding="utf-8-sig")
    if len(text) > MAX_TEXT_CHARS:
        raise _too_long(path)
    return text


def _read_text(path: Path) -> Document:
    """Plain text, or an HTML page saved under a text name."""
    text = _bounded_text(path)
    head = text.lstrip()[:200].lower()
    if head.startswith(("<!doctype html", "<html")) or "<table" in head:
        return html_document(text, path=str(path))
    return text_document(text, path=str(path))


def _read_html(path: Path) -> Document:
    return html_document(_bounded_text(path), path=str(path))


_READERS = {
    ".txt": _read_text,
    ".md": _read_text,
    ".html": _read_html,
    ".htm": _read_html,
    ".docx": _read_docx,
    ".xlsx": _read_sheets,
    ".xlsm": _read_sheets,
    ".xls": _read_sheets,
    ".ods": _read_sheets,
    ".pdf": _read_pdf,
}


def read_document(path: Path) -> Document:
    """Read a report file (TXT, HTML, DOCX, XLSX/XLS/ODS, PDF with a text layer).

    Raises:
        UserError: unknown extension, missing or unreadable file.
    """
    if path.is_dir():
        raise UserError(
            _("{path} is a folder, not a report file").format(path=path),
            hint=_("give the report file itself (.txt, .html, .docx, .xlsx, .xls, .ods or .pdf)"),
        )
    reader = _READERS.get(path.suffix.lower())
    if reader is None:
        raise UserError(
            _("{path}: cannot read {value}").format(
                path=path, value=path.suffix or _("a file without an extension")
            ),
            hint=_("give a .txt, .html, .docx, .xlsx, .xls, .ods or .pdf file"),
        )
    if not path.is_file():
        raise UserError(_("{path}: no such file").format(path=path), hint=_("check the path"))
    try:
        return reader(path)
    except UserError:
        raise
    except BaseException as exc:
        if not isinstance(exc, Exception) and not is_panic(exc):
            raise
        raise UserError(
            _("{path}: cannot read the file ({name}: {exc})").format(
                path=path, name=type(exc).__name__, exc=exc
            ),
            hint=_("check that the file is a complete, unencrypted document of its type"),
        ) from None


def iter_tables(documents: Iterable[Document]) -> Iterator[tuple[Document, Table]]:
    """Every table of every document."""
    for doc in documents:
        for table in doc.tables:
            yield doc, table
