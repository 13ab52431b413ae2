"""Recall and precision of every rule on injected data, false alarms on clean data, speed.

The ground truth is the side file :data:`chiso.synth.inject.INJECTED_FILE`.  Records are
dossiers (by code) or ratings (by code and time); ``due_rush`` asks units, so it is
measured on units: the units it asks against the units injected.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from chiso.anomalies.queries import flagged
from chiso.anomalies.rules import RATING_RULES, RuleSet, load_rules
from chiso.storage.store import Store, open_folder
from chiso.synth.inject import read_injected

__all__ = ["RuleScore", "RuleTime", "measure", "rule_seconds"]

UNIT_RULES = frozenset({"due_rush"})


@dataclass(frozen=True)
class RuleScore:
    """One rule on one folder: what was injected, what it found, what both share."""

    rule: str
    injected: int
    found: int
    hits: int

    @property
    def recall(self) -> float | None:
        """Share of the injected records found (None: nothing injected)."""
        return self.hits / self.injected if self.injected else None

    @property
    def precision(self) -> float | None:
        """Share of the records found that were injected (None: nothing found)."""
        return self.hits / self.found if self.found else None

    def to_json(self) -> dict[str, Any]:
        """JSON object."""
        return {
            "rule": self.rule,
            "injected": self.injected,
            "found": self.found,
            "hits": self.hits,
            "recall": self.recall,
            "precision": self.precision,
        }


def _key(rule: str, row: dict[str, Any]) -> tuple[str, ...]:
    if rule in UNIT_RULES:
        return (str(row["unit_code"]),)
    if rule in RATING_RULES:
        rated = row["rated_at"]
        text = rated.isoformat(sep=" ") if isinstance(rated, datetime) else str(rated)
        return (str(row["dossier_code"]), text[:19])
    return (str(row["dossier_code"]),)


def measure(
    store: Store, folder: Path, start: datetime, end: datetime, rules: RuleSet | None = None
) -> list[RuleScore]:
    """Every enabled rule over ``[start, end)`` against the folder's ground truth."""
    chosen = rules or load_rules()
    truth = read_injected(folder).to_dict("records")
    scores = []
    for rule in chosen.enabled():
        expected = {_key(rule.id, r) for r in truth if r["rule"] == rule.id}
        rows = store.to_pyarrow(flagged(store, rule, start, end)).to_pylist()
        found = {_key(rule.id, r) for r in rows}
        scores.append(RuleScore(rule.id, len(expected), len(found), len(found & expected)))
    return scores


@dataclass(frozen=True)
class RuleTime:
    """One rule's best query time: wall clock and the CPU time of the process (every
    DuckDB thread), which a machine shared with other work does not inflate."""

    wall: float
    cpu: float


def rule_seconds(
    folder: Path, start: datetime, end: datetime, *, repeat: int = 1
) -> dict[str, RuleTime]:
    """Each enabled rule's query time over the folder (best of ``repeat``; a fresh store,
    so the first read of the files counts in the first rule only)."""
    store = open_folder(folder, cubes=False)
    out: dict[str, RuleTime] = {}
    for rule in load_rules().enabled():
        best = RuleTime(float("inf"), float("inf"))
        for _ in range(repeat):
            wall, cpu = time.perf_counter(), time.process_time()
            store.to_pyarrow(flagged(store, rule, start, end).count().as_table())
            took = RuleTime(time.perf_counter() - wall, time.process_time() - cpu)
            best = RuleTime(min(best.wall, took.wall), min(best.cpu, took.cpu))
        out[rule.id] = best
    return out


def period_of(first: date, stop: date) -> tuple[datetime, datetime]:
    """The instants of ``[first, stop)`` days."""
    return datetime.combine(first, datetime.min.time()), datetime.combine(stop, datetime.min.time())
