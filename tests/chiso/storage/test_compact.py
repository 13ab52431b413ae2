"""Compacting the small Parquet parts of a chunked table keeps every row, type and score."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from chiso.cli import cli
from chiso.domain.periods import parse_period
from chiso.engine.runner import score
from chiso.errors import UserError
from chiso.spec.loader import load_index_set
from chiso.storage.compaction import CompactPolicy, compact_table, count_small_parts
from chiso.storage.journal import JOURNAL, recover
from chiso.storage.store import open_folder
from chiso.storage.targets import read_canonical
from chiso.storage.writer import write_rows
from chiso.synth.generator import generate

BATCHES = 6


@pytest.fixture
def pushed(tmp_path: Path) -> Path:
    """A generated province plus six pushed batches: new dossiers and updated ones."""
    folder = tmp_path / "data"
    generate(folder, dossiers=400, start=date(2026, 9, 1), end=date(2026, 11, 1), seed=5)
    generated = pq.read_table(folder / "dossiers").to_pylist()
    for n in range(BATCHES):
        batch = [{**row, "dossier_code": f"{row['dossier_code']}-P{n}"} for row in generated[:30]]
        updated = generated[100 + n]  # a status change of a generated dossier
        batch.append({**updated, "fee_amount": 1000.0 * (n + 1), "status": "returned"})
        write_rows(str(folder), "dossiers", batch)
    return folder


def parts(folder: Path) -> list[Path]:
    return sorted((folder / "dossiers").glob("*.parquet"))


def columns(part: Path) -> tuple[tuple[str, str], ...]:
    return tuple((f.name, str(f.type)) for f in pq.read_schema(part))


def files(folder: Path) -> dict[str, tuple[int, int]]:
    return {
        str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns)
        for p in folder.rglob("*")
        if p.is_file()
    }


def rows_of(folder: Path) -> list[tuple[Any, ...]]:
    table = read_canonical(folder, "dossiers")
    return sorted(tuple(r.values()) for r in table.to_pylist())


def scores_of(folder: Path) -> list[dict[str, Any]]:
    store = open_folder(folder)
    periods = [parse_period("2026-09"), parse_period("2026-10")]
    return [r.to_json() for r in score(store, load_index_set("dienbien-459-2023"), periods)]


def test_compaction_keeps_every_row_and_the_column_types_and_order(pushed: Path) -> None:
    before_parts = parts(pushed)
    assert len(before_parts) == 1 + BATCHES
    schemas = {columns(p) for p in before_parts}
    assert len(schemas) == 1
    rows = rows_of(pushed)

    done = compact_table(pushed, "dossiers")

    after_parts = parts(pushed)
    assert (done.parts_before, done.parts_after) == (1 + BATCHES, 1)
    assert done.merged == 1 + BATCHES and done.written == 1
    assert done.rows == len(rows) == 400 + 30 * BATCHES
    assert [p.name.startswith("compact-") for p in after_parts] == [True]
    assert columns(after_parts[0]) == schemas.pop()
    assert rows_of(pushed) == rows
    assert "7 parts → 1" in done.summary()


def test_compacting_twice_changes_nothing_the_second_time(pushed: Path) -> None:
    compact_table(pushed, "dossiers")
    before = files(pushed)
    again = compact_table(pushed, "dossiers")
    assert not again.changed
    assert "nothing to compact" in again.summary()
    assert files(pushed) == before


def test_large_parts_are_left_alone_and_merged_parts_are_capped(pushed: Path) -> None:
    generated = pushed / "dossiers" / "part-00000.parquet"
    kept = (generated.stat().st_size, generated.stat().st_mtime_ns)
    rows = rows_of(pushed)
    # the generated part (394 rows left: six moved out by the updates) is "full" at 100
    done = compact_table(pushed, "dossiers", policy=CompactPolicy(part_rows=100))
    assert generated.exists()
    assert (generated.stat().st_size, generated.stat().st_mtime_ns) == kept
    merged = [p for p in parts(pushed) if p.name.startswith("compact-")]
    sizes = sorted(pq.read_metadata(p).num_rows for p in merged)
    assert sizes == [86, 100]  # 6 × 31 pushed rows: one full part and the remainder
    assert done.merged == BATCHES and done.parts_after == 3
    assert rows_of(pushed) == rows


def test_scores_are_identical_before_and_after_compaction(pushed: Path) -> None:
    before = scores_of(pushed)
    assert any(u["total"] for r in before for u in r["units"])
    compact_table(pushed, "dossiers")
    assert scores_of(pushed) == before


def test_a_merge_after_compaction_still_replaces_by_key(pushed: Path) -> None:
    compact_table(pushed, "dossiers")
    row = read_canonical(pushed, "dossiers").to_pylist()[-1]
    write_rows(str(pushed), "dossiers", [{**row, "fee_amount": 12345.0}])
    stored = [r for r in read_canonical(pushed, "dossiers").to_pylist() if r == row]
    assert stored == []
    assert len(rows_of(pushed)) == 400 + 30 * BATCHES


def test_nothing_to_compact_is_a_no_op(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    generate(folder, dossiers=50, start=date(2026, 9, 1), end=date(2026, 9, 15), seed=2)
    before = files(folder)
    done = compact_table(folder, "dossiers")
    assert (done.parts_before, done.parts_after, done.merged, done.rows) == (1, 1, 0, 50)
    assert compact_table(folder, "units").parts_before == 0  # a single file, no parts
    assert files(folder) == before


def test_bad_input_is_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="không có thư mục dữ liệu"):
        compact_table(tmp_path / "missing")
    with pytest.raises(UserError, match="không có bảng chuẩn"):
        compact_table(tmp_path, "dosiers")
    with pytest.raises(UserError, match="phải từ 2 trở lên"):
        CompactPolicy(min_parts=1)


def test_min_parts_holds_compaction_back(pushed: Path) -> None:
    before = files(pushed)
    done = compact_table(pushed, "dossiers", policy=CompactPolicy(min_parts=1 + BATCHES + 1))
    assert not done.changed and done.small_before == 1 + BATCHES
    assert files(pushed) == before
    assert count_small_parts(pushed, "dossiers") == 1 + BATCHES
    assert count_small_parts(pushed, "dossiers", small_bytes=1) == 0


KILLER = textwrap.dedent(
    """
    import os, sys
    from pathlib import Path
    import chiso.storage.journal as journal
    from chiso.storage import compaction as compact

    folder, when = Path(sys.argv[1]), sys.argv[2]
    if when == "before-commit":
        compact.commit = lambda *args, **kwargs: os._exit(9)
    else:  # after the commit point, half-way through the renames and deletions
        real = journal._replay
        def half(folder, steps):
            real(folder, steps[: len(steps) // 2])
            os._exit(9)
        journal._replay = half
    compact.compact_table(folder, "dossiers")
    """
)


@pytest.mark.parametrize("when", ["before-commit", "mid-commit"])
def test_a_killed_compaction_leaves_a_consistent_folder(pushed: Path, when: str) -> None:
    rows = rows_of(pushed)
    before = files(pushed)
    env = {**os.environ, "PYTHONPATH": str(Path("src").resolve())}
    done = subprocess.run(
        [sys.executable, "-c", KILLER, str(pushed), when], env=env, check=False, timeout=120
    )
    assert done.returncode == 9
    names = [p.name for p in parts(pushed)]
    if when == "before-commit":  # merged parts written under pending names, nothing moved
        assert [p for p in pushed.rglob("*") if p.name.endswith(".pending")]
        assert not (pushed / JOURNAL).exists()
    else:  # the merged part is in place but some of the parts it replaces are still there
        assert (pushed / JOURNAL).exists()
        assert any(n.startswith("compact-") for n in names)
        assert any(n.startswith("import-") for n in names)

    recover(pushed)

    assert not [p for p in pushed.rglob("*") if p.name.endswith(".pending")]
    assert not (pushed / JOURNAL).exists()
    assert rows_of(pushed) == rows
    names = [p.name for p in parts(pushed)]
    if when == "before-commit":
        assert files(pushed) == before  # the old parts, untouched
    else:
        assert len(names) == 1 and names[0].startswith("compact-")


def test_cli_compact_prints_one_line_and_refuses_bad_input(pushed: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["compact", "--data", str(pushed), "--min-parts", "8"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == (
        f"dossiers: 7 parts, 7 small; nothing to compact ({400 + 30 * BATCHES} rows)"
    )
    result = runner.invoke(cli, ["compact", "--data", str(pushed)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("dossiers: 7 parts → 1 (7 small parts merged into 1); 580")
    missing = runner.invoke(cli, ["compact", "--data", str(tmp_path / "nowhere")])
    assert missing.exit_code == 2
    assert "không có thư mục dữ liệu" in missing.output
    wrong = runner.invoke(cli, ["compact", "--data", str(pushed), "--min-parts", "1"])
    assert wrong.exit_code == 2 and "Gợi ý:" in wrong.output
    url = runner.invoke(cli, ["compact", "--data", "postgresql://localhost/db"])
    assert url.exit_code == 2 and "là địa chỉ cơ sở dữ liệu" in url.output
