"""Anomaly findings of a period, per unit: ``chiso anomalies --format json`` (docs/cli.md),
and the site's twin of the page "Dữ liệu bất thường" (``/bat-thuong.json``).

A finding is a question to a unit, never a score.  Times are ISO local time
(``YYYY-MM-DD HH:MM:SS``); ``facts`` are shares rounded to 4 decimals.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from chiso.contracts.base import Contract

Severity = Literal["high", "medium", "low"]


class AnomalyRule(Contract):
    """One rule of the rule set, as run (or switched off)."""

    id: str
    enabled: bool
    severity: Severity
    title: str
    reason: str
    thresholds: dict[str, Any]
    affects: list[str] = Field(description="indicators a gamed record would move")


class FlaggedRecord(Contract):
    """A dossier (``rated_at`` null) or one rating of it."""

    dossier_code: str
    rated_at: str | None


class AnomalyFinding(Contract):
    """What one rule found in one unit: its question, how many records, the first few."""

    rule: str
    severity: Severity
    question: str
    records_are: Literal["dossiers", "ratings"]
    count: int = Field(ge=1)
    records: list[FlaggedRecord] = Field(description="the first records, by code")
    facts: dict[str, float] = Field(description="shares the question quotes")


class UnitFindings(Contract):
    """One unit's findings, severest rule first."""

    unit_code: str
    unit_name: str
    findings: list[AnomalyFinding] = Field(min_length=1)


class Anomalies(Contract):
    """Every finding of a period, by unit (units in code order)."""

    period: str
    start: str
    end: str
    rules_source: str
    rules: list[AnomalyRule]
    findings: int = Field(ge=0, description="findings in all")
    units: list[UnitFindings]


class ExplainedMark(Contract):
    """An administrator's "đã giải trình" mark of a finding."""

    note: str
    by: str
    at: str = Field(json_schema_extra={"format": "date-time"})


class MarkedFinding(AnomalyFinding):
    """A finding on the site, with its mark (null: not explained)."""

    explained: ExplainedMark | None


class MarkedUnitFindings(UnitFindings):
    """A unit's findings on the site."""

    findings: list[MarkedFinding] = Field(min_length=1)  # type: ignore[assignment]


class AnomaliesPage(Anomalies):
    """``/bat-thuong.json``: the command's document for the units in scope, each finding
    with its mark, and the count still open."""

    units: list[MarkedUnitFindings]  # type: ignore[assignment]
    open: int = Field(ge=0, description="findings not marked explained")
    period_label: str
    unit_code: str | None = Field(description="the subtree shown (null: every unit in scope)")
    can_explain: bool = Field(description="the reader may mark findings explained")
