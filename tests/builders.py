"""Keyword-only builders of canonical records with sensible defaults."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any


def make_procedure(*, code: str = "P-HT-01", **overrides: Any) -> dict[str, Any]:
    """A commune-level procedure with a fee, online partial, 3 working days."""
    row = {
        "procedure_code": code,
        "name": "Đăng ký khai sinh",
        "field": "Hộ tịch",
        "level": "xa",
        "online_level": "full",
        "has_fee": True,
        "time_limit_days": 3,
        "paper_result": True,
    }
    row.update(overrides)
    return row


def make_dossier(*, code: str, unit: str, received: str, **overrides: Any) -> dict[str, Any]:
    """A dossier received at ``received`` (ISO text), finished on time by default."""
    received_at = datetime.fromisoformat(received)
    row: dict[str, Any] = {
        "dossier_code": code,
        "unit_code": unit,
        "procedure_code": "P-HT-01",
        "channel": "direct",
        "received_at": received_at,
        "due_at": None,
        "finished_at": None,
        "returned_at": None,
        "status": "finished",
        "supplement_count": 0,
        "fee_amount": 0,
        "payment": "none",
        "components_digitized": False,
        "result_digitized": False,
        "reused_data": False,
        "synced": True,
    }
    for key in ("due_at", "finished_at", "returned_at"):
        if key in overrides and isinstance(overrides[key], str):
            overrides[key] = datetime.fromisoformat(overrides[key])
    row.update(overrides)
    return row


def duckdb_file_of(folder: Path, path: Path) -> str:
    """A DuckDB file at ``path`` holding the Parquet tables of ``folder``; its URL."""
    import duckdb

    from chiso.domain.records import TABLES
    from chiso.storage.store import table_files

    con = duckdb.connect(str(path))
    for table in TABLES:
        found = table_files(folder, table)
        if found is not None and found[0] == "parquet":
            files = [str(p) for p in found[1]]
            con.execute(f"CREATE TABLE {table} AS SELECT * FROM read_parquet(?)", [files])
    con.close()
    return f"duckdb:///{path}"


def golden_rows(table: str, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A golden case's rows of ``table`` completed by the builders (dossiers, procedures)."""
    if table == "dossiers":
        return [
            make_dossier(
                code=r.pop("dossier_code"),
                unit=r.pop("unit_code"),
                received=str(r.pop("received_at")),
                **r,
            )
            for r in rows
        ]
    if table == "procedures":
        return [make_procedure(code=r.pop("procedure_code"), **r) for r in rows]
    return rows
