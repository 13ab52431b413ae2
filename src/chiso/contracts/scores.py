"""The scores of one index set for one period: ``chiso scores --format json``.

Numbers are JSON numbers: exact values (points, rates, totals) rounded half-up to 6
decimals, ``converted`` rounded as the index set says.  A unit without data that the
index set leaves unscored has no total, converted score, class or rank (null).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from chiso.contracts.base import CLASS_IN, Contract, omitted_when_empty, omitted_when_none

Source = Literal["computed", "manual", "reported"]


class IndicatorScore(Contract):
    """One indicator of one unit: the measure's parts, the rate and the points."""

    code: str
    group: str
    numerator: float | None
    denominator: float | None
    rate: float | None
    points: float | None = Field(description="null when not applicable or not entered")
    max: float
    applicable: bool
    source: Source
    note: str | None = Field(
        default=None, exclude_if=omitted_when_none, description="written only when there is one"
    )
    quality_flag: str | None = Field(
        default=None,
        exclude_if=omitted_when_none,
        description="data-quality caveat of the score (the index set's quality_flag);"
        " written only when there is one",
    )


class UnitScore(Contract):
    """One unit's scored row: total, converted score, class, rank and indicators."""

    unit_code: str
    name: str
    kind: str | None
    has_data: bool
    total: float | None
    max: float | None
    converted: float | None = Field(description="rounded as the index set says")
    converted_exact: float | None
    grade: str | None = Field(validation_alias=CLASS_IN, serialization_alias="class")
    class_label: str | None
    rank: int | None = Field(ge=1)
    tied: bool
    block_rank: int | None = Field(
        default=None,
        ge=1,
        exclude_if=omitted_when_none,
        description="rank among the departments or among the communes, when the index set"
        " ranks blocks; written only then",
    )
    quality_flags: list[str] = Field(
        default_factory=list,
        exclude_if=omitted_when_empty,
        description="data-quality caveats of the unit's scored indicators; written only"
        " when there are some",
    )
    indicators: list[IndicatorScore]


class Rounding(Contract):
    """How converted scores are rounded."""

    mode: Literal["truncate", "half_up"]
    decimals: int


class Scores(Contract):
    """The scores document: every unit of the index set in the period, ranked."""

    index_set: str
    index_set_version: int
    period: str
    period_label: str
    scale: float
    rounding: Rounding
    units: list[UnitScore]
