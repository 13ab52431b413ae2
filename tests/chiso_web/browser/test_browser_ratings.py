"""In Chromium: the officer prints a dossier's rating slip, whose QR code (as drawn on
screen) carries the printed link; a citizen opens it on a phone-sized window, rates the
dossier once, and cannot rate it twice."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
import segno
from browser_png import Picture
from browser_site import SITE_NOW, Site

from web_cast import ALICE_UNIT

pytestmark = pytest.mark.browser
PHONE = {"width": 375, "height": 667, "is_mobile": True, "has_touch": True}


def unrated_finished_dossier(site: Site, unit: str) -> str:
    """A dossier of ``unit`` finished before the site's clock and not rated in the data."""
    dossiers = pq.read_table(site.data / "dossiers", filters=[("unit_code", "=", unit)])
    rated = set(pq.read_table(site.data / "ratings", columns=["dossier_code"])[0].to_pylist())
    done = pc.less_equal(dossiers["finished_at"], datetime.fromisoformat(SITE_NOW))
    codes = dossiers.filter(pc.fill_null(done, False))["dossier_code"].to_pylist()
    return next(c for c in sorted(codes, reverse=True) if c not in rated)


def qr_matches(picture: Picture, link: str) -> bool:
    """Whether the drawn QR code has exactly the modules of ``link``'s QR code."""
    matrix = segno.make(link, error="m").matrix
    size = len(matrix)
    width, height = picture.size
    step_x, step_y = width / (size + 8), height / (size + 8)  # 4-module quiet zone
    for row in range(size):
        for col in range(size):
            x, y = int((col + 4.5) * step_x), int((row + 4.5) * step_y)
            dark = int(picture.pixels[y, x].mean()) < 128
            if dark != bool(matrix[row][col]):
                return False
    return True


def test_a_citizen_rates_a_dossier_once_through_its_qr_link_on_a_phone(
    site: Site, page: Any, new_page: Any, login: Any, shoot: Any
) -> None:
    code = unrated_finished_dossier(site, ALICE_UNIT)
    login(page, "alice")
    page.goto(f"/danh-gia/ma/{code}/")
    link = page.locator("#slip .link").inner_text().strip()
    assert link.startswith(f"{site.url}/danh-gia/") and code not in link
    qr = shoot(page.locator("#slip .qr svg"), "qr-code", colours=2, share=0.2)
    assert qr_matches(qr, link), "the QR code on screen does not carry the printed link"
    shoot(page, "rating-slip")

    phone = new_page(**PHONE)  # the citizen: no account, a phone-sized window
    phone.goto(link)
    assert phone.locator("h1").inner_text().strip()
    assert code in phone.locator(".dossier").inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    questions = phone.locator("#rating-form fieldset.question")
    assert questions.count() >= 1
    shoot(phone, "rating-form-phone")
    for n in range(questions.count()):
        questions.nth(n).locator("label.choice").first.tap()
    phone.get_by_role("button", name="Gửi đánh giá").tap()
    phone.get_by_role("heading", name="Cảm ơn ông/bà đã đánh giá!").wait_for()
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shoot(phone, "rating-thanks-phone")

    phone.goto(link)
    phone.get_by_role("heading", name="Hồ sơ này đã được đánh giá").wait_for()
    assert page.request.get(f"/danh-gia/ma/{code}.json").json()["rated"] is True
