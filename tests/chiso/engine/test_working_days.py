"""``working_days(a, b)`` in formulas: a calendar-table join, equal on every engine.

Golden values are counted by hand on the 2026 calendar (Tết off 14/02–22/02, Saturdays
and Sundays off, làm bù Saturday 10/01); random dossiers around Tết and the month ends are
checked against ``HolidayCalendar.working_days_between`` on both paths of ``run_atoms``.
"""

from __future__ import annotations

import tempfile
from datetime import date, datetime, time
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builders import make_dossier, make_procedure
from chiso.compile.compiler import Atom
from chiso.domain.calendar import HolidayCalendar
from chiso.domain.periods import Period
from chiso.domain.records import MEASURE_TABLES, PERIOD_VARIABLES
from chiso.engine.measures import run_atoms
from chiso.spec.formula import Call, FormulaError, parse
from chiso.spec.typecheck import aggregate_type
from chiso.storage.folder import write_tables
from chiso.storage.store import Store, open_folder

ENGINES = [
    pytest.param("duckdb", id="duckdb"),
    pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
    pytest.param("pyspark", id="pyspark", marks=pytest.mark.spark),
]
SPENT = "sum(working_days(received_at, coalesce(finished_at, as_of)))"
SPENT_CASE = "sum(working_days(received_at, case(finished_at is null, as_of, finished_at)))"
SLOW = "count(working_days(received_at, finished_at) > 3)"
NOT_LATE = "count(not (working_days(due_at, coalesce(finished_at, as_of)) > 0))"
SINCE_START = "sum(working_days(period_start, date(received_at)))"
FORMULAS = [SPENT, SPENT_CASE, SLOW, NOT_LATE, SINCE_START]
FEBRUARY = Period.of_month(2026, 2)
CAL = HolidayCalendar.default()


def _dossier(code: str, received: datetime, finished: datetime | None, due: datetime | None) -> Any:
    return make_dossier(
        code=code, unit="A", received=received.isoformat(), finished_at=finished, due_at=due
    )


GOLDEN_ROWS = [
    # Fri 13/02 → Tue 24/02: Tết 14–22/02 off, so Mon 23 and Tue 24 → 2; due Fri 20/02 (a Tết
    # day) → finished 24/02: 23, 24 → 2 late days.
    _dossier("D1", datetime(2026, 2, 13, 9), datetime(2026, 2, 24, 10), datetime(2026, 2, 20, 17)),
    # Tue 10/02, unfinished at as_of = 01/03 00:00: 11, 12, 13, 23–27/02 → 8; due 12/02 → 6 late.
    _dossier("D2", datetime(2026, 2, 10, 9), None, datetime(2026, 2, 12, 17)),
    # Fri 27/02 → Mon 02/03: the Monday → 1; no due date: null, so "not late" is true.
    _dossier("D3", datetime(2026, 2, 27, 9), datetime(2026, 3, 2, 8), None),
    # Mon 02/02 → Fri 06/02: 3, 4, 5, 6 → 4 (> 3: slow); finished before due: not late.
    _dossier("D4", datetime(2026, 2, 2, 9), datetime(2026, 2, 6, 16), datetime(2026, 2, 9, 17)),
]
# period_start 01/02 (Sunday) → received: D1 13/02: 2–6, 9–13 → 10; D2 10/02 → 7;
# D3 27/02: 10 + 23–27 → 15; D4 02/02 → 1.
GOLDEN = {SPENT: 15, SPENT_CASE: 15, SLOW: 1, NOT_LATE: 2, SINCE_START: 33}


def _atoms() -> list[Atom]:
    atoms = []
    for formula in FORMULAS:
        call = parse(formula)
        assert isinstance(call, Call)
        atoms.append(Atom("dossiers", "own", None, call))
    return atoms


