"""Blocks converted in threads, and the quick paths of the converter (issue #13, item 8).

The import reads a file in one thread and converts its blocks in a pool
(``ingest/parallel``): results come back in the file's order, a bounded number ahead, in
the caller's language.  The quick paths give exactly what the general ones give: dates
of one fixed-width form computed in integers, record keys of plain ASCII tested from
their bytes, names grouped per (value, epoch) without sorting.
"""

from __future__ import annotations

import calendar
import random
import threading
import time
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pytest

import chiso.ingest.pieces as pieces
import chiso.ingest.values as values
from chiso.i18n import language, using
from chiso.ingest.convert import _groups, clean_text
from chiso.ingest.importer import import_files
from chiso.ingest.issues import ImportRejectedError
from chiso.ingest.parallel import Sink, ordered_map, worker_pool
from chiso.storage.targets import read_canonical
from exports import HEADERS, write_csv, write_xlsx


def test_ordered_map_keeps_order_and_language_and_holds_few_ahead() -> None:
    started: list[int] = []

    def slow(i: int) -> tuple[int, str, str]:
        started.append(i)
        time.sleep(0.002 * (i % 3))  # later items may finish first
        return i, language(), threading.current_thread().name

    pool = worker_pool()
    try:
        with using("en"):
            results = ordered_map(slow, range(40), pool, ahead=3)
            first = next(results)
            assert len(started) <= 4  # the first result waited for, three more at most
            rest = list(results)
    finally:
        pool.shutdown()
    assert [r[0] for r in [first, *rest]] == list(range(40))
    assert {r[1] for r in [first, *rest]} == {"en"}
    assert all(r[2].startswith("chiso-import") for r in [first, *rest])


def test_ordered_map_raises_the_error_where_its_result_comes() -> None:
    def fail_on_five(i: int) -> int:
        if i == 5:
            raise ValueError("five")
        return i

    pool = worker_pool()
    seen: list[int] = []
    try:
        with pytest.raises(ValueError, match="five"):
            seen.extend(ordered_map(fail_on_five, range(20), pool))
    finally:
        pool.shutdown()
    assert seen == [0, 1, 2, 3, 4]


def test_sink_writes_in_order_and_raises_a_writes_error() -> None:
    written: list[int] = []

    def write(i: int) -> None:
        if i == 7:
            raise OSError("disk full")
        time.sleep(0.001 * (i % 2))
        written.append(i)

    sink: Sink[int] = Sink(write)
    try:
        for i in range(7):
            sink.put(i)
        sink.finish()
        assert written == list(range(7))
        sink.put(7)
        with pytest.raises(OSError, match="disk full"):
            sink.finish()
    finally:
        sink.close()


FORMS = (
    "{d:02d}/{m:02d}/{y:04d} {H:02d}:{M:02d}",
    "{d:02d}/{m:02d}/{y:04d}",
    "{d:02d}/{m:02d}/{y:04d} {H:02d}:{M:02d}:{S:02d}",
    "{y:04d}-{m:02d}-{d:02d} {H:02d}:{M:02d}:{S:02d}",
    "{y:04d}-{m:02d}-{d:02d}",
)


