"""Documents of the staff pages ``/cong-bo/``: months with their state, live vs published.

Each function returns the JSON twin's document; templates render the same dictionaries.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils.translation import gettext

from chiso.api import IndexSet, Period
from chiso_web import coverage, data
from chiso_web.publications import state
from chiso_web.publications.models import Lock, Publication, Status
from chiso_web.units.access import Access

MONTHS_LISTED = 12


def recent_months(now: datetime, count: int = MONTHS_LISTED) -> list[str]:
    """Codes of the ``count`` months up to the current one, newest first."""
    year, month = now.year, now.month
    out = []
    for _ in range(count):
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return out


def months(index_set: IndexSet) -> dict[str, Any]:
    """The list page: recent months and every published one, with their state."""
    current = {
        p.period: p
        for p in Publication.objects.filter(index_set=index_set.id, status=Status.PUBLISHED).defer(
            "payload", "summary"
        )
    }
    locks = {lk.period: lk for lk in Lock.objects.filter(index_set=index_set.id)}
    codes = sorted(set(recent_months(data.now())) | set(current) | set(locks), reverse=True)
    rows = []
    for code in codes:
        period = state.month(code)
        rows.append(_month_row(period, current.get(code), locks.get(code)))
    return {
        "index_set": index_set.id,
        "index_set_name": index_set.name,
        "now": data.now().isoformat(sep=" ", timespec="minutes"),
        "months": rows,
    }


def _month_row(period: Period, pub: Publication | None, lock: Lock | None) -> dict[str, Any]:
    running = state.is_running(period)
    if running:
        label = gettext("Running")
    elif pub is not None:
        label = gettext("Published (version %(version)s)") % {"version": pub.version}
    else:
        label = gettext("Not published")
    return {
        "period": period.code,
        "period_label": period.label,
        "running": running,
        "state": label,
        "locked": lock is not None,
        "version": pub.version if pub is not None else None,
        "published_at": state.local_iso(pub.published_at) if pub else None,
        "published_by": pub.published_by_name if pub else None,
    }


def period_page(access: Access, index_set: IndexSet, period: Period) -> dict[str, Any]:
    """One month: versions, lock and, once published, what changed since publication."""
    pub = state.current(index_set.id, period.code)
    lock = state.lock_of(index_set.id, period.code)
    versions = [
        {**state.public_meta(p), "published_by": p.published_by_name}
        for p in Publication.objects.filter(index_set=index_set.id, period=period.code)
        .defer("payload", "summary")
        .order_by("-version")
    ]
    return {
        "index_set": index_set.id,
        "index_set_name": index_set.name,
        "period": period.code,
        "period_label": period.label,
        "running": state.is_running(period),
        "as_of": period.as_of.isoformat(sep=" ", timespec="minutes"),
        "locked": lock is not None,
        "locked_at": state.local_iso(lock.locked_at) if lock else None,
        "version": pub.version if pub is not None else None,
        "versions": versions,
        "changes": compare(access, index_set, period, pub) if pub is not None else None,
    }


def compare(
    access: Access, index_set: IndexSet, period: Period, pub: Publication
) -> dict[str, Any]:
    """Units (that the user may see) whose live score, class or rank differ from ``pub``."""
    service = data.service()
    live = coverage.covered(index_set, period, "all").results  # the snapshot's rule
    visible = access.visible_codes(service.tree())
    published = {u["unit_code"]: u for u in pub.payload["units"]}
    rows: list[dict[str, Any]] = []
    for unit in live.units:
        if visible is not None and unit.unit_code not in visible:
            continue
        rounded = live.rounded(unit.converted)
        now: dict[str, Any] = {
            "converted": float(rounded) if rounded is not None else None,
            "class": unit.grade,
            "class_label": unit.grade_label,
            "rank": unit.rank,
        }
        before = published.get(unit.unit_code)
        then = {k: before[k] for k in now} if before is not None else None
        if then != now:
            rows.append(
                {"unit_code": unit.unit_code, "name": unit.name, "published": then, "live": now}
            )
    return {
        "data_version": service.version_tag(),
        "published_data_version": pub.data_version,
        "units": rows,
        "class_changed": sum(
            1 for r in rows if not r["published"] or r["published"]["class"] != r["live"]["class"]
        ),
    }
