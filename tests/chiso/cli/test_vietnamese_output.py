"""Issue #15: what ``score``, ``explain``, ``plan``, ``forecast``, ``anomalies`` and
``quality`` print for people is Vietnamese, with labels instead of codes, periods as
"tháng 10/2026" and Vietnamese numbers; ``CHISO_LANG=en`` gives the English ids."""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from chiso.cli import cli
from chiso.synth.generator import generate
from chiso.synth.inject import inject, parse_rates

CLOCK = datetime(2026, 10, 29, 9, 0)
ENV = {"CHISO_NOW": "2026-10-29T09:00", "CHISO_LANG": None}
#: What a person must never read: a snake_case code, an ISO month or day.
CODE = re.compile(r"\b[a-z]+_[a-z0-9_]+\b")
ISO = re.compile(r"\b20\d\d-\d\d(-\d\d)?\b")


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A province up to the demo's clock, with anomalies injected."""
    folder = tmp_path_factory.mktemp("vietnamese") / "data"
    generate(folder, dossiers=3_000, start=date(2026, 1, 1), end=CLOCK, seed=2026)
    inject(folder, parse_rates("all=0.05"), seed=2026, stop=CLOCK)
    return folder


def run(*args: str, lang: str | None = None) -> str:
    result = CliRunner().invoke(cli, list(args), env={**ENV, "CHISO_LANG": lang})
    assert result.exit_code == 0, result.output
    return " ".join(result.output.split())


def no_code(shown: str) -> None:
    assert not CODE.findall(shown), CODE.findall(shown)[:5]
    assert not ISO.findall(shown), ISO.findall(shown)[:5]


@pytest.fixture(scope="module")
def weakest(data: Path) -> str:
    """The unit ranked last among those with data (it has a plan and lost points)."""
    doc = json.loads(run("score", "--data", str(data), "--period", "2026-10", "--format", "json"))
    ranked = [u for u in doc["units"] if u["rank"]]
    return str(max(ranked, key=lambda u: u["rank"])["unit_code"])


def test_score_names_groups_by_their_short_labels(data: Path) -> None:
    shown = run("score", "--data", str(data), "--period", "2026-10")
    assert "UBND tỉnh Điện Biên — tháng 10/2026" in shown
    for word in ("Hạng", "Đơn vị", "Tổng", "Quy đổi", "Xếp loại", "(20đ)", "Tính đến 29/10/2026"):
        assert word in shown
    assert "Công khai, minh bạch" not in shown  # the group's long label: too wide
    no_code(shown)


def test_score_says_a_unit_without_data_has_none_in_vietnamese(data: Path) -> None:
    doc = json.loads(run("score", "--data", str(data), "--period", "2026-10", "--format", "json"))
    assert any(not u["rank"] for u in doc["units"])  # the province has units without data
    shown = run("score", "--data", str(data), "--period", "2026-10")
    assert "No data" not in shown and "Chưa có dữ liệu" in shown


def test_explain_plan_and_forecast_speak_vietnamese(data: Path, weakest: str) -> None:
    common = ("--data", str(data), "--period", "2026-10")
    explained = run("explain", *common, "--unit", weakest, "--indicator", "tien_do")
    assert ", tháng 10/2026: " in explained and " điểm " in explained
    assert re.search(r"Tử số \d+ / mẫu số \d+ hồ sơ", explained)
    planned = run("plan", *common, "--unit", weakest)
    assert "— tháng 10/2026: hiện " in planned and "cuối kỳ nếu không làm gì thêm" in planned
    assert "Kế hoạch lên hạng" in planned and "Việc cần làm" in planned
    no_code(planned)
    forecast = run("forecast", *common)
    assert "Dự báo điểm cuối kỳ — tháng 10/2026 (khoảng tin cậy 80 %)" in forecast
    no_code(forecast)


def test_anomalies_name_the_indicators_not_the_rules(data: Path) -> None:
    shown = run("anomalies", "--data", str(data), "--period", "2026-10")
    assert "Dữ liệu bất thường — tháng 10/2026: " in shown
    assert "(để rà soát, không trừ điểm)" in shown and "Chỉ số liên quan: " in shown
    assert "Tiến độ" in shown
    no_code(shown)


def test_quality_names_units_problems_and_balances(data: Path) -> None:
    shown = run("quality", "--data", str(data), "--period", "2026-10")
    assert "Chất lượng dữ liệu — tháng 10/2026" in shown
    assert "UBND xã" in shown and "Sở Tư pháp" in shown
    assert "Cân đối kiểm tra: tổng số = kỳ trước chuyển sang + tiếp nhận mới" in shown
    assert "hoàn thành trước ngày tiếp nhận (sửa lại các ngày)" in shown
    no_code(shown)


def test_english_when_asked(data: Path, weakest: str) -> None:
    common = ("--data", str(data), "--period", "2026-10")
    planned = run("plan", *common, "--unit", weakest, lang="en")
    assert "points now" in planned and "Plan to rise a class" in planned
    quality = run("quality", *common, lang="en")
    assert "Data quality — " in quality and "Balance checked: handled = " in quality
