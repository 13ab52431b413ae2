"""The OpenAPI 3.1 document of the push API, served at ``/api/openapi.json``.

Written so that it says what the code does: its components are the schemas of pydantic
models — a pushed dossier :data:`chiso_web.api.bodies.DossierIn`, one read back
:data:`~chiso_web.api.bodies.DossierOut` and its answer
:class:`~chiso_web.api.bodies.DossierAnswer` (from the canonical dossier table), the answer
to a batch taken :class:`chiso.contracts.answers.Accepted` and the error answer
:class:`chiso.contracts.answers.ErrorAnswer` (the models the view answers with and the
site's published JSON Schemas are built from); the limits come from
:mod:`chiso_web.api.views`.

Its words — descriptions and summaries — are served in the caller's language, like every
answer under ``/api/`` (``Accept-Language``; docs/web.md, "Languages"): :func:`document`
holds them as English ids, :func:`in_language` translates them through the site's
catalogue.  The texts the components take from elsewhere — the models' docstrings and the
library contracts' field descriptions — are translated by :func:`_foreign`.  Names stay as
they are: paths, operation ids, property names, codes and the schemas' ``title``.
"""

from __future__ import annotations

import inspect
import typing
from functools import cache
from typing import Any

from django.http import HttpRequest
from django.utils.functional import Promise
from django.utils.translation import gettext, gettext_lazy, gettext_noop
from pydantic import BaseModel

from chiso.api import Accepted, ErrorAnswer, json_schema
from chiso_web.api.bodies import DossierAnswer, DossierIn, DossierOut, PushState
from chiso_web.schemas import ERROR

MAX_DOSSIERS = 5_000  # keep equal to views.MAX_DOSSIERS (a test checks)
ACCEPTED = json_schema(Accepted)
DOSSIER_ANSWER = json_schema(DossierAnswer)


NO_TOKEN = gettext_noop("The access token is missing, wrong or revoked")
#: The document's keys whose text people read (the info's ``title`` too).
WORDS = ("description", "summary")


def _docstring(model: type[BaseModel]) -> str:
    """A model's description in its schema (pydantic's cleaned docstring)."""
    return inspect.cleandoc(model.__doc__ or "")


def _described(model: type[BaseModel], name: str) -> str:
    return str(model.model_fields[name].description)


@cache
def _foreign() -> dict[str, Promise]:
    """The texts the components take from elsewhere (the models' docstrings, English; the
    library contracts' field descriptions, Vietnamese), each with its English id."""
    field_error = typing.get_args(ErrorAnswer.model_fields["errors"].annotation)[0]
    return {
        _docstring(Accepted): gettext_lazy(
            "The answer to a batch taken (202): how many dossiers, how many are new, changed "
            "or the same as last time, and whether they are merged yet."
        ),
        _described(Accepted, "new"): gettext_lazy("Dossier codes never pushed before"),
        _described(Accepted, "changed"): gettext_lazy("Pushed before, different now"),
        _described(Accepted, "unchanged"): gettext_lazy("The same as the previous push: skipped"),
        _described(Accepted, "merged"): gettext_lazy("Merged into the data before the answer"),
        _described(Accepted, "pending"): gettext_lazy(
            "Dossiers still waiting to be merged (a few seconds)"
        ),
        _docstring(DossierAnswer): gettext_lazy(
            "GET /api/v1/dossiers/{code}: the dossier as the data holds it (or as pushed, "
            "before the merge) and the state of its latest push (null: never pushed)."
        ),
        _docstring(PushState): gettext_lazy(
            "The latest push of a dossier: merged into the data yet, or still waiting."
        ),
        _docstring(ErrorAnswer): gettext_lazy("An error answer of the site."),
        _described(ErrorAnswer, "error"): gettext_lazy(
            "One sentence saying what is wrong, in the answer's language."
        ),
        _described(ErrorAnswer, "hint"): gettext_lazy("How to fix it."),
        _described(ErrorAnswer, "errors"): gettext_lazy(
            "Only the dossier intake API lists errors."
        ),
        _docstring(field_error): gettext_lazy("One refused field of a batch."),
        _described(field_error, "row"): gettext_lazy("The dossier's place in the batch, from 1"),
    }


