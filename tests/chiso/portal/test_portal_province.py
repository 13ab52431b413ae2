"""Portal data in, right or refused: another province's capture is never stored as ours."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from portal_cli import import_portal, stored_portal_scores

FIXTURES = Path(__file__).parent / "fixtures"


def _capture(name: str) -> dict[str, Any]:
    value: dict[str, Any] = json.loads((FIXTURES / name).read_text("utf-8"))
    return value


def _save(folder: Path, name: str, value: Any) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")
    return path


def _phu_tho(value: dict[str, Any]) -> dict[str, Any]:
    """The same capture as Phú Thọ's (R13's captures are Phú Thọ's)."""
    data = value["response"]["data"]
    data["overview"].update(departmentId="019d2be3-0000-7000-8000-phutho000044",
                            departmentName="UBND tỉnh Phú Thọ")  # fmt: skip
    data["evaluation"][0]["departmentName"] = "Sở Tư pháp - Tỉnh Phú Thọ"
    data["evaluation"][1]["departmentName"] = "UBND xã Mường Ảng - Tỉnh Phú Thọ"
    data["evaluation"][2]["departmentName"] = "UBND Phường Điện Biên Phủ - Tỉnh Phú Thọ"
    return value


def test_another_provinces_capture_is_refused_naming_it_even_with_skip_unknown(
    tmp_path: Path,
) -> None:
    path = _save(tmp_path, "phu-tho.json", _phu_tho(_capture("transparency-2026-08.json")))
    data = tmp_path / "data"
    result = import_portal(path, "--into", data, "--skip-unknown")
    assert result.exit_code == 2, result.output
    assert (
        "tỉnh Phú Thọ (H44)" in result.output and "không phải tỉnh Điện Biên (H18)" in result.output
    )
    assert "phản hồi nhóm CKMB" in result.output  # says what the file is
    assert not (data / "portal_scores.parquet").exists()


def test_a_department_code_of_another_province_is_refused(tmp_path: Path) -> None:
    value = _capture("dvc-progress-tree-2026-08.json")
    value["response"]["data"]["children"][0]["departmentCode"] = "H44.05"  # Phú Thọ's
    path = _save(tmp_path, "mixed.json", value)
    result = import_portal(path, "--into", tmp_path / "data", "--skip-unknown")
    assert result.exit_code == 2, result.output
    assert "1 đơn vị của tỉnh Phú Thọ (H44)" in result.output
    assert not (tmp_path / "data" / "portal_scores.parquet").exists()


def test_only_the_tree_provinces_suffix_is_stripped(tmp_path: Path) -> None:
    value = _capture("transparency-2026-08.json")
    value["response"]["data"]["evaluation"][0]["departmentName"] = "Sở Tư pháp - Tỉnh Phú Thọ"
    path = _save(tmp_path, "suffix.json", value)
    result = import_portal(path, "--into", tmp_path / "data", "--skip-unknown")
    assert result.exit_code == 2 and "1 đơn vị của tỉnh Phú Thọ (H44)" in result.output


def test_a_capture_whose_root_is_not_the_province_is_refused(tmp_path: Path) -> None:
    value = _capture("transparency-2026-08.json")
    value["response"]["data"]["overview"].update(departmentId=None,
                                                 departmentName="Sở Tư pháp")  # fmt: skip
    path = _save(tmp_path, "root.json", value)
    result = import_portal(path, "--into", tmp_path / "data", "--skip-unknown")
    assert result.exit_code == 2, result.output
    assert "đơn vị gốc “Sở Tư pháp”" in result.output and "tỉnh Điện Biên" in result.output


def _dated(score: float, taken: str) -> dict[str, Any]:
    value = _capture("transparency-2026-08.json")
    value["response"]["data"]["overview"]["totalScore"] = score
    value["capturedAt"] = taken
    return value


