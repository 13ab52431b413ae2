"""What `chiso demo` prints: the ranking's summary counts only ranked units, and the unit it
explains is the last ranked one (never a unit without data, which has no class)."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from chiso.cli import cli


def test_the_demo_explains_the_weakest_ranked_unit(tmp_path: Path) -> None:
    out = CliRunner().invoke(cli, ["demo", "--dir", str(tmp_path / "demo"), "--dossiers", "4000"])
    assert out.exit_code == 0, out.output
    text = out.output
    assert "None" not in text
    summary = re.search(r"(\d+) đơn vị được xếp loại — (.*)", text)
    assert summary is not None, text[-2000:]
    counts = [int(n) for n in re.findall(r": (\d+)", summary.group(2).split(";")[0])]
    assert sum(counts) == int(summary.group(1))
    why = re.search(r"Vì sao (.+) xếp loại (Xuất sắc|Tốt|Khá|Trung bình|Yếu)\?", text)
    assert why is not None, text[-2000:]


def test_a_demo_generated_again_drops_what_was_imported_into_the_old_one(tmp_path: Path) -> None:
    """A demo folder regenerated (a new chiso, other options) after an officer imported the
    sample export through the site held each dossier twice (the old imported part beside
    the new generation): the sample export then listed every code twice, with other data,
    and the import refused all its rows."""
    import duckdb
    import pyarrow.parquet as pq

    from chiso.demo import ensure_data

    folder = tmp_path / "demo"
    ensure_data(folder, dossiers=1500)
    part = next((folder / "dossiers").glob("part-*.parquet"))
    pq.write_table(pq.read_table(part).slice(0, 50), folder / "dossiers" / "import-1.parquet")
    for marker in folder.glob(".generated-*"):
        marker.unlink()  # as when the marker's name changes with a new chiso
    ensure_data(folder, dossiers=1500)
    con = duckdb.connect()  # a private connection: not the module's shared default one
    ((rows, codes),) = con.sql(
        f"select count(*), count(distinct dossier_code) from '{folder}/dossiers/*.parquet'"
    ).fetchall()
    assert rows == codes
    assert not list((folder / "dossiers").glob("import-*.parquet"))
