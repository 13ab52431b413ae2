"""The bounds every reader of an outside file or body holds (issue #14, docs/security.md).

A crafted file of a few kilobytes must not take gigabytes or minutes: one cell at column
``ZZZZZZ``, a zip member that inflates a thousandfold, a billion shared strings, a JSON
body nested ten thousand deep.  Each reader checks these limits *before* it allocates
what they bound, and refuses with :func:`refusal` — a Vietnamese :class:`UserError` that
names the file, the limit and what to do — never a traceback or a server error.

The values sit well above what real exports and reports hold (docs/security.md gives the
reason of each); change them here only, with the table in docs/security.md.
"""

from __future__ import annotations

import zipfile
from typing import Final

from chiso.errors import UserError
from chiso.i18n import _

__all__ = [
    "MAX_CELL_CHARS",
    "MAX_COLUMNS",
    "MAX_CSV_LINE_CHARS",
    "MAX_CSV_ROWS",
    "MAX_GRID_CELLS",
    "MAX_JSON_BYTES",
    "MAX_JSON_DEPTH",
    "MAX_KEPT_ISSUES",
    "MAX_MEMBER_BYTES",
    "MAX_NUMBER_DIGITS",
    "MAX_PDF_PAGES",
    "MAX_RATIO",
    "MAX_REPORT_MEMBER_BYTES",
    "MAX_SHARED_STRINGS",
    "MAX_SHEET_ROWS",
    "MAX_STRINGS_BYTES",
    "MAX_TEXT_CHARS",
    "MAX_UNZIPPED_BYTES",
    "MAX_ZIP_MEMBERS",
    "RATIO_FLOOR",
    "check_zip",
    "count",
    "is_panic",
    "refusal",
]

MiB: Final = 1 << 20

# --- spreadsheets -----------------------------------------------------------------------
#: Columns of a sheet (the .xls format's own limit, IV); exports have under 60.
MAX_COLUMNS: Final = 256
#: Rows of a sheet (Excel's own limit): a row number above it is not from Excel.
MAX_SHEET_ROWS: Final = 1_048_576
#: Characters in one cell (Excel's own limit).
MAX_CELL_CHARS: Final = 32_767
#: Shared strings of an .xlsx (held in memory while the sheet is read).
MAX_SHARED_STRINGS: Final = 4_000_000
#: Unzipped bytes of ``xl/sharedStrings.xml`` (read whole).
MAX_STRINGS_BYTES: Final = 128 * MiB
#: Grid cells (rows × columns, every sheet) of a workbook read whole by python-calamine
#: (.xls and .ods imports, every workbook of the report checker).
MAX_GRID_CELLS: Final = 4_000_000

# --- zip containers (.xlsx, .ods, .docx) ------------------------------------------------
#: Members of one zip file.
MAX_ZIP_MEMBERS: Final = 10_000
#: Unzipped bytes of one member (a sheet of a million rows is about 700 MB).
MAX_MEMBER_BYTES: Final = 1024 * MiB
#: Unzipped bytes of every member together.
MAX_UNZIPPED_BYTES: Final = 2048 * MiB
#: Unzipped bytes of one member of a received report (DOCX, workbook): reports are small.
MAX_REPORT_MEMBER_BYTES: Final = 64 * MiB
#: Unzipped / zipped size of a member larger than :data:`RATIO_FLOOR` (a zip bomb).
MAX_RATIO: Final = 100
RATIO_FLOOR: Final = 16 * MiB

# --- text -------------------------------------------------------------------------------
#: Data rows of one CSV file.
MAX_CSV_ROWS: Final = 5_000_000
#: Characters of one physical CSV line (a record may span lines inside quotes).
MAX_CSV_LINE_CHARS: Final = 1 << 20
#: Characters of a plain-text or PDF report.
MAX_TEXT_CHARS: Final = 20_000_000
#: Pages of a PDF report.
MAX_PDF_PAGES: Final = 1_000

# --- JSON (portal captures, push API bodies) --------------------------------------------
#: Bytes of a saved portal response.
MAX_JSON_BYTES: Final = 64 * MiB
#: Nesting depth of arrays and objects (portal shapes use 6, a push 3).
MAX_JSON_DEPTH: Final = 64
#: Digits of one JSON number (Python itself refuses integers over 4,300 digits).
MAX_NUMBER_DIGITS: Final = 100

# --- reports of problems ----------------------------------------------------------------
#: Row problems kept (listed, written to the rejects file) per import; the rest are counted.
MAX_KEPT_ISSUES: Final = 10_000


def count(n: int) -> str:
    """``1048576`` → ``"1.048.576"`` (Vietnamese thousands separator)."""
    return f"{n:,}".replace(",", ".")


def refusal(file: str, what: str, limit: str, hint: str) -> UserError:
    """The error for a file over a limit: ``Không đọc được tệp F: what (giới hạn L).``;
    ``what``, ``limit`` and ``hint`` are already translated."""
    return UserError(
        _("Cannot read the file {file}: {what} (limit {limit}).").format(
            file=file, what=what, limit=limit
        ),
        hint=hint,
    )


def _size(n: int) -> str:
    return f"{count(n // MiB)} MB" if n >= MiB else f"{count(n)} byte"


def check_zip(
    zf: zipfile.ZipFile, file: str, *, member_bytes: int = MAX_MEMBER_BYTES, hint: str
) -> None:
    """Refuse a zip whose declared sizes pass the limits.

    The declared sizes bound what reading gives: :mod:`zipfile` stops a member at its
    declared size (and then fails its CRC), so a member cannot inflate beyond them.
    """
    infos = zf.infolist()
    if len(infos) > MAX_ZIP_MEMBERS:
        what = _("has {count} compressed parts").format(count=count(len(infos)))
        raise refusal(file, what, count(MAX_ZIP_MEMBERS), hint)
    total = 0
    for info in infos:
        size = info.file_size
        if size > member_bytes:
            what = _("the part {name!r} unzips to {size}").format(
                name=info.filename, size=_size(size)
            )
            raise refusal(file, what, _size(member_bytes), hint)
        if size > RATIO_FLOOR and size > MAX_RATIO * max(info.compress_size, 1):
            ratio = size // max(info.compress_size, 1)
            what = _("the part {name!r} is compressed {ratio} times (a sign of a zip bomb)").format(
                name=info.filename, ratio=count(ratio)
            )
            raise refusal(file, what, _("{ratio} times").format(ratio=MAX_RATIO), hint)
        total += size
    if total > MAX_UNZIPPED_BYTES:
        what = _("unzips to {size}").format(size=_size(total))
        raise refusal(file, what, _size(MAX_UNZIPPED_BYTES), hint)


def is_panic(exc: BaseException) -> bool:
    """A Rust panic in python-calamine on a malformed file (pyo3's ``PanicException``
    derives from ``BaseException``, so ``except Exception`` lets it through)."""
    return type(exc).__name__ == "PanicException"
