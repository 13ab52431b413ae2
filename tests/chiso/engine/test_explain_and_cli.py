from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from builders import make_dossier, make_procedure
from chiso.cli import cli
from chiso.domain.periods import parse_period
from chiso.engine.explain import explain
from chiso.spec.loader import load_index_set
from chiso.storage.folder import write_tables
from chiso.storage.store import open_folder


def test_explain_lists_the_late_dossiers_that_cost_tien_do_points(data: Path) -> None:
    result = explain(
        open_folder(data),
        load_index_set("dienbien-459-2023"),
        parse_period("2026-03"),
        "03253",
        "tien_do",
    )
    assert result.in_denominator == 6
    assert [r["dossier_code"] for r in result.costing] == ["D2", "D3", "D5"]
    assert [r["dossier_code"] for r in result.counted] == ["D1", "D4", "D7"]


def test_explain_counts_the_unsatisfied_rating_against_satisfaction(data: Path) -> None:
    result = explain(
        open_folder(data),
        load_index_set("dienbien-459-2023"),
        parse_period("2026-03"),
        "03253",
        "hailong_cs3",
    )
    assert {r["dossier_code"] for r in result.costing} == {"D1", "D2", "D3", "D5"}


def test_score_json_has_the_documented_shape(data: Path) -> None:
    out = CliRunner().invoke(
        cli,
        [
            "score",
            "--data",
            str(data),
            "--period",
            "2026-03",
            "--level",
            "units:03253,03256",
            "--format",
            "json",
        ],
    )
    assert out.exit_code == 0, out.output
    doc = json.loads(out.output)
    first, empty = doc["units"]
    assert first["unit_code"] == "03253" and first["rank"] == 1 and first["has_data"] is True
    keys = {"unit_code", "name", "total", "max", "converted", "class", "rank", "indicators"}
    assert keys | {"converted_exact", "class_label", "tied", "has_data"} <= set(first)
    # 03256 has no dossier in March: it would score 82,35 "good" by the zero-denominator
    # rules, but a unit without data is unscored and follows the ranked ones
    assert empty["unit_code"] == "03256" and empty["has_data"] is False
    assert [empty[k] for k in ("total", "converted", "converted_exact", "class", "rank")] == [
        None
    ] * 5
    indicator = first["indicators"][3]
    assert indicator == {
        "code": "tien_do",
        "group": "tien_do",
        "numerator": 3.0,
        "denominator": 6.0,
        "rate": 0.5,
        "points": 15.0,
        "max": 30.0,
        "applicable": True,
        "source": "computed",
    }


def test_a_user_error_is_one_sentence_with_a_hint_and_exit_code_2(data: Path) -> None:
    out = CliRunner().invoke(cli, ["score", "--data", str(data), "--period", "2026-13"])
    assert out.exit_code == 2
    assert "Traceback" not in out.output
    assert "Gợi ý:" in out.output


def test_a_missing_data_folder_is_a_clear_error(tmp_path: Path) -> None:
    out = CliRunner().invoke(
        cli, ["score", "--data", str(tmp_path / "nope"), "--period", "2026-03"]
    )
    assert out.exit_code == 2
    assert "không có thư mục dữ liệu" in out.output


def test_validate_accepts_every_shipped_index_set() -> None:
    out = CliRunner().invoke(cli, ["validate"])
    assert out.exit_code == 0, out.output
    assert "dienbien-459-2023" in out.output
    assert "dienbien-459-2023/index_set.yaml: hợp lệ (11 chỉ số, tối đa 100 điểm)" in out.output


def test_validate_prints_file_and_line_of_a_broken_index_set(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("id: x\nname: y\n", encoding="utf-8")
    out = CliRunner().invoke(cli, ["validate", str(path)])
    assert out.exit_code == 2
    assert f"{path}:" in out.output and "required field is missing" in out.output


def test_the_explain_table_speaks_vietnamese_not_column_codes(data: Path) -> None:
    args = ["explain", "--data", str(data), "--period", "2026-03", "--unit", "03253"]
    out = CliRunner().invoke(cli, [*args, "--indicator", "dvtt_cs2"])
    assert out.exit_code == 0, out.output
    heading = out.output.splitlines()[0]
    assert "Cung cấp dịch vụ trực tuyến — Chỉ số 2, tháng 3/2026:" in heading
    assert "dvtt_cs2" not in heading and "2026-03" not in heading
    for header in ("Mã hồ sơ", "Hình thức thanh toán"):
        assert header in out.output
    for code in ("dossier_code", "received_at", "payment", "procedure_code"):
        assert code not in out.output
    late = CliRunner().invoke(cli, [*args, "--indicator", "tien_do"])
    assert "Ngày tiếp nhận" in late.output and "Ngày hẹn trả" in late.output
    assert "due_at" not in late.output and "supplement_count" not in late.output
    as_json = CliRunner().invoke(cli, [*args, "--indicator", "tien_do", "--format", "json"])
    doc = json.loads(as_json.output)
    assert doc["indicator"] == "tien_do" and doc["period"] == "2026-03"
    assert "received_at" in doc["costing_points"][0]


def test_explain_says_why_no_dossier_is_listed_instead_of_an_empty_table(tmp_path: Path) -> None:
    """No fee-bearing dossier: 0 points by the rule, nothing to list (the demo printed an
    empty "Hồ sơ làm mất điểm" table); every dossier on time: nothing lost."""
    write_tables(tmp_path, {
        "procedures": [make_procedure(code="P-CT-01", has_fee=False)],
        "dossiers": [make_dossier(code="1", unit="03253", received="2026-03-02 08:00",
                                  procedure_code="P-CT-01", due_at="2026-03-05 17:00",
                                  finished_at="2026-03-03 09:00")],
    })  # fmt: skip
    args = ["explain", "--data", str(tmp_path), "--period", "2026-03", "--unit", "03253"]
    fee = CliRunner().invoke(cli, [*args, "--indicator", "dvtt_cs2"])
    assert fee.exit_code == 0, fee.output
    assert "Hồ sơ làm mất điểm" not in fee.output
    assert "không có hồ sơ nào thuộc chỉ số này" in fee.output and "được 0 điểm" in fee.output
    on_time = CliRunner().invoke(cli, [*args, "--indicator", "tien_do"])
    assert "Hồ sơ làm mất điểm" not in on_time.output
    assert "các hồ sơ trong kỳ đều đạt yêu cầu của chỉ số" in on_time.output
