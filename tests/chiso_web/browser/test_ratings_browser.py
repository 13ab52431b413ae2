"""In Chromium: staff print a dossier's rating QR slip, a citizen rates it from a phone-sized
window, the unit's satisfaction indicator moves at once; an administrator enrols a counter
kiosk, which takes the slip's short code, rates, returns to start and refuses the code again."""

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
    staff.context.set_default_timeout(60_000)  # signing in lands on the scored dashboard
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


@pytest.mark.parametrize(
    ("size", "skip"), [((390, 844), 1), ((1366, 768), 2)], ids=["phone", "desktop"]
)
def test_an_enrolled_kiosk_takes_the_slip_code_rates_and_returns_to_its_start(
    new_page: Any, login: Any, shoot: Any, site: Site, size: tuple[int, int], skip: int
) -> None:
    code = finished_unrated(site.data, ALICE_UNIT, skip)
    staff = new_page()
    staff.context.set_default_timeout(60_000)  # signing in lands on the scored dashboard
    login(staff, "sinthau")
    staff.goto(f"/danh-gia/ma/{code}/")
    short = staff.locator(".slip .short-code").inner_text().strip()
    assert re.fullmatch(r"[2-9A-Z]{4}-[2-9A-Z]{4}", short)
    staff.goto(staff.locator(".slip .link").inner_text().strip())  # staff never rate
    staff.get_by_text("Tài khoản cán bộ không được đánh giá").wait_for()
    assert staff.locator("form.rating-form").count() == 0
    shoot(staff, "rating-refused-to-staff")

    touch = {"is_mobile": True, "has_touch": True} if size[0] < 500 else {}
    tablet = new_page(*size, **touch)
    tablet.context.set_default_timeout(60_000)
    tablet.goto("/danh-gia/quay/")  # not enrolled: no kiosk mode
    tablet.get_by_text("Máy này chưa được đăng ký đánh giá tại quầy").wait_for()
    shoot(tablet, "kiosk-not-enrolled")
    login(tablet, "quantri")  # the administrator enrols this browser
    tablet.goto("/danh-gia/quay/dang-ky/")
    tablet.get_by_label("Tên máy").fill("Quầy số 1")
    tablet.get_by_label("Đơn vị đặt máy").select_option(ALICE_UNIT)
    shoot(tablet, "kiosk-enrol")
    tablet.get_by_role("button", name="Đăng ký máy này").click()
    tablet.wait_for_url(re.compile(r"/danh-gia/quay/$"))
    assert tablet.get_by_role("button", name=re.compile("Đăng xuất")).count() == 0
    tablet.get_by_label("Mã đánh giá").fill("ZZZZ-ZZZZ")
    tablet.get_by_role("button", name="Bắt đầu đánh giá").click()
    tablet.get_by_text("Không tìm thấy mã đánh giá “ZZZZ-ZZZZ”", exact=False).wait_for()
    shoot(tablet, "kiosk-unknown-code")
    tablet.get_by_label("Mã đánh giá").fill(short.lower())  # the form keeps the field
    tablet.get_by_role("button", name="Bắt đầu đánh giá").click()
    tablet.wait_for_url("**/danh-gia/quay/phieu/*/")
    assert tablet.evaluate("document.documentElement.scrollWidth") <= size[0]
    shoot(tablet, "kiosk-form")
    tablet.get_by_text("Rất hài lòng", exact=True).click()
    tablet.get_by_role("button", name="Gửi đánh giá").click()
    tablet.wait_for_url("**/danh-gia/quay/xong/")
    assert "Tự động quay lại" in tablet.locator(".countdown").inner_text()
    shoot(tablet, "kiosk-thanks")
    tablet.wait_for_url(re.compile(r"/danh-gia/quay/$"), timeout=15_000)
    tablet.get_by_label("Mã đánh giá").fill(short)  # the same slip again
    tablet.get_by_role("button", name="Bắt đầu đánh giá").click()
    tablet.get_by_text("Mã đánh giá này đã được dùng").wait_for()
    shoot(tablet, "kiosk-used")
    tablet.goto(f"/danh-gia/ma/{code}/")  # the kiosk is no staff session
    assert "/dang-nhap/" in tablet.url
