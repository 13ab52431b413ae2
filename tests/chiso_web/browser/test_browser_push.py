"""In Chromium: bob watches a commune's page while the one-stop system pushes late dossiers
through the API; the score on the open page drops within seconds; a repeated push changes
nothing (idempotent by dossier code)."""

from __future__ import annotations

import json
import time
import urllib.request
from datetime import datetime
from typing import Any

import pytest
from browser_pages import live_polls, number, wait_for_new_text
from browser_rows import late_dossiers
from browser_site import Site

from web_cast import ALICE_UNIT, CHARLIE_UNIT

pytestmark = pytest.mark.browser
SHOWN_WITHIN_MS = 10_000


def push(site: Site, secret: str, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """POST a batch to the push API as the one-stop system would (bearer token)."""
    body = [
        {k: v.isoformat() if isinstance(v, datetime) else v for k, v in r.items() if v is not None}
        for r in rows
    ]
    request = urllib.request.Request(
        f"{site.url}/api/v1/dossiers",
        data=json.dumps({"dossiers": body}).encode(),
        headers={"Authorization": f"Bearer {secret}", "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as answer:
        assert answer.status == 202
        doc: dict[str, Any] = json.load(answer)
        return doc


def test_pushed_dossiers_change_the_score_on_the_open_page(
    site: Site, page: Any, login: Any, shoot: Any
) -> None:
    secret = site.manage("create_api_token", "--name", "Một cửa tỉnh (kiểm thử)").strip()
    rows = late_dossiers(site.data, CHARLIE_UNIT, 20, first=200)
    login(page, "bob")
    page.goto(f"/don-vi/{CHARLIE_UNIT}/")
    score = page.locator("#unit-converted")
    before = score.inner_text()
    shoot(page, "unit-before-push")
    live_polls(page, f"/don-vi/{CHARLIE_UNIT}/", 2)

    started = time.monotonic()
    answer = push(site, secret, rows)
    assert answer["received"] == 20 and answer["new"] == 20
    wait_for_new_text(page, "#unit-converted", before, SHOWN_WITHIN_MS)
    seconds = time.monotonic() - started
    after = score.inner_text()
    print(f"pushed 20 late dossiers: {before} -> {after} on the open page after {seconds:.1f} s")
    assert number(after) < number(before)
    shoot(page, "unit-after-push")

    again = push(site, secret, rows)
    assert again["new"] == 0 and again["unchanged"] == 20
    page.wait_for_timeout(2_500)  # a couple of polls (CHISO_REFRESH_SECONDS=1)
    assert score.inner_text() == after


def _trend(page: Any) -> list[float | None]:
    """The values of the unit page's trend line, as ECharts holds them."""
    values: list[float | None] = page.evaluate(
        "() => echarts.getInstanceByDom(document.getElementById('chart-trend'))"
        ".getOption().series[0].data"
    )
    return values


def test_a_push_moves_the_trend_charts_last_point_with_the_cards(
    site: Site, page: Any, login: Any
) -> None:
    secret = site.manage("create_api_token", "--name", "Một cửa (xu hướng)").strip()
    login(page, "lanhdao")
    page.goto(f"/don-vi/{ALICE_UNIT}/")
    page.wait_for_selector("#chart-trend canvas")
    score = page.locator("#unit-converted")
    before = score.inner_text()
    assert _trend(page)[-1] == number(before)
    live_polls(page, f"/don-vi/{ALICE_UNIT}/", 1)
    push(site, secret, late_dossiers(site.data, ALICE_UNIT, 20, first=400))
    wait_for_new_text(page, "#unit-converted", before, SHOWN_WITHIN_MS)
    page.wait_for_selector("#chart-trend canvas")
    after = number(score.inner_text())
    assert after < number(before)
    assert _trend(page)[-1] == after, "the trend's last point should follow the cards"
