"""The published contracts: name → model, and the ``schemas/`` files made from them.

``make schema`` (``python -m chiso.contracts schemas``) writes ``<name>.schema.json`` for
each; a test fails when a committed file differs from its model.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from chiso.contracts.anomalies import Anomalies
from chiso.contracts.answers import ErrorAnswer
from chiso.contracts.base import DIALECT, json_schema
from chiso.contracts.due import DueDossier, Stake
from chiso.contracts.explain import Explanation
from chiso.contracts.forecast import Forecasts
from chiso.contracts.national import NationalView, Reconciliation
from chiso.contracts.plan import Plan
from chiso.contracts.published import PublicRankedUnit, PublishedUnit
from chiso.contracts.rows import RankedUnit
from chiso.contracts.scores import Scores

CONTRACTS: dict[str, type[BaseModel]] = {
    "scores": Scores,
    "explain": Explanation,
    "plan": Plan,
    "forecast": Forecasts,
    "ranked-unit": RankedUnit,
    "published-unit": PublishedUnit,
    "public-ranked-unit": PublicRankedUnit,
    "error": ErrorAnswer,
    "national": NationalView,
    "reconciliation": Reconciliation,
    "anomalies": Anomalies,
    "due-dossier": DueDossier,
    "stake": Stake,
}


def document(name: str) -> dict[str, Any]:
    """The published JSON Schema document of contract ``name``."""
    return {"$schema": DIALECT, "$id": f"{name}.schema.json", **json_schema(CONTRACTS[name])}


def text(name: str) -> str:
    """The ``schemas/<name>.schema.json`` file's text."""
    return json.dumps(document(name), indent=2, ensure_ascii=False) + "\n"


def write(folder: Path) -> list[Path]:
    """Write every contract's schema file into ``folder``; the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name in CONTRACTS:
        path = folder / f"{name}.schema.json"
        path.write_text(text(name), encoding="utf-8")
        paths.append(path)
    return paths
