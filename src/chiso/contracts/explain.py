"""The records behind one indicator of one unit: ``chiso explain --format json``.

Records are the measure table's rows as they are (columns differ per table), dates and
times written ``YYYY-MM-DD HH:MM:SS``.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from chiso.contracts.base import Contract, omitted_when_none
from chiso.contracts.scores import IndicatorScore

Record = dict[str, Any]


class Explanation(Contract):
    """One indicator's result and the records that count in it or cost it points."""

    unit_code: str
    unit_name: str
    period: str
    indicator: str
    label: str
    description: str | None
    result: IndicatorScore | None
    records_in_denominator: int = Field(ge=0)
    costing_points: list[Record] = Field(description="records that cost points")
    counted: list[Record] = Field(description="records in the numerator")
    note: str | None = Field(
        default=None, exclude_if=omitted_when_none, description="written only when there is one"
    )
