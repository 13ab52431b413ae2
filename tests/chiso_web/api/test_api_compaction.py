"""The push flusher compacts the dossier parts its merges leave once there are too many."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from chiso.storage.targets import read_canonical
from chiso_web import data
from chiso_web.api import inbox
from web_cast import ALICE_UNIT
from web_push import push_merged

pytestmark = pytest.mark.django_db


def parts(folder: Path) -> list[str]:
    return sorted(p.name for p in (folder / "dossiers").glob("*.parquet"))


def codes(folder: Path) -> list[str]:
    return sorted(read_canonical(folder, "dossiers").column("dossier_code").to_pylist())


def earlier_merges(folder: Path, count: int) -> list[str]:
    """``count`` merges of one dossier each, as earlier flushes leave them (a part each)."""
    row = read_canonical(folder, "dossiers").to_pylist()[0]
    written = []
    for n in range(count):
        written.append(f"EARLIER-{n}")
        data.write_rows("dossiers", [{**row, "dossier_code": written[-1]}])
    return written


def test_a_flush_compacts_the_parts_once_more_than_the_setting_are_small(
    writable_data: Path, settings: Any, client_as: Any
) -> None:
    settings.CHISO = {**settings.CHISO, "CHISO_COMPACT_PARTS": 4}
    before = codes(writable_data)
    written = earlier_merges(writable_data, 3)
    assert len(parts(writable_data)) == 4  # the generated part and three merges

    push_merged(["API-C-1", "API-C-2"])

    assert [p.split("-")[0] for p in parts(writable_data)] == ["compact"]
    assert codes(writable_data) == sorted([*before, *written, "API-C-1", "API-C-2"])
    page = client_as("admin").get(f"/don-vi/{ALICE_UNIT}.json?period=2026-10")
    assert page.status_code == 200  # the site re-opened the compacted folder


def test_below_the_setting_the_parts_are_left_as_they_are(
    writable_data: Path, settings: Any
) -> None:
    settings.CHISO = {**settings.CHISO, "CHISO_COMPACT_PARTS": 64}
    earlier_merges(writable_data, 3)
    push_merged(["API-D-1"])
    assert len(parts(writable_data)) == 5
    assert inbox.compact_parts() == []


def test_a_database_url_has_no_parts_to_compact(settings: Any) -> None:
    settings.CHISO = {**settings.CHISO, "CHISO_DATA": "duckdb:///nowhere.duckdb"}
    assert data.service().compact("dossiers", above=0) is None
