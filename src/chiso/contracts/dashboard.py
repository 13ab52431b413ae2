"""The dashboard's pages and their JSON twins: the ranking (``/xep-hang.json``), a unit's
page (``/don-vi/<code>.json``), the records behind one indicator
(``/don-vi/<code>/chi-so/<indicator>.json``) and the administrator's overview
(``/tong-quan.json``), docs/web.md.

The site builds each page's document with these models; the HTML page renders the
same document.  A unit's row is :class:`chiso.contracts.rows.RankedUnit`; the indicator
page extends ``chiso explain --format json``; the unit twin carries ``chiso plan`` and
the month-end forecast.  Times are ISO local time to the minute (``YYYY-MM-DD HH:MM``).
"""

from __future__ import annotations

from pydantic import ConfigDict, Field

from chiso.contracts.base import CLASS_IN, Contract
from chiso.contracts.explain import Explanation, ProgressCode
from chiso.contracts.forecast import MonthEnd
from chiso.contracts.plan import Plan
from chiso.contracts.rows import RankedUnit
from chiso.contracts.scores import IndicatorScore


class GroupHead(Contract):
    """One indicator group of the index set: the short label is the chart axis's."""

    code: str
    label: str
    short_label: str
    max: float


class GradeBand(Contract):
    """One class of the index set and the converted score it starts at (null: the rest)."""

    grade: str
    label: str
    min: float | None


class GradeCount(Contract):
    """How many scored units a class holds."""

    grade: str
    label: str
    count: int = Field(ge=0)


class BlockRank(Contract):
    """A unit's rank among its ranking block's units (null: without data)."""

    model_config = ConfigDict(extra="forbid")  # the public twins publish it closed

    unit_code: str
    rank: int | None
    tied: bool


class RankingBlock(Contract):
    """One ranking block (cơ quan chuyên môn; xã, phường): its units ranked among
    themselves."""

    model_config = ConfigDict(extra="forbid")  # the public twins publish it closed

    code: str
    label: str
    kinds: list[str] = Field(description="the unit kinds the block holds")
    units: list[BlockRank]


class RankingPage(Contract):
    """``/xep-hang.json``: the period's ranking of the units the reader may see."""

    index_set: str
    index_set_name: str
    index_set_label: str
    period: str
    period_label: str
    has_data: bool = Field(description="the period has data for the units shown")
    units_with_data: int = Field(ge=0)
    previous_period: str | None
    previous_period_label: str | None
    as_of: str
    level: str = Field(description="the level filter: all, or one ranking block's")
    subtree: str | None = Field(description="the unit whose subtree is shown (null: all)")
    scale: float
    data_version: str
    groups: list[GroupHead]
    bands: list[GradeBand]
    distribution: list[GradeCount]
    view: str = Field(description="blocks: each block ranked within itself; list: one list")
    units: list[RankedUnit]
    blocks: list[RankingBlock] = Field(description="empty for one list")


class UnitIndicator(IndicatorScore):
    """An indicator on the unit page: the score with its labels, what it lost and
    whether its records can be listed."""

    label: str
    short_label: str
    group_label: str
    description: str | None
    lost: float | None = Field(description="maximum - points; null when not applicable")
    explainable: bool = Field(description="the records behind it can be listed")


class UnitRow(RankedUnit):
    """The unit page's row: the ranking's row with each indicator's labels."""

    indicators: list[UnitIndicator]  # type: ignore[assignment]


class UnitBlock(Contract):
    """The unit's rank among the units of its ranking block."""

    code: str
    label: str
    rank: int | None
    tied: bool
    ranked: int = Field(ge=0, description="units ranked in the block")


class LostIndicator(Contract):
    """An indicator that lost points."""

    code: str
    label: str
    lost: float
    explainable: bool


class LostGroup(Contract):
    """Points lost in one group, with its indicators that lost points (most first)."""

    code: str
    label: str
    lost: float
    indicators: list[LostIndicator]


