"""Kiosk mode: a counter tablet an administrator enrolled rates a dossier of its unit from
the slip's QR or short code; typed dossier codes, other units' slips, used and expired
slips, unenrolled browsers and staff sessions are refused and audited."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from chiso_web.audit.models import AuditEntry
from chiso_web.ratings.devices import COOKIE
from chiso_web.ratings.models import Kiosk, Rating, RatingToken
from web_cast import ALICE_UNIT, CHARLIE_UNIT
from web_ratings import canonical_ratings, enrol, kiosk_form, pick, rating_link, refusals, slip

pytestmark = pytest.mark.django_db


def test_kiosk_flow_takes_the_short_code_rates_and_returns_to_start(
    client_as: Any, writable_data: Path
) -> None:
    code = pick(writable_data, ALICE_UNIT, finished=True)
    tablet = enrol(client_as)
    kiosk = Kiosk.objects.get()
    assert kiosk.unit_code == ALICE_UNIT and kiosk.enrolled_by == "admin"
    assert "_auth_user_id" not in tablet.session  # the administrator was signed out
    assert tablet.cookies[COOKIE]["httponly"] and tablet.cookies[COOKIE]["samesite"] == "Strict"
    enrolled = AuditEntry.objects.get(action="kiosk.enrol")
    assert enrolled.actor == "admin" and "Quầy số 1" in enrolled.summary
    start = tablet.get("/danh-gia/quay/").content.decode()
    assert 'name="ma"' in start and "Quầy số 1" in start and "Sín Thầu" in start
    short = slip(client_as, code)["code"]
    assert len(short) == 9 and short[4] == "-"
    typed = f"  {short.lower().replace('-', ' ')} "  # case, spaces and dashes do not matter
    found = tablet.get("/danh-gia/quay/", {"ma": typed})
    assert found.status_code == 302
    token = RatingToken.objects.get(dossier_code=code)
    assert found["Location"].startswith("/danh-gia/quay/phieu/" + token.token_id)
    form = tablet.get(found["Location"]).content.decode()
    assert "Nhìn chung" in form and code in form
    assert 'data-seconds="90" data-idle="1"' in form  # an abandoned form goes back to start
    sent = tablet.post(found["Location"], {"tong_the": "hai_long", "thoi_gian": "dung_hen"})
    assert sent.status_code == 302 and sent["Location"] == "/danh-gia/quay/xong/"
    thanks = tablet.get(sent["Location"]).content.decode()
    assert "Cảm ơn" in thanks and 'data-url="/danh-gia/quay/"' in thanks
    assert "<script>" not in thanks  # CSP: no inline scripts
    assert canonical_ratings(writable_data, code) == [("kiosk", True)]
    rating = Rating.objects.get(dossier_code=code)
    assert (rating.channel, rating.device) == ("kiosk", kiosk)
    again = tablet.post(found["Location"], {"tong_the": "rat_khong_hai_long"})
    assert "đã được đánh giá" in again.content.decode()
    assert canonical_ratings(writable_data, code) == [("kiosk", True)]
    [used] = refusals("used")
    assert used.details == {"reason": "used", "channel": "kiosk", "device": kiosk.pk,
                            "dossier_code": code}  # fmt: skip
    assert used.actor == "máy “Quầy số 1”" and used.unit_code == ALICE_UNIT
    reused = tablet.get("/danh-gia/quay/", {"ma": short})
    assert reused.status_code == 409
    assert "Mã đánh giá này đã được dùng" in reused.content.decode()


def test_a_qr_rating_records_no_device(client_as: Any, writable_data: Path) -> None:
    code = pick(writable_data, ALICE_UNIT, finished=True)
    Client().post(slip(client_as, code)["url"], {"tong_the": "hai_long"})
    assert Rating.objects.values_list("channel", "device").get() == ("qr", None)


def test_kiosk_accepts_a_scanned_rating_link(client_as: Any, web_data: Path) -> None:
    code = pick(web_data, ALICE_UNIT, finished=True)
    tablet = enrol(client_as)
    scanned = "http://testserver" + rating_link(client_as("alice"), code)
    found = tablet.get("/danh-gia/quay/", {"ma": scanned})
    assert found.status_code == 302
    assert found["Location"] == "/danh-gia/quay/phieu/" + scanned.split("/")[-2] + "/"


def test_a_typed_dossier_code_or_an_unknown_code_is_refused(client_as: Any, web_data: Path) -> None:
    code = pick(web_data, ALICE_UNIT, finished=True)
    slip(client_as, code)  # the slip exists: only its code opens the form
    tablet = enrol(client_as)
    for typed in (code, "ZZZZ-ZZZZ", "http://testserver/danh-gia/" + "A" * 22 + "." + "B" * 43):
        refused = tablet.get("/danh-gia/quay/", {"ma": typed})
        assert refused.status_code == 404
        assert "Không tìm thấy mã đánh giá" in refused.content.decode()
    assert len(refusals("unknown")) == 3
    assert not Rating.objects.exists()


def test_kiosk_keeps_to_its_unit(client_as: Any, web_data: Path) -> None:
    charlies = pick(web_data, CHARLIE_UNIT, finished=True)
    doc = client_as("charlie").get(f"/danh-gia/ma/{charlies}.json").json()
    short, link = doc["code"], doc["url"]
    tablet = enrol(client_as, ALICE_UNIT)
    refused = tablet.get("/danh-gia/quay/", {"ma": short})
    assert refused.status_code == 404  # as for a code that does not exist
    assert tablet.post(kiosk_form(link), {"tong_the": "hai_long"}).status_code == 404
    assert len(refusals("unit")) == 2
    assert not Rating.objects.exists()
    province = enrol(client_as, "11", "Quầy tỉnh")  # the province's kiosk takes every unit
    assert province.get("/danh-gia/quay/", {"ma": short}).status_code == 302


def test_an_expired_slip_is_refused(client_as: Any, web_data: Path, settings: Any) -> None:
    code = pick(web_data, ALICE_UNIT, finished=True)
    doc = slip(client_as, code)
    old = timezone.now() - timedelta(days=91)
    RatingToken.objects.filter(dossier_code=code).update(created_at=old)
    tablet = enrol(client_as)
    refused = tablet.get("/danh-gia/quay/", {"ma": doc["code"]})
    assert refused.status_code == 410
    assert "Mã đánh giá đã hết hạn" in refused.content.decode()
    citizen = Client().post(doc["url"], {"tong_the": "hai_long"})
    assert citizen.status_code == 410 and "hết hạn" in citizen.content.decode()
    assert [e.details["channel"] for e in refusals("expired")] == ["qr", "kiosk"]
    settings.CHISO = {**settings.CHISO, "CHISO_RATING_DAYS": 120}
    assert tablet.get("/danh-gia/quay/", {"ma": doc["code"]}).status_code == 302
    assert not Rating.objects.exists()


def test_an_unenrolled_or_revoked_browser_cannot_use_kiosk_mode(
    client_as: Any, client: Client, web_data: Path
) -> None:
    code = pick(web_data, ALICE_UNIT, finished=True)
    doc = slip(client_as, code)
    for path in ("/danh-gia/quay/", kiosk_form(doc["url"]), "/danh-gia/quay/xong/"):
        page = client.get(path)
        assert page.status_code == 403
        assert "Máy này chưa được đăng ký đánh giá tại quầy" in page.content.decode()
    client.cookies[COOKIE] = "khoa-gia.chu-ky-gia"
    assert client.get("/danh-gia/quay/").status_code == 403
    for _ in range(3):  # refused and audited once per window (no flood of the log)
        assert client.post(kiosk_form(doc["url"]), {"tong_the": "hai_long"}).status_code == 403
    assert len(refusals("device")) == 1
    tablet = enrol(client_as)
    assert tablet.get("/danh-gia/quay/").status_code == 200
    admin = client_as("admin")
    admin.post("/danh-gia/quay/dang-ky/", {"thu_hoi": str(Kiosk.objects.get().pk)})
    assert Kiosk.objects.get().revoked_at is not None
    assert AuditEntry.objects.filter(action="kiosk.revoke").count() == 1
    assert tablet.get("/danh-gia/quay/").status_code == 403
    assert not Rating.objects.exists()


def test_only_an_administrator_enrols_a_kiosk(client_as: Any, client: Client) -> None:
    for name in ("alice", "bob", "leader", "nobody"):
        refused = client_as(name).post(
            "/danh-gia/quay/dang-ky/", {"ten": "X", "don_vi": ALICE_UNIT}
        )
        assert refused.status_code == 403
    assert client.get("/danh-gia/quay/dang-ky/").status_code == 302  # sign in first
    page = client_as("admin").get("/danh-gia/quay/dang-ky/")
    assert page.status_code == 200 and "Đăng ký máy này" in page.content.decode()
    missing = client_as("admin").post("/danh-gia/quay/dang-ky/", {"ten": "Quầy 2", "don_vi": "x"})
    assert missing.status_code == 400 and "Chưa chọn đơn vị" in missing.content.decode()
    assert not Kiosk.objects.exists()


def test_kiosk_unfinished_dossier_shows_why_and_returns(client_as: Any, web_data: Path) -> None:
    doc = slip(client_as, pick(web_data, ALICE_UNIT, finished=False))
    tablet = enrol(client_as)
    found = tablet.get("/danh-gia/quay/", {"ma": doc["code"]})
    page = tablet.get(found["Location"]).content.decode()
    assert "chưa giải quyết xong" in page
    assert 'data-url="/danh-gia/quay/"' in page
