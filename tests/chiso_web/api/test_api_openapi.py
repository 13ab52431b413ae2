"""The OpenAPI document is served, valid, true to the code, and schemathesis finds no
response that contradicts it (in-process, through Django's WSGI application)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, Phase, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from chiso.contracts import json_schema
from chiso.contracts.answers import Accepted
from chiso.domain.records import TABLES
from chiso_web.api import views
from chiso_web.api.bodies import DossierAnswer, DossierIn, DossierOut
from chiso_web.api.openapi import document
from chiso_web.api.tokens import create_token
from chiso_web.wsgi import application

pytestmark = pytest.mark.django_db


def test_the_document_is_served_and_valid_openapi_3_1(client: Client) -> None:
    answer = client.get("/api/openapi.json")
    assert answer.status_code == 200
    doc = answer.json()
    assert doc["openapi"] == "3.1.0"
    schema = schemathesis.openapi.from_dict(doc)
    schema.validate()  # against the OpenAPI 3.1 meta-schema schemathesis ships
    assert {op.label for op in (r.ok() for r in schema.get_all_operations())} == {
        "POST /api/v1/dossiers",
        "GET /api/v1/dossiers/{code}",
    }


def test_the_document_says_what_the_code_does() -> None:
    doc = document()
    fields = doc["components"]["schemas"]["DossierIn"]["properties"]
    assert set(TABLES["dossiers"]) <= set(fields)
    body = doc["paths"]["/api/v1/dossiers"]["post"]["requestBody"]
    items = body["content"]["application/json"]["schema"]["properties"]["dossiers"]
    assert items["maxItems"] == views.MAX_DOSSIERS
    assert doc["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"


def test_the_error_component_is_the_sites_published_error_schema(client: Client) -> None:
    component = document()["components"]["schemas"]["Error"]
    for address in ("/schemas/error.json", "/cong-khai/schemas/error.json"):
        published = client.get(address).json()
        names = {"$schema", "title"}  # the document's: the model's title is the component's
        assert {k: v for k, v in published.items() if k not in names} == {
            k: v for k, v in component.items() if k != "title"
        }


def test_a_broken_document_would_be_caught() -> None:
    broken = document()
    broken["paths"]["/api/v1/dossiers"]["post"]["responses"]["202"] = {"content": 5}
    with pytest.raises(Exception):  # noqa: B017 — any validation error will do
        schemathesis.openapi.from_dict(broken).validate()


API = schemathesis.openapi.from_wsgi("/api/openapi.json", application)


@pytest.fixture
def direct_wsgi() -> Iterator[None]:
    """Calling the WSGI app directly (schemathesis) must not close the test's database
    connection at the end of each request — Django's test client does the same."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def bearer(writable_data: Path, direct_wsgi: None) -> dict[str, str]:
    return {"Authorization": f"Bearer {create_token('schemathesis', created_by='test')[1]}"}


@API.parametrize()
@settings(
    max_examples=15,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_schemathesis_finds_no_contradiction(case: Any, bearer: dict[str, str]) -> None:
    # A schema cannot say which unit codes, procedures and dates exist: schema-valid
    # dossiers may still be refused with the documented 422 (checked by the other checks).
    case.call_and_validate(headers=bearer, excluded_checks=[positive_data_acceptance])


def test_the_documents_own_example_is_accepted(bearer: dict[str, str]) -> None:
    example = document()["components"]["schemas"]["DossierIn"]["example"]
    answer = Client().post(
        "/api/v1/dossiers",
        json.dumps({"dossiers": [example]}),
        content_type="application/json",
        headers=bearer,
    )
    assert answer.status_code == 202, answer.content


def test_the_components_are_the_models_schemas() -> None:
    components = document()["components"]["schemas"]
    assert components["DossierIn"] == json_schema(DossierIn)
    assert components["Accepted"] == json_schema(Accepted)
    assert components["Dossier"] == json_schema(DossierOut)
    assert components["DossierAnswer"] == json_schema(DossierAnswer)
    assert set(TABLES["dossiers"]) | {"unit_name", "procedure_name"} == set(DossierIn.model_fields)


def test_a_pushed_batch_and_its_answer_agree_with_the_models_and_the_document(
    bearer: dict[str, str],
) -> None:
    components = document()["components"]["schemas"]
    example = components["DossierIn"]["example"]
    dossiers = [example, {**example, "dossier_code": f"{example['dossier_code']}-2",
                          "channel": "Trực tuyến", "fee_amount": "1.229.100"}]  # fmt: skip
    for dossier in dossiers:
        jsonschema.validate(dossier, components["DossierIn"])
        DossierIn.model_validate(dossier)
    answer = Client().post(
        "/api/v1/dossiers",
        json.dumps({"dossiers": dossiers}),
        content_type="application/json",
        headers=bearer,
    )
    assert answer.status_code == 202, answer.content
    jsonschema.validate(answer.json(), components["Accepted"])
    assert Accepted.model_validate(answer.json()).dump() == answer.json()
    read = Client().get(f"/api/v1/dossiers/{example['dossier_code']}", headers=bearer)
    assert read.status_code == 200, read.content
    jsonschema.validate(read.json(), components["DossierAnswer"])
    assert DossierAnswer.model_validate(read.json()).dossier.dossier_code == example["dossier_code"]
    unknown = {**example, "colour": "đỏ"}  # neither the model nor its schema takes it
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(unknown, components["DossierIn"])
    with pytest.raises(ValueError):
        DossierIn.model_validate(unknown)


VIETNAMESE = re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.I)


def _words(node: Any, path: str = "") -> dict[str, str]:
    """Every description and summary of the document by its place, and the info's title."""
    found: dict[str, str] = {}
    if isinstance(node, dict):
        for key, value in node.items():
            place = f"{path}/{key}"
            if key in ("description", "summary") and isinstance(value, str):
                found[place] = value
            else:
                found.update(_words(value, place))
    elif isinstance(node, list):
        for n, value in enumerate(node):
            found.update(_words(value, f"{path}/{n}"))
    return found


def _without_words(node: Any) -> Any:
    if isinstance(node, dict):
        return {
            k: None if k in ("description", "summary") and isinstance(v, str) else _without_words(v)
            for k, v in node.items()
        }
    if isinstance(node, list):
        return [_without_words(v) for v in node]
    return node


def test_the_document_speaks_the_callers_language(client: Client) -> None:
    vi_answer = client.get("/api/openapi.json")
    en_answer = client.get("/api/openapi.json", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert (vi_answer["Content-Language"], en_answer["Content-Language"]) == ("vi", "en")
    vi, en = vi_answer.json(), en_answer.json()
    assert vi["info"]["title"] == "chiso — API tiếp nhận hồ sơ"
    assert en["info"]["title"] == "chiso — dossier intake API"
    vi_words, en_words = _words(vi), _words(en)
    assert vi_words.keys() == en_words.keys() and len(vi_words) > 30
    assert not [place for place in vi_words if vi_words[place] == en_words[place]]
    assert not [t for t in vi_words.values() if not VIETNAMESE.search(t)]
    english = [t for t in en_words.values() if VIETNAMESE.search(t.replace("Có/Không", ""))]
    assert not english, english
    received = "/components/schemas/DossierIn/properties/received_at/description"
    assert vi_words[received].startswith("Giờ địa phương, không múi giờ")
    assert en_words[received].startswith("Local time, no time zone")
    vi["info"]["title"] = en["info"]["title"]
    assert _without_words(vi) == _without_words(en)  # only the words differ
