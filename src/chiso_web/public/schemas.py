"""Published JSON Schemas of the public twins (``/cong-khai/schemas/<name>.json``).

Tests validate every public answer against these, so they are the open-data contract.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, JsonResponse

from chiso.api import PublicRankedUnit, PublishedUnit, json_schema
from chiso_web.dashboard.schemas import BLOCK
from chiso_web.schemas import BASE, ERROR, TEXT, serve_schema

ABOUT = {
    "ok", "index_set", "index_set_name", "period", "period_label", "version", "status",
    "version_status",
    "published_at", "note", "current", "as_of", "scale", "groups", "bands", "distribution",
}  # fmt: skip

# a published unit's rows (docs/web.md): closed lists of fields, no score without data
RANKED_UNIT = json_schema(PublicRankedUnit)
FULL_UNIT = json_schema(PublishedUnit)
VERSION = {
    "type": "object",
    "required": ["version", "version_status", "published_at", "note"],
    "properties": {
        "version": {"type": "integer", "minimum": 1},
        "version_status": {"enum": ["published", "superseded"]},
    },
}
COMMON = {
    **BASE,
    "index_set": {"type": "string"},
    "period": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$"},
    "period_label": {"type": "string"},
    "version": {"type": "integer", "minimum": 1},
    "current": {"type": "boolean"},
    "version_status": {"enum": ["published", "superseded"]},
    "published_at": {"type": "string"},
    "note": {"type": "string"},
    "versions": {"type": "array", "items": VERSION},
}

SCHEMAS: dict[str, dict[str, Any]] = {
    "ranking": {
        "type": "object",
        "required": [*sorted(ABOUT), "units", "versions", "months", "trend", "previous_period"],
        "properties": {
            **COMMON,
            "previous_period": TEXT,
            "units": {"type": "array", "items": RANKED_UNIT},
            "blocks": {"type": "array", "items": BLOCK},
            "months": {"type": "array", "items": {"type": "object"}},
            "index_sets": {"type": "array", "items": {"type": "object"}},
            "trend": {
                "type": "object",
                "required": ["periods", "labels", "units"],
                "properties": {"periods": {"type": "array"}, "units": {"type": "object"}},
            },
        },
    },
    "unit": {
        "type": "object",
        "required": [*sorted(ABOUT), "unit", "trend", "versions"],
        "properties": {
            **COMMON,
            "unit": FULL_UNIT,
            "trend": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["period", "label", "converted", "class", "rank"],
                },
            },
        },
    },
    "catalogue": {
        "type": "object",
        "required": ["ok", "licence", "licence_url", "csv_columns", "snapshots"],
        "properties": {
            **BASE,
            "licence": {"type": "string"},
            "licence_url": {"type": "string"},
            "csv_columns": {"type": "array", "items": {"type": "object"}},
            "snapshots": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["index_set", "period", "version", "version_status", "csv", "json"],
                    "properties": {"csv": {"type": "string"}, "json": {"type": "string"}},
                },
            },
        },
    },
    "error": ERROR,
}


def schema_view(request: HttpRequest, name: str) -> JsonResponse:
    """Serve one schema (public: schemas hold no data)."""
    return serve_schema(SCHEMAS, name, title=f"public-{name}")
