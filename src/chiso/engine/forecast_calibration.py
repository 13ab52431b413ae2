"""Calibration of the month-end forecast's intervals on the data's own past.

The draws of :mod:`chiso.engine.forecast` leave part of the month out (dossiers in
progress finishing early or late inside the month, ratings still to come), so their
10th–90th percentiles are too narrow.  Before each forecast, the previous period is
forecast as the data stood at the same point of it (:func:`previous_instant`: same day
of the month and hour; :func:`chiso.storage.cut.as_it_stood` hides what happened later)
and compared with that period's real final score.  Each unit gives the factor by which
its interval, widened around the median on the side where the real score fell, would
just have held it; :func:`calibration` takes the ⌈0.8·(n+1)⌉-th smallest of the n
factors (split conformal prediction: the next period's units, if they behave like
these, fall inside at least 80 % of the time on average), at least :data:`FLOOR` and at
most :data:`CAP`, and :func:`widen` applies it to this
period's intervals.  With fewer than :data:`MIN_UNITS` units to compare (the data's
first period, a new province) the factor is 1: the intervals as drawn.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from fractions import Fraction
from typing import TYPE_CHECKING

from chiso.domain.periods import Period

if TYPE_CHECKING:
    from chiso.engine.forecast import Forecast

__all__ = ["CAP", "FLOOR", "MIN_UNITS", "TARGET", "Calibration", "calibration",
           "previous_instant", "widen"]  # fmt: skip

#: Share of units whose real score the calibrated intervals are to hold.
TARGET = Fraction(8, 10)
#: The factor never narrows the drawn interval …
FLOOR = Fraction(1)
#: … nor widens it more than this (a month of upheaval is not the next month's rule).
CAP = Fraction(3)
#: Units with an interval and a real score needed in the previous period; fewer: factor 1.
MIN_UNITS = 10


@dataclass(frozen=True)
class Calibration:
    """The factor the intervals are widened by, and what it was learnt from."""

    factor: Fraction
    at: datetime | None  # the instant of the previous period it was learnt at
    units: int  # units compared (with a drawn interval and a real score)
    inside: int  # of which the drawn interval held the real score

    @property
    def fallback(self) -> bool:
        """Too few units to learn from: the intervals as drawn."""
        return self.units < MIN_UNITS


def previous_instant(period: Period) -> Period:
    """The previous period judged at the same point: as far from its start as
    ``period.as_of`` is from this one's (for a month: the same day and time), on the
    hour, and as far from its end at most."""
    before = period.previous()
    at = before.start + (period.as_of - period.start)
    if at >= before.end:
        at = before.end - (period.end - period.as_of)
    at = max(before.start, at.replace(minute=0, second=0, microsecond=0))
    return replace(before, as_of=at)


def _ratio(f: Forecast, real: Fraction) -> Fraction | None:
    """How many times its half-interval (on the real score's side) the real score lies
    from the median; None without an interval."""
    if f.forecast is None or f.low is None or f.high is None:
        return None
    half = f.high - f.forecast if real >= f.forecast else f.forecast - f.low
    if half <= 0:
        return None
    return abs(real - f.forecast) / half


def calibration(
    pairs: Sequence[tuple[Forecast, Fraction | None]], at: datetime | None
) -> Calibration:
    """The factor from the previous period's forecasts and their real final scores."""
    ratios = sorted(
        r for f, real in pairs if real is not None and (r := _ratio(f, real)) is not None
    )
    inside = sum(r <= 1 for r in ratios)
    if len(ratios) < MIN_UNITS:
        return Calibration(FLOOR, at, len(ratios), inside)
    # the conformal rank: for the next period's units, drawn like these, at least
    # TARGET of them inside on average (the plain 80th percentile holds ~n/(n+1) less)
    quantile = ratios[min(math.ceil(TARGET * (len(ratios) + 1)), len(ratios)) - 1]
    return Calibration(min(max(quantile, FLOOR), CAP), at, len(ratios), inside)


def widen(f: Forecast, factor: Fraction, top: Fraction | None) -> Forecast:
    """``f`` with its interval widened ``factor`` times around the median (within 0 and
    ``top``, the best score, when known)."""
    if factor == 1 or f.forecast is None or f.low is None or f.high is None:
        return f
    low = max(Fraction(0), f.forecast - factor * (f.forecast - f.low))
    high = f.forecast + factor * (f.high - f.forecast)
    if top is not None:
        high = min(top, high)
    return replace(f, low=low, high=high)
