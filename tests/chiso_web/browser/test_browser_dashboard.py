"""In Chromium: sign in, see the communes ranked, drill down to the dossiers behind a lost
point, officers kept to their unit, the open page following new data, the wall screen."""

from __future__ import annotations

import re
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from browser_pages import live_polls, number, wait_for_new_text
from browser_rows import late_dossiers
from browser_site import SITE_NOW, Site

from chiso.domain.labels import COLUMNS
from chiso.storage.writer import write_rows
from web_cast import ALICE_UNIT, CHARLIE_UNIT
from web_portal import PORTAL_PERIOD, import_portal_capture

pytestmark = pytest.mark.browser
# the communes' block of the default ranking (each block is its own table, ranked from 1)
COMMUNES = "#ranking-table-xa"

CLASS_COLOURS = {  # app.js COLORS: the ranking bars are drawn in the class colours
    "excellent": (0x1B, 0x7F, 0x3B),
    "good": (0x2F, 0x6F, 0xB5),
    "fair": (0x16, 0xA0, 0xA0),
    "average": (0xE0, 0x8A, 0x00),
    "weak": (0xC6, 0x28, 0x28),
}
CODES = {label: code for code, label in COLUMNS.items()}  # the page's headers, back to codes
DOSSIER_CODE = re.compile(r"^\d{5}-\d{6}-\d{6}$")


def _ranked_codes(page: Any) -> list[str]:
    return page.locator(f"{COMMUNES} tbody tr[data-unit]").evaluate_all(
        "rows => rows.map(r => r.dataset.unit)"
    )


def test_admin_sees_the_communes_ranked_with_class_colours(
    page: Any, login: Any, shoot: Any
) -> None:
    login(page, "quantri")  # a demo account printed by `make demo`
    assert "/tong-quan/" in page.url  # the administrator lands on the overview
    page.get_by_role("link", name="Xếp hạng đầy đủ").click()
    page.wait_for_url("**/xep-hang/**")
    page.wait_for_selector("#chart-ranking canvas")
    codes = _ranked_codes(page)
    assert len(codes) > 40 and ALICE_UNIT in codes and CHARLIE_UNIT in codes
    ranks = page.locator(f"{COMMUNES} tbody tr td:first-child").all_inner_texts()
    assert ranks[0].startswith("1")
    badge = page.locator(f"{COMMUNES} tbody tr[data-unit] .badge").first
    assert badge.evaluate("b => getComputedStyle(b).backgroundColor") not in (
        "",
        "rgba(0, 0, 0, 0)",
    )
    chart = shoot(page.locator("#chart-ranking canvas").first, "ranking-chart", share=0.05)
    drawn = [name for name, rgb in CLASS_COLOURS.items() if chart.has_colour(rgb)]
    assert len(drawn) >= 2, f"the ranking bars show {drawn} of the class colours"
    shoot(page, "ranking")


def test_drill_down_from_a_lost_point_to_the_late_dossiers(
    page: Any, login: Any, shoot: Any
) -> None:
    login(page, "quantri")
    page.goto("/xep-hang/")
    page.locator(f"{COMMUNES} tr[data-unit='{ALICE_UNIT}'] a").click()
    page.wait_for_url(f"**/don-vi/{ALICE_UNIT}/**")
    assert page.locator("h1").inner_text() == "UBND xã Sín Thầu"
    page.wait_for_selector("#chart-trend canvas")
    shoot(page, "unit")
    lost = page.locator("#indicator-table tr[data-indicator='tien_do'] a.lost-link")
    assert lost.count() == 1, "Sín Thầu should lose timeliness points in the synthetic data"
    assert lost.inner_text().startswith("−")
    lost.click()
    page.wait_for_url(f"**/don-vi/{ALICE_UNIT}/chi-so/tien_do/**")
    table = page.locator("#costing-table")
    headers = [CODES.get(h, h) for h in table.locator("thead th").all_inner_texts()]
    rows = [
        dict(zip(headers, cells, strict=True))
        for cells in table.locator("tbody tr").evaluate_all(
            "rows => rows.map(r => Array.from(r.cells, c => c.innerText.trim()))"
        )
    ]
    assert rows and all(DOSSIER_CODE.match(r["dossier_code"]) for r in rows), rows[:3]
    assert all(r["dossier_code"].startswith(ALICE_UNIT) for r in rows)
    assert all(_late(r) for r in rows), [r for r in rows if not _late(r)]
    shoot(page, "late-dossiers")


