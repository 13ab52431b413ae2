"""Every rule finds its injected pattern in a small generated folder and is quiet on clean
data; the report groups findings per unit; the CLI prints them and the documented JSON."""

from __future__ import annotations

import json
import shutil
from datetime import date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from builders import make_dossier, make_procedure
from chiso.anomalies import RULE_IDS, find_anomalies, load_rules
from chiso.anomalies.bench import measure
from chiso.cli import cli
from chiso.domain.periods import Period, parse_period
from chiso.storage.folder import write_tables
from chiso.storage.store import open_folder
from chiso.synth.generator import generate
from chiso.synth.inject import INJECTED_FILE, inject, parse_rates

START, STOP = date(2026, 3, 1), date(2026, 5, 1)
WHOLE = (datetime(2026, 3, 1), datetime(2026, 5, 1))
RATES = "all=0.02,due_rush=0.1"


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("anomalies")
    clean = base / "clean"
    generate(clean, dossiers=30_000, start=START, end=STOP, seed=7)
    injected = base / "injected"
    shutil.copytree(clean, injected)
    inject(injected, parse_rates(RATES), seed=7, stop=WHOLE[1])
    return {"clean": clean, "injected": injected}


def test_every_rule_finds_what_was_injected_and_little_else(folders: dict[str, Path]) -> None:
    store = open_folder(folders["injected"], cubes=False)
    scores = {s.rule: s for s in measure(store, folders["injected"], *WHOLE)}
    assert sorted(scores) == sorted(RULE_IDS)
    for score in scores.values():
        assert score.injected > 0, score
        assert score.recall is not None and score.recall >= 0.9, score
        assert score.precision is not None and score.precision >= 0.8, score


def test_no_rule_fires_on_clean_generated_data(folders: dict[str, Path]) -> None:
    store = open_folder(folders["clean"], cubes=False)
    scores = measure(store, folders["clean"], *WHOLE)
    assert {s.rule: s.found for s in scores} == dict.fromkeys(RULE_IDS, 0)


def test_the_ground_truth_is_beside_the_tables_not_in_them(folders: dict[str, Path]) -> None:
    assert (folders["injected"] / INJECTED_FILE).is_file()
    assert not (folders["clean"] / INJECTED_FILE).exists()
    store = open_folder(folders["injected"], cubes=False)
    assert store.table("dossiers").count().to_pyarrow().as_py() == 30_000


def test_a_switched_off_or_loosened_rule_stops_finding(
    folders: dict[str, Path], tmp_path: Path
) -> None:
    own = tmp_path / "rules.yaml"
    own.write_text(
        "rules:\n  same_minute: {enabled: false}\n  code_date: {thresholds: {max_days: 90}}\n",
        encoding="utf-8",
    )
    store = open_folder(folders["injected"], cubes=False)
    report = find_anomalies(store, Period.of_month(2026, 3), load_rules(own))
    rules = {f.rule.id for f in report.findings}
    assert "same_minute" not in rules and "code_date" not in rules
    assert "due_beyond_limit" in rules


def test_findings_per_unit_count_every_record_and_list_a_few(folders: dict[str, Path]) -> None:
    store = open_folder(folders["injected"], cubes=False)
    report = find_anomalies(store, Period.of_month(2026, 3), load_rules(), limit=2)
    assert report.findings
    for finding in report.findings:
        assert 1 <= len(finding.records) <= min(2, finding.count)
        assert str(finding.count) in finding.question or finding.rule.id == "due_rush"
    scoped = find_anomalies(
        store, Period.of_month(2026, 3), load_rules(), units={report.findings[0].unit_code}
    )
    assert {f.unit_code for f in scoped.findings} == {report.findings[0].unit_code}


def _handmade(folder: Path) -> None:
    """One dossier per pattern, in both code formats, plus their clean twins."""
    rows = [
        # provincial code dated 40 days before receipt
        make_dossier(code="X1-260201-000001", unit="X1", received="2026-03-13 09:00:00"),
        # TT 04/2025 code dated 20 days after receipt
        make_dossier(code="G22.39.05-260402-AB0001", unit="X1", received="2026-03-13 09:00:00"),
        make_dossier(code="G22.39.05-260313-AB0002", unit="X1", received="2026-03-13 09:00:00"),
        make_dossier(code="X1-260313-000004", unit="X1", received="2026-03-13 09:00:00"),
        make_dossier(code="X1-NOCODE", unit="X1", received="2026-03-13 09:00:00"),
    ]
    write_tables(folder, {"dossiers": rows, "procedures": [make_procedure()]})


def test_code_date_reads_both_code_formats(tmp_path: Path) -> None:
    _handmade(tmp_path)
    store = open_folder(tmp_path, cubes=False)
    report = find_anomalies(store, Period.of_month(2026, 3), load_rules())
    [finding] = [f for f in report.findings if f.rule.id == "code_date"]
    assert [r.dossier_code for r in finding.records] == [
        "G22.39.05-260402-AB0001",
        "X1-260201-000001",
    ]


@pytest.mark.postgres
def test_the_rules_give_the_same_findings_on_postgres(folders: dict[str, Path]) -> None:
    period = parse_period("2026-03")
    duck = find_anomalies(open_folder(folders["injected"], cubes=False), period, load_rules())
    pg = find_anomalies(open_folder(folders["injected"], "postgres"), period, load_rules())

    def key(report: object) -> list[tuple[str, str, int]]:
        return sorted((f.unit_code, f.rule.id, f.count) for f in report.findings)  # type: ignore[attr-defined]

    assert key(pg) == key(duck)


def test_the_command_prints_questions_and_the_documented_json(folders: dict[str, Path]) -> None:
    runner = CliRunner()
    data = str(folders["injected"])
    table = runner.invoke(cli, ["anomalies", "--data", data, "--period", "2026-03", "--limit", "2"])
    assert table.exit_code == 0, table.output
    assert "Vì sao" in table.output and "không trừ điểm" in table.output
    out = runner.invoke(
        cli,
        ["anomalies", "--data", data, "--period", "2026-03", "--format", "json", "--unit", "03127"],
    )
    assert out.exit_code == 0, out.output
    payload = json.loads(out.output)
    assert payload["period"] == "2026-03"
    assert [r["id"] for r in payload["rules"]] == list(RULE_IDS)
    assert {u["unit_code"] for u in payload["units"]} <= {"03127"}
    first = payload["units"][0]["findings"][0]
    assert set(first) == {
        "rule",
        "severity",
        "question",
        "records_are",
        "count",
        "records",
        "facts",
    }
    assert (
        "tien_do" in next(r for r in payload["rules"] if r["id"] == "due_beyond_limit")["affects"]
    )


def test_a_bad_rule_file_is_a_user_error_on_the_command_line(
    folders: dict[str, Path], tmp_path: Path
) -> None:
    own = tmp_path / "r.yaml"
    own.write_text("rules:\n  nope: {}\n", encoding="utf-8")
    out = CliRunner().invoke(
        cli,
        ["anomalies", "--data", str(folders["clean"]), "--period", "2026-03", "--rules", str(own)],
    )
    assert out.exit_code == 2
    assert "quy tắc không biết: nope" in out.output
