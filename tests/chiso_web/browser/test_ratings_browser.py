"""In Chromium: staff print a dossier's rating QR slip, a citizen rates it from a phone-sized
window, the unit's satisfaction indicator moves at once; the counter kiosk flow."""

from __future__ import annotations

import re
from typing import Any

import pytest
from browser_rows import finished_unrated
from browser_site import Site

from web_cast import ALICE_UNIT

pytestmark = pytest.mark.browser


def _hailong(page: Any) -> float:
    doc = page.request.get(f"/don-vi/{ALICE_UNIT}.json").json()
    found = next(i for i in doc["unit"]["indicators"] if i["code"] == "hailong_cs3")
    return float(found["numerator"])


def test_a_citizen_rates_a_dossier_from_its_qr_link_on_a_phone(
    new_page: Any, login: Any, shoot: Any, site: Site
) -> None:
    code = finished_unrated(site.data, ALICE_UNIT, 0)
    staff = new_page()
    login(staff, "sinthau")  # demo officer of xã Sín Thầu
    before = _hailong(staff)
    staff.goto(f"/danh-gia/ma/{code}/")
    assert staff.locator(".slip svg").count() == 1
    shoot(staff.locator(".slip"), "receipt-slip")
    link = staff.locator(".slip .link").inner_text().strip()
    assert re.fullmatch(re.escape(site.url) + r"/danh-gia/[\w-]+\.[\w-]+/", link)

    phone = new_page(375, 667, is_mobile=True, has_touch=True)
    phone.goto(link)
    phone.get_by_text("Xác định", exact=False).count()  # the page is loaded
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    choice = phone.get_by_text("Không hài lòng", exact=True)
    assert choice.bounding_box()["height"] >= 44  # a comfortable tap target
    shoot(phone, "rating-form-phone")
    choice.tap()
    phone.get_by_text("Trễ hơn ngày hẹn").tap()
    phone.get_by_role("button", name="Gửi đánh giá").tap()
    phone.get_by_text("Cảm ơn ông/bà đã đánh giá!").wait_for()
    shoot(phone, "rating-thanks-phone")
    assert _hailong(staff) == before - 1
    phone.goto(link)
    assert phone.get_by_text("Hồ sơ này đã được đánh giá").count() == 1


def test_the_counter_kiosk_rates_and_returns_to_its_start_screen(
    new_page: Any, login: Any, shoot: Any, site: Site
) -> None:
    code = finished_unrated(site.data, ALICE_UNIT, 1)
    tablet = new_page(1024, 768, has_touch=True)
    login(tablet, "sinthau")
    tablet.goto("/danh-gia/quay/")
    tablet.get_by_label("Mã hồ sơ").fill(code)
    tablet.get_by_role("button", name="Bắt đầu đánh giá").click()
    tablet.wait_for_url(f"**/danh-gia/quay/{code}/")
    shoot(tablet, "kiosk-form")
    tablet.get_by_text("Rất hài lòng", exact=True).click()
    tablet.get_by_role("button", name="Gửi đánh giá").click()
    tablet.wait_for_url("**/danh-gia/quay/xong/")
    assert "Tự động quay lại" in tablet.locator(".countdown").inner_text()
    tablet.wait_for_url(re.compile(r"/danh-gia/quay/$"), timeout=15_000)
    assert tablet.get_by_label("Mã hồ sơ").count() == 1
