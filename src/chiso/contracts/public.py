"""The citizens' JSON twins (``/cong-khai/``, docs/web-publication.md): the public
ranking (``/cong-khai/xep-hang.json``), a unit's public page
(``/cong-khai/don-vi/<code>.json``) and the open-data catalogue
(``/cong-khai/du-lieu.json``).

Every document is read from stored publication snapshots, never from live scores.
Snapshots published before a field existed lack it: such a field has a default, the value
the public pages always gave it, so an older snapshot still serves and validates.  The
one such field is a unit's ``has_data`` (snapshots before it: every unit had data),
:class:`chiso.contracts.published.PublishedRow`.  The documents always write every key.
"""

from __future__ import annotations

from typing import Literal

from pydantic import AliasChoices, Field

from chiso.contracts.base import CLASS_IN, Contract
from chiso.contracts.dashboard import GradeBand, GradeCount, RankingBlock
from chiso.contracts.published import PublicRankedUnit, PublishedUnit

MONTH = r"^[0-9]{4}-[0-9]{2}$"


class PublicVersion(Contract):
    """One published version of a month: what the public may know of it (no account
    names)."""

    index_set: str
    period: str = Field(pattern=MONTH)
    period_label: str
    version: int = Field(ge=1)
    version_status: Literal["published", "superseded"] = Field(
        description="published: the version in force; superseded: a newer one replaced it"
    )
    published_at: str = Field(description="ISO local time to the minute")
    note: str = Field(description="why the version was published (empty for the first)")


class PublicGroup(Contract):
    """One indicator group of the published index set."""

    code: str
    label: str


class PublicHead(PublicVersion):
    """What the ranking and unit twins share: the version shown and the snapshot's
    index set, scale, groups, classes and class distribution."""

    index_set_name: str
    current: bool = Field(description="the version shown is the one in force")
    as_of: str
    scale: float
    groups: list[PublicGroup]
    bands: list[GradeBand]
    distribution: list[GradeCount]


class PublicMonth(Contract):
    """A published month of the index set."""

    period: str = Field(pattern=MONTH)
    period_label: str


class PublicIndexSet(Contract):
    """An index set with publications and its latest published month."""

    index_set: str
    index_set_name: str
    period: str = Field(pattern=MONTH)
    period_label: str
    version: int = Field(ge=1)


class PublicSeries(Contract):
    """A unit's converted score in each published month (null: no row or no data)."""

    name: str
    converted: list[float | None]


class PublicTrend(Contract):
    """The trend chart: every unit's converted score in every published month."""

    periods: list[str]
    labels: list[str]
    units: dict[str, PublicSeries] = Field(description="by unit code, sorted by name")


class PublicRanking(PublicHead):
    """``/cong-khai/xep-hang.json``: the ranking of one published version, with changes
    since the previous published month."""

    previous_period: str | None
    units: list[PublicRankedUnit]
    blocks: list[RankingBlock]
    versions: list[PublicVersion] = Field(description="every version of the month, newest first")
    months: list[PublicMonth] = Field(description="the index set's published months")
    index_sets: list[PublicIndexSet]
    trend: PublicTrend


class PublicTrendMonth(Contract):
    """A unit in one published month (the version in force): score, class, rank."""

    period: str
    label: str
    version: int = Field(ge=1)
    converted: float | None
    grade: str | None = Field(validation_alias=CLASS_IN, serialization_alias="class")
    class_label: str | None
    rank: int | None


class PublicUnitPage(PublicHead):
    """``/cong-khai/don-vi/<code>.json``: one unit's published row (groups and
    indicators) and its trend across published months."""

    unit: PublishedUnit
    units_ranked: int = Field(ge=0, description="units with a rank in the version")
    versions: list[PublicVersion] = Field(description="every version of the month, newest first")
    trend: list[PublicTrendMonth]


class CsvColumn(Contract):
    """A column of the open-data CSV and what it holds."""

    name: str
    meaning: str


class OpenDataSnapshot(PublicVersion):
    """A published version with the addresses of its CSV and JSON."""

    index_set_name: str
    csv: str
    json_address: str = Field(
        validation_alias=AliasChoices("json", "json_address"), serialization_alias="json"
    )


class OpenDataCatalogue(Contract):
    """``/cong-khai/du-lieu.json``: every published version of every index set, newest
    month first, with the licence and the CSV's columns."""

    licence: str
    licence_url: str
    csv_columns: list[CsvColumn]
    snapshots: list[OpenDataSnapshot]
