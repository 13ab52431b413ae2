"""Published JSON Schemas of the public twins (``/cong-khai/schemas/<name>.json``).

Tests validate every public answer against these, so they are the open-data contract.
Each twin's document is a contract of :mod:`chiso.contracts.public` (the ranking, a
unit's page, the open-data catalogue): the site builds the document with the model and
publishes the model's schema with the answer's head (:func:`chiso_web.schemas.twin`).
The error shape is in :mod:`chiso_web.schemas`.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, JsonResponse

from chiso.api import OpenDataCatalogue, PublicRanking, PublicUnitPage
from chiso_web.schemas import ERROR, serve_schema, twin

SCHEMAS: dict[str, dict[str, Any]] = {
    "ranking": twin(PublicRanking),
    "unit": twin(PublicUnitPage),
    "catalogue": twin(OpenDataCatalogue),
    "error": ERROR,
}


def schema_view(request: HttpRequest, name: str) -> JsonResponse:
    """Serve one schema (public: schemas hold no data)."""
    return serve_schema(SCHEMAS, name, title=f"public-{name}")
