"""In Chromium: an officer uploads a one-stop export, follows the worker's check on the
polled page, reads the bad rows explained, fixes the file, confirms, and finds the new late
dossiers behind the commune's lost point."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from browser_rows import late_dossiers, one_stop_export
from browser_site import Site

from web_cast import ALICE_UNIT

pytestmark = pytest.mark.browser


def _wait_for_status(page: Any, label: str) -> None:
    """Wait until the polled status block shows ``label`` (the worker has moved on)."""
    page.wait_for_function(
        "label => document.getElementById('run-status').innerText === label", arg=label
    )


def _upload(page: Any, path: Path, outcome: str) -> None:
    page.goto("/nhap-du-lieu/")
    page.locator("#upload-form select[name=table]").select_option("dossiers")
    chosen = page.locator("#files-chosen")
    assert chosen.inner_text() == "Chưa chọn tệp nào"  # not the browser's "No file chosen"
    page.locator("#upload-form input[name=files]").set_input_files(str(path))
    assert chosen.inner_text() == path.name  # the chosen file's name, beside "Chọn tệp"
    page.get_by_role("button", name="Tải lên và kiểm tra").click()
    page.wait_for_url("**/nhap-du-lieu/lan/*/")
    _wait_for_status(page, outcome)


def test_officer_uploads_an_export_fixes_a_bad_row_and_confirms(
    site: Site, page: Any, login: Any, shoot: Any, tmp_path: Path
) -> None:
    rows = late_dossiers(site.data, ALICE_UNIT, 3, first=100)
    good = one_stop_export(rows, site.data, tmp_path / "xuat-ho-so.csv")
    bad = tmp_path / "xuat-ho-so-loi.csv"
    bad.write_text(
        good.read_text(encoding="utf-8-sig").replace("20/10/2026 08:30", "31/02/2026 08:30", 1),
        encoding="utf-8-sig",
    )
    login(page, "alice")

    _upload(page, bad, "Lỗi trong tệp")
    issues = page.locator("#issues tbody tr")
    assert issues.count() == 1
    cells = issues.first.locator("td").all_inner_texts()
    assert cells[0] == bad.name and "31/02/2026 08:30" in cells[3] and cells[4] and cells[5]
    assert page.locator("#confirm").count() == 0
    shoot(page, "rejected-export")

    _upload(page, good, "Sẵn sàng xác nhận")
    assert page.locator("#diff-new").inner_text() == "3"
    shoot(page, "validated-export")
    page.locator("#confirm").click()
    _wait_for_status(page, "Đã nhập")
    assert page.locator("#confirm").count() == 0
    shoot(page, "confirmed-export")

    page.goto(f"/don-vi/{ALICE_UNIT}/chi-so/tien_do/")
    costing = page.locator("#costing-table").inner_text()
    assert all(r["dossier_code"] in costing for r in rows)
