"""What it takes for one unit to reach the next class: ``chiso plan --format json``
(docs/plan.md), and the unit twin's ``plan``.

Scores and points are exact values rounded half-up to 6 decimals.  ``next_class`` null:
the unit is at the top class already (or has no data).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from chiso.contracts.base import Contract


class PlanAction(Contract):
    """Change ``records`` records by one lever (or a province value): ``points`` more."""

    indicator: str
    records: int = Field(ge=0)
    points: float
    description: str
    lever: str
    controls: Literal["unit", "province"]
    indicators: dict[str, float] = Field(description="points by indicator the action moves")


class Plan(Contract):
    """One unit's plan to its next class by the period's end."""

    unit_code: str
    name: str
    period: str
    current: float | None = Field(description="the score now")
    current_class: str | None
    baseline: float | None = Field(description="the score at the period end if nothing is done")
    baseline_class: str | None
    next_class: str | None
    keep: bool = Field(description="the class is at risk: the plan keeps it")
    points_needed: float = Field(ge=0)
    reachable: bool
    actions: list[PlanAction]
    province: list[PlanAction] = Field(description="what only the province controls")
    after: float | None = Field(description="the score once every action is made")
    after_class: str | None
    exact: bool = Field(description="false: a lever changes records unequally (average used)")
