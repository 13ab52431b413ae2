"""A statistics sheet from dossiers: the per-unit monthly counts ``chiso import statistics`` reads.

The counts of a month are computed from a data folder's dossiers (one query) and written as
the statistics page of a one-stop system: a title, a two-row Vietnamese header ("Đã giải
quyết" over "Trước hạn | Đúng hạn | Quá hạn"), a column-number row, one row per unit and a
"Tổng cộng" row.  ``chiso demo`` writes one as a sample input; the tests import one and
check that it scores like the dossiers it counts.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import duckdb

from chiso.domain.periods import Period

__all__ = ["FIELDS", "LOWER", "UPPER", "month_counts", "write_statistics_sheet"]

UPPER = ["STT", "Đơn vị", "Tiếp nhận", "", "Đã giải quyết", "", "", "Đang giải quyết", "",
         "Trực tuyến", "Hồ sơ có phí", "Thanh toán trực tuyến", "Số hóa thành phần",
         "Số hóa kết quả", "Đồng bộ DVCQG"]  # fmt: skip
LOWER = ["", "", "Kỳ trước chuyển sang", "Mới tiếp nhận", "Trước hạn", "Đúng hạn", "Quá hạn",
         "Trong hạn", "Quá hạn", "", "", "", "", "", ""]  # fmt: skip
FIELDS = ["carried_over", "received", "finished_early", "finished_on_time", "finished_late",
          "in_progress", "in_progress_overdue", "online", "fee_dossiers", "paid_online",
          "digitized", "result_digitized", "synced"]  # fmt: skip

_COUNTS_SQL = """
WITH d AS (
  SELECT d.*, p.has_fee FROM read_parquet($dossiers) d
  LEFT JOIN read_parquet($procedures) p USING (procedure_code)
  WHERE received_at < $end AND (finished_at IS NULL OR finished_at >= $start)
), f AS (
  SELECT *, received_at >= $start AS rec,
         finished_at IS NOT NULL AND finished_at < $end AS fin,
         coalesce(supplement_count, 0) <= 1 AND (
           (finished_at IS NOT NULL AND finished_at < $end
              AND (due_at IS NULL OR finished_at <= due_at))
           OR ((finished_at IS NULL OR finished_at >= $end)
              AND (due_at IS NULL OR due_at >= $end))) AS ok
  FROM d
)
SELECT unit_code,
  count(*) FILTER (WHERE NOT rec), count(*) FILTER (WHERE rec), 0,
  count(*) FILTER (WHERE fin AND ok), count(*) FILTER (WHERE fin AND NOT ok),
  count(*) FILTER (WHERE NOT fin AND ok), count(*) FILTER (WHERE NOT fin AND NOT ok),
  count(*) FILTER (WHERE rec AND channel = 'online'),
  count(*) FILTER (WHERE rec AND has_fee),
  count(*) FILTER (WHERE rec AND has_fee AND payment = 'online'),
  count(*) FILTER (WHERE rec AND components_digitized),
  count(*) FILTER (WHERE fin AND result_digitized),
  count(*) FILTER (WHERE rec AND synced)
FROM f GROUP BY unit_code ORDER BY unit_code
"""


def month_counts(folder: Path, period: Period) -> list[tuple[Any, ...]]:
    """``(unit_code, *counts in FIELDS order)`` per unit with dossiers handled in ``period``
    (counted as the national statistics do: finished on time = by the due time with at most
    one supplement request)."""
    parameters = {
        "dossiers": str(folder / "dossiers" / "*.parquet"),
        "procedures": str(folder / "procedures.parquet"),
        "start": period.start,
        "end": period.end,
    }
    with duckdb.connect() as con:
        return [tuple(row) for row in con.execute(_COUNTS_SQL, parameters).fetchall()]


def write_statistics_sheet(path: Path, rows: Sequence[Sequence[Any]], *, title: str) -> Path:
    """Write ``rows`` (``[STT, unit name or code, *counts]``) as a statistics page, CSV or
    XLSX by the file's suffix, with the two-row header and a "Tổng cộng" row."""
    total = ["", "Tổng cộng", *(sum(r[i] for r in rows) for i in range(2, len(UPPER)))]
    lines: list[Sequence[Any]] = [
        [title], UPPER, LOWER, [f"({i})" for i in range(1, len(UPPER) + 1)], *rows, total
    ]  # fmt: skip
    if path.suffix.lower() == ".xlsx":
        import xlsxwriter

        book = xlsxwriter.Workbook(str(path))
        sheet = book.add_worksheet("Thống kê")
        for number, line in enumerate(lines):
            sheet.write_row(number, 0, line)
        book.close()
        return path
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(lines)
    return path
