"""Pushed JSON records are validated exactly like the rows of a canonical CSV import."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest

from chiso.domain.records import TABLES
from chiso.ingest.importer import import_files, procedure_lookup, unit_tree
from chiso.ingest.issues import ImportRejectedError
from chiso.ingest.records import cell_text, validate_records
from chiso.ingest.resolve import UnitLookup
from chiso.storage.targets import read_canonical

GOOD: dict[str, Any] = {
    "dossier_code": "API-0001",
    "unit_code": "03158",
    "procedure_code": "1.002918",
    "channel": "online",
    "received_at": "2026-10-01T08:00:00",
    "due_at": "05/10/2026 17:00",
    "finished_at": None,
    "status": "processing",
    "supplement_count": 0,
    "fee_amount": 12000.5,
    "synced": True,
}


def _write_csv(path: Path, records: list[dict[str, Any]]) -> Path:
    names = list(dict.fromkeys(k for r in records for k in r))
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(names)
        writer.writerows([cell_text(r.get(n)) for n in names] for r in records)
    return path


def _validate(store: Path, records: list[Any]) -> Any:
    units = UnitLookup(unit_tree(str(store)))
    return validate_records(
        "dossiers", records, units=units, procedures=procedure_lookup(str(store))
    )


def _csv_reasons(store: Path, tmp_path: Path, records: list[dict[str, Any]]) -> set[tuple]:
    path = _write_csv(tmp_path / "batch.csv", records)
    with pytest.raises(ImportRejectedError) as caught:
        import_files("dossiers", [path], str(store), profile="chiso")
    # the CSV's row 1 is its header: data row n of the file is record n - 1 of the batch
    return {(i.row - 1, i.column, i.value, i.reason, i.hint) for i in caught.value.issues}


def test_valid_records_become_the_rows_a_csv_import_of_them_stores(
    store: Path, tmp_path: Path
) -> None:
    records = [GOOD, {**GOOD, "dossier_code": "API-0002", "channel": "Trực tuyến", "synced": "x"}]
    table, issues = _validate(store, records)
    assert issues == []
    assert table.column_names == list(TABLES["dossiers"])
    import_files("dossiers", [_write_csv(tmp_path / "ok.csv", records)], str(store))
    stored = read_canonical(store, "dossiers")
    assert stored is not None
    assert sorted(table.to_pylist(), key=str) == sorted(stored.to_pylist(), key=str)
    first = table.to_pylist()[0]
    assert first["fee_amount"] == 12000.5 and first["synced"] is True
    assert first["due_at"].hour == 17


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("received_at", "31/02/2026"),
        ("channel", "fax"),
        ("unit_code", "99999"),
        ("procedure_code", "9.999999"),
        ("fee_amount", -5),
        ("supplement_count", 1.5),
        ("due_at", "2026-09-01T08:00:00"),  # before it was received
        ("dossier_code", None),
    ],
)
def test_a_bad_value_gets_the_same_reason_as_in_a_csv_import(
    store: Path, tmp_path: Path, field: str, value: Any
) -> None:
    records = [GOOD, {**GOOD, "dossier_code": "API-0002", field: value}]
    _, issues = _validate(store, records)
    pushed = {(i.row, i.column, i.value, i.reason, i.hint) for i in issues}
    assert pushed and all(i.file == "API" and i.row == 2 for i in issues)
    assert pushed == _csv_reasons(store, tmp_path, records)


def test_unknown_fields_and_non_records_are_named(store: Path) -> None:
    records = [{**GOOD, "colour": "red"}, {**GOOD, "dossier_code": "B", "colour": "blue"}, 7]
    _, issues = _validate(store, records)
    found = {(i.row, i.column, i.reason) for i in issues}
    assert found == {
        (1, "colour", "trường không có trong danh mục"),
        (3, "", "không phải một bản ghi"),
    }


def test_nested_values_are_refused(store: Path) -> None:
    _, issues = _validate(store, [{**GOOD, "status": ["processing"]}])
    assert [(i.row, i.column, i.reason) for i in issues] == [
        (1, "status", "không phải một giá trị đơn")
    ]


def test_one_code_twice_with_different_data_is_a_conflict_exact_repeats_collapse(
    store: Path,
) -> None:
    table, issues = _validate(store, [GOOD, dict(GOOD)])
    assert issues == [] and table.num_rows == 1
    table, issues = _validate(store, [GOOD, {**GOOD, "status": "finished"}])
    assert {i.row for i in issues} == {1, 2}
    assert all("xuất hiện với dữ liệu khác nhau" in i.reason for i in issues)
    assert "API dòng 2" in issues[0].reason


def test_unit_and_procedure_names_resolve_like_an_export(store: Path) -> None:
    record = {k: v for k, v in GOOD.items() if k not in ("unit_code", "procedure_code")}
    record |= {"unit_name": "UBND xã Sín Thầu", "procedure_name": "Đăng ký khai tử"}
    table, issues = _validate(store, [record])
    assert issues == []
    assert table.to_pylist()[0]["unit_code"] == "03158"


def test_json_numbers_are_not_read_as_thousands() -> None:
    assert cell_text(1.229) == "1,229"
    assert cell_text(1e-05) == "0,00001"
    assert cell_text(False) == "false"


def test_a_batch_where_every_record_is_bad_for_several_reasons(store: Path) -> None:
    """Found by schemathesis: no valid row left plus a shape problem must not crash."""
    record = {"dossier_code": "0", "channel": None, "received_at": "2026-10-01T08:00:00"}
    table, issues = _validate(store, [{**record, "colour": 42}])
    assert table.num_rows == 0
    assert {i.column for i in issues} >= {"colour", "channel", "unit_code", "procedure_code"}


def test_an_integer_too_big_for_the_table_is_a_bad_value_not_a_crash(
    store: Path, tmp_path: Path
) -> None:
    """Found by schemathesis: 2**64 as supplement_count crashed the integer conversion."""
    records = [GOOD, {**GOOD, "dossier_code": "API-0002", "supplement_count": 2**64}]
    _, issues = _validate(store, records)
    assert [(i.row, i.column, i.reason) for i in issues] == [
        (2, "supplement_count", "không phải số nguyên hợp lệ")
    ]
    assert {(i.row, i.column, i.value, i.reason, i.hint) for i in issues} == _csv_reasons(
        store, tmp_path, records
    )
