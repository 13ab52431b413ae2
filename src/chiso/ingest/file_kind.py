"""What a file that should be a spreadsheet really is, when it is not one.

An office sends a Word report renamed ``.xlsx``, an empty file, a PDF saved under the
export's name.  The zip or XML reader then fails with its own words ("File is not a zip
file", ``KeyError: 'xl/workbook.xml'``); :func:`not_a_workbook` says instead what the
file is, so the refusal tells the officer which file to send.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from chiso.errors import UserError
from chiso.i18n import N_, _

__all__ = ["not_a_workbook"]

#: A member that marks an Office Open XML file of another kind → what it is.
_OTHER_OFFICE = (
    ("word/document.xml", N_("a Word document")),
    ("ppt/presentation.xml", N_("a PowerPoint presentation")),
)


def _kind(path: Path) -> str | None:
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(8)
    except OSError:
        return None
    if size == 0:
        return _("an empty file (0 bytes)")
    if head.startswith(b"%PDF"):
        return _("a PDF document")
    if not zipfile.is_zipfile(path):
        return None
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
    except (zipfile.BadZipFile, OSError):
        return None
    for member, what in _OTHER_OFFICE:
        if member in names:
            return _(what)
    return None


def not_a_workbook(path: Path, expected: str) -> UserError | None:
    """The refusal of ``path`` when it is plainly not a spreadsheet (``expected``: the
    format its name promises, ``.xlsx``), else None (a damaged workbook: the caller's
    own message)."""
    kind = _kind(path)
    if kind is None:
        return None
    return UserError(
        _("{path} is {kind}, not a {expected} spreadsheet").format(
            path=path, kind=kind, expected=expected
        ),
        hint=_(
            "send the table itself: export it again from the one-stop system, or open it in "
            "Excel and save it as .xlsx or CSV"
        ),
    )
