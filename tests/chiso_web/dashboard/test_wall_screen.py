"""The wall screen: top and bottom of each ranking block, the most improved, every unit
page after page."""

from __future__ import annotations

import re
from typing import Any

import pytest

pytestmark = pytest.mark.django_db
QUERY = "period=2026-10"


def _units(page: str, section: str) -> list[str]:
    start = page.index(f'id="{section}"')
    end = page.index("</section>", start)
    return re.findall(r'data-unit="([^"]+)"', page[start:end])


def test_each_block_shows_its_top_and_its_weakest_units(client_as: Any) -> None:
    admin = client_as("admin")
    ranking = admin.get(f"/xep-hang.json?{QUERY}").json()
    page = admin.get(f"/man-hinh/?{QUERY}").content.decode()
    for block in ranking["blocks"]:
        scored = [u["unit_code"] for u in block["units"] if u["rank"] is not None]
        shown = _units(page, f"wall-block-{block['code']}")
        assert shown == (scored[:5] + scored[-5:] if len(scored) > 10 else scored)
    assert "Cần cải thiện" in page and "Tiến bộ nhất" in page
    improved = sorted((u for u in ranking["units"] if (u["change"] or 0) > 0),
                      key=lambda u: -u["change"])[:5]  # fmt: skip
    for unit in improved:
        assert unit["name"] in page


def test_the_pages_go_through_every_unit_once(client_as: Any) -> None:
    admin = client_as("admin")
    ranking = admin.get(f"/xep-hang.json?{QUERY}").json()
    first = admin.get(f"/man-hinh/?{QUERY}&trang=1").content.decode()
    pages = int(re.search(r"trang 1/(\d+)", first).group(1))  # type: ignore[union-attr]
    seen = []
    for number in range(1, pages + 1):
        seen += _units(
            admin.get(f"/man-hinh/?{QUERY}&trang={number}").content.decode(), "wall-page"
        )
    assert sorted(seen) == sorted(u["unit_code"] for u in ranking["units"])
    assert len(seen) == len(set(seen))
    assert admin.get(f"/man-hinh/?{QUERY}&trang={pages + 1}").status_code == 400


def test_an_officer_s_wall_shows_their_one_unit_as_a_large_card(client_as: Any) -> None:
    """A commune's own TV: one unit in scope, one card (name, score, class, rank in its
    block, named as such: the block's rank is not the province's), not three lists of the
    same row."""
    alice = client_as("alice")
    ranking = alice.get(f"/xep-hang.json?{QUERY}").json()
    (unit,) = ranking["units"]
    ((block_unit,),) = [b["units"] for b in ranking["blocks"]]
    label = ranking["blocks"][0]["label"]
    assert block_unit["rank"] != unit["rank"]  # the commune's rank among communes, not overall
    page = alice.get(f"/man-hinh/?{QUERY}").content.decode()
    assert 'id="wall-single"' in page and 'id="wall-page"' not in page
    card = page[page.index('id="wall-single"') :]
    tie = "=" if block_unit["tied"] else ""
    assert unit["name"] in card and f"hạng {block_unit['rank']}{tie} trong khối {label}" in card
    assert "của tỉnh" not in card
