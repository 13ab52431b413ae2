"""Sample input files beside the demo's data (``<demo>/mau/``), so that every import,
check and reconcile example of the README runs as typed.

From the demo's own data, for its month:

* ``mot-cua-<yyyy-mm>.xlsx`` — the one-stop export of the communes' dossiers received in
  the month (Vietnamese headers and labels, a title block, unit names, dd/mm/yyyy dates:
  ``chiso import dossiers``);
* ``thong-ke-<yyyy-mm>.xlsx`` — the departments' counts of the month as a statistics page
  (``chiso import statistics``): with the export, one folder holds every unit;
* ``bao-cao-xa.docx`` — a commune's report as received from it (``chiso import scores``);
* ``bao-cao-co-loi.docx`` — the same report with a wrong total (``chiso check-report``
  finds it and exits 1);
* ``dvcqg-<yyyy-mm>.json`` — the national portal's scores of the province and its units,
  saved as captures (``chiso import portal``; they reconcile to zero with the demo data).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from chiso.domain.periods import Period
from chiso.engine.runner import Level, score
from chiso.ingest.bench import write_export
from chiso.ingest.statistics_sheet import month_counts, write_statistics_sheet
from chiso.portal.groups import GROUPS, portal_index_set
from chiso.portal.writers import write_group, write_summary
from chiso.storage.store import Store

__all__ = ["SAMPLES", "write_samples"]

SAMPLES = "mau"
#: The department rows of the statistics sheet (unit kind); the export holds the rest.
COUNTED_KIND = "so"
#: A wrong total in the sample report with an error: the commune's "TỔNG ĐIỂM ĐẠT ĐƯỢC".
TOTAL_HEADER = "TỔNG ĐIỂM ĐẠT ĐƯỢC"


def write_samples(store: Store, folder: Path, period: Period, report: Path) -> list[Path]:
    """Write the sample inputs of ``period`` into ``folder / SAMPLES``; ``report`` is a
    commune's DOCX report of the period (written by the demo).  Returns their paths."""
    out = folder / SAMPLES
    out.mkdir(parents=True, exist_ok=True)
    kinds = _kinds(folder)
    export = out / f"mot-cua-{period.code}.xlsx"
    _write_commune_export(folder, export, period, kinds)
    sheet = out / f"thong-ke-{period.code}.xlsx"
    rows = [row for row in month_counts(folder, period) if kinds.get(row[0]) == COUNTED_KIND]
    numbered = [[n, code, *counts] for n, (code, *counts) in enumerate(rows, start=1)]
    title = f"BÁO CÁO TÌNH HÌNH GIẢI QUYẾT TTHC {period.label.upper()}"
    write_statistics_sheet(sheet, numbered, title=title)
    received = out / "bao-cao-xa.docx"
    shutil.copyfile(report, received)
    wrong = _with_wrong_total(received, out / "bao-cao-co-loi.docx")
    portal = _write_portal(store, out, period)
    return [export, sheet, received, wrong, *portal]


def _kinds(folder: Path) -> dict[str, str]:
    import pyarrow.parquet as pq

    table = pq.read_table(folder / "units.parquet", columns=["unit_code", "kind"])
    return dict(zip(*(table.column(c).to_pylist() for c in ("unit_code", "kind")), strict=True))


def _write_commune_export(folder: Path, path: Path, period: Period, kinds: dict[str, str]) -> None:
    """The month's export of every unit except the counted departments."""
    write_export(
        folder,
        path,
        received=(period.start, period.end),
        keep=lambda code: kinds.get(code) != COUNTED_KIND,
    )


def _with_wrong_total(report: Path, path: Path) -> Path:
    """A copy of ``report`` whose first unit row's total is one point higher."""
    import docx

    document = docx.Document(str(report))
    for table in document.tables:
        header = [cell.text for cell in table.rows[0].cells]
        if TOTAL_HEADER not in header:
            continue
        column = header.index(TOTAL_HEADER)
        row = next(r for r in table.rows if r.cells[0].text.strip() == "1")
        cell = row.cells[column]
        whole, _, decimals = cell.text.partition(",")
        paragraph = cell.paragraphs[0]
        for run in paragraph.runs[1:]:
            run.text = ""
        paragraph.runs[0].text = f"{int(whole) + 1},{decimals}" if decimals else str(int(whole) + 1)
        break
    document.save(str(path))
    return path


def _write_portal(store: Store, out: Path, period: Period) -> list[Path]:
    """The portal's captures of the period for the province and two of its units."""
    index_set = portal_index_set(period)
    units = ("11", "03256", "so-tu-phap")
    result = score(store, index_set, [period], level=Level("units", units), pooled=True)[0]
    folder = out / f"dvcqg-{period.code}"
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir()
    taken = f"{period.as_of:%Y-%m-%dT%H:%M:%S}+07:00"  # the portal scores a running month live
    paths = [write_summary(folder, result, captured_at=taken)]
    return paths + [write_group(folder, result, c, captured_at=taken) for c in GROUPS]
