"""Each role's landing page, the wall screen on an office TV, the public page citizens
use — in Chromium, at desktop and phone sizes (issue #16 items 1, 6 and 7).

Screenshots of the wall at 1920×1080 and 1366×768 are checked: one screen without
scrolling, no two rows overlapping, the weakest units on it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from browser_site import Site

from conftest import publish_once, sign_in, warm
from web_cast import ALICE_UNIT

pytestmark = pytest.mark.browser
SIZES = {"desktop": (1366, 768), "phone": (390, 844)}
WALL_SIZES = {"tv": (1920, 1080), "small-tv": (1366, 768)}
PERIOD = "2026-09"
LANDING_UNIT = f"/don-vi/{ALICE_UNIT}/"  # the unit page runs the anomaly rules too

#: every row of the wall and its box (a row must not overlap another)
ROWS = """() => Array.from(document.querySelectorAll('.wall-list li')).map(li => {
  const r = li.getBoundingClientRect();
  return {unit: li.dataset.unit || li.innerText, top: r.top, bottom: r.bottom,
          left: r.left, right: r.right};
})"""


@pytest.fixture(scope="module", autouse=True)
def _scored(browser: Any, site: Site) -> None:
    """The months the pages show scored once, before the first case."""
    warm(browser, site, ("/tong-quan.json", "/xep-hang.json?period=2026-10", LANDING_UNIT))


def _published(new_page: Callable[..., Any], site: Site) -> None:
    """September 2026 published through the form (once per site)."""
    admin = new_page()
    sign_in(admin, "admin", then="/cong-khai/cach-tinh/")
    publish_once(admin, PERIOD)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize(
    ("who", "lands", "heading"),
    [
        ("admin", "/tong-quan/", "Tổng quan"),
        ("leader", "/xep-hang/", "Xếp hạng"),
        ("alice", f"/don-vi/{ALICE_UNIT}/", "UBND xã Sín Thầu"),
    ],
)
def test_each_role_lands_where_its_work_is(
    new_page: Callable[..., Any], shoot: Any, who: str, lands: str, heading: str, size: str
) -> None:
    width, height = SIZES[size]
    page = new_page(width, height)
    sign_in(page, who)
    assert page.url.endswith(lands)
    assert page.locator("h1").inner_text().startswith(heading)
    if who == "alice":
        assert (
            page.locator("#unit-block-rank")
            .inner_text()
            .startswith("Hạng trong khối UBND xã, phường")
        )
        link = page.locator("#lost-by-group a").first  # the dossiers behind the points lost
        assert f"/don-vi/{ALICE_UNIT}/chi-so/" in (link.get_attribute("href") or "")
    scroll = page.evaluate("document.scrollingElement.scrollWidth")
    assert scroll <= width, f"{scroll} px wide on a {width} px screen"
    shoot(page, f"landing-{who}-{size}")


@pytest.mark.parametrize("size", WALL_SIZES)
def test_the_wall_fits_the_tv_without_overlap(
    new_page: Callable[..., Any], shoot: Any, size: str
) -> None:
    width, height = WALL_SIZES[size]
    page = new_page(width, height)
    sign_in(page, "leader")
    page.goto("/man-hinh/?period=2026-10&trang=1")
    box = page.evaluate(
        "[document.scrollingElement.scrollWidth, document.scrollingElement.scrollHeight]"
    )
    assert box == [width, height], f"the wall scrolls: {box} on {width}×{height}"
    rows = page.evaluate(ROWS)
    assert len(rows) >= 30
    for i, a in enumerate(rows):
        assert a["bottom"] <= height and a["right"] <= width, f"{a['unit']} is off screen"
        for b in rows[i + 1 :]:
            apart = a["bottom"] <= b["top"] or b["bottom"] <= a["top"]
            apart = apart or a["right"] <= b["left"] or b["right"] <= a["left"]
            assert apart, f"{a['unit']} overlaps {b['unit']}"
    weakest = page.locator("#wall-block-xa .wall-bottom li").last
    assert weakest.is_visible()
    size_px = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert size_px >= 18, f"text of {size_px} px is not legible from three metres"
    shoot(page, f"wall-{size}")


def test_the_wall_turns_its_pages_and_keeps_its_clock(new_page: Callable[..., Any]) -> None:
    page = new_page(1366, 768)
    sign_in(page, "leader")
    page.goto("/man-hinh/?period=2026-10")
    heading = page.locator("#wall-h-page")
    first = heading.inner_text()
    assert "trang " in first
    page.wait_for_function(
        "(before) => document.getElementById('wall-h-page').innerText !== before",
        arg=first,
        timeout=15_000,
    )
    assert page.locator("#wall-clock").inner_text().startswith("09:00")


def test_the_wall_reads_on_a_phone(new_page: Callable[..., Any]) -> None:
    page = new_page(390, 844, is_mobile=True, has_touch=True)
    sign_in(page, "admin")
    page.goto("/man-hinh/?period=2026-10")
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 390


@pytest.mark.parametrize("size", SIZES)
def test_a_citizen_finds_their_commune_sees_its_trend_and_downloads_the_data(
    new_page: Callable[..., Any], site: Site, shoot: Any, size: str
) -> None:
    _published(new_page, site)
    width, height = SIZES[size]
    page = new_page(width, height)
    page.goto("/cong-khai/")
    assert page.locator("#public-block-co_quan h2").inner_text().startswith("1. Cơ quan chuyên môn")
    assert page.locator("#public-block-xa h2").inner_text().startswith("2. UBND xã, phường")
    page.get_by_label("Tìm xã, phường hoặc cơ quan của tôi").fill("sin thau")
    page.get_by_role("button", name="Tìm", exact=True).click()
    page.wait_for_url(f"**/cong-khai/don-vi/{ALICE_UNIT}/**")
    assert page.locator("h1").inner_text() == "UBND xã Sín Thầu"
    page.wait_for_selector("#public-unit-trend canvas")
    assert page.evaluate("document.scrollingElement.scrollWidth") <= width
    shoot(page, f"public-unit-{size}")
    page.goto("/cong-khai/cach-tinh/")
    assert page.get_by_role("heading", name="Cách tính điểm").is_visible()
    page.goto("/cong-khai/du-lieu/")
    with page.expect_download() as download:
        page.locator("#data-snapshots a", has_text="CSV").first.click()
    text = download.value.path().read_text(encoding="utf-8-sig")
    assert text.startswith("Mã đơn vị,Tên đơn vị,Khối,")
    assert page.evaluate("document.scrollingElement.scrollWidth") <= width
    shoot(page, f"public-data-{size}")
