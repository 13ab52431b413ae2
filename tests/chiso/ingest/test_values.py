from __future__ import annotations

from datetime import datetime

import pyarrow as pa
from hypothesis import given
from hypothesis import strategies as st

from chiso.ingest.values import parse_choice, parse_numbers, parse_timestamps


def test_it_reads_vietnamese_dates_times_iso_and_excel_serials() -> None:
    text = pa.array(
        ["05/03/2026", "5/3/2026 8:05", "05-03-2026 08h05", "08:05 ngày 05/03/2026",
         "2026-03-05 08:05:00", "46086", "46086,5", None]
    )  # fmt: skip
    values, bad = parse_timestamps(text)
    assert values.to_pylist() == [
        datetime(2026, 3, 5), datetime(2026, 3, 5, 8, 5), datetime(2026, 3, 5, 8, 5),
        datetime(2026, 3, 5, 8, 5), datetime(2026, 3, 5, 8, 5), datetime(2026, 3, 5),
        datetime(2026, 3, 5, 12), None,
    ]  # fmt: skip
    assert not bad.any()


def test_it_rejects_impossible_dates_instead_of_rolling_them_over() -> None:
    values, bad = parse_timestamps(
        pa.array(["31/02/2026", "29/02/2025", "29/02/2024", "12/13/2026", "25:00 01/01/2026"])
    )
    assert bad.tolist() == [True, True, False, True, True]
    assert values.to_pylist()[2] == datetime(2024, 2, 29)


def test_it_reads_vietnamese_and_plain_numbers() -> None:
    values, bad = parse_numbers(
        pa.array(["1.229.100", "98,32", "1229100", "98.5", "14.000 đ", "abc", "1,2,3"])
    )
    assert values.to_pylist()[:5] == [1229100.0, 98.32, 1229100.0, 98.5, 14000.0]
    assert bad.tolist() == [False] * 5 + [True, True]


def test_it_maps_labels_whatever_their_case_and_diacritics() -> None:
    mapping = {"truc tuyen": "online", "truc tiep": "direct"}
    values, bad = parse_choice(
        pa.array(["Trực tuyến", "TRỰC TIẾP", "truc  tuyen", "qua mạng", None]), mapping
    )
    assert values.to_pylist() == ["online", "direct", "online", None, None]
    assert bad.tolist() == [False, False, False, True, False]


@given(st.datetimes(min_value=datetime(1950, 1, 1), max_value=datetime(2100, 12, 31)))
def test_a_printed_date_time_reads_back_to_the_minute(moment: datetime) -> None:
    moment = moment.replace(second=0, microsecond=0)
    for text in (moment.strftime("%d/%m/%Y %H:%M"), moment.strftime("%Y-%m-%d %H:%M:%S")):
        values, bad = parse_timestamps(pa.array([text]))
        assert values.to_pylist() == [moment] and not bad.any()


@given(st.lists(st.one_of(st.none(), st.text(max_size=25)), max_size=30))
def test_parsers_never_raise_and_flag_exactly_the_unreadable_cells(cells: list[str | None]) -> None:
    text = pa.array([c.strip() or None if c is not None else None for c in cells], pa.string())
    for parse in (parse_timestamps, parse_numbers):
        values, bad = parse(text)
        assert len(values) == len(text) == len(bad)
        for value, flagged, cell in zip(
            values.to_pylist(), bad.tolist(), text.to_pylist(), strict=True
        ):
            assert (value is None) == (cell is None or flagged)
