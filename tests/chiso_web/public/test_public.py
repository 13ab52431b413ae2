"""The public pages: published months only, open JSON with schemas, an embeddable table."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client

from chiso_web.public import payloads
from chiso_web.public.schemas import SCHEMAS
from chiso_web.publications import state
from web_cast import ALICE_UNIT

pytestmark = pytest.mark.django_db


def publish(admin: Client, period: str, note: str = "") -> None:
    index_set = settings.CHISO["CHISO_INDEX_SET"]
    answer = admin.post(f"/cong-bo/{period}/cong-bo/", {"index_set": index_set, "note": note})
    assert answer.status_code == 302, answer.content.decode()[:500]


@pytest.fixture
def published(client_as: Any) -> Client:
    """August and September 2026 published by the administrator."""
    admin = client_as("admin")
    publish(admin, "2026-08")
    publish(admin, "2026-09")
    return admin


def test_before_anything_is_published_the_page_says_so_and_the_twin_is_404(
    client: Client,
) -> None:
    page = client.get("/cong-khai/")
    assert page.status_code == 200
    assert "Chưa có kết quả nào được công bố." in page.content.decode()
    answer = client.get("/cong-khai/xep-hang.json")
    assert answer.status_code == 404
    jsonschema.validate(answer.json(), SCHEMAS["error"])


def test_the_latest_published_month_is_shown_to_anonymous_visitors(
    published: Client, client: Client
) -> None:
    doc = client.get("/cong-khai/xep-hang.json").json()
    jsonschema.validate(doc, SCHEMAS["ranking"])
    assert (doc["period"], doc["version"], doc["current"]) == ("2026-09", 1, True)
    assert doc["previous_period"] == "2026-08"
    assert [m["period"] for m in doc["months"]] == ["2026-08", "2026-09"]
    assert len(doc["units"]) > 40
    assert sum(d["count"] for d in doc["distribution"]) == sum(
        1 for u in doc["units"] if u["class"] is not None
    )
    alice = next(u for u in doc["units"] if u["unit_code"] == ALICE_UNIT)
    assert alice["previous"] is not None
    assert alice["change"] == round(alice["converted"] - alice["previous"]["converted"], 2)
    trend = doc["trend"]["units"][ALICE_UNIT]["converted"]
    assert len(trend) == 2 and trend[1] == alice["converted"]


def test_an_unpublished_month_is_404_for_everyone(published: Client, client: Client) -> None:
    for path in ("/cong-khai/xep-hang.json", f"/cong-khai/don-vi/{ALICE_UNIT}.json"):
        answer = client.get(path, {"period": "2026-10"})
        assert answer.status_code == 404, path
        jsonschema.validate(answer.json(), SCHEMAS["error"])
    assert client.get("/cong-khai/", {"period": "2026-07"}).status_code == 404
    assert published.get("/cong-khai/xep-hang.json", {"period": "2026-10"}).status_code == 404


def test_the_unit_page_shows_the_published_row_and_its_trend(
    published: Client, client: Client
) -> None:
    doc = client.get(f"/cong-khai/don-vi/{ALICE_UNIT}.json").json()
    jsonschema.validate(doc, SCHEMAS["unit"])
    assert doc["unit"]["unit_code"] == ALICE_UNIT
    assert [t["period"] for t in doc["trend"]] == ["2026-08", "2026-09"]
    assert doc["trend"][1]["converted"] == doc["unit"]["converted"]
    assert doc["unit"]["indicators"] and all("label" in i for i in doc["unit"]["indicators"])
    page = client.get(f"/cong-khai/don-vi/{ALICE_UNIT}/").content.decode()
    assert doc["unit"]["name"] in page
    assert doc["unit"]["indicators"][0]["label"] in page


def test_a_unit_outside_the_publication_or_a_missing_version_is_404(
    published: Client, client: Client
) -> None:
    assert client.get("/cong-khai/don-vi/99999.json").status_code == 404
    assert client.get("/cong-khai/xep-hang.json", {"version": "7"}).status_code == 404
    assert client.get("/cong-khai/xep-hang.json", {"version": "abc"}).status_code == 404


def test_bad_input_is_one_sentence_with_a_hint(published: Client, client: Client) -> None:
    for query in ({"period": "2026-Q3"}, {"index_set": "khong_co"}):
        body = client.get("/cong-khai/xep-hang.json", query).json()
        assert body["status"] == 400 and body["hint"], query
        jsonschema.validate(body, SCHEMAS["error"])
    assert client.get("/cong-khai/nhung/", {"limit": "mười"}).status_code == 400


def test_older_versions_stay_readable(published: Client, client: Client) -> None:
    publish(published, "2026-09", note="Cập nhật số liệu")
    doc = client.get("/cong-khai/xep-hang.json").json()
    assert (doc["version"], doc["note"]) == (2, "Cập nhật số liệu")
    assert [v["version"] for v in doc["versions"]] == [2, 1]
    old = client.get("/cong-khai/xep-hang.json", {"period": "2026-09", "version": "1"}).json()
    assert (old["version"], old["current"]) == (1, False)
    assert "phiên bản mới hơn" in client.get("/cong-khai/", {"version": "1"}).content.decode()


def test_staff_see_the_same_published_results_as_the_public(
    published: Client, client: Client, client_as: Any
) -> None:
    anonymous = client.get("/cong-khai/xep-hang.json").json()
    assert client_as("alice").get("/cong-khai/xep-hang.json").json() == anonymous


def test_the_embed_may_be_framed_by_any_site_and_other_pages_may_not(
    published: Client, client: Client
) -> None:
    embed = client.get("/cong-khai/nhung/", {"limit": "5"})
    assert embed.status_code == 200
    assert "frame-ancestors *" in embed["Content-Security-Policy"]
    assert "X-Frame-Options" not in embed.headers
    assert embed.content.decode().count('<tr class="grade-') == 5
    for path in ("/cong-khai/", f"/cong-khai/don-vi/{ALICE_UNIT}/", "/cong-khai/xep-hang.json"):
        other = client.get(path)
        assert "frame-ancestors 'none'" in other["Content-Security-Policy"], path
        assert other["X-Frame-Options"] == "DENY", path


def test_public_pages_have_no_inline_scripts_and_pass_data_as_json(
    published: Client, client: Client
) -> None:
    for path in ("/cong-khai/", f"/cong-khai/don-vi/{ALICE_UNIT}/", "/cong-khai/nhung/"):
        html = client.get(path).content.decode()
        for tag in re.findall(r"<script[^>]*>", html):
            assert "src=" in tag or 'type="application/json"' in tag, (path, tag)
    assert 'id="public-data"' in client.get("/cong-khai/").content.decode()


def test_schemas_are_served(client: Client) -> None:
    for name in ("ranking", "unit", "catalogue", "error"):
        answer = client.get(f"/cong-khai/schemas/{name}.json")
        assert answer.status_code == 200
        jsonschema.Draft202012Validator.check_schema(answer.json())
    assert client.get("/cong-khai/schemas/khong-co.json").status_code == 404


def test_publishing_an_earlier_month_updates_the_trend_of_a_cached_page(
    client_as: Any, client: Client
) -> None:
    admin = client_as("admin")
    publish(admin, "2026-09")
    first = client.get("/cong-khai/xep-hang.json").json()
    assert first["previous_period"] is None and first["trend"]["periods"] == ["2026-09"]
    publish(admin, "2026-08")
    again = client.get("/cong-khai/xep-hang.json", {"period": "2026-09"}).json()
    assert again["previous_period"] == "2026-08"
    assert again["trend"]["periods"] == ["2026-08", "2026-09"]
    unit = client.get(f"/cong-khai/don-vi/{ALICE_UNIT}.json").json()
    assert [t["period"] for t in unit["trend"]] == ["2026-08", "2026-09"]


def test_a_deploy_never_serves_a_document_cached_by_the_code_it_replaced(
    published: Client, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    pub = state.latest(settings.CHISO["CHISO_INDEX_SET"])
    assert pub is not None
    cache.clear()
    monkeypatch.setattr(payloads, "RENDERING", "the-previous-deploy")
    built = payloads.ranking(pub)
    # what code from before has_data built (every row without it), cached for an hour
    stale = {**built, "units": [{**u, "has_data": None} for u in built["units"]]}
    cache.clear()
    assert payloads.cached("ranking", pub, lambda: stale) is stale
    assert payloads.ranking(pub) == stale  # the same code serves its own cached document
    monkeypatch.undo()  # the new deploy
    page = client.get("/cong-khai/").content.decode()
    with_data = sum(1 for u in built["units"] if u["has_data"])
    assert with_data > 40
    assert page.count('<tr class="grade-') == with_data
    assert client.get("/cong-khai/xep-hang.json").json()["units"] == built["units"]


def test_the_rendering_version_follows_the_code_and_templates(tmp_path: Path) -> None:
    (tmp_path / "payloads.py").write_text("X = 1\n")
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "index.html").write_text("<table></table>\n")
    first = payloads.rendering_version(tmp_path)
    assert payloads.rendering_version(tmp_path) == first
    (tmp_path / "notes.txt").write_text("not code")
    assert payloads.rendering_version(tmp_path) == first
    (tmp_path / "templates" / "index.html").write_text("<table><tr></tr></table>\n")
    second = payloads.rendering_version(tmp_path)
    assert second != first
    (tmp_path / "payloads.py").write_text("X = 2\n")
    assert payloads.rendering_version(tmp_path) not in {first, second}


ROW = re.compile(r'<tr class="[^"]*" data-unit="([^"]+)">(.*?)</tr>', re.S)
MACHINE = re.compile(r"^(-?\d+(\.\d+)?)?$")


def _sort_values(html: str) -> dict[str, list[str]]:
    """Each ranking row's ``data-value`` attributes but the unit name's."""
    rows = {code: re.findall(r'<td data-value="([^"]*)"', body) for code, body in ROW.findall(html)}
    return {code: values[:1] + values[2:] for code, values in rows.items()}


TABLE_PAGES = [("/cong-khai/", "/cong-khai/xep-hang.json"), ("/xep-hang/", "/xep-hang.json")]


@pytest.mark.parametrize(("path", "twin"), TABLE_PAGES)
def test_the_ranking_table_sorts_by_machine_numbers_and_class_order(
    published: Client, path: str, twin: str
) -> None:
    """The public page and the dashboard share the table: numbers with a dot, the class as
    its place among the bands (0 best), empty for a unit without data."""
    doc = published.get(twin, {"period": "2026-09"}).json()
    units = {u["unit_code"]: u for u in doc["units"]}
    grades = [b["grade"] for b in doc["bands"]]
    rows = _sort_values(published.get(path, {"period": "2026-09"}).content.decode())
    assert rows.keys() == units.keys()
    for code, values in rows.items():
        assert all(MACHINE.match(v) for v in values), (code, values)
        unit = units[code]
        converted, grade = values[-3], values[-2]
        if unit["class"] is None:
            assert converted == grade == ""
        else:
            assert float(converted) == unit["converted"]
            assert grade == str(grades.index(unit["class"]))
