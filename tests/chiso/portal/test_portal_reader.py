"""Every accepted portal response shape is read with its period, groups and JSON paths."""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from chiso.errors import UserError
from chiso.portal.reader import read_response

FIXTURES = Path(__file__).parent / "fixtures"


def _scores(path: Path) -> dict[tuple[str, str], Decimal | None]:
    return {(r.unit.name, r.group): r.score for r in read_response(path).rows}


def _write(tmp_path: Path, value: Any, name: str = "response.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")
    return path


def test_service_results_gives_dien_bien_h18_year_to_date_groups() -> None:
    response = read_response(FIXTURES / "service-results-2026.json")
    dien_bien = {r.group: r for r in response.rows if r.unit.portal_code == "H18"}
    assert {g: r.score for g, r in dien_bien.items()} == {
        "CKMB": Decimal("8.02"), "TDGQ": Decimal("19.02"), "CLGQ": Decimal("6.51"),
        "TTTT": Decimal("6.16"), "MDHL": Decimal("9.88"), "MDSH": Decimal("10.11"),
    }  # fmt: skip
    assert sum(r.score or 0 for r in dien_bien.values()) == Decimal("59.70")
    assert dien_bien["CLGQ"].max_score == 12 and dien_bien["TTTT"].max_score == 10
    assert dien_bien["CKMB"].where == "$.response.data.evaluation[2].groupScores.CKMB"
    assert response.shape == "summary" and response.national
    assert response.period is not None and response.period.code == "2026"
    assert response.fetched_at == datetime(2026, 10, 5, 6, 0, 10, 801000)


@pytest.mark.parametrize(
    ("name", "group", "province", "commune"),
    [
        ("transparency-2026-08.json", "CKMB", "7.97", "7.92"),
        ("handling-satisfaction-2026-08.json", "MDHL", "15.17", "14.47"),
        ("dvc-progress-tree-2026-08.json", "TDGQ", "18.4", "18"),
        ("provide-online-tree-2026-08.json", "CLGQ", "6.51", "6.18"),
        ("formality-online-payment-tree-2026-08.json", "TTTT", "6.16", "5.83"),
    ],
)
def test_each_group_endpoint_gives_the_root_and_child_scores(
    name: str, group: str, province: str, commune: str
) -> None:
    response = read_response(FIXTURES / name)
    scores = _scores(FIXTURES / name)
    assert scores[("UBND tỉnh Điện Biên", group)] == Decimal(province)
    assert scores[("UBND xã Mường Ảng", group)] == Decimal(commune)
    assert response.period is not None and response.period.code == "2026-08"
    assert [r.root for r in response.rows][:2] == [True, False]


def test_the_progress_tree_keeps_on_time_and_received_dossiers() -> None:
    rows = read_response(FIXTURES / "dvc-progress-tree-2026-08.json").rows
    assert (rows[0].numerator, rows[0].denominator) == (14021, 15240)
    assert rows[1].where == "$.response.data.children[0].score"


def test_a_bare_response_is_read_without_a_period() -> None:
    response = read_response(FIXTURES / "dossier-digitized-2026-08.json")
    assert response.period is None and response.fetched_at is None
    assert response.rows[0].group == "MDSH" and response.rows[0].score == Decimal("10.2")
    assert response.rows[0].where == "$.data.overview.totalScore"


def test_a_null_metric_score_is_kept_as_null_not_zero(tmp_path: Path) -> None:
    body = json.loads((FIXTURES / "transparency-2026-08.json").read_text(encoding="utf-8"))
    body["response"]["data"]["evaluation"][2]["totalScore"] = None
    rows = read_response(_write(tmp_path, body)).rows
    assert rows[3].score is None and rows[3].max_score == 18


