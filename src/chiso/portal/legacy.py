"""Shape "legacy": the 2023–2025 ``report_tinh_766_service`` list.

``POST https://dichvucong.gov.vn/jsp/rest.jsp`` with form field ``params`` = JSON
``{"service": "report_tinh_766_service", "p_nam": "2025", "p_quy": 0, "p_thang": 0,
"p_6thang": 0, "p_tinh_id": …}`` answers a bare JSON list of rows ``ID``, ``TEN``,
``ROW_STT``, ``CKMB``, ``TDGQ``, ``TTTT``, ``CLGQ``, ``MDHL``, ``MDSH``, ``TONG_SCORE`` —
numbers often written as text (SEC, R15 ``truongquangphuc/new-766``, and other public
clients of the same service).  No maxima are returned: the portal's current maxima are
used, and CLGQ/TTTT are read as in the current API although one legacy client labels them
the other way round (UNK, see ``chiso.portal.groups``).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, RootModel, field_validator

from chiso.portal.groups import GROUPS
from chiso.portal.rows import PortalRow, PortalUnitRef
from chiso.portal.validation import validate

__all__ = ["LegacyRow", "legacy_rows"]

_Score = Decimal | None


class LegacyRow(BaseModel):
    """One unit row of ``report_tinh_766_service``."""

    model_config = ConfigDict(extra="ignore", frozen=True)
    ID: str | int | None = None
    TEN: str
    CKMB: _Score = Field(default=None, ge=0)
    TDGQ: _Score = Field(default=None, ge=0)
    CLGQ: _Score = Field(default=None, ge=0)
    TTTT: _Score = Field(default=None, ge=0)
    MDSH: _Score = Field(default=None, ge=0)
    MDHL: _Score = Field(default=None, ge=0)

    @field_validator("CKMB", "TDGQ", "CLGQ", "TTTT", "MDSH", "MDHL", mode="before")
    @classmethod
    def _blank_is_null(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value


class LegacyData(RootModel[list[LegacyRow]]):
    """The list itself (paths read ``$[3].CKMB``)."""


def legacy_rows(data: Any, *, file: str, prefix: str) -> tuple[PortalRow, ...]:
    """One row per unit and group present in the row."""
    model = validate(LegacyData, data, file=file, prefix=prefix)
    rows = []
    for i, item in enumerate(model.root):
        ident = None if item.ID is None else str(item.ID)
        unit = PortalUnitRef(ident, None, item.TEN)
        for code in GROUPS:
            if code in item.model_fields_set:
                where = f"{prefix}[{i}].{code}"
                score = getattr(item, code)
                rows.append(PortalRow(unit, code, score, GROUPS[code].max, where, root=True))
    return tuple(rows)
