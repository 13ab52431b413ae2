"""Importing messy dossier exports: every format, every bad row explained, nothing lost."""

from __future__ import annotations

import copy
import csv
from pathlib import Path
from typing import Any

import duckdb
import pytest

from chiso.ingest.importer import import_files
from chiso.ingest.issues import ImportRejectedError, RowIssue
from chiso.storage.targets import read_canonical
from exports import HEADERS, write_csv, write_xlsx


def stored(folder: Path) -> list[dict[str, Any]]:
    table = read_canonical(folder, "dossiers")
    return sorted(table.to_pylist(), key=lambda r: r["dossier_code"]) if table else []


def column(name: str) -> int:
    return [f for _, f in HEADERS].index(name)


def test_a_messy_csv_export_imports_exactly(
    store: Path, tmp_path: Path, export_rows, source_rows
) -> None:
    path = write_csv(tmp_path / "export.csv", export_rows)
    result = import_files("dossiers", [path], str(store))
    assert result.issues == [] and result.diff.new == len(source_rows)
    assert result.skipped > 0  # blank lines and the totals row
    assert stored(store) == source_rows


def test_an_xlsx_with_merged_titles_hidden_column_and_serial_dates_imports_exactly(
    store: Path, tmp_path: Path, export_rows, source_rows
) -> None:
    path = write_xlsx(tmp_path / "export.xlsx", export_rows)
    result = import_files("dossiers", [path], str(store))
    assert result.issues == []
    assert result.layouts[str(path)].header_row == 5
    assert stored(store) == source_rows


def test_ods_and_xls_exports_import_like_csv(
    store: Path, tmp_path: Path, export_rows, source_rows
) -> None:
    import pandas as pd

    frame = pd.DataFrame(export_rows[:50], columns=[h for h, _ in HEADERS])
    frame.to_excel(tmp_path / "export.ods", index=False, engine="odf")
    result = import_files("dossiers", [tmp_path / "export.ods"], str(store))
    assert result.issues == [] and result.diff.new == 50
    assert stored(store) == source_rows[:50]


def test_reimporting_the_same_export_changes_nothing(
    store: Path, tmp_path: Path, export_rows
) -> None:
    path = write_csv(tmp_path / "export.csv", export_rows)
    import_files("dossiers", [path], str(store))
    before = (store / "dossiers.parquet").stat().st_mtime_ns
    again = import_files("dossiers", [path], str(store))
    assert (again.diff.new, again.diff.changed, again.written) == (0, 0, False)
    assert (store / "dossiers.parquet").stat().st_mtime_ns == before


def test_an_updated_export_updates_status_and_dates_by_code_without_duplicates(
    store: Path, tmp_path: Path, export_rows, source_rows
) -> None:
    import_files("dossiers", [write_csv(tmp_path / "v1.csv", export_rows)], str(store))
    pending = next(i for i, r in enumerate(source_rows) if r["finished_at"] is None)
    updated = copy.deepcopy(export_rows)
    updated[pending][column("status")] = "Đã giải quyết"
    updated[pending][column("finished_at")] = "30/12/2026 10:00"
    dry = import_files(
        "dossiers", [write_csv(tmp_path / "v2.csv", updated)], str(store), dry_run=True
    )
    assert (dry.diff.new, dry.diff.changed) == (0, 1)
    assert dry.diff.columns == {"finished_at": 1, "status": 1}
    assert stored(store) == source_rows  # a dry run writes nothing
    import_files("dossiers", [tmp_path / "v2.csv"], str(store))
    after = stored(store)
    assert len(after) == len(source_rows)
    assert after[pending]["status"] == "finished"
    assert after[pending]["finished_at"].isoformat() == "2026-12-30T10:00:00"


BAD_CELLS = [
    # (row index, field, bad text, column reported, words of the reason)
    (3, "received_at", "31/02/2026 08:00", "received_at", "không phải ngày giờ hợp lệ"),
    (4, "received_at", "", "received_at", "thiếu giá trị"),
    (5, "due_at", "01/01/2020 08:00", "due_at", "ngày hẹn trả trước ngày tiếp nhận"),
    (6, "finished_at", "01/01/2020 08:00", "finished_at", "kết thúc xử lý trước ngày tiếp nhận"),
    (7, "unit_name", "UBND xã Mường Phăngg", "unit_name", "không có đơn vị này"),
    (8, "procedure_code", "9.999999", "procedure_code", "không có mã thủ tục này"),
    (9, "channel", "Fax", "channel", "không phải giá trị hợp lệ"),
    (10, "payment", "Bitcoin", "payment", "không phải giá trị hợp lệ"),
    (11, "fee_amount", "mười nghìn", "fee_amount", "không phải số hợp lệ"),
    (12, "supplement_count", "-1", "supplement_count", "giá trị âm"),
    (13, "dossier_code", "", "dossier_code", "thiếu giá trị"),
]


