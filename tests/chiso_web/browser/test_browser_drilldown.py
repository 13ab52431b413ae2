"""In Chromium, at desktop and phone sizes: the dossiers behind an indicator sort by the
working days late with a click on the column's name, filter by progress, and on a phone
read as cards without widening the page (issue #16 item 5)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from browser_site import Site

from conftest import sign_in, warm

pytestmark = pytest.mark.browser
SIZES = {"desktop": (1366, 768), "phone": (390, 844)}
UNIT = "03334"  # UBND phường Mường Thanh: the most late dossiers of the synthetic province
URL = f"/don-vi/{UNIT}/chi-so/tien_do/"
LATE = "#costing-table"
DAYS = """table => {
  const col = Array.from(table.tHead.rows[0].cells)
    .findIndex(th => th.dataset.column === 'late_working_days');
  return Array.from(table.tBodies[0].rows).map(r => r.cells[col].dataset.value);
}"""


@pytest.fixture(scope="module", autouse=True)
def _scored(browser: Any, site: Site) -> None:
    warm(browser, site, (URL,))


def _days(page: Any) -> list[int]:
    return [int(v) for v in page.locator(LATE).evaluate(DAYS)]


@pytest.mark.parametrize("size", SIZES)
def test_days_late_sort_and_the_phone_reads_cards(
    new_page: Callable[..., Any], shoot: Any, size: str
) -> None:
    width, height = SIZES[size]
    page = new_page(width, height)
    sign_in(page, "admin", then=URL)
    page.wait_for_selector(f"{LATE} tbody tr")
    before = _days(page)
    assert len(set(before)) > 2, before
    header = page.locator(f"{LATE} thead th[data-column=late_working_days]")
    assert header.inner_text().strip() == "Trễ hạn (ngày làm việc)"
    header.click()
    up = _days(page)
    assert up == sorted(before) and up != before
    header.click()
    assert _days(page) == sorted(before, reverse=True)
    first = page.locator(f"{LATE} tbody tr").first
    assert "/ho-so/" in (first.locator("a").get_attribute("href") or "")
    shoot(page, f"drilldown-{size}")
    shoot(first, f"drilldown-{size}-row")
    assert page.evaluate("document.scrollingElement.scrollWidth") <= width
    if size == "phone":  # one card per row: the row is no wider than the screen
        box = first.bounding_box()
        assert box is not None and box["width"] <= width
    page.get_by_label("Tình trạng").select_option("overdue")
    page.get_by_role("button", name="Xem").click()
    page.wait_for_url("**progress=overdue**")
    states = page.locator(f"{LATE} td[data-label='Tình trạng']").all_inner_texts()
    assert states and set(states) == {"Quá hạn, chưa giải quyết"}
    assert page.evaluate("document.scrollingElement.scrollWidth") <= width
