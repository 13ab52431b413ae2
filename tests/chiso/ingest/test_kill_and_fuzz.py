"""An import killed at any moment leaves the store as it was; malformed files never crash."""

from __future__ import annotations

import copy
import csv
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chiso.errors import UserError
from chiso.ingest.importer import import_files
from chiso.storage.targets import read_canonical
from exports import HEADERS, write_csv


def snapshot(folder: Path) -> tuple[list[str], list[tuple]]:
    files = sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())
    table = read_canonical(folder, "dossiers")
    rows = sorted(tuple(r.values()) for r in table.to_pylist()) if table is not None else []
    return files, rows


def test_an_import_killed_midway_leaves_the_store_exactly_as_before(
    store: Path, tmp_path: Path, export_rows
) -> None:
    first = write_csv(tmp_path / "first.csv", export_rows[:300])
    import_files("dossiers", [first], str(store))
    big_rows = []
    for copy_no in range(60):  # 36,000 rows: long enough to be killed at several points
        for row in export_rows:
            row = copy.deepcopy(row)
            row[1] = f"{row[1]}-{copy_no}"
            big_rows.append(row)
    big = write_csv(tmp_path / "big.csv", big_rows)
    before = snapshot(store)
    command = [
        sys.executable,
        "-m",
        "chiso.cli",
        "import",
        "dossiers",
        str(big),
        "--into",
        str(store),
    ]
    env = {**os.environ, "PYTHONPATH": str(Path("src").resolve())}
    outcomes = set()
    for delay in (0.8, 1.5, 2.5, 3.5, 5.0):
        process = subprocess.Popen(
            command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        import_files("dossiers", [first], str(store), dry_run=True)  # opening recovers
        files, rows = snapshot(store)
        if rows == before[1]:
            outcomes.add("before")
            assert files == before[0]  # the killed import's staging folder is gone too
        else:
            outcomes.add("after")
            assert len(rows) == 300 + len(big_rows)
            break
    assert "before" in outcomes


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.lists(
            st.one_of(
                st.text(max_size=12), st.sampled_from(["31/02/2026", "1.2.3", "x", "Tổng cộng", ""])
            ),
            max_size=20,
        ),
        max_size=12,
    )
)
def test_random_malformed_csv_files_give_clear_errors_and_write_nothing(
    store: Path, tmp_path: Path, rows
) -> None:
    path = tmp_path / "fuzz.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow([h for h, _ in HEADERS])
        writer.writerows(rows)
    before = snapshot(store)
    try:
        import_files("dossiers", [path], str(store))
    except UserError as exc:
        assert exc.message and exc.hint
    after = snapshot(store)
    assert after == before or len(after[1]) > len(before[1])


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.binary(max_size=400), st.sampled_from([".csv", ".xlsx", ".xls", ".ods"]))
def test_random_bytes_under_any_extension_give_a_clear_error(
    store: Path, tmp_path: Path, data: bytes, ext: str
) -> None:
    path = tmp_path / f"noise{ext}"
    path.write_bytes(data)
    with pytest.raises(UserError) as caught:
        import_files("dossiers", [path], str(store))
    assert str(path) in caught.value.message
    assert not (store / "dossiers.parquet").exists()
