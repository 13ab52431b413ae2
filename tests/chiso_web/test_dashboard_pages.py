"""The dashboard's HTML pages: the live block they poll, and periods without data."""

from __future__ import annotations

import re
from typing import Any

import pytest

from web_cast import ALICE_UNIT

pytestmark = pytest.mark.django_db

LIVE_PAGES = ["/xep-hang/", f"/don-vi/{ALICE_UNIT}/", "/man-hinh/"]


@pytest.mark.parametrize("page", LIVE_PAGES)
def test_each_live_page_polls_its_own_address_and_gets_the_fragment(
    client_as: Any, page: str
) -> None:
    admin = client_as("admin")
    html = admin.get(page).content.decode()
    polled = re.findall(r'<div id="live" hx-get="([^"]+)" hx-trigger="every (\d+)s"', html)
    assert len(polled) == 1, html
    address, seconds = polled[0]
    assert address.startswith(page + "?") and int(seconds) > 0
    fragment = admin.get(address.replace("&amp;", "&"), headers={"HX-Request": "true"})
    body = fragment.content.decode()
    assert body.lstrip().startswith('<div id="live-inner"') and "<html" not in body
