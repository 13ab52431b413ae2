"""Published JSON Schemas of the ``.json`` twins (``/schemas/<name>.json``).

Tests validate every twin's answer against its schema, so the schema is the contract.
Every twin's document is a JSON contract of :mod:`chiso.contracts` (the ranking, a unit's
page, an indicator's records, the overview, the digest, "Sắp quá hạn", a dossier's page,
the anomalies, the reconciliation and the national view): the site builds the document
with the model and publishes the model's schema with the answer's head
(:func:`chiso_web.schemas.twin`).  The error shape is in :mod:`chiso_web.schemas`.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, JsonResponse

from chiso.api import (
    AnomaliesPage,
    Digest,
    DossierPage,
    DuePage,
    IndicatorPage,
    NationalPage,
    Overview,
    RankingPage,
    ReconciliationPage,
    UnitTwin,
)
from chiso_web.schemas import ERROR, serve_schema, twin

SCHEMAS: dict[str, dict[str, Any]] = {
    "ranking": twin(RankingPage),
    # the unit page with `chiso plan --format json` (docs/plan.md) and the running month's
    # end score with its 80 % interval (docs/forecast.md), null otherwise
    "unit": twin(UnitTwin),
    # `chiso explain --format json` with the records' columns and labels
    "indicator": twin(IndicatorPage),
    # "Sắp quá hạn" (/sap-qua-han.json), a dossier's page (/ho-so/<code>.json), the
    # anomaly findings with their marks (/bat-thuong.json) and the reconciliation with
    # the national portal (/doi-chieu.json) and the national view (/toan-quoc.json)
    "due": twin(DuePage),
    "dossier": twin(DossierPage),
    "anomalies": twin(AnomaliesPage),
    "reconciliation": twin(ReconciliationPage),
    "national": twin(NationalPage),
    # the administrator's landing page (/tong-quan/)
    "overview": twin(Overview),
    # the weekly digest (/ban-tin.json)
    "digest": twin(Digest),
    "error": ERROR,
}


def schema_view(request: HttpRequest, name: str) -> JsonResponse:
    """Serve one schema (public: schemas hold no data)."""
    return serve_schema(SCHEMAS, name, title=name)
