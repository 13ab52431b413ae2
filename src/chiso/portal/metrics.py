"""Shape "metrics": ``transparency``, ``handling-satisfaction``, ``dossier-digitized``.

``data.overview`` is the root unit (the province), ``data.evaluation[]`` its children
(departments, communes); each carries the group's ``totalScore`` / ``totalMaxScore`` and
``metrics[]`` with ``code``, ``numerator``, ``denominator``, ``ratio`` (per cent),
``score`` and ``maxScore`` — ``null`` where a metric does not apply (SEC, R13 captures of
2026-09-26, ``ChippedTopaz/qd766`` ``tests/fixtures/{transparency,handling-satisfaction,
dossier-digitized}/*.json``, ``docs/API_CONTRACT_M0.md``).  The group is the one the
metric codes belong to (or the endpoint named in the capture).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from chiso.i18n import _
from chiso.portal.groups import METRIC_GROUPS
from chiso.portal.rows import PortalRow, PortalUnitRef
from chiso.portal.validation import portal_error, validate

__all__ = ["MetricsData", "metrics_rows"]

_EDGE = ConfigDict(extra="ignore", frozen=True)


class Metric(BaseModel):
    """One metric of a unit (``null`` survives: not applicable ≠ 0)."""

    model_config = _EDGE
    code: str
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    score: Decimal | None = Field(default=None, ge=0)
    maxScore: Decimal | None = Field(default=None, ge=0)


class Department(BaseModel):
    """A unit row of a metrics response."""

    model_config = _EDGE
    departmentId: str | None = None
    departmentCode: str | None = None
    departmentName: str
    totalScore: Decimal | None = Field(ge=0)
    totalMaxScore: Decimal | None = Field(default=None, ge=0)
    metrics: list[Metric] = []


class MetricsData(BaseModel):
    """``data`` of a metrics response."""

    model_config = _EDGE
    overview: Department
    evaluation: list[Department] = []


def _group(data: MetricsData, *, file: str, prefix: str, hinted: str | None) -> str:
    found = {METRIC_GROUPS[m.code] for m in data.overview.metrics if m.code in METRIC_GROUPS}
    if hinted is not None and found - {hinted}:
        raise portal_error(
            file,
            [_("{where}: the metric codes belong to {groups}, the endpoint to {hinted}")
             .format(where=f"{prefix}.overview.metrics", groups=", ".join(sorted(found)),
                     hinted=hinted)],
        )  # fmt: skip
    if hinted is not None:
        return hinted
    if len(found) != 1:
        codes = ", ".join(m.code for m in data.overview.metrics) or "none"
        raise portal_error(
            file,
            [
                _("{where}: cannot tell the group from the metric codes ({codes})").format(
                    where=f"{prefix}.overview.metrics", codes=codes
                )
            ],
        )
    return found.pop()


def _row(dept: Department, group: str, where: str, *, root: bool) -> PortalRow:
    unit = PortalUnitRef(dept.departmentId, dept.departmentCode, dept.departmentName)
    return PortalRow(unit, group, dept.totalScore, dept.totalMaxScore, where, root=root)


def metrics_rows(
    data: Any, *, file: str, prefix: str, group: str | None = None
) -> tuple[PortalRow, ...]:
    """The group score of the root unit and of every child row."""
    model = validate(MetricsData, data, file=file, prefix=prefix)
    code = _group(model, file=file, prefix=prefix, hinted=group)
    rows = [_row(model.overview, code, f"{prefix}.overview.totalScore", root=True)]
    for i, dept in enumerate(model.evaluation):
        rows.append(_row(dept, code, f"{prefix}.evaluation[{i}].totalScore", root=False))
    return tuple(rows)
