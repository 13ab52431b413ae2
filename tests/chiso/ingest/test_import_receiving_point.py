"""Issue #17.6: the receiving point is kept apart from the competent unit on import.

Since 1/7/2025 a dossier may be received at any centre of the province; an export names
where ("Nơi tiếp nhận"…), else the dossier code's receiving agency tells it when that
agency is a known unit, else it stays empty (docs/data-model.md, ``receiving_point``).
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from chiso.ingest.importer import import_files
from chiso.ingest.issues import ImportRejectedError
from chiso.storage.targets import read_canonical

COMMUNE, CENTRE = "UBND phường Điện Biên Phủ", "Trung tâm Phục vụ hành chính công tỉnh Điện Biên"


def _write(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _procedure(source_rows: list[dict[str, Any]]) -> str:
    return next(r["procedure_code"] for r in source_rows if r["unit_code"] == "03127")


def _stored(store: Path) -> dict[str, dict[str, Any]]:
    table = read_canonical(store, "dossiers")
    return {r["dossier_code"]: r for r in table.to_pylist()}


@pytest.mark.parametrize(
    "header", ["Nơi tiếp nhận", "Đơn vị tiếp nhận", "Điểm tiếp nhận", "Bộ phận tiếp nhận hồ sơ"]
)
def test_an_export_naming_both_keeps_the_receiving_point_apart_from_the_unit(
    store: Path, tmp_path: Path, source_rows: list[dict[str, Any]], header: str
) -> None:
    proc = _procedure(source_rows)
    rows = [
        ["HS-1", COMMUNE, CENTRE, proc, "Trực tiếp", "05/09/2026 08:00"],
        ["HS-2", COMMUNE, "ttpvhcc-11", proc, "Trực tiếp", "05/09/2026 09:00"],
        ["HS-3", COMMUNE, COMMUNE, proc, "Trực tiếp", "05/09/2026 10:00"],
        ["HS-4", COMMUNE, "", proc, "Trực tiếp", "05/09/2026 11:00"],
    ]
    head = ["Mã hồ sơ", "Cơ quan giải quyết", header, "Mã TTHC", "Hình thức nộp", "Ngày tiếp nhận"]
    result = import_files("dossiers", [_write(tmp_path / "x.csv", head, rows)], str(store))
    assert result.issues == []
    stored = _stored(store)
    assert {c: (r["unit_code"], r["receiving_point"]) for c, r in stored.items()} == {
        "HS-1": ("03127", "ttpvhcc-11"),
        "HS-2": ("03127", "ttpvhcc-11"),
        "HS-3": ("03127", "03127"),
        "HS-4": ("03127", None),  # a code that is no e-ID: nothing to derive, never a guess
    }


def test_an_unknown_receiving_point_is_rejected_naming_the_header_and_row(
    store: Path, tmp_path: Path, source_rows: list[dict[str, Any]]
) -> None:
    proc = _procedure(source_rows)
    rows = [
        ["HS-1", COMMUNE, CENTRE, proc, "Trực tiếp", "05/09/2026 08:00"],
        ["HS-2", COMMUNE, "Trung tâm hành chính công xã Không Có", proc, "Trực tiếp",
         "05/09/2026 09:00"],
    ]  # fmt: skip
    head = ["Mã hồ sơ", "Đơn vị giải quyết", "Điểm tiếp nhận", "Mã TTHC", "Hình thức nộp",
            "Ngày tiếp nhận"]  # fmt: skip
    with pytest.raises(ImportRejectedError) as caught:
        import_files("dossiers", [_write(tmp_path / "x.csv", head, rows)], str(store))
    [issue] = caught.value.issues
    assert (issue.row, issue.column) == (3, "receiving_point")
    assert issue.reason.startswith("không có đơn vị này")
    assert "cột “Điểm tiếp nhận”" in issue.hint
    assert "row 3" in issue.render() or "dòng 3" in issue.render()
    assert read_canonical(store, "dossiers") is None  # nothing imported


def test_a_receiving_unit_not_yet_existing_that_day_names_the_day(
    store: Path, tmp_path: Path, source_rows: list[dict[str, Any]]
) -> None:
    proc = _procedure(source_rows)
    rows = [["HS-1", COMMUNE, "ttpvhcc-11", proc, "Trực tiếp", "05/09/2024 08:00"]]
    head = ["Mã hồ sơ", "Mã đơn vị", "Nơi tiếp nhận", "Mã TTHC", "Hình thức nộp", "Ngày tiếp nhận"]
    rows[0][1] = "03127-cu"
    with pytest.raises(ImportRejectedError) as caught:
        import_files("dossiers", [_write(tmp_path / "x.csv", head, rows)], str(store))
    reasons = [i.reason for i in caught.value.issues if i.column == "receiving_point"]
    assert reasons and "chưa có hoặc không còn vào ngày 05/09/2024" in reasons[0]


def test_without_the_column_the_receiving_point_comes_from_a_known_agency_of_the_code(
    store: Path, tmp_path: Path, source_rows: list[dict[str, Any]]
) -> None:
    units = pq.read_table(store / "units.parquet")
    centre = units.filter(pa.compute.equal(units["unit_code"], "ttpvhcc-11")).to_pylist()[0]
    later = {**centre, "unit_code": "000.00.32.H18", "valid_from": date(2026, 10, 1)}
    extra = [{**centre, "unit_code": "000.00.30.H18", "name": "Bộ phận một cửa thử"},
             {**centre, "unit_code": "x", "gso_code": "G22.001.01", "name": "Trung tâm thử"},
             {**later, "name": "Trung tâm mở sau"}]  # fmt: skip
    pq.write_table(pa.concat_tables([units, pa.Table.from_pylist(extra, units.schema)]),
                   store / "units.parquet")  # fmt: skip
    proc = _procedure(source_rows)
    rows = [
        ["000.00.30.H18-260905-0001", COMMUNE, proc, "Trực tiếp", "05/09/2026 08:00"],
        ["G22.001.01-260905-0100002", COMMUNE, proc, "Trực tiếp", "05/09/2026 09:00"],
        ["000.00.31.H18-260905-0003", COMMUNE, proc, "Trực tiếp", "05/09/2026 10:00"],
        ["000.00.32.H18-260905-0004", COMMUNE, proc, "Trực tiếp", "05/09/2026 11:00"],
    ]
    head = ["Mã hồ sơ", "Cơ quan giải quyết", "Mã TTHC", "Hình thức nộp", "Ngày tiếp nhận"]
    result = import_files("dossiers", [_write(tmp_path / "x.csv", head, rows)], str(store))
    assert result.issues == []
    stored = _stored(store)
    assert {c: r["receiving_point"] for c, r in stored.items()} == {
        "000.00.30.H18-260905-0001": "000.00.30.H18",  # the agency is a unit code
        "G22.001.01-260905-0100002": "x",  # a GSO code
        "000.00.31.H18-260905-0003": None,  # an agency no unit has
        "000.00.32.H18-260905-0004": None,  # a unit that did not exist yet that day
    }
    assert {r["unit_code"] for r in stored.values()} == {"03127"}


def test_a_file_naming_no_competent_unit_reads_its_receiving_column_as_the_unit(
    store: Path, tmp_path: Path, source_rows: list[dict[str, Any]]
) -> None:
    proc = _procedure(source_rows)
    rows = [["HS-1", COMMUNE, proc, "Trực tiếp", "05/09/2026 08:00"]]
    head = ["Mã hồ sơ", "Đơn vị tiếp nhận", "Mã TTHC", "Hình thức nộp", "Ngày tiếp nhận"]
    result = import_files("dossiers", [_write(tmp_path / "x.csv", head, rows)], str(store))
    assert result.issues == []
    row = _stored(store)["HS-1"]
    assert (row["unit_code"], row["receiving_point"]) == ("03127", None)


def test_a_database_made_before_the_column_gains_it_on_the_next_import(
    store: Path, tmp_path: Path, source_rows: list[dict[str, Any]]
) -> None:
    import duckdb

    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))
    columns = [c for c in source_rows[0] if c != "receiving_point"]
    con.execute(
        "CREATE TABLE dossiers AS SELECT * EXCLUDE (receiving_point) FROM ("
        "SELECT 'OLD-1' AS dossier_code, '03127' AS unit_code, "
        "'x' AS procedure_code, 'direct' AS channel, TIMESTAMP '2026-09-01 08:00' AS received_at,"
        " NULL::TIMESTAMP AS due_at, NULL::TIMESTAMP AS finished_at, "
        "NULL::TIMESTAMP AS returned_at, NULL AS status, 0::BIGINT AS supplement_count, "
        "0.0::DOUBLE AS fee_amount, 'none' AS payment, false AS components_digitized, "
        "false AS result_digitized, false AS reused_data, false AS synced, "
        "NULL AS receiving_point)"
    )
    assert [r[0] for r in con.execute("DESCRIBE dossiers").fetchall()] == columns
    con.close()
    proc = _procedure(source_rows)
    head = ["Mã hồ sơ", "Cơ quan giải quyết", "Nơi tiếp nhận", "Mã TTHC", "Hình thức nộp",
            "Ngày tiếp nhận"]  # fmt: skip
    rows = [["HS-1", COMMUNE, CENTRE, proc, "Trực tiếp", "05/09/2026 08:00"]]
    import_files("dossiers", [_write(tmp_path / "x.csv", head, rows)], f"duckdb:///{path}")
    con = duckdb.connect(str(path))
    found = con.execute(
        "SELECT dossier_code, receiving_point FROM dossiers ORDER BY dossier_code"
    ).fetchall()
    assert found == [("HS-1", "ttpvhcc-11"), ("OLD-1", None)]


def test_a_folder_whose_parts_predate_the_column_keeps_the_imported_receiving_points(
    province: Path, tmp_path: Path, source_rows: list[dict[str, Any]]
) -> None:
    import shutil

    from chiso.storage.store import open_folder

    folder = tmp_path / "old"
    shutil.copytree(province, folder)
    for part in (folder / "dossiers").glob("*.parquet"):  # as an earlier chiso wrote them
        pq.write_table(pq.read_table(part).drop_columns(["receiving_point"]), part)
    proc = _procedure(source_rows)
    head = ["Mã hồ sơ", "Cơ quan giải quyết", "Nơi tiếp nhận", "Mã TTHC", "Hình thức nộp",
            "Ngày tiếp nhận"]  # fmt: skip
    rows = [["HS-1", COMMUNE, CENTRE, proc, "Trực tiếp", "05/09/2026 08:00"]]
    result = import_files("dossiers", [_write(tmp_path / "x.csv", head, rows)], str(folder))
    assert result.diff.new == 1
    layouts = {tuple(pq.read_schema(p).names) for p in (folder / "dossiers").glob("*.parquet")}
    assert len(layouts) == 1 and "receiving_point" in layouts.pop()  # one layout, upgraded
    store = open_folder(folder)
    d = store.table("dossiers")
    picked = d.filter(d.receiving_point.notnull()).select("dossier_code", "receiving_point")
    assert store.to_pyarrow(picked).to_pylist() == [
        {"dossier_code": "HS-1", "receiving_point": "ttpvhcc-11"}
    ]
    assert store.to_pyarrow(d.count().as_table()).column(0)[0].as_py() == len(source_rows) + 1
