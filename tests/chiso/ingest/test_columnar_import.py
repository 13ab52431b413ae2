"""The columnar import reads, skips and explains exactly what the row-by-row one did.

CSV records are read by Arrow (``ingest/csv_columns``), decoration is found per piece
(``ingest/pieces``) and unit names are resolved once per name and validity epoch
(``convert``); each is compared here with the row-by-row way it replaced.
"""

from __future__ import annotations

import copy
import random
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pytest

import chiso.ingest.csv_columns as csv_columns
import chiso.ingest.sources as sources
from chiso.domain.units import UnitTree
from chiso.ingest.importer import ImportResult, import_files
from chiso.ingest.issues import ImportRejectedError
from chiso.ingest.layout import is_decoration
from chiso.ingest.pieces import Piece, blocks_of, drop_decoration
from chiso.ingest.resolve import UnitLookup
from chiso.ingest.sources import open_rows
from chiso.storage.targets import read_canonical
from exports import HEADERS, write_csv, write_xlsx

Rows = list[tuple[int, list[str]]]


def _by_arrow(path: Path, first_line: int) -> Rows:
    source = open_rows(path)
    assert source.pieces is not None
    out: Rows = []
    for piece in source.pieces(first_line):
        columns = [c.to_pylist() for c in piece.columns]
        out.extend((int(n), [col[i] or "" for col in columns]) for i, n in enumerate(piece.rows))
    return out


def _by_csv(path: Path, first_line: int) -> Rows:
    return [(n, [c or "" for c in cells]) for n, cells in open_rows(path).rows if n >= first_line]


def _trimmed(rows: Rows) -> Rows:
    """Cells up to the last filled one (Arrow pads a blank line to the width)."""
    return [(n, c[: max([j + 1 for j, x in enumerate(c) if x] or [0])]) for n, c in rows]


def _random_csv(rng: random.Random) -> str:
    lines = []
    for _ in range(rng.randint(1, 12)):
        cells = []
        for _ in range(3):
            value = "".join(rng.choice(["a", "ố", ",", '"', "\n", "\r\n", "\r", " "]) for _ in "ab")
            if any(ch in value for ch in ',"\n\r') or rng.random() < 0.2:
                value = '"' + value.replace('"', '""') + '"'
            cells.append(value)
        lines.append(",".join(cells) if rng.random() < 0.9 else rng.choice(["", "x", "1,2,3,4"]))
    return rng.choice(["\n", "\r\n", "\r"]).join(lines) + rng.choice(["", "\n"])


def test_arrow_reads_the_records_and_line_numbers_that_csv_reads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(5)
    compared = 0
    for k in range(400):
        monkeypatch.setattr(csv_columns, "BATCH_BYTES", rng.choice([7, 16, 33, 1 << 20]))
        path = tmp_path / f"f{k}.csv"
        path.write_bytes(("TIÊU ĐỀ\nA,B,C\n" + _random_csv(rng)).encode())
        if open_rows(path).pieces is None:
            continue  # the sniffer found a dialect only csv reads
        assert _trimmed(_by_arrow(path, 3)) == _trimmed(_by_csv(path, 3)), path.read_text()
        compared += 1
    assert compared > 300


def test_where_arrow_stops_csv_reads_on_from_the_same_record(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(csv_columns, "BATCH_BYTES", 64)  # many batches
    name = "Sơ\u0309 Tư\npháp"  # Windows-1258: tones as combining marks
    body = "".join(f'HS-{i},"{name}",{i}\n' for i in range(200))
    path = tmp_path / "ragged.csv"
    header = "Ma\u0303,Đơn vi\u0323,Sô\u0301\n"
    path.write_bytes((header + body + "HS-x,1\n" + body).encode("cp1258"))
    rows = _trimmed(_by_arrow(path, 2))
    assert rows == _trimmed(_by_csv(path, 2))
    assert rows[1] == (4, ["HS-1", name, "1"])  # two lines per record
    assert rows[200] == (402, ["HS-x", "1"])  # the short row, read by csv
    assert rows[-1] == (801, ["HS-199", name, "199"])


def test_a_regular_export_is_read_by_arrow_alone(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "x.csv", [[str(i), f"HS-{i}"] for i in range(5000)], messy=False)
    source = open_rows(path)

    def no_csv() -> Iterator[tuple[int, list[str | None]]]:
        raise AssertionError("csv was asked for rows")

    encoding, dialect = sources._encoding(path), sources._dialect(path, "utf-8-sig")
    reader = csv_columns.csv_pieces(path, encoding, dialect, no_csv)
    assert reader is not None and source.pieces is not None
    assert sum(len(p) for p in reader(2)) == 5000


def test_decoration_found_per_piece_is_what_is_decoration_says_per_row() -> None:
    keys = ["HS-1", " HS-2", "HS-3 ", "", None, "(1)", "12", "1 = 2", "123", "Tổng cộng",
            "Tổng số hồ sơ của toàn tỉnh", "Cộng", "Tc", "t", "000.00.30.H18-260101-0001",
            "\u00a0HS-4", "HS-5\u00a0", "١٢", "(3)", "Tong", "x", "Cuối", "1)", "7.5"]  # fmt: skip
    other = ["", "(2)", "Tổng", "x", None, "(4)"]
    rows = [[k, other[i % len(other)], other[(i + 2) % len(other)]] for i, k in enumerate(keys)]
    rows += [[None, None, None], ["", "(1)", "(2)"], ["", "Tổng cộng", ""]]
    piece = Piece(
        np.arange(len(rows), dtype=np.int64),
        [pa.array([r[j] for r in rows], pa.string()) for j in range(3)],
    )
    kept, dropped = drop_decoration(piece, 0)
    expected = [r for r in rows if not is_decoration(r, 0)]
    assert kept.cells(np.arange(len(kept))) == expected
    assert dropped == len(rows) - len(expected)


def test_blocks_have_the_same_size_whatever_the_pieces() -> None:
    pieces = [
        Piece(np.arange(s, s + n, dtype=np.int64), [pa.array([str(i) for i in range(s, s + n)])])
        for s, n in ((0, 3), (3, 7), (10, 1), (11, 6))
    ]
    blocks = list(blocks_of(iter(pieces), 5))
    assert [len(b) for b in blocks] == [5, 5, 5, 2]
    assert [b.columns[0].to_pylist() for b in blocks][1] == ["5", "6", "7", "8", "9"]


def _row_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sources, "csv_pieces", lambda *_: None)


