"""The province administrator imports the shared catalogues (units, procedures) through the
site: checked, confirmed, written, with no staging folder left in the data folder."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import duckdb
import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from chiso.storage.journal import STAGE_PREFIX
from chiso_web.imports.models import ImportRun
from web_imports import confirm, work

pytestmark = pytest.mark.django_db


def _renamed(folder: Path, table: str, key: str) -> tuple[list[str], list[list[Any]]]:
    """Three catalogue rows with a new name, as columns and rows."""
    con = duckdb.connect()  # a private connection: not the module's shared default one
    rel = con.sql(
        f"SELECT * REPLACE (name || ' (mới)' AS name) "
        f"FROM read_parquet('{folder}/{table}.parquet') ORDER BY {key} LIMIT 3"
    )
    return list(rel.columns), [list(r) for r in rel.fetchall()]


def _xlsx(columns: list[str], rows: list[list[Any]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(columns)
    for row in rows:
        sheet.append(["" if v is None else str(v) for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _csv(columns: list[str], rows: list[list[Any]]) -> bytes:
    lines = [",".join(columns)] + [
        ",".join("" if v is None else f'"{v}"' for v in row) for row in rows
    ]
    return ("\n".join(lines) + "\n").encode()


@pytest.mark.parametrize(
    ("table", "key", "fmt"),
    [("units", "unit_code", "xlsx"), ("procedures", "procedure_code", "csv"),
     ("units", "unit_code", "csv"), ("procedures", "procedure_code", "xlsx")],
)  # fmt: skip
def test_the_administrator_imports_units_and_procedures(
    client_as: Any, writable_data: Path, table: str, key: str, fmt: str
) -> None:
    columns, rows = _renamed(writable_data, table, key)
    content = _xlsx(columns, rows) if fmt == "xlsx" else _csv(columns, rows)
    admin = client_as("admin")
    upload = SimpleUploadedFile(f"danh-muc.{fmt}", content)
    assert admin.post("/nhap-du-lieu/", {"table": table, "files": upload}).status_code == 302
    work()
    run = ImportRun.objects.get()
    assert (run.status, run.rows, run.diff["changed"]) == ("validated", 3, 3), run.message
    assert confirm(admin, run) == 302
    run.refresh_from_db()
    assert run.status == "confirmed", run.message
    assert admin.get(f"/nhap-du-lieu/lan/{run.pk}.json").json()["run"]["status"] == "confirmed"
    names = (
        duckdb.connect()
        .sql(
            f"SELECT name FROM read_parquet('{writable_data}/{table}.parquet') "
            f"WHERE {key} = '{rows[0][0]}'"
        )
        .fetchall()
    )
    assert names == [(rows[0][columns.index("name")],)]
    assert not [p for p in writable_data.iterdir() if p.name.startswith(STAGE_PREFIX)]
