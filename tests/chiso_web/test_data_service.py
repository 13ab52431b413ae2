"""The data service: scores cached until the data changes; writes are seen at once."""

from __future__ import annotations

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

    row = one(service.store())
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
