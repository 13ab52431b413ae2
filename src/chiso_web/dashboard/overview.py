"""The province administrator's landing page ("Tổng quan", ``/tong-quan/``).

What needs the administrator's eye today, from the period's ranking document
(:func:`chiso_web.dashboard.payloads.ranking`, cached per data version) and the site's own
tables: class counts, the units that moved most since the previous period, the units
without data, uploads waiting to be checked or confirmed, report jobs still running and
closed months not yet published.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext

from chiso.api import (
    ImportsWaiting,
    ImportWaiting,
    Mover,
    Movers,
    Overview,
    Period,
    PeriodName,
    ReportsWaiting,
    ReportWaiting,
    UnitName,
)
from chiso_web import data
from chiso_web.dashboard import payloads
from chiso_web.dashboard.payloads import Filters
from chiso_web.imports.models import PENDING, ImportRun, RunStatus
from chiso_web.publications import state
from chiso_web.reports.models import ReportRequest, Status
from chiso_web.units.access import require_staff

MOVERS = 5
LISTED = 10
MONTHS_BACK = 3


def require_province(request: HttpRequest) -> None:
    """The overview is the province's: administrators and leaders."""
    if not require_staff(request).sees_everything:
        raise PermissionDenied(
            gettext("the overview page is for province administrators and leaders")
        )


def _mover(row: dict[str, Any]) -> Mover:
    keep = ("unit_code", "name", "converted", "class", "class_label", "rank", "change")
    return Mover(**{k: row[k] for k in keep}, previous_rank=(row["previous"] or {}).get("rank"))


def movers(rows: list[dict[str, Any]]) -> Movers:
    """The units whose converted score rose or fell most since the previous period."""
    moved = [r for r in rows if r["has_data"] and r["change"]]
    up = sorted((r for r in moved if r["change"] > 0), key=lambda r: (-r["change"], r["name"]))
    down = sorted((r for r in moved if r["change"] < 0), key=lambda r: (r["change"], r["name"]))
    return Movers(up=[_mover(r) for r in up[:MOVERS]], down=[_mover(r) for r in down[:MOVERS]])


def _imports_waiting() -> ImportsWaiting:
    waiting = (*PENDING, RunStatus.VALIDATED)
    rows = ImportRun.objects.filter(status__in=waiting).order_by("-created_at")
    return ImportsWaiting(
        count=rows.count(),
        runs=[
            ImportWaiting(
                id=run.pk,
                table=run.table,
                username=run.username,
                status=run.status,
                status_label=str(RunStatus(run.status).label),
                created_at=state.local_iso(run.created_at),
            )
            for run in rows[:LISTED]
        ],
    )


def _reports_waiting() -> ReportsWaiting:
    rows = ReportRequest.objects.filter(status__in=(Status.QUEUED, Status.RUNNING))
    rows = rows.order_by("-created_at")
    return ReportsWaiting(
        count=rows.count(),
        jobs=[
            ReportWaiting(
                id=job.pk,
                unit_name=job.unit_name or job.unit_code,
                period=job.period,
                status=job.status,
                status_label=str(Status(job.status).label),
                created_at=state.local_iso(job.created_at),
            )
            for job in rows[:LISTED]
        ],
    )


def _unpublished(index_set: str) -> list[PeriodName]:
    """The last closed months that have no published version yet."""
    month = data.now()
    out = []
    period = Period.of_month(month.year, month.month).previous()
    for _ in range(MONTHS_BACK):
        if state.current(index_set, period.code) is None:
            out.append(PeriodName(period=period.code, period_label=period.label))
        period = period.previous()
    return out


def overview(request: HttpRequest, filters: Filters) -> dict[str, Any]:
    """The overview's document."""
    ranking = payloads.ranking(request, filters)
    rows = ranking["units"]
    return Overview(
        **{k: ranking[k] for k in ("index_set", "index_set_label", "period", "period_label")},
        **{k: ranking[k] for k in ("previous_period", "previous_period_label", "as_of")},
        has_data=ranking["has_data"],
        units=len(rows),
        units_with_data=ranking["units_with_data"],
        distribution=ranking["distribution"],
        movers=movers(rows),
        without_data=[
            UnitName(unit_code=r["unit_code"], name=r["name"]) for r in rows if not r["has_data"]
        ],
        imports_waiting=_imports_waiting(),
        reports_waiting=_reports_waiting(),
        unpublished=_unpublished(filters.index_set.id),
    ).dump()
