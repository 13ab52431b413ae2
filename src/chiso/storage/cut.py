"""The data as it stood at an earlier instant: a store whose tables hide what happened
later (the forecast's calibration on the previous month, :mod:`chiso.engine.forecast`,
and its backtest, :mod:`chiso.bench_forecast`).

Records received at or after the instant are dropped (dossiers, petitions, ratings by
their ``rated_at``); a dossier's finish and return at or after it are undone (its result
then not digitised), a petition's answer likewise.  Other tables are as they are.
"""

from __future__ import annotations

from datetime import datetime

import ibis
import ibis.expr.types as ir

from chiso.storage.cache import CACHE
from chiso.storage.store import Store

__all__ = ["as_it_stood"]


def _before(column: ir.TimestampColumn, at: datetime) -> ir.TimestampValue:
    return ibis.ifelse(column < at, column, ibis.null("timestamp"))  # type: ignore[no-any-return]


def as_it_stood(store: Store, at: datetime) -> Store:
    """``store`` as it stood at ``at`` (one view per store and instant: a cut of a cut is
    the cut of the original at the earlier instant, so what is derived from them is kept
    under the same keys of :data:`chiso.storage.cache.CACHE`)."""
    origin: tuple[Store, datetime] | None = CACHE.get((store.version, "cut-of", store.source))
    base, earlier = origin if origin is not None else (store, at)
    at = min(at, earlier)
    found: Store | None = CACHE.get((base.version, "cut", base.source, at))
    if found is not None:
        return found

    def dossiers(t: ir.Table) -> ir.Table:
        t = t.filter(t.received_at < at)
        return t.mutate(
            finished_at=_before(t.finished_at, at),
            returned_at=_before(t.returned_at, at),
            result_digitized=ibis.ifelse(t.finished_at < at, t.result_digitized, False),
        )

    def petitions(t: ir.Table) -> ir.Table:
        t = t.filter(t.received_at < at)
        return t.mutate(handled_at=_before(t.handled_at, at))

    def ratings(t: ir.Table) -> ir.Table:
        return t.filter(t.rated_at < at)

    cut = base.derived(
        f"{base.source}@{at.isoformat()}",
        {"dossiers": dossiers, "petitions": petitions, "ratings": ratings},
    )
    CACHE.put((base.version, "cut-of", cut.source), (base, at))
    return CACHE.put((base.version, "cut", base.source, at), cut)
