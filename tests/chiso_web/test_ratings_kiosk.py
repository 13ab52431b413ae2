"""Kiosk mode: an officer's counter tablet rates dossiers of the units the officer sees."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from test_ratings import canonical_ratings, pick, rating_link

from chiso_web.ratings.models import Rating
from web_cast import ALICE_UNIT, CHARLIE_UNIT

pytestmark = pytest.mark.django_db


def test_kiosk_flow_types_the_code_rates_and_returns_to_start(
    client_as: Any, writable_data: Path
) -> None:
    code = pick(writable_data, ALICE_UNIT, finished=True)
    tablet = client_as("alice")
    start = tablet.get("/danh-gia/quay/")
    assert start.status_code == 200
    assert 'name="ma"' in start.content.decode()
    found = tablet.get("/danh-gia/quay/", {"ma": f"  {code} "})
    assert found.status_code == 302
    assert found["Location"] == f"/danh-gia/quay/{code}/"
    form = tablet.get(found["Location"]).content.decode()
    assert "Nhìn chung" in form
    assert 'data-seconds="90" data-idle="1"' in form  # an abandoned form goes back to start
    sent = tablet.post(found["Location"], {"tong_the": "hai_long", "thoi_gian": "dung_hen"})
    assert sent.status_code == 302 and sent["Location"] == "/danh-gia/quay/xong/"
    thanks = tablet.get(sent["Location"]).content.decode()
    assert "Cảm ơn" in thanks
    assert 'data-url="/danh-gia/quay/"' in thanks and "ratings.js" in thanks
    assert "<script>" not in thanks  # CSP: no inline scripts
    assert canonical_ratings(writable_data, code) == [("kiosk", True)]
    assert Rating.objects.get(dossier_code=code).channel == "kiosk"
    again = tablet.post(found["Location"], {"tong_the": "rat_khong_hai_long"})
    assert "đã được đánh giá" in again.content.decode()
    assert canonical_ratings(writable_data, code) == [("kiosk", True)]


def test_kiosk_accepts_a_scanned_rating_link(client_as: Any, web_data: Path) -> None:
    code = pick(web_data, ALICE_UNIT, finished=True)
    tablet = client_as("alice")
    scanned = "http://testserver" + rating_link(tablet, code)
    found = tablet.get("/danh-gia/quay/", {"ma": scanned})
    assert found["Location"] == f"/danh-gia/quay/{code}/"


def test_kiosk_keeps_to_the_officers_units(client_as: Any, web_data: Path) -> None:
    code = pick(web_data, ALICE_UNIT, finished=True)
    charlie = client_as("charlie")
    refused = charlie.get("/danh-gia/quay/", {"ma": code})
    assert refused.status_code == 404
    assert "Không tìm thấy hồ sơ" in refused.content.decode()
    assert charlie.get(f"/danh-gia/quay/{code}/").status_code == 404
    assert charlie.post(f"/danh-gia/quay/{code}/", {"tong_the": "hai_long"}).status_code == 404
    own = pick(web_data, CHARLIE_UNIT, finished=True)
    assert charlie.get("/danh-gia/quay/", {"ma": own}).status_code == 302
    assert client_as("bob").get("/danh-gia/quay/", {"ma": code}).status_code == 302
    assert not Rating.objects.exists()


def test_kiosk_needs_a_signed_in_officer(client: Client, client_as: Any) -> None:
    assert client.get("/danh-gia/quay/").status_code == 302
    assert client.get("/danh-gia/quay/xong/").status_code == 302
    assert client_as("nobody").get("/danh-gia/quay/").status_code == 403


def test_kiosk_unfinished_dossier_shows_why_and_returns(client_as: Any, web_data: Path) -> None:
    code = pick(web_data, ALICE_UNIT, finished=False)
    page = client_as("alice").get(f"/danh-gia/quay/{code}/").content.decode()
    assert "chưa giải quyết xong" in page
    assert 'data-url="/danh-gia/quay/"' in page


def test_kiosk_refuses_an_altered_scanned_link(client_as: Any, web_data: Path) -> None:
    tablet = client_as("alice")
    link = rating_link(tablet, pick(web_data, ALICE_UNIT, finished=True))
    altered = link[:-3] + ("A" if link[-3] != "A" else "B") + link[-2:]
    refused = tablet.get("/danh-gia/quay/", {"ma": "http://testserver" + altered})
    assert refused.status_code == 404
    assert "Không tìm thấy hồ sơ" in refused.content.decode()
