"""Write portal-shaped responses (every accepted shape) from chiso's own results.

Used by the tests and by ``chiso demo`` (its sample capture) to build portal files that
reconcile to zero with the data they were computed from: the province's row goes to
``service-results``, every unit's group to the group's own endpoint (metrics or tree
shape), scores rounded to 2 decimals as the portal does.
"""

from __future__ import annotations

import json
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from chiso.domain.rounding import to_decimal
from chiso.engine.results import ResultSet, UnitResult
from chiso.portal.groups import GROUPS

__all__ = ["PROVINCE_ID", "write_group", "write_summary"]

PROVINCE_ID = "019d2be3-6a85-74ec-a341-16615c474af4"  # Điện Biên (R14)
METRIC_SHAPE = {"CKMB", "MDSH", "MDHL"}


def points(value: Fraction | None) -> float | None:
    """The portal's 2-decimal figure."""
    if value is None:
        return None
    return float(to_decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def _unit(unit: UnitResult, province: str) -> dict[str, Any]:
    if unit.unit_code == province:
        return {"departmentId": PROVINCE_ID, "departmentName": unit.name, "departmentCode": "H18"}
    return {"departmentName": f"{unit.name} - Tỉnh Điện Biên"}


def _node(unit: UnitResult, code: str, province: str, shifts: dict[str, float]) -> dict[str, Any]:
    score = points(unit.group_points()[GROUPS[code].group])
    if score is not None:
        score = round(score + shifts.get(unit.unit_code, 0.0), 2)
    node = _unit(unit, province)
    if code in METRIC_SHAPE:
        node.update(totalScore=score, totalMaxScore=float(GROUPS[code].max), metrics=[])
    elif code == "TDGQ" and unit.unit_code != province:
        node.update(score=score, maxScore=20, totalReceived=0, totalOnTime=0)
    else:
        node.update(totalScore=score, totalMaxScore=float(GROUPS[code].max))
    return node


def write_group(
    folder: Path, result: ResultSet, code: str, *, province: str = "11",
    shifts: dict[str, float] | None = None, captured_at: str | None = None,
) -> Path:  # fmt: skip
    """The endpoint of group ``code`` for ``result``'s units, as a capture with its payload."""
    shifts = shifts or {}
    root = result.unit(province)
    children = [u for u in result.units if u.unit_code != province]
    nodes = [_node(u, code, province, shifts) for u in (root, *children)]
    data = (
        {"overview": nodes[0], "evaluation": nodes[1:]}
        if code in METRIC_SHAPE
        else {"parent": nodes[0], "children": nodes[1:]}
    )
    year, month = (int(p) for p in result.period.split("-"))
    capture = {
        "url": f"https://dichvucong.gov.vn/api/v1/reporting/evaluation/{GROUPS[code].endpoint}",
        "payload": {"timeType": "month", "year": year, "month": month, "currentPage": 1},
        "capturedAt": captured_at or _after_month(year, month),
        "response": {"code": "OK", "data": data, "message": "OK"},
    }
    path = folder / f"{GROUPS[code].endpoint}-{result.period}.json"
    path.write_text(json.dumps(capture, ensure_ascii=False), encoding="utf-8")
    return path


def write_summary(
    folder: Path, result: ResultSet, *, province: str = "11", captured_at: str | None = None
) -> Path:
    """``service-results`` with the province's six groups (and another province)."""
    unit = result.unit(province)
    groups = {c: points(unit.group_points()[g.group]) for c, g in GROUPS.items()}
    other = dict.fromkeys(GROUPS, 1.0)
    data = {
        "overview": {"departmentName": "Cả nước", "totalScore": 61.86},
        "evaluation": [
            {**_unit(unit, province), "totalScore": sum(v or 0 for v in groups.values()),
             "groupScores": groups},
            {"departmentName": "UBND tỉnh Lai Châu", "departmentCode": "H35",
             "totalScore": 6.0, "groupScores": other},
        ],
    }  # fmt: skip
    year, month = (int(p) for p in result.period.split("-"))
    capture = {
        "url": "https://dichvucong.gov.vn/api/v1/reporting/evaluation/service-results",
        "payload": {"timeType": "month", "year": year, "month": month},
        "capturedAt": captured_at or _after_month(year, month),
        "response": {"code": "OK", "data": data},
    }
    path = folder / f"service-results-{result.period}.json"
    path.write_text(json.dumps(capture, ensure_ascii=False), encoding="utf-8")
    return path


def _after_month(year: int, month: int) -> str:
    """A capture of a finished month: the next month's first day, 02:00 Vietnam time."""
    year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return f"{year:04d}-{month:02d}-01T02:00:00+07:00"
