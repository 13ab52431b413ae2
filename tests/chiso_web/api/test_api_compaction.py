"""The push flusher compacts the dossier parts its merges leave once there are too many."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from chiso.storage.targets import read_canonical
from chiso_web import data
from chiso_web.api import inbox
from chiso_web.api.tokens import create_token
from web_cast import ALICE_UNIT

pytestmark = pytest.mark.django_db


def pushed_dossier(code: str) -> dict[str, Any]:
    return {
        "dossier_code": code,
        "unit_code": ALICE_UNIT,
        "procedure_code": "1.005144",
        "channel": "online",
        "received_at": "2026-10-05T08:00:00",
        "due_at": "2026-10-06T17:00:00",
        "finished_at": "2026-10-09T10:00:00",
        "returned_at": "2026-10-09T11:00:00",
        "status": "returned",
        "fee_amount": 0,
        "synced": True,
    }


def push(codes: list[str]) -> None:
    secret = create_token("Một cửa", created_by="test")[1]
    body = json.dumps({"dossiers": [pushed_dossier(c) for c in codes]})
    answer = Client().post(
        "/api/v1/dossiers",
        body,
        content_type="application/json",
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert answer.status_code == 202, answer.content
    assert answer.json()["merged"] is True


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

    push(["API-C-1", "API-C-2"])

    assert [p.split("-")[0] for p in parts(writable_data)] == ["compact"]
    assert codes(writable_data) == sorted([*before, *written, "API-C-1", "API-C-2"])
    page = client_as("admin").get(f"/don-vi/{ALICE_UNIT}.json?period=2026-10")
    assert page.status_code == 200  # the site re-opened the compacted folder


def test_below_the_setting_the_parts_are_left_as_they_are(
    writable_data: Path, settings: Any
) -> None:
    settings.CHISO = {**settings.CHISO, "CHISO_COMPACT_PARTS": 64}
    earlier_merges(writable_data, 3)
    push(["API-D-1"])
    assert len(parts(writable_data)) == 5
    assert inbox.compact_parts() == []


def test_a_database_url_has_no_parts_to_compact(settings: Any) -> None:
    settings.CHISO = {**settings.CHISO, "CHISO_DATA": "duckdb:///nowhere.duckdb"}
    assert data.service().compact("dossiers", above=0) is None
