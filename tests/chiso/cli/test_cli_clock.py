"""The CLI's clock: ``--as-of`` and ``CHISO_NOW`` decide what "now" is for score, explain
and report; a running month is scored up to it, a month not begun has no data yet."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from chiso.cli import cli
from chiso.synth.generator import generate

CLOCK = datetime(2026, 10, 15, 9, 0)
AS_OF = "2026-10-15T09:00"


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A province whose data ends at the clock, in the middle of October."""
    folder = tmp_path_factory.mktemp("clock") / "data"
    generate(folder, dossiers=4_000, start=date(2026, 9, 1), end=CLOCK, seed=7)
    return folder


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), env={"CHISO_NOW": None, **(env or {})})


def scores(result: Result) -> dict[str, tuple[float | None, str | None, int | None]]:
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    return {u["unit_code"]: (u["converted"], u["class"], u["rank"]) for u in doc["units"]}


def test_as_of_and_chiso_now_are_the_same_clock(data: Path) -> None:
    by_option = run("score", "--data", str(data), "--period", "live", "--as-of", AS_OF,
                    "--format", "json")  # fmt: skip
    by_variable = run("score", "--data", str(data), "--period", "live", "--format", "json",
                      env={"CHISO_NOW": AS_OF})  # fmt: skip
    assert json.loads(by_option.output)["period"] == "live:2026-10"
    assert by_option.output == by_variable.output
    # --as-of wins over CHISO_NOW
    both = run("score", "--data", str(data), "--period", "live", "--as-of", AS_OF,
               "--format", "json", env={"CHISO_NOW": "2026-09-20T10:00"})  # fmt: skip
    assert both.output == by_option.output


def test_the_running_month_is_scored_up_to_the_clock(data: Path) -> None:
    running = run("score", "--data", str(data), "--period", "2026-10", "--as-of", AS_OF,
                  "--format", "json")  # fmt: skip
    live = run("score", "--data", str(data), "--period", "live", "--as-of", AS_OF,
               "--format", "json")  # fmt: skip
    assert scores(running) == scores(live)  # nothing after the clock: month to date = live
    # judged at the month's end instead, dossiers pending at the clock and due before
    # 1 November are late: the same data scores lower
    closed = run("score", "--data", str(data), "--period", "2026-10",
                 "--as-of", "2026-11-20T08:00", "--format", "json")  # fmt: skip
    at_clock, at_end = scores(running), scores(closed)
    lower = [c for c in at_clock if (at_end[c][0] or 0) < (at_clock[c][0] or 0)]
    assert lower, "no unit lost points once its pending dossiers fell due"
    table = run("score", "--data", str(data), "--period", "2026-10", "--as-of", AS_OF)
    assert table.exit_code == 0, table.output
    assert "Tính đến 15/10/2026 09:00: kỳ chưa kết thúc." in table.output
    ended = run("score", "--data", str(data), "--period", "2026-09", "--as-of", AS_OF)
    assert ended.exit_code == 0 and "kỳ chưa kết thúc" not in ended.output


@pytest.mark.parametrize(
    "command",
    [
        ["score"],
        ["explain", "--unit", "03158", "--indicator", "tien_do"],
        ["report", "--unit", "UBND tỉnh Điện Biên", "--out", "bao-cao"],
    ],
)
def test_a_month_not_begun_has_no_data_yet(data: Path, command: list[str]) -> None:
    answer = run(*command, "--data", str(data), "--period", "2026-11", "--as-of", AS_OF)
    assert answer.exit_code == 2, answer.output
    assert "tháng 11 năm 2026 chưa có dữ liệu: kỳ bắt đầu 01/11/2026, sau thời điểm " \
        "hiện tại 15/10/2026 09:00" in answer.output  # fmt: skip
    assert "Traceback" not in answer.output
    same = run(*command, "--data", str(data), "--period", "2026-11", env={"CHISO_NOW": AS_OF})
    assert same.exit_code == 2 and "chưa có dữ liệu" in same.output


def test_explain_judges_pending_dossiers_at_the_clock(data: Path) -> None:
    late_at_end = "2026-11-20T08:00"

    def tien_do(as_of: str) -> dict[str, float]:
        answer = run("score", "--data", str(data), "--period", "2026-10", "--as-of", as_of,
                     "--format", "json")  # fmt: skip
        return {
            u["unit_code"]: i["points"]
            for u in json.loads(answer.output)["units"]
            for i in u["indicators"]
            if i["code"] == "tien_do"
        }

    before, after = tien_do(AS_OF), tien_do(late_at_end)
    unit = max(before, key=lambda code: before[code] - after[code])
    assert before[unit] > after[unit]

    def costing(as_of: str) -> int:
        answer = run("explain", "--data", str(data), "--period", "2026-10", "--unit", unit,
                     "--indicator", "tien_do", "--as-of", as_of, "--format", "json")  # fmt: skip
        assert answer.exit_code == 0, answer.output
        return len(json.loads(answer.output)["costing_points"])

    assert costing(late_at_end) > costing(AS_OF)


@pytest.mark.parametrize(
    ("args", "env", "named"),
    [
        (["--as-of", "15/10/2026"], {}, "--as-of='15/10/2026'"),
        ([], {"CHISO_NOW": "hôm nay"}, "CHISO_NOW='hôm nay'"),
    ],
)
def test_a_bad_clock_is_a_vietnamese_error(
    data: Path, args: list[str], env: dict[str, str], named: str
) -> None:
    answer = run("score", "--data", str(data), "--period", "2026-10", *args, env=env)
    assert answer.exit_code == 2
    assert f"{named} không phải thời điểm dạng ISO" in answer.output
    assert "viết như 2026-10-29T09:00" in answer.output and "Traceback" not in answer.output
