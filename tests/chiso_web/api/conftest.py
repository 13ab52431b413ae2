"""The push API's tokens: the province's and alice's commune's."""

from __future__ import annotations

import pytest

from chiso_web.api.tokens import create_token
from web_cast import ALICE_UNIT


@pytest.fixture
def province_token(db: None) -> str:
    return create_token("Một cửa tỉnh", created_by="test")[1]


@pytest.fixture
def alice_token(db: None) -> str:
    return create_token("Một cửa xã Sín Thầu", unit_code=ALICE_UNIT, created_by="test")[1]
