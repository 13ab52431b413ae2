"""``signed_in_user``: the request's user typed as the ``User`` that rows record."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory

from chiso_web.units.access import signed_in_user


def test_it_returns_the_signed_in_user_itself(cast: dict[str, Any]) -> None:
    request = RequestFactory().get("/")
    request.user = cast["alice"]
    assert signed_in_user(request) == cast["alice"]


def test_it_refuses_an_anonymous_visitor() -> None:
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    with pytest.raises(PermissionDenied):
        signed_in_user(request)
