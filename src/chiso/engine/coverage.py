"""Which units have data in a period: the one rule every score, report and page takes.

Under the index sets' zero-denominator rules a unit without a single dossier still
scores (e.g. 82,35, class "Tốt" under QĐ 459), so a score does not say there was
anything to score.  The rule (``docs/index-set-reference.md``, ``units_without_data``):

* the **period is active** for the scored units when at least one of their dossiers
  (counted as the index set counts them: own, or pooled over the subtree) was received
  or finished in it — a month before the data, or a future month, is not (no gate when
  ``dossiers`` is not evidence);
* a **unit has data** when one of its indicators counts, in its denominator, at least one
  record of an evidence table (``dossiers``, ``petitions``, ``ratings``, ``assessments``)
  in an active period, or takes its value from a received report (``reported``) or from a
  manual value entered for the period (``manual``), as the index set's evidence says.

Unless the index set scores them (``units_without_data.scored``), a unit without data has
no converted score, class or rank (:func:`chiso.engine.totals.finish_unit`); the units
with data are ranked among themselves and the others follow in Vietnamese name order
(:func:`chiso.engine.totals.ranked`).  The test is a few attribute reads per unit; the
activity count is one more atom of the dossier scan (stored with its cubes).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence

from chiso.compile.compiler import Atom
from chiso.domain.periods import Period
from chiso.engine.evaluate import Exact
from chiso.engine.results import IndicatorResult
from chiso.spec.canonical import IndexSet
from chiso.spec.formula import Call, parse
from chiso.storage.store import Store

RECORD_TABLES = frozenset({"dossiers", "petitions", "ratings", "assessments"})
#: How a unit without data is shown instead of its score.
NO_DATA = "Chưa có dữ liệu"
_RECEIVED_OR_FINISHED = (
    "(received_at >= period_start and received_at < period_end)"
    " or (finished_at is not null and finished_at >= period_start and finished_at < period_end)"
)
_ACTIVITY = parse(f"count({_RECEIVED_OR_FINISHED})")
assert isinstance(_ACTIVITY, Call)


def activity_atom(index_set: IndexSet) -> Atom | None:
    """The count of dossiers received or finished in the period, per unit (None: the
    index set has no period gate).  Pooled when any indicator is."""
    if "dossiers" not in index_set.data_evidence:
        return None
    pooled = any(i.aggregation == "subtree" for i in index_set.indicators)
    return Atom("dossiers", "subtree" if pooled else "own", None, _ACTIVITY)  # type: ignore[arg-type]


def dossiers_in(store: Store, period: Period) -> int:
    """How many dossiers of the whole store were received or finished in the period."""
    t = store.table("dossiers")
    received = (t.received_at >= period.start) & (t.received_at < period.end)
    finished = (t.finished_at >= period.start) & (t.finished_at < period.end)
    counted = t.filter(received | finished).count().as_table()
    return int(store.to_pyarrow(counted).column(0)[0].as_py())


@functools.lru_cache(maxsize=32)
def _evidence(index_set: IndexSet) -> tuple[frozenset[str], bool, bool]:
    """The codes of indicators whose denominator counts records of an evidence table, and
    whether reported and manual values count (made once per index set content)."""
    tables = index_set.data_evidence & RECORD_TABLES
    codes = frozenset(
        i.code
        for i in index_set.indicators
        if i.denominator is not None and i.denominator.table in tables
    )
    evidence = index_set.data_evidence
    return codes, "reported" in evidence, "manual" in evidence


def has_data(
    index_set: IndexSet, indicators: Iterable[IndicatorResult], *, active: bool = True
) -> bool:
    """Whether a unit's indicators show data for the period (``active``: the period is)."""
    counted, reported, manual = _evidence(index_set)
    for ind in indicators:
        source = ind.source
        if source == "reported":
            if reported:
                return True
        elif source == "manual":
            if manual and ind.points is not None:
                return True
        elif active and ind.code in counted and ind.denominator:
            return True
    return False


def active_periods(
    index_set: IndexSet,
    values: Mapping[tuple[int, str], Mapping[str, Exact]],
    units: Sequence[Sequence[str]],
) -> list[bool]:
    """Per period (by index): whether the period is active for its units (``units``:
    their codes per period), from the activity atom's values per (period index, unit)."""
    atom = activity_atom(index_set)
    if atom is None:
        return [True] * len(units)
    key = atom.key
    none: Mapping[str, Exact] = {}
    return [
        any(values.get((pid, code), none).get(key) for code in codes)
        for pid, codes in enumerate(units)
    ]
