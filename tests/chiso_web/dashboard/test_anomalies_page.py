""" "Dữ liệu bất thường": the administrator sees every unit's findings, an officer only
their own subtree, a unit outside it answers like a missing one."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from chiso.synth.inject import inject, parse_rates
from web_cast import ALICE_UNIT, CHARLIE_UNIT

pytestmark = pytest.mark.django_db
URL = "/bat-thuong.json?period=2026-09"


@pytest.fixture
def injected(writable_data: Path) -> Path:
    inject(writable_data, parse_rates("all=0.03"), seed=5, stop=datetime(2026, 11, 1))
    return writable_data


def _codes(doc: dict[str, Any]) -> set[str]:
    return {u["unit_code"] for u in doc["units"]}


def test_the_administrator_sees_findings_of_many_units(injected: Path, client_as: Any) -> None:
    doc = client_as("admin").get(URL).json()
    assert len(_codes(doc)) > 10
    assert doc["findings"] > 0
    first = doc["units"][0]["findings"][0]
    assert first["question"].startswith("Vì sao")


def test_an_officer_sees_only_their_own_unit(injected: Path, client_as: Any) -> None:
    everyone = _codes(client_as("admin").get(URL).json())
    assert ALICE_UNIT in everyone
    assert _codes(client_as("alice").get(URL).json()) == {ALICE_UNIT}


def test_an_officer_asking_for_another_unit_gets_a_404(injected: Path, client_as: Any) -> None:
    charlie = client_as("charlie")
    assert charlie.get(f"{URL}&unit={ALICE_UNIT}").status_code == 404
    assert _codes(charlie.get(f"{URL}&unit={CHARLIE_UNIT}").json()) <= {CHARLIE_UNIT}


def test_the_page_shows_the_questions_and_anonymous_visitors_sign_in(
    injected: Path, client_as: Any, client: Any
) -> None:
    page = client_as("admin").get("/bat-thuong/?period=2026-09")
    assert page.status_code == 200
    assert "Vì sao" in page.content.decode() and "không trừ điểm" in page.content.decode()
    assert client.get("/bat-thuong/").status_code == 302
    assert client.get("/bat-thuong.json").status_code == 403


def test_the_page_speaks_without_codes(injected: Path, client_as: Any) -> None:
    """The period is the site's picker (tháng 9/2026, not a code to type); a unit is named,
    a rule is its question, a rating's time is read as in Vietnam — no code, no ISO time."""
    admin = client_as("admin")
    page = admin.get("/bat-thuong/?period=2026-09").content.decode()
    doc = admin.get(URL).json()
    assert '<select name="period"' in page and '<input name="period"' not in page
    assert '<option value="2026-09" selected>' in page
    assert '<table class="records cards">' in page and 'data-label="Câu hỏi"' in page  # phone
    visible = re.sub(r"<[^>]+>", " ", page)  # the words on the screen, not the attributes
    for unit in doc["units"]:
        alone = re.compile(rf"(?<![\w-]){re.escape(unit['unit_code'])}(?![\w-])")
        assert unit["unit_name"] in visible and not alone.search(visible)  # dossier codes hold it
    rules = {f["rule"] for u in doc["units"] for f in u["findings"]}
    assert rules and not any(f"({rule})" in visible for rule in rules)
    rated = [r["rated_at"] for u in doc["units"] for f in u["findings"] for r in f["records"]]
    assert any(rated) and not any(t in visible for t in rated if t)
