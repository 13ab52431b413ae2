"""The annex tables of the five seed reports, transcribed row by row.

Every row keeps the unit name as printed, every indicator cell in the seed's
column order ("-" or a blank cell → ``None``), the printed total, the printed
converted score and the printed class.  Numbers keep their printed form (decimal
comma; seed 001's OCR text uses a decimal point) so that the number of printed
decimals is known: ``parse_number`` turns them into exact ``Decimal`` values.

Printed numbers that ``domain.md`` §7 lists as wrong stay as printed here; the
tests assert the correct value and name the error id (E01, E05, E23).  The one
exception is seed 001, an OCR text: its decimal marks are restored (E04) and its
unit names are written with diacritics, as the unit tree's canonical short
names; the raw OCR spellings are kept in ``OCR_001``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from chiso.domain.rounding import RoundingMode

# Column orders (indicator codes of the index set) as printed in each annex.
COLUMNS_459 = (
    "ck_cs1", "ck_cs2", "ck_cs3", "tien_do", "dvtt_cs1", "dvtt_cs2",
    "sohoa_cs1", "sohoa_cs2", "hailong_cs1", "hailong_cs2", "hailong_cs3",
)  # fmt: skip
# Seed 001 prints no "Công khai, minh bạch" group at all.
COLUMNS_001 = COLUMNS_459[3:]
# Seed 003 prints "Mức độ hài lòng" before "Số hóa hồ sơ" (E21: a template property).
COLUMNS_003 = (
    "ck_cs1", "ck_cs2", "ck_cs3", "tien_do", "dvtt_cs1", "dvtt_cs2",
    "hailong_cs1", "hailong_cs2", "hailong_cs3", "sohoa_cs1", "sohoa_cs2",
)  # fmt: skip
COLUMNS_ND61 = tuple(f"tc{n}" for n in range(1, 10))


def parse_number(text: str) -> Decimal:
    """A printed number as an exact Decimal: '8,72' and '8.72' → Decimal('8.72')."""
    return Decimal(text.replace(",", "."))


@dataclass(frozen=True)
class SeedRow:
    """One printed annex row."""

    name: str
    cells: tuple[str | None, ...]
    total: str
    converted: str | None
    grade: str
    staff_average: str | None = None  # seed 004: ĐTB CCVC, not part of the total


@dataclass(frozen=True)
class Section:
    """A section of an annex ("I. Các cơ quan chuyên môn…", "II. UBND các xã")."""

    title: str
    rows: tuple[SeedRow, ...]


@dataclass(frozen=True)
class Seed:
    """One seed annex with the report settings needed to reproduce it."""

    seed_id: str
    index_set: str
    columns: tuple[str, ...]
    sections: tuple[Section, ...]
    on: date
    within: str
    period: str
    period_label: str
    scale: Decimal
    rounding_mode: RoundingMode
    rounding_decimals: int
    use_printed_total: bool

    @property
    def rows(self) -> tuple[SeedRow, ...]:
        """Every row of every section, in printed order."""
        return tuple(r for s in self.sections for r in s.rows)


def _r(
    name: str,
    cells: str,
    total: str,
    converted: str | None,
    grade: str,
    staff_average: str | None = None,
) -> SeedRow:
    """A row from its cells written as printed, separated by blanks; '-' is None."""
    parsed = tuple(None if c == "-" else c for c in cells.split())
    return SeedRow(name, parsed, total, converted, grade, staff_average)


# --- seed 000: UBND huyện Mường Ảng, tháng 11/2024, truncated to 2 decimals -----------------
SEED_000 = Seed(
    "000", "dienbien-459-2023", COLUMNS_459,
    (Section("UBND CÁC XÃ, THỊ TRẤN", (
        _r("UBND xã Mường Lạn", "- - - 30 10 10 5 10 5 5 5", "80/80", "100", "XS"),
        _r("UBND xã Xuân Lao", "- - - 30 10 10 5 10 5 5 5", "80/80", "100", "XS"),
        _r("UBND xã Nậm Lịch", "- - - 30 10 10 5 10 5 5 5", "80/80", "100", "XS"),
        _r("UBND xã Ảng Tờ", "- - - 30 10 10 5 10 5 5 5", "80/80", "100", "XS"),
        _r("UBND xã Ngòi Cáy", "- - - 30 10 8,66 5 10 5 5 5", "78,66/80", "98,32", "XS"),
        # E01: total and converted copied from the next row; the cells give 78,57 → 98,21.
        _r("UBND Thị trấn Mường Ảng", "- - - 30 10 8,57 5 10 5 5 5", "78,5/80", "98,12", "XS"),
        _r("UBND xã Búng Lao", "- - - 30 10 8,5 5 10 5 5 5", "78,5/80", "98,12", "XS"),
        _r("UBND xã Ảng Nưa", "- - - 30 10 7,5 5 10 5 5 5", "77,5/80", "96,87", "XS"),
        _r("UBND xã Ảng Cang", "- - - 30 9,27 7,69 5 10 5 5 5", "76,96/80", "96,2", "XS"),
        _r("UBND xã Mường Đăng", "- - - 27,14 9,52 4 5 10 5 5 4,52", "70,18/80", "87,72", "Tốt"),
    )),),
    date(2024, 11, 30), "102", "2024-11", "tháng 11 năm 2024",
    Decimal(100), "truncate", 2, use_printed_total=False,
)  # fmt: skip

# --- seed 001: UBND TP Điện Biên Phủ, tháng 12/2023, 10-point scale -------------------------
# OCR text without diacritics: names are written as the unit tree's canonical short names
# with "UBND xã/phường", decimal marks restored (E04); raw OCR cells and names in OCR_001.
SEED_001 = Seed(
    "001", "dienbien-459-2023", COLUMNS_001,
    (Section("UBND CÁC XÃ, PHƯỜNG", (
        _r("UBND xã Pá Khoang", "30 10.0 2.0 5.0 10.0 5 5 5", "72.00", "9.00", "Xuất sắc"),
        _r("UBND phường Him Lam", "30 9.4 1.8 4.7 10.0 5 5 5", "70.91", "8.86", "Tốt"),
        _r("UBND xã Thanh Minh", "30 10.0 0.0 5.0 10.0 5 5 5", "70.00", "8.75", "Tốt"),
        _r("UBND phường Nam Thanh", "30 9.2 2.3 3.4 10.0 5 5 5", "69.88", "8.73", "Tốt"),
        _r("UBND phường Mường Thanh", "30 9.8 0.2 5.0 9.8 5 5 5", "69.79", "8.72", "Tốt"),
        _r("UBND phường Thanh Trường", "30 7.3 1.7 5.0 10.0 5 5 5", "69.00", "8.63", "Tốt"),
        _r("UBND xã Nà Nhạn", "30 7.8 1.4 3.3 10.0 5 5 5", "67.54", "8.44", "Tốt"),
        # E04: OCR "7.9" is 7,99 (63,93/80 × 10); E05: Khá from the published total.
        _r("UBND phường Tân Thanh", "30 9.3 0.0 0.4 9.3 5 5 5", "63.93", "7.99", "Khá"),
        _r("UBND phường Noong Bua", "27.7 9.2 0.0 0.0 10.0 5 5 5", "61.92", "7.74", "Khá"),
        _r("UBND phường Thanh Bình", "26.7 6.7 2.2 2.5 6.7 5 5 4.9", "59.62", "7.45", "Khá"),
        _r("UBND xã Mường Phăng", "30 6.1 0.5 0.2 6.1 5 5 5", "57.90", "7.24", "Khá"),
        _r("UBND xã Nà Tấu", "30 3.9 0.0 0.4 3.9 5 5 5", "53.21", "6.65", "TB"),
    )),),
    date(2023, 12, 31), "094", "2023-12", "tháng 12 năm 2023",
    Decimal(10), "half_up", 2, use_printed_total=True,
)  # fmt: skip

#: Seed 001 as OCR'd: row → (printed name, {column: raw OCR text → restored value}) (E04).
OCR_001: dict[str, tuple[str, dict[str, tuple[str, str]]]] = {
    "UBND xã Pá Khoang": ("UBND xa P4 Khoang", {}),
    "UBND phường Him Lam": ("UBND phuong Him Lam", {"sohoa_cs1": ("47", "4.7")}),
    "UBND xã Thanh Minh": (
        "UBND x& Thanh Minh",
        {"total": ("7000", "70.00"), "converted": ("875", "8.75")},
    ),
    "UBND phường Nam Thanh": ("UBND phuong Nam Thanh", {}),
    "UBND phường Mường Thanh": ("UBND phuong Muong Thanh", {"converted": ("872", "8.72")}),
    "UBND phường Thanh Trường": ("UBND phuong Thanh Truong", {}),
    "UBND xã Nà Nhạn": ("UBND xi Na Nhan", {"sohoa_cs1": ("33", "3.3")}),
    "UBND phường Tân Thanh": ("UBND phuong Tan Thanh", {"converted": ("7.9", "7.99")}),
    "UBND phường Noong Bua": ("UBND phuong Noong Bua", {}),
    "UBND phường Thanh Bình": (
        "UBND phuong Thanh Binh",
        {"hailong_cs3": ("49", "4.9"), "total": ("5962", "59.62")},
    ),
    "UBND xã Mường Phăng": ("UBND xd Muong Phing", {}),
    "UBND xã Nà Tấu": ("UBND xi Na T4u", {"total": ("5321", "53.21")}),
}

# --- seed 002: UBND huyện Tuần Giáo, tháng 9/2023, Biểu số 01, half-up 1 decimal ------------
# ck_cs1 and ck_cs3 are blank cells (not applicable), written "-" here.
SEED_002 = Seed(
    "002", "dienbien-459-2023", COLUMNS_459,
    (Section("UBND CÁC XÃ, THỊ TRẤN", (
        _r("UBND xã Mường Mùn", "- 5 - 30,0 10,0 8,72 2,8 10,0 5 5 5", "81,52", "95,9", "Xuất sắc"),
        _r("UBND xã Ta Ma", "- 5 - 30,0 10,0 8 2,9 10,0 5 5 5", "80,88", "95,2", "Xuất sắc"),
        _r("UBND xã Tênh Phong", "- 5 - 30,0 10,0 6 4,0 10,0 5 5 5", "80,00", "94,1", "Xuất sắc"),
        _r("UBND xã Nà Sáy", "- 5 - 30,0 10,0 5,38 4,4 10,0 5 5 5", "79,79", "93,9", "Xuất sắc"),
        _r("UBND xã Phình Sáng", "- 5 - 30,0 10,0 4,545 4,4 10,0 5 5 5", "78,90", "92,8",
           "Xuất sắc"),
        _r("UBND xã Rạng Đông", "- 5 - 30,0 8,9 6,31 4,4 8,3 5 5 5", "77,97", "91,7", "Xuất sắc"),
        _r("UBND xã Pú Nhung", "- 5 - 30,0 10,0 5,62 1,7 10,0 5 5 5", "77,29", "90,9", "Xuất sắc"),
        _r("UBND xã Quài Nưa", "- 5 - 30,0 8,6 2,85 3,9 10,0 5 5 5", "75,33", "88,6", "Tốt"),
        _r("UBND thị trấn Tuần Giáo", "- 5 - 29,6 10,0 1,6 3,8 9,7 5 5 5", "74,71", "87,9", "Tốt"),
        _r("UBND xã Chiềng Đông", "- 5 - 29,3 10,0 5,31 2,8 7,2 5 5 5", "74,68", "87,9", "Tốt"),
        _r("UBND xã Pú Xi", "- 5 - 30,0 10,0 0 4,5 10,0 5 5 5", "74,46", "87,6", "Tốt"),
        _r("UBND xã Mùn Chung", "- 5 - 30,0 10,0 0,63 4,1 8,8 5 5 5", "73,51", "86,5", "Tốt"),
        _r("UBND xã Mường Khong", "- 5 - 30,0 10,0 2,5 0,0 10,0 5 5 5", "72,50", "85,3", "Tốt"),
        _r("UBND xã Mường Thín", "- 5 - 27,3 9,0 3,846 2,8 9,5 5 5 4,8", "72,25", "85,0", "Tốt"),
        _r("UBND xã Quài Cang", "- 5 - 30,0 10,0 2,79 1,1 6,5 5 5 5", "70,33", "82,7", "Tốt"),
        _r("UBND xã Tỏa Tình", "- 5 - 29,4 9,4 0,37 2,0 4,9 5 5 5", "66,05", "77,7", "Khá"),
        _r("UBND xã Nà Tông", "- 5 - 30,0 10,0 1,14 0,9 3,2 5 5 4,88", "65,19", "76,7", "Khá"),
        _r("UBND xã Chiềng Sinh", "- 5 - 30,0 10,0 0 0,5 1,5 5 5 5", "61,94", "72,9", "Khá"),
        _r("UBND xã Quài Tở", "- 5 - 30,0 3,3 0 5,0 3,3 5 5 5", "61,66", "72,5", "Khá"),
    )),),
    date(2023, 9, 30), "099", "2023-09", "tháng 9 năm 2023",
    Decimal(100), "half_up", 1, use_printed_total=True,
)  # fmt: skip

# --- seed 003: UBND huyện Điện Biên, annex to BC 661/BC-UBND 26/11/2024, half-up 1 ----------
# The month evaluated is not printed (E21): the period code names the report instead.
_FULL_003 = "- 5 - 30 10 10 5 5 5 5 10"
SEED_003 = Seed(
    "003", "dienbien-459-2023", COLUMNS_003,
    (
        Section("CÁC CƠ QUAN CHUYÊN MÔN THUỘC HUYỆN", (
            _r("Phòng Tư pháp", _FULL_003, "85", "100", "Xuất sắc"),
            _r("Nội vụ", _FULL_003, "85", "100", "Xuất sắc"),
            _r("Kinh tế và Hạ tầng", _FULL_003, "85", "100", "Xuất sắc"),
        )),
        Section("UBND các xã", (
            _r("Thanh Chăn", _FULL_003, "85", "100,0", "Xuất sắc"),
            _r("Pa Thơm", _FULL_003, "85", "100,0", "Xuất sắc"),
            _r("Noong Hẹt", "- 5 - 30 10 10 5 5 5 5 9,7", "84,7", "99,6", "Xuất sắc"),
            _r("Núa Ngam", "- 5 - 30 10 10 5 5 5 5 9,5", "84,5", "99,4", "Xuất sắc"),
            _r("Thanh Luông", "- 5 - 30 10 9,5 5 5 5 5 10", "84,5", "99,4", "Xuất sắc"),
            _r("Thanh Nưa", "- 5 - 30 10 10 5 5 5 5 9,2", "84,2", "99,1", "Xuất sắc"),
            _r("Pom Lót", "- 5 - 30 10 10 5 5 5 5 9,1", "84,1", "98,9", "Xuất sắc"),
            _r("Thanh Yên", "- 5 - 29,5 10 10 5 5 5 5 8,6", "83,1", "97,8", "Xuất sắc"),
            _r("Thanh Xương", "- 5 - 30 10 9,2 5 5 5 5 8,6", "82,8", "97,4", "Xuất sắc"),
            _r("Na Ú", "- 5 - 30 10 10 5 5 5 2,9 9,4", "82,3", "96,8", "Xuất sắc"),
            _r("Mường Nhà", "- 5 - 30 10 10 5 5 5 5 6,5", "81,5", "95,9", "Xuất sắc"),
            _r("Thanh An", "- 5 - 29,2 10 10 5 5 5 5 7,1", "81,3", "95,6", "Xuất sắc"),
            _r("Mường Pòn", "- 5 - 30 10 8,1 5 5 5 4,9 7,4", "80,4", "94,6", "Xuất sắc"),
            _r("Na Tông", "- 5 - 26,7 10 10 5 5 5 5 7,8", "79,5", "93,5", "Xuất sắc"),
            _r("Sam Mứn", "- 5 - 30 10 6 5 5 5 4,5 9", "79,5", "93,5", "Xuất sắc"),
            _r("Thanh Hưng", "- 5 - 26,5 10 10 5 5 0 5 10", "76,5", "90,0", "Xuất sắc"),
            _r("Mường Lói", "- 5 - 27,9 10 8,9 5 5 0 5 8,9", "75,7", "89,1", "Tốt"),
            _r("Noong Luống", "- 5 - 30 10 3,3 5 5 5 5 6", "74,3", "87,4", "Tốt"),
            _r("Hệ Muông", "- 5 - 30 10 0 5 5 5 4,6 8,8", "73,4", "86,4", "Tốt"),
            _r("Phu Luông", "- 5 - 30 10 0 5 5 5 4 7,5", "71,5", "84,1", "Tốt"),
            _r("Hua Thanh", "- 5 - 24 10 0 5 5 5 4,7 9", "67,7", "79,6", "Khá"),
        )),
    ),
    date(2024, 11, 26), "100", "bc661-2024-11-26",
    "kèm theo Báo cáo số 661/BC-UBND ngày 26/11/2024 (tháng không ghi)",
    Decimal(100), "half_up", 1, use_printed_total=False,
)  # fmt: skip

# --- seed 004: UBND tỉnh Điện Biên, BC 401/BC-UBND 28/12/2022, năm 2022, NĐ 61 model --------
# No converted column; the last printed number is ĐTB CCVC (10-point staff average).
_ALL_2 = "2 2 2 2 2 2 2 2 2"
SEED_004 = Seed(
    "004", "nd61-tt01-2018", COLUMNS_ND61,
    (
        Section("CÁC CƠ QUAN CHUYÊN MÔN THUỘC UBND TỈNH", (
            _r("Sở Tư pháp", _ALL_2, "18", None, "Xuất sắc", "10"),
            _r("Sở Thông tin và Truyền thông", _ALL_2, "18", None, "Xuất sắc", "10"),
            _r("Sở Văn hóa, Thể thao và Du lịch", _ALL_2, "18", None, "Xuất sắc", "10"),
            _r("Sở Công Thương", _ALL_2, "18", None, "Xuất sắc", "10"),
            _r("Sở Y tế", _ALL_2, "18", None, "Xuất sắc", "10"),
            _r("Sở Lao động, TB và XH", _ALL_2, "18", None, "Xuất sắc", "10"),
            _r("Sở Nội vụ", "1,92 1,92 2 2 2 2 2 2 2", "17,84", None, "Xuất sắc", "9,8"),
            _r("Sở Khoa học và Công nghệ", "1,9 1,9 2 2 1,9 2 2 2 2", "17,7", None,
               "Xuất sắc", "9,8"),
            _r("Sở Kế hoạch và Đầu tư", "1,8 1,8 2 2 1,8 2 2 2 2", "17,4", None, "Xuất sắc",
               "10"),
            _r("Sở Xây dựng", "1,93 1,53 1,93 2 1,93 2 2 2 2", "17,32", None, "Xuất sắc", "9,65"),
            _r("Sở Tài chính", "2 2 2 2 2 2 2 2 1", "17", None, "Xuất sắc", "10"),
            _r("Sở Tài nguyên và Môi trường", "2 2 2 2 2 2 2 2 1", "17", None, "Xuất sắc", "10"),
            _r("Sở Nông nghiệp và PTNT", "1,98 2 2 2 2 2 1 2 2", "16,98", None, "Xuất sắc", "10"),
            _r("Sở Giáo dục và Đào tạo", "2 2 2 2 2 2 2 0 2", "16", None, "Xuất sắc", "10"),
            # E23: the cells sum to 15,97 (hidden decimals); printed 15,98.
            _r("Sở Giao thông vận tải", "1,99 1,99 2 2 1,99 2 2 2 0", "15,98", None,
               "Xuất sắc", "10"),
            _r("Thanh tra tỉnh", "1,9 2 2 2 1,9 2 2 2 0", "15,8", None, "Xuất sắc", "10"),
            # E24: exactly 15 is Xuất sắc.
            _r("Ban Dân tộc", "2 2 2 2 2 1 2 2 0", "15", None, "Xuất sắc", "9"),
            _r("Sở Ngoại vụ", "1,64 1,64 2 2 1,65 2 1 2 0", "13,93", None, "Tốt", "10"),
        )),
        Section("ỦY BAN NHÂN DÂN CÁC HUYỆN, THỊ XÃ, THÀNH PHỐ", (
            _r("UBND huyện Tủa Chùa", "1,99 1,99 2 2 1,99 2 2 2 2", "17,97", None, "Xuất sắc",
               "9,72"),
            _r("UBND huyện Tuần Giáo", "1,98 1,98 2 2 1,98 2 2 2 1", "16,94", None, "Xuất sắc",
               "9,97"),
            _r("UBND thị xã Mường Lay", "1,96 1,96 2 2 1,96 2 2 2 1", "16,88", None,
               "Xuất sắc", "10"),
            _r("UBND huyện Điện Biên", "1,98 1,98 2 2 1,98 2 2 1,5 1", "16,44", None,
               "Xuất sắc", "9,99"),
            _r("UBND huyện Nậm Pồ", "2 2 2 2 2 2 2 2 0", "16", None, "Xuất sắc", "10"),
            _r("UBND huyện Mường Nhé", "2 2 2 2 2 2 2 2 0", "16", None, "Xuất sắc", "9,9"),
            _r("UBND huyện Mường Ảng", "1,98 1,98 2 2 1,98 2 2 2 0", "15,94", None, "Xuất sắc",
               "10"),
            _r("UBND thành phố Điện Biên Phủ", "1,95 1,95 2 2 2 2 2 2 0", "15,9", None,
               "Xuất sắc", "9,94"),
            _r("UBND huyện Điện Biên Đông", "1,92 1,92 2 2 2 2 1 2 0", "14,84", None, "Tốt",
               "10"),
            _r("UBND huyện Mường Chà", "1,79 1,79 1,98 1,98 1,79 2 1 2 0", "14,33", None, "Tốt",
               "9,93"),
        )),
    ),
    date(2022, 12, 31), "11", "2022", "năm 2022",
    Decimal(100), "half_up", 2, use_printed_total=False,
)  # fmt: skip

SEEDS = {s.seed_id: s for s in (SEED_000, SEED_001, SEED_002, SEED_003, SEED_004)}

#: Grade counts and unit lists stated in each report's narrative (section 1 / 3.1).
#: Lists are printed names; counts are per section.  Seed 003 has no narrative.
NARRATIVE_000 = {
    "excellent": (
        "UBND xã Mường Lạn", "UBND xã Xuân Lao", "UBND xã Nậm Lịch",
        "UBND xã Ảng Tở",  # E02: "Ảng Tở" here, "Ảng Tờ" in the table (GSO Ẳng Tở)
        "UBND xã Ngòi Cáy", "UBND thị trấn Mường Ảng", "UBND xã Búng Lao", "UBND xã Ảng Nưa",
        "UBND xã Ảng Cang",
    ),
    "good": ("UBND xã Mường Đăng",),
    "fair": (),  # "Xếp loại Khá: Không."
    "average": (),  # "Xếp loại Trung bình: Không."
}  # fmt: skip
NARRATIVE_001 = {
    "excellent": ("UBND xã Pá Khoang",),
    "good": (
        "UBND phường Him Lam", "UBND xã Thanh Minh", "UBND phường Nam Thanh",
        "UBND phường Mường Thanh", "UBND phường Thanh Trường", "UBND xã Nà Nhạn",
    ),
    "fair": (
        "UBND phường Tân Thanh", "UBND phường Thanh Bình", "UBND phường Noong Bua",
        "UBND xã Mường Phăng",
    ),
    "average": ("UBND xã Nà Tấu",),
}  # fmt: skip
#: "… 19/19 đơn vị, trong đó 07 đơn vị xếp loại xuất sắc, 08 … tốt, 04 … khá."
COUNTS_002 = {"excellent": 7, "good": 8, "fair": 4}
#: "17/18 đơn vị đạt loại Xuất sắc, 01/18 … Tốt"; "08/10 … Xuất sắc, 02/10 … Tốt".
COUNTS_004 = ({"excellent": 17, "good": 1}, {"excellent": 8, "good": 2})