def _late(row: dict[str, str]) -> bool:
    """Finished after the due time, still open past it, or asked to supplement twice
    (the page shows times as dd/mm/yyyy HH:mm)."""
    due = datetime.strptime(row["due_at"], "%d/%m/%Y %H:%M")
    shown = row["finished_at"]
    finished = (
        datetime.strptime(shown, "%d/%m/%Y %H:%M")
        if re.fullmatch(r"\d\d/\d\d/\d{4} \d\d:\d\d", shown)
        else datetime.fromisoformat(SITE_NOW)
    )
    return finished > due or int(row.get("supplement_count") or 0) > 1


def test_officer_alice_sees_only_her_commune(page: Any, login: Any, shoot: Any) -> None:
    login(page, "alice")  # an officer lands on her unit; the ranking holds it alone
    page.goto("/xep-hang/")
    assert _ranked_codes(page) == [ALICE_UNIT]
    shoot(page, "alice-ranking")
    answer = page.goto(f"/don-vi/{CHARLIE_UNIT}/")
    assert answer is not None and answer.status == 404
    twin = page.request.get(f"/don-vi/{CHARLIE_UNIT}.json")
    assert twin.status == 404 and twin.json()["ok"] is False
    ranking = page.request.get("/xep-hang.json").json()
    assert [u["unit_code"] for u in ranking["units"]] == [ALICE_UNIT]


def test_the_open_unit_page_follows_new_dossiers(
    site: Site, page: Any, login: Any, shoot: Any
) -> None:
    login(page, "lanhdao")
    page.goto(f"/don-vi/{ALICE_UNIT}/")
    score = page.locator("#unit-converted")
    before = score.inner_text()
    live_polls(page, f"/don-vi/{ALICE_UNIT}/", 3)  # polling goes on after the first swap
    write_rows(str(site.data), "dossiers", late_dossiers(site.data, ALICE_UNIT, 25, first=0))
    started = time.monotonic()
    wait_for_new_text(page, "#unit-converted", before, 10_000)
    seconds = time.monotonic() - started
    print(f"score {before} -> {score.inner_text()} on the open page after {seconds:.1f} s")
    assert number(score.inner_text()) < number(before)
    shoot(page, "unit-after-late-dossiers")


def test_the_wall_screen_draws_and_refreshes_itself(page: Any, login: Any, shoot: Any) -> None:
    login(page, "lanhdao")
    page.goto("/man-hinh/")
    assert page.locator("header.top").count() == 0
    assert page.locator(".wall-list li").count() >= 10
    live_polls(page, "/man-hinh/", 3)  # CHISO_REFRESH_SECONDS=1: it refreshes by itself
    assert page.locator(".wall-list li").count() >= 10
    assert page.locator("#wall-clock").is_visible()
    shoot(page, "wall")


#: Each visible cell of the reconciliation's first row: its ``::before`` label and its text.
CELLS = """table => Array.from(table.tBodies[0].rows[0].cells)
  .filter(td => getComputedStyle(td).display !== "none")
  .map(td => [getComputedStyle(td, "::before").content, td.innerText.trim()])"""


def test_the_reconciliation_reads_as_cards_on_a_phone(
    new_page: Any, site: Site, login: Any, tmp_path: Path
) -> None:
    import_portal_capture(site.data, tmp_path / "capture")
    address = f"/doi-chieu/?period={PORTAL_PERIOD}"
    phone = new_page(390, 844)
    login(phone, "leader", then=address)
    table = phone.locator("#reconciliation-table")
    headers = table.locator("thead th").all_inner_texts()
    sizes = table.evaluate(
        "t => [t.scrollWidth, t.clientWidth, document.documentElement.scrollWidth]"
    )
    assert sizes[0] <= sizes[1] and sizes[2] <= 390, f"table/page widths {sizes}"
    cells = table.evaluate(CELLS)
    assert len(cells) >= 6 and all(text for _label, text in cells)
    assert {label.strip('"') for label, _text in cells} <= set(headers)  # every value labelled
    assert cells[0][0] == '"Đơn vị"' and cells[2][0] == '"Hệ thống tính"'
    first = table.locator("tbody tr").first.bounding_box()
    assert first is not None and first["width"] <= 390  # a card, not an 8-column row
    table.locator("thead th", has_text="Chênh lệch").click()  # the names still sort the cards
    values = table.locator("tbody tr td:nth-child(5)").evaluate_all(
        "tds => tds.map(td => td.dataset.value).filter(v => v !== '').map(Number)"
    )
    assert len(values) > 6 and values == sorted(values) and values != sorted(values, reverse=True)
    desktop = new_page(1366, 768)
    login(desktop, "leader", then=address)
    display = desktop.locator("#reconciliation-table").evaluate("t => getComputedStyle(t).display")
    assert display == "table"  # a table on a desktop
