"""The "sắp quá hạn" list: points at stake (by the engine), sorting, filters, Excel export."""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any

import jsonschema
import openpyxl
import pytest

from chiso_web.dashboard.schemas import SCHEMAS
from web_cast import ALICE_UNIT

pytestmark = pytest.mark.django_db


def _doc(client: Any, query: str = "") -> dict[str, Any]:
    answer = client.get(f"/sap-qua-han.json?days=10{query}")
    assert answer.status_code == 200, answer.content
    doc: dict[str, Any] = answer.json()
    jsonschema.validate(doc, SCHEMAS["due"])
    return doc


def test_dossiers_carry_points_at_stake_and_are_sorted_by_them(client_as: Any) -> None:
    doc = _doc(client_as("admin"))
    rows = doc["dossiers"]
    assert len(rows) > 3
    stakes = [r["points_at_stake"] for r in rows]
    assert stakes == sorted(stakes, reverse=True)
    assert stakes[0] > 0
    # under QĐ 459 a late dossier costs twice: tiến độ and hài lòng CS3
    moved = {i["code"] for i in rows[0]["stake_indicators"]}
    assert {"tien_do", "hailong_cs3"} <= moved
    assert all(r["procedure_name"] for r in rows)
    page = client_as("admin").get("/sap-qua-han/?days=10").content.decode()
    assert rows[0]["points_text"] in page and "Điểm có thể mất" in page
    assert "ước tính đến cuối tháng" in page  # weighed against the month's end
    assert doc["index_set"] not in page and doc["index_set_label"] in page  # a name, not a code


def test_points_at_stake_are_the_month_end_stake_of_the_library(client_as: Any) -> None:
    """The meaning changed (issue #16): the points are weighed against the month's end
    (``chiso.engine.stake``, method ``month_end``: the median over the month-end forecast's
    draws of the unit's score with one dossier on time minus with it late), no longer
    against the month as it stands at the clock (one late among the few records so far)."""
    from dataclasses import replace

    from chiso.domain.periods import Period
    from chiso.engine.stake import AS_OF, Stake, stakes
    from chiso_web import data

    row = next(r for r in _doc(client_as("admin"))["dossiers"] if r["points_at_stake"])
    due = datetime.fromisoformat(row["due_at"])
    now = data.now()
    month = Period.of_month(due.year, due.month, now=now)
    period = replace(month, as_of=max(now, month.start))
    index_set = data.index_set()
    unit = data.service().tree().resolve(row["unit_code"], on=period.start.date())

    def stake(method: str) -> Any:
        def compute(store: Any) -> Stake:
            return stakes(store, index_set, period, [unit], method=method)[unit.unit_code]

        return compute

    found = data.service().query(stake("month_end"))
    assert found.method == "month_end"
    assert row["points_at_stake"] == pytest.approx(float(found.points), abs=1e-6)
    moved = {i["code"]: i["points"] for i in row["stake_indicators"]}
    assert moved == pytest.approx({k: float(v) for k, v in found.indicators.items()}, abs=1e-6)
    former = data.service().query(stake(AS_OF))
    assert former.method == "as_of" and former.points > 0


def test_other_sorts_and_filters(client_as: Any) -> None:
    admin = client_as("admin")
    by_due = _doc(admin, "&sort=due")["dossiers"]
    assert [r["due_at"] for r in by_due] == sorted(r["due_at"] for r in by_due)
    every = _doc(admin)
    field = every["fields"][0]
    only = _doc(admin, f"&field={field}")
    assert 0 < only["count"] < every["count"]
    assert all(r["field"] == field for r in only["dossiers"])
    code = every["dossiers"][0]["procedure_code"]
    by_code = _doc(admin, f"&procedure={code}")["dossiers"]
    assert by_code and all(r["procedure_code"] == code for r in by_code)
    short = _doc(admin, "&days=1")
    assert short["count"] <= every["count"]
    assert admin.get("/sap-qua-han.json?sort=nope").status_code == 400


def test_excel_export_has_the_rows_with_real_dates(client_as: Any) -> None:
    admin = client_as("admin")
    doc = _doc(admin)
    answer = admin.get("/sap-qua-han.xlsx?days=10")
    assert answer.status_code == 200
    assert answer["Content-Disposition"].endswith('sap-qua-han.xlsx"')
    sheet = openpyxl.load_workbook(io.BytesIO(answer.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Mã hồ sơ" and "Điểm có thể mất" in rows[0]
    assert [r[0] for r in rows[1:]] == [d["dossier_code"] for d in doc["dossiers"]]
    due = rows[1][rows[0].index("Hạn xử lý")]
    assert isinstance(due, datetime)
    assert due == datetime.fromisoformat(doc["dossiers"][0]["due_at"])
    assert sheet.cell(2, 8).number_format == "dd/mm/yyyy hh:mm"
    assert "sap-qua-han.xlsx?" in admin.get("/sap-qua-han/?days=10").content.decode()


def test_excel_export_keeps_to_the_officers_unit_and_needs_sign_in(
    client_as: Any, client: Any
) -> None:
    answer = client_as("alice").get("/sap-qua-han.xlsx?days=10")
    sheet = openpyxl.load_workbook(io.BytesIO(answer.content)).active
    codes = {r[0] for r in sheet.iter_rows(min_row=2, values_only=True)}
    doc = _doc(client_as("alice"))
    assert codes == {d["dossier_code"] for d in doc["dossiers"]}
    assert all(d["unit_code"] == ALICE_UNIT for d in doc["dossiers"])
    assert client.get("/sap-qua-han.xlsx").status_code in (302, 403)


def test_each_dossier_is_a_card_on_a_phone_and_an_empty_list_says_so(client_as: Any) -> None:
    """Nine columns do not fit 390 px: the points at stake and the days left would sit off
    screen, so each dossier reads as a card there (app.css ``table.cards``)."""
    admin = client_as("admin")
    page = admin.get("/sap-qua-han/?days=10").content.decode()
    assert '<table class="records cards" id="due-table">' in page
    for label in ("Mã hồ sơ", "Thủ tục", "Hạn xử lý", "Điểm có thể mất"):
        assert f'data-label="{label}"' in page
    none = admin.get("/sap-qua-han/?days=1&procedure=khong-co-thu-tuc-nay").content.decode()
    assert 'id="due-table"' not in none and "Không có hồ sơ nào sắp quá hạn." in none


def test_warmed_stakes_serve_the_page_without_computing(
    client_as: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The job loop's warm lane computes every unit's stakes of this month and the next
    (per data version and hour); a page view then finds them, with the same figures."""
    from chiso.storage.cache import CACHE
    from chiso_web import data
    from chiso_web.dashboard import payloads

    CACHE.clear()
    payloads.warm_due_stakes(data.index_set(), data.now())
    asked: list[int] = []
    real = payloads.stakes

    def counted(*args: Any, **kwargs: Any) -> Any:
        asked.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(payloads, "stakes", counted)
    warmed = _doc(client_as("admin"))["dossiers"]
    assert asked == []
    CACHE.clear()
    computed = _doc(client_as("admin"))["dossiers"]
    assert asked  # without the warm lane, the page computes them
    assert [r["points_at_stake"] for r in warmed] == [r["points_at_stake"] for r in computed]
