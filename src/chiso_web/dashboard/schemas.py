"""Published JSON Schemas of the ``.json`` twins (``/schemas/<name>.json``).

Tests validate every twin's answer against its schema, so the schema is the contract.
The pieces every answer shares (and the error shape) are in :mod:`chiso_web.schemas`; a
unit's row is the JSON contract :class:`chiso.contracts.rows.RankedUnit`.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, JsonResponse

from chiso.api import Digest, IndicatorScore, MonthEnd, PlanContract, RankedUnit, json_schema
from chiso_web.schemas import BASE, ERROR, INT, TEXT, serve_schema

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

# /bat-thuong.json: the document of `chiso anomalies --format json` (docs/cli.md), each
# finding with its "đã giải trình" mark, and the count still open
FINDING = {
    "type": "object",
    "required": [
        *("rule", "severity", "question", "records_are", "count", "records", "facts"),
        "explained",
    ],
    "properties": {
        "rule": {"type": "string"},
        "severity": {"enum": ["high", "medium", "low"]},
        "question": {"type": "string"},
        "records_are": {"enum": ["dossiers", "ratings"]},
        "count": {"type": "integer", "minimum": 1},
        "records": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["dossier_code", "rated_at"],
                "properties": {"dossier_code": {"type": "string"}, "rated_at": TEXT},
                "additionalProperties": False,
            },
        },
        "facts": {"type": "object", "additionalProperties": {"type": "number"}},
        "explained": {
            "type": ["object", "null"],
            "required": ["note", "by", "at"],
            "properties": {
                "note": {"type": "string"},
                "by": {"type": "string"},
                "at": {"type": "string", "format": "date-time"},
            },
            "additionalProperties": False,
        },
    },
    "additionalProperties": False,
}
RULE = {
    "type": "object",
    "required": ["id", "enabled", "severity", "title", "reason", "thresholds", "affects"],
    "properties": {
        "id": {"type": "string"},
        "enabled": {"type": "boolean"},
        "severity": {"enum": ["high", "medium", "low"]},
        "title": {"type": "string"},
        "reason": {"type": "string"},
        "thresholds": {"type": "object"},
        "affects": {"type": "array", "items": {"type": "string"}},
    },
}


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
DIGEST = json_schema(Digest)
DIGEST = {**DIGEST, "required": ["ok", *DIGEST["required"]],
          "properties": {**BASE, **DIGEST["properties"]}}  # fmt: skip
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
    "due": {
        "type": "object",
        "required": ["ok", "now", "days", "count", "dossiers"],
        "properties": {
            **BASE,
            "count": {"type": "integer"},
            "dossiers": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": [
                        "dossier_code",
                        "unit_code",
                        "due_at",
                        "working_days_left",
                        "procedure_name",
                        "points_at_stake",
                    ],
                    "properties": {"points_at_stake": {"type": "number"}},
                },
            },
        },
    },
    "dossier": {
        "type": "object",
        "required": ["ok", "dossier", "unit_name", "procedure_name", "receiving_point", "fields"],
        "properties": {
            **BASE,
            "dossier": {
                "type": "object",
                "required": ["dossier_code", "unit_code", "procedure_code", "due_at"],
            },
            "unit_name": TEXT,
            "procedure_name": {"type": ["string", "null"]},
            "receiving_point": {
                "type": ["object", "null"],
                "required": ["unit_code", "name", "text"],
                "properties": {"unit_code": TEXT, "name": TEXT, "text": TEXT},
            },
            "fields": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["column", "label", "text"],
                    "properties": {"column": TEXT, "label": TEXT, "text": TEXT},
                },
            },
        },
    },
    "anomalies": {
        "type": "object",
        "required": [
            *("ok", "period", "period_label", "start", "end", "rules_source", "rules"),
            *("findings", "open", "units", "unit_code", "can_explain"),
        ],
        "properties": {
            **BASE,
            "period": {"type": "string"},
            "period_label": {"type": "string"},
            "start": {"type": "string"},
            "end": {"type": "string"},
            "rules_source": {"type": "string"},
            "rules": {"type": "array", "items": RULE},
            "findings": {"type": "integer", "minimum": 0},
            "open": {"type": "integer", "minimum": 0},
            "unit_code": TEXT,
            "can_explain": {"type": "boolean"},
            "units": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["unit_code", "unit_name", "findings"],
                    "properties": {
                        "unit_code": {"type": "string"},
                        "unit_name": {"type": "string"},
                        "findings": {"type": "array", "items": FINDING, "minItems": 1},
                    },
                    "additionalProperties": False,
                },
            },
        },
        "additionalProperties": False,
    },
    "overview": OVERVIEW,
    "digest": DIGEST,
    "error": ERROR,
}


def schema_view(request: HttpRequest, name: str) -> JsonResponse:
    """Serve one schema (public: schemas hold no data)."""
    return serve_schema(SCHEMAS, name, title=name)
