"""Findings per unit: each rule's flagged records counted per unit, a few of them listed.

A finding is a question to a unit (the rule's title with the count), never a score: no
finding changes a point.  :func:`find_anomalies` runs every enabled rule as one query for
the counts and one for the first records of each unit (``limit`` per unit, by code).
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import ibis

from chiso.anomalies.queries import flagged
from chiso.anomalies.rules import QUESTIONED, RATING_RULES, RULE_IDS, Rule, RuleSet, Severity
from chiso.contracts.anomalies import Anomalies, AnomalyFinding, AnomalyRule, UnitFindings
from chiso.contracts.anomalies import FlaggedRecord as FlaggedRecordDoc
from chiso.domain.calendar import HolidayCalendar
from chiso.domain.periods import Period
from chiso.spec.canonical import IndexSet
from chiso.spec.reads import indicators_reading
from chiso.storage.store import Store

__all__ = ["AnomalyReport", "Finding", "FlaggedRecord", "affected_indicators", "find_anomalies"]

_SEVERITY_ORDER = {Severity.HIGH: 0, Severity.MEDIUM: 1, Severity.LOW: 2}


@dataclass(frozen=True)
class FlaggedRecord:
    """A dossier (``rated_at`` None) or one rating of it."""

    dossier_code: str
    rated_at: datetime | None = None

    def contract(self) -> FlaggedRecordDoc:
        """Its JSON contract (time in ISO local time, or null)."""
        rated = self.rated_at.isoformat(sep=" ") if self.rated_at else None
        return FlaggedRecordDoc(dossier_code=self.dossier_code, rated_at=rated)


@dataclass(frozen=True)
class Finding:
    """What one rule found in one unit."""

    rule: Rule
    unit_code: str
    count: int
    records: tuple[FlaggedRecord, ...]
    facts: dict[str, float] = field(default_factory=dict)

    @property
    def question(self) -> str:
        """The rule's question with this finding's count and facts."""
        facts = {"share": "", "province_share": ""}
        facts.update({k: _percent(v) for k, v in self.facts.items()})
        return self.rule.question(count=self.count, **facts)

    @property
    def kind(self) -> str:
        """``ratings`` or ``dossiers``: what the records are."""
        return "ratings" if self.rule.id in RATING_RULES else "dossiers"

    def contract(self) -> AnomalyFinding:
        """Its JSON contract (:class:`chiso.contracts.anomalies.AnomalyFinding`)."""
        return AnomalyFinding(
            rule=self.rule.id,
            severity=self.rule.severity.value,
            question=self.question,
            records_are="ratings" if self.kind == "ratings" else "dossiers",
            count=self.count,
            records=[r.contract() for r in self.records],
            facts={k: round(v, 4) for k, v in self.facts.items()},
        )


def _percent(value: float) -> str:
    return f"{value * 100:.1f}".replace(".", ",")


@dataclass(frozen=True)
class AnomalyReport:
    """Every finding of a period, by unit; ``seconds`` each rule's query time."""

    period: Period
    rules: RuleSet
    findings: list[Finding]
    seconds: dict[str, float]

    def contract(
        self,
        names: Mapping[str, str] | None = None,
        affects: Mapping[str, list[str]] | None = None,
    ) -> Anomalies:
        """The documented JSON of ``chiso anomalies`` (docs/cli.md) as its contract
        (:class:`chiso.contracts.anomalies.Anomalies`): the rules run, and per unit its
        findings (``names``: unit names; ``affects``: indicators per rule)."""
        names, affects = names or {}, affects or {}
        return Anomalies(
            period=self.period.code,
            start=self.period.start.isoformat(sep=" "),
            end=self.period.end.isoformat(sep=" "),
            rules_source=self.rules.source,
            rules=[
                AnomalyRule(
                    id=r.id,
                    enabled=r.enabled,
                    severity=r.severity.value,
                    title=r.title,
                    reason=r.reason,
                    thresholds=r.threshold_values(),
                    affects=affects.get(r.id, []),
                )
                for r in self.rules.rules.values()
            ],
            findings=len(self.findings),
            units=[
                UnitFindings(
                    unit_code=code,
                    unit_name=names.get(code, code),
                    findings=[f.contract() for f in found],
                )
                for code, found in self.by_unit().items()
            ],
        )

    def to_json(
        self,
        names: Mapping[str, str] | None = None,
        affects: Mapping[str, list[str]] | None = None,
    ) -> dict[str, Any]:
        """:meth:`contract` as plain JSON."""
        return self.contract(names, affects).dump()

    def by_unit(self) -> dict[str, list[Finding]]:
        """Findings grouped by unit code (units in code order, severest rule first)."""
        out: dict[str, list[Finding]] = {}
        for finding in sorted(self.findings, key=_order):
            out.setdefault(finding.unit_code, []).append(finding)
        return out


def _order(f: Finding) -> tuple[str, int, int]:
    return (f.unit_code, _SEVERITY_ORDER[f.rule.severity], RULE_IDS.index(f.rule.id))


def affected_indicators(rule: Rule, index_set: IndexSet) -> list[str]:
    """Ids of the indicators of ``index_set`` whose formulas read a column ``rule``
    questions (a gamed record would move them), in the index set's order."""
    ids: dict[str, None] = {}
    for table, column in QUESTIONED[rule.id]:
        for indicator in indicators_reading(index_set, table, column):
            ids[indicator.code] = None
    order = [i.code for i in index_set.indicators]
    return sorted(ids, key=order.index)


def find_anomalies(
    store: Store,
    period: Period,
    rules: RuleSet,
    *,
    units: set[str] | None = None,
    limit: int = 20,
    calendar: HolidayCalendar | None = None,
) -> AnomalyReport:
    """Run every enabled rule over ``period`` (``units``: only these units' findings)."""
    findings: list[Finding] = []
    seconds: dict[str, float] = {}
    for rule in rules.enabled():
        began = time.perf_counter()
        findings.extend(_rule_findings(store, rule, period, units, limit, calendar))
        seconds[rule.id] = time.perf_counter() - began
    return AnomalyReport(period, rules, findings, seconds)


def _rule_findings(
    store: Store,
    rule: Rule,
    period: Period,
    units: set[str] | None,
    limit: int,
    calendar: HolidayCalendar | None,
) -> list[Finding]:
    rows = flagged(store, rule, period.start, period.end, calendar)
    if units is not None:
        rows = rows.filter(rows.unit_code.isin(sorted(units)))
    facts = [c for c in ("share", "province_share") if c in rows.columns]
    counts = rows.group_by("unit_code").aggregate(
        count=rows.count(), **{c: rows[c].max() for c in facts}
    )
    rank = ibis.row_number().over(
        group_by=rows.unit_code, order_by=[rows.dossier_code, rows.rated_at]
    )
    shown = rows.mutate(rank=rank).filter(lambda t: t["rank"] < limit)
    examples: dict[str, list[FlaggedRecord]] = {}
    picked = store.to_pyarrow(shown.select("unit_code", "dossier_code", "rated_at", "rank"))
    for row in sorted(picked.to_pylist(), key=lambda r: (r["unit_code"], r["rank"])):
        examples.setdefault(row["unit_code"], []).append(
            FlaggedRecord(row["dossier_code"], row["rated_at"])
        )
    return [
        Finding(
            rule=rule,
            unit_code=row["unit_code"],
            count=int(row["count"]),
            records=tuple(examples.get(row["unit_code"], ())),
            facts={c: float(row[c]) for c in facts if row[c] is not None},
        )
        for row in store.to_pyarrow(counts).to_pylist()
    ]
