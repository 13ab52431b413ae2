"""Data integrity: records that look gamed or broken, as questions to the unit (issue #18).

Rules are data (``chiso/data/anomalies.yaml``, :mod:`chiso.anomalies.rules`), each a query
over the canonical tables (:mod:`chiso.anomalies.queries`); :func:`find_anomalies` gathers
the findings per unit.  Findings inform a reviewer; they never change a score.
"""

from __future__ import annotations

from chiso.anomalies.findings import AnomalyReport, Finding, FlaggedRecord, find_anomalies
from chiso.anomalies.rules import RULE_IDS, Rule, RuleSet, Severity, load_rules

__all__ = [
    "RULE_IDS",
    "AnomalyReport",
    "Finding",
    "FlaggedRecord",
    "Rule",
    "RuleSet",
    "Severity",
    "find_anomalies",
    "load_rules",
]
