"""The data-quality report: problem counts per unit and the rows that break the balances."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from builders import make_dossier, make_procedure
from chiso.cli import cli
from chiso.domain.periods import parse_period
from chiso.ingest.quality import quality
from chiso.storage.folder import write_tables
from chiso.storage.store import open_folder

UNIT = "03181"


def build(folder: Path) -> Path:
    dossiers = [
        # on time (due day), early, late: finished = early + on time + late holds
        make_dossier(code="A", unit=UNIT, received="2026-10-01T08:00", due_at="2026-10-05T17:00",
                     finished_at="2026-10-05T09:00", receiving_point=UNIT),
        make_dossier(code="B", unit=UNIT, received="2026-10-01T08:00", due_at="2026-10-05T17:00",
                     finished_at="2026-10-02T09:00", receiving_point="ttpvhcc-11"),
        make_dossier(code="C", unit=UNIT, received="2026-10-01T08:00", due_at="2026-10-05T17:00",
                     finished_at="2026-10-07T09:00"),
        # carried over from September, still open
        make_dossier(code="D", unit=UNIT, received="2026-09-20T08:00", due_at="2026-10-25T17:00",
                     status="processing"),
        # status says finished but no finish date: breaks the handled balance
        make_dossier(code="E", unit=UNIT, received="2026-10-03T08:00", due_at="2026-10-08T17:00",
                     status="finished"),
        # finished without a due date: cannot be classified early/on time/late
        make_dossier(code="F", unit=UNIT, received="2026-10-03T08:00",
                     finished_at="2026-10-04T08:00"),
        # an online dossier of a procedure that is not online, fee without payment
        make_dossier(code="G", unit=UNIT, received="2026-10-03T08:00", due_at="2026-10-08T17:00",
                     finished_at="2026-10-04T08:00", procedure_code="P-OFF", channel="online",
                     fee_amount=50000, payment="none"),
        # outside the period: finished in September
        make_dossier(code="H", unit=UNIT, received="2026-09-01T08:00", due_at="2026-09-05T17:00",
                     finished_at="2026-09-02T08:00"),
    ]  # fmt: skip
    procedures = [make_procedure(), make_procedure(code="P-OFF", online_level="none")]
    write_tables(folder, {"dossiers": dossiers, "procedures": procedures})
    return folder


def test_it_counts_the_balance_parts_and_each_problem(tmp_path: Path) -> None:
    rows, breaking = quality(open_folder(build(tmp_path)), parse_period("2026-10"))
    (row,) = rows
    assert row.counts == {
        "handled": 7, "carried_over": 1, "received": 6, "finished": 5, "finished_by_status": 6,
        "in_progress": 2, "early": 2, "on_time": 1, "late": 1, "received_elsewhere": 1,
    }  # fmt: skip
    assert row.problems == {
        "status_without_finish": 1, "missing_due": 1, "online_not_offered": 1, "fee_unpaid": 1,
    }  # fmt: skip
    assert row.broken == {"handled": 1, "finished": 1}
    reasons = {(r["dossier_code"], r["reason"]) for r in breaking}
    assert reasons == {
        ("E", "status_without_finish"),
        ("F", "finished"),
        ("G", "online_not_offered"),
    }


def test_the_quality_command_prints_the_table_and_the_rows(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["quality", "--data", str(build(tmp_path)), "--period", "2026-10"]
    )
    assert result.exit_code == 0, result.output
    assert "Lệch cân đối" in result.output
    assert "E: trạng thái đã giải quyết nhưng không có ngày hoàn thành" in result.output
    # B was received at the province's centre: counted for the unit, said once
    assert "UBND xã Mường Tùng: 1 hồ sơ tiếp nhận tại nơi khác" in result.output  # UNIT by name