def _bad_rows(export_rows: list[list[str]]) -> list[list[str]]:
    at = {field: j for j, (_, field) in enumerate(HEADERS) if field}
    rows = copy.deepcopy(export_rows)
    spoil = [
        ("unit_name", "UBND xã Mường Phăngg"),
        ("unit_name", "03127-cu"),
        ("received_at", "31/02/2026 08:00"),
        ("fee_amount", "1,2,3"),
        ("channel", "Bồ câu"),
        ("procedure_code", "9.999999"),
        ("dossier_code", ""),
    ]
    for i, (field, value) in enumerate(spoil * 20):
        rows[i * 7 % len(rows)][at[field]] = value
    return rows


def _outcome(path: Path, store: Path) -> tuple[Any, ...]:
    try:
        result = import_files("dossiers", [path], str(store))
    except ImportRejectedError as exc:
        return exc.issues, str(exc)
    stored = read_canonical(store, "dossiers")
    return result.rows, result.skipped, stored.sort_by("dossier_code").to_pylist()


@pytest.mark.parametrize("spoilt", [False, True])
def test_an_import_gives_the_same_rows_and_issues_as_the_row_by_row_reader(
    store: Path, tmp_path: Path, export_rows, monkeypatch: pytest.MonkeyPatch, spoilt: bool
) -> None:
    rows = _bad_rows(export_rows) if spoilt else export_rows
    (store / "units.parquet").unlink()  # the shipped tree: units abolished on 1/7/2025
    path = write_csv(tmp_path / "x.csv", rows)
    columnar = _outcome(path, store)
    _row_path(monkeypatch)
    assert _outcome(path, store) == columnar
    if spoilt:
        assert len(columnar[0]) >= 140


@pytest.mark.parametrize("spoilt", [False, True])
def test_an_excel_import_gives_the_same_rows_and_issues_as_the_row_by_row_reader(
    store: Path, tmp_path: Path, export_rows, monkeypatch: pytest.MonkeyPatch, spoilt: bool
) -> None:
    # merged title rows, shared strings, typed numbers, dates as Excel serials and (a few,
    # with a trailing space) as text, empty cells, a hidden column, a totals row
    rows = copy.deepcopy(_bad_rows(export_rows) if spoilt else export_rows)
    at = {field: j for j, (_, field) in enumerate(HEADERS) if field}
    for row in rows[3::11]:
        row[at["received_at"]] += " "
        row[at["fee_amount"]] = ""
    path = write_xlsx(tmp_path / "x.xlsx", rows)
    assert open_rows(path).pieces is not None  # the rows come as columns
    columnar = _outcome(path, store)
    monkeypatch.setattr(sources, "xlsx_pieces", lambda _: None)
    assert open_rows(path).pieces is None
    assert _outcome(path, store) == columnar
    assert (len(columnar[0]) >= 130) if spoilt else columnar[0] == len(rows)


def test_names_are_resolved_per_epoch_with_each_rows_own_day() -> None:
    tree = UnitTree.dienbien()
    lookup = UnitLookup(tree)
    days = [date(2025, 6, 28) + timedelta(days=d) for d in range(6)] + [None]
    numbers = np.array(
        [(d - date(1970, 1, 1)).days if d else np.iinfo(np.int64).min for d in days], np.int64
    )
    epochs = lookup.epochs(numbers)
    assert epochs[-1] == -1 and len(set(epochs[:3].tolist())) == 1
    assert epochs[3] != epochs[2]  # 1/7/2025: the two-level reform
    from chiso.ingest.convert import _look_up

    for name in ("03127-cu", "UBND phường Him Lam", "Him Lam", "Xã Mường Phăngg"):
        problems: dict[tuple[str, str], list[np.ndarray]] = {}
        values = pa.array([name] * len(days))
        every = np.ones(len(days), bool)

        def by_name(value: str, i: int) -> tuple[str | None, str | None]:
            return lookup.by_name(value, days[i])

        found = _look_up(values, every, epochs, by_name, problems, "unit_name")
        assert found is not None
        fresh = UnitLookup(tree)
        expected = [fresh.by_name(name, d) for d in days]
        assert found.to_pylist() == [code for code, _ in expected]
        per_row = {int(r[0]): problem for (_, problem), rs in problems.items() for r in rs}
        assert per_row == {i: p for i, (_, p) in enumerate(expected) if p}


def test_import_result_counts_skipped_rows_once(store: Path, tmp_path: Path, export_rows) -> None:
    path = write_csv(tmp_path / "x.csv", export_rows)
    result = import_files("dossiers", [path], str(store))
    assert isinstance(result, ImportResult)
    blank_lines = sum(1 for i in range(len(export_rows)) if i % 97 == 50)
    assert result.skipped == 1 + blank_lines  # the totals row and the blank lines
