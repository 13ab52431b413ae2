"""Shape "summary": the national ``service-results`` endpoint (one row per province).

``POST /api/v1/reporting/evaluation/service-results`` (payload ``timeType``, ``year``,
``month``/``quarter``, ``departmentType: ADMINISTRATIVE_UNIT``) returns ``data.overview``
("Cả nước", the national average) and ``data.evaluation[]``: 34 provinces, each with
``departmentId``, ``departmentName``, ``departmentCode`` (``H18`` = Điện Biên),
``totalScore``, ``scoreDelta`` and ``groupScores`` ``{CKMB, TDGQ, CLGQ, TTTT, MDHL,
MDSH}`` as numbers (SEC: R13 ``ChippedTopaz/qd766`` ``src/qd766/national_summary.py``;
R14 ``hauphanquoc/766-Analyze`` ``src/provinceCollector.js`` and
``data/provinces/2026-10-06.json``).  Group maxima are not in the response: the
portal's 18/20/12/10/22/18 are used.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from chiso.portal.groups import GROUPS
from chiso.portal.rows import PortalRow, PortalUnitRef
from chiso.portal.validation import validate

__all__ = ["SummaryData", "summary_rows"]


class Province(BaseModel):
    """One province row of ``service-results``."""

    model_config = ConfigDict(extra="ignore", frozen=True)
    departmentId: str | None = None
    departmentCode: str | None = None
    departmentName: str
    totalScore: Decimal | None = Field(default=None, ge=0)
    groupScores: dict[str, Decimal | None]

    @field_validator("groupScores")
    @classmethod
    def _known_groups(cls, value: dict[str, Decimal | None]) -> dict[str, Decimal | None]:
        unknown = sorted(set(value) - set(GROUPS))
        if unknown:
            raise ValueError(
                f"unknown group code(s) {', '.join(unknown)} (known: {', '.join(GROUPS)})"
            )
        negative = sorted(k for k, v in value.items() if v is not None and v < 0)
        if negative:
            raise ValueError(f"negative score for {', '.join(negative)}")
        return value


class SummaryData(BaseModel):
    """``data`` of ``service-results``."""

    model_config = ConfigDict(extra="ignore", frozen=True)
    evaluation: list[Province]


def summary_rows(data: Any, *, file: str, prefix: str) -> tuple[PortalRow, ...]:
    """One row per province and group."""
    model = validate(SummaryData, data, file=file, prefix=prefix)
    rows = []
    for i, province in enumerate(model.evaluation):
        unit = PortalUnitRef(
            province.departmentId, province.departmentCode, province.departmentName
        )
        for code, score in province.groupScores.items():
            where = f"{prefix}.evaluation[{i}].groupScores.{code}"
            rows.append(PortalRow(unit, code, score, GROUPS[code].max, where, root=True))
    return tuple(rows)
