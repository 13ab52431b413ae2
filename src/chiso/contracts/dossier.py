"""One dossier's page on the site (``/ho-so/<code>.json``): the stored row as it is, and
its fields under the one-stop export's Vietnamese names, as the page shows them.

The row's keys are the canonical ``dossiers`` columns the data holds (docs/data-model.md):
codes and ISO local times (``YYYY-MM-DD HH:MM:SS``), with the labels beside in ``fields``.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field, field_validator

from chiso.contracts.base import Contract

#: the keys every stored dossier has
DOSSIER_KEYS = ("dossier_code", "unit_code", "procedure_code", "due_at")


class DossierField(Contract):
    """One field as the page shows it: its column, its label and its text."""

    column: str | None
    label: str | None
    text: str | None


class ReceivingPoint(Contract):
    """Where a dossier was received, when another unit or centre than its competent unit
    (the index still counts it for the competent unit)."""

    unit_code: str
    name: str
    text: str = Field(description="as the page writes it: the name (the code when unknown)")


class DossierPage(Contract):
    """A dossier's page: the stored row, its unit's and procedure's names, its fields."""

    dossier: dict[str, Any] = Field(
        description="the stored row (canonical columns)",
        json_schema_extra={"required": list(DOSSIER_KEYS)},
    )
    unit_name: str | None
    procedure_name: str | None
    receiving_point: ReceivingPoint | None = Field(
        description="null: received by its competent unit"
    )
    fields: list[DossierField]

    @field_validator("dossier")
    @classmethod
    def _has_keys(cls, row: dict[str, Any]) -> dict[str, Any]:
        missing = [key for key in DOSSIER_KEYS if key not in row]
        if missing:
            raise ValueError(f"a stored dossier has {', '.join(missing)}")
        return row
