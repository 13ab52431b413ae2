"""The import benchmark runs end to end at a small size (figures: docs/benchmarks.md)."""

from __future__ import annotations

from pathlib import Path

from chiso.ingest.bench import run_import_bench


def test_the_import_benchmark_imports_every_generated_row_from_csv_and_xlsx(tmp_path: Path) -> None:
    results = run_import_bench(tmp_path, size=3000, formats=("csv", "xlsx"))
    assert [(r["format"], r["rows"], r["new"], r["issues"]) for r in results] == [
        ("csv", 3000, 3000, 0),
        ("xlsx", 3000, 3000, 0),
    ]
    assert all(r["seconds"] > 0 and r["peak"] > 0 for r in results)
    assert [r["floor"]["rows"] for r in results] == [3000, 3000]  # DuckDB's CSV → Parquet
    assert all(r["floor"]["seconds"] > 0 for r in results)
