"""The unit page's "Kế hoạch lên hạng" block: the plan's actions (``chiso plan``), the
running month's forecast (``chiso forecast``), loaded with htmx after the page, cached per
data version, guarded like the unit page, and carried by the unit's JSON twin."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jsonschema
import pytest

from chiso.engine import forecast
from chiso_web.dashboard import plan
from chiso_web.dashboard.schemas import SCHEMAS
from chiso_web.dashboard.templatetags.chiso import vn, vn_points
from chiso_web.imports.models import ImportRun
from chiso_web.jobs.loop import run_next
from web_cast import ALICE_UNIT, CHARLIE_UNIT
from web_imports import confirm, export, upload

pytestmark = pytest.mark.django_db
PAST = "2026-09"  # over on the demo clock (29/10/2026)
RUNNING = "2026-10"


def _block(client: Any, unit: str, period: str) -> str:
    response = client.get(
        f"/don-vi/{unit}/ke-hoach/?period={period}", headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    return str(response.content.decode())


def test_the_unit_page_loads_the_block_with_htmx_after_it_shows(client_as: Any) -> None:
    page = client_as("charlie").get(f"/don-vi/{CHARLIE_UNIT}/?period={PAST}").content.decode()
    assert 'id="plan-block"' in page and "Kế hoạch lên hạng" in page
    assert f'hx-get="/don-vi/{CHARLIE_UNIT}/ke-hoach/?' in page and 'hx-trigger="load"' in page


@pytest.mark.parametrize(
    ("who", "unit", "reachable"), [("bob", "03175", True), ("charlie", CHARLIE_UNIT, False)]
)
def test_a_unit_below_the_top_class_sees_the_actions_that_lift_it(
    client_as: Any, who: str, unit: str, reachable: bool
) -> None:
    """03175 can still reach Xuất sắc in September; Mường Nhé (03160) cannot, and is told
    so above the actions that bring it closest (the seeded province of the web tests)."""
    client = client_as(who)
    twin = client.get(f"/don-vi/{unit}.json?period={PAST}").json()
    jsonschema.validate(twin, SCHEMAS["unit"])
    found = twin["plan"]
    assert twin["unit"]["class_label"] == "Tốt" and found["next_class"] == "Xuất sắc"
    assert found["actions"] and found["points_needed"] > 0 and found["reachable"] is reachable
    block = _block(client, unit, PAST)
    assert "Lên hạng <strong>Xuất sắc</strong>" in block
    assert f"cần thêm <strong>{vn_points(found['points_needed'])} điểm</strong>" in block
    for action in found["actions"]:
        head = action["description"].split(":")[0]  # "2 hồ sơ … kết quả" (engine's own words)
        assert f"{head}: <strong>+{vn_points(action['points'])} điểm</strong>" in block
    assert ("Không thể lên hạng trong kỳ này" in block) is not reachable
    assert "hạng cao nhất" not in block


def test_a_past_month_has_no_forecast_the_running_month_has_one(client_as: Any) -> None:
    charlie = client_as("charlie")
    past = charlie.get(f"/don-vi/{CHARLIE_UNIT}.json?period={PAST}").json()
    assert past["forecast"] is None
    assert "Dự báo cuối tháng" not in _block(charlie, CHARLIE_UNIT, PAST)
    now = charlie.get(f"/don-vi/{CHARLIE_UNIT}.json?period={RUNNING}").json()
    jsonschema.validate(now, SCHEMAS["unit"])
    fc = now["forecast"]
    assert fc is not None and fc["low"] <= fc["forecast"] <= fc["high"]
    expected = f"{vn(fc['forecast'], 1)}</strong> ({vn(fc['low'], 1)} – {vn(fc['high'], 1)})"
    assert f"Dự báo cuối tháng: <strong>{expected}" in _block(charlie, CHARLIE_UNIT, RUNNING)


def test_a_unit_at_the_top_class_is_told_so(client_as: Any) -> None:
    alice = client_as("alice")
    twin = alice.get(f"/don-vi/{ALICE_UNIT}.json?period={PAST}").json()
    assert twin["unit"]["class_label"] == "Xuất sắc" and twin["plan"]["next_class"] is None
    block = _block(alice, ALICE_UNIT, PAST)
    assert "Đơn vị đã đạt hạng cao nhất" in block and "plan-actions" not in block


@pytest.mark.parametrize("address", ["/don-vi/{}/ke-hoach/", "/don-vi/{}.json"])
def test_another_units_officer_gets_404(client_as: Any, address: str) -> None:
    url = address.format(CHARLIE_UNIT) + f"?period={PAST}"
    assert client_as("alice").get(url).status_code == 404
    assert client_as("charlie").get(url).status_code == 200


def test_the_plan_runs_once_per_data_version_not_on_every_view(
    writable_data: Path, client_as: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    runs: list[str] = []
    real = plan.plan_unit

    def counted(*args: Any, **kwargs: Any) -> Any:
        runs.append(args[3])
        return real(*args, **kwargs)

    monkeypatch.setattr(plan, "plan_unit", counted)
    charlie = client_as("charlie")
    for _ in range(3):
        _block(charlie, CHARLIE_UNIT, PAST)
    charlie.get(f"/don-vi/{CHARLIE_UNIT}.json?period={PAST}")
    assert runs == [CHARLIE_UNIT]


def test_after_an_import_the_job_loop_learns_the_calibration_before_any_page_view(
    client_as: Any, writable_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The forecast's calibration (the whole province's previous month forecast again) is
    learnt by the job loop's ``warm`` lane for the imported data, not by a page view."""
    alice = client_as("alice")
    upload(alice, export(writable_data, [ALICE_UNIT]))
    run = ImportRun.objects.latest("pk")
    assert confirm(alice, run) == 302
    run.refresh_from_db()
    assert run.status == "confirmed"
    learnt: list[int] = []
    real = forecast.calibration

    def counted(*args: Any, **kwargs: Any) -> Any:
        learnt.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(forecast, "calibration", counted)
    monkeypatch.setattr(plan.WARMING, "next", 0.0)  # a test before may have used the turn
    run_next("warm")  # a round of the loop's lane in the web process: no request
    assert learnt == [1]
    assert "Dự báo cuối tháng: <strong>" in _block(client_as("charlie"), CHARLIE_UNIT, RUNNING)
    run_next("warm")
    assert learnt == [1]  # the page view found it, and the loop learns it once
