"""The report checker: recompute a received report and list its inconsistencies.

``check_report(path)`` reads the report (:mod:`chiso.ingest.scores.document`),
recomputes every score row (:mod:`chiso.checks.rows`), the fee and
digitisation annexes (:mod:`chiso.checks.statistics`) and the narrative's
counts and lists (:mod:`chiso.checks.narrative`, :mod:`chiso.checks.lists`),
and returns :class:`~chiso.checks.findings.Finding` objects, each with its
location and the correct value.
"""

from __future__ import annotations

from chiso.checks.findings import Finding
from chiso.checks.report import CheckResult, check_report

__all__ = ["CheckResult", "Finding", "check_report"]
