"""Anomaly findings on the site beyond the list: the unit page's badge (cached per data
version), the administrator's "đã giải trình" mark (audit log, CSRF, read-only for
everyone else), the twin's schema, and scores that no finding or mark moves."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from django.test import Client

from chiso.synth.inject import inject, parse_rates
from chiso_web import data
from chiso_web.audit.models import AuditEntry
from chiso_web.dashboard import anomalies
from chiso_web.dashboard.models import Explanation
from chiso_web.dashboard.schemas import SCHEMAS
from web_cast import ALICE_UNIT

pytestmark = pytest.mark.django_db
PERIOD = "2026-09"
JSON = f"/bat-thuong.json?period={PERIOD}"
UNIT_PAGE = f"/don-vi/{ALICE_UNIT}/?period={PERIOD}"
#: The unit page's badge, which the page fetches with htmx once it has shown.
BADGE = f"/don-vi/{ALICE_UNIT}/bat-thuong/?period={PERIOD}"
EXPLAIN = "/bat-thuong/giai-trinh/"


@pytest.fixture
def injected(writable_data: Path) -> Path:
    inject(writable_data, parse_rates("all=0.03"), seed=5, stop=datetime(2026, 11, 1))
    return writable_data


def _alice_rules(client: Client) -> list[str]:
    doc = client.get(f"{JSON}&unit={ALICE_UNIT}").json()
    return [f["rule"] for u in doc["units"] for f in u["findings"]]


def _mark(client: Client, rule: str, note: str = "Có văn bản gia hạn số 12/UBND") -> Any:
    fields = {"unit": ALICE_UNIT, "period": PERIOD, "rule": rule, "note": note}
    return client.post(EXPLAIN, fields)


def test_the_unit_page_badge_counts_the_open_findings_and_links_to_them(
    injected: Path, client_as: Any
) -> None:
    admin = client_as("admin")
    rules = _alice_rules(admin)
    assert len(rules) >= 2
    assert f'hx-get="/don-vi/{ALICE_UNIT}/bat-thuong/?' in admin.get(UNIT_PAGE).content.decode()
    page = admin.get(BADGE).content.decode()
    assert f"{len(rules)} mục dữ liệu cần rà soát" in page
    assert f"/bat-thuong/?unit={ALICE_UNIT}&period={PERIOD}" in page
    assert _mark(admin, rules[0]).status_code == 302
    page = admin.get(BADGE).content.decode()
    assert f"{len(rules) - 1} mục dữ liệu cần rà soát" in page  # explained: not counted
    for rule in rules[1:]:
        _mark(admin, rule)
    assert "mục dữ liệu cần rà soát" not in admin.get(BADGE).content.decode()


def test_clean_data_shows_no_badge(client_as: Any) -> None:
    assert "cần rà soát" not in client_as("admin").get(BADGE).content.decode()


def test_the_rules_run_once_per_data_version_not_on_every_view(
    injected: Path, client_as: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    runs: list[str] = []
    real = anomalies.find_anomalies

    def counted(*args: Any, **kwargs: Any) -> Any:
        runs.append(args[1].code)
        return real(*args, **kwargs)

    monkeypatch.setattr(anomalies, "find_anomalies", counted)
    alice = client_as("alice")
    assert alice.get(UNIT_PAGE).status_code == 200
    assert runs == []  # the page shows before any rule runs
    for _ in range(3):
        assert alice.get(BADGE).status_code == 200
    client_as("admin").get(JSON)
    assert runs == [PERIOD]
    inject(injected, parse_rates("same_minute=0.01"), seed=6, stop=datetime(2026, 11, 1))
    data.service()._checked = 0.0  # the next read looks at the files at once
    alice.get(BADGE)
    assert runs == [PERIOD, PERIOD]


def test_the_administrator_marks_a_finding_explained_in_the_audit_log(
    injected: Path, client_as: Any
) -> None:
    admin = client_as("admin")
    rule = _alice_rules(admin)[0]
    before = admin.get(JSON).json()
    answer = _mark(admin, rule)
    assert answer.status_code == 302 and answer["Location"].endswith(f"#u-{ALICE_UNIT}")
    mark = Explanation.objects.get(unit_code=ALICE_UNIT, period=PERIOD, rule=rule)
    assert (mark.note, mark.actor) == ("Có văn bản gia hạn số 12/UBND", "admin")
    entry = AuditEntry.objects.get(action="anomaly.explain")
    assert (entry.unit_code, entry.period, entry.details["rule"]) == (ALICE_UNIT, PERIOD, rule)
    log = admin.get("/nhat-ky.json?action=anomaly.explain").json()
    assert log["entries"][0]["action_label"] == "Giải trình dữ liệu bất thường"
    after = admin.get(JSON).json()
    assert after["open"] == before["open"] - 1 and after["findings"] == before["findings"]
    shown = [f for u in after["units"] if u["unit_code"] == ALICE_UNIT for f in u["findings"]]
    explained = next(f["explained"] for f in shown if f["rule"] == rule)
    assert explained["note"] == "Có văn bản gia hạn số 12/UBND" and explained["by"] == "admin"
    _mark(admin, rule, "Sửa: văn bản số 13/UBND")
    assert Explanation.objects.get(rule=rule, unit_code=ALICE_UNIT).note.startswith("Sửa")
    admin.post(EXPLAIN, {"unit": ALICE_UNIT, "period": PERIOD, "rule": rule, "withdraw": "1"})
    assert not Explanation.objects.exists()
    assert AuditEntry.objects.filter(action="anomaly.withdraw").count() == 1


def test_an_empty_note_or_a_rule_without_finding_is_refused(injected: Path, client_as: Any) -> None:
    admin = client_as("admin")
    rule = _alice_rules(admin)[0]
    empty = _mark(admin, rule, "  ")
    assert empty.status_code == 400 and "không được để trống" in empty.content.decode()
    other = next(r for r in anomalies.load_rules().rules if r not in _alice_rules(admin))
    assert _mark(admin, other).status_code == 400
    assert not Explanation.objects.exists() and not AuditEntry.objects.exists()


@pytest.mark.parametrize("who", ["alice", "bob", "leader"])
def test_only_the_administrator_may_mark(injected: Path, client_as: Any, who: str) -> None:
    rule = _alice_rules(client_as("admin"))[0]
    assert _mark(client_as(who), rule).status_code == 403
    assert not Explanation.objects.exists()


def test_others_see_the_mark_and_note_read_only(injected: Path, client_as: Any) -> None:
    admin = client_as("admin")
    rule = _alice_rules(admin)[0]
    form = admin.get(f"/bat-thuong/?period={PERIOD}").content.decode()
    assert "Đánh dấu đã giải trình" in form and "csrfmiddlewaretoken" in form
    _mark(admin, rule)
    for who in ("leader", "alice"):
        page = client_as(who).get(f"/bat-thuong/?period={PERIOD}").content.decode()
        assert "Đã giải trình</strong>: Có văn bản gia hạn số 12/UBND" in page
        assert "giai-trinh" not in page and "Đánh dấu đã giải trình" not in page
        assert client_as(who).get(JSON).json()["can_explain"] is False


def test_a_mark_without_the_csrf_token_is_refused(injected: Path, cast: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast["admin"])
    rule = _alice_rules(client)[0]
    assert _mark(client, rule).status_code == 403
    assert not Explanation.objects.exists()


@pytest.mark.parametrize("who", ["admin", "alice"])
def test_the_twin_matches_its_published_schema(injected: Path, client_as: Any, who: str) -> None:
    client = client_as("admin")
    _mark(client, _alice_rules(client)[0])
    doc = client_as(who).get(JSON).json()
    assert doc["units"]
    jsonschema.validate(doc, SCHEMAS["anomalies"], format_checker=jsonschema.FormatChecker())
    published = client.get("/schemas/anomalies.json").json()
    assert published["properties"]["units"] == SCHEMAS["anomalies"]["properties"]["units"]


def test_no_finding_or_mark_changes_a_score(injected: Path, client_as: Any) -> None:
    admin = client_as("admin")
    ranking = f"/xep-hang.json?period={PERIOD}"
    before = admin.get(ranking).json()["units"]
    for rule in _alice_rules(admin):
        _mark(admin, rule)
    data.service().forget()  # score again, not the cached answer
    assert admin.get(ranking).json()["units"] == before
