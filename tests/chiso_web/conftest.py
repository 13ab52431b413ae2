"""Web test set-up: one synthetic province per session, the alice/bob/charlie cast.

* ``web_data`` (autouse): the site reads a small generated province (read-only, shared);
  tests that write (uploads, pushes, ratings) ask for ``writable_data``, a private copy.
* alice: officer of xã Sín Thầu (03158); bob: officer of the province unit (11), alice's
  parent; charlie: officer of xã Mường Nhé (03160); admin; leader.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from chiso.synth.generator import generate
from chiso_web.units import access, backends
from chiso_web.units.models import Membership, Role
from web_cast import ALICE_UNIT, BOB_UNIT, CHARLIE_UNIT, WEB_DOSSIERS


@pytest.fixture(scope="session")
def web_data_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A seeded synthetic province, August to October 2026 (generated once)."""
    folder = tmp_path_factory.mktemp("web-data") / "data"
    generate(folder, dossiers=WEB_DOSSIERS, start=date(2026, 8, 1), end=date(2026, 11, 1), seed=11)
    return folder


def _point_at(settings: Any, folder: Path) -> None:
    settings.CHISO = {**settings.CHISO, "CHISO_DATA": str(folder)}


@pytest.fixture(autouse=True)
def _fresh_memberships() -> None:
    """Each test starts without users and memberships cached by an earlier test (whose
    users were rolled back without signals, and whose primary keys the next test may
    reuse)."""
    access._memberships.clear()
    backends.forget_users()


@pytest.fixture(autouse=True)
def web_data(settings: Any, web_data_template: Path) -> Path:
    """The shared read-only province."""
    _point_at(settings, web_data_template)
    return web_data_template


@pytest.fixture
def writable_data(settings: Any, web_data_template: Path, tmp_path: Path) -> Path:
    """A private copy of the province that the test may change."""
    folder = tmp_path / "data"
    shutil.copytree(web_data_template, folder)
    _point_at(settings, folder)
    return folder


def make_user(username: str, role: str | None, unit_code: str = "") -> Any:
    """A user with a membership (``role`` None: an account without any role)."""
    user = get_user_model().objects.create_user(username, password=f"{username}-pw-2026")
    if role is not None:
        Membership.objects.create(user=user, role=role, unit_code=unit_code)
    return user


@pytest.fixture
def cast(db: None) -> dict[str, Any]:
    """alice, bob, charlie (officers), admin, leader and nobody (no role)."""
    return {
        "alice": make_user("alice", Role.OFFICER, ALICE_UNIT),
        "bob": make_user("bob", Role.OFFICER, BOB_UNIT),
        "charlie": make_user("charlie", Role.OFFICER, CHARLIE_UNIT),
        "admin": make_user("admin", Role.ADMIN),
        "leader": make_user("leader", Role.LEADER),
        "nobody": make_user("nobody", None),
    }


@pytest.fixture
def client_as(cast: dict[str, Any]) -> Iterator[Callable[[str], Client]]:
    """``client_as("alice")``: a test client signed in as one of the cast."""

    def make(name: str) -> Client:
        client = Client()
        client.force_login(cast[name])
        return client

    yield make
