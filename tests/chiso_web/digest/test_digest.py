"""The weekly digest ("Bản tin tuần"): its content is the library's, the page and its twin
follow each role's scope, and the job system's ``digest`` kind mails each officer once per
week (Django's locmem mail backend, the test runner's own)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import jsonschema
import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import timezone

from chiso.anomalies import find_anomalies, load_rules
from chiso.domain.periods import Period
from chiso.engine.due import due_soon
from chiso.engine.forecast import forecast_units
from chiso.engine.goalseek import plan_unit
from chiso.engine.runner import Level, score
from chiso.storage.unitdata import tree_of
from chiso_web import coverage, data
from chiso_web.dashboard.schemas import SCHEMAS
from chiso_web.dashboard.templatetags.chiso import vn_points
from chiso_web.digest import builder
from chiso_web.digest import mail as digest_mail
from chiso_web.digest.models import DigestSent
from chiso_web.jobs import loop
from chiso_web.units.models import Membership, Role
from web_cast import ALICE_UNIT, CHARLIE_UNIT

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 10, 29, 9, 0)  # the tests' clock (the demo's): a Thursday


def test_the_digest_holds_the_librarys_values() -> None:
    digest = builder.build(ALICE_UNIT, now=NOW)
    index_set = data.index_set()
    month = Period.of_month(2026, 10, now=NOW)
    ago = Period.of_month(2026, 10, now=NOW - timedelta(days=7))

    def library(store: Any) -> dict[str, Any]:
        unit = tree_of(store).resolve(ALICE_UNIT, on=month.start.date())
        now_set, ago_set = (
            score(store, index_set, [p], level=Level.parse("kind:xa,phuong"))[0]
            for p in (month, ago)
        )
        return {
            "now": now_set,
            "ago": ago_set,
            "plan": plan_unit(store, index_set, month, ALICE_UNIT),
            "forecast": forecast_units(store, index_set, month, [unit])[0],
            "due": due_soon(store, now=NOW, days=5, unit_codes={ALICE_UNIT}),
            "findings": find_anomalies(store, month, load_rules(), limit=20).findings,
        }

    lib = data.service().query(library)
    mine, before = lib["now"].unit(ALICE_UNIT), lib["ago"].unit(ALICE_UNIT)
    assert digest.now.converted == float(lib["now"].rounded(mine.converted))
    assert digest.now.rank == mine.rank and digest.now.class_label
    assert digest.now.block_label == "UBND xã, phường"
    assert digest.now.ranked == sum(1 for u in lib["now"].units if u.rank is not None)
    assert digest.week_ago is not None and digest.week_ago.rank == before.rank
    assert digest.week_ago.converted == float(lib["ago"].rounded(before.converted))
    assert digest.change == round(digest.now.converted - digest.week_ago.converted, 6)
    assert digest.rank_change == before.rank - mine.rank
    plan = lib["plan"].to_json()
    assert digest.next_class == plan["next_class"] and digest.points_needed == plan["points_needed"]
    assert [a.points for a in digest.actions] == [a["points"] for a in plan["actions"][:3]]
    assert digest.forecast == lib["forecast"].contract().month_end()
    assert digest.forecast is not None and digest.forecast.low is not None
    assert sorted(d.dossier_code for d in digest.due) == sorted(d.dossier_code for d in lib["due"])
    assert digest.due and any(d.points_at_stake > 0 for d in digest.due)
    stakes = [d.points_at_stake for d in digest.due]
    assert stakes == sorted(stakes, reverse=True)
    expected = [(f.rule.id, f.count) for f in lib["findings"] if f.unit_code == ALICE_UNIT]
    assert [(f.rule, f.count) for f in digest.findings] == expected


@pytest.fixture
def officers(cast: dict[str, Any]) -> dict[str, Any]:
    """alice and charlie with addresses; bob without one; the admin with one (no unit)."""
    for name in ("alice", "charlie", "admin"):
        cast[name].email = f"{name}@donvi.example"
        cast[name].save()
    return cast


def test_the_job_mails_each_officer_once_a_week(officers: dict[str, Any], settings: Any) -> None:
    settings.CHISO = {**settings.CHISO, "CHISO_DIGEST_WEEKDAY": 5, "CHISO_DIGEST_HOUR": 7}
    assert digest_mail.send_due(NOW) == []  # Friday 07:00 has not come on Thursday
    assert not mail.outbox and not DigestSent.objects.exists()
    settings.CHISO = {**settings.CHISO, "CHISO_DIGEST_WEEKDAY": 4, "CHISO_DIGEST_HOUR": 9}
    digest_mail._turns.next = 0.0
    loop.housekeeping([loop.KINDS["digest"]])  # the worker's round of the kind
    assert sorted(m.to[0] for m in mail.outbox) == ["alice@donvi.example", "charlie@donvi.example"]
    alice = next(m for m in mail.outbox if m.to == ["alice@donvi.example"])
    assert alice.subject == "Bản tin tuần UBND xã Sín Thầu: 22/10/2026 – 29/10/2026"
    html = alice.alternatives[0][0]
    assert "HỒ SƠ ĐẾN HẠN TRONG 5 NGÀY LÀM VIỆC TỚI" in alice.body
    assert "Hồ sơ đến hạn trong 5 ngày làm việc tới" in html and "<table" in html
    assert 'style="border-bottom:1px solid #ddd;padding:.25em;white-space:nowrap"' in html
    assert "ước tính đến cuối tháng" in html  # points at stake: weighed against the month's end
    assert "xếp loại Xuất sắc" in alice.body and "đã đạt hạng cao nhất" in alice.body
    assert "/45 trong khối UBND xã, phường." in alice.body
    charlie = next(m for m in mail.outbox if m.to == ["charlie@donvi.example"])
    for sent in (alice.body, html, charlie.body):
        assert ALICE_UNIT + " " not in sent and "2026-10" not in sent and "T09:00" not in sent
    rows = DigestSent.objects.order_by("email")
    assert [r.email for r in rows] == ["alice@donvi.example", "charlie@donvi.example"]
    assert all(r.sent_at is not None and r.subject for r in rows)
    # the worker restarts: a new process, a new throttle, the same week
    digest_mail._turns.next = 0.0
    assert digest_mail.send_due(NOW + timedelta(hours=3)) == []
    assert len(mail.outbox) == 2
    # next week, a new digest
    assert len(digest_mail.send_due(NOW + timedelta(days=7))) == 2
    assert len(mail.outbox) == 4


def test_a_unit_below_the_top_class_is_mailed_its_plan(cast: dict[str, Any]) -> None:
    """The first commune below Xuất sắc in October: its officer reads the class targeted,
    the points needed and the plan's actions with their points."""
    index_set = data.index_set()
    month = Period.of_month(2026, 10, now=NOW)
    ranked = coverage.covered(index_set, month, "kind:xa,phuong").results.units
    top = max((b for b in index_set.bands if b.min is not None), key=lambda b: b.min or 0).grade
    unit = next(u.unit_code for u in ranked if u.scored and u.grade != top)
    dave = get_user_model().objects.create_user("dave", email="dave@donvi.example")
    Membership.objects.create(user=dave, role=Role.OFFICER, unit_code=unit)
    [sent] = digest_mail.send_week(NOW, unit_code=unit)
    assert sent.username == "dave" and len(mail.outbox) == 1
    body, html = mail.outbox[0].body, mail.outbox[0].alternatives[0][0]
    digest = builder.build(unit, now=NOW)
    assert digest.next_class and digest.actions
    assert f"Lên hạng {digest.next_class}: cần thêm {vn_points(digest.points_needed)} điểm" in body
    for action in digest.actions:
        assert f"{action.records} {action.text}: +{vn_points(action.points)} điểm" in body
        assert f"+{vn_points(action.points)} điểm</strong>" in html