def test_every_bad_row_is_reported_with_row_column_value_reason_and_hint(
    store: Path, tmp_path: Path, export_rows
) -> None:
    rows = copy.deepcopy(export_rows)
    for index, field, text, *_ in BAD_CELLS:
        rows[index][column(field)] = text
    path = write_csv(tmp_path / "bad.csv", rows, messy=False)  # header on line 1
    rejects = tmp_path / "rejects.csv"
    with pytest.raises(ImportRejectedError) as caught:
        import_files("dossiers", [path], str(store), rejects=rejects)
    found = {(i.row, i.column): i for i in caught.value.issues}
    for index, _field, text, reported, reason in BAD_CELLS:
        issue = found[(index + 2, reported)]  # +1 header line, +1 one-based
        assert reason in issue.reason and issue.value == text and issue.hint
        assert issue.file == str(path)
    assert len(caught.value.issues) == len(BAD_CELLS)
    assert "11 trong 600 dòng không hợp lệ" in caught.value.message
    assert not (store / "dossiers.parquet").exists()  # all or nothing
    with rejects.open(encoding="utf-8-sig") as fh:
        assert len(list(csv.DictReader(fh))) == len(BAD_CELLS)


def test_skip_invalid_imports_the_valid_rows_and_lists_the_rest(
    store: Path, tmp_path: Path, export_rows
) -> None:
    rows = copy.deepcopy(export_rows)
    rows[3][column("received_at")] = "32/01/2026"
    result = import_files(
        "dossiers", [write_csv(tmp_path / "bad.csv", rows)], str(store), skip_invalid=True
    )
    assert [(i.column, i.reason) for i in result.issues] == [
        ("received_at", "không phải ngày giờ hợp lệ")
    ]
    assert len(stored(store)) == len(rows) - 1


def test_unknown_unit_names_get_a_did_you_mean(store: Path, tmp_path: Path, export_rows) -> None:
    rows = copy.deepcopy(export_rows[:5])
    rows[0][column("unit_name")] = "UBND xã Mường Phăngg"
    with pytest.raises(ImportRejectedError) as caught:
        import_files("dossiers", [write_csv(tmp_path / "x.csv", rows)], str(store))
    assert "có phải là" in caught.value.issues[0].reason
    assert "Mường Phăng" in caught.value.issues[0].reason


def test_a_unit_that_no_longer_existed_names_its_successor(
    store: Path, tmp_path: Path, export_rows
) -> None:
    (store / "units.parquet").unlink()  # the shipped tree, with the units before 1/7/2025
    rows = copy.deepcopy(export_rows[:3])
    rows[0][column("unit_name")] = "03127-cu"  # old P. Him Lam, abolished 1/7/2025
    with pytest.raises(ImportRejectedError) as caught:
        import_files("dossiers", [write_csv(tmp_path / "x.csv", rows)], str(store))
    reason = caught.value.issues[0].reason
    assert "không còn vào ngày" in reason and "đơn vị kế thừa" in reason


def test_the_same_code_twice_with_different_data_rejects_both_rows(
    store: Path, tmp_path: Path, export_rows
) -> None:
    rows = copy.deepcopy(export_rows[:10])
    twin = copy.deepcopy(rows[2])
    twin[column("status")] = "Đang xử lý"
    rows.append(twin)
    rows.append(copy.deepcopy(rows[4]))  # an exact repeat is harmless
    with pytest.raises(ImportRejectedError) as caught:
        import_files("dossiers", [write_csv(tmp_path / "dup.csv", rows, messy=False)], str(store))
    issues: list[RowIssue] = caught.value.issues
    assert sorted(i.row for i in issues) == [4, 12]
    assert all("xuất hiện với dữ liệu khác nhau" in i.reason for i in issues)
    result = import_files("dossiers", [tmp_path / "dup.csv"], str(store), skip_invalid=True)
    assert (result.diff.new, result.repeats) == (9, 1)


