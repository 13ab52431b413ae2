"""Seed 002's Biểu 02 (fees) and Biểu 03 (digitisation), as printed.

Each row keeps the unit name as printed (Tân Phong, Nhà Sáy, Nhà Tông, Quài Tờ are E18
spellings) and its cells as printed ("-" for no amount, decimal comma in the rates).
The printed totals are kept to show what the seed got wrong (E15, E16); the tests
assert the correct ones.  The column totals (Tổng) of Biểu 02 are redundant and are
checked against the other cells.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PrintedRow:
    """A printed row: the unit name and its cells as text."""

    name: str
    cells: tuple[str, ...]


def _fee(name: str, cells: str) -> PrintedRow:
    return PrintedRow(name, tuple(cells.split()))


def _digi(name: str, cells: str) -> PrintedRow:
    return PrintedRow(name, tuple(cells.split()))


#: Biểu 02 columns: unpaid (dossiers, fee), direct (dossiers, fee), online (procedures,
#: dossiers, fee), total (procedures, dossiers, fee).
FEES_002 = (
    _fee("UBND thị trấn Tuần Giáo", "1 50.000 48 980.100 3 9 199.000 11 58 1.229.100"),
    _fee("UBND xã Chiềng Sinh", "0 - 9 - 5 22 246.000 6 31 246.000"),
    _fee("UBND xã Chiềng Đông", "0 - 2 - 1 2 30.000 2 4 30.000"),
    _fee("UBND xã Mùn Chung", "2 3.000 61 315.000 1 6 90.000 5 69 408.000"),
    _fee("UBND xã Mường Khong", "8 113.000 27 48.000 0 0 - 4 35 161.000"),
    _fee("UBND xã Mường Mùn", "5 37.000 7 - 4 34 314.000 7 46 351.000"),
    _fee("UBND xã Mường Thín", "0 - 0 - 2 7 56.000 2 7 56.000"),
    _fee("UBND xã Nà Sáy", "0 - 2 - 3 7 84.000 4 9 84.000"),
    _fee("UBND xã Nà Tông", "15 50.000 14 - 2 7 107.000 5 36 157.000"),
    _fee("UBND xã Phình Sáng", "4 32.000 41 174.000 4 4 53.000 8 49 259.000"),
    _fee("UBND xã Pú Nhung", "2 31.000 12 - 3 7 99.000 7 21 130.000"),
    _fee("UBND xã Pú Xi", "68 572.000 91 504.000 0 0 - 6 159 1.076.000"),
    _fee("UBND xã Quài Cang", "12 101.100 14 140.050 2 7 70.000 7 33 311.150"),
    _fee("UBND xã Quài Nưa", "0 - 11 45.000 4 11 522.000 6 22 567.000"),
    _fee("UBND xã Quài Tở", "23 261.000 76 32.000 0 0 - 4 99 293.000"),
    _fee("UBND xã Rạng Đông", "0 - 2 - 3 6 69.000 4 8 69.000"),
    _fee("UBND xã Ta Ma", "6 55.000 5 38.000 5 14 155.024 7 25 248.024"),
    _fee("UBND xã Tân Phong", "0 - 22 16.000 3 5 54.000 5 27 70.000"),
    _fee("UBND xã Tỏa Tình", "29 139.000 17 24.000 1 4 32.000 7 50 195.000"),
)  # fmt: skip

#: Biểu 03 columns: (1) received, (2) digitised at intake, (3) rate, (5) not digitised,
#: (6) finished, (7) with digitised result, (8) rate, (9) without.
DIGITISATION_002 = (
    _digi("UBND thị trấn Tuần Giáo", "58 58 100 0 58 57 98,28 1"),
    _digi("UBND xã Chiềng Sinh", "31 31 100 0 31 31 100 0"),
    _digi("UBND xã Chiềng Đông", "9 9 100 0 9 9 100 0"),
    _digi("UBND xã Mùn Chung", "79 79 100 0 79 74 93,67 5"),
    _digi("UBND xã Mường Khong", "36 7 19,44 29 36 32 88,89 4"),
    _digi("UBND xã Mường Mùn", "54 53 98,15 1 53 47 88,68 6"),
    _digi("UBND xã Mường Thín", "11 9 81,82 2 7 6 85,71 1"),
    _digi("UBND xã Nhà Sáy", "12 12 100 0 12 12 100 0"),
    _digi("UBND xã Nhà Tông", "41 27 65,85 14 41 35 85,37 6"),
    _digi("UBND xã Phình Sáng", "75 74 98,67 1 49 48 97,96 1"),
    _digi("UBND xã Pú Nhung", "26 26 100 0 26 19 73,08 7"),
    _digi("UBND xã Pú Xi", "159 159 100 0 159 148 93,08 11"),
    _digi("UBND xã Quài Cang", "33 14 42,42 19 33 32 96,97 1"),
    _digi("UBND xã Quài Nưa", "35 35 100 0 33 33 100 0"),
    _digi("UBND xã Quài Tờ", "129 127 98,45 2 129 127 98,45 2"),
    _digi("UBND xã Rạng Đông", "8 8 100 0 7 7 100 0"),
    _digi("UBND xã Ta Ma", "29 29 100 0 29 29 100 0"),
    _digi("UBND xã Tênh Phong", "28 28 100 0 28 24 85,71 4"),
    _digi("UBND xã Tỏa Tình", "50 21 42 29 50 30 60 20"),
)  # fmt: skip
#: The printed TỔNG SỐ row of Biểu 03 (E15: it does not add up; E16: "92.58%").
DIGITISATION_002_PRINTED_TOTAL = ("1335", "1236", "92.58%", "99", "1236", "1108", "89.64%", "128")