def test_a_send_cut_short_is_sent_again_once_its_claim_is_stale(officers: dict[str, Any]) -> None:
    week = digest_mail.week_of(NOW)
    claim = DigestSent.objects.create(user=officers["alice"], week=week, unit_code=ALICE_UNIT,
                                      email="alice@donvi.example")  # fmt: skip
    assert [s.username for s in digest_mail.send_week(NOW)] == ["charlie"]
    old = timezone.now() - digest_mail.RETRY - timedelta(minutes=1)
    DigestSent.objects.filter(pk=claim.pk).update(created_at=old)
    assert [s.username for s in digest_mail.send_week(NOW)] == ["alice"]
    assert DigestSent.objects.get(user=officers["alice"], week=week).sent_at is not None


def test_the_page_follows_each_role(client_as: Any) -> None:
    alice = client_as("alice")
    page = alice.get("/ban-tin/").content.decode()
    assert "Bản tin tuần: UBND xã Sín Thầu" in page and 'id="digest-due"' in page
    # the due dossiers read as cards on a phone (the mail keeps its inline styles)
    assert '<table class="records cards" id="digest-due-table">' in page
    assert '<td data-label="Hạn xử lý">' in page and "white-space:nowrap" not in page
    twin = alice.get("/ban-tin.json").json()
    jsonschema.validate(twin, SCHEMAS["digest"])
    assert twin["unit_code"] == ALICE_UNIT and twin["week_end"] == "2026-10-29 09:00"
    assert alice.get(f"/ban-tin/?unit={CHARLIE_UNIT}").status_code == 404
    for who in ("admin", "leader"):
        client = client_as(who)
        picker = client.get("/ban-tin/").content.decode()
        assert "Chọn một đơn vị" in picker and 'id="digest"' not in picker
        assert client.get("/ban-tin.json").status_code == 400
        chosen = client.get(f"/ban-tin/?unit={CHARLIE_UNIT}").content.decode()
        assert "Bản tin tuần: UBND xã Mường Nhé" in chosen
    assert client_as("nobody").get("/ban-tin/").status_code == 403
