"""Aggregate statistics are scored exactly like the dossiers they count."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import duckdb
import pytest

from chiso.domain.periods import parse_period
from chiso.engine.runner import score_one
from chiso.ingest.issues import ImportRejectedError
from chiso.ingest.statistics import import_statistics
from chiso.ingest.statistics_sheet import month_counts, write_statistics_sheet
from chiso.spec.loader import load_index_set
from chiso.storage.store import open_folder

FED = ("ck_cs2", "tien_do", "dvtt_cs1", "dvtt_cs2", "sohoa_cs1", "sohoa_cs2")


def write_statistics(path: Path, rows: list[list[Any]]) -> Path:
    return write_statistics_sheet(
        path, rows, title="BÁO CÁO TÌNH HÌNH GIẢI QUYẾT TTHC THÁNG 10/2026"
    )


def run(path: Path, store: Path) -> Any:
    return import_statistics([path], str(store), period="2026-10")


def indicators(folder: Path, period: str) -> dict[tuple[str, str], Any]:
    result = score_one(
        open_folder(folder), load_index_set("dienbien-459-2023"), parse_period(period)
    )
    return {
        (u.unit_code, i.code): (i.numerator, i.denominator, i.points)
        for u in result.units
        for i in u.indicators
        if i.code in FED
    }


def test_statistics_of_a_month_score_exactly_like_its_dossiers(
    province: Path, tmp_path: Path
) -> None:
    period = parse_period("2026-10")
    counts = month_counts(province, period)
    rows = [[n, code, *values] for n, (code, *values) in enumerate(counts, start=1)]
    store = tmp_path / "store"
    store.mkdir()
    for name in ("units.parquet", "procedures.parquet"):
        shutil.copy(province / name, store / name)
    result = import_statistics(
        [write_statistics(tmp_path / "tk.csv", rows)], str(store), period="2026-10"
    )
    assert result.issues == [] and result.rows == len(rows)
    units = {code for code, *_ in counts}
    expected = {k: v for k, v in indicators(province, "2026-10").items() if k[0] in units}
    got = {k: v for k, v in indicators(store, "2026-10").items() if k[0] in units}
    assert got == expected
    assert len(got) == len(units) * len(FED) > 100


def test_reimporting_a_month_replaces_the_units_rows(store: Path, tmp_path: Path) -> None:
    row = [1, "UBND xã Mường Phăng", 0, 10, 2, 5, 1, 1, 1, 4, 3, 1, 8, 6, 10]
    run(write_statistics(tmp_path / "a.csv", [row]), store)
    smaller = [1, "UBND xã Mường Phăng", 0, 6, 1, 3, 1, 1, 0, 2, 2, 1, 5, 4, 6]
    again = import_statistics(
        [write_statistics(tmp_path / "b.csv", [smaller])], str(store), period="2026-10"
    )
    assert again.dossiers.deleted == 4
    codes = (
        duckdb.connect()
        .execute(f"SELECT count(*) FROM read_parquet('{store}/dossiers.parquet')")
        .fetchone()
    )
    assert codes == (6,)
    same = run(tmp_path / "b.csv", store)
    assert same.dossiers.writes == 0


def test_counts_that_do_not_add_up_are_rejected_with_the_sum(store: Path, tmp_path: Path) -> None:
    row = [1, "UBND xã Mường Phăng", 0, 10, 2, 5, 1, 1, 0, 12, 3, 4, 8, 6, 10]
    with pytest.raises(ImportRejectedError) as caught:
        import_statistics(
            [write_statistics(tmp_path / "bad.csv", [row])], str(store), period="2026-10"
        )
    reasons = sorted(i.reason for i in caught.value.issues)
    assert reasons == [
        "carried over + received = 10, finished + in progress = 9",
        "more online dossiers than received (12 > 10)",
        "more paid online than dossiers with a fee (4 > 3)",
    ]
    assert not (store / "dossiers.parquet").exists()