def test_an_older_capture_never_replaces_a_newer_one(tmp_path: Path) -> None:
    data = tmp_path / "data"
    newer = _save(tmp_path / "a", "transparency.json", _dated(8.5, "2026-09-26T08:00:00+07:00"))
    older = _save(tmp_path / "b", "transparency.json", _dated(7.0, "2026-09-01T08:00:00+07:00"))
    assert import_portal(newer, "--into", data).exit_code == 0
    result = import_portal(older, "--into", data)
    assert result.exit_code == 0, result.output
    assert (
        "giữ 8.5" in result.output and "bỏ qua 7.0" in result.output and "cũ hơn" in result.output
    )
    assert stored_portal_scores(data)[("11", "ckmb")]["score"] == 8.5


def test_both_orders_in_one_import_keep_the_latest_and_say_so(tmp_path: Path) -> None:
    data = tmp_path / "data"
    newer = _save(tmp_path / "a", "transparency.json", _dated(8.5, "2026-09-26T08:00:00+07:00"))
    older = _save(tmp_path / "b", "transparency.json", _dated(7.0, "2026-09-01T08:00:00+07:00"))
    result = import_portal(newer, older, "--into", data)
    assert result.exit_code == 0 and "bỏ qua 7.0" in result.output
    assert stored_portal_scores(data)[("11", "ckmb")]["score"] == 8.5


def test_a_bare_file_needs_captured_at_to_be_weighed_against_a_stored_capture(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    dated = _save(tmp_path / "a", "transparency.json", _dated(8.5, "2026-09-26T08:00:00+07:00"))
    assert import_portal(dated, "--into", data).exit_code == 0
    bare_value = _dated(7.0, "")["response"]
    bare = _save(tmp_path / "b", "bare.json", bare_value)
    refused = import_portal(bare, "--into", data, "--period", "2026-08")
    assert refused.exit_code == 2 and "--captured-at" in refused.output
    assert "không biết bản nào mới hơn" in refused.output
    older = import_portal(bare, "--into", data, "--period", "2026-08",
                          "--captured-at", "2026-09-20T08:00+07:00")  # fmt: skip
    assert older.exit_code == 0 and "bỏ qua 7.0" in older.output
    assert stored_portal_scores(data)[("11", "ckmb")]["score"] == 8.5
    later = import_portal(bare, "--into", data, "--period", "2026-08",
                          "--captured-at", "2026-09-30T08:00+07:00")  # fmt: skip
    assert later.exit_code == 0, later.output
    assert stored_portal_scores(data)[("11", "ckmb")]["score"] == 7.0


def test_a_results_drill_down_with_totals_only_is_refused_saying_what_it_is(
    tmp_path: Path,
) -> None:
    body = {"code": "OK", "data": {
        "overview": {"departmentName": "UBND tỉnh Điện Biên", "totalScore": 59.7},
        "evaluation": [
            {"departmentName": "Sở Tư pháp - Tỉnh Điện Biên", "totalScore": 81.2, "rank": 1,
             "groupRank": 1, "scoreDelta": 0.4},
            {"departmentName": "UBND xã Mường Ảng", "totalScore": 74.0, "rank": 2},
        ],
    }}  # fmt: skip
    path = _save(tmp_path, "drill.json", body)
    result = import_portal(path, "--into", tmp_path / "data", "--period", "2026-08")
    assert result.exit_code == 2, result.output
    assert "bảng kết quả chi tiết (service-results) của UBND tỉnh Điện Biên, 2 đơn vị" in (
        result.output
    )
    assert "chỉ có tổng điểm" in result.output and "metric codes" not in result.output


def test_a_request_and_its_response_saved_apart_are_paired(tmp_path: Path) -> None:
    capture = _capture("transparency-2026-08.json")
    request = {"url": capture["url"], "payload": capture["payload"]}
    _save(tmp_path, "transparency-request.json", request)
    _save(tmp_path, "transparency-response.json", capture["response"])
    data = tmp_path / "data"
    result = import_portal(tmp_path / "transparency-request.json",
                           tmp_path / "transparency-response.json", "--into", data)  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "tháng 8/2026" in result.output
    assert stored_portal_scores(data)[("11", "ckmb")]["period"] == "2026-08"
    alone = import_portal(tmp_path / "transparency-request.json", "--into", data)
    assert alone.exit_code == 2
    assert "tệp là yêu cầu gửi Cổng (payload), không chứa điểm" in alone.output
