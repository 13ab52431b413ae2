"""One inconsistency found in a received report, with its location and correct value."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from chiso.domain.rounding import format_vn
from chiso.i18n import N_, _

__all__ = ["Finding", "Level", "vn"]

Level = Literal["error", "warning"]

#: How a person reads a finding's level and kind (the codes stay in the JSON output).
LEVELS = {"error": N_("error"), "warning": N_("warning")}
KINDS = {
    "total": N_("total"),
    "converted": N_("converted score"),
    "class": N_("class"),
    "count": N_("count"),
    "list": N_("list"),
    "late": N_("late dossiers"),
    "fee": N_("fees"),
    "digitisation": N_("digitisation"),
    "naming": N_("unit name"),
    "ocr": N_("scanned text"),
    "maximum": N_("maximum"),
    "unreadable": N_("unreadable"),
}


def vn(value: Decimal | int | None, decimals: int | None = None) -> str:
    """A number in Vietnamese format ("98,21"); integers without decimals."""
    if value is None:
        return "-"
    if decimals is None and isinstance(value, Decimal):
        exponent = value.normalize().as_tuple().exponent
        decimals = max(0, -exponent) if isinstance(exponent, int) else 0
    return format_vn(value, decimals=decimals)


@dataclass(frozen=True)
class Finding:
    """An inconsistency: ``error`` (the document contradicts itself) or ``warning``.

    Attributes:
        kind: what was checked (``total``, ``converted``, ``class``, ``count``,
            ``list``, ``late``, ``fee``, ``digitisation``, ``naming``, ``ocr``…).
        where: location: line or paragraph, table row and column.
        printed, correct: the printed value and the correct one, when they are values.
    """

    level: Level
    kind: str
    where: str
    message: str
    printed: str | None = None
    correct: str | None = None

    @property
    def kind_label(self) -> str:
        """What was checked, as a person reads it ("điểm quy đổi"); an unknown kind as is."""
        return _(KINDS[self.kind]) if self.kind in KINDS else self.kind

    def render(self) -> str:
        """One line: location, level, message, printed and correct values."""
        values = ""
        if self.printed is not None or self.correct is not None:
            values = _(" (printed {printed}; correct {correct})").format(
                printed=self.printed or "-", correct=self.correct or "-"
            )
        level = _(LEVELS[self.level])
        kind = self.kind_label
        return f"{self.where}: {level} [{kind}] {self.message}{values}"
