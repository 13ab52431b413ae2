"""A unit's weekly digest ("Bản tin tuần"): the site's ``/ban-tin.json`` and the e-mail's
content (docs/web.md, "Bản tin tuần").

The week ends at the clock (``chiso.domain.clock.now``) and starts seven days before.
Scores are the index set's rounded converted scores; points are exact values rounded
half-up to 6 decimals; instants are ISO local time (naive Vietnam time, like the data).
"""

from __future__ import annotations

from pydantic import Field

from chiso.contracts.base import CLASS_IN, Contract
from chiso.contracts.forecast import MonthEnd


class DigestScore(Contract):
    """The unit's score of the month at one instant, and its rank among every unit."""

    period: str
    period_label: str
    as_of: str = Field(description="the instant the month is judged at")
    converted: float | None
    grade: str | None = Field(validation_alias=CLASS_IN, serialization_alias="class")
    class_label: str | None
    rank: int | None = Field(ge=1)
    ranked: int = Field(ge=0, description="units with a rank")
    block_label: str | None = Field(description="the ranking block ranked in (null: all units)")


class DigestAction(Contract):
    """One action of the plan to the next class (``chiso plan``)."""

    text: str
    records: int = Field(ge=0)
    points: float


class DigestDossier(Contract):
    """An unfinished dossier due in the coming week and the points its unit loses if this
    one dossier goes late (``chiso.engine.stake``; 0: it counts late whatever is done)."""

    dossier_code: str
    procedure_name: str | None
    due_at: str
    working_days_left: int
    points_at_stake: float


class DigestFinding(Contract):
    """An anomaly finding of the month (``chiso anomalies``): its question, how many records."""

    rule: str
    severity: str
    question: str
    count: int = Field(ge=1)
    explained: bool


class Digest(Contract):
    """One unit's digest of the week ending at ``week_end``."""

    unit_code: str
    unit_name: str
    index_set: str
    index_set_label: str
    week_start: str
    week_end: str
    now: DigestScore
    week_ago: DigestScore | None = Field(description="null: the unit had no score then")
    change: float | None = Field(description="converted score now minus a week ago")
    rank_change: int | None = Field(description="positive: the unit moved up")
    next_class: str | None = Field(description="the class the plan reaches (or keeps)")
    keep: bool = Field(description="the class is at risk: the plan keeps it")
    points_needed: float = Field(ge=0)
    reachable: bool
    actions: list[DigestAction]
    forecast: MonthEnd | None = Field(description="null outside a running month")
    due: list[DigestDossier]
    due_days: int = Field(ge=1, description="working days the due list looks ahead")
    findings: list[DigestFinding]