class TrendMonth(Contract):
    """The unit's converted score, class and rank in one month of the year."""

    period: str
    label: str
    converted: float | None
    grade: str | None = Field(validation_alias=CLASS_IN, serialization_alias="class")
    rank: int | None
    shown: str = Field(description="the month as the chart writes it")


class TrendGap(Contract):
    """A month the unit has no row in (it did not exist yet)."""

    period: str
    shown: str


class UnitPage(Contract):
    """A unit's page: its row, every indicator, its block, what it lost, its trend."""

    block: UnitBlock | None = Field(description="null outside the ranking blocks")
    lost_by_group: list[LostGroup]
    index_set: str
    index_set_name: str
    index_set_label: str
    period: str
    period_label: str
    has_data: bool
    as_of: str
    data_version: str
    groups: list[GroupHead]
    unit: UnitRow
    trend: list[TrendMonth | TrendGap] = Field(description="each month of the year to date")
    received_elsewhere: int = Field(
        ge=0, description="the unit's dossiers another unit or centre received"
    )
    received_elsewhere_label: str


class UnitTwin(UnitPage):
    """``/don-vi/<code>.json``: the page with ``chiso plan`` for the unit (docs/plan.md)
    and the running month's end score with its 80 % interval (docs/forecast.md)."""

    plan: Plan
    forecast: MonthEnd | None = Field(description="null outside a running month")


class IndicatorPage(Explanation):
    """``/don-vi/<code>/chi-so/<indicator>.json``: ``chiso explain --format json`` with
    the records' columns and their labels."""

    columns: list[str]
    in_numerator: float | None
    period_label: str
    column_labels: dict[str, str]
    receiving_point_names: dict[str, str] = Field(
        description="the unit name of each receiving point in the records, by code"
    )
    index_set: str
    limit: int = Field(ge=1, description="records listed at most per list")
    progress: ProgressCode | None = Field(
        default=None, description="the ``progress`` filter: only records in that state"
    )
    progress_labels: dict[str, str] = Field(
        default_factory=dict,
        description="the states the filter offers, by code (none for records without a due time)",
    )
    procedure: str | None = Field(
        default=None, description="the ``procedure`` filter: text in the procedure's code or name"
    )


class Mover(Contract):
    """A unit whose converted score moved since the previous period."""

    unit_code: str
    name: str
    converted: float | None
    grade: str | None = Field(validation_alias=CLASS_IN, serialization_alias="class")
    class_label: str | None
    rank: int | None
    change: float
    previous_rank: int | None


class Movers(Contract):
    """The units that rose most and fell most."""

    up: list[Mover]
    down: list[Mover]


class UnitName(Contract):
    """A unit by code and name."""

    unit_code: str
    name: str


class ImportWaiting(Contract):
    """An upload waiting to be checked or confirmed."""

    id: int
    table: str
    username: str
    status: str
    status_label: str
    created_at: str


class ImportsWaiting(Contract):
    """The uploads waiting, and the latest of them."""

    count: int = Field(ge=0)
    runs: list[ImportWaiting]


class ReportWaiting(Contract):
    """A report job queued or running."""

    id: int
    unit_name: str
    period: str
    status: str
    status_label: str
    created_at: str


class ReportsWaiting(Contract):
    """The report jobs waiting, and the latest of them."""

    count: int = Field(ge=0)
    jobs: list[ReportWaiting]


class PeriodName(Contract):
    """A period by code and label."""

    period: str
    period_label: str


class Overview(Contract):
    """``/tong-quan.json``: the administrator's landing page."""

    index_set: str
    index_set_label: str
    period: str
    period_label: str
    previous_period: str | None
    previous_period_label: str | None
    as_of: str
    has_data: bool
    units: int = Field(ge=0)
    units_with_data: int = Field(ge=0)
    distribution: list[GradeCount]
    movers: Movers
    without_data: list[UnitName]
    imports_waiting: ImportsWaiting
    reports_waiting: ReportsWaiting
    unpublished: list[PeriodName] = Field(description="closed months not yet published")
