"""Fuzzing the push API (issue #14): whatever the body, the answer is 2xx or a 4xx in the
problem format — never a 5xx, never HTML — and a refused batch stores nothing."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from chiso_web.api.models import PushedDossier
from chiso_web.api.tokens import create_token
from fuzzing import FUZZ, tally
from web_cast import ALICE_UNIT
from web_push import dossiers, push

pytestmark = [pytest.mark.django_db, pytest.mark.fuzz]

_FIELDS = list(dossiers(ALICE_UNIT, 1)[0])
_SCALAR = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12)
    | st.text(alphabet="0123456789-/:T ", max_size=20)
    | st.sampled_from([ALICE_UNIT, "1.005144", "returned", "online", "X" * 300])
)
_VALUE = st.recursive(
    _SCALAR,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3)
    ),
    max_leaves=6,
)


def _dossier() -> st.SearchStrategy[dict[str, Any]]:
    base = st.sampled_from(dossiers(ALICE_UNIT, 5))
    changes = st.dictionaries(st.sampled_from([*_FIELDS, "extra"]), _VALUE, max_size=3)
    return st.builds(lambda b, c: {**b, **c}, base, changes)


_BODY = st.one_of(
    st.builds(lambda ds: json.dumps({"dossiers": ds}), st.lists(_dossier(), max_size=4)),
    _VALUE.map(json.dumps),
    st.text(alphabet='[]{}":,0123456789.eE-\\ud800 NaNInfinity', max_size=200),
    st.binary(max_size=200),
)


@FUZZ
@given(body=_BODY)
def test_fuzz_the_push_api_never_answers_5xx(writable_data: Any, body: str | bytes) -> None:
    secret = _token()
    stored = PushedDossier.objects.count()
    answer = push(Client(), secret, body)
    status = answer.status_code
    tally("push-api", f"{status // 100}xx")
    assert status < 500, answer.content[:500]
    assert "json" in answer["Content-Type"], answer["Content-Type"]
    answer.json()
    if status >= 400:
        assert PushedDossier.objects.count() == stored


_TOKENS: dict[str, str] = {}


def _token() -> str:
    """One province token per test database (the fixture would be reset per example)."""
    from chiso_web.api.models import ApiToken

    if not ApiToken.objects.filter(name="fuzz").exists():
        _TOKENS["fuzz"] = create_token("fuzz", created_by="test")[1]
    return _TOKENS["fuzz"]
