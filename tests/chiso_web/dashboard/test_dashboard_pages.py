"""The dashboard's HTML pages: the live block they poll, and periods without data."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import duckdb
import jsonschema
import pytest

from chiso_web import data
from chiso_web.dashboard.schemas import SCHEMAS
from web_cast import ALICE_UNIT, dossiers_by_unit

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


def test_the_unit_pages_live_fragment_carries_the_trend_its_chart_draws(client_as: Any) -> None:
    """The cards and the trend chart come from one document, so a live swap moves both."""
    admin = client_as("admin")
    query = "?period=2026-10"
    body = admin.get(f"/don-vi/{ALICE_UNIT}/{query}", headers={"HX-Request": "true"})
    found = re.search(r'<script id="chart-data" type="application/json">(.*?)</script>',
                      body.content.decode(), re.S)  # fmt: skip
    assert found is not None
    doc = json.loads(found.group(1))
    twin = admin.get(f"/don-vi/{ALICE_UNIT}.json{query}").json()
    assert doc["trend"] and doc["trend"] == twin["trend"]
    october = next(t for t in doc["trend"] if t["period"] == "2026-10")
    assert october["converted"] == doc["unit"]["converted"]


@pytest.mark.parametrize("period", ["2026-07", "2026-12"])  # before the data; in the future
def test_a_month_without_dossiers_says_so_instead_of_a_table_of_equal_scores(
    client_as: Any, period: str
) -> None:
    admin = client_as("admin")
    doc = admin.get(f"/xep-hang.json?period={period}").json()
    jsonschema.validate(doc, SCHEMAS["ranking"])
    assert doc["has_data"] is False and doc["units_with_data"] == 0
    assert len(doc["units"]) > 40
    for unit in doc["units"]:
        assert unit["has_data"] is False
        assert (unit["converted"], unit["class"], unit["rank"], unit["total"]) == (None,) * 4
    assert sum(d["count"] for d in doc["distribution"]) == 0
    page = admin.get(f"/xep-hang/?period={period}").content.decode()
    assert 'id="no-data"' in page and "Chưa có dữ liệu" in page
    assert 'id="ranking-table' not in page  # neither the list nor a block's table
    wall = admin.get(f"/man-hinh/?period={period}").content.decode()
    assert 'id="no-data"' in wall and "wall-list" not in wall
    unit = admin.get(f"/don-vi/{ALICE_UNIT}.json?period={period}").json()
    jsonschema.validate(unit, SCHEMAS["unit"])
    assert unit["has_data"] is False and unit["unit"]["converted"] is None


def test_units_without_records_are_unscored_and_the_others_ranked_among_themselves(
    client_as: Any, web_data: Path
) -> None:
    admin = client_as("admin")
    doc = admin.get("/xep-hang.json?period=2026-10").json()
    jsonschema.validate(doc, SCHEMAS["ranking"])
    empty = [u for u in doc["units"] if not u["has_data"]]
    scored = [u for u in doc["units"] if u["has_data"]]
    assert empty, "the synthetic province has departments without a dossier in October"
    assert doc["has_data"] is True and doc["units_with_data"] == len(scored)
    counts = dossiers_by_unit(web_data, "2026-10-01", "2026-11-01")
    assert all(counts.get(u["unit_code"], 0) == 0 for u in empty)
    for unit in empty:
        assert (unit["converted"], unit["class"], unit["rank"]) == (None, None, None)
    for unit in scored:  # competition ranks on the exact score, among the scored units only
        above = sum(1 for other in scored if other["converted_exact"] > unit["converted_exact"])
        assert unit["rank"] == above + 1
    assert sum(d["count"] for d in doc["distribution"]) == len(scored)
    page = admin.get("/xep-hang/?period=2026-10").content.decode()
    for unit in empty:
        assert f'<tr class="no-data" data-unit="{unit["unit_code"]}">' in page
    assert "{#" not in page and "{%" not in page  # no template text shown around the rows
    one = admin.get(f"/don-vi/{empty[0]['unit_code']}.json?period=2026-10").json()
    jsonschema.validate(one, SCHEMAS["unit"])
    assert one["has_data"] is True and one["unit"]["has_data"] is False
    assert (
        'id="no-data"'
        in admin.get(f"/don-vi/{empty[0]['unit_code']}/?period=2026-10").content.decode()
    )


def test_the_trend_leaves_months_without_data_unscored(client_as: Any) -> None:
    doc = client_as("alice").get(f"/don-vi/{ALICE_UNIT}.json?period=2026-10").json()
    by_month = {m["period"]: m.get("converted") for m in doc["trend"]}
    assert by_month["2026-07"] is None and by_month["2026-01"] is None
    assert by_month["2026-09"] is not None and by_month["2026-10"] is not None


def _add_centre_under(folder: Path, parent: str) -> str:
    """A centre under ``parent`` in the data's unit list (as a units import writes it)."""
    units = folder / "units.parquet"
    con = duckdb.connect()  # a private connection
    con.sql(
        f"COPY (SELECT * FROM read_parquet('{units}') UNION ALL "
        f"SELECT * REPLACE ('tt-thu' AS unit_code, 'Trung tâm Thử nghiệm' AS name, "
        f"'trung_tam' AS kind, '{parent}' AS parent_code) "
        f"FROM read_parquet('{units}') WHERE unit_code = '{parent}') "
        f"TO '{units}.new' (FORMAT parquet)"
    )
    (folder / "units.parquet.new").replace(units)
    data.service().forget()  # as after an import by the worker's child process
    row = con.sql(f"SELECT name FROM read_parquet('{units}') WHERE unit_code = '{parent}'")
    return str(row.fetchall()[0][0])


