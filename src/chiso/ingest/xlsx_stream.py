"""Stream the rows of an .xlsx sheet with bounded memory (expat over the zipped XML).

python-calamine reads a whole sheet into memory before the first row is available
(``dimastbk/python-calamine`` #42), so a million-row export would cost gigabytes.
This reader parses ``xl/worksheets/sheetN.xml`` incrementally: memory holds the
shared-string table and one block of rows.  Cell values come back as ``str``,
``float`` (numbers, including dates as Excel serial days), ``bool`` or ``None``;
which numbers are dates is decided by the column they land in, not by cell styles.
"""

from __future__ import annotations

import posixpath
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.parsers import expat

from chiso.errors import UserError

__all__ = ["first_visible_sheet", "iter_xlsx_rows"]

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_BLOCK = 1 << 16


def _column_index(ref: str) -> int:
    """``"AB12"`` → 27 (zero-based column of a cell reference)."""
    index = 0
    for ch in ref:
        if "A" <= ch <= "Z":
            index = index * 26 + (ord(ch) - 64)
        else:
            break
    return index - 1


def _parse_all(zf: zipfile.ZipFile, name: str, handlers: dict[str, Any]) -> None:
    parser = expat.ParserCreate(namespace_separator="|")
    for attr, handler in handlers.items():
        setattr(parser, attr, handler)
    with zf.open(name) as fh:
        parser.ParseFile(fh)


def _shared_strings(zf: zipfile.ZipFile) -> list[str]:
    if "xl/sharedStrings.xml" not in zf.namelist():
        return []
    strings: list[str] = []
    parts: list[str] = []
    depth = {"rph": 0, "t": 0}  # inside phonetic runs (skipped) / inside <t>

    def start(tag: str, _attrs: dict[str, str]) -> None:
        local = tag.rsplit("|", 1)[-1]
        if local == "si":
            parts.clear()
        elif local == "rPh":
            depth["rph"] += 1
        elif local == "t" and not depth["rph"]:
            depth["t"] = 1

    def end(tag: str) -> None:
        local = tag.rsplit("|", 1)[-1]
        if local == "si":
            strings.append("".join(parts))
        elif local == "rPh":
            depth["rph"] -= 1
        elif local == "t":
            depth["t"] = 0

    def text(data: str) -> None:
        if depth["t"]:
            parts.append(data)

    handlers = {
        "StartElementHandler": start,
        "EndElementHandler": end,
        "CharacterDataHandler": text,
    }
    _parse_all(zf, "xl/sharedStrings.xml", handlers)
    return strings


def first_visible_sheet(zf: zipfile.ZipFile) -> tuple[str, str]:
    """``(sheet name, part path)`` of the first sheet that is not hidden."""
    sheets: list[tuple[str, str, str]] = []
    rels: dict[str, str] = {}

    def sheet_start(tag: str, attrs: dict[str, str]) -> None:
        if tag == f"{_MAIN}|sheet":
            state = attrs.get("state", "visible")
            sheets.append((attrs.get("name", ""), attrs.get(f"{_REL}|id", ""), state))

    def rel_start(tag: str, attrs: dict[str, str]) -> None:
        if tag == f"{_PKG_REL}|Relationship":
            rels[attrs["Id"]] = attrs["Target"]

    _parse_all(zf, "xl/workbook.xml", {"StartElementHandler": sheet_start})
    _parse_all(zf, "xl/_rels/workbook.xml.rels", {"StartElementHandler": rel_start})
    for name, rel_id, state in sheets:
        if state == "visible" and rel_id in rels:
            target = rels[rel_id]
            path = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
            return name, posixpath.normpath(path)
    raise UserError("the workbook has no visible sheet", hint="unhide the sheet with the data")


def _local(tag: str) -> str:
    return tag[tag.find(":") + 1 :]


class _SheetParser:
    """Expat callbacks that turn ``<row><c><v>`` into lists of values.

    The parser runs without namespace processing (faster): elements are compared by
    local name, whatever prefix a writer used (``c`` or ``x:c``).
    """

    def __init__(self, strings: list[str]) -> None:
        self.strings = strings
        self.done: list[tuple[int, list[Any]]] = []
        self.row: list[Any] = []
        self.row_number = 0
        self.cell_type = "n"
        self.cell_column = 0
        self.text: list[str] | None = None
        self.parts: list[str] = []
        self.in_cell = False

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        local = tag if len(tag) == 1 else _local(tag)
        if local == "c":
            ref = attrs.get("r")
            self.cell_column = _column_index(ref) if ref else len(self.row)
            self.cell_type = attrs.get("t", "n")
            self.in_cell = True
            self.parts = []
        elif local in ("v", "t"):
            if self.in_cell:
                self.text = self.parts
        elif local == "row":
            number = attrs.get("r")
            self.row_number = int(number) if number else self.row_number + 1
            self.row = []

    def end(self, tag: str) -> None:
        local = tag if len(tag) == 1 else _local(tag)
        if local in ("v", "t"):
            self.text = None
        elif local == "c":
            self.in_cell = False
            if self.parts:
                value = self._value("".join(self.parts))
                if value is not None:
                    row = self.row
                    if len(row) < self.cell_column:
                        row.extend([None] * (self.cell_column - len(row)))
                    row.append(value)
        elif local == "row":
            self.done.append((self.row_number, self.row))

    def chars(self, data: str) -> None:
        if self.text is not None:
            self.text.append(data)

    def _value(self, raw: str) -> Any:
        kind = self.cell_type
        if kind == "s":
            return self.strings[int(raw)]
        if kind in ("inlineStr", "str", "e", "d"):
            return raw
        if kind == "b":
            return raw == "1"
        number = float(raw)
        return int(number) if number.is_integer() and abs(number) < 2**53 else number


def iter_xlsx_rows(path: Path) -> Iterator[tuple[int, list[Any]]]:
    """Yield ``(row number, cells)`` of the first visible sheet, one block at a time."""
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise UserError(
            f"{path}: not a readable .xlsx file ({exc})",
            hint="save it again from Excel as .xlsx, or export CSV",
        ) from None
    with zf:
        _name, part = first_visible_sheet(zf)
        sheet = _SheetParser(_shared_strings(zf))
        parser = expat.ParserCreate()
        parser.StartElementHandler = sheet.start
        parser.EndElementHandler = sheet.end
        parser.CharacterDataHandler = sheet.chars
        parser.buffer_text = True
        with zf.open(part) as fh:
            while block := fh.read(_BLOCK):
                parser.Parse(block, False)
                if sheet.done:
                    yield from sheet.done
                    sheet.done = []
            parser.Parse(b"", True)
        yield from sheet.done