def _dates(form: str, n: int, rng: random.Random, *, blanks: float) -> list[str]:
    cells = []
    for _ in range(n):
        if rng.random() < blanks:
            cells.append("")
            continue
        y = rng.choice([1900, 2000, 2024, 2100, 2200, rng.randint(1900, 2200)])
        m = rng.randint(1, 12)
        d = rng.randint(1, calendar.monthrange(y, m)[1])
        hms = {"H": rng.randint(0, 23), "M": rng.randint(0, 59), "S": rng.randint(0, 59)}
        cells.append(form.format(y=y, m=m, d=d, **hms))
    return cells


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("blanks", [0.0, 0.3])
def test_dates_of_one_form_are_read_as_the_general_path_reads_them(
    form: str, blanks: float, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(f"{form}{blanks}")
    cells = [*_dates(form, 3000, rng, blanks=blanks), form.format(y=2024, m=2, d=29, H=0, M=0, S=0)]
    text = clean_text(pa.array(cells, pa.string()))
    present = np.asarray(text.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
    assert values._one_form(text, present) is not None  # the quick path is taken
    quick, quick_bad = values.parse_timestamps(text)
    monkeypatch.setattr(values, "_one_form", lambda *_: None)
    general, general_bad = values.parse_timestamps(text)
    assert quick.equals(general)
    assert not quick_bad.any() and not general_bad.any()


@pytest.mark.parametrize("odd", ["29/02/2025 10:00", "31/04/2026 10:00", "01/01/2026 24:00",
                                 "01/13/2026 10:00", "01/01/1899 10:00", "1/01/2026 10:00",
                                 "01.01.2026 10:00", "46023"])  # fmt: skip
def test_a_column_with_one_other_cell_is_left_to_the_general_path(
    odd: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    cells = [*_dates(FORMS[0], 500, random.Random(odd), blanks=0.1), odd]
    text = clean_text(pa.array(cells, pa.string()))
    present = np.asarray(text.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
    assert values._one_form(text, present) is None
    got = values.parse_timestamps(text)
    monkeypatch.setattr(values, "_one_form", lambda *_: None)
    expected = values.parse_timestamps(text)
    assert got[0].equals(expected[0]) and (got[1] == expected[1]).all()


def test_ascii_keys_are_tested_from_their_bytes_as_the_regexes_test_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rng = random.Random(13)
    alphabet = "0123456789TtCcab(-. )/:xQ"
    sizes = [1, 2, 3, 4, 5, 19, 20, 21]
    keys = ["".join(rng.choice(alphabet) for _ in range(rng.choice(sizes))) for _ in range(20_000)]
    keys += ["1", "12", "123", "1a", "12a", "1.", "12.", "(1)", "T", "t" * 19, "t" * 20, "a ",
             " a", "99x", "03169-260101-000001", "Cộng"[:1], "Tổng cộng"[:1]]  # fmt: skip
    column = pa.array(keys, pa.string()).slice(3)
    quick = pieces._sure_ascii_keys(column)
    assert quick is not None
    monkeypatch.setattr(pieces, "_sure_ascii_keys", lambda _: None)
    assert (quick == pieces._sure_keys(column)).all()
    assert pieces._sure_ascii_keys(pa.array(["Tổng cộng", "A-1"])) is None  # not ASCII
    assert pieces._sure_ascii_keys(pa.array(["A-1", None])) is None  # a missing key


@pytest.mark.parametrize("space", [10, 5000, 10**9])
def test_groups_are_those_of_numpy_unique(space: int) -> None:
    keys = np.random.default_rng(space).integers(0, space, 20_000)
    _, first, group = np.unique(keys, return_index=True, return_inverse=True)
    got_first, got_group = _groups(keys)
    assert (got_first == first).all() and (got_group == group.reshape(-1)).all()


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_an_import_in_threads_stores_and_explains_every_block_in_the_files_order(
    suffix: str,
    store: Path,
    tmp_path: Path,
    export_rows: list[list[str]],
    source_rows: list[dict[str, Any]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("chiso.ingest.importer.BLOCK_ROWS", 37)  # many blocks in flight
    write = write_csv if suffix == ".csv" else write_xlsx
    result = import_files("dossiers", [write(tmp_path / f"ok{suffix}", export_rows)], str(store))
    assert result.rows == len(source_rows) and not result.issues
    stored = read_canonical(store, "dossiers")["dossier_code"].to_pylist()
    assert stored == [r["dossier_code"] for r in source_rows]  # the file's order
    received = [h for _, h in HEADERS].index("received_at")
    bad = [list(r) for r in export_rows]
    for i in range(5, len(bad), 41):
        bad[i][received] = "31/02/2026 10:00"
    path = write(tmp_path / f"bad{suffix}", bad)
    found = []
    for workers in (3, 1):
        monkeypatch.setattr("chiso.ingest.parallel.WORKERS", workers)
        with pytest.raises(ImportRejectedError) as caught:
            import_files("dossiers", [path], str(tmp_path / f"data-{workers}"))
        found.append([(i.row, i.column, i.value) for i in caught.value.issues])
    assert found[0] == found[1]  # the same problems in the same order as one thread gives
    dated = [row for row, column, _ in found[0] if column == "received_at"]
    assert len(dated) == len(range(5, len(bad), 41)) and dated == sorted(dated)


def test_repeated_values_parsed_once_each_give_what_every_cell_parsed_gives(
    tmp_path: Path, export_rows: list[list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(8)
    odd = ["??", "", " Trực tuyến ", "1,5", "-3", "x", "Có", "  ", "abc", "1.229.100", "KHÔNG"]
    fields = [f for _, f in HEADERS]
    rows = [list(r) for r in export_rows]
    for name in ("channel", "status", "payment", "fee_amount", "supplement_count", "synced",
                 "unit_name", "procedure_code"):  # fmt: skip
        for i in rng.sample(range(len(rows)), len(rows) // 5):
            rows[i][fields.index(name)] = rng.choice(odd)
    path = write_csv(tmp_path / "odd.csv", rows)
    found = []
    for ratio in (4, 10**9):  # parsed per distinct value, then per cell
        monkeypatch.setattr("chiso.ingest.convert._DISTINCT_RATIO", ratio)
        with pytest.raises(ImportRejectedError) as caught:
            import_files("dossiers", [path], str(tmp_path / f"data-{ratio}"))
        found.append(caught.value.issues)
        kept = tmp_path / f"kept-{ratio}"
        import_files("dossiers", [path], str(kept), skip_invalid=True)
        found.append(read_canonical(kept, "dossiers").to_pylist())
    assert found[0] == found[2] and len(found[0]) > 100
    assert found[1] == found[3] and 0 < len(found[1]) < len(rows)
