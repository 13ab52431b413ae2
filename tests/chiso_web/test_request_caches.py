"""Per-process caches on the request path: users, memberships and the data version.

They make a cached ranking request cheap under load (docs/benchmarks.md, Web); these
tests prove that changes are still seen when they must be.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from chiso_web import data
from chiso_web.units.models import Membership
from web_cast import ALICE_UNIT, CHARLIE_UNIT

pytestmark = pytest.mark.django_db


def test_a_role_changed_in_the_site_applies_to_the_next_request(
    client_as: Any, cast: dict[str, Any]
) -> None:
    alice = client_as("alice")
    assert alice.get(f"/don-vi/{ALICE_UNIT}.json").status_code == 200
    assert alice.get(f"/don-vi/{CHARLIE_UNIT}.json").status_code == 404
    member = Membership.objects.get(user=cast["alice"])
    member.unit_code = CHARLIE_UNIT
    member.save()
    assert alice.get(f"/don-vi/{CHARLIE_UNIT}.json").status_code == 200
    assert alice.get(f"/don-vi/{ALICE_UNIT}.json").status_code == 404
    member.delete()
    assert alice.get(f"/don-vi/{CHARLIE_UNIT}.json").status_code in (302, 403)


def test_a_deactivated_account_is_signed_out_at_its_next_request(
    client_as: Any, cast: dict[str, Any]
) -> None:
    leader = client_as("leader")
    assert leader.get("/xep-hang.json").status_code == 200
    cast["leader"].is_active = False
    cast["leader"].save()
    assert leader.get("/xep-hang.json").status_code in (302, 403)


def test_each_request_gets_its_own_user_object(client_as: Any) -> None:
    leader = client_as("leader")
    first = leader.get("/xep-hang.json").wsgi_request.user
    second = leader.get("/xep-hang.json").wsgi_request.user
    assert first == second  # the same account…
    assert first is not second  # …but never an object another request could change


def _extra_part(folder: Path) -> None:
    """A copy of a dossier part under a new name, as another process would write it."""
    parts = sorted((folder / "dossiers").glob("*.parquet"))
    renamed = folder / "dossiers" / "part-copy.parquet"
    shutil.copy(parts[0], renamed)  # same rows twice: every count grows


def test_files_changed_by_another_process_are_seen_after_the_check_interval(
    writable_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    service = data.service()
    the_set, period = data.index_set(), data.period("2026-10")
    before = service.results(the_set, period).unit(ALICE_UNIT).indicator("tien_do")
    monkeypatch.setattr(data, "CHECK_SECONDS", 3600.0)
    _extra_part(writable_data)
    unchanged = service.results(the_set, period).unit(ALICE_UNIT).indicator("tien_do")
    assert unchanged.denominator == before.denominator  # looked less than an hour ago
    monkeypatch.setattr(data, "CHECK_SECONDS", 0.0)
    after = service.results(the_set, period).unit(ALICE_UNIT).indicator("tien_do")
    assert after.denominator == 2 * (before.denominator or 0) > 0
