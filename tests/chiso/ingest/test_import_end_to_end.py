"""Issue #3's "done when": a messy export with hundreds of bad rows, from the command line."""

from __future__ import annotations

import copy
import csv
import json
import random
from pathlib import Path

from click.testing import CliRunner

from chiso.cli import cli
from exports import HEADERS, write_xlsx

BREAKERS = [
    ("received_at", "31/02/2026 08:00"),
    ("channel", "Fax"),
    ("unit_name", "UBND xã Không Có"),
    ("fee_amount", "mười nghìn"),
    ("finished_at", "01/01/2020 08:00"),
]


def test_bad_rows_are_explained_the_good_ones_scored_and_a_reimport_changes_nothing(
    store: Path, tmp_path: Path, export_rows
) -> None:
    rows = copy.deepcopy(export_rows)
    fields = [f for _, f in HEADERS]
    broken = sorted(random.Random(3).sample(range(len(rows)), 300))
    for n, index in enumerate(broken):
        field, text = BREAKERS[n % len(BREAKERS)]
        rows[index][fields.index(field)] = text
    export = write_xlsx(tmp_path / "export.xlsx", rows)
    rejects = tmp_path / "rejects.csv"
    runner = CliRunner()
    args = ["import", "dossiers", str(export), "--into", str(store), "--rejects", str(rejects)]
    refused = runner.invoke(cli, args)
    assert refused.exit_code == 2
    assert "300 trong 600 dòng không hợp lệ" in refused.output
    assert not (store / "dossiers.parquet").exists()
    accepted = runner.invoke(cli, [*args, "--skip-invalid"])
    assert accepted.exit_code == 0, accepted.output
    with rejects.open(encoding="utf-8-sig") as fh:
        listed = list(csv.DictReader(fh))
    assert sorted({int(r["row"]) for r in listed}) == [i + 6 for i in broken]  # header on row 5
    assert all(r["reason"] and r["hint"] and r["column"] for r in listed)
    scored = runner.invoke(
        cli, ["score", "--data", str(store), "--period", "2026-10", "--format", "json"]
    )
    assert scored.exit_code == 0, scored.output
    units = json.loads(scored.output)["units"]
    assert sum(1 for u in units if u["converted"] is not None) > 10
    again = runner.invoke(cli, [*args, "--skip-invalid"])
    assert again.exit_code == 0
    assert "Không có gì để ghi vào" in again.output
