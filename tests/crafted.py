"""Tiny crafted workbooks and documents, built byte by byte (zipfile, raw XML), that an
unbounded reader would turn into gigabytes (issue #14)."""

from __future__ import annotations

import zipfile
from collections.abc import Iterable
from pathlib import Path

_CT = (
    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
    'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
    'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
    'worksheet+xml"/></Types>'
)
_RELS = (
    '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
    '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
_BOOK = (
    '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
    '2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_BOOK_RELS = (
    '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
    '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    "</Relationships>"
)
SHEET_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://'
    b'schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
SHEET_TAIL = b"</sheetData></worksheet>"
HEADER_ROW = (
    '<row r="1"><c r="A1" t="inlineStr"><is><t>Mã hồ sơ</t></is></c>'
    '<c r="B1" t="inlineStr"><is><t>Đơn vị</t></is></c></row>'
)


def xlsx(
    path: Path,
    rows: str | Iterable[bytes],
    *,
    strings: bytes | Iterable[bytes] | None = None,
    level: int = 9,
) -> Path:
    """An .xlsx of one sheet: ``rows`` is what ``<sheetData>`` holds (or chunks of it,
    streamed into the zip: a gigabyte costs no memory), ``strings`` the whole
    ``xl/sharedStrings.xml`` (or its chunks)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as zf:
        zf.writestr("[Content_Types].xml", _CT)
        zf.writestr("_rels/.rels", _RELS)
        zf.writestr("xl/workbook.xml", _BOOK)
        zf.writestr("xl/_rels/workbook.xml.rels", _BOOK_RELS)
        _write(zf, "xl/worksheets/sheet1.xml", [SHEET_HEAD, *_chunks(rows), SHEET_TAIL])
        if strings is not None:
            _write(zf, "xl/sharedStrings.xml", _chunks(strings))
    return path


def _chunks(data: str | bytes | Iterable[bytes]) -> Iterable[bytes]:
    if isinstance(data, str):
        return [data.encode()]
    if isinstance(data, bytes):
        return [data]
    return data


def _write(zf: zipfile.ZipFile, name: str, chunks: Iterable[bytes]) -> None:
    with zf.open(name, "w", force_zip64=True) as out:
        for chunk in chunks:
            out.write(chunk)


def repeat(chunk: bytes, total: int) -> Iterable[bytes]:
    """``chunk`` repeated to about ``total`` bytes, a megabyte at a time."""
    block = chunk * max(1, (1 << 20) // len(chunk))
    for _ in range(max(1, total // len(block))):
        yield block


_ODS_TYPE = "application/vnd.oasis.opendocument.spreadsheet"


def ods(path: Path, table: str) -> Path:
    """An .ods of one sheet whose ``<table:table>`` holds ``table``."""
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:'
        'oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:'
        'opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:'
        'text:1.0" office:version="1.2"><office:body><office:spreadsheet>'
        f'<table:table table:name="S">{table}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:'
        'names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry'
        f' manifest:full-path="/" manifest:media-type="{_ODS_TYPE}"/><manifest:file-entry '
        'manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>'
    )
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("mimetype", _ODS_TYPE, compress_type=zipfile.ZIP_STORED)
        zf.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        zf.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
    return path


def ods_cell(text: str, *, repeat: int = 1) -> str:
    """A string cell, repeated across ``repeat`` columns."""
    times = f' table:number-columns-repeated="{repeat}"' if repeat > 1 else ""
    return (
        f'<table:table-cell office:value-type="string"{times}><text:p>{text}</text:p>'
        "</table:table-cell>"
    )


def docx_with(path: Path, template: Path, body_xml: bytes) -> Path:
    """A copy of the DOCX ``template`` whose ``word/document.xml`` is ``body_xml``."""
    with zipfile.ZipFile(template) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for info in src.infolist():
            data = body_xml if info.filename == "word/document.xml" else src.read(info)
            zf.writestr(info.filename, data)
    return path
