"""Canonical tables: names, columns and value types.

This module is the single definition of the interchange format described in
``docs/data-model.md``.  Timestamps are naive Vietnam local time
(Asia/Ho_Chi_Minh, UTC+7, no daylight saving).
"""

from __future__ import annotations

from enum import StrEnum
from types import MappingProxyType
from typing import Final


class ColumnType(StrEnum):
    """Value types a formula can see."""

    STRING = "string"
    INTEGER = "integer"
    NUMBER = "number"
    BOOLEAN = "boolean"
    TIMESTAMP = "timestamp"
    DATE = "date"


class Channel(StrEnum):
    """How a dossier was submitted."""

    DIRECT = "direct"
    ONLINE = "online"
    POSTAL = "postal"


class Payment(StrEnum):
    """How a dossier's fee was paid."""

    NONE = "none"
    DIRECT = "direct"
    ONLINE = "online"


class OnlineLevel(StrEnum):
    """Online availability of a procedure (DVCTT toàn trình / một phần / none)."""

    FULL = "full"
    PARTIAL = "partial"
    NONE = "none"


class DossierStatus(StrEnum):
    """Lifecycle state of a dossier."""

    RECEIVED = "received"
    PROCESSING = "processing"
    SUPPLEMENT = "supplement"
    FINISHED = "finished"
    RETURNED = "returned"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


S, INT, N, B, T, D = (
    ColumnType.STRING,
    ColumnType.INTEGER,
    ColumnType.NUMBER,
    ColumnType.BOOLEAN,
    ColumnType.TIMESTAMP,
    ColumnType.DATE,
)

#: Every canonical table with its columns in order.  The first column is the key
#: unless noted in ``KEYS``.
TABLES: Final = MappingProxyType(
    {
        "units": {
            "unit_code": S,
            "gso_code": S,
            "name": S,
            "short_name": S,
            "kind": S,
            "parent_code": S,
            "valid_from": D,
            "valid_to": D,
            "successor_code": S,
        },
        "procedures": {
            "procedure_code": S,
            "name": S,
            "field": S,
            "level": S,
            "online_level": S,
            "has_fee": B,
            "time_limit_days": INT,
            "paper_result": B,
        },
        "dossiers": {
            "dossier_code": S,
            "unit_code": S,
            "procedure_code": S,
            "channel": S,
            "received_at": T,
            "due_at": T,
            "finished_at": T,
            "returned_at": T,
            "status": S,
            "supplement_count": INT,
            "fee_amount": N,
            "payment": S,
            "components_digitized": B,
            "result_digitized": B,
            "reused_data": B,
            "synced": B,
            "receiving_point": S,
        },
        "petitions": {
            "petition_code": S,
            "unit_code": S,
            "received_at": T,
            "due_at": T,
            "handled_at": T,
            "satisfied": B,
        },
        "ratings": {
            "dossier_code": S,
            "rated_at": T,
            "channel": S,
            "satisfied": B,
        },
        "assessments": {
            "dossier_code": S,
            "unit_code": S,
            "criterion": S,
            "score": INT,
            "assessed_at": T,
        },
        "manual_values": {
            "index_set": S,
            "indicator": S,
            "unit_code": S,
            "period": S,
            "value": N,
            "note": S,
            "author": S,
            "recorded_at": T,
        },
        "reported_scores": {
            "index_set": S,
            "unit_code": S,
            "period": S,
            "indicator": S,
            "points": N,
            "source": S,
        },
        "portal_scores": {
            "index_set": S,
            "unit_code": S,
            "period": S,
            "group": S,
            "score": N,
            "max_score": N,
            "numerator": N,
            "denominator": N,
            "source": S,
            "fetched_at": T,
        },
    }
)

KEYS: Final = MappingProxyType(
    {
        "units": ("unit_code",),
        "procedures": ("procedure_code",),
        "dossiers": ("dossier_code",),
        "petitions": ("petition_code",),
        "ratings": ("dossier_code", "rated_at"),
        "assessments": ("dossier_code", "criterion"),
        "manual_values": ("index_set", "indicator", "unit_code", "period"),
        "reported_scores": ("index_set", "unit_code", "period", "indicator"),
        "portal_scores": ("index_set", "unit_code", "period", "group"),
    }
)

#: Columns that must never be empty.
REQUIRED: Final = MappingProxyType(
    {
        "units": ("unit_code", "name", "kind", "valid_from"),
        "procedures": ("procedure_code", "name"),
        "dossiers": ("dossier_code", "unit_code", "procedure_code", "channel", "received_at"),
        "petitions": ("petition_code", "unit_code", "received_at"),
        "ratings": ("dossier_code", "rated_at"),
        "assessments": ("dossier_code", "unit_code", "criterion", "score"),
        "manual_values": ("index_set", "indicator", "unit_code", "period"),
        "reported_scores": ("index_set", "unit_code", "period", "indicator"),
        "portal_scores": ("index_set", "unit_code", "period", "group"),
    }
)

#: Tables a measure can count over, with the extra columns the engine joins in
#: (``procedure.*`` from the dossier's procedure, ``rating.*`` from its latest
#: rating).  The unit a record belongs to is always ``unit_code``.
MEASURE_TABLES: Final = MappingProxyType(
    {
        "dossiers": {
            **TABLES["dossiers"],
            **{
                f"procedure.{c}": t
                for c, t in TABLES["procedures"].items()
                if c != "procedure_code"
            },
            "rating.satisfied": B,
            "rating.rated_at": T,
        },
        "petitions": dict(TABLES["petitions"]),
        "assessments": dict(TABLES["assessments"]),
        "procedures": dict(TABLES["procedures"]),
    }
)

#: Variables of the period being evaluated, visible to every formula.
PERIOD_VARIABLES: Final = MappingProxyType({"period_start": T, "period_end": T, "as_of": T})
