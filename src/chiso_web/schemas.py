"""JSON Schema pieces of the site's answers, written once.

The shapes that are JSON contracts (the error answer, a unit's row) are pydantic models
of :mod:`chiso.contracts`; their schemas come from the models.

The published schemas of the dashboard (``dashboard/schemas.py``) and public twins
(``public/schemas.py``) and the components of the push API's OpenAPI document
(``api/openapi.py``) are built from these, so a shape the site answers with is never
written twice.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.http import Http404, JsonResponse
from django.utils.translation import gettext
from pydantic import BaseModel

from chiso.api import ErrorAnswer, json_schema

TEXT = {"type": ["string", "null"]}
# the head of every successful answer (chiso_web.errors.ok_json)
BASE = {"ok": {"const": True}, "status": {"type": "integer"}}

# the site's one error shape (chiso_web.errors.error_json): its contract's schema
ERROR = json_schema(ErrorAnswer)


def twin(model: type[BaseModel]) -> dict[str, Any]:
    """The schema of a page's JSON twin whose document is the contract ``model``: the
    model's schema with the answer's head (``ok``, ``status``)."""
    schema = json_schema(model)
    return {**schema, "required": ["ok", *schema["required"]],
            "properties": {**BASE, **schema["properties"]}}  # fmt: skip


def answer(status: int) -> dict[str, Any]:
    """The head of a successful answer that always has ``status``."""
    return {**BASE, "status": {"const": status}}


def serve_schema(schemas: Mapping[str, dict[str, Any]], name: str, *, title: str) -> JsonResponse:
    """One published schema as a JSON Schema document (404 for an unknown name)."""
    if name not in schemas:
        raise Http404(gettext("no schema %(name)s") % {"name": repr(name)})
    doc = {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": title}
    return JsonResponse({**doc, **schemas[name]}, json_dumps_params={"ensure_ascii": False})
