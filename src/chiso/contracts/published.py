"""A published snapshot's unit: what the public sees of a unit (``/cong-khai/``).

Fields are a whitelist: a model here forbids any other key, so a field added to the
engine's scores later (a note, a dossier sample) never leaks into a publication.  The
public ranking's rows are the snapshot's units without their indicators, with the
previous published month and the change.
"""

from __future__ import annotations

from pydantic import ConfigDict, Field

from chiso.contracts.base import CLASS_IN, Contract
from chiso.contracts.rows import NO_DATA_RULE, GroupPoints, NoDataRule, Previous

CLOSED = ConfigDict(extra="forbid", json_schema_extra=NO_DATA_RULE)


class PublishedIndicator(Contract):
    """One indicator of a published unit: points, maximum, and its label."""

    model_config = ConfigDict(extra="forbid")

    code: str
    group: str
    points: float | None
    max: float
    applicable: bool
    label: str


class PublishedRow(NoDataRule):
    """What every published row of a unit has: names, scores, class, rank, group points.

    ``has_data`` comes first, as the public twins always wrote it; snapshots published
    before it existed lack it, and every unit of those had data (the default)."""

    model_config = CLOSED

    has_data: bool = Field(
        default=True, description="false: no score, class or rank (missing in older snapshots)"
    )
    unit_code: str
    name: str
    kind: str | None
    total: float | None
    max: float | None
    converted: float | None
    grade: str | None = Field(validation_alias=CLASS_IN, serialization_alias="class")
    class_label: str | None
    rank: int | None
    tied: bool
    groups: dict[str, GroupPoints]


class PublishedUnit(PublishedRow):
    """A unit of a publication's snapshot (and of the public unit page)."""

    model_config = CLOSED

    indicators: list[PublishedIndicator]


class PublicRankedUnit(PublishedRow):
    """A row of the public ranking: the snapshot's unit with the previous published month
    and the change of converted score."""

    model_config = CLOSED

    previous: Previous | None
    change: float | None
