"""A saved response with its request: endpoint, payload (→ period) and capture time.

The portal's evaluation responses do not echo the request, so the period can only come
from the request payload saved next to the response, or from ``--period``.  chiso reads
a *capture* ``{"url": …, "payload": {…}, "capturedAt": "…", "response": …}`` (the keys
of R13's capture manifest plus the response) as well as a bare response.

Payload → period (SEC, R13 ``docs/API_CONTRACT_M0.md``; R15): ``timeType`` month /
quarter / year with ``year`` and ``month`` / ``quarter``; ``fromDate`` / ``toDate``
(``handling-satisfaction``), read as the month, quarter, half or year they cover exactly,
else as a date range; legacy ``params`` ``p_nam``, ``p_thang``, ``p_quy``, ``p_6thang``.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from chiso.domain.periods import Period
from chiso.i18n import _
from chiso.portal.validation import portal_error, validate

__all__ = ["Capture", "fetched_local", "period_of_payload"]

VIETNAM = timezone(timedelta(hours=7))


class Capture(BaseModel):
    """A saved response with what was asked for and when."""

    model_config = ConfigDict(extra="ignore", frozen=True)
    url: str | None = None
    payload: dict[str, Any] | None = None
    capturedAt: datetime | None = None
    response: Any


class Payload(BaseModel):
    """The request fields that say which period and scope were asked for."""

    model_config = ConfigDict(extra="ignore", frozen=True)
    timeType: Literal["month", "quarter", "year"] | None = None
    year: int | None = Field(default=None, ge=2000, le=2100)
    month: int | None = Field(default=None, ge=1, le=12)
    quarter: int | None = Field(default=None, ge=1, le=4)
    fromDate: date | None = None
    toDate: date | None = None
    formalityId: str | None = None
    formalityID: str | None = None
    params: str | dict[str, Any] | None = None


class LegacyParams(BaseModel):
    """``params`` of the legacy ``rest.jsp`` services (numbers often written as text)."""

    model_config = ConfigDict(extra="ignore", frozen=True)
    p_nam: int = Field(ge=2000, le=2100)
    p_thang: int = Field(default=0, ge=0, le=12)
    p_quy: int = Field(default=0, ge=0, le=4)
    p_6thang: int = Field(default=0, ge=0, le=2)


def fetched_local(moment: datetime | None) -> datetime | None:
    """Capture time as naive Vietnam local time (the data model's convention)."""
    if moment is None or moment.tzinfo is None:
        return moment
    return moment.astimezone(VIETNAM).replace(tzinfo=None)


def _from_dates(first: date, last: date) -> Period:
    """The named period the days cover exactly, else the range."""
    candidates = [Period.of_year(first.year), Period.of_half(first.year, 1 + (first.month > 6))]
    candidates.append(Period.of_quarter(first.year, (first.month - 1) // 3 + 1))
    candidates.append(Period.of_month(first.year, first.month))
    end = datetime.combine(last, datetime.min.time()) + timedelta(days=1)
    start = datetime.combine(first, datetime.min.time())
    return next(
        (p for p in candidates if (p.start, p.end) == (start, end)),
        Period.of_range(first, last),
    )


def _legacy(params: str | dict[str, Any], *, file: str, prefix: str) -> Period:
    if isinstance(params, str):
        try:
            params = json.loads(params)
        except json.JSONDecodeError:
            raise portal_error(
                file, [_("{where}: not valid JSON").format(where=f"{prefix}.params")]
            ) from None
    p = validate(LegacyParams, params, file=file, prefix=f"{prefix}.params")
    if p.p_thang:
        return Period.of_month(p.p_nam, p.p_thang)
    if p.p_quy:
        return Period.of_quarter(p.p_nam, p.p_quy)
    if p.p_6thang:
        return Period.of_half(p.p_nam, p.p_6thang)
    return Period.of_year(p.p_nam)


def _timed(p: Payload, *, file: str, prefix: str) -> Period:
    needed = {"month": "month", "quarter": "quarter", "year": "year"}[str(p.timeType)]
    if p.year is None or getattr(p, needed) is None:
        raise portal_error(
            file, [_("{where}: the field is missing").format(where=f"{prefix}.{needed}")]
        )
    assert p.year is not None
    if p.timeType == "month":
        assert p.month is not None
        return Period.of_month(p.year, p.month)
    if p.timeType == "quarter":
        assert p.quarter is not None
        return Period.of_quarter(p.year, p.quarter)
    return Period.of_year(p.year)


def period_of_payload(payload: dict[str, Any], *, file: str, prefix: str) -> Period | None:
    """The period a request asked for; ``None`` when the payload does not say.

    Raises:
        UserError: a payload filtered by procedure (``formalityId``): its scores are a
            procedure's, not a unit's; unreadable period fields, with their JSON path.
    """
    p = validate(Payload, payload, file=file, prefix=prefix)
    if p.formalityId or p.formalityID:
        raise portal_error(
            file,
            [_("{where}: the response is filtered by one procedure; its scores are that "
               "procedure's, not the units' (save the request without formalityId)")
             .format(where=f"{prefix}.formalityId")],
        )  # fmt: skip
    if p.timeType is not None:
        return _timed(p, file=file, prefix=prefix)
    if p.fromDate is not None and p.toDate is not None:
        if p.toDate < p.fromDate:
            raise portal_error(
                file, [_("{where}: ends before fromDate").format(where=f"{prefix}.toDate")]
            )
        return _from_dates(p.fromDate, p.toDate)
    if p.params is not None:
        return _legacy(p.params, file=file, prefix=prefix)
    return None
