"""Dossiers about to go late and what they put at stake: the library's due list
(``chiso.engine.due``), the points one more late dossier costs a unit
(``chiso.engine.stake``), and the site's twin of the page "Sắp quá hạn"
(``/sap-qua-han.json``).

Times are ISO local time (``YYYY-MM-DD HH:MM:SS``); points are exact values rounded
half-up to 6 decimals.  Codes (``channel``) are written with their label beside.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from chiso.contracts.base import Contract


class DueDossier(Contract):
    """One unfinished dossier and how many working days it has left (0: due today)."""

    dossier_code: str
    unit_code: str
    procedure_code: str
    channel: str | None
    received_at: str
    due_at: str
    working_days_left: int = Field(ge=0)
    procedure_name: str | None
    field: str | None = Field(description="the procedure's field (lĩnh vực)")
    supplement_count: int | None = Field(
        description="supplement requests: more than one makes it late whatever is done"
    )


class Stake(Contract):
    """The points one more late dossier costs a unit in a period, total and by indicator."""

    unit_code: str
    period: str
    points: float
    indicators: dict[str, float]
    method: Literal["month_end", "as_of"] = Field(
        default="month_end",
        description="weighed against the month's end (the median of the month-end"
        " forecast's draws) or against the month as it stands at the clock",
    )


class StakeIndicator(Contract):
    """An indicator a late dossier would cost points, with its label."""

    code: str
    label: str
    points: float


class DueRow(DueDossier):
    """A row of "Sắp quá hạn": the dossier, its unit's name, its channel's label and
    what it costs its unit if it goes late (0: nothing more, it counts late already)."""

    unit_name: str
    channel_label: str
    points_at_stake: float
    points_text: str = Field(description="the points as the page writes them")
    stake_indicators: list[StakeIndicator]


class DuePage(Contract):
    """``/sap-qua-han.json``: dossiers due within ``days`` working days from ``now``."""

    now: str
    days: int = Field(ge=1, le=10)
    unit_code: str | None = Field(description="the subtree listed (null: every unit in scope)")
    index_set: str
    index_set_label: str
    sort: str = Field(description="how the rows are sorted: a key of ``sorts``")
    sorts: dict[str, str] = Field(description="every way to sort, with its label")
    field: str | None
    fields: list[str] = Field(description="the fields (lĩnh vực) of the listed dossiers")
    procedure: str | None
    count: int = Field(ge=0)
    dossiers: list[DueRow]
