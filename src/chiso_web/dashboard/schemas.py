"""Published JSON Schemas of the ``.json`` twins (``/schemas/<name>.json``).

Tests validate every twin's answer against its schema, so the schema is the contract.
The pieces every answer shares (and the error shape) are in :mod:`chiso_web.schemas`; a
unit's row (:class:`chiso.contracts.rows.RankedUnit`) and the documents of the digest,
"Sắp quá hạn", a dossier's page, the anomalies and the reconciliation are JSON contracts
of :mod:`chiso.contracts`, their schemas written from the models.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, JsonResponse

from chiso.api import (
    AnomaliesPage,
    Digest,
    DossierPage,
    DuePage,
    IndicatorScore,
    MonthEnd,
    NationalPage,
    PlanContract,
    RankedUnit,
    ReconciliationPage,
    json_schema,
)
from chiso_web.schemas import BASE, ERROR, INT, TEXT, serve_schema, twin

# a unit's indicator (the unit page adds its labels, what it lost, whether it explains)
INDICATOR = json_schema(IndicatorScore)

# The unit twin's plan to the next class: `chiso plan --format json` (docs/plan.md), and
# the running month's end score with its 80 % interval (docs/forecast.md); null otherwise
PLAN = json_schema(PlanContract)
FORECAST = {"anyOf": [json_schema(MonthEnd), {"type": "null"}]}

# One ranking block (cơ quan chuyên môn; xã, phường): its units ranked among themselves.
BLOCK = {
    "type": "object",
    "required": ["code", "label", "kinds", "units"],
    "properties": {
        "code": {"type": "string"},
        "label": {"type": "string"},
        "kinds": {"type": "array", "items": {"type": "string"}},
        "units": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["unit_code", "rank", "tied"],
                "properties": {
                    "unit_code": {"type": "string"},
                    "rank": INT,
                    "tied": {"type": "boolean"},
                },
                "additionalProperties": False,
            },
        },
    },
    "additionalProperties": False,
}

# a unit's row (docs/web.md): without data, no total, score, class or rank
UNIT = json_schema(RankedUnit)


def _listed(item: dict[str, Any]) -> dict[str, Any]:
    """``{"count": n, key: [item, …]}``: what waits, and the latest of it."""
    key = "runs" if "table" in item["properties"] else "jobs"
    return {
        "type": "object",
        "required": ["count", key],
        "properties": {
            "count": {"type": "integer", "minimum": 0},
            key: {"type": "array", "items": item},
        },
    }


MOVER = {
    "type": "object",
    "required": ["unit_code", "name", "converted", "change", "rank", "previous_rank"],
    "properties": {
        "unit_code": {"type": "string"},
        "name": {"type": "string"},
        "converted": {"type": "number"},
        "class": {"type": "string"},
        "class_label": {"type": "string"},
        "rank": {"type": "integer"},
        "change": {"type": "number"},
        "previous_rank": INT,
    },
}
WAITING = {"type": "object", "required": ["id", "status", "status_label", "created_at"]}
# the administrator's landing page (/tong-quan/)
OVERVIEW = {
    "type": "object",
    "required": [
        *("ok", "period", "period_label", "has_data", "units", "units_with_data"),
        *("distribution", "movers", "without_data", "imports_waiting", "reports_waiting"),
        "unpublished",
    ],
    "properties": {
        **BASE,
        "period": {"type": "string"},
        "period_label": {"type": "string"},
        "previous_period": TEXT,
        "has_data": {"type": "boolean"},
        "units": {"type": "integer", "minimum": 0},
        "units_with_data": {"type": "integer", "minimum": 0},
        "distribution": {"type": "array"},
        "movers": {
            "type": "object",
            "required": ["up", "down"],
            "properties": {
                "up": {"type": "array", "items": MOVER},
                "down": {"type": "array", "items": MOVER},
            },
        },
        "without_data": {
            "type": "array",
            "items": {"type": "object", "required": ["unit_code", "name"]},
        },
        "imports_waiting": _listed({**WAITING, "properties": {"table": {"type": "string"}}}),
        "reports_waiting": _listed({**WAITING, "properties": {"unit_name": {"type": "string"}}}),
        "unpublished": {
            "type": "array",
            "items": {"type": "object", "required": ["period", "period_label"]},
        },
    },
}
# the weekly digest (/ban-tin.json): the contract chiso.contracts.digest.Digest
DIGEST = twin(Digest)
SCHEMAS: dict[str, dict[str, Any]] = {
    "ranking": {
        "type": "object",
        "required": [
            *("ok", "index_set", "period", "period_label", "has_data", "units_with_data"),
            *("units", "distribution"),
        ],
        "properties": {
            **BASE,
            "index_set": {"type": "string"},
            "period": {"type": "string"},
            "period_label": {"type": "string"},
            "has_data": {"type": "boolean"},
            "units_with_data": {"type": "integer", "minimum": 0},
            "previous_period": TEXT,
            "level": {"type": "string"},
            "subtree": TEXT,
            "data_version": {"type": "string"},
            "view": {"enum": ["blocks", "list"]},
            "units": {"type": "array", "items": UNIT},
            "blocks": {"type": "array", "items": BLOCK},
            "distribution": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["grade", "label", "count"],
                    "properties": {"count": {"type": "integer"}},
                },
            },
        },
    },
    "unit": {
        "type": "object",
        "required": ["ok", "index_set", "period", "has_data", "unit", "trend", "plan", "forecast"],
        "properties": {
            **BASE,
            "has_data": {"type": "boolean"},
            "unit": UNIT,
            "received_elsewhere": {"type": "integer", "minimum": 0},
            "block": {
                "type": ["object", "null"],
                "required": ["code", "label", "rank", "tied", "ranked"],
                "properties": {"rank": INT, "ranked": {"type": "integer", "minimum": 0}},
            },
            "lost_by_group": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["code", "label", "lost", "indicators"],
                    "properties": {"lost": {"type": "number"}, "indicators": {"type": "array"}},
                },
            },
            "trend": {"type": ["array", "null"]},
            "plan": PLAN,
            "forecast": FORECAST,
        },
    },
    "indicator": {
        "type": "object",
        "required": ["ok", "unit_code", "indicator", "records_in_denominator", "costing_points"],
        "properties": {
            **BASE,
            "unit_code": {"type": "string"},
            "indicator": {"type": "string"},
            "records_in_denominator": {"type": "integer"},
            "costing_points": {"type": "array", "items": {"type": "object"}},
            "counted": {"type": "array", "items": {"type": "object"}},
        },
    },
    # "Sắp quá hạn" (/sap-qua-han.json), a dossier's page (/ho-so/<code>.json), the
    # anomaly findings with their marks (/bat-thuong.json) and the reconciliation with
    # the national portal (/doi-chieu.json) and the national view (/toan-quoc.json):
    # contracts of chiso.contracts
    "due": twin(DuePage),
    "dossier": twin(DossierPage),
    "anomalies": twin(AnomaliesPage),
    "reconciliation": twin(ReconciliationPage),
    "national": twin(NationalPage),
    "overview": OVERVIEW,
    "digest": DIGEST,
    "error": ERROR,
}


def schema_view(request: HttpRequest, name: str) -> JsonResponse:
    """Serve one schema (public: schemas hold no data)."""
    return serve_schema(SCHEMAS, name, title=name)
