"""A unit's row as the site shows it: the scores plus group points, the previous
month and the change (the dashboard's ranking and unit pages, their JSON twins).

On the site ``has_data`` false means the unit is shown without a score: no total,
converted score, class, rank or change (docs/web.md).  The rule is checked when a row
is built and written in the schema as an ``if``/``then``.
"""

from __future__ import annotations

from typing import Any, Self

from pydantic import ConfigDict, Field, model_validator

from chiso.contracts.base import CLASS_IN, Contract
from chiso.contracts.scores import UnitScore

#: what a row without data has none of (JSON keys)
NO_SCORE = ("total", "converted", "class", "class_label", "rank", "change")
NO_DATA_RULE: dict[str, Any] = {
    "if": {"properties": {"has_data": {"const": False}}},
    "then": {"properties": {key: {"type": "null"} for key in NO_SCORE}},
}


class GroupPoints(Contract):
    """Points and maximum of one indicator group (no points: the unit is not scored)."""

    model_config = ConfigDict(extra="forbid")

    points: float | None
    max: float | None


class Previous(Contract):
    """The unit in the previous month: converted score, class, rank."""

    converted: float | None = None
    grade: str | None = Field(default=None, validation_alias=CLASS_IN, serialization_alias="class")
    rank: int | None = None


class NoDataRule(Contract):
    """A row whose ``has_data`` is false carries no score (:data:`NO_SCORE`)."""

    model_config = ConfigDict(json_schema_extra=NO_DATA_RULE)

    @model_validator(mode="after")
    def _no_score_without_data(self) -> Self:
        if getattr(self, "has_data", True) is False:
            dumped = self.model_dump(by_alias=True)
            scored = [k for k in NO_SCORE if dumped.get(k) is not None]
            if scored:
                raise ValueError(f"a unit without data has no {', '.join(scored)}")
        return self


class RankedUnit(UnitScore, NoDataRule):
    """A unit of the dashboard's ranking (and of its unit page): the scores document's
    unit with its group points, the previous month and the change of converted score."""

    model_config = ConfigDict(json_schema_extra=NO_DATA_RULE)

    groups: dict[str, GroupPoints]
    previous: Previous | None
    change: float | None
