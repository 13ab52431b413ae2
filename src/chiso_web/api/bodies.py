"""The push API's dossiers as pydantic models written from the canonical ``dossiers`` table
(docs/data-model.md): one pushed (``DossierIn``), one read back (``DossierOut``) and the
answer that reads it back (``DossierAnswer``).

The models are the OpenAPI document's components (:mod:`chiso_web.api.openapi`);
the view checks a batch with the importer's own rules and messages
(:func:`chiso.ingest.records.validate_records`), which accept what the model describes:
a value may be a code or its label, a number or time may be text in the Vietnamese way.
"""

from __future__ import annotations

from typing import Any, Literal

from django.utils.translation import gettext_noop
from pydantic import BaseModel, ConfigDict, Field, create_model

from chiso.api import REQUIRED, TABLES, ColumnType, Contract

#: what a pushed value of each column type may be (text is read as the importer reads it)
_TYPES: dict[ColumnType, Any] = {
    ColumnType.STRING: str | None,
    ColumnType.TIMESTAMP: str | None,
    ColumnType.DATE: str | None,
    ColumnType.INTEGER: int | str | None,
    ColumnType.NUMBER: float | str | None,
    ColumnType.BOOLEAN: bool | str | None,
}
_WORDS: dict[ColumnType, dict[str, Any]] = {
    ColumnType.TIMESTAMP: {
        "description": gettext_noop(
            "Local time, no time zone: 2026-10-01T08:00:00, 01/10/2026 08:00 or 01/10/2026."
        ),
        "examples": ["2026-10-01T08:00:00"],
    },
    ColumnType.DATE: {"examples": ["2026-10-01"]},
    ColumnType.NUMBER: {
        "description": gettext_noop(
            "A number; text written the Vietnamese way is read too (1.229.100 or 98,32)."
        )
    },
    ColumnType.BOOLEAN: {
        "description": gettext_noop("true/false; labels such as Có/Không or x are read too.")
    },
}
#: what a column means when the column type does not say it (English ids: the OpenAPI
#: document is translated to the caller's language when served, ``openapi.document``)
_MEANING = {
    "channel": gettext_noop("A standard code (direct, online, postal) or its label"),
    "status": gettext_noop(
        "A standard code (received, processing, supplement, finished, returned, rejected, "
        "withdrawn) or its label"
    ),
    "receiving_point": gettext_noop(
        "Where the dossier was received (from 1/7/2025 possibly another centre of the "
        "province): the code or name of a known unit. Points and the access token's scope "
        "still follow unit_code (the unit that handles it). Empty: taken from the dossier "
        "code when that code is a known unit's."
    ),
}
#: required by the importer (a unit and a procedure may be given by name instead)
_REQUIRED = ("channel", "received_at")
EXAMPLE = {
    "dossier_code": "000.00.27.H17-261001-0001",
    "unit_code": "03158",
    "procedure_code": "1.002918",
    "channel": "online",
    "received_at": "2026-10-01T08:00:00",
    "due_at": "2026-10-03T17:00:00",
    "status": "processing",
}


def _published(schema: dict[str, Any]) -> None:
    """The component's words and example; an absent key is not a null one: the schema
    lists no defaults."""
    for prop in schema["properties"].values():
        prop.pop("default", None)
    schema.update(_EXTRA)


def _field(column: str, ctype: ColumnType) -> tuple[Any, Any]:
    words = dict(_WORDS.get(ctype, {}))
    if column in _MEANING:
        words["description"] = _MEANING[column]
    if column == "dossier_code":
        return str, Field(min_length=1, max_length=200)
    default = ... if column in _REQUIRED else None
    return _TYPES[ctype], Field(default, **words)


def _dossier_in() -> type[BaseModel]:
    fields = {column: _field(column, ctype) for column, ctype in TABLES["dossiers"].items()}
    unit = gettext_noop("Instead of unit_code: the unit's name")
    fields["unit_name"] = (str, Field(None, description=unit))
    procedure = gettext_noop("Instead of procedure_code: the procedure's name")
    fields["procedure_name"] = (str, Field(None, description=procedure))
    config = ConfigDict(
        extra="forbid",
        title="DossierIn",
        json_schema_extra=_published,
    )
    return create_model("DossierIn", __config__=config, **fields)  # type: ignore[call-overload, no-any-return]


_EXTRA = {
    "description": gettext_noop(
        "One dossier in the standard columns (docs/data-model.md). Checked as an imported "
        "file is: the same rules, the same explanations."
    ),
    "example": EXAMPLE,
}
DossierIn = _dossier_in()

#: what a stored value of each column type is in JSON (times as ISO text)
_STORED: dict[ColumnType, Any] = {
    ColumnType.STRING: str | None,
    ColumnType.TIMESTAMP: str | None,
    ColumnType.DATE: str | None,
    ColumnType.INTEGER: int | None,
    ColumnType.NUMBER: float | None,
    ColumnType.BOOLEAN: bool | None,
}


def _no_defaults(schema: dict[str, Any]) -> None:
    for prop in schema["properties"].values():
        prop.pop("default", None)


def _dossier_out() -> type[BaseModel]:
    required = REQUIRED["dossiers"]
    fields: dict[str, Any] = {
        column: (_STORED[ctype], Field(... if column in required else None))
        for column, ctype in TABLES["dossiers"].items()
    }
    config = ConfigDict(title="Dossier", json_schema_extra=_no_defaults)
    return create_model("Dossier", __config__=config, **fields)


DossierOut = _dossier_out()


class PushState(Contract):
    """The latest push of a dossier: merged into the data yet, or still waiting."""

    state: Literal["pending", "merged"]
    received_at: str
    merged_at: str | None


class DossierAnswer(Contract):
    """``GET /api/v1/dossiers/{code}``: the dossier as the data holds it (or as pushed,
    before the merge) and the state of its latest push (null: never pushed)."""

    ok: Literal[True]
    status: Literal[200]
    dossier: DossierOut  # type: ignore[valid-type]
    push: PushState | None
