"""Build real-looking messy exports of one-stop systems from canonical dossier rows."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

CHANNELS = {"online": "Trực tuyến", "direct": "Trực tiếp", "postal": "Bưu chính công ích"}
PAYMENTS = {"none": "Không", "direct": "Tiền mặt", "online": "Thanh toán trực tuyến"}
STATUSES = {
    "received": "Mới tiếp nhận",
    "processing": "Đang xử lý",
    "supplement": "Yêu cầu bổ sung",
    "finished": "Đã giải quyết",
    "returned": "Đã trả kết quả",
    "rejected": "Từ chối",
    "withdrawn": "Rút hồ sơ",
}
HEADERS = [
    ("STT", None),
    ("Mã hồ sơ", "dossier_code"),
    ("Cơ quan giải quyết", "unit_name"),
    ("Nơi tiếp nhận", "receiving_point"),
    ("Mã TTHC", "procedure_code"),
    ("Hình thức nộp", "channel"),
    ("NGÀY TIẾP NHẬN", "received_at"),
    ("Ngày hẹn trả kết quả", "due_at"),
    ("Ngày kết thúc xử lý", "finished_at"),
    ("Ngày trả kết quả", "returned_at"),
    ("Trạng thái", "status"),
    ("Số lần yêu cầu bổ sung", "supplement_count"),
    ("Phí, lệ phí (đồng)", "fee_amount"),
    ("Hình thức thanh toán", "payment"),
    ("Số hóa thành phần", "components_digitized"),
    ("Số hóa kết quả", "result_digitized"),
    ("Tái sử dụng dữ liệu", "reused_data"),
    ("Đồng bộ DVCQG", "synced"),
    ("Ghi chú nội bộ", None),
]
TITLE = ["UBND TỈNH ĐIỆN BIÊN", "DANH SÁCH HỒ SƠ TIẾP NHẬN", "Từ ngày 01/09/2026 đến 31/10/2026"]


def _date(value: datetime | None) -> str:
    return "" if value is None else value.strftime("%d/%m/%Y %H:%M")


def _money(value: float | None) -> str:
    if not value:
        return "0"
    return f"{value:,.0f}".replace(",", ".")


def cells(row: dict[str, Any], n: int, unit_names: dict[str, str]) -> list[str]:
    """One dossier as the text cells of a Vietnamese export."""
    out = []
    for _, field in HEADERS:
        value = row.get(field) if field else None
        if field is None:
            out.append(str(n) if not out else "")
        elif field == "unit_name":
            out.append(unit_names[row["unit_code"]])
        elif field == "receiving_point":
            out.append(unit_names[value] if value else "")
        elif field.endswith("_at"):
            out.append(_date(value))
        elif field == "channel":
            out.append(CHANNELS[value])
        elif field == "payment":
            out.append(PAYMENTS[value])
        elif field == "status":
            out.append(STATUSES[value])
        elif field == "fee_amount":
            out.append(_money(value))
        elif isinstance(value, bool):
            out.append("x" if value else "")
        else:
            out.append("" if value is None else str(value))
    return out


def write_csv(path: Path, rows: Sequence[list[str]], *, messy: bool = True) -> Path:
    """Title block, header, data with blank lines, totals row."""
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        if messy:
            for line in TITLE:
                writer.writerow([line])
            writer.writerow([])
        writer.writerow([h for h, _ in HEADERS])
        for i, row in enumerate(rows):
            writer.writerow(row)
            if messy and i % 97 == 50:
                writer.writerow([])
        if messy:
            writer.writerow(["Tổng cộng", "", "", "", "", "", "", "", "", "", "", str(len(rows))])
    return path


def write_xlsx(path: Path, rows: Sequence[list[str]]) -> Path:
    """Merged title rows, header, hidden column, data, totals row (XlsxWriter)."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Danh sách")
    bold = book.add_format({"bold": True, "align": "center"})
    width = len(HEADERS) - 1
    for r, line in enumerate(TITLE):
        sheet.merge_range(r, 0, r, width, line, bold)
    header_row = len(TITLE) + 1
    sheet.write_row(header_row, 0, [h for h, _ in HEADERS], bold)
    sheet.set_column(width, width, None, None, {"hidden": True})
    for i, row in enumerate(rows, start=header_row + 1):
        typed = [_typed(v, HEADERS[j][1]) for j, v in enumerate(row)]
        sheet.write_row(i, 0, typed)
    sheet.write_row(header_row + len(rows) + 1, 0, ["Tổng cộng", None, None, len(rows)])
    book.close()
    return path


def _typed(value: str, field: str | None) -> Any:
    """Numbers as numbers and dates as Excel serials, as a real spreadsheet holds them."""
    try:
        if field == "fee_amount":
            return float(value.replace(".", "")) if value else None
        if field == "supplement_count" and value:
            return int(value)
        if field and field.endswith("_at") and value:
            moment = datetime.strptime(value, "%d/%m/%Y %H:%M")
            return (moment - datetime(1899, 12, 30)).total_seconds() / 86_400
    except ValueError:  # a deliberately bad cell stays text, as a typing error would
        return value
    return value or None
