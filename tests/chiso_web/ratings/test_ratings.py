"""Citizen ratings: receipt QR for staff, the public form by signed token, one rating per
dossier, rate limit, and the satisfaction indicator moving at once."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import duckdb
import pytest
from django.test import Client

from chiso_web.ratings.models import Rating, RatingToken
from web_cast import ALICE_UNIT, CHARLIE_UNIT
from web_ratings import canonical_ratings, pick, rating_link

pytestmark = pytest.mark.django_db


def hailong(client: Client) -> dict[str, Any]:
    unit = client.get(f"/don-vi/{ALICE_UNIT}.json").json()["unit"]
    return next(i for i in unit["indicators"] if i["code"] == "hailong_cs3")


def test_staff_gets_the_printable_qr_slip_of_their_dossier(client_as: Any, web_data: Path) -> None:
    code = pick(web_data, ALICE_UNIT, finished=True)
    page = client_as("alice").get(f"/danh-gia/ma/{code}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html and code in html
    assert re.search(r"http://testserver/danh-gia/[\w-]{22}\.[\w-]{43}/", html)
    svg = client_as("bob").get(f"/danh-gia/ma/{code}.svg")
    assert svg.status_code == 200
    assert svg["Content-Type"].startswith("image/svg+xml")
    assert svg.content.startswith(b"<svg")


def test_the_link_is_stable_and_unrelated_to_the_dossier_code(
    client_as: Any, web_data: Path
) -> None:
    code = pick(web_data, ALICE_UNIT, finished=True)
    alice = client_as("alice")
    first, again = rating_link(alice, code), rating_link(alice, code)
    assert first == again
    assert code not in first
    assert RatingToken.objects.get(dossier_code=code).token_id in first


def test_others_get_404_for_the_slip_svg_and_json(
    client_as: Any, client: Client, web_data: Path
) -> None:
    code = pick(web_data, ALICE_UNIT, finished=True)
    charlie = client_as("charlie")
    for suffix in ("/", ".svg", ".json"):
        assert charlie.get(f"/danh-gia/ma/{code}{suffix}").status_code == 404
    assert client_as("alice").get("/danh-gia/ma/KHONG-CO-HO-SO/").status_code == 404
    assert client_as("nobody").get(f"/danh-gia/ma/{code}.json").status_code == 403
    assert client.get(f"/danh-gia/ma/{code}/").status_code == 302  # sign in first
    assert not RatingToken.objects.exists()


def test_citizen_rates_through_the_link_and_the_indicator_moves(
    client_as: Any, client: Client, writable_data: Path
) -> None:
    code = pick(writable_data, ALICE_UNIT, finished=True)
    alice = client_as("alice")
    before = hailong(alice)
    link = rating_link(alice, code)
    form = client.get(link)
    assert form.status_code == 200
    html = form.content.decode()
    assert "Nhìn chung" in html and 'name="csrfmiddlewaretoken"' in html
    assert "họ tên" not in html.lower().replace("không hỏi họ tên", "")
    done = client.post(link, {"tong_the": "khong_hai_long", "thai_do": "chua_tot"})
    assert done.status_code == 200
    assert "Cảm ơn" in done.content.decode()
    assert canonical_ratings(writable_data, code) == [("qr", False)]
    after = hailong(alice)
    assert after["numerator"] == before["numerator"] - 1
    rating = Rating.objects.get(dossier_code=code)
    assert rating.answers == {"tong_the": "khong_hai_long", "thai_do": "chua_tot"}
    assert RatingToken.objects.get(dossier_code=code).used_at is not None


def test_a_second_rating_is_refused_and_changes_nothing(
    client_as: Any, client: Client, writable_data: Path
) -> None:
    code = pick(writable_data, ALICE_UNIT, finished=True)
    link = rating_link(client_as("alice"), code)
    assert client.post(link, {"tong_the": "rat_hai_long"}).status_code == 200
    again = client.post(link, {"tong_the": "rat_khong_hai_long"})
    assert "đã được đánh giá" in again.content.decode()
    assert "đã được đánh giá" in client.get(link).content.decode()
    assert canonical_ratings(writable_data, code) == [("qr", True)]
    assert Rating.objects.get(dossier_code=code).satisfied is True


def test_a_dossier_rated_on_paper_cannot_be_rated_again(client_as: Any, web_data: Path) -> None:
    sql = f"""select r.dossier_code from '{web_data}/ratings/*.parquet' r
        join '{web_data}/dossiers/*.parquet' d using (dossier_code)
        where d.unit_code = ? order by 1 limit 1"""
    code = duckdb.execute(sql, [ALICE_UNIT]).fetchone()[0]
    link = rating_link(client_as("alice"), code)
    answer = Client().post(link, {"tong_the": "hai_long"})
    assert "đã được đánh giá" in answer.content.decode()
    assert not Rating.objects.exists()


@pytest.mark.parametrize("change", ["last", "first", "id-only", "garbage"])
def test_forged_or_altered_tokens_are_404(
    client_as: Any, client: Client, web_data: Path, change: str
) -> None:
    link = rating_link(client_as("alice"), pick(web_data, ALICE_UNIT, finished=True))
    token = link.strip("/").split("/")[-1]
    flip = {"A": "B"}.get(token[-1], "A")
    forged = {
        "last": token[:-1] + flip,
        "first": ("B" if token[0] == "A" else "A") + token[1:],
        "id-only": token.split(".")[0],
        "garbage": "x" * 66,
    }[change]
    assert client.get(f"/danh-gia/{forged}/").status_code == 404
    assert client.post(f"/danh-gia/{forged}/", {"tong_the": "hai_long"}).status_code == 404
    assert not Rating.objects.exists()


def test_an_unfinished_dossier_cannot_be_rated(
    client_as: Any, client: Client, writable_data: Path
) -> None:
    code = pick(writable_data, ALICE_UNIT, finished=False)
    link = rating_link(client_as("alice"), code)
    page = client.get(link)
    assert "chưa giải quyết xong" in page.content.decode()
    assert "rating-form" not in page.content.decode()
    assert client.post(link, {"tong_the": "hai_long"}).status_code == 409
    assert canonical_ratings(writable_data, code) == []


def test_missing_answer_names_the_question(
    client_as: Any, client: Client, writable_data: Path
) -> None:
    code = pick(writable_data, ALICE_UNIT, finished=True)
    link = rating_link(client_as("alice"), code)
    answer = client.post(link, {"thoi_gian": "dung_hen"})
    assert answer.status_code == 400
    html = answer.content.decode()
    assert "chưa có câu trả lời" in html and "Nhìn chung" in html
    assert 'value="dung_hen" checked' in html
    assert not Rating.objects.exists()


def test_rate_limit_answers_429_after_the_limit(
    client_as: Any, client: Client, settings: Any, web_data: Path
) -> None:
    settings.CHISO = {**settings.CHISO, "CHISO_RATING_LIMIT": 2}
    link = rating_link(client_as("alice"), pick(web_data, ALICE_UNIT, finished=True))
    address = {"REMOTE_ADDR": "203.0.113.9"}
    for _ in range(2):  # incomplete forms still count as submissions
        assert client.post(link, {}, **address).status_code == 400
    blocked = client.post(link, {"tong_the": "hai_long"}, **address)
    assert blocked.status_code == 429
    assert "Quá nhiều" in blocked.content.decode()
    assert client.post(link, {}, REMOTE_ADDR="203.0.113.10").status_code == 400
    assert not Rating.objects.exists()


def test_staff_summary_counts_answers_of_visible_units_only(
    client_as: Any, client: Client, writable_data: Path
) -> None:
    alices = pick(writable_data, ALICE_UNIT, finished=True)
    charlies = pick(writable_data, CHARLIE_UNIT, finished=True)
    client.post(rating_link(client_as("alice"), alices), {"tong_the": "khong_hai_long"})
    sent = {"tong_the": "hai_long", "thai_do": "tan_tinh"}
    client.post(rating_link(client_as("charlie"), charlies), sent)
    alice = client_as("alice").get("/danh-gia/tong-hop.json").json()
    assert alice["period"] == "2026-10"
    assert [u["unit_code"] for u in alice["units"]] == [ALICE_UNIT]
    assert alice["units"][0] | {"unit_name": ""} == {
        "unit_code": ALICE_UNIT, "unit_name": "", "ratings": 1, "qr": 1, "kiosk": 0,
        "unsatisfied": 1, "unsatisfied_share": 1.0,
    }  # fmt: skip
    overall = alice["questions"][0]
    assert {c["code"]: c["count"] for c in overall["choices"]}["khong_hai_long"] == 1
    everyone = client_as("leader").get("/danh-gia/tong-hop.json").json()
    assert everyone["ratings"] == 2 and everyone["unsatisfied"] == 1
    attitude = next(q for q in everyone["questions"] if q["code"] == "thai_do")
    assert attitude["answered"] == 1
    page = client_as("bob").get("/danh-gia/").content.decode()
    assert "Sín Thầu" in page and "Mường Nhé" in page
    assert client_as("alice").get("/danh-gia/tong-hop.json?period=2026-09").json()["ratings"] == 0
    assert client.get("/danh-gia/tong-hop.json").status_code == 403
    assert client_as("alice").get("/danh-gia/", {"ma": alices})["Location"] == (
        f"/danh-gia/ma/{alices}/"
    )


def test_no_client_address_or_personal_field_is_stored(
    client_as: Any, client: Client, writable_data: Path
) -> None:
    code = pick(writable_data, ALICE_UNIT, finished=True)
    link = rating_link(client_as("alice"), code)
    sent = {"tong_the": "hai_long", "ho_ten": "Nguyễn Văn A", "so_dien_thoai": "0912345678"}
    client.post(link, sent, REMOTE_ADDR="198.51.100.77")
    stored = [
        str(row)
        for model in (Rating, RatingToken)
        for row in model.objects.filter(dossier_code=code).values()
    ]
    assert stored and not any(
        text in row for row in stored for text in ("198.51.100.77", "Nguyễn", "0912345678")
    )
    assert Rating.objects.get(dossier_code=code).answers == {"tong_the": "hai_long"}
