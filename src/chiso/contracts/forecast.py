"""A unit's month-end forecast: ``chiso forecast --format json`` (docs/forecast.md), and
the unit twin's ``forecast`` (null outside a running month).

Scores are exact values rounded half-up to 6 decimals; ``low``–``high`` is the 80 %
interval.
"""

from __future__ import annotations

from pydantic import Field

from chiso.contracts.base import Contract


class MonthEnd(Contract):
    """The month's end score with its interval, and the score so far."""

    forecast: float | None
    low: float | None
    high: float | None
    so_far: float | None
    in_progress: int = Field(ge=0, description="dossiers still being processed")


class UnitForecast(Contract):
    """One unit's forecast (a row of ``chiso forecast --format json``)."""

    unit_code: str
    name: str
    so_far: float | None
    forecast: float | None
    low: float | None
    high: float | None
    in_progress: int = Field(ge=0)
    expected_intake: float = Field(description="dossiers expected by the month's end")

    def month_end(self) -> MonthEnd:
        """What the unit page shows of it."""
        return MonthEnd.model_validate(self.model_dump(include=set(MonthEnd.model_fields)))


class Forecasts(Contract):
    """``chiso forecast --format json``: every unit's forecast for the running period."""

    period: str
    as_of: str = Field(description="the instant the forecast is made at (ISO 8601)")
    units: list[UnitForecast]
