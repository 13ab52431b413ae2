"""Ratings cannot be faked from inside: no staff account rates on any path, each kiosk is
limited in bursts (the sign-in counters' one conditional UPDATE, raced in
``test_behind_proxy.py``), and every refusal reaches the audit log with a
Vietnamese label."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pytest
from django.test import Client

from chiso_web.audit.models import AuditEntry
from chiso_web.ratings.models import Kiosk, Rating
from web_cast import ALICE_UNIT
from web_ratings import NOW, enrol, kiosk_form, pick, rating_link, refusals, slip

pytestmark = pytest.mark.django_db


def finished_unrated(folder: Path, count: int) -> list[str]:
    """``count`` finished, unrated dossiers of alice's unit (``pick`` gives the first)."""
    sql = f"""
        select dossier_code from '{folder}/dossiers/*.parquet'
        where unit_code = ? and finished_at >= '2026-10-01' and finished_at <= '{NOW}'
          and dossier_code not in (select dossier_code from '{folder}/ratings/*.parquet')
        order by dossier_code limit {count}"""
    return [str(row[0]) for row in duckdb.execute(sql, [ALICE_UNIT]).fetchall()]


@pytest.mark.parametrize("name", ["alice", "bob", "admin", "leader", "nobody"])
def test_a_signed_in_account_cannot_rate_on_any_path(
    client_as: Any, web_data: Path, name: str
) -> None:
    code = pick(web_data, ALICE_UNIT, finished=True)
    doc = slip(client_as, code)
    enrol(client_as)  # a kiosk exists; the staff browser below is not it
    staff = client_as(name)
    for path in (doc["url"], kiosk_form(doc["url"])):
        page = staff.get(path)
        assert page.status_code == 403
        assert "Tài khoản cán bộ không được đánh giá" in page.content.decode()
        assert 'action="/dang-xuat/"' in page.content.decode()  # a way out on the page
        assert staff.post(path, {"tong_the": "rat_hai_long"}).status_code == 403
    assert staff.get("/danh-gia/quay/", {"ma": doc["code"]}).status_code == 403
    assert not Rating.objects.exists()
    entries = refusals("staff")
    assert [e.details["channel"] for e in entries] == ["kiosk", "qr"]  # newest first
    assert all(e.actor == name and e.user is not None for e in entries)


def test_a_staff_session_on_an_enrolled_kiosk_cannot_rate(
    client_as: Any, cast: dict[str, Any], web_data: Path
) -> None:
    doc = slip(client_as, pick(web_data, ALICE_UNIT, finished=True))
    tablet = enrol(client_as)
    tablet.force_login(cast["alice"])  # an officer signs in on the counter tablet
    sent = tablet.post(kiosk_form(doc["url"]), {"tong_the": "rat_hai_long"})
    assert sent.status_code == 403
    [entry] = refusals("staff")
    assert entry.details["device"] == Kiosk.objects.get().pk and entry.actor == "alice"
    assert not Rating.objects.exists()


def test_a_kiosk_is_limited_in_bursts_and_the_refusal_is_audited(
    client_as: Any, writable_data: Path, settings: Any
) -> None:
    settings.CHISO = {**settings.CHISO, "CHISO_KIOSK_LIMIT": 3}
    codes = finished_unrated(writable_data, 3)
    fresh = [slip(client_as, c) for c in codes]
    tablet = enrol(client_as)
    other = enrol(client_as, name="Quầy số 2")
    assert tablet.get("/danh-gia/quay/", {"ma": "ZZZZ-ZZZZ"}).status_code == 404  # counts
    for doc in fresh[:2]:
        tablet.post(kiosk_form(doc["url"]), {"tong_the": "hai_long"})
    assert Rating.objects.filter(channel="kiosk").count() == 2
    last = kiosk_form(fresh[2]["url"])
    for _ in range(2):
        refused = tablet.post(last, {"tong_the": "hai_long"})
        assert refused.status_code == 429
        assert "Quá nhiều lượt đánh giá liên tiếp" in refused.content.decode()
    assert Rating.objects.filter(channel="kiosk").count() == 2
    [burst] = refusals("burst")  # once per window, however many follow
    assert burst.details["device"] == Kiosk.objects.get(name="Quầy số 1").pk
    sent = other.post(last, {"tong_the": "hai_long"})
    assert sent.status_code == 302  # per device: the other kiosk is not limited


def test_a_flood_on_the_qr_form_is_audited_once(
    client_as: Any, client: Client, settings: Any, web_data: Path
) -> None:
    settings.CHISO = {**settings.CHISO, "CHISO_RATING_LIMIT": 1}
    link = rating_link(client_as("alice"), pick(web_data, ALICE_UNIT, finished=True))
    address = {"REMOTE_ADDR": "203.0.113.9"}
    client.post(link, {}, **address)
    for _ in range(3):
        assert client.post(link, {}, **address).status_code == 429
    [burst] = refusals("burst")
    assert burst.actor == "người dân (mã QR)" and "203.0.113.9" not in str(burst.details)
    assert (
        client.post("/danh-gia/" + "x" * 66 + "/", {}, REMOTE_ADDR="203.0.113.10").status_code
        == 404
    )
    assert len(refusals("unknown")) == 1


def test_refusals_show_with_vietnamese_labels_in_the_audit_log(
    client_as: Any, client: Client, web_data: Path
) -> None:
    doc = slip(client_as, pick(web_data, ALICE_UNIT, finished=True))
    client_as("alice").post(doc["url"], {"tong_the": "hai_long"})
    client.post("/dang-nhap/", {"username": "alice", "password": "sai"})
    enrol(client_as)
    page = client_as("admin").get("/nhat-ky/").content.decode()
    for label in (
        "Từ chối đánh giá",
        "Đăng nhập không thành công",
        "Đăng ký máy đánh giá tại quầy",
    ):
        assert label in page
    assert "rating.refused" not in page.replace('value="rating.refused"', "")
    assert AuditEntry.objects.filter(action="rating.refused").count() == 1