def test_unrecognised_headers_are_listed_and_a_profile_can_be_drafted_and_used(
    store: Path, tmp_path: Path, export_rows
) -> None:
    from chiso.ingest.profiles import HeaderMatch, draft_profile, load_profile

    headers = [h for h, _ in HEADERS]
    headers[column("received_at")] = "Thời điểm nộp đơn"  # wording no profile knows
    path = tmp_path / "odd.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(headers)
        writer.writerows(export_rows[:20])
    from chiso.errors import UserError

    with pytest.raises(UserError) as caught:
        import_files("dossiers", [path], str(store))
    assert "received_at" in caught.value.message and "Thời điểm nộp đơn" in caught.value.message
    base = load_profile("chiso")
    match: HeaderMatch = base.match("dossiers", headers)
    draft = tmp_path / "he-thong-moi.yaml"
    draft_profile(draft, table="dossiers", headers=headers, match=match, base=base)
    text = draft.read_text(encoding="utf-8")
    assert "#   - Thời điểm nộp đơn" in text
    draft.write_text(
        text.replace("# received_at: []", 'received_at: ["Thời điểm nộp đơn"]'), encoding="utf-8"
    )
    result = import_files("dossiers", [path], str(store), profile=str(draft))
    assert result.diff.new == 20


def test_import_into_a_duckdb_database_is_transactional_and_idempotent(
    store: Path, tmp_path: Path, export_rows, source_rows
) -> None:
    url = f"duckdb:///{tmp_path / 'chiso.duckdb'}"
    path = write_csv(tmp_path / "export.csv", export_rows)
    first = import_files("dossiers", [path], url)
    again = import_files("dossiers", [path], url)
    assert (first.diff.new, again.diff.new, again.diff.unchanged) == (600, 0, 600)
    con = duckdb.connect(str(tmp_path / "chiso.duckdb"))
    assert con.execute(
        "SELECT count(*), count(DISTINCT dossier_code) FROM dossiers"
    ).fetchone() == (600, 600)


@pytest.mark.postgres
def test_import_into_postgresql_is_transactional_and_idempotent(
    tmp_path: Path, export_rows
) -> None:
    import psycopg

    url = "postgresql://postgres@127.0.0.1:5432/postgres"
    schema = f"chiso_import_{tmp_path.name[-8:].replace('-', '_')}".lower()
    with psycopg.connect(url, autocommit=True) as con:
        con.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        con.execute(f"CREATE SCHEMA {schema}")
    scoped = f"{url}?options=-csearch_path%3D{schema}"
    path = write_csv(tmp_path / "export.csv", export_rows[:100])
    first = import_files("dossiers", [path], scoped)
    again = import_files("dossiers", [path], scoped)
    assert (first.diff.new, again.diff.new, again.diff.unchanged) == (100, 0, 100)
    with psycopg.connect(url, autocommit=True) as con:
        count = con.execute(f"SELECT count(*) FROM {schema}.dossiers").fetchone()
        con.execute(f"DROP SCHEMA {schema} CASCADE")
    assert count == (100,)


def test_updates_to_a_chunked_folder_rewrite_only_the_parts_that_hold_them(
    province: Path, tmp_path: Path, export_rows, source_rows
) -> None:
    import shutil

    folder = tmp_path / "chunked"
    shutil.copytree(province, folder)
    parts_before = sorted(p.name for p in (folder / "dossiers").glob("*.parquet"))
    rows = copy.deepcopy(export_rows[:2])
    rows[0][column("status")] = "Rút hồ sơ"
    result = import_files("dossiers", [write_csv(tmp_path / "u.csv", rows)], str(folder))
    # both rows change: the export prints minutes, the generated data has seconds
    assert (result.diff.new, result.diff.changed) == (0, 2)
    assert result.diff.columns["status"] == 1
    parts_after = sorted(p.name for p in (folder / "dossiers").glob("*.parquet"))
    assert len(parts_after) == len(parts_before) + 1
    table = read_canonical(folder, "dossiers").to_pylist()
    assert len(table) == len(source_rows)
    changed = [r for r in table if r["dossier_code"] == source_rows[0]["dossier_code"]]
    assert [r["status"] for r in changed] == ["withdrawn"]