def test_the_within_unit_filter_names_the_units_that_have_units_under_them(
    client_as: Any, writable_data: Path
) -> None:
    """The filter asks for a unit by name, never a code to type; it shows only when some
    unit other than the province has units under it, and only those the user may see."""
    admin, alice = client_as("admin"), client_as("alice")
    page = admin.get("/xep-hang/", {"period": "2026-10"}).content.decode()
    assert 'name="subtree"' not in page  # only the province has units under it
    name = _add_centre_under(writable_data, "so-tu-phap")
    page = admin.get("/xep-hang/", {"period": "2026-10"}).content.decode()
    assert f'<option value="so-tu-phap">{name}</option>' in page
    assert 'placeholder="mã đơn vị"' not in page
    narrowed = admin.get("/xep-hang/", {"period": "2026-10", "subtree": "so-tu-phap"})
    assert '<option value="so-tu-phap" selected>' in narrowed.content.decode()
    own = alice.get(f"/don-vi/{ALICE_UNIT}/", {"period": "2026-10"}).content.decode()
    assert 'name="subtree"' not in own  # the commune officer sees no other unit's subtree


def test_the_unit_page_shows_the_score_before_the_plan(client_as: Any) -> None:
    """An officer lands on their unit: score, class and rank first, then what to do."""
    page = client_as("alice").get(f"/don-vi/{ALICE_UNIT}/", {"period": "2026-10"})
    body = page.content.decode()
    assert body.index('id="unit-converted"') < body.index('id="plan-block"')
    assert body.index('id="lost-by-group"') < body.index('id="plan-block"')


def test_the_unit_pages_indicators_are_cards_on_a_phone(client_as: Any) -> None:
    """Eight narrow columns do not fit 390 px: each indicator reads as a card there, every
    value after its column's name (app.css ``table.cards``)."""
    body = client_as("alice").get(f"/don-vi/{ALICE_UNIT}/", {"period": "2026-10"})
    page = body.content.decode()
    assert '<table class="indicators cards" id="indicator-table">' in page
    for label in ("Nhóm", "Chỉ số", "Tử số", "Mẫu số", "Tỷ lệ", "Điểm", "Tối đa"):
        assert f'<td data-label="{label}">' in page
