"""Dossier codes (mã hồ sơ): what a code says about where and when a dossier was received.

Two shapes are read:

* **provincial** — ``000.00.30.H18-260101-0001``: the receiving agency's electronic ID
  (four dot-separated parts, the last ``Hnn`` = the province's portal code), the day of
  reception ``YYMMDD`` and the day's sequence number (the shape of the provincial
  one-stop systems' exports and of the push API's examples);
* **central** (khoản 3 Điều 13 TT 03/2025/TT-VPCP as added by Điều 23 TT 04/2025/TT-VPCP,
  from 25/01/2026) — ``MX1X2.Y1Y2Y3.Z1Z2-YYMMDD-AAXXXX``: the agency's electronic ID
  (a letter, then 2, 3 and 2 digits), the reception day, 2 digits of the central system
  owner's electronic ID and a daily sequence of at least 4 digits.

The code tells where a dossier was **received**; since 1/7/2025 (NĐ 118/2025) a dossier
may be received at any centre of the province, while the index counts it for the
**competent** unit (``unit_code``), so the receiving agency is never taken for the unit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from chiso.errors import UserError
from chiso.i18n import _

__all__ = ["AGENCY_PATTERN", "CodeKind", "DossierCode", "parse_dossier_code"]


class CodeKind(StrEnum):
    """Which rule the code follows."""

    PROVINCIAL = "provincial"
    CENTRAL = "central"


_PROVINCIAL_AGENCY = r"\d{3}\.\d{2}\.\d{2}\.H\d{2}"  # ends in the province's portal code
_CENTRAL_AGENCY = r"[A-Z]\d{2}\.\d{3}\.\d{2}"
_PROVINCIAL = re.compile(rf"^(?P<agency>{_PROVINCIAL_AGENCY})-(?P<day>\d{{6}})-(?P<seq>\d{{4,}})$")
_CENTRAL = re.compile(
    rf"^(?P<agency>{_CENTRAL_AGENCY})-(?P<day>\d{{6}})-(?P<system>\d{{2}})(?P<seq>\d{{4,}})$"
)
#: Both shapes in one pattern, for reading a whole column at once
#: (``pyarrow.compute.extract_regex``): the receiving agency is the group ``provincial``
#: or ``central``, whichever matched.
AGENCY_PATTERN = (
    rf"^(?:(?P<provincial>{_PROVINCIAL_AGENCY})-\d{{6}}-\d{{4,}}"
    rf"|(?P<central>{_CENTRAL_AGENCY})-\d{{6}}-\d{{6,}})$"
)


@dataclass(frozen=True)
class DossierCode:
    """The parts of a dossier code."""

    code: str
    kind: CodeKind
    receiving_agency: str
    received_on: date
    sequence: int
    province: str | None = None  # portal code (H18) of a provincial code
    system: str | None = None  # the central system owner's two digits (TT 04/2025)


def _day(text: str, code: str) -> date:
    try:
        return date(2000 + int(text[:2]), int(text[2:4]), int(text[4:]))
    except ValueError:
        raise UserError(
            _("dossier code “{code}”: “{text}” is not a day (year, month, day: YYMMDD)").format(
                code=code, text=text
            ),
            hint=_("check the receiving-day part of the dossier code"),
        ) from None


def parse_dossier_code(code: str) -> DossierCode:
    """Read a provincial or a central (TT 04/2025) dossier code.

    Raises:
        UserError: the code follows neither rule, or its date part is not a day.

    Examples:
        >>> c = parse_dossier_code("000.00.30.H18-260101-0001")
        >>> c.kind.value, c.province, c.received_on, c.sequence
        ('provincial', 'H18', datetime.date(2026, 1, 1), 1)
        >>> c = parse_dossier_code("G22.001.01-260125-0100023")
        >>> c.kind.value, c.receiving_agency, c.system, c.sequence
        ('central', 'G22.001.01', '01', 23)
    """
    text = code.strip()
    found = _PROVINCIAL.match(text)
    if found:
        return DossierCode(
            text, CodeKind.PROVINCIAL, found["agency"], _day(found["day"], text),
            int(found["seq"]), province=found["agency"][-3:],
        )  # fmt: skip
    found = _CENTRAL.match(text)
    if found:
        return DossierCode(
            text, CodeKind.CENTRAL, found["agency"], _day(found["day"], text), int(found["seq"]),
            system=found["system"],
        )  # fmt: skip
    raise UserError(
        _(
            "dossier code “{code}” follows neither the province's pattern "
            "(000.00.30.H18-260101-0001) nor that of Circular 04/2025/TT-VPCP "
            "(MX1X2.Y1Y2Y3.Z1Z2-YYMMDD-AAXXXX)"
        ).format(code=code),
        hint=_("check the dossier-code column of the imported file"),
    )
