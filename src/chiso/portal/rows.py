"""What a saved portal response says, once its JSON shape is read (frozen, JSON-free)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from chiso.domain.periods import Period
from chiso.i18n import _

__all__ = ["PortalResponse", "PortalRow", "PortalUnitRef"]


@dataclass(frozen=True)
class PortalUnitRef:
    """A unit as the portal names it: its id (UUID or legacy number), code and name."""

    portal_id: str | None
    portal_code: str | None
    name: str


@dataclass(frozen=True)
class PortalRow:
    """One group score of one unit, with the JSON path it was read from."""

    unit: PortalUnitRef
    group: str  # portal group code (CKMB, TDGQ, CLGQ, TTTT, MDSH, MDHL)
    score: Decimal | None
    max_score: Decimal | None
    where: str
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    root: bool = False  # the response's own unit (overview / parent), not a child row
    name_at: str | None = None  # where the unit's name is, when not beside ``where``

    @property
    def unit_at(self) -> str:
        """Where the unit's name is: ``$.data.evaluation[3].departmentName``."""
        return self.name_at or f"{self.where.rsplit('.', 1)[0]}.departmentName"


@dataclass(frozen=True)
class PortalResponse:
    """One saved response: which shape, which period, when fetched, the rows it holds.

    ``national`` responses list every province: rows outside the unit tree are other
    provinces and are skipped rather than refused.
    """

    path: str
    shape: str  # metrics, tree, summary, legacy
    period: Period | None
    fetched_at: datetime | None
    rows: tuple[PortalRow, ...]
    national: bool = False
    #: what the file is, in the user's words (in the language of when it was read)
    what: str = field(default_factory=lambda: _("the response of the national portal (DVCQG)"))
