"""Ratings parts are compacted like the pushed dossiers': after a push round and after a
citizen's rating, once more than ``CHISO_COMPACT_PARTS`` are small."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from chiso.storage.targets import read_canonical
from chiso_web import data
from chiso_web.api import inbox
from web_cast import ALICE_UNIT
from web_push import push_merged
from web_ratings import canonical_ratings, pick, rating_link

pytestmark = pytest.mark.django_db


def rating_parts(folder: Path) -> list[str]:
    return sorted(p.name for p in (folder / "ratings").glob("*.parquet"))


def rated(folder: Path) -> list[str]:
    return sorted(read_canonical(folder, "ratings").column("dossier_code").to_pylist())


def earlier_ratings(folder: Path, count: int) -> list[str]:
    """``count`` ratings written one at a time, as the kiosk writes them (a part each)."""
    written = []
    for n in range(count):
        written.append(f"RATED-{n}")
        row = {"dossier_code": written[-1], "rated_at": datetime(2026, 10, 20, 9, n)}
        data.write_rows("ratings", [{**row, "channel": "kiosk", "satisfied": n % 2 == 0}])
    return written


def test_a_push_round_compacts_the_ratings_parts_too(writable_data: Path, settings: Any) -> None:
    settings.CHISO = {**settings.CHISO, "CHISO_COMPACT_PARTS": 3}
    before = rated(writable_data)
    written = earlier_ratings(writable_data, 3)
    assert len(rating_parts(writable_data)) == 4  # the generated part and three ratings

    push_merged(["API-R-1"])

    assert [p.split("-")[0] for p in rating_parts(writable_data)] == ["compact"]
    assert rated(writable_data) == sorted([*before, *written])
    assert inbox.compact_parts() == []  # nothing left to merge


def test_a_citizens_rating_compacts_the_ratings_parts_once_too_many(
    writable_data: Path, settings: Any, client_as: Any, client: Client
) -> None:
    settings.CHISO = {**settings.CHISO, "CHISO_COMPACT_PARTS": 4}
    earlier_ratings(writable_data, 3)
    code = pick(writable_data, ALICE_UNIT, finished=True)

    answer = client.post(rating_link(client_as("alice"), code), {"tong_the": "hai_long"})

    assert answer.status_code == 200 and "Cảm ơn" in answer.content.decode()
    assert [p.split("-")[0] for p in rating_parts(writable_data)] == ["compact"]
    assert canonical_ratings(writable_data, code) == [("qr", True)]
    assert client_as("alice").get(f"/don-vi/{ALICE_UNIT}.json").status_code == 200


def test_below_the_setting_the_ratings_parts_stay(writable_data: Path, settings: Any) -> None:
    settings.CHISO = {**settings.CHISO, "CHISO_COMPACT_PARTS": 64}
    earlier_ratings(writable_data, 3)
    push_merged(["API-R-2"])
    assert len(rating_parts(writable_data)) == 4
