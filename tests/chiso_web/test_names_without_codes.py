"""Lists that name a unit name it by its name only: the ratings page's units and the report
requests showed the internal code beside the name ("UBND xã Sín Thầu 03158")."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from chiso_web.reports.models import ReportRequest
from web_cast import ALICE_UNIT
from web_ratings import pick, rating_link

pytestmark = pytest.mark.django_db


def _words(page: str) -> str:
    return re.sub(r"<[^>]+>", " ", page)  # what the screen shows, not the attributes


def test_the_report_requests_name_the_unit_without_its_code(cast: Any, client_as: Any) -> None:
    ReportRequest.objects.create(
        requested_by=cast["alice"], unit_code=ALICE_UNIT, unit_name="UBND xã Sín Thầu",
        period="2026-09", index_set="dienbien-459-2023", formats=["docx"],
    )  # fmt: skip
    words = _words(client_as("alice").get("/bao-cao/").content.decode())
    assert "UBND xã Sín Thầu" in words and not re.search(rf"\b{ALICE_UNIT}\b", words)


def test_the_ratings_page_names_the_units_without_their_codes(
    client_as: Any, client: Client, writable_data: Path
) -> None:
    code = pick(writable_data, ALICE_UNIT, finished=True)
    client.post(rating_link(client_as("alice"), code), {"tong_the": "hai_long"})
    page = client_as("admin").get("/danh-gia/").content.decode()
    words = _words(page)
    assert "UBND xã Sín Thầu" in words
    assert not re.search(rf"(?<![\w-]){ALICE_UNIT}(?![\w-])", words)
