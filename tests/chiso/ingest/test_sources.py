"""Reading export files: encodings, delimiters and typed spreadsheet cells."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from chiso.ingest.sources import open_rows


def test_a_utf8_file_whose_sample_ends_inside_a_character_is_still_utf8(tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    line = "Mã hồ sơ;Đơn vị tiếp nhận\n"
    body = "".join(f"HS-{i:06d};UBND xã Mường Phăng\n" for i in range(4000))
    path.write_text(line + body, encoding="utf-8")
    rows = list(open_rows(path).rows)
    assert rows[0][1] == ["Mã hồ sơ", "Đơn vị tiếp nhận"]
    assert rows[-1] == (4001, ["HS-003999", "UBND xã Mường Phăng"])


def test_a_windows_1258_file_with_semicolons_reads_as_unicode(tmp_path: Path) -> None:
    path = tmp_path / "old.csv"
    # Windows-1258 spells tones as combining marks: "ị" is "i" + U+0323
    path.write_bytes("Ma\u0303 sô\u0301;Đơn vi\u0323\nA1;Sơ\u0309 Tư pháp\n".encode("cp1258"))
    rows = [[unicodedata.normalize("NFC", c) for c in cells] for _, cells in open_rows(path).rows]
    assert rows == [["Mã số", "Đơn vị"], ["A1", "Sở Tư pháp"]]