def _words(text: str) -> str:
    foreign = _foreign().get(text)
    return str(foreign) if foreign is not None else gettext(text)


def in_language(node: Any) -> Any:
    """The document (or part of it) with its words in the active language."""
    if isinstance(node, dict):
        return {
            key: _words(value) if key in WORDS and isinstance(value, str) else in_language(value)
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [in_language(value) for value in node]
    return node


def _error(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


def _push_operation() -> dict[str, Any]:
    return {
        "operationId": "pushDossiers",
        "summary": gettext_noop("Push a batch of dossiers (at most 5,000), all or nothing"),
        "description": gettext_noop(
            "The batch is checked as an imported file is: with any error the answer is 422 "
            "with each error (row, field, value, reason, hint) and no dossier is taken. A "
            "valid batch is stored at once (202) and merged into the data by dossier_code "
            "within seconds; pushing the same batch again changes nothing (idempotent)."
        ),
        "security": [{"bearer": []}],
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "required": ["dossiers"],
                        "properties": {
                            "dossiers": {
                                "type": "array",
                                "minItems": 1,
                                "maxItems": MAX_DOSSIERS,
                                "items": {"$ref": "#/components/schemas/DossierIn"},
                            }
                        },
                    }
                }
            },
        },
        "responses": {
            "202": {
                "description": gettext_noop("Taken; merged into the data within seconds"),
                "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/Accepted"}}
                },
            },
            "400": _error(gettext_noop("The body is not JSON or has no dossiers array")),
            "401": _error(NO_TOKEN),
            "403": _error(gettext_noop("A dossier of a unit outside the access token's scope")),
            "413": _error(gettext_noop("The body is larger than 16 MB")),
            "422": _error(
                gettext_noop(
                    "An invalid dossier (errors lists each error) or a batch of more than "
                    "5,000 dossiers"
                )
            ),
        },
    }


def document(request: HttpRequest | None = None) -> dict[str, Any]:
    """The OpenAPI document."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": gettext_noop("chiso — dossier intake API"),
            "version": "1",
            "description": gettext_noop(
                "The province's one-stop system pushes administrative dossiers into chiso. "
                "Authentication: an access token (Authorization: Bearer <token>) given by an "
                "administrator. Every error has one shape: {ok, status, error, hint, errors}. "
                "The descriptions and the errors follow Accept-Language (vi or en; otherwise "
                "the site's language)."
            ),
        },
        "paths": {
            "/api/v1/dossiers": {"post": _push_operation()},
            "/api/v1/dossiers/{code}": {
                "get": {
                    "operationId": "getDossier",
                    "summary": gettext_noop(
                        "Read a dossier back (within the access token's scope)"
                    ),
                    "security": [{"bearer": []}],
                    "parameters": [
                        {
                            "name": "code",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string", "minLength": 1, "pattern": "^[^/?#%]+$"},
                        }
                    ],
                    "responses": {
                        "200": {
                            "description": gettext_noop(
                                "The dossier and the merge state of its latest push"
                            ),
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/DossierAnswer"}
                                }
                            },
                        },
                        "401": _error(NO_TOKEN),
                        "404": _error(
                            gettext_noop("No such dossier within the access token's scope")
                        ),
                    },
                }
            },
        },
        "components": {
            "securitySchemes": {
                "bearer": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": gettext_noop("API access token"),
                }
            },
            "schemas": {
                "DossierIn": json_schema(DossierIn),
                "Dossier": json_schema(DossierOut),
                "Accepted": ACCEPTED,
                "DossierAnswer": DOSSIER_ANSWER,
                "Error": ERROR,
            },
        },
    }
