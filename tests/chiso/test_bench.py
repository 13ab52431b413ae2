"""``chiso bench`` on a tiny province: the floor query and the command's options."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pyarrow.parquet as pq
from click.testing import CliRunner

from chiso.bench import YEAR, _floor
from chiso.cli import cli
from chiso.storage.store import open_folder
from chiso.synth.generator import generate


def test_the_floor_counts_one_row_per_unit_and_month(tmp_path: Path) -> None:
    generate(tmp_path, dossiers=2000, start=date(YEAR, 1, 1), end=date(YEAR, 4, 1), seed=3)
    rows = pq.read_table(tmp_path / "dossiers").select(["unit_code", "received_at"]).to_pylist()
    expected = {(r["unit_code"], r["received_at"].month) for r in rows}
    assert _floor(open_folder(tmp_path)) == len(expected)


def test_bench_runs_on_the_chosen_backend_and_repeats(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli,
        [
            "bench",
            "--dossiers",
            "3000",
            "--dir",
            str(tmp_path),
            "--no-pandas",
            "--backend",
            "duckdb",
            "--repeat",
            "1",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "duckdb (best of 1)" in result.output
    assert "3,000" in result.output


def test_bench_rejects_an_unknown_backend(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["bench", "--backend", "sqlite", "--dir", str(tmp_path)])
    assert result.exit_code == 2
