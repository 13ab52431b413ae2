"""The records behind one indicator of one unit: ``chiso explain --format json``.

Records are the measure table's rows as they are (columns differ per table), dates and
times written ``YYYY-MM-DD HH:MM:SS``; a dossier or a petition also says where it stands
against its due time, and a dossier names its procedure.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import ConfigDict, Field, SerializerFunctionWrapHandler, model_serializer

from chiso.contracts.base import Contract, omitted_when_none
from chiso.contracts.scores import IndicatorScore

#: chiso.domain.progress.ProgressCode
ProgressCode = Literal["on_time", "late", "supplements", "in_progress", "overdue"]


class Record(Contract):
    """One record: the columns of its table (``dossier_code``, ``due_at``, …) and, for a
    dossier or a petition, its progress; the keys below are written only when they have a
    value."""

    model_config = ConfigDict(extra="allow")

    procedure_name: str | None = Field(
        default=None,
        exclude_if=omitted_when_none,
        description="a dossier's procedure name from the procedure catalogue",
    )
    progress: ProgressCode | None = Field(
        default=None,
        exclude_if=omitted_when_none,
        description=(
            "a dossier's or a petition's state against its due time at the period's "
            "evaluation instant: finished on time, finished late, late by more than one "
            "supplement request, in progress and not yet due, overdue and unfinished"
        ),
    )
    progress_label: str | None = Field(
        default=None, exclude_if=omitted_when_none, description="the state in Vietnamese"
    )
    late_working_days: int | None = Field(
        default=None,
        ge=1,
        exclude_if=omitted_when_none,
        description=(
            "working days late (holiday calendar), from the due day to the day finished or "
            "the evaluation day; written only for a late or overdue record"
        ),
    )

    @model_serializer(mode="wrap")
    def _columns_first(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        """The table's columns first, in the table's order; the keys above after them."""
        out: dict[str, Any] = handler(self)
        added = [k for k in type(self).model_fields if k in out]
        return {**{k: v for k, v in out.items() if k not in added}, **{k: out[k] for k in added}}


class Explanation(Contract):
    """One indicator's result and the records that count in it or cost it points."""

    unit_code: str
    unit_name: str
    period: str
    indicator: str
    label: str
    description: str | None
    result: IndicatorScore | None
    records_in_denominator: int = Field(ge=0)
    records_costing_points: int = Field(
        ge=0, description="records that cost points, all of them (the list may stop before)"
    )
    records_counted: int = Field(
        ge=0, description="records in the numerator, all of them (the list may stop before)"
    )
    costing_points: list[Record] = Field(description="records that cost points")
    counted: list[Record] = Field(description="records in the numerator")
    note: str | None = Field(
        default=None, exclude_if=omitted_when_none, description="written only when there is one"
    )
