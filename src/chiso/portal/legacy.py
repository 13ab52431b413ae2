"""Shape "legacy": the 2023–2025 ``report_tinh_766_service`` list.

``POST https://dichvucong.gov.vn/jsp/rest.jsp`` with form field ``params`` = JSON
``{"service": "report_tinh_766_service", "p_nam": "2025", "p_quy": 0, "p_thang": 0,
"p_6thang": 0, "p_tinh_id": …}`` answers a bare JSON list of rows ``ID``, ``TEN``,
``ROW_STT``, ``CKMB``, ``TDGQ``, ``TTTT``, ``CLGQ``, ``MDHL``, ``MDSH``, ``TONG_SCORE`` —
numbers often written as text (SEC, R15 ``truongquangphuc/new-766``, and other public
clients of the same service).  Its Excel exports (OBS, ``shared/realdata/dvcqg-766-exports``)
add ``TEN_COQUAN``, ``MA_COQUAN`` (``H18``; ``H01.13`` a department, ``H01.187`` a commune
of H01), ``LOAI_COQUAN`` (1 province, 2 department, 3 commune), ``CAPDONVIID`` and
``ID_COQUAN``: a list of provinces is national, a list of one province's departments or
communes is that province's.  No maxima are returned: the portal's current maxima are
used except CLGQ, read as a 10-point group (OBS: in the 10/2025 export no CLGQ exceeds 10
and 12 of 15 departments have exactly 10.00); CLGQ/TTTT are mapped as in the current API
although one legacy client labels them the other way round (UNK, see
``chiso.portal.groups``).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, RootModel, field_validator

from chiso.portal.groups import GROUPS
from chiso.portal.rows import PortalRow, PortalUnitRef
from chiso.portal.validation import validate

__all__ = ["LEGACY_MAX", "LegacyRow", "legacy_rows"]

_Score = Decimal | None
#: Group maxima of the legacy service where they differ from the current API's (OBS).
LEGACY_MAX = {"CLGQ": Decimal(10)}


class LegacyRow(BaseModel):
    """One unit row of ``report_tinh_766_service``."""

    model_config = ConfigDict(extra="ignore", frozen=True)
    ID: str | int | None = None
    TEN: str
    MA_COQUAN: str | None = None
    LOAI_COQUAN: str | int | None = None
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

    @property
    def province_level(self) -> bool:
        """A province's own row (not one of its departments or communes)."""
        code = (self.MA_COQUAN or "").strip()
        return str(self.LOAI_COQUAN or "1").strip() == "1" and "." not in code.split("H", 1)[-1]


class LegacyData(RootModel[list[LegacyRow]]):
    """The list itself (paths read ``$[3].CKMB``)."""


def _json_place(prefix: str) -> Callable[[int, str], str]:
    return lambda i, field: f"{prefix}[{i}].{field}"


def legacy_rows(
    data: Any, *, file: str, prefix: str, locate: Callable[[int, str], str] | None = None
) -> tuple[tuple[PortalRow, ...], bool]:
    """One row per unit and group present in the row; national when every row is a province.

    ``locate(i, column)`` says where row ``i``'s column is (a JSON path by default).
    """
    model = validate(LegacyData, data, file=file, prefix=prefix)
    place = locate or _json_place(prefix)
    national = all(item.province_level for item in model.root)
    rows = []
    for i, item in enumerate(model.root):
        ident = None if item.ID is None else str(item.ID)
        unit = PortalUnitRef(ident, item.MA_COQUAN or None, item.TEN)
        for code in GROUPS:
            if code in item.model_fields_set:
                maximum = LEGACY_MAX.get(code, GROUPS[code].max)
                rows.append(
                    PortalRow(unit, code, getattr(item, code), maximum, place(i, code),
                              root=national, name_at=place(i, "TEN"))
                )  # fmt: skip
    return tuple(rows), national
