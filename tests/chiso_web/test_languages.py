"""The site's languages (docs/web.md, "Languages"): pages in CHISO_LANG (Vietnamese by
default, English ids), the push API in its caller's Accept-Language."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.template.loader import render_to_string
from django.test import Client
from django.utils import translation

from chiso_web import env
from chiso_web.language import accepted
from web_cast import ALICE_UNIT

pytestmark = pytest.mark.django_db
PUSH = "/api/v1/dossiers"


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_pages_are_vietnamese_by_default(client_as: Any) -> None:
    login = Client().get("/dang-nhap/").content.decode()
    assert '<html lang="vi">' in login
    assert "Tên đăng nhập" in login and "Mật khẩu" in login and "User name" not in login
    ranking = _text(client_as("leader").get("/xep-hang/?period=2026-10").content.decode())
    for words in ("Xếp hạng tháng 10 năm 2026", "Tổng điểm", "Điểm quy đổi", "Kết quả công khai"):
        assert words in ranking
    assert "Total points" not in ranking


def test_chiso_lang_en_shows_the_site_in_english(client_as: Any, settings: Any) -> None:
    settings.LANGUAGE_CODE = "en"
    login = Client().get("/dang-nhap/").content.decode()
    assert '<html lang="en">' in login
    assert "User name" in login and "Password" in login and "Tên đăng nhập" not in login
    unit = _text(client_as("admin").get(f"/don-vi/{ALICE_UNIT}/?period=2026-10").content.decode())
    for words in ("Converted score", "Overall rank", "Numerator", "Public results"):
        assert words in unit
    due = _text(client_as("admin").get("/sap-qua-han/").content.decode())
    assert "Dossiers due soon" in due and "Points at stake" in due
    assert "Hồ sơ sắp quá hạn" not in due


def test_an_api_problem_follows_accept_language() -> None:
    english = Client().post(PUSH, "{}", content_type="application/json",
                            headers={"Accept-Language": "en-US,en;q=0.9"})  # fmt: skip
    assert english.status_code == 401
    assert english.json()["error"] == "no access token"
    assert english["Content-Language"] == "en"
    vietnamese = Client().post(PUSH, "{}", content_type="application/json")
    assert vietnamese.json()["error"] == "thiếu mã truy cập"
    assert "Authorization: Bearer <mã>" in vietnamese.json()["hint"]
    assert vietnamese["Content-Language"] == "vi"
    for answer in (english, vietnamese):
        assert "Accept-Language" in answer["Vary"]


def test_a_refused_batch_speaks_the_callers_language(db: None) -> None:
    from chiso_web.api.tokens import create_token

    secret = create_token("Một cửa tỉnh", created_by="test")[1]
    auth = {"Authorization": f"Bearer {secret}"}
    english = Client().post(PUSH, '{"dossiers": []}', content_type="application/json",
                            headers={**auth, "Accept-Language": "en"})  # fmt: skip
    assert english.status_code == 400
    assert english.json()["error"].startswith("no list of dossiers")
    vietnamese = Client().post(PUSH, "[1", content_type="application/json",
                               headers={**auth, "Accept-Language": "fr, vi;q=0.5"})  # fmt: skip
    assert vietnamese.json()["error"].startswith("nội dung gửi không phải JSON hợp lệ")


def test_pages_ignore_accept_language(client_as: Any) -> None:
    """The site's language is the site's: a browser asking for English gets Vietnamese,
    on the token pages under /api/ too."""
    page = Client().get("/dang-nhap/", headers={"Accept-Language": "en"})
    assert "Đăng nhập" in page.content.decode()
    assert not page.has_header("Content-Language")
    tokens = client_as("admin").get("/api/ma-truy-cap/", headers={"Accept-Language": "en-US"})
    assert "Chưa có mã truy cập nào." in tokens.content.decode()
    assert not tokens.has_header("Content-Language")


def test_a_template_fragment_counts_in_both_languages(settings: Any) -> None:
    context = {"anomalies_open": 3, "unit_code": ALICE_UNIT, "period": "2026-10"}
    vietnamese = render_to_string("dashboard/_anomaly_badge.html", context)
    assert "3 mục dữ liệu cần rà soát" in vietnamese
    with translation.override("en"):
        english = render_to_string(
            "dashboard/_anomaly_badge.html", {**context, "anomalies_open": 1}
        )
    assert "1 data point to review" in english and "no points taken" in english


@pytest.mark.parametrize(
    ("header", "language"),
    [("", "vi"), ("en", "en"), ("en-GB,en;q=0.9", "en"), ("fr, en;q=0.3, vi;q=0.8", "vi"),
     ("de", "vi"), ("en;q=0", "vi"), ("EN_us", "en"), ("en;q=x, vi", "vi")],
)  # fmt: skip
def test_accept_language_picks_the_best_language_the_site_speaks(
    header: str, language: str
) -> None:
    assert accepted(header, "vi") == language


def test_chiso_lang_is_read_strictly(tmp_path: Path) -> None:
    def load(value: str) -> Any:
        return env.load({"CHISO_HOME": str(tmp_path), "CHISO_LANG": value})["CHISO_LANG"]

    assert load("en_US.UTF-8") == "en" and load("vi-VN") == "vi"
    assert env.load({"CHISO_HOME": str(tmp_path)})["CHISO_LANG"] == "vi"
    with pytest.raises(ImproperlyConfigured, match="CHISO_LANG='fr'"):
        load("fr")


def test_the_python_messages_of_the_apps_follow_the_site(client_as: Any, settings: Any) -> None:
    """Errors, hints and labels built in the views' Python: English ids, Vietnamese in
    django.po, so an English site shows no Vietnamese and a Vietnamese one stays as it was."""
    admin = client_as("admin")
    not_a_month = admin.get("/cong-bo/2026-Q3.json").json()
    assert "không phải một tháng hợp lệ" in not_a_month["error"]
    assert not_a_month["hint"] == "viết tháng dạng 2026-09 (năm-tháng)"
    no_file = _text(admin.post("/nhap-du-lieu/", {"table": "dossiers"}).content.decode())
    assert "Chưa chọn tệp nào." in no_file
    national = admin.get("/toan-quoc.json?period=2026-08").json()
    assert national["missing"].startswith("Chưa có điểm lấy từ Cổng DVC quốc gia cho")
    settings.LANGUAGE_CODE = "en"
    national = admin.get("/toan-quoc.json?period=2026-08").json()  # the same cached computation
    assert national["missing"].startswith("No scores captured from the national public service")
    not_a_month = admin.get("/cong-bo/2026-Q3.json").json()
    assert not_a_month["error"] == "period '2026-Q3' is not a valid month"
    assert not_a_month["hint"] == "write the month as 2026-09 (year-month)"
    months = {m["period"]: m for m in admin.get("/cong-bo/danh-sach.json").json()["months"]}
    assert months["2026-10"]["state"] == "Running"
    assert months["2026-08"]["state"] == "Not published"
    no_file = _text(admin.post("/nhap-du-lieu/", {"table": "dossiers"}).content.decode())
    assert "No file chosen." in no_file and "Chưa chọn" not in no_file


def _labels(language: str) -> dict[str, str]:
    """Every app's, model's and explicitly named field's label of the site."""
    from django.apps import apps
    from django.utils.functional import Promise

    labels: dict[str, str] = {}
    with translation.override(language):
        for app in apps.get_app_configs():
            if not app.name.startswith("chiso_web"):
                continue
            labels[app.label] = str(app.verbose_name)
            for model in app.get_models():
                meta = model._meta
                labels[meta.label] = str(meta.verbose_name)
                labels[f"{meta.label}+"] = str(meta.verbose_name_plural)
                for field in meta.get_fields(include_hidden=False):
                    name = getattr(field, "verbose_name", None)
                    if isinstance(name, Promise):  # Django's default names are plain str
                        labels[f"{meta.label}.{field.name}"] = str(name)
    return labels


def test_model_and_app_labels_follow_the_sites_language() -> None:
    vi, en = _labels("vi"), _labels("en")
    assert vi["imports"] == "Nhập dữ liệu" and en["imports"] == "Data import"
    assert vi["imports.ImportRun.rows"] == "số dòng đọc"
    assert en["imports.ImportRun.rows"] == "rows read"
    assert vi["ratings.Rating+"] == "đánh giá" and en["ratings.Rating+"] == "ratings"
    assert len(vi) > 150
    same = sorted(key for key in vi if vi[key] == en[key])
    assert not same, same
