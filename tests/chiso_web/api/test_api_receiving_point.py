"""Issue #17.6 on the push API: ``receiving_point`` is a known unit; the token's scope is
about the competent unit (``unit_code``), wherever the dossier was received."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from chiso_web.api.models import PushedDossier
from web_cast import ALICE_UNIT, CHARLIE_UNIT
from web_push import dossiers, push

pytestmark = pytest.mark.django_db
CENTRE = "ttpvhcc-11"


def _read(secret: str, code: str) -> dict[str, Any]:
    answer = Client().get(f"/api/v1/dossiers/{code}", headers={"Authorization": f"Bearer {secret}"})
    assert answer.status_code == 200, answer.content
    return answer.json()["dossier"]  # type: ignore[no-any-return]


def test_a_dossier_received_at_another_centre_is_pushed_by_its_competent_units_token(
    writable_data: Path,
    alice_token: str,
) -> None:
    batch = dossiers(ALICE_UNIT, 3)
    batch[0]["receiving_point"] = CENTRE
    batch[1]["receiving_point"] = "UBND xã Mường Nhé"  # a name, resolved like unit_name
    answer = push(Client(), alice_token, {"dossiers": batch})
    assert answer.status_code == 202, answer.content
    stored = [_read(alice_token, d["dossier_code"]) for d in batch]
    assert [(d["unit_code"], d["receiving_point"]) for d in stored] == [
        (ALICE_UNIT, CENTRE), (ALICE_UNIT, CHARLIE_UNIT), (ALICE_UNIT, None),
    ]  # fmt: skip


def test_a_receiving_point_does_not_open_another_units_scope(
    writable_data: Path,
    alice_token: str,
) -> None:
    charlies = dossiers(CHARLIE_UNIT, 1)
    charlies[0]["receiving_point"] = ALICE_UNIT  # received at Alice's desk, decided by Charlie
    answer = push(Client(), alice_token, {"dossiers": charlies})
    assert answer.status_code == 403
    assert [(e["row"], e["field"]) for e in answer.json()["errors"]] == [(1, "unit_code")]
    assert PushedDossier.objects.count() == 0


def test_an_unknown_receiving_point_rejects_the_batch_naming_row_and_field(
    writable_data: Path,
    province_token: str,
) -> None:
    batch = dossiers(ALICE_UNIT, 2)
    batch[1]["receiving_point"] = "Trung tâm không có"
    answer = push(Client(), province_token, {"dossiers": batch})
    assert answer.status_code == 422
    [error] = answer.json()["errors"]
    assert (error["row"], error["field"], error["value"]) == (
        2,
        "receiving_point",
        "Trung tâm không có",
    )
    assert error["reason"].startswith("không có đơn vị này")
    assert PushedDossier.objects.count() == 0
