"""The push API answers its problem format (4xx), never a 500 in HTML, for JSON past a
limit and values longer than the inbox's columns (issue #14)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from chiso_web.api.models import PushedDossier
from web_cast import ALICE_UNIT
from web_push import dossiers, push

pytestmark = pytest.mark.django_db


def _one(**change: Any) -> dict[str, Any]:
    return {**dossiers(ALICE_UNIT, 1)[0], **change}


def _problem(answer: Any, status: int) -> dict[str, Any]:
    assert answer.status_code == status, answer.content[:300]
    assert answer["Content-Type"].startswith("application/problem+json") or answer[
        "Content-Type"
    ].startswith("application/json")
    doc: dict[str, Any] = answer.json()
    assert PushedDossier.objects.count() == 0
    return doc


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ('{"dossiers": ' + "[" * 50_000 + "]" * 50_000 + "}", "64 cấp"),
        ('{"dossiers": [{"fee_amount": ' + "9" * 5_000 + "}]}", "100 chữ số"),
        ('{"dossiers": [{"dossier_code": "A\\ud800"}]}', "surrogate"),
        ('{"dossiers": [{"fee_amount": NaN}]}', "NaN"),
        ('{"dossiers": [{"fee_amount": 1e999}]}', "1e999"),
    ],
    ids=["deep", "digits", "surrogate", "nan", "overflow"],
)
def test_json_past_a_limit_is_a_400_problem(
    writable_data: Any, province_token: str, raw: str, words: str
) -> None:
    doc = _problem(push(Client(), province_token, raw), 400)
    text = json.dumps(doc, ensure_ascii=False)
    assert words in text, text
    assert "giới hạn" in text


def test_a_dossier_code_longer_than_its_column_is_a_422_problem(
    writable_data: Any, province_token: str
) -> None:
    """On PostgreSQL the inbox's varchar(200) refused it with a 500."""
    batch = [_one(), _one(dossier_code="X" * 201)]
    doc = _problem(push(Client(), province_token, {"dossiers": batch}), 422)
    (error,) = doc["errors"]
    assert (error["row"], error["field"]) == (2, "dossier_code")
    assert "200 ký tự" in error["reason"]
