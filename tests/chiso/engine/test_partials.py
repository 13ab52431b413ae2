"""Partial aggregates over boundary codes give exactly what the periods cross join gives.

Random dossiers (timestamps on, just before and just after period boundaries,
or null) are scored for random periods by both paths of ``run_atoms``.
"""

from __future__ import annotations

import tempfile
from datetime import date, datetime, timedelta
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builders import make_dossier, make_procedure
from chiso.compile.compiler import Atom
from chiso.domain.periods import Period
from chiso.engine import partial_scan as partials
from chiso.engine.measures import AtomValues, run_atoms
from chiso.spec.formula import Call, parse
from chiso.storage.folder import write_tables
from chiso.storage.store import open_folder

UNITS = ["A", "B", "C"]
CLOSURE = [("A", "A"), ("B", "B"), ("C", "C"), ("A", "C"), ("B", "C")]
RECEIVED = "received_at >= period_start and received_at < period_end"
HANDLED = "received_at < period_end and (finished_at is null or finished_at >= period_start)"
DONE = "finished_at is not null and finished_at < as_of"
ON_TIME = (
    f"({DONE} and (due_at is null or finished_at <= due_at))"
    f" or (not ({DONE}) and (due_at is null or due_at >= as_of))"
)
FORMULAS = [
    (RECEIVED, "count()"),
    (RECEIVED, "count(channel == 'online')"),
    (HANDLED, f"count({ON_TIME})"),
    (HANDLED, f"count(not ({ON_TIME}))"),
    (None, "count(period_end > due_at)"),
    (None, "count(finished_at == period_start or returned_at != as_of)"),
    (None, "count(date(finished_at) <= period_end and date(due_at) > period_start)"),
    (None, "sum(case(finished_at < as_of, 2, 1), received_at <= period_start)"),
    ("finished_at >= period_start", "sum(days_between(received_at, finished_at))"),
    # These do not decompose and stay on the cross join in both runs.
    (RECEIVED, "sum(fee_amount)"),
    (None, "count(days_between(received_at, as_of) > 20)"),
    (RECEIVED, "count_distinct(procedure_code)"),
]

JAN, FEB, MAR = datetime(2026, 1, 1), datetime(2026, 2, 1), datetime(2026, 3, 1)
US = timedelta(microseconds=1)
INSTANTS = [JAN - US, JAN, JAN + US, FEB - US, FEB, FEB + US, datetime(2026, 2, 14, 12), MAR]
LIVE = datetime(2026, 2, 14, 12)


def _atoms(aggregation: str) -> list[Atom]:
    atoms = []
    for where, value in FORMULAS:
        call = parse(value)
        assert isinstance(call, Call)
        atoms.append(Atom("dossiers", aggregation, parse(where) if where else None, call))  # type: ignore[arg-type]
    return atoms


instants = st.one_of(st.none(), st.sampled_from(INSTANTS))
dossiers = st.lists(
    st.fixed_dictionaries(
        {
            "unit": st.sampled_from(UNITS),
            "received": st.sampled_from(INSTANTS),
            "finished_at": instants,
            "due_at": instants,
            "returned_at": instants,
            "channel": st.sampled_from(["online", "direct"]),
            "fee_amount": st.sampled_from([0.1, 0.2, 2.5]),
            "procedure_code": st.sampled_from(["P1", "P2"]),
        }
    ),
    max_size=25,
)
periods = st.lists(
    st.sampled_from(
        [
            Period.of_month(2026, 1),
            Period.of_month(2026, 2),
            Period.of_month(2026, 2, now=LIVE),
            Period.of_month(2026, 2, now=LIVE + US),
            Period.live(date(2026, 1, 1), FEB),
            Period.of_month(2025, 12),
        ]
    ),
    min_size=1,
    max_size=4,
)


def _nonzero(values: AtomValues) -> dict[tuple[int, str, str], Fraction]:
    return {
        (pid, unit, key): Fraction(value)
        for (pid, unit), atoms in values.items()
        for key, value in atoms.items()
        if value != 0
    }


def _both(rows: list[dict[str, Any]], chosen: list[Period], aggregation: str) -> tuple[Any, Any]:
    records = [
        make_dossier(code=f"D{i}", unit=r.pop("unit"), received=r.pop("received").isoformat(), **r)
        for i, r in enumerate(rows)
    ]
    with tempfile.TemporaryDirectory() as folder:
        procedures = [make_procedure(code="P1"), make_procedure(code="P2", has_fee=False)]
        write_tables(Path(folder), {"dossiers": records, "procedures": procedures})
        store = open_folder(Path(folder))
        kwargs: dict[str, Any] = {"unit_codes": UNITS, "closure": CLOSURE, "competence": {}}
        atoms = _atoms(aggregation)
        fast = run_atoms(store, atoms, chosen, **kwargs)
        slow = run_atoms(store, atoms, chosen, partials=False, **kwargs)
    return _nonzero(fast), _nonzero(slow)


@pytest.mark.parametrize("aggregation", ["own", "subtree"])
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=dossiers, chosen=periods, chunk=st.sampled_from([1, 2, partials.PERIOD_CHUNK]))
def test_partial_aggregates_equal_the_periods_cross_join(
    aggregation: str, rows: list[dict[str, Any]], chosen: list[Period], chunk: int
) -> None:
    default, partials.PERIOD_CHUNK = partials.PERIOD_CHUNK, chunk  # periods recombined at once
    try:
        fast, slow = _both(rows, chosen, aggregation)
    finally:
        partials.PERIOD_CHUNK = default
    assert fast == slow


def test_a_dossier_received_exactly_at_a_boundary_counts_in_the_later_month() -> None:
    rows = [{"unit": "A", "received": FEB, "finished_at": None, "due_at": None}]
    chosen = [Period.of_month(2026, 1), Period.of_month(2026, 2)]
    fast, slow = _both(rows, chosen, "own")
    received = f"dossiers | own | (({RECEIVED.replace(' and ', ') and (')})) | count()"
    assert fast[(1, "A", received)] == 1
    assert (0, "A", received) not in fast
    assert fast == slow
