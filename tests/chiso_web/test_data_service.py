"""The data service: scores cached until the data changes; writes are seen at once."""

from __future__ import annotations

import threading
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from builders import duckdb_file_of
from chiso_web import data

pytestmark = pytest.mark.django_db


def test_results_are_cached_until_the_data_changes(writable_data: Path) -> None:
    service = data.service()
    the_set, period = data.index_set(), data.period("2026-10")
    first = service.results(the_set, period)
    assert service.results(the_set, period) is first
    tag = service.version_tag()
    data.write_rows("ratings", [_rating("NOT-A-DOSSIER-1")])
    assert service.version_tag() != tag
    assert service.results(the_set, period) is not first


def test_a_new_late_dossier_lowers_the_units_score_at_once(writable_data: Path) -> None:
    service = data.service()
    the_set, period = data.index_set(), data.period("2026-10")
    before = service.results(the_set, period).unit("03158").indicator("tien_do")
    late = _late_dossier(service, "03158")
    data.write_rows("dossiers", [late])
    after = service.results(the_set, period).unit("03158").indicator("tien_do")
    assert after.denominator == (before.denominator or 0) + 1
    assert after.numerator == before.numerator


def test_the_shared_province_is_read_only_for_tests(web_data: Path) -> None:
    assert data.service().source == str(web_data)


def test_the_service_holds_its_source_as_the_librarys_value(
    settings: Any, web_data: Path, tmp_path: Path
) -> None:
    folder = data.service().data_source
    assert (folder.kind, folder.folder) == ("folder", web_data)
    assert data.service().data_source is folder  # parsed once
    url = duckdb_file_of(web_data, tmp_path / "canonical.duckdb")
    settings.CHISO = {**settings.CHISO, "CHISO_DATA": url}
    assert data.service().data_source.kind == "duckdb"


def _rating(code: str) -> dict[str, Any]:
    return {"dossier_code": code, "rated_at": datetime(2026, 10, 2), "channel": "qr"} | {
        "satisfied": True
    }


def _late_dossier(service: data.DataService, unit: str) -> dict[str, Any]:
    def one(store: Any) -> dict[str, Any]:
        t = store.table("dossiers")
        row = store.to_pyarrow(t.filter(t.unit_code == unit).limit(1)).to_pylist()[0]
        return dict(row)

    with service.reading() as store:
        row = one(store)
    row.update(
        dossier_code=f"{unit}-261005-LATE",
        received_at=datetime(2026, 10, 5, 8, 0),
        due_at=datetime(2026, 10, 7, 17, 0),
        finished_at=datetime(2026, 10, 20, 10, 0),
        returned_at=None,
        supplement_count=0,
    )
    return row


def test_a_database_url_keeps_its_scores_cached_between_requests(
    settings: Any, web_data: Path, tmp_path: Path
) -> None:
    url = duckdb_file_of(web_data, tmp_path / "canonical.duckdb")
    settings.CHISO = {**settings.CHISO, "CHISO_DATA": url}
    service = data.service()
    the_set, period = data.index_set(), data.period("2026-10")
    first = service.results(the_set, period)
    assert service.results(the_set, period) is first
    assert service.version_tag() == service.version_tag()


def test_live_scores_stay_cached_within_a_minute_of_the_real_clock(settings: Any) -> None:
    settings.CHISO = {**settings.CHISO, "CHISO_NOW": None}
    assert data.now().second == 0
    assert data.now().microsecond == 0
    service = data.service()
    minute = data.now()
    first = service.results(data.index_set(), data.period(None))
    second = service.results(data.index_set(), data.period(None))
    if data.now() == minute:  # the two requests fell in the same minute
        assert second is first


GUARD = 60.0  # seconds: only turns a deadlock into a failure, never waited for when it works


def _dossier_count(store: Any) -> int:
    return int(store.to_pyarrow(store.table("dossiers").count().as_table()).column(0)[0].as_py())


def test_two_reads_run_at_once_and_a_write_waits_for_them(writable_data: Path) -> None:
    """Real threads, real DuckDB: a read holding the shared store does not stop a second
    read (on its own cursor); a write waits until the reads are done."""
    service = data.service()
    held, release, written = threading.Event(), threading.Event(), threading.Event()
    counts: list[int] = []

    def long_read(store: Any) -> None:
        counts.append(_dossier_count(store))
        held.set()
        release.wait(GUARD)
        counts.append(_dossier_count(store))

    def write() -> None:
        data.write_rows("ratings", [_rating("NOT-A-DOSSIER-3")])
        written.set()

    first = threading.Thread(target=service.query, args=(long_read,), daemon=True)
    second = threading.Thread(
        target=lambda: counts.append(service.query(_dossier_count)), daemon=True
    )
    writer = threading.Thread(target=write, daemon=True)
    try:
        first.start()
        assert held.wait(GUARD)
        second.start()
        second.join(10.0)
        assert not second.is_alive(), "the second read waited for the first"
        writer.start()
        assert service.lock.wait_for_writers(1, GUARD)
        assert not written.wait(0.2), "the write ran during a read"
    finally:
        release.set()
        first.join(GUARD)
    writer.join(GUARD)
    assert written.is_set()
    assert len(counts) == 3 and len(set(counts)) == 1 and counts[0] > 0
