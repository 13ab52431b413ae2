"""The indicator drill-down as an officer needs it: each dossier's procedure, progress and
working days late, filters by progress and procedure, the Excel file of every record."""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any

import jsonschema
import openpyxl
import pytest

from chiso_web.dashboard import views
from chiso_web.dashboard.schemas import SCHEMAS
from web_cast import ALICE_UNIT

pytestmark = pytest.mark.django_db
URL = f"/don-vi/{ALICE_UNIT}/chi-so/tien_do"
HEADERS = ("Mã hồ sơ", "Mã TTHC", "Tên thủ tục", "Tình trạng", "Trễ hạn (ngày làm việc)")


def _doc(client: Any, query: str = "") -> dict[str, Any]:
    answer = client.get(f"{URL}.json?{query}")
    assert answer.status_code == 200, answer.content
    doc: dict[str, Any] = answer.json()
    jsonschema.validate(doc, SCHEMAS["indicator"])
    return doc


def _rows(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return [*doc["costing_points"], *doc["counted"]]


def test_rows_carry_procedure_progress_and_working_days_late(client_as: Any) -> None:
    alice = client_as("alice")
    doc = _doc(alice)
    assert doc["columns"][:5] == [
        "dossier_code", "procedure_code", "procedure_name", "progress", "late_working_days"
    ]  # fmt: skip
    assert all(r["procedure_name"] and r["progress_label"] for r in _rows(doc))
    late = [r for r in doc["costing_points"] if r["progress"] in ("late", "overdue")]
    assert late and all(r["late_working_days"] >= 1 for r in late)
    assert all("late_working_days" not in r for r in doc["counted"])
    page = alice.get(f"{URL}/").content.decode()
    for header in HEADERS:
        assert header in page
    first = late[0]
    assert first["procedure_name"] in page and first["progress_label"] in page
    assert f'href="/ho-so/{first["dossier_code"]}/"' in page
    assert f'data-value="{first["late_working_days"]}"' in page
    assert 'class="records sortable cards drilldown"' in page and "tien_do.xlsx?" in page


def test_filters_narrow_the_rows(client_as: Any) -> None:
    alice = client_as("alice")
    every = _doc(alice)
    state = every["costing_points"][0]["progress"]
    only = _doc(alice, f"progress={state}")
    assert only["progress"] == state and _rows(only)
    assert all(r["progress"] == state for r in _rows(only))
    assert len(_rows(only)) < len(_rows(every))
    assert only["records_in_denominator"] == every["records_in_denominator"]  # the score stays
    code = every["counted"][0]["procedure_code"]
    by_code = _doc(alice, f"procedure={code}")
    assert by_code["procedure"] == code
    assert _rows(by_code) and all(r["procedure_code"] == code for r in _rows(by_code))
    assert len(_rows(by_code)) < len(_rows(every))
    name = every["counted"][0]["procedure_name"].split()[0].upper()  # any case, part of a name
    assert all(
        name.casefold() in r["procedure_name"].casefold()
        for r in _rows(_doc(alice, f"procedure={name}"))
    )
    page = alice.get(f"{URL}/?progress={state}").content.decode()
    assert f'<option value="{state}" selected>' in page
    assert "tien_do.xlsx?index_set=" in page and f"progress={state}" in page
    assert alice.get(f"{URL}.json?progress=nope").status_code == 400


def test_the_excel_file_holds_every_record_with_real_dates(client_as: Any) -> None:
    alice = client_as("alice")
    doc = _doc(alice)
    short = _doc(alice, "limit=1")
    assert len(short["counted"]) == 1 and short["records_counted"] == doc["records_counted"] > 1
    answer = alice.get(f"{URL}.xlsx?limit=1")  # the file ignores the page's limit
    assert answer.status_code == 200
    assert answer["Content-Disposition"].endswith(f'{ALICE_UNIT}-tien_do-{doc["period"]}.xlsx"')
    sheet = openpyxl.load_workbook(io.BytesIO(answer.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    head = rows[0]
    assert head[0] == "Danh sách" and head[1 : 1 + len(HEADERS)] == HEADERS
    body = rows[1:]
    assert [r[1] for r in body] == [r["dossier_code"] for r in _rows(doc)]
    assert {r[0] for r in body} == {"Làm mất điểm", "Được tính điểm"}
    first = doc["costing_points"][0]
    due = body[0][head.index("Ngày hẹn trả")]
    assert isinstance(due, datetime) and due == datetime.fromisoformat(first["due_at"])
    assert sheet.cell(2, head.index("Ngày hẹn trả") + 1).number_format == "dd/mm/yyyy hh:mm"
    assert body[0][head.index("Trễ hạn (ngày làm việc)")] == first["late_working_days"]
    assert body[0][head.index("Tình trạng")] == first["progress_label"]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref


def test_the_excel_file_says_when_a_list_was_cut(
    client_as: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(views, "MAX_RECORDS", 3)
    answer = client_as("alice").get(f"{URL}.xlsx?progress=on_time")
    rows = [
        r
        for r in openpyxl.load_workbook(io.BytesIO(answer.content)).active.iter_rows(
            values_only=True
        )
        if any(r)
    ]
    assert len(rows) == 1 + 3 + 1  # header, the first 3 counted, the note
    assert "3" in rows[-1][0] and "đầu tiên" in rows[-1][0]


def test_an_officer_of_another_unit_gets_no_file(client_as: Any, client: Any) -> None:
    assert client_as("charlie").get(f"{URL}.xlsx").status_code == 404
    assert client_as("charlie").get(f"{URL}/?progress=late").status_code == 404
    assert client.get(f"{URL}.xlsx").status_code in (302, 403)
