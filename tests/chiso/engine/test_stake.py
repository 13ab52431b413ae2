"""Points at stake weighed against the month's end (``chiso.engine.stake``).

The reference is the stake of the same month judged near its end (28/9, 12:00, on the
data as it stood then): the month then holds nearly all its records, so the "month as it
stands" figure is what one late dossier really weighs. Early in the month, and for a
month not yet begun, the month-end stake must be near it; the former figure (the month as
it stands early on) is several times it.
"""

from __future__ import annotations

import statistics
from dataclasses import replace
from datetime import date, datetime

import pytest

from chiso.domain.periods import Period
from chiso.engine.runner import Level, select_units
from chiso.engine.stake import AS_OF, MONTH_END, Stake, stakes
from chiso.spec.loader import load_index_set
from chiso.storage.cut import as_it_stood
from chiso.storage.store import Store, open_folder
from chiso.storage.unitdata import tree_of
from chiso.synth.generator import generate

INDEX = load_index_set("dienbien-459-2023")
LATE = datetime(2026, 9, 28, 12)


@pytest.fixture(scope="module")
def whole(tmp_path_factory: pytest.TempPathFactory) -> Store:
    data = tmp_path_factory.mktemp("stake") / "data"
    generate(data, dossiers=9000, start=date(2026, 5, 1), end=date(2026, 10, 1), seed=31)
    return open_folder(data, "duckdb")


def _september(whole: Store, at: datetime, method: str) -> dict[str, Stake]:
    store = as_it_stood(whole, at)
    month = Period.of_month(2026, 9, now=at)
    period = replace(month, as_of=max(at, month.start))
    units = select_units(tree_of(store), Level("all"), period)
    return stakes(store, INDEX, period, units, method=method)


@pytest.fixture(scope="module")
def reference(whole: Store) -> dict[str, float]:
    found = _september(whole, LATE, AS_OF)
    return {code: float(s.points) for code, s in found.items() if s.points > 0}


def _ratios(found: dict[str, Stake], reference: dict[str, float]) -> list[float]:
    return [
        float(s.points) / reference[code]
        for code, s in found.items()
        if s.points > 0 and code in reference
    ]


@pytest.mark.parametrize("at", [datetime(2026, 9, 2, 12), datetime(2026, 8, 28, 12)])
def test_early_or_before_the_month_the_stake_is_near_the_month_end_one(
    whole: Store, reference: dict[str, float], at: datetime
) -> None:
    """Day 2 of September, and 28/8 for a dossier due in September (not yet begun): the
    former way weighs one late dossier several times what it weighs at the month's end."""
    new = _ratios(_september(whole, at, MONTH_END), reference)
    old = _ratios(_september(whole, at, AS_OF), reference)
    assert len(new) >= 5
    assert statistics.median(old) > 3  # the former figure: inflated
    assert 0.6 < statistics.median(new) < 1.6  # within 40 % (60 % above) of the month end
    inside = sum(0.5 < r < 2 for r in new) / len(new)
    assert inside >= 0.7


def test_seeded_per_unit_and_repeatable(whole: Store) -> None:
    at = datetime(2026, 9, 10, 12)
    store = as_it_stood(whole, at)
    period = Period.of_month(2026, 9, now=at)
    units = select_units(tree_of(store), Level("all"), period)
    every = stakes(store, INDEX, period, units, draws=60)
    again = stakes(store, INDEX, period, units, draws=60)
    assert every == again
    staked = [u for u in units if every[u.unit_code].points > 0]
    one = staked[len(staked) // 2]
    alone = stakes(store, INDEX, period, [one], draws=60)[one.unit_code]
    assert alone == every[one.unit_code]  # seeded by its code, not its place in the list
    assert alone.method == MONTH_END and alone.contract().method == "month_end"
    assert alone.indicators and {"tien_do"} <= set(alone.indicators)
    nothing = [u for u in units if every[u.unit_code].points == 0]
    assert all(not every[u.unit_code].indicators for u in nothing)
