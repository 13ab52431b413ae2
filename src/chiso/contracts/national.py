"""The national view and the reconciliation with the national portal: ``chiso national
--format json``, ``chiso reconcile --format json`` (docs/portal.md) and the site's twins
of the pages "Toàn quốc" and "Đối chiếu với Cổng DVC quốc gia".

Points are rounded to 4 decimals; ``null`` where a side has no score.  Group keys are the
index set's group codes (``ckmb``, ``tdgq``, ``dvctt``, ``tttt``, ``mdsh``, ``mdhl``).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from chiso.contracts.base import Contract

Cause = Literal[
    "số hồ sơ khác nhau",
    "quy tắc tính khác",
    "thiếu điểm nhập tay",
    "chưa rõ: Cổng không cho số hồ sơ để so",
    "thiếu trên cổng",
    "thiếu ở hệ thống tỉnh",
]


class NationalGroup(Contract):
    """One of the portal's six groups."""

    group: str
    portal_code: str
    label: str


class ProvinceStanding(Contract):
    """One province: the portal's scores and ranks, and ours where it has dossiers."""

    unit_code: str
    name: str
    rank: int = Field(ge=1, description="rank by the portal's total (ties share a rank)")
    portal_total: float
    portal: dict[str, float | None] = Field(description="the portal's points by group")
    group_ranks: dict[str, int | None]
    captured_at: str | None = Field(description="latest capture time of its rows (ISO 8601)")
    ours_total: float | None
    ours_rank: int | None = Field(description="rank among the provinces chiso computed")
    ours: dict[str, float | None] | None = Field(description="chiso's points by group")


class NationalView(Contract):
    """The provinces of one period, best portal total first."""

    index_set: str
    period: str
    period_label: str
    groups: list[NationalGroup]
    provinces: list[ProvinceStanding]


class ReconciliationLine(Contract):
    """One unit × group: ours, the portal's, the difference and its likely cause."""

    unit_code: str
    unit_name: str
    group: str
    portal_code: str
    portal: float | None
    portal_max: float | None
    ours: float | None
    ours_max: float | None
    difference: float | None = Field(description="ours - portal")
    status: Literal["equal", "differs", "missing_ours", "missing_portal"]
    notes: list[str]
    source: str | None
    cause: Cause | None = Field(description="null when the two sides agree")


class Reconciliation(Contract):
    """Every stored portal group score of a period beside chiso's."""

    index_set: str
    period: str
    period_label: str
    tolerance: float
    counts: dict[str, int]
    rows: list[ReconciliationLine]


class ReconciliationPageLine(ReconciliationLine):
    """A line of the page "Đối chiếu": the command's line with its words."""

    status_label: str
    group_label: str
    shown_difference: float | None = Field(description="the difference as printed (2 decimals)")
    notes_text: str = Field(description="the notes with indicator names instead of codes")


class ReconciliationPage(Reconciliation):
    """``/doi-chieu.json``: ``chiso reconcile --format json`` with the page's words;
    ``missing`` says what to import when the period has no portal scores (no rows)."""

    rows: list[ReconciliationPageLine]  # type: ignore[assignment]
    missing: str | None


class NationalPageStanding(ProvinceStanding):
    """A province on the page "Toàn quốc": with its capture time as the page writes it."""

    captured_text: str = Field(description="dd/mm/yyyy HH:MM, or - without a time")


class NationalPage(NationalView):
    """``/toan-quoc.json``: ``chiso national --format json`` with the page's words;
    ``missing`` says what to import when the period has no portal scores (no provinces)."""

    provinces: list[NationalPageStanding]  # type: ignore[assignment]
    missing: str | None
