"""The ranking as the province reads it: cơ quan chuyên môn and xã, phường ranked apart."""

from __future__ import annotations

import re
from typing import Any

import jsonschema
import pytest

from chiso.domain.units import RANKING_BLOCKS, UnitKind
from chiso.engine.runner import AGGREGATE_KINDS
from chiso_web.dashboard.schemas import SCHEMAS
from web_cast import ALICE_UNIT

pytestmark = pytest.mark.django_db
PERIOD = "?period=2026-10"


def test_every_ranked_kind_falls_in_exactly_one_block() -> None:
    kinds = [k for block in RANKING_BLOCKS for k in block.kinds]
    assert sorted(kinds) == sorted(k.value for k in UnitKind if k.value not in AGGREGATE_KINDS)


def test_the_default_ranking_has_two_blocks_each_ranked_from_one(client_as: Any) -> None:
    doc = client_as("admin").get(f"/xep-hang.json{PERIOD}").json()
    jsonschema.validate(doc, SCHEMAS["ranking"])
    assert doc["view"] == "blocks"
    assert [b["label"] for b in doc["blocks"]] == [
        "Cơ quan chuyên môn thuộc UBND tỉnh",
        "UBND xã, phường",
    ]
    kinds = {u["unit_code"]: u["kind"] for u in doc["units"]}
    combined = {u["unit_code"]: u["rank"] for u in doc["units"]}
    for block in doc["blocks"]:
        assert {kinds[u["unit_code"]] for u in block["units"]} <= set(block["kinds"])
        ranks = [u["rank"] for u in block["units"]]
        scored = [r for r in ranks if r is not None]
        assert scored[0] == 1 and scored == sorted(scored)
        assert ranks[: len(scored)] == scored, "units without data stay last in their block"
    # the blocks together hold every unit once, and the communes' ranks are not the combined
    codes = [u["unit_code"] for b in doc["blocks"] for u in b["units"]]
    assert sorted(codes) == sorted(combined)
    communes = doc["blocks"][1]["units"]
    assert any(u["rank"] != combined[u["unit_code"]] for u in communes)


def test_the_page_shows_a_table_per_block_with_the_groups_maxima_then_the_charts(
    client_as: Any,
) -> None:
    admin = client_as("admin")
    html = admin.get(f"/xep-hang/{PERIOD}").content.decode()
    groups = admin.get(f"/xep-hang.json{PERIOD}").json()["groups"]
    tables = re.findall(r'<table class="ranking sortable" id="([^"]+)"', html)
    assert tables == ["ranking-table-co_quan", "ranking-table-xa"]
    assert "Cơ quan chuyên môn thuộc UBND tỉnh" in html and "UBND xã, phường" in html
    headers = re.findall(r'<th data-sort="number" title="[^"]+">([^<]+)</th>', html)
    for g in groups:  # each header with its maximum, once per block's table
        shown = f"{g['label']} ({g['max']:g}đ)".replace(".", ",")
        assert headers.count(shown) == 2, (shown, headers)
    assert html.index('id="ranking-table-xa"') < html.index('id="chart-ranking"')
    for table in re.findall(r'<table class="ranking sortable".*?</table>', html, re.S):
        first = re.search(
            r'<tr class="grade-[^"]+" data-unit="[^"]+">\s*<td data-value="([^"]*)"', table
        )
        assert first is not None and first.group(1) == "1"


def test_the_combined_list_is_still_one_filter_away(client_as: Any) -> None:
    admin = client_as("admin")
    doc = admin.get(f"/xep-hang.json{PERIOD}&view=list").json()
    jsonschema.validate(doc, SCHEMAS["ranking"])
    assert doc["blocks"] == [] and doc["view"] == "list"
    html = admin.get(f"/xep-hang/{PERIOD}&view=list").content.decode()
    assert re.findall(r'<table class="ranking sortable" id="([^"]+)"', html) == ["ranking-table"]
    assert admin.get(f"/xep-hang.json{PERIOD}&view=khac").status_code == 400


def test_an_officer_sees_only_their_own_units_block(client_as: Any) -> None:
    alice = client_as("alice")
    doc = alice.get(f"/xep-hang.json{PERIOD}").json()
    assert [b["label"] for b in doc["blocks"]] == ["UBND xã, phường"]
    assert [u["unit_code"] for u in doc["blocks"][0]["units"]] == [ALICE_UNIT]
    admin = client_as("admin").get(f"/xep-hang.json{PERIOD}").json()
    among_communes = next(u for u in admin["blocks"][1]["units"] if u["unit_code"] == ALICE_UNIT)
    assert doc["blocks"][0]["units"][0]["rank"] == among_communes["rank"]


def test_a_blocks_rank_is_not_set_beside_the_combined_lists_previous_rank(
    client_as: Any,
) -> None:
    """ "4= (hạng trước 58)": 4 among the departments, 58 in the combined list of September.
    The block view shows the change of score only; the combined list keeps its ranks."""
    admin = client_as("admin")
    blocks = admin.get(f"/xep-hang/{PERIOD}").content.decode()
    combined = admin.get(f"/xep-hang/{PERIOD}&view=list").content.decode()
    assert "hạng trước" in combined
    assert "hạng trước" not in blocks
