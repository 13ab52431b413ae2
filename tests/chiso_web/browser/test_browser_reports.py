"""In Chromium: an officer asks for last month's report, watches the job finish and
downloads the DOCX and XLSX; another commune's officer cannot download them."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

import pytest

from web_cast import ALICE_UNIT

pytestmark = pytest.mark.browser
JOB_SECONDS = 90


def _text_of(path: Path, member: str) -> str:
    """The text of an Office file's XML part, tags removed."""
    with zipfile.ZipFile(path) as archive:
        return re.sub(r"<[^>]+>", "", archive.read(member).decode("utf-8"))


def _download(page: Any, label: str, folder: Path) -> tuple[Path, str]:
    with page.expect_download() as info:
        page.get_by_role("link", name=label).click()
    download = info.value
    target = folder / download.suggested_filename
    download.save_as(target)
    return target, download.url


def test_officer_generates_and_downloads_the_months_report(
    page: Any, new_page: Any, login: Any, shoot: Any, tmp_path: Path
) -> None:
    login(page, "alice")
    page.goto("/bao-cao/")
    form = page.locator("#report-form")
    assert form.locator("select[name=unit]").input_value() == ALICE_UNIT
    assert form.locator("select[name=period]").input_value() == "2026-09"
    shoot(page, "report-form")
    form.get_by_role("button", name="Tạo báo cáo").click()
    page.wait_for_url(re.compile(r"/bao-cao/\d+/$"))
    status = page.locator("#report-status [data-status]")
    status.and_(page.locator("[data-status=done]")).wait_for(timeout=JOB_SECONDS * 1000)
    shoot(page, "report-done")

    docx, docx_url = _download(page, "Tải Báo cáo (DOCX)", tmp_path)
    xlsx, _ = _download(page, "Tải Phụ lục (XLSX)", tmp_path)
    assert docx.suffix == ".docx" and xlsx.suffix == ".xlsx"
    letter = _text_of(docx, "word/document.xml")
    assert "Sín Thầu" in letter and "tháng 9" in letter.lower()
    assert "Sín Thầu" in _text_of(xlsx, "xl/sharedStrings.xml")

    charlie = new_page()
    login(charlie, "charlie")
    assert charlie.request.get(docx_url).status == 404
    answer = charlie.goto(page.url)
    assert answer is not None and answer.status == 404
