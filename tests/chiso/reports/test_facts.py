"""Fees, digitisation and late dossiers counted from a real DuckDB store."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from builders import make_dossier, make_procedure
from chiso.domain.periods import Period
from chiso.reports.facts import count_digitisation, count_fees, count_late, facts_from_store
from chiso.storage.folder import write_tables
from chiso.storage.store import Store, open_folder

NOV = Period.of_month(2024, 11)
NAMES = {"A": "UBND xã A", "B": "UBND xã B"}


@pytest.fixture
def store(tmp_path: Path) -> Store:
    procedures = [
        make_procedure(code="HT", field="Hộ tịch", has_fee=True),
        make_procedure(code="DD", field="Đất đai", has_fee=True),
        make_procedure(code="CT", field="Chứng thực", has_fee=False),
    ]
    d = make_dossier
    dossiers = [
        d(code="1", unit="A", received="2024-11-04 08:00", procedure_code="HT", fee_amount=8000,
          payment="online", components_digitized=True, finished_at="2024-11-05 09:00",
          due_at="2024-11-06 17:00", result_digitized=True),
        d(code="2", unit="A", received="2024-11-05 08:00", procedure_code="DD", fee_amount=50000,
          payment="direct", finished_at="2024-11-20 09:00", due_at="2024-11-12 17:00"),
        d(code="3", unit="A", received="2024-11-06 08:00", procedure_code="HT", fee_amount=None,
          payment="none", components_digitized=True, status="processing",
          due_at="2024-11-15 17:00"),
        d(code="4", unit="A", received="2024-11-07 08:00", procedure_code="CT", payment="none"),
        d(code="5", unit="B", received="2024-10-30 08:00", procedure_code="HT", fee_amount=8000,
          payment="online", finished_at="2024-11-02 09:00", due_at="2024-11-01 17:00",
          result_digitized=True),
        d(code="6", unit="C", received="2024-11-04 08:00", procedure_code="HT", payment="online"),
        # On time by its dates, but two supplement requests: late under QĐ 766/459.
        d(code="7", unit="D", received="2024-11-08 08:00", procedure_code="DD", payment="none",
          finished_at="2024-11-12 09:00", due_at="2024-11-20 17:00", supplement_count=2),
        # Late by its dates and with two requests: counted once, as finished late.
        d(code="8", unit="D", received="2024-11-08 08:00", procedure_code="HT", payment="none",
          finished_at="2024-11-22 09:00", due_at="2024-11-20 17:00", supplement_count=3),
    ]  # fmt: skip
    write_tables(tmp_path, {"procedures": procedures, "dossiers": dossiers})
    return open_folder(tmp_path)


def test_fees_count_fee_bearing_dossiers_received_in_the_period_by_payment(store: Store) -> None:
    a, b = count_fees(store, NOV, NAMES)
    assert (a.unpaid, a.direct, a.online) == ((1, 0), (1, 50000), (1, 1, 8000))
    assert (a.procedures, a.dossiers, a.amount, a.online_rate) == (2, 3, 58000, Fraction(1, 3))
    # B's only dossier was received in October: no fee dossier in November.
    assert (b.dossiers, b.online_rate) == (0, None)


def test_digitisation_counts_intake_and_results_separately(store: Store) -> None:
    a, b = count_digitisation(store, NOV, NAMES)
    assert (a.received, a.components, a.finished, a.results) == (4, 2, 2, 1)
    assert (b.received, b.components, b.finished, b.results) == (0, 0, 1, 1)
    assert a.components_rate == Fraction(1, 2) and b.components_rate is None


def test_late_dossiers_split_finished_late_from_pending_past_due_by_field(store: Store) -> None:
    rows = count_late(store, NOV, ["A", "B", "D"])
    counts = [(r.unit_code, r.field, r.finished_late, r.pending_late, r.supplement_over)
              for r in rows]  # fmt: skip
    assert counts == [
        ("A", "Hộ tịch", 0, 1, 0),
        ("A", "Đất đai", 1, 0, 0),
        ("B", "Hộ tịch", 1, 0, 0),
        ("D", "Hộ tịch", 1, 0, 0),
        ("D", "Đất đai", 0, 0, 1),
    ]


def test_facts_from_a_store_without_procedures_have_no_fee_table(tmp_path: Path) -> None:
    write_tables(tmp_path, {"dossiers": [make_dossier(code="1", unit="A", received="2024-11-04")]})
    facts = facts_from_store(open_folder(tmp_path), NOV, NAMES)
    assert facts.fees is None
    assert facts.digitisation is not None and facts.digitisation[0].received == 1
