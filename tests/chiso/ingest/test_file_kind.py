"""A file that is not a spreadsheet at all is named for what it is: an officer who sent a
Word report renamed .xlsx, an empty file or a PDF reads which file to send instead, not
"File is not a zip file" or ``KeyError: 'xl/workbook.xml'``."""

from __future__ import annotations

import re
from pathlib import Path

import docx
import pytest

from chiso.errors import UserError
from chiso.ingest.sources import open_rows
from chiso.ingest.workbook_guard import check_workbook


def _word(path: Path) -> Path:
    document = docx.Document()
    document.add_paragraph("Báo cáo kết quả tháng 10")
    document.save(str(path))
    return path


@pytest.mark.parametrize(
    ("write", "kind"),
    [
        (lambda p: _word(p), "là một văn bản Word"),
        (lambda p: p.write_bytes(b""), "là một tệp rỗng (0 byte)"),
        (lambda p: p.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"), "là một tài liệu PDF"),
    ],
    ids=["word", "empty", "pdf"],
)
def test_a_file_that_is_no_spreadsheet_says_what_it_is(
    tmp_path: Path, write: object, kind: str
) -> None:
    path = tmp_path / "mot-cua-2026-10.xlsx"
    write(path)  # type: ignore[operator]
    with pytest.raises(UserError) as read:
        list(open_rows(path).rows)
    assert f"mot-cua-2026-10.xlsx {kind}, không phải bảng tính .xlsx" in str(read.value)
    assert "xuất lại từ hệ thống một cửa" in (read.value.hint or "")
    with pytest.raises(UserError, match=re.escape(kind)):
        check_workbook(path, hint="—")


def test_a_damaged_workbook_keeps_its_own_message(tmp_path: Path) -> None:
    path = tmp_path / "hong.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(UserError) as read:
        list(open_rows(path).rows)
    assert "không phải bảng tính" not in str(read.value)
