"""The frozen document of a publication: every unit's scores, no dossier or personal data.

Fields are copied by whitelist from the engine's results (``ResultSet``) into the JSON
contract :class:`chiso.contracts.published.PublishedUnit`, which forbids any other key:
a field added to the engine's JSON later (a note, a dossier sample) never leaks into
what the public sees.

Units without data in the month (:mod:`chiso.engine.coverage`, the rule of every score)
are stored with ``has_data: false`` and no total, score, class, rank or group points; the
others are ranked among themselves. Snapshots published before the field existed have
no ``has_data``: readers treat a missing one as true.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from chiso.api import IndexSet, Period, PublishedUnit, ResultSet, UnitResult
from chiso_web import coverage

# what a published unit copies from the engine's (the rest: :class:`PublishedUnit`)
UNIT_FIELDS = {"unit_code", "name", "kind", "total", "max", "converted", "grade", "class_label"}
UNIT_FIELDS |= {"rank", "tied"}
INDICATOR_FIELDS = {"code", "group", "points", "max", "applicable"}


def build(index_set: IndexSet, period: Period, results: ResultSet) -> dict[str, Any]:
    """The snapshot document of ``results`` (the ranking of every unit, as scored)."""
    labels = {i.code: i.label for i in index_set.indicators}
    units = [_unit(results, unit, labels) for unit in results.units]
    counts = Counter(u["class"] for u in units)
    return {
        "index_set": index_set.id,
        "index_set_name": index_set.name,
        "period": results.period,
        "period_label": results.period_label,
        "as_of": period.as_of.isoformat(sep=" ", timespec="minutes"),
        "scale": float(results.scale),
        "groups": [{"code": g.code, "label": g.label} for g in index_set.groups],
        "bands": [
            {"grade": b.grade, "label": b.label, "min": float(b.min) if b.min else None}
            for b in index_set.bands
        ],
        "distribution": [
            {"grade": b.grade, "label": b.label, "count": counts.get(b.grade, 0)}
            for b in index_set.bands
        ],
        "units": units,
    }


def _unit(results: ResultSet, unit: UnitResult, labels: dict[str, str]) -> dict[str, Any]:
    full = results.unit_contract(unit)
    row = PublishedUnit(
        **{
            **full.model_dump(include=UNIT_FIELDS),
            "has_data": coverage.shown_with_data(unit),
            "groups": coverage.group_scores(unit),
            "indicators": [
                {**item.model_dump(include=INDICATOR_FIELDS), "label": labels.get(item.code, "")}
                for item in full.indicators
            ],
        }
    )
    return row.dump()


def summary(payload: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Per unit: name, converted score, class (code, label) and rank (the trend across months)."""
    return {
        u["unit_code"]: {
            "name": u["name"],
            "converted": u["converted"],
            "class": u["class"],
            "class_label": u["class_label"],
            "rank": u["rank"],
        }
        for u in payload["units"]
    }


def scored(payload: dict[str, Any]) -> int:
    """How many units have a converted score (0: the month has no data)."""
    return sum(1 for u in payload["units"] if u["converted"] is not None)