def _values(store: Store, periods: list[Period], *, partials: bool) -> list[dict[str, Fraction]]:
    atoms = _atoms()
    found = run_atoms(
        store, atoms, periods, unit_codes=["A"], closure=[("A", "A")], competence={},
        partials=partials,
    )  # fmt: skip
    pairs = list(zip(FORMULAS, atoms, strict=True))
    cells = [found.get((i, "A"), {}) for i in range(len(periods))]
    return [{f: Fraction(cell.get(a.key, 0)) for f, a in pairs} for cell in cells]


def _store(folder: Path, rows: list[Any], backend: str = "duckdb") -> Store:
    write_tables(folder, {"dossiers": rows, "procedures": [make_procedure()]})
    return open_folder(folder, backend)  # type: ignore[arg-type]


@pytest.mark.parametrize("partials", [True, False], ids=["partials", "cross-join"])
@pytest.mark.parametrize("engine", ENGINES)
def test_golden_working_days(engine: str, partials: bool, tmp_path: Path) -> None:
    store = _store(tmp_path, GOLDEN_ROWS, engine)
    assert _values(store, [FEBRUARY], partials=partials) == [GOLDEN]


def _wd(a: datetime | None, b: datetime | None) -> int | None:
    if a is None or b is None or a.year < 2000 or b.year < 2000:
        return None  # outside the calendar table: null
    return CAL.working_days_between(a.date(), b.date())


def _reference(rows: list[dict[str, Any]], period: Period) -> dict[str, Fraction]:
    out = dict.fromkeys(FORMULAS, Fraction(0))
    for r in rows:
        received, finished, due = r["received_at"], r["finished_at"], r["due_at"]
        spent = _wd(received, finished or period.as_of)
        out[SPENT] += spent or 0
        out[SPENT_CASE] += spent or 0
        out[SLOW] += (_wd(received, finished) or 0) > 3
        late = _wd(due, finished or period.as_of)
        out[NOT_LATE] += late is None or late <= 0
        out[SINCE_START] += _wd(period.start, received) or 0
    return out


DAYS = [date(2026, 1, d) for d in (2, 3, 9, 10, 31)] + [
    date(2026, 2, d) for d in (1, 2, 13, 14, 20, 23, 28)
] + [date(2026, 3, 1), date(2026, 3, 2), date(1999, 12, 31)]  # fmt: skip
instants = st.builds(
    datetime.combine, st.sampled_from(DAYS), st.sampled_from([time(0), time(16, 30)])
)
maybe = st.one_of(st.none(), instants)
dossiers = st.lists(st.tuples(instants, maybe, maybe), max_size=12)
periods = st.lists(
    st.sampled_from([
        Period.of_month(2026, 1), FEBRUARY, Period.of_month(2026, 2, now=datetime(2026, 2, 20, 9)),
        Period.live(date(2026, 1, 1), datetime(2026, 2, 14, 12)),
    ]),
    min_size=1, max_size=3,
)  # fmt: skip


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=dossiers, chosen=periods)
def test_working_days_equal_the_calendar_on_both_paths(
    rows: list[tuple[datetime, datetime | None, datetime | None]], chosen: list[Period]
) -> None:
    records = [_dossier(f"R{i}", *r) for i, r in enumerate(rows)]
    with tempfile.TemporaryDirectory() as folder:
        store = _store(Path(folder), records)
        fast = _values(store, chosen, partials=True)
        slow = _values(store, chosen, partials=False)
    expected = [_reference(records, p) for p in chosen]
    assert fast == expected
    assert slow == expected


@pytest.mark.parametrize(
    ("formula", "message"),
    [
        ("sum(working_days(received_at, fee_amount))", "takes two dates or timestamps"),
        ("sum(working_days(received_at))", "takes 2 argument"),
        ("count(working_days(due_at, coalesce(finished_at, as_of) ) > 0)", None),
        ("count(working_days(received_at, received_at) > 0)", None),
    ],
)
def test_working_days_arguments_are_checked(formula: str, message: str | None) -> None:
    columns = {**MEASURE_TABLES["dossiers"], **PERIOD_VARIABLES}
    if message is None:
        aggregate_type(parse(formula), columns)
        return
    with pytest.raises(FormulaError, match=message):
        aggregate_type(parse(formula), columns)
