"""Lock and publish a month: snapshots that late data cannot change; admins only."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client

from chiso_web import data
from chiso_web.audit.models import AuditEntry
from chiso_web.public.schemas import SCHEMAS
from chiso_web.publications import snapshot
from chiso_web.publications.models import Lock, Publication, Status
from web_cast import ALICE_UNIT, CHARLIE_UNIT

pytestmark = pytest.mark.django_db
SEPT = "2026-09"
OCT = "2026-10"


def _set() -> str:
    return str(settings.CHISO["CHISO_INDEX_SET"])


def publish(client: Client, period: str = SEPT, note: str = "") -> Any:
    return client.post(f"/cong-bo/{period}/cong-bo/", {"index_set": _set(), "note": note})


def _public_unit(client: Client, code: str, **query: str) -> dict[str, Any]:
    doc = client.get("/cong-khai/xep-hang.json", {"period": SEPT, **query}).json()
    return next(u for u in doc["units"] if u["unit_code"] == code)


def _live_unit(client: Client, code: str) -> dict[str, Any]:
    doc = client.get("/xep-hang.json", {"period": SEPT}).json()
    return next(u for u in doc["units"] if u["unit_code"] == code)


def _late_dossiers(unit: str, count: int) -> list[dict[str, Any]]:
    """``count`` new September dossiers of ``unit``, each finished a week late."""

    def first(store: Any) -> dict[str, Any]:
        t = store.table("dossiers")
        return dict(store.to_pyarrow(t.filter(t.unit_code == unit).limit(1)).to_pylist()[0])

    template = data.service().query(first)
    rows = []
    for n in range(count):
        received = datetime(2026, 9, 3, 8, 0) + timedelta(days=n % 20)
        rows.append(
            {
                **template,
                "dossier_code": f"{unit}-LATE-{n:03d}",
                "received_at": received,
                "due_at": received + timedelta(days=2),
                "finished_at": received + timedelta(days=9),
                "returned_at": None,
                "supplement_count": 0,
            }
        )
    return rows


def test_admin_publishes_a_closed_month_and_the_public_twin_shows_the_snapshot(
    client_as: Any, client: Client
) -> None:
    admin = client_as("admin")
    answer = publish(admin, note="Kết quả chính thức")
    assert answer.status_code == 302
    pub = Publication.objects.get(index_set=_set(), period=SEPT)
    assert (pub.version, pub.status, pub.published_by_name) == (1, Status.PUBLISHED, "admin")
    assert Lock.objects.filter(index_set=_set(), period=SEPT).exists()
    live = _live_unit(admin, ALICE_UNIT)
    shown = _public_unit(client, ALICE_UNIT)
    assert shown["converted"] == live["converted"]
    assert (shown["class"], shown["rank"]) == (live["class"], live["rank"])
    page = admin.get(answer["Location"])
    assert "Đã công bố tháng 9 năm 2026, phiên bản 1." in page.content.decode()


def test_late_data_changes_live_scores_but_not_the_published_snapshot(
    writable_data: Path, client_as: Any, client: Client
) -> None:
    admin = client_as("admin")
    assert publish(admin).status_code == 302
    before = _public_unit(client, ALICE_UNIT)
    data.write_rows("dossiers", _late_dossiers(ALICE_UNIT, 40))
    live = _live_unit(admin, ALICE_UNIT)
    assert live["converted"] < before["converted"]
    assert _public_unit(client, ALICE_UNIT) == before
    changes = admin.get(f"/cong-bo/{SEPT}.json", {"index_set": _set()}).json()["changes"]
    changed = {u["unit_code"]: u for u in changes["units"]}
    assert changed[ALICE_UNIT]["published"]["converted"] == before["converted"]
    assert changed[ALICE_UNIT]["live"]["converted"] == live["converted"]

    assert publish(admin, note="Bổ sung hồ sơ nộp muộn").status_code == 302
    after = _public_unit(client, ALICE_UNIT)
    assert after["converted"] == live["converted"]
    assert _public_unit(client, ALICE_UNIT, version="1") == before
    statuses = dict(Publication.objects.values_list("version", "status"))
    assert statuses == {1: Status.SUPERSEDED, 2: Status.PUBLISHED}
    assert (
        admin.get(f"/cong-bo/{SEPT}.json", {"index_set": _set()}).json()["changes"]["units"] == []
    )


def test_a_new_version_needs_a_note_saying_why(client_as: Any) -> None:
    admin = client_as("admin")
    publish(admin)
    answer = publish(admin, note="   ")
    assert answer.status_code == 400
    assert "“Ghi chú” không được để trống" in answer.content.decode()
    assert Publication.objects.count() == 1


def test_a_running_month_is_refused_with_a_clear_message(client_as: Any) -> None:
    answer = publish(client_as("admin"), period="2026-10")
    assert answer.status_code == 400
    text = answer.content.decode()
    assert "tháng 10 năm 2026 chưa kết thúc" in text
    assert "01/11/2026" in text
    assert not Publication.objects.exists()
    assert (
        client_as("admin").post("/cong-bo/2026-10/khoa/", {"index_set": _set()}).status_code == 400
    )


def test_a_period_that_is_not_a_month_is_one_sentence_with_a_hint(client_as: Any) -> None:
    answer = client_as("admin").get("/cong-bo/2026-Q3.json")
    assert answer.status_code == 400
    body = answer.json()
    assert "không phải một tháng" in body["error"]
    assert body["hint"]


@pytest.mark.parametrize("name", ["alice", "bob", "charlie", "leader", "nobody"])
def test_only_administrators_publish_lock_or_unlock(client_as: Any, name: str) -> None:
    who = client_as(name)
    for action in ("cong-bo", "khoa", "mo-khoa"):
        answer = who.post(f"/cong-bo/{SEPT}/{action}/", {"index_set": _set(), "note": "x"})
        assert answer.status_code == 403, action
    assert not Publication.objects.exists()
    assert not Lock.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(client: Client) -> None:
    assert client.get("/cong-bo/").status_code == 302
    assert client.post(f"/cong-bo/{SEPT}/cong-bo/", {"index_set": _set()}).status_code == 302
    assert client.get("/cong-bo/danh-sach.json").status_code == 403
    assert not Publication.objects.exists()


def test_every_action_is_audit_logged(client_as: Any) -> None:
    admin = client_as("admin")
    publish(admin, note="Chốt số liệu")
    missing_reason = admin.post(f"/cong-bo/{SEPT}/mo-khoa/", {"index_set": _set()})
    assert missing_reason.status_code == 400
    assert "lý do" in missing_reason.content.decode()
    assert Lock.objects.exists()
    admin.post(f"/cong-bo/{SEPT}/mo-khoa/", {"index_set": _set(), "note": "Sửa đơn vị"})
    assert not Lock.objects.exists()
    admin.post(f"/cong-bo/{SEPT}/khoa/", {"index_set": _set()})
    assert Lock.objects.exists()
    entries = list(AuditEntry.objects.order_by("id").values_list("action", "period", "actor"))
    assert entries == [
        ("publish", SEPT, "admin"),
        ("unlock", SEPT, "admin"),
        ("lock", SEPT, "admin"),
    ]
    assert AuditEntry.objects.get(action="publish").details["version"] == 1


def test_officers_compare_only_their_own_units(writable_data: Path, client_as: Any) -> None:
    publish(client_as("admin"))
    data.write_rows("dossiers", _late_dossiers(CHARLIE_UNIT, 40))

    def changed(name: str) -> set[str]:
        doc = client_as(name).get(f"/cong-bo/{SEPT}.json", {"index_set": _set()}).json()
        return {u["unit_code"] for u in doc["changes"]["units"]}

    assert CHARLIE_UNIT in changed("admin")
    assert CHARLIE_UNIT in changed("charlie")
    assert CHARLIE_UNIT not in changed("alice")
    assert changed("alice") <= {ALICE_UNIT}


def test_the_months_list_shows_each_months_state(client_as: Any) -> None:
    admin = client_as("admin")
    publish(admin)
    doc = admin.get("/cong-bo/danh-sach.json").json()
    months = {m["period"]: m for m in doc["months"]}
    assert months[SEPT]["version"] == 1 and months[SEPT]["locked"]
    assert months["2026-10"]["running"] and months["2026-10"]["state"] == "Đang diễn ra"
    assert months["2026-08"]["state"] == "Chưa công bố"
    page = client_as("leader").get("/cong-bo/").content.decode()
    assert "Đã công bố (phiên bản 1)" in page
    assert "Công bố phiên bản mới" in admin.get(f"/cong-bo/{SEPT}/").content.decode()
    assert (
        "Công bố phiên bản mới" not in client_as("leader").get(f"/cong-bo/{SEPT}/").content.decode()
    )


def test_the_snapshot_holds_scores_only_no_dossier_codes(client_as: Any) -> None:
    publish(client_as("admin"))
    payload = Publication.objects.get().payload
    text = json.dumps(payload, ensure_ascii=False)

    def codes(store: Any) -> list[str]:
        t = store.table("dossiers")
        return store.to_pyarrow(t.select("dossier_code")).column(0).to_pylist()

    dossier_codes = data.service().query(codes)
    assert len(dossier_codes) > 1000
    assert not [c for c in dossier_codes if c in text]
    unit = payload["units"][0]
    assert set(unit) == {
        "unit_code", "name", "kind", "total", "max", "converted", "class", "class_label",
        "rank", "tied", "groups", "indicators", "has_data",
    }  # fmt: skip
    assert {k for i in unit["indicators"] for k in i} == {
        "code", "label", "group", "points", "max", "applicable",
    }  # fmt: skip


def test_a_month_without_dossiers_is_not_published(client_as: Any) -> None:
    answer = publish(client_as("admin"), period="2026-05")
    assert answer.status_code == 400
    assert "tháng 5 năm 2026 chưa có hồ sơ nào" in answer.content.decode()
    assert not Publication.objects.exists()


def _publish_october(django_settings: Any, admin: Client) -> dict[str, dict[str, Any]]:
    """October 2026 published once it is over; its live rows (the dashboard's) by unit."""
    django_settings.CHISO = {**django_settings.CHISO, "CHISO_NOW": datetime(2026, 11, 5, 9, 0)}
    live = admin.get("/xep-hang.json", {"period": OCT}).json()
    assert live["has_data"] is True
    assert publish(admin, period=OCT).status_code == 302
    return {u["unit_code"]: u for u in live["units"]}


def test_units_without_data_are_published_without_a_score(
    settings: Any, client_as: Any, client: Client
) -> None:
    live = _publish_october(settings, client_as("admin"))
    empty = {code for code, u in live.items() if not u["has_data"]}
    assert len(live) == 64 and len(empty) == 2
    assert any(live[code]["name"].startswith("Sở Công Thương") for code in empty)
    pub = Publication.objects.get(period=OCT)
    stored = {u["unit_code"]: u for u in pub.payload["units"]}
    assert {code for code, u in stored.items() if not u["has_data"]} == empty
    for code, unit in stored.items():
        scores = (unit["total"], unit["converted"], unit["class"], unit["rank"])
        if code in empty:
            assert scores == (None, None, None, None)
            assert all(g["points"] is None for g in unit["groups"].values())
            assert pub.summary[code]["converted"] is None
        else:  # the dashboard's scores and ranks among the units with data
            want = live[code]
            assert scores == (want["total"], want["converted"], want["class"], want["rank"])
    assert snapshot.scored(pub.payload) == 62
    assert sum(d["count"] for d in pub.payload["distribution"]) == 62

    doc = client.get("/cong-khai/xep-hang.json", {"period": OCT}).json()
    jsonschema.validate(doc, SCHEMAS["ranking"])
    shown = {u["unit_code"]: u for u in doc["units"]}
    for code in empty:
        assert shown[code]["has_data"] is False and shown[code]["converted"] is None
        assert doc["trend"]["units"][code]["converted"] == [None]
    page = client.get("/cong-khai/", {"period": OCT}).content.decode()
    for code in empty:
        assert f'<tr class="no-data" data-unit="{code}">' in page
        assert re.search(rf'href="/cong-khai/don-vi/{code}/\?[^"]*&amp;version=1"', page)
    assert "{#" not in page and "{%" not in page  # no template text shown around the rows
    code = sorted(empty)[0]
    one = client.get(f"/cong-khai/don-vi/{code}.json", {"period": OCT}).json()
    jsonschema.validate(one, SCHEMAS["unit"])
    assert one["unit"]["has_data"] is False and one["unit"]["rank"] is None
    page = client.get(f"/cong-khai/don-vi/{code}/", {"period": OCT}).content.decode()
    assert 'id="no-data"' in page
    assert "Chưa có dữ liệu" in client.get("/cong-khai/nhung/", {"period": OCT}).content.decode()


def test_snapshots_published_before_has_data_still_render(
    settings: Any, client_as: Any, client: Client
) -> None:
    _publish_october(settings, client_as("admin"))
    pub = Publication.objects.get(period=OCT)
    old = [{k: v for k, v in u.items() if k != "has_data"} for u in pub.payload["units"]]
    Publication.objects.filter(pk=pub.pk).update(payload={**pub.payload, "units": old})
    cache.clear()
    doc = client.get("/cong-khai/xep-hang.json", {"period": OCT}).json()
    jsonschema.validate(doc, SCHEMAS["ranking"])
    assert all(u["has_data"] is True for u in doc["units"])
    code = doc["units"][0]["unit_code"]
    one = client.get(f"/cong-khai/don-vi/{code}.json", {"period": OCT}).json()
    jsonschema.validate(one, SCHEMAS["unit"])
    assert one["unit"]["has_data"] is True
    assert client.get("/cong-khai/", {"period": OCT}).status_code == 200


def test_the_lock_form_says_what_a_lock_does(client_as: Any) -> None:
    """Not a bare "Ghi chú [ ] Khóa kỳ" under the publish form."""
    page = client_as("admin").get("/cong-bo/2026-09/").content.decode()
    form = page[page.index('id="lock-form"') :]
    form = form[: form.index("</form>")]
    assert "<h2>Khóa kỳ</h2>" in form and "kết quả chính thức" in form