def test_the_legacy_list_reads_scores_written_as_text() -> None:
    response = read_response(FIXTURES / "legacy-report-tinh-766-2025.json")
    dien_bien = {r.group: r.score for r in response.rows if r.unit.name == "Tỉnh Điện Biên"}
    assert dien_bien["TDGQ"] == Decimal("18.77") and dien_bien["CLGQ"] == Decimal("7.2")
    assert response.period is not None and response.period.code == "2025"
    assert response.shape == "legacy"


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        ({"timeType": "quarter", "year": 2026, "quarter": 3}, "2026-Q3"),
        ({"fromDate": "2026-07-01", "toDate": "2026-09-30"}, "2026-Q3"),
        ({"fromDate": "2026-01-01", "toDate": "2026-06-30"}, "2026-H1"),
        ({"fromDate": "2026-01-01", "toDate": "2026-10-05"}, "2026-01-01..2026-10-05"),
        ({"params": {"p_nam": "2025", "p_thang": "11"}}, "2025-11"),
    ],
)
def test_the_saved_payload_gives_the_period(
    tmp_path: Path, payload: dict[str, Any], code: str
) -> None:
    body = json.loads((FIXTURES / "handling-satisfaction-2026-08.json").read_text("utf-8"))
    body["payload"] = payload
    response = read_response(_write(tmp_path, body))
    assert response.period is not None and response.period.code == code


def test_malformed_json_names_the_file_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "cut.json"
    path.write_text('{"code": "OK", "data": {"overview": {"totalScore": 7.9,', encoding="utf-8")
    with pytest.raises(UserError, match=r"cut\.json:1:\d+: JSON không hợp lệ"):
        read_response(path)


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda d: d["data"]["evaluation"][1].update(totalScore="bảy"),
         r"\$\.data\.evaluation\[1\]\.totalScore: giá trị phải là số"),
        (lambda d: d["data"]["overview"].pop("departmentName"),
         r"\$\.data\.overview\.departmentName: thiếu trường này"),
        (lambda d: d["data"]["overview"].update(metrics=[{"code": "SOMETHING_NEW"}]),
         r"\$\.data\.overview\.metrics: không xác định được nhóm"),
        (lambda d: d.update(code="ERROR"), r"\$\.code: Cổng trả lời “ERROR”"),
        (lambda d: d["data"].update(overview=None, parent=None),
         r"\$\.data\.parent: giá trị phải là một đối tượng"),
    ],
)  # fmt: skip
def test_a_bad_value_is_refused_with_its_json_path(tmp_path: Path, edit: Any, message: str) -> None:
    body = json.loads((FIXTURES / "dossier-digitized-2026-08.json").read_text("utf-8"))
    edit(body)
    with pytest.raises(UserError, match=message) as caught:
        read_response(_write(tmp_path, body, "digitized.json"))
    assert "digitized.json" in caught.value.message


def test_an_unknown_group_code_in_service_results_is_refused(tmp_path: Path) -> None:
    body = json.loads((FIXTURES / "service-results-2026.json").read_text("utf-8"))
    body["response"]["data"]["evaluation"][2]["groupScores"]["ONLINE_SERVICE"] = 12.67
    with pytest.raises(UserError, match=r"evaluation\[2\]\.groupScores: unknown group code"):
        read_response(_write(tmp_path, body))


def test_a_tree_node_without_any_score_is_refused(tmp_path: Path) -> None:
    body = json.loads((FIXTURES / "provide-online-tree-2026-08.json").read_text("utf-8"))
    del body["response"]["data"]["children"][1]["totalScore"]
    with pytest.raises(UserError, match=r"children\[1\]: the score is missing"):
        read_response(_write(tmp_path, body))


def test_a_response_filtered_by_procedure_is_refused(tmp_path: Path) -> None:
    body = json.loads((FIXTURES / "transparency-2026-08.json").read_text("utf-8"))
    body["payload"]["formalityId"] = "019d2bfd-8e22-77ef-819f-e49460350904"
    with pytest.raises(UserError, match=r"\$\.payload\.formalityId: phản hồi chỉ lọc theo"):
        read_response(_write(tmp_path, body))


def test_the_endpoint_named_in_the_capture_must_agree_with_the_metric_codes(
    tmp_path: Path,
) -> None:
    body = json.loads((FIXTURES / "transparency-2026-08.json").read_text("utf-8"))
    body["url"] = body["url"].replace("transparency", "dossier-digitized")
    with pytest.raises(UserError, match="thuộc nhóm CKMB, còn địa chỉ lấy dữ liệu thuộc nhóm MDSH"):
        read_response(_write(tmp_path, body))
